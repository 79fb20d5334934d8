import type {
  ArchiveEntry,
  DeletedRecord,
  ListEntry,
  PostRecord,
  RecentCommentFull,
  SiteSnapshot,
  TermEntry,
  TermIndex,
  TermKind,
} from '../model'
import { loadRenderer } from '../render/load'
import { isolateCopy } from '../lib/isolate-copy'
import { setNewest } from '../lib/bounded'
import { KV_KEYS } from './keys'

/** Chunk keys are content-hashed and never rewritten, so a parsed chunk can live in the isolate. */
const chunkCache = new Map<string, ListEntry[]>()
const CHUNK_CACHE_LIMIT = 256

const snapshotCopy = isolateCopy<KVNamespace, SiteSnapshot>((kv) => kv.get(KV_KEYS.site, 'text'))

/**
 * The site snapshot, or null before the first publish. With `maxAgeMs` > 0 a snapshot this isolate
 * read less than that long ago is reused (LIST_CACHE_SECONDS): a hot list page then makes no KV read.
 * A write through this isolate (publish, comment) forgets it (forgetSnapshot); other isolates see
 * the change within `maxAgeMs`.
 */
export function readSnapshot(kv: KVNamespace, maxAgeMs = 0): Promise<SiteSnapshot | null> {
  return snapshotCopy.get(kv, maxAgeMs)
}

/** The snapshot `readSnapshot(kv, maxAgeMs)` would hand out now without a read, or undefined (it would read). */
export function peekSnapshot(kv: KVNamespace, maxAgeMs: number): SiteSnapshot | null | undefined {
  return snapshotCopy.peek(kv, maxAgeMs)
}

/** Drops this isolate's copy of the snapshot (after a write that changes it). */
export function forgetSnapshot(): void {
  snapshotCopy.forget()
}

async function readChunk(kv: KVNamespace, key: string): Promise<ListEntry[]> {
  const hit = chunkCache.get(key)
  if (hit) return hit
  const entries = await kv.get<ListEntry[]>(key, 'json')
  // A chunk retired after this snapshot was read: the caller treats the page as changed under it.
  if (!entries) throw new StaleSnapshotError(key)
  setNewest(chunkCache, key, entries, CHUNK_CACHE_LIMIT)
  return entries
}

export class StaleSnapshotError extends Error {}

export interface ListPage {
  entries: ListEntry[]
  page: number
  pages: number
  total: number
}

type ListShape = Pick<SiteSnapshot, 'chunks' | 'total' | 'chunkSize'>

/**
 * Where page `page` (1-based, newest first) of a list lies: its oldest-first ordinals [lo, hi] and
 * the indexes of the chunks that hold them (a page of up to CHUNK_SIZE posts spans at most two);
 * null past the last page, an empty span for an empty list.
 */
function pageSpan(list: ListShape, page: number, pageSize: number): { pages: number; lo: number; hi: number; indexes: number[] } | null {
  const total = list.total
  const pages = Math.max(1, Math.ceil(total / pageSize))
  if (page > pages) return null
  if (total === 0) return { pages, lo: 0, hi: -1, indexes: [] }
  // Newest-first positions [first, last] are oldest-first ordinals [total-1-last, total-1-first].
  const first = (page - 1) * pageSize
  const last = Math.min(page * pageSize, total) - 1
  const lo = total - 1 - last
  const hi = total - 1 - first
  const indexes: number[] = []
  for (let k = Math.floor(lo / list.chunkSize); k <= Math.floor(hi / list.chunkSize); k++) indexes.push(k)
  return { pages, lo, hi, indexes }
}

/**
 * Page `page` (1-based, newest first) of the post list: the snapshot says which chunks hold it,
 * and a page of up to CHUNK_SIZE posts spans at most two of them, read in parallel.
 */
export async function readListPage(kv: KVNamespace, snapshot: ListShape, page: number, pageSize: number): Promise<ListPage | null> {
  const span = pageSpan(snapshot, page, pageSize)
  if (!span) return null
  const { pages, lo, hi, indexes } = span
  if (indexes.length === 0) return { entries: [], page, pages, total: snapshot.total }
  const chunks = await Promise.all(
    indexes.map((k) => {
      const key = snapshot.chunks[k]
      if (!key) throw new StaleSnapshotError(`chunk ${k}`)
      return readChunk(kv, key)
    }),
  )
  const ordered = chunks.flat()
  const offset = indexes[0]! * snapshot.chunkSize
  const entries = ordered.slice(lo - offset, hi - offset + 1).reverse()
  return { entries, page, pages, total: snapshot.total }
}

