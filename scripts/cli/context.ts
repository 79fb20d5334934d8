/**
 * What every `npm run blog` command receives: where the blog is, the admin token, and where to print
 * progress. Shared by scripts/blog.ts and the importers in scripts/cli/.
 */
export interface CliContext {
  /** Base URL of the blog, without a trailing slash, e.g. http://127.0.0.1:8787. */
  url: string
  /** The admin bearer token. */
  token: string
  /** Prints one line of progress. */
  log: (line: string) => void
}

/** An error answer from the API: the HTTP status and the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/**
 * Calls the blog's API with the admin token and returns the parsed JSON body (or the text, for a
 * non-JSON answer). A non-2xx answer throws an ApiError whose message is the server's error message.
 *
 * @example
 * const posts = await api<{ posts: { id: string }[] }>(ctx, '/api/posts?drafts=1')
 */
export async function api<T = unknown>(ctx: CliContext, path: string, init: RequestInit = {}): Promise<T> {
  const res = await apiResponse(ctx, path, init)
  const type = res.headers.get('content-type') ?? ''
  const body: unknown = type.includes('json') ? await res.json().catch(() => null) : await res.text()
  if (!res.ok) {
    const err = body as { error?: { message?: string; code?: string } } | string | null
    const message =
      typeof err === 'object' && err?.error?.message
        ? err.error.message
        : typeof err === 'string' && err
          ? err.slice(0, 200)
          : res.statusText
    throw new ApiError(res.status, `HTTP ${res.status}: ${message}`, body)
  }
  return body as T
}

/** Like api() but returns the raw Response (any status), with the bearer token added. */
export async function apiResponse(ctx: CliContext, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${ctx.token}`)
  if (!headers.has('accept')) headers.set('accept', 'application/json')
  return fetch(`${ctx.url.replace(/\/+$/, '')}${path}`, { ...init, headers })
}

/** Counts what a command did to each item; printed at the end, and any failure makes the exit code 1. */
export interface CliSummary {
  created: number
  updated: number
  unchanged: number
  failed: number
  [other: string]: number
}
