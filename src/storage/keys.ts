/**
 * The KV key scheme (docs/ARCHITECTURE.md). The `v1:` prefix versions the layout: a new layout
 * writes new keys beside the old ones instead of reinterpreting them.
 */
export const KV_KEYS = {
  /** A post's record: JSON PostRecord, a DeletedRecord tombstone, or hand-written markdown. */
  post: (id: string) => `v1:post:${id}`,
  /** A post's feed item (storage/feed-items.ts FeedItemRecord), written with its record; gone when the post is. */
  feedItem: (id: string) => `v1:feed-item:${id}`,
  /** The site snapshot (SiteSnapshot), rewritten by the Site object. */
  site: 'v1:site',
  /** An immutable chunk of the post list; the hash makes each version a new key. */
  chunk: (index: number, hash: string) => `v1:chunk:${index}:${hash}`,
  /** An immutable chunk of a category's or tag's post list (the term is in the index, not the key). */
  termChunk: (index: number, hash: string) => `v1:tchunk:${index}:${hash}`,
  /** The term index (TermIndex), immutable. */
  terms: (hash: string) => `v1:terms:${hash}`,
  /** The archive (ArchiveEntry[]), immutable. */
  archive: (hash: string) => `v1:archive:${hash}`,
  /** The newest approved comments with their HTML (RecentCommentFull[]), rewritten with the snapshot. */
  recentComments: 'v1:recent-comments',
} as const

/** Posts per list chunk. A page of up to this many posts spans at most two chunks. */
export const CHUNK_SIZE = 16
