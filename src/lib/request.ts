import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { AppError } from './errors'

/** Refuses bodies over `maxSize` bytes with a 413 (also when Content-Length is absent or lies). */
export function limitBody(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError(413, 'payload_too_large', `The request body is larger than ${maxSize.toLocaleString('en-US')} bytes.`)
    },
  })
}

/** The media type of the request, lower-cased, without parameters. */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
}

/** Parses JSON text; malformed JSON is a 400, never a 500. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new AppError(400, 'malformed_json', 'The request body is not valid JSON.')
  }
}

/** Parses a JSON body (see parseJsonText). */
export async function readJson(c: Context): Promise<unknown> {
  return parseJsonText(await c.req.text())
}

export function unsupportedMediaType(accepted: string[]): AppError {
  return new AppError(415, 'unsupported_media_type', `Content-Type must be one of: ${accepted.join(', ')}.`)
}
