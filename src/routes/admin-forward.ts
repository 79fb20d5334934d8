import type { Context } from 'hono'
import { AppError, errorBody } from '../lib/errors'
import type { AdminEnv } from './admin-gate'
import { SLUG_PATTERN } from '../lib/slug'
import { adminErrorText } from './admin-errors'

/** The whole app's fetch (src/index.ts hands it in), so a forwarded call gets the API's settings and error handling. */
export type AppFetch = (request: Request, env: Cloudflare.Env, ctx: Context['executionCtx']) => Response | Promise<Response>

export interface ApiCall {
  body?: BodyInit
  contentType?: string
  ifMatch?: string
  ifNoneMatch?: string
  accept?: string
}

/**
 * Calls the JSON API (`/api<path>`) for a signed-in admin, with the admin token as a bearer token, so
 * every rule (validation, If-Match, revisions, dry runs, moderation) lives in one place. The client's
 * address goes along, so the sign-in gate sees the same client (a right token never takes a slot).
 */
export function callApi(c: Context<AdminEnv>, appFetch: AppFetch, method: string, path: string, call: ApiCall = {}): Promise<Response> {
  const headers = new Headers({ authorization: `Bearer ${c.env.ADMIN_TOKEN}` })
  for (const name of ['cf-connecting-ip', 'x-real-ip', 'user-agent']) {
    const value = c.req.header(name)
    if (value) headers.set(name, value)
  }
  if (call.contentType) headers.set('content-type', call.contentType)
  if (call.ifMatch) headers.set('if-match', call.ifMatch)
  if (call.ifNoneMatch) headers.set('if-none-match', call.ifNoneMatch)
  if (call.accept) headers.set('accept', call.accept)
  const url = new URL(`/api${path}`, c.req.url)
  return Promise.resolve(appFetch(new Request(url, { method, headers, body: call.body }), c.env, c.executionCtx))
}

/**
 * The API's error answer as an AppError (same status, code and message); one that is not the API's
 * error shape is `api_error`, which the admin words in the site's language (admin-errors.ts).
 */
export async function apiError(res: Response): Promise<AppError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null
  const code = body?.error?.code ?? 'api_error'
  const message = body?.error?.message ?? `The API answered ${res.status}.`
  // (A renamed post's old id: the API's 308 names both ids; the admin page goes to the post's new id.)
  const renamed = code === 'post_moved' ? RENAMED.exec(message) : null
  if (renamed) return new PostRenamedError(renamed[1]!, renamed[2]!, message)
  const status = (res.status >= 400 && res.status < 600 ? res.status : 502) as 400
  return new AppError(status, code, message)
}

/** The API's message for a renamed post's old id (routes/api.ts renamedAnswer). */
const RENAMED = new RegExp(`^Post "(${SLUG_PATTERN})" was renamed to "(${SLUG_PATTERN})"\\.$`)

/**
 * An admin page asked the API about a post by an id it was renamed from (a bookmark, a tab open
 * from before the rename): the admin's onError sends the request to the same admin address at the
 * new id; where the id is not in the address, a 409 says where the post went.
 */
export class PostRenamedError extends AppError {
  constructor(
    readonly from: string,
    readonly to: string,
    message: string,
  ) {
    super(409, 'post_moved', message)
  }
}

/** The API answer as JSON, or its error thrown. */
export async function apiJson<T>(res: Response): Promise<T> {
  if (!res.ok) throw await apiError(res)
  return (await res.json()) as T
}

/** What an API error answer holds, before it is checked. */
type ErrorShape = { error?: { code?: unknown; message?: unknown } } | null

const SLUG = SLUG_PATTERN
const NUM = '[1-9][0-9]{0,8}'

/**
 * What `/admin/api/*` may reach: the admin's own API routes, nothing else (no comment posting as the
 * author, no import, no re-render). Paths are matched whole against these patterns, so no encoded
 * `..` or other route can slip through.
 */
const FORWARDED: [methods: string[], path: RegExp][] = [
  [['GET', 'POST'], /^\/posts$/],
  [['GET', 'PUT', 'DELETE'], new RegExp(`^/posts/${SLUG}$`)],
  [['GET'], new RegExp(`^/posts/${SLUG}/revisions(?:/${NUM})?$`)],
  [['POST'], new RegExp(`^/posts/${SLUG}/revisions/${NUM}/restore$`)],
  [['POST'], new RegExp(`^/posts/${SLUG}/(?:rename|preview-link)$`)],
  [['GET'], /^\/comments$/],
  [['POST'], new RegExp(`^/comments/${SLUG}/${NUM}/(?:approve|spam|pin|unpin)$`)],
  [['DELETE'], new RegExp(`^/comments/${SLUG}/${NUM}$`)],
  [['POST'], /^\/images$/],
]

/** Query parameters the forwarded routes take (others are refused, not silently dropped). */
const FORWARDED_QUERY = new Set(['dry_run', 'status', 'page', 'limit', 'days', 'name'])

/**
 * `/admin/api/*` → `/api/*` for the admin's script (live preview, image upload), after the session
 * and CSRF checks. The answer is the API's, without any cookie it might set.
 */
export async function forward(c: Context<AdminEnv>, appFetch: AppFetch): Promise<Response> {
  const path = c.req.path.slice('/admin/api'.length)
  const method = c.req.method
  // (Its own refusals, as the API's below, in the site's language: the script shows them as they are.)
  const e = c.var.t.admin.errors
  const route = FORWARDED.find(([, re]) => re.test(path))
  if (!route) return c.json(errorBody('not_found', e.notForwarded), 404)
  if (!route[0].includes(method)) {
    c.header('Allow', route[0].join(', '))
    return c.json(errorBody('method_not_allowed', e.methodNotForwarded(route[0])), 405)
  }
  const query = new URL(c.req.url).searchParams
  for (const key of query.keys()) {
    if (!FORWARDED_QUERY.has(key)) return c.json(errorBody('invalid_query', e.queryNotForwarded(key)), 400)
  }
  const qs = query.size > 0 ? `?${query}` : ''
  const res = await callApi(c, appFetch, method, path + qs, {
    body: method === 'GET' || method === 'DELETE' ? undefined : await c.req.arrayBuffer(),
    contentType: c.req.header('content-type'),
    ifMatch: c.req.header('if-match'),
    accept: c.req.header('accept'),
  })
  const headers = new Headers()
  for (const name of ['content-type', 'etag', 'location', 'retry-after', 'allow']) {
    const value = res.headers.get(name)
    if (value) headers.set(name, value)
  }
  // A redirect to an API route (a renamed post's old id: 308 to the new id) stays with the forwarder,
  // which adds the token: the browser follows it to /admin/api/…, not to /api/… without one.
  const location = headers.get('location')
  if (location?.startsWith('/api/')) headers.set('location', `/admin${location}`)
  headers.set('cache-control', 'no-store')
  // A refusal says why in the site's language (the script shows `message` as it is); the code stays the API's.
  if (res.status >= 400 && res.headers.get('content-type')?.startsWith('application/json')) {
    const text = await res.text()
    let body: ErrorShape | null = null
    try {
      body = JSON.parse(text) as ErrorShape
    } catch {
      // (Not the API's error shape: passed on as it is.)
    }
    const { code, message } = body?.error ?? {}
    const shown =
      typeof code === 'string' && typeof message === 'string'
        ? JSON.stringify(errorBody(code, adminErrorText(c.var.t, { code, message })))
        : text
    return new Response(shown, { status: res.status, headers })
  }
  return new Response(res.body, { status: res.status, headers })
}
