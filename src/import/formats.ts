import * as z from 'zod'
import { isHttpUrl } from '../render/safe-url'
import { isPostId } from '../lib/slug'
import { CONTROL } from '../schemas'
import { toWellFormed } from '../lib/unicode'
import { htmlToMarkdown, isElement, plainText } from './html-to-markdown'
import { readWxr, WxrReadError, wxrField as field, type WxrDocument } from './wxr'
import { parseDocument } from 'htmlparser2'
import type { Element } from 'domhandler'

/**
 * Parsers for the comment exports that blogs really produce, so that a blog can bring its
 * comments along:
 *
 * - Waline: the admin panel's export (`GET /api/db`, packages/server/src/controller/db.js): `{ type:
 *   'waline', version, time, tables, data: { Comment, Counter, Users } }`, or a bare array of
 *   Comment rows. Comment bodies are markdown. A Counter row (`wl_Counter`, assets/waline.sql) is
 *   `{ objectId, url, time, reaction0…reaction8, createdAt, updatedAt }`: `time` is the page's
 *   views (NULL for a page only reacted to); the reactions are not taken. Ids, user ids and dates differ by storage: numbers
 *   and `YYYY-MM-DD HH:MM:SS` (MySQL, SQLite, PostgreSQL), 24-hex strings and ISO dates (MongoDB),
 *   `{"__type":"Date","iso":…}` (LeanCloud), `{"$date":…}` (Mongo extended JSON).
 * - Twikoo: the admin panel's export (`COMMENT_EXPORT_FOR_ADMIN`, collection `comment`): an array
 *   of comment documents, also accepted as the API response `{code, data: [...]}`, as
 *   `{results: [...]}` and as one JSON document per line (mongoexport, with `{"$oid"}` ids and
 *   `{"$numberLong"}` numbers). Comment bodies are HTML. The admin panel's other export button
 *   (导出访问量, `COMMENT_EXPORT_FOR_ADMIN` with `collection: 'counter'`, src/client/view/components/
 *   TkAdminExport.vue) saves the `counter` collection as a separate file, an array of `{ _id, url,
 *   title, time, created, updated }` (`time`: the page's views, server incCounter): a row with
 *   `time` and no `comment` is read as a counter, in either file.
 * - Artalk: its Artrans export (`artalk export`, the admin panel's 导出, or artransfer's output from
 *   another system): an array of comments whose values are all strings (`id`, `rid` — the comment
 *   answered, "0" for none —, `content` in markdown, `date` as Go writes a time, `2021-10-28
 *   20:50:15 +0800 +0800`, `nick`, `email`, `link`, `page_key` — the page's URL or path —,
 *   `is_pending`, `badge_name`, `vote_up` as its likes, `is_pinned`; `vote_down`, `ip` and `ua` are
 *   not taken). Artrans carries no view counts (internal/entity/artran.go: a page's `pv` stays in
 *   Artalk's pages table).
 * - WordPress: WXR 1.x (wp-admin/includes/export.php): RSS with `wp:` elements, one `<item>` per
 *   post, page or attachment, its comments as `<wp:comment>` children. Bodies are HTML with the
 *   bare newlines WordPress turns into paragraphs only when it displays them. WXR has no view counts.
 * - Disqus: the export its admin mails (Moderation → Export, a gzipped XML file, `<disqus
 *   xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">`): `<category>`s, one
 *   `<thread dsq:id>` per page (its `<link>` is the page's URL, its `<title>`, `<id>` the site's own
 *   identifier, often empty) and one `<post dsq:id>` per comment, beside the threads (its `<thread
 *   dsq:id>` names the page, `<parent dsq:id>` the comment answered; `<message>` is HTML;
 *   `<createdAt>` ISO 8601 in UTC; `<author>` with `<name>`, `<username>` and, in older exports,
 *   `<email>`; `<isDeleted>`, `<isSpam>`). Other tools' files in this format that prefix every element
 *   (`<d:post i:id>`) are read alike. Links through `disq.us/url` are unwrapped. `<ipAddress>` is never read. No view counts.
 *
 * Everything is returned in one normalised shape; bodies are converted to markdown. Input that is
 * not the named format throws ImportFormatError with a message naming the problem; single items
 * that cannot be used are returned in `skipped` with a reason.
 */

export type ImportFormat = 'waline' | 'twikoo' | 'artalk' | 'wxr' | 'disqus'

export interface ImportedComment {
  /** The id in the source system: Waline objectId, Twikoo _id, WordPress comment_id, Disqus post dsq:id. */
  sourceId: string
  /** The direct parent's sourceId, or null for a top-level comment. May name a comment absent from the result (skipped, or not exported). */
  parentSourceId: string | null
  /** Where the comment belongs as the source names it: a Waline/Twikoo `url` path, or the WordPress post's slug. */
  postRef: string
  author: string
  email: string | null
  url: string | null
  /** Markdown. */
  body: string
  /** Epoch milliseconds. */
  createdAt: number
  status: 'approved' | 'pending' | 'spam'
  admin: boolean
  /** Its likes in the source (Waline `like`, Twikoo `ups`, Artalk `vote_up`); absent for none. */
  likes?: number
  /** Pinned in the source (Waline `sticky`, Twikoo `top`, Artalk `is_pinned`); absent if not. */
  pinned?: true
}

