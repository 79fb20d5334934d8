/**
 * The site backup format (GET /api/export, POST /api/import; docs/API.md, "Export and import"):
 * versioned JSON pages, each post with its markdown file, kept versions, old ids, count, daily
 * views and comments. Posts are written as the markdown files PUT accepts, parsed back with the
 * same parser, so an import validates exactly as a publish does.
 */
import * as z from 'zod'
import { formatIsoLocal } from '../lib/dates'
import { once } from '../lib/once'
import { toWellFormed } from '../lib/unicode'
import { MAX_PINNED_COMMENTS, REACTION_KEYS, type PostFields, type PostStatus } from '../model'
import { stringifyFrontMatter } from '../render/front-matter'
import { parseMarkdownPost } from '../services/publish'
import { MAX_POST_BYTES, postIdSchema } from '../schemas'
import type { BackupComment, RoomBackup, SitePostBackup } from './types'

import { EXPORT_FORMAT, EXPORT_VERSION, IMPORT_MAX_POSTS } from './limits'

export {
  EXPORT_DEFAULT_POSTS,
  EXPORT_FORMAT,
  EXPORT_MAX_POSTS,
  EXPORT_PAGE_BYTES,
  EXPORT_VERSION,
  IMPORT_MAX_POSTS,
  MAX_IMPORT_BYTES,
} from './limits'

/** A post as a markdown file with front matter (the shape PUT /api/posts/:id accepts). */
export function postFile(id: string, f: PostFields, tz: string): string {
  const fields = {
    id,
    title: f.title,
    author: f.author,
    date: f.date === undefined ? undefined : formatIsoLocal(f.date, tz),
    updated: f.updated === undefined ? undefined : formatIsoLocal(f.updated, tz),
    category: f.category,
    tags: f.tags.length ? f.tags : undefined,
    summary: f.summary,
    draft: f.draft,
    ...(f.commentsClosed ? { comments: false } : {}),
    ...(f.reactionsOff ? { reactions: false } : {}),
    ...(f.series ? { series: f.series } : {}),
    ...(f.categorySlug ? { category_slug: f.categorySlug } : {}),
    ...(f.tagSlugs ? { tag_slugs: f.tagSlugs } : {}),
    ...(f.type === 'page' ? { type: 'page', ...(f.nav ? { nav: true } : {}) } : {}),
    ...(f.aliases && f.aliases.length > 0 ? { aliases: f.aliases } : {}),
  }
  return stringifyFrontMatter(fields, f.body)
}

const iso = (ms: number) => new Date(ms).toISOString()
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))

/** One post of an export page, built from what the Site object and the post's object hold. */
export function postEntry(site: SitePostBackup, room: RoomBackup, tz: string) {
  return {
    id: site.id,
    status: site.status,
    revision: site.revision,
    origin: site.origin,
    createdAt: iso(site.createdAt),
    modifiedAt: iso(site.modifiedAt),
    syncHash: site.syncHash,
    markdown: postFile(site.id, site.fields, tz),
    revisions: site.revisions.map((r) => ({
      revision: r.revision,
      status: r.status,
      origin: r.origin,
      modifiedAt: iso(r.modifiedAt),
      markdown: postFile(site.id, r.fields, tz),
    })),
    movedFrom: site.movedFrom.map((m) => ({ id: m.id, movedAt: iso(m.movedAt) })),
    views: room.views,
    daily: room.daily,
    // (In the catalogue's key order, none at 0: the same counts make the same entry, which an import compares.)
    reactions: Object.fromEntries(REACTION_KEYS.flatMap((k) => (room.reactions?.[k] ? [[k, room.reactions[k]]] : []))),
    // Views from imported page counters (already in `views`), by counter key in key order; left out when none.
    ...importedViewsField(room.importedViews),
    comments: room.comments.map((c) => ({ ...c, createdAt: iso(c.createdAt), editedAt: isoOrNull(c.editedAt) })),
  }
}

/** `{ importedViews }` with the keys in order, or nothing when there are none (older backups read the same). */
function importedViewsField(views: Record<string, number> | undefined): { importedViews?: Record<string, number> } {
  const keys = Object.keys(views ?? {})
    .filter((k) => views![k]! > 0)
    .sort()
  return keys.length ? { importedViews: Object.fromEntries(keys.map((k) => [k, views![k]!])) } : {}
}

export type PostEntry = ReturnType<typeof postEntry>

/**
 * The schemas of an export's pages and posts, made on first use: only an import takes them (zod
 * makes a schema's methods when the schema is made; src/schemas.ts).
 */
