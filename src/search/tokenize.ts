/**
 * Text → search tokens, shared by the index (SearchIndex object) and the query (Worker). Pure
 * functions, no Worker APIs.
 *
 * - Normalisation: NFKC (full-width Latin and digits, compatibility ideographs), lower case, Latin
 *   diacritics folded (é → e).
 * - Words: runs of letters and digits other than CJK; tokens of one character are not indexed.
 * - CJK (Han, kana, Hangul): Chinese has no spaces between words, so a run of CJK characters is
 *   indexed as its character bigrams plus its single characters (a one-character query works).
 * - A query word matches every indexed word that starts with its stem (light suffix stripping), so
 *   "converg", "convergence" and "converges" all find "converges" and "convergence". A CJK run in
 *   a query needs all its bigrams (or its one character).
 */

/** Tokens are made from these runs of the original text (offsets refer to it). */
const RUN =
  /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+)|((?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{N}\p{M}])+)/gu
const DIACRITICS = /[\u0300-\u036f]/g
const NOT_WORD = /[^\p{L}\p{N}]+/u
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

/** Indexed words longer than this are cut (a hash, a URL fragment): prefix queries still find them. */
export const MAX_WORD_LENGTH = 32
/** Query terms beyond this many are ignored (bounds the shards one search reads). */
export const MAX_QUERY_TERMS = 8

/** NFKC, lower case, Latin diacritics folded. */
export function normalize(text: string): string {
  const s = text.normalize('NFKC').toLowerCase()
  // Only decompose when there is something to fold (NFD/NFC on every token would cost time).
  if (!/[^\u0000-\u007f]/.test(s)) return s
  return s.normalize('NFD').replace(DIACRITICS, '').normalize('NFC')
}

export function isCjkToken(token: string): boolean {
  return CJK_CHAR.test(token)
}

/** One token with where it came from in the original text. */
export interface Span {
  token: string
  start: number
  end: number
  /** A CJK bigram or unigram (else a word). */
  cjk: boolean
}

/** Splits a CJK run (already normalised, one code point per element) into unigrams and bigrams. */
function cjkGrams(chars: string[], offsets: number[], end: number, out: Span[]): void {
  for (let i = 0; i < chars.length; i++) {
    const next = i + 1 < chars.length ? offsets[i + 1]! : end
    out.push({ token: chars[i]!, start: offsets[i]!, end: next, cjk: true })
    if (i + 1 < chars.length) {
      const after = i + 2 < chars.length ? offsets[i + 2]! : end
      out.push({ token: chars[i]! + chars[i + 1]!, start: offsets[i]!, end: after, cjk: true })
    }
  }
}

/**
 * Every token of a text with its offsets: words (≥ 2 characters after normalisation) and CJK
 * unigrams + bigrams. Used for indexing (tokens only) and for snippets (offsets).
 */
export function spans(text: string): Span[] {
  const out: Span[] = []
  for (const m of text.matchAll(RUN)) {
    const start = m.index
    const end = start + m[0].length
    if (m[1] !== undefined) {
      const chars: string[] = []
      const offsets: number[] = []
      let pos = start
      for (const ch of m[1]) {
        // NFKC of one CJK character is one character (compatibility ideographs, half-width kana).
        chars.push(ch.normalize('NFKC'))
        offsets.push(pos)
        pos += ch.length
      }
      cjkGrams(chars, offsets, end, out)
    } else {
      // NFKC can turn one character into several (㎏ → kg, ½ → 1⁄2): split again after it.
      for (const piece of normalize(m[0]).split(NOT_WORD)) {
        if ([...piece].length < 2) continue
        out.push({ token: piece.length > MAX_WORD_LENGTH ? piece.slice(0, MAX_WORD_LENGTH) : piece, start, end, cjk: false })
      }
    }
  }
  return out
}

/** The tokens of a text with their counts. */
export function termCounts(text: string, into: Map<string, number> = new Map()): Map<string, number> {
  for (const s of spans(text)) into.set(s.token, (into.get(s.token) ?? 0) + 1)
  return into
}

/** A search term: an exact CJK token, or a word matched by prefix. */
export type QueryTerm =
  | { kind: 'cjk'; token: string }
  /** `word` is the normalised query word (an exact match ranks higher); `prefix` its stem. */
  | { kind: 'word'; word: string; prefix: string }

