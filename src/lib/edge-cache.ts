import type { Context } from 'hono'
import type { AppEnv } from '../app-env'

/**
 * The location's cache (the Cache API's `caches.default`), under each isolate's own copies: a list
 * page or feed that one isolate rendered is reused by every other isolate in the same Cloudflare
 * location while the site snapshot is the same. The key names the version it was made from (the
 * snapshot's time plus the code and settings fingerprint, as in the page's ETag), so a publish,
 * edit, delete or comment, each of which writes a new snapshot, makes every older entry unreachable:
 * nothing is ever purged or served stale. Entries expire after EDGE_CACHE_SECONDS (0: off).
 *
 * On a workers.dev address the Cache API keeps nothing (a Cloudflare rule): this helps on a custom
 * domain. Post pages never come through here: their reader count is exact per request.
 */
// (The Workers types declare `caches.default`; another CacheStorage declaration in the test types hides it.)
const edge = (): Cache => (caches as unknown as { default: Cache }).default

export function edgeKey(origin: string, path: string, version: string): string {
  return `${origin}${path}?edge-version=${encodeURIComponent(version)}`
}

/** The stored body and its headers, or null (off, a miss, or a cache that failed: the page is built). */
export async function edgeMatch(c: Context<AppEnv>, key: string): Promise<Response | null> {
  if (c.var.config.edgeCacheSeconds === 0) return null
  try {
    return (await edge().match(key)) ?? null
  } catch (err) {
    console.error(JSON.stringify({ event: 'edge_cache.match_failed', error: String(err) }))
    return null
  }
}

/** Stores a body after the response is sent (the reader does not wait for it). */
export function edgePut(c: Context<AppEnv>, key: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string>): void {
  const seconds = c.var.config.edgeCacheSeconds
  if (seconds === 0) return
  const stored = new Response(body, { headers: { ...headers, 'Cache-Control': `public, max-age=${seconds}` } })
  c.executionCtx.waitUntil(
    edge()
      .put(key, stored)
      .catch((err: unknown) => {
        console.error(JSON.stringify({ event: 'edge_cache.put_failed', error: String(err) }))
      }),
  )
}
