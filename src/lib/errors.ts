import type { ContentfulStatusCode } from 'hono/utils/http-status'

/**
 * An error with an HTTP status and a stable code. API routes answer it as
 * `{"error": {"code": "…", "message": "…"}}`; pages show the message on an error page.
 */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

/** The JSON body of every API error. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } }
}
