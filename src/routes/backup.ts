/**
 * Site export and import (docs/API.md, "Export and import"): `GET /api/export?cursor=…` pages
 * through every post with its versions, comments and counts; `POST /api/import` restores a page.
 */
import { Hono } from 'hono'
import * as z from 'zod'
import type { AppEnv } from '../app-env'
import { requireAdmin } from '../lib/auth'
import { AppError } from '../lib/errors'
import { limitBody, mediaType, parseJsonText, readText, unsupportedMediaType } from '../lib/request'
import { roomObject, siteObject } from '../lib/stubs'
import { validate } from '../lib/validate'
import { countParam, describeIssues, postIdSchema } from '../schemas'
import {
  EXPORT_DEFAULT_POSTS,
  EXPORT_FORMAT,
  EXPORT_MAX_POSTS,
  EXPORT_PAGE_BYTES,
  EXPORT_VERSION,
  MAX_IMPORT_BYTES,
} from '../backup/limits'

const backup = new Hono<AppEnv>()

const exportQuery = validate(
  'query',
  () =>
    z.object({
      cursor: postIdSchema.optional(),
      limit: countParam('limit', EXPORT_MAX_POSTS, 3).optional(),
    }),
  { status: 400, code: 'invalid_query' },
)

/**
 * One page of the site: posts in id order after `cursor`. Reads no KV: one Site call for the page,
 * then one call to each post's object (its count, daily views and comments).
 */
backup.get('/export', requireAdmin(), exportQuery, async (c) => {
  const { cursor, limit = EXPORT_DEFAULT_POSTS } = c.req.valid('query')
  const { postEntry } = await import('../backup/format')
  const { config } = c.var
  const page = await siteObject(c.env).backupPosts(cursor ?? null, limit, EXPORT_PAGE_BYTES / 2)
  const posts = []
  let bytes = 0
  for (const post of page.posts) {
    if (posts.length > 0 && bytes >= EXPORT_PAGE_BYTES) break
    const entry = postEntry(post, await roomObject(c.env, post.id).backupState(), config.timezone)
    bytes += JSON.stringify(entry).length
    posts.push(entry)
  }
  const more = page.more || posts.length < page.posts.length
  c.header('Cache-Control', 'no-store')
  return c.json({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    site: { title: config.title, url: c.var.origin, language: config.language, timezone: config.timezone },
    posts,
    next: more && posts.length > 0 ? posts[posts.length - 1]!.id : null,
  })
})

const importQuery = validate('query', () => z.object({ mode: z.enum(['skip', 'replace'], 'mode must be skip or replace').optional() }), {
  status: 400,
  code: 'invalid_query',
})

type Failure = { id: string | null; reason: string }

/**
 * Restores one export page. Each post is compared with what the site holds first: the same post
 * (markdown, versions, comments, counts) is `unchanged` and nothing is written; another post under
 * the same id is skipped unless `mode=replace`.
 */
backup.post('/import', requireAdmin(), importQuery, limitBody(MAX_IMPORT_BYTES), async (c) => {
  if (mediaType(c) !== 'application/json') throw unsupportedMediaType(['application/json'])
  // The export format and publishing, loaded on first use (render/load.ts).
  const [{ importPageSchema, postEntry, postEntrySchema, readPostEntry }, { renderForPublish }] = await Promise.all([
    import('../backup/format'),
    import('../services/publish'),
  ])
  const parsedPage = importPageSchema.safeParse(parseJsonText(await readText(c)))
  if (!parsedPage.success) throw new AppError(400, 'invalid_import', describeIssues(parsedPage.error))
  const mode = c.req.valid('query').mode ?? 'skip'
  const { config } = c.var
  const tz = config.timezone
  const report = { created: 0, updated: 0, unchanged: 0, skipped: [] as string[], failed: [] as Failure[] }
  const site = siteObject(c.env)
  for (const raw of parsedPage.data.posts) {
    const entry = postEntrySchema.safeParse(raw)
    if (!entry.success) {
      const id =
        typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null
      report.failed.push({ id, reason: describeIssues(entry.error) })
      continue
    }
    const id = entry.data.id
    try {
      const wanted = readPostEntry(entry.data, tz)
      const current = await site.backupPost(id)
      if (current) {
        const room = await roomObject(c.env, id).backupState()
        // (The current revision's number aside: a replaced post gets a number above its old one's.)
        const same =
          JSON.stringify({ ...postEntry(current, room, tz), revision: 0 }) ===
          JSON.stringify({ ...postEntry(wanted.site, wanted.room, tz), revision: 0 })
        if (same) {
          report.unchanged++
          continue
        }
        if (mode === 'skip') {
          report.skipped.push(id)
          continue
        }
      }
      const conflict = await site.restoreConflict(id, wanted.site.movedFrom)
      if (conflict !== null) throw new Error(conflict)
      let rendered
      try {
        rendered = renderForPublish(config, { id, post: { fields: wanted.site.fields, declaredId: null } })
      } catch (err) {
        throw new Error(err instanceof AppError ? `markdown: ${err.message}` : 'markdown: the post could not be rendered')
      }
      // (The Site object checks the id again and restores the post's object too: nothing may change between.)
      const outcome = await site.restorePost({ ...wanted.site, mode, rendered, room: wanted.room })
      if (!outcome.ok) throw new Error(outcome.reason)
      if (outcome.result === 'skipped') report.skipped.push(id)
      else report[outcome.result]++
      console.log(JSON.stringify({ event: 'post.import', id, result: outcome.result, revision: wanted.site.revision }))
    } catch (err) {
      report.failed.push({ id, reason: err instanceof Error ? err.message : String(err) })
    }
  }
  return c.json(report)
})

const methodNotAllowed = (allow: string) => () => {
  throw new AppError(405, 'method_not_allowed', `Allowed methods: ${allow}.`, { Allow: allow })
}
backup.all('/export', methodNotAllowed('GET'))
backup.all('/import', methodNotAllowed('POST'))

export default backup