/**
 * What page `page` of a list shows, as a string: the page's place (number, size, the list's length)
 * and the keys of the chunks it spans. Chunk keys name their content (the posts and their
 * revisions), so the same string means the same posts as the same records. A page that shows no
 * counts (a feed) is kept under this instead of under the snapshot, which is written again
 * whenever a count changes.
 */
export function listPageIdentity(list: ListShape, page: number, pageSize: number): string {
  const span = pageSpan(list, page, pageSize)
  const keys = span ? span.indexes.map((k) => list.chunks[k] ?? '').join(',') : 'none'
  return `${page}/${pageSize}/${list.total}:${keys}`
}

/** What KV holds for a post id. */
export type StoredPost =
  | { kind: 'post'; record: PostRecord }
  | { kind: 'deleted'; record: DeletedRecord }
  /** A renamed post's old id: its pages redirect (301) to the new one. */
  | { kind: 'moved'; to: string }
  /** Markdown (with front matter) written by hand, e.g. with `wrangler kv key put`. */
  | { kind: 'markdown'; text: string }
  | { kind: 'missing' }

export async function readPost(kv: KVNamespace, id: string): Promise<StoredPost> {
  const text = await kv.get(KV_KEYS.post(id), 'text')
  if (text === null) return { kind: 'missing' }
  if (text.trimStart().startsWith('{')) {
    try {
      const value = JSON.parse(text) as Partial<PostRecord & DeletedRecord> & { body?: unknown; movedTo?: unknown }
      if (value && typeof value === 'object') {
        if (value.deleted === true) return { kind: 'deleted', record: value as DeletedRecord }
        if (typeof value.movedTo === 'string') return { kind: 'moved', to: value.movedTo }
        if (typeof value.html === 'string' && typeof value.title === 'string') return { kind: 'post', record: value as PostRecord }
        // A JSON record with markdown but no HTML: rebuild it as front matter + body.
        if (typeof value.body === 'string') {
          const { body, ...fields } = value
          const { stringifyFrontMatter } = await loadRenderer()
          return { kind: 'markdown', text: stringifyFrontMatter(fields, body) }
        }
      }
    } catch {
      // Not JSON after all: treat it as markdown below.
    }
  }
  return { kind: 'markdown', text }
}

/** Immutable (content-hashed) JSON values other than chunks: the term index and the archive. */
const valueCache = new Map<string, unknown>()
const VALUE_CACHE_LIMIT = 8

async function readImmutable<T>(kv: KVNamespace, key: string): Promise<T> {
  const hit = valueCache.get(key)
  if (hit !== undefined) return hit as T
  const value = await kv.get<T>(key, 'json')
  if (value === null) throw new StaleSnapshotError(key)
  setNewest(valueCache, key, value, VALUE_CACHE_LIMIT)
  return value
}

/** Every category and tag with its list chunks (empty before the first publish). */
export async function readTermIndex(kv: KVNamespace, snapshot: SiteSnapshot): Promise<TermIndex> {
  if (!snapshot.termsKey) return { category: [], tag: [] }
  return readImmutable<TermIndex>(kv, snapshot.termsKey)
}

/** One term of the index by its slug (binary search: each kind is sorted by slug). */
export function findTerm(index: TermIndex, kind: TermKind, slug: string): TermEntry | null {
  const list = index[kind]
  let lo = 0
  let hi = list.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const s = list[mid]!.slug
    if (s === slug) return list[mid]!
    if (s < slug) lo = mid + 1
    else hi = mid - 1
  }
  return null
}

/**
 * Page `page` of a category's or tag's post list, newest first; null when there is no such term
 * or no such page. Reads the term index (cached in the isolate) and one or two chunks.
 */
export async function readTermPage(
  kv: KVNamespace,
  snapshot: SiteSnapshot,
  kind: TermKind,
  slug: string,
  page: number,
  pageSize: number,
): Promise<{ term: TermEntry; list: ListPage } | null> {
  const term = findTerm(await readTermIndex(kv, snapshot), kind, slug)
  if (!term) return null
  const list = await readListPage(kv, { chunks: term.chunks, total: term.count, chunkSize: snapshot.chunkSize }, page, pageSize)
  return list ? { term, list } : null
}

/** Every published post, newest first (the archive, the sitemap). */
export async function readArchive(kv: KVNamespace, snapshot: SiteSnapshot): Promise<ArchiveEntry[]> {
  if (!snapshot.archiveKey) return []
  return readImmutable<ArchiveEntry[]>(kv, snapshot.archiveKey)
}

/** The newest approved comments with their HTML, newest first (the comments feed). */
export async function readRecentComments(kv: KVNamespace): Promise<RecentCommentFull[]> {
  return (await kv.get<RecentCommentFull[]>(KV_KEYS.recentComments, 'json')) ?? []
}
