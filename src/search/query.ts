import { isolateCopy } from '../lib/isolate-copy'
import type { SearchDoc } from './doc'
import {
  decodePostings,
  lowerBound,
  postingScore,
  SEARCH_KEYS,
  type DeltaSegment,
  type MainDocs,
  type SearchPointer,
  type Shard,
} from './format'
import { matchWeight, shardOfBucket, termBucket, type QueryTerm } from './tokenize'

/** The part of a KV namespace a search reads (also satisfied by an in-memory copy, for the benchmark). */
export interface KvReader {
  get(key: string, type: 'text'): Promise<string | null>
  get<T>(key: string, type: 'json'): Promise<T | null>
}

/**
 * Segment values (shards, the main documents table, deltas) are immutable (content-hashed keys), so
 * a parsed one is kept in the isolate, up to about CACHE_BYTES of JSON.
 */
const cache = new Map<string, { value: unknown; bytes: number }>()
const CACHE_BYTES = 24 * 1024 * 1024
let cachedBytes = 0

/** A segment key named by the pointer is gone (retired long after a newer pointer was written). */
export class StaleIndexError extends Error {}

async function readSegment<T>(kv: KvReader, key: string): Promise<T> {
  const hit = cache.get(key)
  if (hit) {
    // Most recently used last.
    cache.delete(key)
    cache.set(key, hit)
    return hit.value as T
  }
  const text = await kv.get(key, 'text')
  if (text === null) throw new StaleIndexError(key)
  const value = JSON.parse(text) as T
  cache.set(key, { value, bytes: text.length })
  cachedBytes += text.length
  while (cachedBytes > CACHE_BYTES && cache.size > 1) {
    const [oldest, entry] = cache.entries().next().value!
    cache.delete(oldest)
    cachedBytes -= entry.bytes
  }
  return value
}

const pointerCopy = isolateCopy<KvReader, SearchPointer>((kv) => kv.get(SEARCH_KEYS.pointer, 'text'))

/** The index's pointer; with `maxAgeMs` > 0 a copy read less than that long ago (LIST_CACHE_SECONDS). */
export function readPointer(kv: KvReader, maxAgeMs = 0): Promise<SearchPointer | null> {
  return pointerCopy.get(kv, maxAgeMs)
}

/** The pointer `readPointer(kv, maxAgeMs)` would hand out now without a read, or undefined (it would read). */
export function peekPointer(kv: KvReader, maxAgeMs: number): SearchPointer | null | undefined {
  return pointerCopy.peek(kv, maxAgeMs)
}

/** Drops this isolate's copy of the pointer (after a write through it). */
export function forgetPointer(): void {
  pointerCopy.forget()
}

/** One result: a post id with its score and date (seconds). */
export interface SearchHit {
  id: string
  score: number
  date: number
}

/** How a term scores in each matching document (before idf): the best of its matching tokens. */
function collect(shard: Shard, term: QueryTerm, visit: (doc: number, score: number) => void): void {
  const needle = term.kind === 'cjk' ? term.token : term.prefix
  for (let i = lowerBound(shard.terms, needle); i < shard.terms.length; i++) {
    const token = shard.terms[i]!
    if (!token.startsWith(needle)) break
    const weight = matchWeight(term, token)
    if (weight === 0) continue
    decodePostings(shard.postings[i]!, (doc, value) => visit(doc, weight * postingScore(value)))
    if (term.kind === 'cjk') break
  }
}

/**
 * Every document matching all the terms, best first (BM25-like: idf × the posting's score, summed
 * over terms; ties go to the newer post). Reads the pointer, then the shards the terms live in, the
 * main documents table and the delta, in parallel (all cached in the isolate). The caller drops
 * posts that are not published (the index may lag a delete or a draft by a moment).
 */
export async function search(kv: KvReader, terms: readonly QueryTerm[], maxAgeMs = 0): Promise<SearchHit[]> {
  if (terms.length === 0) return []
  for (let attempt = 0; ; attempt++) {
    const pointer = await readPointer(kv, attempt === 0 ? maxAgeMs : 0)
    if (!pointer) return []
    try {
      return await searchIn(kv, pointer, terms)
    } catch (err) {
      if (!(err instanceof StaleIndexError) || attempt >= 1) throw err
    }
  }
}

async function searchIn(kv: KvReader, pointer: SearchPointer, terms: readonly QueryTerm[]): Promise<SearchHit[]> {
  const main = pointer.main
  const shardCount = main?.shards.length ?? 0
  const shardIndexes = main ? [...new Set(terms.map((t) => shardOfBucket(termBucket(t), shardCount)))] : []
  const [delta, docs, ...shardList] = await Promise.all([
    readSegment<DeltaSegment>(kv, pointer.delta),
    main ? readSegment<MainDocs>(kv, main.docs) : Promise.resolve<MainDocs>({ ids: [], dates: [] }),
    ...shardIndexes.map((n) => readSegment<Shard>(kv, SEARCH_KEYS.shard(n, main!.shards[n]!))),
  ])
  const shards = new Map(shardIndexes.map((n, i) => [n, shardList[i]!]))
  const superseded = new Set(delta.superseded)
  const dates = new Map<string, number>()

  // Per term: post id → best score among the term's tokens.
  const perTerm = terms.map((term) => {
    const scores = new Map<string, number>()
    const add = (id: string, date: number, score: number) => {
      const prev = scores.get(id)
      if (prev === undefined || score > prev) scores.set(id, score)
      dates.set(id, date)
    }
    if (main) {
      const shard = shards.get(shardOfBucket(termBucket(term), shardCount))!
      collect(shard, term, (doc, score) => {
        const id = docs.ids[doc]
        if (id !== undefined && !superseded.has(id)) add(id, docs.dates[doc] ?? 0, score)
      })
    }
    collect(delta, term, (doc, score) => {
      const id = delta.ids[doc]
      if (id !== undefined) add(id, delta.dates[doc] ?? 0, score)
    })
    return scores
  })

  const n = Math.max(pointer.total, 1)
  const idf = perTerm.map((scores) => Math.log(1 + (n - scores.size + 0.5) / (scores.size + 0.5)))
  const order = perTerm.map((_, i) => i).sort((a, b) => perTerm[a]!.size - perTerm[b]!.size)
  const rest = order.slice(1)
  const hits: SearchHit[] = []
  for (const [id, first] of perTerm[order[0]!]!) {
    let score = idf[order[0]!]! * first
    let all = true
    for (const i of rest) {
      const s = perTerm[i]!.get(id)
      if (s === undefined) {
        all = false
        break
      }
      score += idf[i]! * s
    }
    if (all) hits.push({ id, score, date: dates.get(id) ?? 0 })
  }
  return hits.sort((a, b) => b.score - a.score || b.date - a.date || (a.id < b.id ? -1 : 1))
}

/** The stored documents (title, tags, date, text) of these posts, in parallel; null where missing. */
export function readDocs(kv: KvReader, ids: readonly string[]): Promise<(SearchDoc | null)[]> {
  return Promise.all(ids.map((id) => kv.get<SearchDoc>(SEARCH_KEYS.doc(id), 'json')))
}