/** English suffixes removed from a query word before prefix matching, longest first. */
const SUFFIXES = [
  'ational',
  'ization',
  'fulness',
  'iveness',
  'ations',
  'ation',
  'ments',
  'ement',
  'ences',
  'ances',
  'ities',
  'ness',
  'ment',
  'ence',
  'ance',
  'ings',
  'ions',
  'ical',
  'ents',
  'ants',
  'ity',
  'ing',
  'ion',
  'ies',
  'ied',
  'ers',
  'est',
  'ent',
  'ant',
  'er',
  'es',
  'ed',
  'ly',
  'al',
  's',
  'e',
  'y',
]
/** A stem keeps at least this many characters. */
const MIN_STEM = 4

/**
 * A light stemmer for prefix matching: strips one common English suffix when at least MIN_STEM
 * characters remain. Only Latin words are stemmed; it needs no dictionary because the stem is
 * matched as a prefix (convergence → converg, which finds converges, converging, convergent).
 */
export function stem(word: string): string {
  if (!/^[a-z]+$/.test(word)) return word
  for (const suffix of SUFFIXES) {
    if (word.length - suffix.length >= MIN_STEM && word.endsWith(suffix)) return word.slice(0, -suffix.length)
  }
  return word
}

/**
 * The terms of a query, deduplicated, at most MAX_QUERY_TERMS. Words become prefix terms; a CJK
 * run becomes its bigrams (all must match), or its character when it is one character long.
 * One-letter words are dropped (they are not indexed).
 */
export function parseQuery(query: string): QueryTerm[] {
  const terms: QueryTerm[] = []
  const seen = new Set<string>()
  const add = (key: string, term: QueryTerm) => {
    if (seen.has(key) || terms.length >= MAX_QUERY_TERMS) return
    seen.add(key)
    terms.push(term)
  }
  for (const m of query.matchAll(RUN)) {
    if (m[1] !== undefined) {
      const chars = [...m[1]].map((ch) => ch.normalize('NFKC'))
      if (chars.length === 1) add(`c:${chars[0]}`, { kind: 'cjk', token: chars[0]! })
      for (let i = 0; i + 1 < chars.length; i++) {
        const token = chars[i]! + chars[i + 1]!
        add(`c:${token}`, { kind: 'cjk', token })
      }
    } else {
      for (const piece of normalize(m[0]).split(NOT_WORD)) {
        if ([...piece].length < 2) continue
        const word = piece.length > MAX_WORD_LENGTH ? piece.slice(0, MAX_WORD_LENGTH) : piece
        add(`w:${word}`, { kind: 'word', word, prefix: stem(word) })
      }
    }
  }
  return terms
}

/** Whether an indexed token matches a query term (and how well: 1 exact, less for a longer word). */
export function matchWeight(term: QueryTerm, token: string): number {
  if (term.kind === 'cjk') return token === term.token ? 1 : 0
  if (token === term.word) return 1
  if (!token.startsWith(term.prefix)) return 0
  return PREFIX_WEIGHT
}

/** A word found through its stem or as a longer word counts this much of an exact match. */
export const PREFIX_WEIGHT = 0.6

/**
 * 32 bits of FNV-1a over UTF-16 code units: the same in the object and the Worker.
 */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Buckets per index; a segment's shard holds a contiguous range of buckets. */
export const BUCKETS = 1024

/**
 * A token's bucket: words by their first two characters (so every word a prefix can match is in one
 * bucket), CJK tokens by the whole token.
 */
export function bucketOf(token: string): number {
  if (isCjkToken(token)) return fnv1a(token) % BUCKETS
  return fnv1a(token.slice(0, 2)) % BUCKETS
}

/** The bucket a query term's tokens live in. */
export function termBucket(term: QueryTerm): number {
  return term.kind === 'cjk' ? bucketOf(term.token) : bucketOf(term.prefix)
}

/** The shard of a bucket when a segment has `shards` shards (a power of two ≤ BUCKETS). */
export function shardOfBucket(bucket: number, shards: number): number {
  return Math.floor((bucket * shards) / BUCKETS)
}
