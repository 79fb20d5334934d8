import type { SiteConfig } from '../config'
import { formatDay } from '../lib/dates'
import { roomObject } from '../lib/stubs'
import { isCountableView, readerKeys } from '../lib/views'
import type { OpenRequest, OpenResult } from '../objects/post-room'

/**
 * Posts whose object said "sharded until …", as this isolate last heard. A view of such a post
 * goes to a shard (chosen by the reader's key) instead of the post's object.
 */
const sharded = new Map<string, number>()

/** The view a post page records: what the Worker knows about the request, for the post's object. */
export async function viewRequest(env: Cloudflare.Env, config: SiteConfig, req: Request): Promise<OpenRequest> {
  const countView = await isCountableView(req, env.ADMIN_TOKEN)
  const windowMs = config.readerWindowMinutes * 60_000
  const readers =
    countView && windowMs > 0 ? await readerKeys(req, env.VIEW_SALT || env.ADMIN_TOKEN || 'unsalted', config.timezone, windowMs) : undefined
  return { countView, readers, windowMs, day: formatDay(Date.now(), config.timezone), shardAbove: config.shardAboveViewsPerSecond }
}

/**
 * Opens a post for one page view: the post's object, or one of its shards while it is sharded.
 * Either way the call records the view (if it counts) and returns the exact count.
 */
export async function openPost(env: Cloudflare.Env, config: SiteConfig, id: string, req: OpenRequest): Promise<OpenResult> {
  const until = sharded.get(id)
  let result: OpenResult
  if (until !== undefined && until > Date.now()) {
    const key = req.readers?.[0] ?? crypto.randomUUID().replace(/-/g, '')
    const shard = Number.parseInt(key.slice(0, 8), 16) % config.viewShards
    result = await env.VIEW_SHARD.getByName(`${id}#${shard}`).open(id, req)
  } else {
    result = await roomObject(env, id).open(req)
  }
  if (result.shardedUntil !== null) sharded.set(id, result.shardedUntil)
  else sharded.delete(id)
  return result
}
