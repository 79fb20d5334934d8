import { Hono, type Context, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env'
import { requireAdmin } from '../lib/auth'
import { formatDay, formatIsoLocal } from '../lib/dates'
import { AppError } from '../lib/errors'
import { limitBody, mediaType, parseJsonText, readJson, unsupportedMediaType } from '../lib/request'
import { roomObject, siteObject } from '../lib/stubs'
import { apiPostId, validate } from '../lib/validate'
import type { PublicComment } from '../model'
import type { PostSummary } from '../objects/site'
import { stringifyFrontMatter } from '../render/front-matter'
import * as z from 'zod'
import { MAX_COMMENT_BYTES, MAX_POST_BYTES, MAX_PRERENDERED_BYTES, postIdSchema } from '../schemas'
import { barChartSvg, fillDays } from '../views/charts'
import { submitComment } from '../services/comments'
import type { RenderedPost } from '../render/render-post'
import { parseJsonPost, parseMarkdownPost, parsePrerenderedPost, publishPost, type ParsedPost } from '../services/publish'

const MARKDOWN_TYPES = ['text/markdown', 'text/x-markdown', 'text/plain']
const POST_TYPES = ['application/json', ...MARKDOWN_TYPES]

const api = new Hono<AppEnv>()

const putQuery = validate(
  'query',
  z.object({
    sync: z.enum(['0', '1'], 'sync must be 1 or 0').optional(),
    prerendered: z.enum(['0', '1'], 'prerendered must be 1 or 0').optional(),
  }),
  { status: 400, code: 'invalid_query' },
)

/** Post bodies are limited to 1 MB; a pre-rendered post also carries its (much larger) HTML. */
const putBodyLimit: MiddlewareHandler<AppEnv> = (c, next) =>
  (c.req.query('prerendered') === '1' ? limitBody(MAX_PRERENDERED_BYTES) : limitBody(MAX_POST_BYTES))(c, next)

function postJson(p: PostSummary, tz: string) {
  return {
    id: p.id,
    url: `/archives/${p.id}`,
    status: p.status,
    title: p.title,
    author: p.author,
    date: formatIsoLocal(p.date, tz),
    updated: p.updated === null ? null : formatIsoLocal(p.updated, tz),
    category: p.category,
    tags: p.tags,
    summary: p.summary,
    draft: p.draft,
    revision: p.revision,
    createdAt: formatIsoLocal(p.createdAt, tz),
    modifiedAt: formatIsoLocal(p.modifiedAt, tz),
  }
}

function commentJson(c: PublicComment, tz: string) {
  return {
    id: c.id,
    parent: c.parent,
    author: c.author,
    url: c.url,
    body: c.body,
    html: c.html,
    createdAt: formatIsoLocal(c.createdAt, tz),
  }
}

/** Reads a post from a markdown or JSON body. */
async function readPost(c: Context<AppEnv>): Promise<{ post: ParsedPost; source: string }> {
  const type = mediaType(c)
  const tz = c.var.config.timezone
  if (type === 'application/json') {
    const source = await c.req.text()
    return { post: parseJsonPost(parseJsonText(source), tz), source }
  }
  if (MARKDOWN_TYPES.includes(type)) {
    const source = await c.req.text()
    return { post: parseMarkdownPost(source, tz), source }
  }
  throw unsupportedMediaType(POST_TYPES)
}

api.get('/health', (c) => c.json({ status: 'ok' }))

/** Creates or replaces a post. `?sync=1` is content sync: unchanged files and API-edited posts are left alone. */
api.put('/posts/:id', requireAdmin(), apiPostId, putQuery, putBodyLimit, async (c) => {
  const { id } = c.req.valid('param')
  const { sync, prerendered } = c.req.valid('query')
  let post: ParsedPost
  let source: string
  let rendered: RenderedPost | undefined
  if (prerendered === '1') {
    if (mediaType(c) !== 'application/json') throw unsupportedMediaType(['application/json'])
    source = await c.req.text()
    ;({ post, rendered } = parsePrerenderedPost(parseJsonText(source), c.var.config.timezone))
  } else {
    ;({ post, source } = await readPost(c))
  }
  const { outcome } = await publishPost(c.env, c.var.config, { id, post, origin: sync === '1' ? 'sync' : 'api', source, rendered })
  if (!outcome.ok) throw new AppError(outcome.status, outcome.code, outcome.message)
  const body = {
    result: outcome.result,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    post: postJson(outcome.post, c.var.config.timezone),
  }
  if (outcome.result === 'created') {
    c.header('Location', `/archives/${id}`)
    return c.json(body, 201)
  }
  return c.json(body, 200)
})

/** Creates a post under the next free number. */
api.post('/posts', requireAdmin(), limitBody(MAX_POST_BYTES), async (c) => {
  const { post, source } = await readPost(c)
  if (post.declaredId !== null)
    throw new AppError(400, 'invalid_post', 'POST /api/posts assigns the id; use PUT /api/posts/:id to choose one.')
  const { outcome } = await publishPost(c.env, c.var.config, { id: null, post, origin: 'api', source })
  if (!outcome.ok) throw new AppError(outcome.status, outcome.code, outcome.message)
  c.header('Location', `/archives/${outcome.post.id}`)
  return c.json({ result: outcome.result, post: postJson(outcome.post, c.var.config.timezone) }, 201)
})

/** A post with its markdown: JSON, or `Accept: text/markdown` for the file. */
api.get('/posts/:id', requireAdmin(), apiPostId, async (c) => {
  const { id } = c.req.valid('param')
  const post = await siteObject(c.env).getPost(id)
  if (!post) throw new AppError(404, 'not_found', `There is no post "${id}".`)
  if (post.status === 'deleted') throw new AppError(410, 'post_deleted', `Post "${id}" has been deleted.`)
  const tz = c.var.config.timezone
  const json = postJson(post, tz)
  if ((c.req.header('accept') ?? '').includes('text/markdown')) {
    const { id: _id, url: _url, status: _s, revision: _r, createdAt: _c, modifiedAt: _m, ...front } = json
    c.header('Content-Type', 'text/markdown; charset=utf-8')
    return c.body(stringifyFrontMatter({ id, ...front, tags: post.tags.length ? post.tags : undefined }, post.body))
  }
  return c.json({ ...json, body: post.body })
})

/** Removes a post from the site; its comments and count are kept for a later PUT of the same id. */
api.delete('/posts/:id', requireAdmin(), apiPostId, async (c) => {
  const { id } = c.req.valid('param')
  const site = siteObject(c.env)
  const deleted = await site.deletePost(id)
  if (!deleted) {
    const existing = await site.getPost(id)
    if (existing) throw new AppError(410, 'post_deleted', `Post "${id}" is already deleted.`)
    throw new AppError(404, 'not_found', `There is no post "${id}".`)
  }
  return c.json({ result: 'deleted', post: postJson(deleted, c.var.config.timezone) })
})

/** The approved comments of a post, flat, oldest first; each carries its `parent`. */
api.get('/posts/:id/comments', apiPostId, async (c) => {
  const { id } = c.req.valid('param')
  const { status, comments } = await roomObject(c.env, id).listComments()
  if (status === 'deleted') throw new AppError(410, 'post_deleted', `Post "${id}" has been deleted.`)
  if (status !== 'published') throw new AppError(404, 'not_found', `There is no post "${id}".`)
  const tz = c.var.config.timezone
  return c.json({ total: comments.length, comments: comments.map((x) => commentJson(x, tz)) })
})

/** Posts a comment as JSON. A retry with the same key (field or Idempotency-Key) returns the original. */
api.post('/posts/:id/comments', apiPostId, limitBody(MAX_COMMENT_BYTES), async (c) => {
  const { id } = c.req.valid('param')
  if (mediaType(c) !== 'application/json') throw unsupportedMediaType(['application/json'])
  const input = await readJson(c)
  const { comment, replayed } = await submitComment(c.env, id, input, c.req.header('idempotency-key'))
  if (replayed) c.header('Idempotent-Replayed', 'true')
  c.header('Location', `/archives/${id}#comment-${comment.id}`)
  return c.json({ comment: commentJson(comment, c.var.config.timezone) }, 201)
})

/** The exact reader count of a post; reading it is not a view. */
api.get('/posts/:id/views', apiPostId, async (c) => {
  const { id } = c.req.valid('param')
  const { status, views } = await roomObject(c.env, id).stats()
  if (status === 'deleted') throw new AppError(410, 'post_deleted', `Post "${id}" has been deleted.`)
  if (status !== 'published') throw new AppError(404, 'not_found', `There is no post "${id}".`)
  c.header('Cache-Control', 'no-store')
  return c.json({ views, label: c.var.t.readers(views) })
})

const statsQuery = validate(
  'query',
  z.object({
    days: z
      .string()
      .regex(/^\d{1,3}$/, 'days must be 1 to 366')
      .transform(Number)
      .pipe(z.number().int().min(1, 'days must be 1 to 366').max(366, 'days must be 1 to 366'))
      .optional(),
    post: postIdSchema.optional(),
  }),
  { status: 400, code: 'invalid_query' },
)

/** Views per day for the site and its most read posts (JSON). */
api.get('/stats', requireAdmin(), statsQuery, async (c) => {
  const { days = 30, post } = c.req.valid('query')
  // The objects return the latest `days` days that had views; keep the calendar window only.
  const since = formatDay(Date.now() - (days - 1) * 86_400_000, c.var.config.timezone)
  const recent = (daily: { day: string; views: number }[]) => daily.filter((d) => d.day >= since)
  c.header('Cache-Control', 'no-store')
  if (post) {
    const { status, views, comments, daily, shardBatches, shardViews } = await roomObject(c.env, post).stats(days)
    if (status === 'unknown') throw new AppError(404, 'not_found', `There is no post "${post}".`)
    return c.json({ id: post, status, since, views, comments, daily: recent(daily), shardBatches, shardViews })
  }
  const stats = await siteObject(c.env).stats(days)
  return c.json({ ...stats, since, site: recent(stats.site), posts: stats.posts.map((p) => ({ ...p, daily: recent(p.daily) })) })
})

/** Views per day as an SVG bar chart drawn on the server: the site, or one post with ?post=id. */
api.get('/stats.svg', requireAdmin(), statsQuery, async (c) => {
  const { days = 30, post } = c.req.valid('query')
  const today = formatDay(Date.now(), c.var.config.timezone)
  let points
  let title
  if (post) {
    const stats = await roomObject(c.env, post).stats(days)
    if (stats.status === 'unknown') throw new AppError(404, 'not_found', `There is no post "${post}".`)
    points = fillDays(stats.daily, days, today)
    title = `${post}: ${stats.views} views in all, per day (last ${days} days)`
  } else {
    const stats = await siteObject(c.env).stats(days)
    points = fillDays(stats.site, days, today)
    title = `${c.var.config.title}: views per day (last ${days} days)`
  }
  c.header('Content-Type', 'image/svg+xml; charset=utf-8')
  c.header('Cache-Control', 'no-store')
  return c.body(barChartSvg(points, title))
})

/** Re-renders every post and comment from its markdown (after a change of MATH_MACROS, say). */
api.post('/rerender', requireAdmin(), async (c) => {
  const queued = await siteObject(c.env).rerenderAll()
  return c.json({ result: 'queued', ...queued }, 202)
})

const methodNotAllowed = (allow: string) => () => {
  throw new AppError(405, 'method_not_allowed', `Allowed methods: ${allow}.`, { Allow: allow })
}
api.all('/posts', methodNotAllowed('POST'))
api.all('/posts/:id', methodNotAllowed('GET, PUT, DELETE'))
api.all('/posts/:id/comments', methodNotAllowed('GET, POST'))
api.all('/posts/:id/views', methodNotAllowed('GET'))

export default api