function buildImportSchemas() {
  const instant = z.iso.datetime({ offset: true, message: 'not an ISO 8601 time' }).transform((s) => Date.parse(s))
  const status = z.enum(['published', 'draft', 'scheduled', 'deleted'])
  const origin = z.enum(['api', 'sync', 'kv'])
  const revisionNumber = z.number().int().min(1).max(1e15)
  const markdown = z.string().max(MAX_POST_BYTES + 100_000, 'markdown is larger than 1 MB')

  // A comment's texts are made well-formed Unicode, as the comment importers do (import/formats.ts
  // cleanImported): half a surrogate pair (`\ud800` escaped in the file; an excerpt cut inside a pair
  // by an older version) becomes U+FFFD, so a backup of the blog's own always restores.
  const commentText = (max: number) => z.string().max(max).transform(toWellFormed)
  // A comment's one-line fields hold no control character (tab and line breaks included), as the
  // comment form and the importers make them: a NUL in an address would be mailed to as it is.
  const commentLine = (max: number, label: string) =>
    commentText(max).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${label} holds a control character`)
  const commentSchema = z.object({
    id: z.number().int().min(1).max(1e15),
    parent: z.number().int().min(1).nullable(),
    replyTo: z.number().int().min(1).nullable(),
    depth: z.number().int().min(0).max(100),
    author: commentLine(200, 'author'),
    email: commentLine(320, 'email').nullable(),
    url: commentLine(2000, 'url').nullable(),
    body: commentText(100_000),
    // (A comment renders to at most MAX_COMMENT_HTML characters; this leaves room, and keeps a row
    // under the 2 MB a stored string may have, even in three-byte characters.)
    html: commentText(600_000),
    excerpt: commentText(10_000),
    status: z.enum(['approved', 'pending', 'spam', 'deleted']),
    createdAt: instant,
    editedAt: instant.nullable(),
    admin: z.boolean(),
    avatar: z.string().max(200),
    notify: z.boolean(),
    bodyHash: z.string().max(200),
    importKey: z.string().max(300).nullable(),
    renderVersion: z.string().max(100),
    // Pinned (置顶): the place in the post's pin order; a backup made before pins has none (unpinned).
    pinned: z.number().int().min(1).max(MAX_PINNED_COMMENTS).nullable().default(null),
    // Likes (赞): the count only; a backup made before likes has none.
    likes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  })

  const postSchema = z
    .object({
      id: postIdSchema,
      status,
      revision: revisionNumber,
      origin,
      createdAt: instant,
      modifiedAt: instant,
      syncHash: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .nullable(),
      markdown,
      revisions: z
        .array(z.object({ revision: revisionNumber, status, origin, modifiedAt: instant, markdown }))
        .max(200, 'more than 200 revisions'),
      movedFrom: z.array(z.object({ id: postIdSchema, movedAt: instant })).max(1000),
      views: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      daily: z
        .array(
          z.object({
            // (A day of the calendar: 2024-02-30 is refused, 2024-02-29 taken.)
            day: z.iso.date('day must be a date of the calendar, YYYY-MM-DD'),
            views: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
          }),
        )
        .max(100_000),
      comments: z.array(commentSchema).max(100_000),
      // Post reactions (文章反应): the count of each key of the catalogue; a backup made before them has none.
      reactions: z.partialRecord(z.enum(REACTION_KEYS), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).default({}),
      // Views from imported page counters, by counter key (part of `views`); a backup made before them has none.
      importedViews: z
        .record(z.string().min(1).max(2000), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER))
        .refine((r) => Object.keys(r).length <= 100_000, 'more than 100000 imported counters')
        .default({}),
    })
    .superRefine((p, ctx) => {
      const ids = new Set(p.comments.map((c) => c.id))
      if (ids.size !== p.comments.length) ctx.addIssue({ code: 'custom', path: ['comments'], message: 'comment ids repeat' })
      for (const c of p.comments) {
        if ((c.parent !== null && !ids.has(c.parent)) || (c.replyTo !== null && !ids.has(c.replyTo)))
          ctx.addIssue({ code: 'custom', path: ['comments'], message: `comment ${c.id} answers a comment that is not in the post` })
        // A reply is always numbered after what it answers, so a thread has no loop.
        else if ((c.parent !== null && c.parent >= c.id) || (c.replyTo !== null && c.replyTo >= c.id))
          ctx.addIssue({ code: 'custom', path: ['comments'], message: `comment ${c.id} answers a comment numbered after it` })
        if (c.pinned !== null && (c.status !== 'approved' || c.parent !== null))
          ctx.addIssue({
            code: 'custom',
            path: ['comments'],
            message: `comment ${c.id} is pinned but is not an approved top-level comment`,
          })
      }
      const pins = p.comments.filter((c) => c.pinned !== null).map((c) => c.pinned)
      if (new Set(pins).size !== pins.length)
        ctx.addIssue({ code: 'custom', path: ['comments'], message: 'two comments have the same place in the pin order' })
      if (p.revisions.some((r) => r.revision >= p.revision))
        ctx.addIssue({ code: 'custom', path: ['revisions'], message: 'a kept revision is not older than the current one' })
      if (new Set(p.revisions.map((r) => r.revision)).size !== p.revisions.length)
        ctx.addIssue({ code: 'custom', path: ['revisions'], message: 'revision numbers repeat' })
      // (The post's object keeps one row a day: a day given twice would fail its restore as if the object were down.)
      const days = new Set<string>()
      for (const { day } of p.daily) {
        if (days.has(day)) {
          ctx.addIssue({ code: 'custom', path: ['daily'], message: `the day ${day} is given twice` })
          break
        }
        days.add(day)
      }
      // Each day's views are part of the count too (views imported from page counters are on no day).
      const byDay = p.daily.reduce((n, d) => n + d.views, 0)
      if (byDay > p.views)
        ctx.addIssue({ code: 'custom', path: ['daily'], message: `the days' views (${byDay}) are more than views (${p.views})` })
      // The imported views are part of the count: they cannot be more than it.
      const imported = Object.values(p.importedViews).reduce((n, v) => n + v, 0)
      if (imported > p.views)
        ctx.addIssue({
          code: 'custom',
          path: ['importedViews'],
          message: `the imported views (${imported}) are more than views (${p.views})`,
        })
    })

  const importPage = z.object({
    format: z.literal(EXPORT_FORMAT, `format must be "${EXPORT_FORMAT}"`),
    version: z.literal(EXPORT_VERSION, `version must be ${EXPORT_VERSION} (this blog reads version ${EXPORT_VERSION} exports)`),
    site: z.record(z.string(), z.unknown()).optional(),
    exportedAt: z.string().optional(),
    next: z.string().nullable().optional(),
    posts: z.array(z.unknown()).max(IMPORT_MAX_POSTS, `at most ${IMPORT_MAX_POSTS} posts per import request`),
  })
  return { post: postSchema, importPage }
}
const schemas = once(buildImportSchemas)