export interface ImportedPost {
  sourceId: string
  slug: string
  title: string
  date: number
  author: string
  status: 'published' | 'draft'
  categories: string[]
  tags: string[]
  bodyMarkdown: string
}

/**
 * A page's view counter in the source (Waline's `data.Counter` row, Twikoo's `counter` document):
 * how many times the page was read there. Rows counting nothing (0, or no `time`) are left out.
 */
export interface ImportedCounter {
  /** The row's id in the source (Waline objectId, Twikoo _id), or its URL when it has none: for the report. */
  sourceId: string
  /** The page's URL or path as the source names it (the same `url` its comments carry); it also identifies the counter. */
  postRef: string
  /** The page's view count there: a whole number from 1 to MAX_IMPORTED_VIEWS. */
  views: number
}

export interface ImportResult {
  posts: ImportedPost[]
  comments: ImportedComment[]
  skipped: { sourceId: string; reason: string }[]
  /** Page view counters (Waline and Twikoo; Artrans and WXR carry none), one per page URL. */
  counters: ImportedCounter[]
}

/** The input is not the named export format (or not readable at all). */
export class ImportFormatError extends Error {
  override name = 'ImportFormatError'
}

/** More comments than this in one file is refused (and more counter rows than this). */
export const MAX_IMPORT_COMMENTS = 100_000

/** A page's imported view count may be at most this; more is not a blog's count and the file is refused. */
export const MAX_IMPORTED_VIEWS = 1_000_000_000

const AUTHOR_MAX = 50
const EMAIL_MAX = 254
const URL_MAX = 300

const LABELS: Record<ImportFormat, string> = {
  waline: 'Waline export',
  twikoo: 'Twikoo export',
  artalk: 'Artalk export (Artrans)',
  wxr: 'WordPress export (WXR)',
  disqus: 'Disqus export',
}

function fail(format: ImportFormat, message: string): never {
  throw new ImportFormatError(`${LABELS[format]}: ${message}`)
}

// ---------------------------------------------------------------------------------------------
// Field normalisation

// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\s\u0000-\u001f\u007f]+/g

function cleanAuthor(name: string | null | undefined): string {
  const flat = (name ?? '').replace(CONTROL_OR_SPACE, ' ').trim()
  const cut = Array.from(flat).slice(0, AUTHOR_MAX).join('').trim()
  return cut || 'Anonymous'
}

/** Lower-cased; null when empty or not an address at all (no `@`, spaces or control characters, too long). */
function cleanEmail(mail: string | null | undefined): string | null {
  const m = (mail ?? '').trim().toLowerCase()
  if (!m || m.length > EMAIL_MAX || !/^[^\s@\u0000-\u001f\u007f]+@[^\s@\u0000-\u001f\u007f]+$/.test(m)) return null
  return m
}

/** Only absolute http(s) URLs of at most 300 characters (the comment form's limit), without control characters, are kept. */
function cleanUrl(link: string | null | undefined): string | null {
  const u = (link ?? '').trim()
  return u && u.length <= URL_MAX && !/[\u0000-\u001f\u007f]/.test(u) && isHttpUrl(u) ? u : null
}

function idText(id: string | number | { $oid: string } | null | undefined): string | null {
  if (id === null || id === undefined) return null
  const s = (typeof id === 'object' ? id.$oid : String(id)).trim()
  return s === '' || s === '0' ? null : s
}

const SQL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/
const ISO_ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i
const MAX_EPOCH_MS = 8.64e15

/** `YYYY-MM-DD HH:MM:SS` read as UTC; null for '0000-00-00 00:00:00' and impossible dates. */
export function parseUtcDateTime(text: string): number | null {
  const m = SQL_DATETIME.exec(text.trim())
  if (!m) return null
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number]
  const ms = Math.round(Number(`0.${m[7] ?? '0'}`) * 1000)
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms))
  date.setUTCFullYear(y)
  if (date.getUTCDate() !== d || date.getUTCMonth() !== mo - 1) return null
  return date.getTime()
}

/** Every date form the exports use → epoch ms; null when absent or unreadable. */
function dateValue(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 && v < MAX_EPOCH_MS ? Math.trunc(v) : null
  if (typeof v === 'string') {
    const t = v.trim()
    if (/^\d{1,16}$/.test(t)) return dateValue(Number(t))
    if (ISO_ZONED.test(t)) {
      const ms = Date.parse(t)
      return Number.isNaN(ms) ? null : ms
    }
    return parseUtcDateTime(t)
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>
    if ('$date' in o) return dateValue(o.$date)
    if ('$numberLong' in o) return dateValue(o.$numberLong)
    if (o.__type === 'Date' && 'iso' in o) return dateValue(o.iso)
  }
  return null
}

