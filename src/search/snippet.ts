import { escapeHtml } from '../render/escape'
import { matchWeight, spans, type QueryTerm } from './tokenize'

/** Characters of text around the matches that a snippet shows. */
export const SNIPPET_CHARS = 180
/** How far into a post the snippet looks for matches with a full tokenisation (the fast path looks everywhere). */
const SCAN_CHARS = 40_000

type Range = [start: number, end: number]

/** The ranges of `text` (from `offset`) that match a query term, merged and in order. */
function matchRanges(text: string, terms: readonly QueryTerm[], offset = 0): Range[] {
  const ranges: Range[] = []
  for (const s of spans(text)) {
    if (!terms.some((t) => t.kind === (s.cjk ? 'cjk' : 'word') && matchWeight(t, s.token) > 0)) continue
    const last = ranges[ranges.length - 1]
    if (last && s.start + offset <= last[1]) last[1] = Math.max(last[1], s.end + offset)
    else ranges.push([s.start + offset, s.end + offset])
  }
  return ranges
}

/** Escaped text with the ranges (absolute offsets within [from, to)) in <mark>. */
function markUp(text: string, ranges: readonly Range[], from: number, to: number): string {
  let html = ''
  let pos = from
  for (const [a, b] of ranges) {
    const start = Math.max(a, from)
    const end = Math.min(b, to)
    if (end <= start) continue
    html += escapeHtml(text.slice(pos, start)) + '<mark>' + escapeHtml(text.slice(start, end)) + '</mark>'
    pos = end
  }
  return html + escapeHtml(text.slice(pos, to))
}

/** A title (or any short text) as escaped HTML with its matches in <mark>. */
export function highlight(text: string, terms: readonly QueryTerm[]): string {
  return markUp(text, matchRanges(text, terms), 0, text.length)
}

/** Candidate places of a match: where a term's token (or a word's stem) occurs, found by plain search. */
function roughHits(text: string, terms: readonly QueryTerm[]): number[] {
  const lower = text.toLowerCase()
  // Lower-casing changed lengths (rare letters such as İ): offsets would not line up.
  if (lower.length !== text.length) return []
  const hits: number[] = []
  for (const t of terms) {
    const needle = t.kind === 'cjk' ? t.token : t.prefix
    for (let at = lower.indexOf(needle), n = 0; at >= 0 && n < 50; at = lower.indexOf(needle, at + 1), n++) hits.push(at)
  }
  return hits.sort((a, b) => a - b)
}

/** Start of the window of SNIPPET_CHARS that covers the most candidate places. */
function bestWindow(hits: readonly number[]): number {
  let best = hits[0]!
  let bestCount = 0
  let k = 0
  for (let i = 0; i < hits.length; i++) {
    if (k < i) k = i
    while (k < hits.length && hits[k]! < hits[i]! + SNIPPET_CHARS * 0.75) k++
    if (k - i > bestCount) {
      bestCount = k - i
      best = hits[i]!
    }
  }
  return best
}

/** Moves a cut to a nearby space (Latin text) and never into a surrogate pair. */
function cut(text: string, at: number, direction: -1 | 1): number {
  let pos = Math.max(0, Math.min(text.length, at))
  for (let i = 0; i < 12; i++) {
    const p = pos + i * direction
    if (p <= 0 || p >= text.length) break
    if (/\s/.test(text[p]!)) return direction < 0 ? p + 1 : p
  }
  const code = text.charCodeAt(pos)
  if (code >= 0xdc00 && code <= 0xdfff) pos += direction < 0 ? -1 : 1
  return pos
}

/**
 * A snippet of the post's text around its best cluster of matches, as escaped HTML with the matches
 * in <mark> and "…" where the text was cut. Without a match in the text, its beginning.
 */
export function snippet(text: string, terms: readonly QueryTerm[]): string {
  const flat = text.replace(/\s+/g, ' ')
  const hits = roughHits(flat, terms)
  let center: number
  if (hits.length > 0) {
    center = bestWindow(hits)
  } else {
    // Matches only after normalisation (é for e, full-width letters): tokenise the beginning.
    center = matchRanges(flat.slice(0, SCAN_CHARS), terms)[0]?.[0] ?? 0
  }
  let from = cut(flat, center - 40, -1)
  if (center - from > 60 || from > center) from = Math.max(0, center - 40)
  if (flat.length - from < SNIPPET_CHARS) from = cut(flat, flat.length - SNIPPET_CHARS, -1)
  const to = cut(flat, from + SNIPPET_CHARS, 1)
  // Tokenise a little around the window, so a word cut by it is still judged whole.
  const lo = Math.max(0, from - 40)
  const hi = Math.min(flat.length, to + 40)
  const ranges = matchRanges(flat.slice(lo, hi), terms, lo)
  return (from > 0 ? '…' : '') + markUp(flat, ranges, from, to).trim() + (to < flat.length ? '…' : '')
}
