import { existsSync, readFileSync } from 'node:fs'

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

/** The blog did not answer at all (nothing listens there, a name that does not resolve, a refused TLS): no item can go through. */
export class UnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const c = (cause as { cause?: { code?: string; message?: string } } | undefined)?.cause
    const why = c?.code ?? c?.message ?? (cause instanceof Error ? cause.message : String(cause))
    super(
      `cannot reach the blog at ${new URL(url).origin} (${why}): is it running? (npm start for the local one; --url <blog> for another)`,
    )
    this.name = 'UnreachableError'
  }
}

/** fetch() of the blog's API: a request that gets no answer throws an UnreachableError naming the blog (not undici's bare "fetch failed"). */
export async function blogFetch(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, init)
  } catch (err) {
    throw new UnreachableError(url, err)
  }
}

/** Like api() but returns the raw Response (any status), with the bearer token added. */
export async function apiResponse(ctx: CliContext, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${ctx.token}`)
  if (!headers.has('accept')) headers.set('accept', 'application/json')
  return blogFetch(`${ctx.url.replace(/\/+$/, '')}${path}`, { ...init, headers })
}

/** Counts what a command did to each item; printed at the end, and any failure makes the exit code 1. */
export interface CliSummary {
  created: number
  updated: number
  unchanged: number
  failed: number
  [other: string]: number
}

/** Reads KEY=value lines (the .dev.vars format). */
export function readDevVars(path: string): Record<string, string> {
  if (!existsSync(path)) return {}
  const vars: Record<string, string> = {}
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (m) vars[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2')
  }
  return vars
}

/**
 * The admin token for the blog at `url`, the same for every script that calls its API (npm run blog,
 * sync, render --publish, rerender): BLOG_TOKEN, else ADMIN_TOKEN, else, for a local URL
 * (127.0.0.1 or localhost), ADMIN_TOKEN in .dev.vars.
 */
export function blogToken(url: string): string | undefined {
  const local = /^https?:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(url)
  return process.env.BLOG_TOKEN || process.env.ADMIN_TOKEN || (local ? readDevVars('.dev.vars').ADMIN_TOKEN : undefined)
}

/** What a script says when blogToken() found none. */
export const NO_TOKEN = "Set BLOG_TOKEN (or ADMIN_TOKEN) to the blog's admin token (for a local URL, .dev.vars is read too)."