function firstDate(...values: unknown[]): number | null {
  for (const v of values) {
    const ms = dateValue(v)
    if (ms !== null) return ms
  }
  return null
}

// ---------------------------------------------------------------------------------------------
// Shared plumbing

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key)
  return out
}

/** Validates one row, throwing ImportFormatError that names the row and field. */
function parseRow<T>(format: ImportFormat, schema: z.ZodType<T>, row: unknown, where: string): T {
  const result = schema.safeParse(row)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const path = formatPath(issue.path)
  fail(format, `${where}${path ? (path.startsWith('[') ? path : '.' + path) : ''} ${issue.message}`)
}

function checkCount(format: ImportFormat, n: number, what = 'comments'): void {
  if (n > MAX_IMPORT_COMMENTS) fail(format, `${n} ${what} is more than the ${MAX_IMPORT_COMMENTS} one import may hold`)
}

/**
 * A counter row's view count (`where` names the field): a whole number from 0 to
 * MAX_IMPORTED_VIEWS, as a number, its digits, or Mongo's `{"$numberInt"|"$numberLong": "…"}`;
 * absent or null is 0. Anything else refuses the file, naming the field.
 */
function viewCount(format: ImportFormat, v: unknown, where: string): number {
  if (v === null || v === undefined) return 0
  let n: unknown = v
  if (typeof v === 'string' && /^\s*\d{1,16}\s*$/.test(v)) n = Number(v)
  else if (isRecord(v) && Object.keys(v).length === 1 && (typeof v.$numberInt === 'string' || typeof v.$numberLong === 'string'))
    n = /^\d{1,16}$/.test(String(v.$numberInt ?? v.$numberLong)) ? Number(v.$numberInt ?? v.$numberLong) : NaN
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_IMPORTED_VIEWS) return n
  const shown = JSON.stringify(v)
  fail(
    format,
    `${where} must be a whole number of views from 0 to ${MAX_IMPORTED_VIEWS} (it is ${shown === undefined ? String(v) : shown.slice(0, 40)})`,
  )
}

/** The counters with views, one per page URL (a URL twice: the larger count), in the file's order. */
function finishCounters(rows: ImportedCounter[]): ImportedCounter[] {
  const byRef = new Map<string, ImportedCounter>()
  for (const r of rows) {
    if (r.views <= 0) continue
    const seen = byRef.get(r.postRef)
    if (!seen || r.views > seen.views) byRef.set(r.postRef, r)
  }
  return [...byRef.values()]
}

type Draft = Omit<ImportedComment, 'createdAt'> & { createdAt: number | null }

/** A source's pin flag (true, 1, "true" or "1") as `{pinned: true}`, else nothing. */
function pinnedOf(v: unknown): { pinned?: true } {
  return isFlagSet(v) ? { pinned: true } : {}
}

/** A source's flag: true, 1, or the text "true" / "1" (Artrans writes every value as text). */
function isFlagSet(v: unknown): boolean {
  return v === true || v === 1 || (typeof v === 'string' && /^(?:true|1)$/i.test(v.trim()))
}

/** A source's like count (a number, its text, or the list of who liked) as `{likes}`, or nothing for none or nonsense. */
function likesOf(v: unknown): { likes?: number } {
  const n = Array.isArray(v) ? v.length : typeof v === 'string' && /^\s*\d{1,9}\s*$/.test(v) ? Number(v) : v
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 1e9 ? { likes: n } : {}
}

/**
 * An imported text without what a reader's comment may not hold either: control characters (tab and
 * newline kept; carriage returns become newlines) and halves of a surrogate pair.
 */
function cleanImported(text: string): string {
  return toWellFormed(text.replace(/\r\n?/g, '\n').replace(new RegExp(CONTROL.source, 'g'), ''))
}

/** Common checks and ordering: one comment per id, a date, a place and a body; oldest first. */
function finish(drafts: Draft[], posts: ImportedPost[], skipped: ImportResult['skipped'], counters: ImportedCounter[] = []): ImportResult {
  const seen = new Set<string>()
  const comments: ImportedComment[] = []
  for (const d of drafts) {
    const body = cleanImported(d.body)
    let reason: string | null = null
    if (seen.has(d.sourceId)) reason = 'duplicate id'
    else if (d.createdAt === null) reason = 'no readable date'
    else if (!d.postRef) reason = 'no page or post to attach it to'
    else if (!body.trim()) reason = 'empty body'
    seen.add(d.sourceId)
    if (reason) {
      skipped.push({ sourceId: d.sourceId, reason })
      continue
    }
    comments.push({
      ...d,
      author: cleanImported(d.author)
        .replace(/[\t\n]+/g, ' ')
        .trim(),
      body,
      parentSourceId: d.parentSourceId === d.sourceId ? null : d.parentSourceId,
      createdAt: d.createdAt!,
    })
  }
  // Stable: ties keep the file's order. Parents are older than their replies, so they come first.
  comments.sort((a, b) => a.createdAt - b.createdAt)
  return { posts, comments, skipped, counters: finishCounters(counters) }
}

