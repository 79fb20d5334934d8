import type { Context, MiddlewareHandler } from 'hono'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../app-env'
import type { CommentErrorStrings, Strings } from '../i18n'
import { concatBytes } from './bytes'
import { AppError } from './errors'

/**
 * Refuses bodies over `maxSize` bytes with a 413, counting the bytes actually received: a missing,
 * non-numeric or lying Content-Length changes nothing (a non-numeric one is a 400). The handlers
 * then read the buffered body. `message` is the 413's reason (a reader's route gives one in the
 * site's language); by default it is English.
 */
export function limitBody(maxSize: number, message?: string): MiddlewareHandler {
  const tooLarge = () =>
    new AppError(413, 'payload_too_large', message ?? `The request body is larger than ${maxSize.toLocaleString('en-US')} bytes.`)
  return async (c, next) => {
    const body = c.req.raw.body
    if (!body) return next()
    const declared = c.req.header('content-length')
    if (declared !== undefined && !/^\d{1,15}$/.test(declared.trim())) {
      throw new AppError(400, 'bad_content_length', 'Content-Length must be a number of bytes.')
    }
    if (declared !== undefined && Number(declared) > maxSize) throw tooLarge()
    const reader = body.getReader()
    const chunks: Uint8Array[] = []
    let size = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxSize) {
        await reader.cancel().catch(() => undefined)
        throw tooLarge()
      }
      chunks.push(value)
    }
    const buffer = concatBytes(chunks)
    const headers = new Headers(c.req.raw.headers)
    headers.set('content-length', String(size))
    c.req.raw = new Request(c.req.raw.url, { method: c.req.raw.method, headers, body: buffer })
    await next()
  }
}

/**
 * hono/csrf for a page's form: a form post must come from this site's pages (its `Origin`, or
 * `Sec-Fetch-Site: same-origin`), else a 403 `forbidden` whose reason, `reason(t)`, is the form's own
 * (in the site's language: what the reader can do about it depends on the form).
 */
export function sameSiteForm(reason: (t: Strings) => string): MiddlewareHandler<AppEnv> {
  const check = csrf()
  return async (c, next) => {
    try {
      await check(c, async () => undefined)
    } catch (err) {
      if (err instanceof HTTPException && err.status === 403) throw new AppError(403, 'forbidden', reason(c.var.t))
      throw err
    }
    await next()
  }
}

/** The media type of the request, lower-cased, without parameters. */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The body as text. It must be UTF-8 (a `charset` other than UTF-8 is a 415, bytes that are not
 * UTF-8 a 400): a post saved as GBK or Latin-1 would otherwise be stored with every character it
 * could not read replaced by U+FFFD.
 */
export async function readText(c: Context): Promise<string> {
  checkCharset(c)
  return decodeUtf8(new Uint8Array(await c.req.arrayBuffer()))
}

/** A charset other than UTF-8 in the Content-Type is a 415. */
function checkCharset(c: Context): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(c.req.header('content-type') ?? '')?.[1]?.toLowerCase()
  // (US-ASCII is a part of UTF-8.)
  if (charset !== undefined && !['utf-8', 'utf8', 'us-ascii'].includes(charset)) {
    throw new AppError(415, 'unsupported_media_type', `The body must be UTF-8 (the request says charset=${charset}).`)
  }
}

/**
 * The body as UTF-8 text, gunzipped first when it is a gzip file (its first bytes 1f 8b: Disqus
 * mails its export as .xml.gz). The text may be at most `maxBytes` once unpacked (413 above: a
 * small file that unpacks to gigabytes stops there); a broken gzip file is a 400.
 */
