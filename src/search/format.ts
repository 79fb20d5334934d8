/**
 * The search index as stored in KV (docs/ARCHITECTURE.md, Search). Written by the SearchIndex
 * object, read by the Worker.
 *
 * - `v1:search` (the pointer, small, rewritten on every change): which main segment and delta are
 *   current, and the corpus totals for ranking.
 * - main segment: `v1:search:shard:<n>:<hash>` (immutable) for n < shards, each holding the terms
 *   of a contiguous range of buckets (tokenize.ts: words by their first two characters, CJK tokens
 *   by hash), and `v1:search:docs:<hash>` (immutable): the ids and dates of its documents.
 * - delta segment: `v1:search:delta:<hash>` (immutable): every document changed since the main
 *   segment was built, and the ids whose main postings are stale (changed or removed).
 * - `v1:search:doc:<id>`: a post's title, tags, date and plain text, for the result page's snippets.
 */

export const SEARCH_KEYS = {
  pointer: 'v1:search',
  shard: (n: number, hash: string) => `v1:search:shard:${n}:${hash}`,
  docs: (hash: string) => `v1:search:docs:${hash}`,
  delta: (hash: string) => `v1:search:delta:${hash}`,
  doc: (id: string) => `v1:search:doc:${id}`,
} as const

/** BM25 saturation and length normalisation of body term frequencies. */
export const BM25_K1 = 1.2
export const BM25_B = 0.75
/**
 * A match in the title adds this to a term's score, in the tags or category this: more than a body
 * match can reach (k1 + 1 = 2.2), so a title match ranks above any body-only match.
 */
export const TITLE_BOOST = 2.5
export const TAG_BOOST = 1.5

/** Posting flags, in the two low bits of a posting's value. */
export const IN_TITLE = 2
export const IN_TAGS = 1

/** The pointer (`v1:search`). */
export interface SearchPointer {
  v: 1
  /** Documents in the index now (main not superseded + delta), for idf. */
  total: number
  writtenAt: number
  /** The current main segment, or null before the first build. */
  main: {
    /** Content hashes of the shards; shard n's key is SEARCH_KEYS.shard(n, hashes[n]). */
    shards: string[]
    /** KV key of the main segment's documents (MainDocs). */
    docs: string
    builtAt: number
  } | null
  /** KV key of the delta segment (DeltaSegment). */
  delta: string
}

/** One shard of a segment: sorted terms and their postings (encodePostings). */
export interface Shard {
  terms: string[]
  postings: string[]
}

/** The documents of the main segment: postings name documents by their index here. */
export interface MainDocs {
  ids: string[]
  /** Post dates in seconds (ties in rank go to the newer post). */
  dates: number[]
}

/** The delta segment: its own documents, terms and the ids whose main postings no longer count. */
export interface DeltaSegment extends Shard, MainDocs {
  superseded: string[]
}

/**
 * A posting's value: the body's BM25 term-frequency component ×100 (length-normalised at write
 * time), shifted past the title/tags flags.
 */
export function postingValue(bodyTf: number, len: number, avgLen: number, flags: number): number {
  const norm = BM25_K1 * (1 - BM25_B + (BM25_B * len) / Math.max(1, avgLen))
  const tf = bodyTf > 0 ? (bodyTf * (BM25_K1 + 1)) / (bodyTf + norm) : 0
  return Math.round(tf * 100) * 4 + flags
}

/** The score part of a posting value (before idf). */
export function postingScore(value: number): number {
  return (value >> 2) / 100 + (value & IN_TITLE ? TITLE_BOOST : 0) + (value & IN_TAGS ? TAG_BOOST : 0)
}

/** Postings sorted by document: "gap value gap value …" in base 36 (decoded only for matched terms). */
export function encodePostings(entries: readonly (readonly [doc: number, value: number])[]): string {
  let prev = 0
  const parts: string[] = []
  for (const [doc, value] of entries) {
    parts.push((doc - prev).toString(36), value.toString(36))
    prev = doc
  }
  return parts.join(' ')
}

export function decodePostings(text: string, visit: (doc: number, value: number) => void): void {
  if (!text) return
  const parts = text.split(' ')
  let doc = 0
  for (let i = 0; i + 1 < parts.length; i += 2) {
    doc += parseInt(parts[i]!, 36)
    visit(doc, parseInt(parts[i + 1]!, 36))
  }
}

/** The first index in sorted `terms` whose term is ≥ `prefix` (binary search). */
export function lowerBound(terms: readonly string[], prefix: string): number {
  let lo = 0
  let hi = terms.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (terms[mid]! < prefix) lo = mid + 1
    else hi = mid
  }
  return lo
}