function parseJson(format: ImportFormat, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    fail(format, `not valid JSON (${e instanceof Error ? e.message : String(e)})`)
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const requiredId = z.union([z.string(), z.number()], {
  error: (iss) => (iss.input === undefined ? 'is missing' : 'must be a string or a number'),
})
const optionalId = z.union([z.string(), z.number()], { error: () => 'must be a string or a number' }).nullish()
const optionalText = z.string({ error: () => 'must be a string' }).nullish()

// ---------------------------------------------------------------------------------------------
// Waline

const walineCommentSchema = z.lazy(() =>
  z.object({
    objectId: requiredId,
    nick: optionalText,
    mail: optionalText,
    link: optionalText,
    comment: optionalText,
    url: optionalText,
    pid: optionalId,
    rid: optionalId,
    user_id: optionalId,
    status: optionalText,
    like: z.unknown().optional(),
    sticky: z.unknown().optional(),
    insertedAt: z.unknown().optional(),
    createdAt: z.unknown().optional(),
  }),
)

const walineUserSchema = z.lazy(() => z.object({ objectId: requiredId, type: optionalText }))

/** A Waline Counter row: `time` is the page's views; reaction0…reaction8 are not taken (they do not map onto this blog's reactions). */
const walineCounterSchema = z.lazy(() => z.object({ objectId: optionalId, url: optionalText, time: z.unknown().optional() }))

function parseWaline(text: string): ImportResult {
  const doc = parseJson('waline', text)
  let rows: unknown[]
  let users: unknown[] = []
  let counterRows: unknown[] = []
  let where = ''
  if (Array.isArray(doc)) {
    rows = doc
  } else if (isRecord(doc)) {
    // The HTTP API wraps the export in { errno, errmsg, data }; the admin panel saves what is inside.
    const exp = 'errno' in doc && isRecord(doc.data) && 'type' in doc.data ? doc.data : doc
    if (exp.type !== undefined && exp.type !== 'waline') fail('waline', `type is ${JSON.stringify(exp.type)}, not "waline"`)
    if (!isRecord(exp.data)) fail('waline', 'data is missing (expected { type: "waline", data: { Comment: [...] } })')
    if (exp.data.Comment === undefined) fail('waline', 'data.Comment is missing')
    if (!Array.isArray(exp.data.Comment)) fail('waline', 'data.Comment is not an array')
    rows = exp.data.Comment
    if (exp.data.Users !== undefined && exp.data.Users !== null) {
      if (!Array.isArray(exp.data.Users)) fail('waline', 'data.Users is not an array')
      users = exp.data.Users
    }
    if (exp.data.Counter !== undefined && exp.data.Counter !== null) {
      if (!Array.isArray(exp.data.Counter)) fail('waline', 'data.Counter is not an array')
      counterRows = exp.data.Counter
    }
    where = 'data.Comment'
  } else {
    fail('waline', 'expected the export object or an array of comments')
  }
  checkCount('waline', rows.length)
  checkCount('waline', counterRows.length, 'counter rows')

  const admins = new Set<string>()
  users.forEach((u, i) => {
    const user = parseRow('waline', walineUserSchema, u, `data.Users[${i}]`)
    if (user.type === 'administrator') admins.add(String(user.objectId))
  })

  const drafts: Draft[] = rows.map((r, i) => {
    const row = parseRow('waline', walineCommentSchema, r, `${where}[${i}]`)
    const userId = idText(row.user_id)
    return {
      sourceId: String(row.objectId),
      parentSourceId: idText(row.pid),
      postRef: (row.url ?? '').trim(),
      author: cleanAuthor(row.nick),
      email: cleanEmail(row.mail),
      url: cleanUrl(row.link),
      body: (row.comment ?? '').replace(/\r\n?/g, '\n').trim(),
      // insertedAt is the comment's own time (kept across migrations); createdAt is the row's.
      createdAt: firstDate(row.insertedAt, row.createdAt),
      // Waline shows every comment whose status is not 'waiting' or 'spam'.
      status: row.status === 'spam' ? 'spam' : row.status === 'waiting' ? 'pending' : 'approved',
      admin: userId !== null && admins.has(userId),
      ...likesOf(row.like),
      ...pinnedOf(row.sticky),
    }
  })
  const counters = counterRows.map((r, i): ImportedCounter => {
    const row = parseRow('waline', walineCounterSchema, r, `data.Counter[${i}]`)
    const postRef = (row.url ?? '').trim()
    return { sourceId: idText(row.objectId) ?? postRef, postRef, views: viewCount('waline', row.time, `data.Counter[${i}].time`) }
  })
  return finish(drafts, [], [], counters)
}

// ---------------------------------------------------------------------------------------------
// Twikoo

const mongoId = z.union([z.string(), z.object({ $oid: z.string() })], {
  error: (iss) => (iss.input === undefined ? 'is missing' : 'must be a string or {"$oid": …}'),
})

const twikooCommentSchema = z.lazy(() =>
  z.object({
    _id: mongoId,
    nick: optionalText,
    mail: optionalText,
    link: optionalText,
    comment: optionalText,
    url: optionalText,
    href: optionalText,
    pid: mongoId.nullish(),
    rid: mongoId.nullish(),
    isSpam: z.boolean({ error: () => 'must be true or false' }).nullish(),
    master: z.boolean({ error: () => 'must be true or false' }).nullish(),
    ups: z.unknown().optional(),
    top: z.unknown().optional(),
    created: z.unknown().optional(),
    updated: z.unknown().optional(),
  }),
)

/** A document of Twikoo's `counter` collection (its admin panel's 导出访问量): `time` is the page's views. */
const twikooCounterSchema = z.lazy(() =>
  z.object({ _id: mongoId.nullish(), url: optionalText, title: optionalText, time: z.unknown().optional() }),
)

/** A row of the `counter` collection rather than a comment: it has `time` and no `comment`. */
function isTwikooCounter(row: unknown): boolean {
  return isRecord(row) && 'time' in row && !('comment' in row)
}

/** mongoexport writes one document per line. */
function parseJsonLines(text: string): unknown[] {
  const docs: unknown[] = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (!line) continue
    let doc: unknown
    try {
      doc = JSON.parse(line)
    } catch {
      fail('twikoo', `line ${i + 1} is not valid JSON (expected an array of comments, or one comment per line)`)
    }
    if (!isRecord(doc)) fail('twikoo', `line ${i + 1} is not a comment object`)
    docs.push(doc)
  }
  return docs
}