export async function readMaybeGzippedText(c: Context, maxBytes: number): Promise<string> {
  checkCharset(c)
  const raw = new Uint8Array(await c.req.arrayBuffer())
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return decodeUtf8(raw)
  const reader = new Blob([raw]).stream().pipeThrough(new DecompressionStream('gzip')).getReader()
  const parts: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await reader.cancel().catch(() => {})
        throw new AppError(413, 'payload_too_large', `The file unpacks to more than ${maxBytes.toLocaleString('en-US')} bytes.`)
      }
      parts.push(value)
    }
  } catch (err) {
    if (err instanceof AppError) throw err
    throw new AppError(400, 'invalid_encoding', 'The body starts as a gzip file but does not unpack: send the file again, or unpacked.')
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return decodeUtf8(out)
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes)
  } catch {
    throw new AppError(400, 'invalid_encoding', 'The body is not valid UTF-8: save the file as UTF-8 and send it again.')
  }
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
  return parseJsonText(await readText(c))
}

/**
 * Parses a form body (URL-encoded or multipart); one that is not form data (a multipart body without
 * its boundary, or cut short) is a 400 saying so in `message` (the site's language), never a 500.
 */
export async function readForm(c: Context, message: string): Promise<Awaited<ReturnType<Context['req']['parseBody']>>> {
  try {
    return await c.req.parseBody()
  } catch {
    throw new AppError(400, 'malformed_form', message)
  }
}

/**
 * Whether a form's body (already read: readForm) says every text field in UTF-8. The runtime reads a
 * form's bytes that are not UTF-8 as U+FFFD, so a form would otherwise be stored changed where the
 * JSON API refuses it (readText: `invalid_encoding`). URL-encoded: the body's own bytes and every
 * percent-encoded name and value (a lone `%` is taken as typed, as the runtime does). Multipart:
 * each part's headers and, but for a file (a part with a `filename`), its content. A body that is
 * neither is not looked at.
 */
export async function formIsUtf8(c: Context): Promise<boolean> {
  const type = mediaType(c)
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (type === 'application/x-www-form-urlencoded') {
    let text: string
    try {
      text = UTF8.decode(bytes)
    } catch {
      return false
    }
    for (const piece of text.split('&')) {
      try {
        decodeURIComponent(piece.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'))
      } catch {
        return false
      }
    }
    return true
  }
  if (type !== 'multipart/form-data') return true
  const boundary = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(c.req.header('content-type') ?? '')
  const delimiter = boundary?.[1] ?? boundary?.[2]
  if (delimiter === undefined) return true
  // One character a byte (windows-1252 maps each byte to one UTF-16 unit), so offsets are the bytes'.
  const latin = new TextDecoder('windows-1252').decode(bytes)
  const parts = latin.split(`--${delimiter}`).slice(1, -1)
  let offset = latin.indexOf(`--${delimiter}`) + delimiter.length + 2
  for (const part of parts) {
    const head = part.indexOf('\r\n\r\n')
    const file = head >= 0 && /filename\*?\s*=/i.test(part.slice(0, head))
    // (The part runs to the line break before the next delimiter.)
    const end = file ? offset + head : offset + part.length - 2
    try {
      UTF8.decode(bytes.subarray(offset, Math.max(offset, end)))
    } catch {
      return false
    }
    offset += part.length + delimiter.length + 2
  }
  return true
}

/**
 * The reason of a refusal above that has no reason of the route's own (a non-numeric Content-Length,
 * a body that is not UTF-8), or of a post page's `?order=` the schema refused (`invalid_order`,
 * routes/pages.tsx), by its code, in the site's language: a page (not the API, whose messages stay
 * English) shows it instead of the English one. Undefined for any other code.
 */
export function pageReason(m: CommentErrorStrings, code: string): string | undefined {
  switch (code) {
    case 'bad_content_length':
      return m.badContentLength
    case 'invalid_encoding':
      return m.invalidEncoding
    case 'invalid_order':
      return m.badCommentOrder
    default:
      return undefined
  }
}

export function unsupportedMediaType(accepted: string[]): AppError {
  return new AppError(415, 'unsupported_media_type', `Content-Type must be one of: ${accepted.join(', ')}.`)
}
