import type { DeletedRecord, ListEntry, PostRecord, SiteSnapshot } from '../model'
import { stringifyFrontMatter } from '../render/front-matter'
import { KV_KEYS } from './keys'

/** Chunk keys are content-hashed and never rewritten, so a parsed chunk can live in the isolate. */
const chunkCache = new Map<string, ListEntry[]>()
const CHUNK_CACHE_LIMIT = 256

/** The site snapshot, or null before the first publish. */
export async function readSnapshot(kv: KVNamespace): Promise<SiteSnapshot | null> {
  return kv.get<SiteSnapshot>(KV_KEYS.site, 'json')
}

async function readChunk(kv: KVNamespace, key: string): Promise<ListEntry[]> {
  const hit = chunkCache.get(key)
  if (hit) return hit
  const entries = await kv.get<ListEntry[]>(key, 'json')
  // A chunk retired after this snapshot was read: the caller treats the page as changed under it.
  if (!entries) throw new StaleSnapshotError(key)
  if (chunkCache.size >= CHUNK_CACHE_LIMIT) chunkCache.delete(chunkCache.keys().next().value!)
  chunkCache.set(key, entries)
  return entries
}

export class StaleSnapshotError extends Error {}

export interface ListPage {
  entries: ListEntry[]
  page: number
  pages: number
  total: number
}

/**
 * Page `page` (1-based, newest first) of the post list: the snapshot says which chunks hold it,
 * and a page of up to CHUNK_SIZE posts spans at most two of them, read in parallel.
 */
export async function readListPage(kv: KVNamespace, snapshot: SiteSnapshot, page: number, pageSize: number): Promise<ListPage | null> {
  const total = snapshot.total
  const pages = Math.max(1, Math.ceil(total / pageSize))
  if (page > pages) return null
  if (total === 0) return { entries: [], page, pages, total }
  // Newest-first positions [first, last] are oldest-first ordinals [total-1-last, total-1-first].
  const first = (page - 1) * pageSize
  const last = Math.min(page * pageSize, total) - 1
  const lo = total - 1 - last
  const hi = total - 1 - first
  const size = snapshot.chunkSize
  const indexes: number[] = []
  for (let k = Math.floor(lo / size); k <= Math.floor(hi / size); k++) indexes.push(k)
  const chunks = await Promise.all(
    indexes.map((k) => {
      const key = snapshot.chunks[k]
      if (!key) throw new StaleSnapshotError(`chunk ${k}`)
      return readChunk(kv, key)
    }),
  )
  const ordered = chunks.flat()
  const offset = indexes[0]! * size
  const entries = ordered.slice(lo - offset, hi - offset + 1).reverse()
  return { entries, page, pages, total }
}

/** What KV holds for a post id. */
export type StoredPost =
  | { kind: 'post'; record: PostRecord }
  | { kind: 'deleted'; record: DeletedRecord }
  /** Markdown (with front matter) written by hand, e.g. with `wrangler kv key put`. */
  | { kind: 'markdown'; text: string }
  | { kind: 'missing' }

export async function readPost(kv: KVNamespace, id: string): Promise<StoredPost> {
  const text = await kv.get(KV_KEYS.post(id), 'text')
  if (text === null) return { kind: 'missing' }
  if (text.trimStart().startsWith('{')) {
    try {
      const value = JSON.parse(text) as Partial<PostRecord & DeletedRecord> & { body?: unknown }
      if (value && typeof value === 'object') {
        if (value.deleted === true) return { kind: 'deleted', record: value as DeletedRecord }
        if (typeof value.html === 'string' && typeof value.title === 'string') return { kind: 'post', record: value as PostRecord }
        // A JSON record with markdown but no HTML: rebuild it as front matter + body.
        if (typeof value.body === 'string') {
          const { body, ...fields } = value
          return { kind: 'markdown', text: stringifyFrontMatter(fields, body) }
        }
      }
    } catch {
      // Not JSON after all: treat it as markdown below.
    }
  }
  return { kind: 'markdown', text }
}