function pathOf(href: string | null | undefined): string {
  try {
    return href ? new URL(href).pathname : ''
  } catch {
    return ''
  }
}

function parseTwikoo(text: string): ImportResult {
  const trimmed = text.trim()
  let doc: unknown
  if (trimmed.startsWith('{')) {
    // One object (an API response), or one comment per line.
    try {
      doc = JSON.parse(trimmed)
    } catch {
      doc = parseJsonLines(trimmed)
    }
  } else {
    doc = parseJson('twikoo', trimmed)
  }
  let rows: unknown[]
  if (Array.isArray(doc)) rows = doc
  else if (isRecord(doc) && Array.isArray(doc.data))
    rows = doc.data // the API's { code, data } response
  else if (isRecord(doc) && Array.isArray(doc.results)) rows = doc.results
  else if (isRecord(doc) && '_id' in doc) rows = [doc]
  else fail('twikoo', 'expected the array of comments that the admin panel exports (or of its counters)')
  checkCount('twikoo', rows.length)

  // The admin panel exports comments (twikoo-comment.json) and view counters (twikoo-counter.json)
  // as two files; either, or both put together, is taken. Each row keeps its place in the file.
  const counters: ImportedCounter[] = []
  const drafts: Draft[] = []
  rows.forEach((r, i) => {
    if (isTwikooCounter(r)) {
      const row = parseRow('twikoo', twikooCounterSchema, r, `[${i}]`)
      const postRef = (row.url ?? '').trim()
      counters.push({ sourceId: idText(row._id) ?? postRef, postRef, views: viewCount('twikoo', row.time, `[${i}].time`) })
      return
    }
    const row = parseRow('twikoo', twikooCommentSchema, r, `[${i}]`)
    const sourceId = idText(row._id) ?? ''
    if (!sourceId) fail('twikoo', `[${i}]._id is empty`)
    drafts.push({
      sourceId,
      // pid is the comment replied to; Twikoo fills it with rid for a reply to the thread's root.
      parentSourceId: idText(row.pid) ?? idText(row.rid),
      postRef: (row.url ?? '').trim() || pathOf(row.href),
      author: cleanAuthor(row.nick),
      email: cleanEmail(row.mail),
      url: cleanUrl(row.link),
      body: htmlToMarkdown(row.comment ?? ''),
      createdAt: firstDate(row.created, row.updated),
      status: row.isSpam === true ? 'spam' : 'approved',
      admin: row.master === true,
      // ups: who liked it.
      ...likesOf(row.ups),
      // top: pinned (置顶).
      ...pinnedOf(row.top),
    })
  })
  return finish(drafts, [], [], counters)
}

// ---------------------------------------------------------------------------------------------
// Artalk (its Artrans export: `artalk export`, or the admin panel's 导出)

/** Artrans writes every value as a string; older tools wrote numbers and booleans. */
const artransValue = z.union([z.string(), z.number(), z.boolean()], { error: () => 'must be a string, number or boolean' }).nullish()

