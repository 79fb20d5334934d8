import type { Context } from 'hono'
import type { AppEnv } from '../app-env'

/** The whole app's fetch (src/index.ts hands it in). */
type AppFetch = (request: Request, env: Cloudflare.Env, ctx: ExecutionContext) => Response | Promise<Response>

/** Reader addresses that a form posts to: the comment form's target, a comment's like button and the unsubscribe button. */
const FORM_TARGETS = [
  /^\/archives\/[^/]+\/comments$/,
  /^\/archives\/[^/]+\/comments\/[^/]+\/like$/,
  /^\/archives\/[^/]+\/reactions$/,
  /^\/comments\/unsubscribe$/,
]

/** Headers that describe the request's body or make it conditional or partial: the probe is a plain HEAD. */
const NOT_PROBED = [
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
  'range',
]

/**
 * The methods a reader's address takes, for a request with another method that no route took (PUT
 * /archives/x, DELETE /, PUT /about): `GET, HEAD`, plus `POST` where a form posts; null when the
 * address does not exist, so the request stays a 404. Whether it exists is what a HEAD of it through
 * the app answers (anything but a 404: a page, a redirect such as /about's, a deleted post's 410),
 * so no second list of routes is kept. The API (`/api`, its own 405s) and the admin (`/admin`) are
 * not probed. This runs only for a request no route answered with a method other than GET and HEAD:
 * never on a reader's way to a page (the quick ways before the router, lib/replay.ts and
 * quickPostPage, never see such a request), and a HEAD counts no view.
 */
export async function allowedMethods(c: Context<AppEnv>, appFetch: AppFetch): Promise<string | null> {
  const { method, path } = c.req
  if (method === 'GET' || method === 'HEAD') return null
  if (/^\/(?:api|admin)(?:\/|$)/.test(path)) return null
  const headers = new Headers(c.req.raw.headers)
  for (const name of NOT_PROBED) headers.delete(name)
  const probe = await appFetch(
    new Request(c.req.url, { method: 'HEAD', headers, redirect: 'manual' }),
    c.env,
    c.executionCtx as ExecutionContext,
  )
  if (probe.status === 404) return null
  return FORM_TARGETS.some((re) => re.test(path)) ? 'GET, HEAD, POST' : 'GET, HEAD'
}