/** One page of an export, as POST /api/import takes it. */
export const importPageSchema = z.lazy(() => schemas().importPage)

/** One post of an export's page. */
export const postEntrySchema = z.lazy(() => schemas().post)

/** A post entry read back into what the objects store; throws an Error with the reason when invalid. */
export function readPostEntry(p: z.infer<typeof postEntrySchema>, tz: string): { site: SitePostBackup; room: RoomBackup } {
  const fieldsOf = (text: string, what: string): PostFields => {
    let parsed
    try {
      parsed = parseMarkdownPost(text, tz)
    } catch (err) {
      throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`)
    }
    if (parsed.declaredId !== null && parsed.declaredId !== p.id) throw new Error(`${what}: its id "${parsed.declaredId}" is not "${p.id}"`)
    return parsed.fields
  }
  const fields = fieldsOf(p.markdown, 'markdown')
  const date = fields.date ?? p.createdAt
  let postStatus: PostStatus = p.status
  if (postStatus === 'scheduled' && date <= Date.now()) postStatus = 'published'
  const comments: BackupComment[] = p.comments.map((c) => ({ ...c }))
  return {
    site: {
      id: p.id,
      status: postStatus,
      revision: p.revision,
      origin: p.origin,
      createdAt: p.createdAt,
      modifiedAt: p.modifiedAt,
      syncHash: p.syncHash,
      fields,
      revisions: [...p.revisions]
        .sort((a, b) => b.revision - a.revision)
        .map((r) => ({
          revision: r.revision,
          status: r.status,
          origin: r.origin,
          modifiedAt: r.modifiedAt,
          fields: fieldsOf(r.markdown, `revision ${r.revision}`),
        })),
      movedFrom: [...p.movedFrom].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((m) => ({ id: m.id, movedAt: m.movedAt })),
    },
    room: {
      views: p.views,
      daily: [...p.daily].sort((a, b) => (a.day < b.day ? -1 : 1)),
      comments: comments.sort((a, b) => a.id - b.id),
      reactions: p.reactions,
      importedViews: p.importedViews,
    },
  }
}