const artalkCommentSchema = z.lazy(() =>
  z.object({
    id: requiredId,
    rid: artransValue,
    content: optionalText,
    date: artransValue,
    created_at: artransValue,
    nick: optionalText,
    email: optionalText,
    link: optionalText,
    page_key: optionalText,
    is_pending: artransValue,
    badge_name: optionalText,
    vote_up: artransValue,
    is_pinned: artransValue,
  }),
)

/** Artalk's badge for its administrators (a guest has none); a site may have named it otherwise. */
const ARTALK_ADMIN_BADGES = new Set(['管理员', '管理員', 'admin', 'administrator', '博主', 'author'])

/**
 * An Artrans date: Go's time text, `2021-10-28 20:50:15 +0800 +0800` or `… +0800 CST` (the offset
 * kept, the zone's name dropped), an ISO date, or epoch ms; without an offset, UTC.
 */
function artalkDate(v: unknown): number | null {
  if (typeof v === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?) ([+-])(\d{2}):?(\d{2})(?: \S+)?$/.exec(v.trim())
    if (m) {
      const local = parseUtcDateTime(`${m[1]} ${m[2]}`)
      // (Offsets run from -12:00 to +14:00.)
      if (local === null || Number(m[4]) > 14 || Number(m[5]) > 59) return null
      const offset = (Number(m[4]) * 60 + Number(m[5])) * 60_000
      return m[3] === '+' ? local - offset : local + offset
    }
  }
  return dateValue(v)
}

function parseArtalk(text: string): ImportResult {
  const doc = parseJson('artalk', text)
  let rows: unknown[]
  if (Array.isArray(doc)) rows = doc
  // (The API's { data: [...] } and { comments: [...] } wrappers.)
  else if (isRecord(doc) && Array.isArray(doc.data)) rows = doc.data
  else if (isRecord(doc) && Array.isArray(doc.comments)) rows = doc.comments
  else fail('artalk', 'expected the Artrans array of comments (an .artrans file)')
  checkCount('artalk', rows.length)
  const drafts: Draft[] = rows.map((r, i) => {
    const row = parseRow('artalk', artalkCommentSchema, r, `[${i}]`)
    const rid = row.rid === null || row.rid === undefined ? '' : String(row.rid).trim()
    return {
      sourceId: String(row.id),
      // rid: the comment this one answers; "0" or nothing for a top-level comment.
      parentSourceId: rid === '' || rid === '0' ? null : rid,
      postRef: (row.page_key ?? '').trim(),
      author: cleanAuthor(row.nick),
      email: cleanEmail(row.email),
      url: cleanUrl(row.link),
      // Artalk's comments are markdown, as here.
      body: (row.content ?? '').replace(/\r\n?/g, '\n').trim(),
      createdAt: artalkDate(row.date) ?? artalkDate(row.created_at),
      status: isFlagSet(row.is_pending) ? 'pending' : 'approved',
      admin: ARTALK_ADMIN_BADGES.has((row.badge_name ?? '').trim().toLowerCase()),
      ...likesOf(row.vote_up),
      ...pinnedOf(row.is_pinned),
    }
  })
  return finish(drafts, [], [])
}

// ---------------------------------------------------------------------------------------------
// WordPress WXR (read by wxr.ts, shared with the post importer in posts.ts)

const ZERO_DATE = /^0000-00-00/

function wxrDate(gmt: string, local: string): number | null {
  if (gmt && !ZERO_DATE.test(gmt)) {
    const ms = parseUtcDateTime(gmt)
    if (ms !== null) return ms
  }
  // No GMT time (drafts, some imports): the local time read as UTC.
  return parseUtcDateTime(local)
}

