import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env'
import { aliasKvKey, requestAliasPath, type AliasRecord } from '../lib/aliases'
import { readSnapshot } from '../storage/read-model'
import { SLUG_PATTERN } from '../lib/slug'

/**
 * Permalink redirects (README: Redirects) and the short addresses of standalone pages (README:
 * Pages). Nothing here runs on a hot path: `/` looks up `?p=` / `?page_id=` only when that query is
 * present, and everything else is tried only for a path no route answered (the 404 path).
 */
const redirects = new Hono<AppEnv>()

/** WordPress's `/?p=123` and `/?page_id=45`: the post that took that alias, else the front page. */
redirects.get('/', async (c, next) => {
  const url = new URL(c.req.url)
  if (!url.searchParams.has('p') && !url.searchParams.has('page_id')) return next()
  return (await aliasRedirect(c, url)) ?? next()
})

/** The post an alias names, as a 301 to its page (one KV read), or null. */
async function aliasRedirect(c: Context<AppEnv>, url: URL): Promise<Response | null> {
  const path = requestAliasPath(url)
  if (path === null) return null
  const record = await c.env.POSTS.get<AliasRecord>(await aliasKvKey(path), 'json')
  if (!record || record.path !== path) return null
  return c.redirect(`/archives/${record.id}`, 301)
}

const PAGE_PATH_RE = new RegExp(`^/(${SLUG_PATTERN})/?$`)

/**
 * For a GET or HEAD no route answered: a standalone page's short address `/<id>` (from the site
 * snapshot, which the isolate usually holds) or an alias (one KV read), as a 301; else null.
 */
export async function notFoundRedirect(c: Context<AppEnv>): Promise<Response | null> {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return null
  const url = new URL(c.req.url)
  const page = PAGE_PATH_RE.exec(url.pathname)?.[1]
  if (page) {
    const snapshot = await readSnapshot(c.env.POSTS, c.var.config.listCacheMs)
    if (snapshot?.pages?.some((p) => p.id === page)) return c.redirect(`/archives/${page}`, 301)
  }
  return aliasRedirect(c, url)
}

export default redirects
