import { MAX_ALIASES, normaliseAlias } from '../lib/aliases'
import { parseDate, type WallClock } from '../lib/dates'
import { stringifyFrontMatter } from '../render/front-matter'
import type { ImportedComment } from './formats'
import { normaliseId } from './wxr'
import { isPostId } from '../lib/slug'

/**
 * What the blog importers (posts.ts: WordPress; folder-posts.ts: Hexo, Hugo, Jekyll) produce: posts
 * as this blog's markdown files, and a report of what was converted, what was left out and why.
 */

/** This blog's front matter (src/schemas.ts), plus `aliases` (old URLs that answer 301 to the post). */
export interface PostFrontMatter {
  id: string
  title: string
  author?: string
  date?: string
  updated?: string
  category?: string
  category_slug?: string
  tags?: string[]
  tag_slugs?: Record<string, string>
  summary?: string
  draft?: boolean
  comments?: boolean
  series?: string
  type?: 'page'
  aliases?: string[]
}

export interface ConvertedPost {
  id: string
  /** Where it came from: `wordpress post 12`, or the file's path. */
  from: string
  frontMatter: PostFrontMatter
  /** Markdown. */
  body: string
  /** WordPress only: the post's comments, from the shared WXR comment parser. */
  comments: ImportedComment[]
}

export interface ImportReport {
  imported: { id: string; from: string; title: string; aliases: string[] }[]
  skipped: { source: string; reason: string }[]
  warnings: { source: string; message: string }[]
}

export interface Conversion {
  posts: ConvertedPost[]
  report: ImportReport
}

/** A converted post as the markdown file `PUT /api/posts/:id` takes (and `content/` holds). */
export function postMarkdown(post: ConvertedPost): string {
  const fm = post.frontMatter
  const ordered: Record<string, unknown> = {}
  for (const key of [
    'id',
    'title',
    'author',
    'date',
    'updated',
    'category',
    'category_slug',
    'tags',
    'tag_slugs',
    'series',
    'summary',
    'draft',
    'comments',
    'type',
    'aliases',
  ] as const) {
    const v = fm[key]
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue
    ordered[key] = v
  }
  return stringifyFrontMatter(ordered, post.body.trimEnd() + '\n')
}

/** The report of a conversion, from its posts (`skipped` and `warnings` collected on the way). */
export function reportOf(posts: ConvertedPost[], skipped: ImportReport['skipped'], warnings: ImportReport['warnings']): ImportReport {
  return {
    imported: posts.map((p) => ({ id: p.id, from: p.from, title: p.frontMatter.title, aliases: p.frontMatter.aliases ?? [] })),
    skipped,
    warnings,
  }
}

/**
 * Old addresses to redirect, in the form the blog stores them (src/lib/aliases.ts: a path starting
 * with `/`, percent-decoded, no trailing slash; a query only as `/?p=N` or `/?page_id=N`): scheme
 * and host dropped, the post's own address (`/archives/<id>`, a page's `/<id>`) and duplicates left
 * out. A path the blog refuses (one under its own routes, such as `/archives/…`) is left out and
 * reported through `warn`; so is any beyond the first MAX_ALIASES.
 */
export function cleanAliases(id: string, paths: (string | null | undefined)[], warn: (m: string) => void, page = false): string[] {
  const own = new Set([`/archives/${id}`, ...(page ? [`/${id}`] : [])])
  const out: string[] = []
  for (const raw of paths) {
    if (!raw) continue
    let p = raw.trim()
    if (/^https?:\/\//i.test(p)) {
      try {
        const u = new URL(p)
        p = u.pathname + u.search
      } catch {
        continue
      }
    }
    if (!p.startsWith('/')) p = '/' + p
    p = p.replace(/#.*$/, '').replace(/\/{2,}/g, '/')
    if (p === '/' || p === '') continue
    const result = normaliseAlias(p)
    if ('error' in result) {
      if (!own.has(safeDecode(p).replace(/\/+$/, ''))) warn(`old address not redirected: ${result.error}`)
      continue
    }
    if (own.has(result.path) || out.includes(result.path)) continue
    if (out.length >= MAX_ALIASES) {
      warn(`old address ${result.path} not redirected: at most ${MAX_ALIASES} per post`)
      continue
    }
    out.push(result.path)
  }
  return out
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** Hands out unique ids: the wanted one, else `<wanted>-2`, `-3`, … */
export class IdAllocator {
  private readonly taken = new Set<string>()
  private readonly perDay = new Map<string, number>()

  /** `wanted` must already be an id; returns it or a numbered variant. */
  claim(wanted: string): string {
    let id = wanted
    for (let n = 2; this.taken.has(id); n++) {
      const suffix = `-${n}`
      id = wanted.slice(0, 100 - suffix.length).replace(/-+$/, '') + suffix
    }
    this.taken.add(id)
    return id
  }

  /** For a name with no Latin letters or digits: `<day>-1`, `<day>-2`, … (e.g. 2019-05-01-1). */
  claimDay(day: string): string {
    let n = this.perDay.get(day) ?? 0
    let id: string
    do id = `${day}-${++n}`
    while (this.taken.has(id))
    this.perDay.set(day, n)
    this.taken.add(id)
    return id
  }
}

/** Whether `text` is already an id, else its normalised form ('' when nothing Latin is left). */
export function idFrom(text: string): { id: string; normalised: boolean } {
  const lower = text.trim()
  if (isPostId(lower)) return { id: lower, normalised: false }
  return { id: normaliseId(lower), normalised: true }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** `±HH:MM` for an offset in minutes. */
export function offsetText(minutes: number): string {
  const abs = Math.abs(minutes)
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

const LOOSE_DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i

/** The wall-clock parts of a date as written (`2019-05-01 10:00:00 +0800`, `2019/5/1`, ISO 8601). */
export interface WrittenDate extends WallClock {
  /** Minutes east of UTC when the text has an offset, else null. */
  offset: number | null
}

export function readDate(text: string): WrittenDate | null {
  const m = LOOSE_DATE.exec(text.trim())
  if (!m) return null
  const [, y, mo, d, h, mi, s, tz] = m
  let offset: number | null = null
  if (tz) {
    if (tz.toUpperCase() === 'Z') offset = 0
    else {
      const digits = tz.slice(1).replace(':', '')
      offset = (tz[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)))
    }
  }
  const w = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
    offset,
  }
  const check = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second))
  if (check.getUTCMonth() !== w.month - 1 || check.getUTCDate() !== w.day || w.hour > 23 || w.minute > 59 || w.second > 59) return null
  return w
}

/** `YYYY-MM-DD` of a written date. */
export function dayOf(w: WrittenDate): string {
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`
}

/**
 * A written date as this blog's front matter date: ISO 8601 with the offset it was written with,
 * else with the offset of `timeZone` at that time (the source's zone), else without an offset (the
 * blog's TIMEZONE then applies).
 */
export function frontMatterDate(w: WrittenDate, timeZone: string | null): string {
  const local = `${dayOf(w)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`
  if (w.offset !== null) return local + offsetText(w.offset)
  if (timeZone) {
    const ms = parseDate(local, timeZone)
    if (ms !== null) {
      const offset = Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - ms) / 60_000)
      return local + offsetText(offset)
    }
  }
  return local.replace('T', ' ')
}

/** Whether a time zone name is one Intl knows. */
export function knownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}