function parseWxr(text: string): ImportResult {
  let doc: WxrDocument
  try {
    doc = readWxr(text)
  } catch (e) {
    if (e instanceof WxrReadError) fail('wxr', e.message)
    throw e
  }
  checkCount(
    'wxr',
    doc.items.reduce((n, item) => n + item.comments.length, 0),
  )

  // Authors of the exported posts (wxr_authors_list). A comment by one of them is the blog's own.
  const authorIds = new Set<string>()
  const authorNames = new Map<string, string>()
  for (const a of doc.authors) {
    if (a.id && a.id !== '0') authorIds.add(a.id)
    if (a.login) authorNames.set(a.login, a.displayName)
  }

  const posts: ImportedPost[] = []
  const drafts: Draft[] = []
  const skipped: ImportResult['skipped'] = []
  for (const item of doc.items) {
    const { postType, postId } = item
    // Drafts often have no post_name yet; their id stands in for it.
    const slug = item.postName || postId
    const postStatus = item.status
    if (postType === 'post') {
      const date = wxrDate(item.postDateGmt, item.postDate) ?? dateValue(Date.parse(item.pubDate))
      if (postStatus === 'trash' || postStatus === 'auto-draft') {
        skipped.push({ sourceId: `post:${postId}`, reason: `post status ${postStatus}` })
      } else if (date === null) {
        skipped.push({ sourceId: `post:${postId}`, reason: 'post has no readable date' })
      } else {
        const terms = (domain: string) => [...new Set(item.terms.filter((t) => t.domain === domain && t.name).map((t) => t.name))]
        posts.push({
          sourceId: postId,
          slug,
          title: item.title,
          date,
          author: authorNames.get(item.creator) ?? item.creator,
          status: postStatus === 'publish' ? 'published' : 'draft',
          categories: terms('category'),
          tags: terms('post_tag'),
          bodyMarkdown: htmlToMarkdown(item.content, { newlines: true, lineBreak: '\\\n' }),
        })
      }
    }

    for (const c of item.comments) {
      const sourceId = field(c, 'wp:comment_id')
      const type = field(c, 'wp:comment_type')
      const approved = field(c, 'wp:comment_approved')
      let reason: string | null = null
      if (!sourceId) reason = 'no comment_id'
      else if (type === 'pingback' || type === 'trackback') reason = `${type}, not a comment`
      else if (type !== '' && type !== 'comment') reason = `comment_type ${type}`
      else if (approved === 'trash' || approved === 'post-trashed') reason = 'in the trash'
      else if (postType !== 'post' && postType !== 'page') reason = `comment on a ${postType}, not a post or page`
      if (reason) {
        skipped.push({ sourceId, reason })
        continue
      }
      const userId = field(c, 'wp:comment_user_id')
      drafts.push({
        sourceId,
        parentSourceId: idText(field(c, 'wp:comment_parent')),
        // The id the post importer gives the post (a slug that is not an id is normalised there, the same way).
        postRef: item.id ?? slug,
        author: cleanAuthor(field(c, 'wp:comment_author')),
        email: cleanEmail(field(c, 'wp:comment_author_email')),
        url: cleanUrl(field(c, 'wp:comment_author_url')),
        body: htmlToMarkdown(field(c, 'wp:comment_content'), { newlines: true }),
        createdAt: wxrDate(field(c, 'wp:comment_date_gmt'), field(c, 'wp:comment_date')),
        status: approved === '1' ? 'approved' : approved === 'spam' ? 'spam' : 'pending',
        // A registered user who wrote posts in this export (user_id 0 is a guest; subscribers are not authors).
        admin: userId !== '' && userId !== '0' && authorIds.has(userId),
      })
    }
  }
  return finish(drafts, posts, skipped)
}

// ---------------------------------------------------------------------------------------------
// Disqus

/**
 * A Disqus element's name without its prefix, lower-cased: Disqus writes its elements in the default
 * namespace (`<post>`), other tools with a prefix (`<disqus:post>`, `<d:post>`); both are read.
 */
function dsqName(el: Element): string {
  const name = el.name.toLowerCase()
  return name.slice(name.indexOf(':') + 1)
}

/** The child elements with that (lower-case, unprefixed) name, whatever their prefix. */
function dsqChildren(node: Element, name: string): Element[] {
  return node.children.filter((c): c is Element => isElement(c) && dsqName(c) === name)
}

/** The text of a child element (CDATA included), trimmed; '' when absent. */
function dsqField(node: Element | undefined, name: string): string {
  const el = node && dsqChildren(node, name)[0]
  return el ? plainText(el, true).trim() : ''
}

/** A Disqus element's `dsq:id` attribute (the Disqus id; the internals namespace under any prefix), trimmed; '' when absent. */
function dsqId(el: Element | undefined): string {
  if (!el) return ''
  const attribs = Object.entries(el.attribs)
  const id = attribs.find(([k]) => k.toLowerCase() === 'dsq:id') ?? attribs.find(([k]) => /^[^:]+:id$/i.test(k))
  return (id?.[1] ?? '').trim()
}

/** A Disqus flag element (`<isDeleted>true</isDeleted>`): set for true (or 1), as the other formats' flags. */
function dsqFlag(el: Element, name: string): boolean {
  return isFlagSet(dsqField(el, name))
}

/**
 * Disqus sends the links in its comments through its own redirector: `https://disq.us/url?url=<the
 * link, encoded>:<a token>&cuid=…`. Imported, a link goes where its writer pointed it: the `url`
 * parameter without the token (a link that does not read as an http(s) URL stays as it was).
 */
