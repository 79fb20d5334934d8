import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env'
import { setNewest } from './bounded'
import { clientAcceptsGzip, type KeptBody } from './compressed'

/**
 * Hot answers, replayed before the router.
 *
 * A page this isolate keeps (list, term and index pages, search results, feeds: lib/list-cache.ts)
 * is the same bytes for every reader while the objects it was made from are the ones the isolate
 * hands out. Once such a page is at hand, most of the Worker's own time on the request is the way
 * there: Hono's routing, the middleware, the parameter schemas, building and copying the headers
 * (measured in docs/PERFORMANCE.md, "The list pages' way through the app"). So the app's whole answer
 * (status 200, every header as the last middleware left it, the bytes sent) is recorded, and a later
 * GET of the same URL is answered with it before the router, while all of this holds:
 * - the same encoding decision (gzip accepted or not), the same bindings object (so the same settings);
 * - no `If-None-Match` or `If-Modified-Since` (conditional requests take the full way, to their 304);
 * - the route's own test, `isCurrent`, which needs no I/O: the page is still the one kept for its
 *   key, and each object it was made from is still the one its isolate copy would hand out now (a
 *   copy that is too old, or forgotten after a write through this isolate, would be read again, so
 *   the full way runs, reads it, and records again).
 * The answer is then exactly the one the full way would give. An answer with a `Set-Cookie` is never
 * recorded; middleware that runs after the route may set headers (they are recorded) but not change
 * the body. Everything else (HEAD, POST, other pages, the post page with its exact count) takes the
 * full way.
 */
export interface Replayable {
  /** Whether the client accepts gzip (the key's encoding half). */
  accepts: boolean
  /** The kept page whose bytes were sent: `body`, or its `gzip` copy under `Content-Encoding: gzip`. */
  page: KeptBody
  gzip: boolean
  /** Whether the route would send these very bytes now; no I/O, and no hold on the request. */
  isCurrent: () => boolean
}

/** A recorded answer holds its page weakly, so it never keeps bytes the isolate's cache has let go. */
interface Recorded extends Omit<Replayable, 'page'> {
  page: WeakRef<KeptBody>
  env: object
  headers: HeaderRecord
}

/**
 * Recorded headers, by name. workerd makes a Response from a record in about half the time it takes
 * for the same headers as [name, value] pairs (docs/PERFORMANCE.md, "Headers"). Values of a name
 * sent twice are already joined by Headers.forEach; Set-Cookie, the one that cannot be, is never recorded.
 */
type HeaderRecord = Record<string, string>

/**
 * By URL, then by encoding (so a request for any other page costs one lookup, not the encoding
 * check); a URL that differs in its query string is another entry, hence the bound.
 */
const recorded = new Map<string, { gzip?: Recorded; plain?: Recorded }>()
const RECORDED_LIMIT = 256

/**
 * A page made afresh for every request (the post page: its count, trend line and form fields) whose
 * headers are nevertheless the same every time: the route marks it with its key (the post's id), and
 * the headers it left are recorded by URL, without the body's own `Content-Length` and
 * `Content-Encoding` (gzip or not is decided per request). The route's quick way (routes/pages.tsx,
 * quickPostPage) then makes the body before the router and sends it under these headers.
 */
export interface Fresh {
  /** What the quick way needs to make the page again: the post's id. */
  key: string
}

interface RecordedFresh extends Fresh {
  env: object
  /** The headers for an uncompressed body, and (made once) for a gzip-compressed one. */
  headers: HeaderRecord
  gzipHeaders: HeaderRecord
}

const fresh = new Map<string, RecordedFresh>()

/** What both kinds of recorded answer require of a request: a GET, not conditional (those take the full way to their 304). */
function plainGet(req: Request): boolean {
  return req.method === 'GET' && !req.headers.has('if-none-match') && !req.headers.has('if-modified-since')
}

/** Middleware, registered first (so it runs after every other has finished): records a marked answer. */
export const recordReplayable: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next()
  if (c.req.method !== 'GET' || c.res.status !== 200 || c.res.headers.has('set-cookie')) return
  const quick = c.var.fresh
  if (quick) {
    const headers: HeaderRecord = {}
    c.res.headers.forEach((value, name) => name !== 'content-length' && name !== 'content-encoding' && (headers[name] = value))
    setNewest(
      fresh,
      c.req.url,
      { key: quick.key, env: c.env, headers, gzipHeaders: { ...headers, 'content-encoding': 'gzip' } },
      RECORDED_LIMIT,
    )
    return
  }
  const mark = c.var.replay
  if (!mark) return
  const url = c.req.url
  const both = recorded.get(url) ?? {}
  const headers: HeaderRecord = {}
  c.res.headers.forEach((value, name) => (headers[name] = value))
  both[mark.accepts ? 'gzip' : 'plain'] = { ...mark, page: new WeakRef(mark.page), env: c.env, headers }
  setNewest(recorded, url, both, RECORDED_LIMIT)
}

/** The recorded answer for this request, when every condition above holds; else null (the full way). */
export function replay(req: Request, env: object): Response | null {
  if (recorded.size === 0) return null
  const both = recorded.get(req.url)
  if (!both || !plainGet(req)) return null
  const which = clientAcceptsGzip(req) ? 'gzip' : 'plain'
  const hit = both[which]
  if (!hit || hit.env !== env) return null
  const page = hit.page.deref()
  const body = hit.gzip ? page?.gzip : page?.body
  if (!body || !hit.isCurrent()) {
    both[which] = undefined
    if (!both.gzip && !both.plain) recorded.delete(req.url)
    return null
  }
  return new Response(body, { status: 200, headers: hit.headers, encodeBody: hit.gzip ? 'manual' : 'automatic' })
}

/**
 * The recorded headers of a page made afresh (see Fresh) for this request: a GET of the same URL,
 * under the same bindings object, not conditional. Null: the full way.
 */
export function recordedFresh(req: Request, env: object): Omit<RecordedFresh, 'env'> | null {
  if (fresh.size === 0) return null
  const hit = fresh.get(req.url)
  return hit && hit.env === env && plainGet(req) ? hit : null
}

/** How many answers are recorded (for the tests). */
export function recordedAnswers(): number {
  let n = 0
  for (const both of recorded.values()) n += (both.gzip ? 1 : 0) + (both.plain ? 1 : 0)
  return n
}