function unwrapDisqusLinks(html: string): string {
  return html.replace(
    /(\bhref\s*=\s*)(["'])((?:https?:)?\/\/disq\.us\/url\?[^"']*)\2/gi,
    (whole, attr: string, quote: string, link: string) => {
      let target: string | null
      try {
        target = new URL(link.replace(/&amp;/g, '&'), 'https://disq.us/').searchParams.get('url')
      } catch {
        return whole
      }
      const direct = target?.replace(/:[A-Za-z0-9_-]{8,}$/, '')
      if (!direct || !isHttpUrl(direct)) return whole
      return `${attr}${quote}${direct.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}${quote}`
    },
  )
}

function parseDisqus(text: string): ImportResult {
  const src = text.trimStart()
  if (!src.startsWith('<')) fail('disqus', 'not XML')
  const doc = parseDocument(src, { xmlMode: true })
  const root = doc.children.filter(isElement).find((e) => dsqName(e) === 'disqus')
  if (!root) fail('disqus', 'not a Disqus export (no <disqus> element)')
  // The threads (pages): the top-level <thread> elements; a post's own <thread> only names one. A
  // thread without a <link> falls back to its <id>, the identifier the embed code gave Disqus
  // (often the page's path or URL).
  const links = new Map<string, string>()
  for (const t of dsqChildren(root, 'thread')) {
    const id = dsqId(t)
    if (id) links.set(id, dsqField(t, 'link') || dsqField(t, 'id'))
  }
  const posts = dsqChildren(root, 'post')
  checkCount('disqus', posts.length)
  const drafts: Draft[] = []
  const skipped: ImportResult['skipped'] = []
  for (const [i, p] of posts.entries()) {
    const sourceId = dsqId(p) || dsqField(p, 'id')
    const thread = dsqId(dsqChildren(p, 'thread')[0])
    let reason: string | null = null
    if (!sourceId) reason = `post ${i + 1} has no dsq:id`
    else if (dsqFlag(p, 'isdeleted')) reason = 'deleted in Disqus'
    else if (!thread) reason = 'no thread'
    else if (!links.has(thread)) reason = `its thread ${thread} is not in the file`
    if (reason) {
      skipped.push({ sourceId: sourceId || `#${i + 1}`, reason })
      continue
    }
    // (<ipAddress> is never read.)
    const author = dsqChildren(p, 'author')[0]
    const parent = dsqId(dsqChildren(p, 'parent')[0])
    drafts.push({
      sourceId,
      parentSourceId: parent || null,
      postRef: links.get(thread)!,
      author: cleanAuthor(dsqField(author, 'name') || dsqField(author, 'username')),
      email: cleanEmail(dsqField(author, 'email')),
      url: null,
      body: htmlToMarkdown(unwrapDisqusLinks(dsqField(p, 'message'))),
      createdAt: dateValue(dsqField(p, 'createdat')),
      // (Some exports also say <isApproved>false</isApproved> for a comment held for moderation.)
      status: dsqFlag(p, 'isspam') ? 'spam' : dsqField(p, 'isapproved').toLowerCase() === 'false' ? 'pending' : 'approved',
      admin: false,
    })
  }
  return finish(drafts, [], skipped)
}

// ---------------------------------------------------------------------------------------------

/** Parses an export; throws ImportFormatError (and nothing else) for input that is not that format. */
export function parseComments(format: ImportFormat, text: string): ImportResult {
  if (format !== 'waline' && format !== 'twikoo' && format !== 'artalk' && format !== 'wxr' && format !== 'disqus') {
    throw new ImportFormatError(`unknown import format ${JSON.stringify(String(format))} (expected waline, twikoo, artalk, wxr or disqus)`)
  }
  if (typeof text !== 'string') fail(format, 'no text to read')
  const input = stripBom(text)
  if (!input.trim()) fail(format, 'the file is empty')
  try {
    if (format === 'waline') return parseWaline(input)
    if (format === 'twikoo') return parseTwikoo(input)
    if (format === 'artalk') return parseArtalk(input)
    if (format === 'disqus') return parseDisqus(input)
    return parseWxr(input)
  } catch (e) {
    if (e instanceof ImportFormatError) throw e
    // Pathological input (e.g. nesting deep enough to exhaust the stack) is still bad input.
    fail(format, `could not be read (${e instanceof Error ? e.message : String(e)})`)
  }
}

const PAGE_EXTENSION = /\.(?:html?|php|aspx?|md)$/i

/**
 * The post id a source's page reference most likely names: the last path segment of a URL or
 * path, without `.html` and the like (`/archives/entropy-notes/` → `entropy-notes`,
 * `/posts/foo-bar.html` → `foo-bar`, `https://blog.example/archives/12?x#y` → `12`), or a bare
 * slug. Lower-cased; null unless it is a valid post id (`[a-z0-9]+(-[a-z0-9]+)*`, ≤ 100 characters).
 */
export function postIdFromRef(ref: string): string | null {
  if (typeof ref !== 'string') return null
  let path = ref.trim()
  if (/^https?:\/\//i.test(path)) {
    try {
      path = new URL(path).pathname
    } catch {
      return null
    }
  } else {
    path = path.replace(/[?#][\s\S]*$/, '')
  }
  const segments = path.split('/').filter(Boolean)
  if (segments.length && /^index\.(?:html?|php)$/i.test(segments[segments.length - 1]!)) segments.pop()
  let last = segments.pop()
  if (!last) return null
  try {
    last = decodeURIComponent(last)
  } catch {
    return null
  }
  const id = last.replace(PAGE_EXTENSION, '').toLowerCase()
  return isPostId(id) ? id : null
}
