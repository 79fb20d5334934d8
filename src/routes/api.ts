import { Hono, type Context, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env'
import { requireAdmin } from '../lib/auth'
import { formatDay, formatIsoLocal } from '../lib/dates'
import { AppError, errorBody } from '../lib/errors'
import { limitBody, mediaType, parseJsonText, readJson, readMaybeGzippedText, readText, unsupportedMediaType } from '../lib/request'
import { isOverloaded, roomObject, siteObject } from '../lib/stubs'
import { isWellFormedText } from '../lib/unicode'
import { apiPostId, validate } from '../lib/validate'
import { renamedUrl } from '../lib/slug'
import type { PublicComment } from '../model'
import { REVISIONS_KEPT, type IfMatch, type PostSummary, type QueuePlace, type RevisionDetail, type RevisionInfo } from '../objects/site'
import type { PostFields, PostStatus } from '../model'
import * as z from 'zod'
import {
  batchSchema,
  commentIdSchema,
  CONTROL,
  countParam,
  describeIssues,
  eraseSchema,
  MAX_POST_BYTES,
  MAX_PRERENDERED_BYTES,
  postIdSchema,
} from '../schemas'
import { barChartSvg, fillDays } from '../views/charts'
import {
  blockedWord,
  bodyHash,
  checkPreviewRate,
  commentTextOf,
  limitCommentBody,
  MAX_COMMENT_HTML,
  readerRefusal,
  redirectMoved,
  renderCommentChecked,
  submitComment,
} from '../services/comments'
import { afterComment, clientIp, hasAdminToken, notifyAbout } from '../services/comment-effects'
import { likeFromThisSite, toggleLike } from '../services/comment-likes'
import { react, reactionFromThisSite, reactionOf } from '../services/reactions'
import { commentSecret, editCookieName, editCookies, formTime, PREVIEW_DAYS, previewToken } from '../lib/tokens'
import { deleteCookie, getCookie } from 'hono/cookie'
import type { ChangeResult, CommentAuth, ImportComment } from '../objects/post-room'
import { loadRenderer } from '../render/load'
import { COMMENT_RENDER_VERSION } from '../render/versions'
import { avatarKey } from '../lib/identicon'
import { commentRenderOptions } from '../lib/render-options'
import { readPost as readStoredPost, readSnapshot } from '../storage/read-model'
import type { RenderedPost } from '../render/render-post'
import type { ParsedPost } from '../services/publish'
import backup from './backup'

const MARKDOWN_TYPES = ['text/markdown', 'text/x-markdown', 'text/plain']
const POST_TYPES = ['application/json', ...MARKDOWN_TYPES]

/**
 * The write path's modules, loaded by the routes that use them (render/load.ts): publishing and
 * front matter (marked, KaTeX, highlight.js, js-yaml), export files, comment imports (htmlparser2).
 */
const publishing = () => import('../services/publish')
const backupFormat = () => import('../backup/format')
const api = new Hono<AppEnv>()

const putQuery = validate(
  'query',
  () =>
    z.object({
      sync: z.enum(['0', '1'], 'sync must be 1 or 0').optional(),
      prerendered: z.enum(['0', '1'], 'prerendered must be 1 or 0').optional(),
      dry_run: z.enum(['0', '1'], 'dry_run must be 1 or 0').optional(),
    }),
  { status: 400, code: 'invalid_query' },
)

const postQuery = validate('query', () => z.object({ dry_run: z.enum(['0', '1'], 'dry_run must be 1 or 0').optional() }), {
  status: 400,
  code: 'invalid_query',
})

/** One JSON line per publish or moderation action (Workers Logs, `wrangler tail`). */
function logEvent(event: string, fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ event, ...fields }))
}

/**
 * A 308 to `location` for a renamed post's old id, as a comment posted there gets (redirectMoved);
 * null when `id` was not renamed away (KV's record of the old id says where it went).
 */
async function renamedAnswer(c: Context<AppEnv>, id: string, location: (to: string) => string | null): Promise<Response | null> {
  const stored = await readStoredPost(c.env.POSTS, id)
  if (stored.kind !== 'moved') return null
  const to = location(stored.to)
  if (to === null) return null
  return c.json(errorBody('post_moved', `Post "${id}" was renamed to "${stored.to}".`), 308, { Location: to, 'Cache-Control': 'no-store' })
}

/**
 * A renamed post's old id (a page, a client or an admin tab from before the rename): where a route
 * of the post answers 410 post_deleted or 404, it answers 308 to the same route at the new id
 * instead (the method and body kept), so reading the post, its count or comments, or editing,
 * moderating or pinning one of its comments (their ids move with them) reaches the post. Only a post deleted by a rename: a
 * deleted post stays 410. What changes the post itself (DELETE, rename, a revision's restore) is
 * not sent on: repeating a deletion must not delete the renamed post. Costs nothing unless the
 * route answered 410 or 404 (then one KV read).
 */
const followRename =
  (param: 'id' | 'postId'): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    await next()
    // (410 where the post's object answers, 404 where the Site object has no post by that id.)
    const err = c.error
    if (!(err instanceof AppError) || !((err.status === 410 && err.code === 'post_deleted') || err.status === 404)) return
    const id = c.req.param(param)
    const reading = c.req.method === 'GET' || c.req.method === 'HEAD'
    if (id === undefined || (param === 'id' && !reading && !c.req.path.startsWith(`/api/posts/${id}/comments/`))) return
    const moved = await renamedAnswer(c, id, (to) => renamedUrl(c.req.url, id, to))
    if (moved) {
      c.error = undefined
      c.res = undefined
      c.res = moved
    }
  }
api.use('/posts/:id', followRename('id'))
api.use('/posts/:id/*', followRename('id'))
api.use('/comments/:postId/:commentId', followRename('postId'))
api.use('/comments/:postId/:commentId/*', followRename('postId'))

/** A post's ETag: its revision in the Site object's registry. */
const etagOf = (revision: number) => `"r${revision}"`

/**
 * The If-Match header: undefined when absent, `*`, or the revisions its entity tags name. A tag
 * that is not one of ours (`"r12"`, or weak `W/"r12"`) matches nothing, so the PUT gets 412.
 */
function ifMatchOf(c: Context<AppEnv>): IfMatch | undefined {
  const header = c.req.header('if-match')
  if (header === undefined) return undefined
  if (header.trim() === '*') return '*'
  const revisions: number[] = []
  for (const tag of header.split(',')) {
    const m = /^\s*(?:W\/)?"r([1-9][0-9]{0,14})"\s*$/.exec(tag)
    if (m) revisions.push(Number(m[1]))
  }
  return revisions
}

/**
 * `If-None-Match: *` on PUT: create the post only if the id is free (RFC 9110), checked atomically
 * with the write. Any other If-None-Match value is refused: a PUT has no representation to compare.
 */
function createOnlyOf(c: Context<AppEnv>): boolean {
  const header = c.req.header('if-none-match')
  if (header === undefined) return false
  if (header.trim() === '*') return true
  throw new AppError(400, 'invalid_header', 'On PUT, If-None-Match may only be "*" (create the post only if the id is free).')
}

/**
 * What a dry run answers: the post rendered as it would be stored (nothing is stored), and the fields
 * its page's header shows, as they were read (the web admin's preview shows them above the body).
 * `date` is null when the post gives none (a publish sets it).
 */
function dryRunJson(c: Context<AppEnv>, post: ParsedPost, rendered: RenderedPost) {
  const { html, excerptHtml, description, toc, mathErrors } = rendered
  const { config } = c.var
  const f = post.fields
  const at = (ms: number | undefined) => (ms === undefined ? null : formatIsoLocal(ms, config.timezone))
  return {
    dryRun: true,
    post: {
      title: f.title,
      author: f.author ?? config.author,
      date: at(f.date),
      updated: at(f.updated),
      category: f.category ?? null,
      tags: f.tags,
      type: f.type ?? 'post',
      draft: f.draft,
    },
    html,
    excerptHtml,
    description,
    toc,
    mathErrors,
  }
}

/** A signed, expiring link to a draft's (or scheduled post's) page. */
async function previewLink(c: Context<AppEnv>, id: string, days = PREVIEW_DAYS) {
  const expiresAt = Date.now() + days * 86_400_000
  const token = await previewToken(commentSecret(c.env), id, expiresAt)
  return { url: `${c.var.origin}/preview/${id}?token=${token}`, expiresAt: formatIsoLocal(expiresAt, c.var.config.timezone) }
}

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
    comments: !p.commentsClosed,
    reactions: !p.reactionsOff,
    series: p.series,
    /** URL slugs in effect (site mapping, front matter or the default). */
    categorySlug: p.categorySlug,
    tagSlugs: p.tagSlugs,
    /** post, or page (README: Pages); nav: a page linked from the header; aliases: old addresses (README: Redirects). */
    type: p.type ?? 'post',
    nav: p.nav ?? false,
    aliases: p.aliases,
    revision: p.revision,
    createdAt: formatIsoLocal(p.createdAt, tz),
    modifiedAt: formatIsoLocal(p.modifiedAt, tz),
  }
}

function commentJson(c: PublicComment, tz: string) {
  return {
    id: c.id,
    parent: c.parent,
    replyTo: c.replyTo,
    depth: c.depth,
    author: c.author,
    url: c.url,
    body: c.body,
    html: c.html,
    createdAt: formatIsoLocal(c.createdAt, tz),
    editedAt: c.editedAt === null ? null : formatIsoLocal(c.editedAt, tz),
    admin: c.admin,
    avatar: c.avatar ? `/avatars/${c.avatar}.svg` : null,
    status: c.status,
    pinned: c.pinned !== undefined,
    likes: c.likes ?? 0,
  }
}

/** Reads a post from a markdown or JSON body. */
async function readPost(c: Context<AppEnv>): Promise<{ post: ParsedPost; source: string }> {
  const type = mediaType(c)
  const tz = c.var.config.timezone
  if (type === 'application/json') {
    const source = await readText(c)
    return { post: (await publishing()).parseJsonPost(parseJsonText(source), tz), source }
  }
  if (MARKDOWN_TYPES.includes(type)) {
    const source = await readText(c)
    return { post: (await publishing()).parseMarkdownPost(source, tz), source }
  }
  throw unsupportedMediaType(POST_TYPES)
}

/** Liveness plus one KV read and one Site object call; 503 when either fails. */
api.get('/health', async (c) => {
  c.header('Cache-Control', 'no-store')
  const started = Date.now()
  // KV through the isolate's copy of the snapshot (LIST_CACHE_SECONDS): a probe every second costs
  // this isolate one KV read per window, and a KV outage shows once the copy is older than that (a
  // failed read is never kept).
  const [kv, site] = await Promise.allSettled([readSnapshot(c.env.POSTS, c.var.config.listCacheMs), siteObject(c.env).health()])
  const ok = kv.status === 'fulfilled' && site.status === 'fulfilled'
  if (!ok) console.error(JSON.stringify({ event: 'health.failed', kv: kv.status, site: site.status }))
  return c.json(
    {
      status: ok ? 'ok' : 'degraded',
      kv: kv.status === 'fulfilled' ? (kv.value === null ? 'empty' : 'ok') : 'error',
      site: site.status === 'fulfilled' ? 'ok' : 'error',
      // Only the published count: drafts and scheduled posts are nobody else's business.
      ...(site.status === 'fulfilled' ? { published: site.value.posts.published ?? 0 } : {}),
      ms: Date.now() - started,
    },
    ok ? 200 : 503,
  )
})

/** Creates or replaces a post. `?sync=1` is content sync: unchanged files and API-edited posts are left alone. */
api.put('/posts/:id', requireAdmin(), apiPostId, putQuery, putBodyLimit, async (c) => {
  const { id } = c.req.valid('param')
  const { sync, prerendered, dry_run } = c.req.valid('query')
  const publish = await publishing()
  let post: ParsedPost
  let source: string
  let rendered: RenderedPost | undefined
  if (prerendered === '1') {
    if (mediaType(c) !== 'application/json') throw unsupportedMediaType(['application/json'])
    source = await readText(c)
    ;({ post, rendered } = publish.parsePrerenderedPost(parseJsonText(source), c.var.config.timezone))
  } else {
    ;({ post, source } = await readPost(c))
  }
  if (dry_run === '1') {
    c.header('Cache-Control', 'no-store')
    const checked = await publish.dryRunPublish(c.env, c.var.config, {
      id,
      post,
      rendered,
      ifMatch: ifMatchOf(c),
      createOnly: createOnlyOf(c),
    })
    return c.json(dryRunJson(c, post, checked))
  }
  const { outcome } = await publish.publishPost(c.env, c.var.config, {
    id,
    post,
    origin: sync === '1' ? 'sync' : 'api',
    source,
    rendered,
    ifMatch: ifMatchOf(c),
    createOnly: createOnlyOf(c),
  })
  if (!outcome.ok) throw new AppError(outcome.status, outcome.code, outcome.message)
  const body = {
    result: outcome.result,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    post: postJson(outcome.post, c.var.config.timezone),
    ...(isHidden(outcome.post.status) ? { preview: await previewLink(c, id) } : {}),
  }
  c.header('ETag', etagOf(outcome.post.revision))
  if (outcome.result === 'created') {
    c.header('Location', `/archives/${id}`)
    return c.json(body, 201)
  }
  return c.json(body, 200)
})

/** Creates a post under the next free number. */
api.post('/posts', requireAdmin(), postQuery, limitBody(MAX_POST_BYTES), async (c) => {
  const { post, source } = await readPost(c)
  if (post.declaredId !== null)
    throw new AppError(400, 'invalid_post', 'POST /api/posts assigns the id; use PUT /api/posts/:id to choose one.')
  if (c.req.valid('query').dry_run === '1') {
    c.header('Cache-Control', 'no-store')
    const { dryRunPublish } = await publishing()
    return c.json(dryRunJson(c, post, await dryRunPublish(c.env, c.var.config, { id: null, post })))
  }
  const { publishPost } = await publishing()
  const { outcome } = await publishPost(c.env, c.var.config, { id: null, post, origin: 'api', source })
  if (!outcome.ok) throw new AppError(outcome.status, outcome.code, outcome.message)
  const id = outcome.post.id
  c.header('Location', `/archives/${id}`)
  c.header('ETag', etagOf(outcome.post.revision))
  return c.json(
    {
      result: outcome.result,
      post: postJson(outcome.post, c.var.config.timezone),
      ...(isHidden(outcome.post.status) ? { preview: await previewLink(c, id) } : {}),
    },
    201,
  )
})

/** Drafts and scheduled posts: stored, not shown to readers (but previewable). */
const isHidden = (status: PostStatus) => status === 'draft' || status === 'scheduled'

/** A search box's text (`q`): what a list holds it in is found as typed. */
const searchText = z
  .string()
  .trim()
  .min(1, 'q must be 1 to 100 characters')
  .max(100, 'q must be 1 to 100 characters')
  .refine((v) => !CONTROL.test(v) && isWellFormedText(v), 'q holds a control character or is not valid Unicode')

const listQuery = validate(
  'query',
  () =>
    z.object({
      status: z
        .enum(['all', 'published', 'draft', 'scheduled', 'deleted'], 'status must be all, published, draft, scheduled or deleted')
        .optional(),
      page: z
        .string()
        .regex(/^[1-9][0-9]{0,5}$/, 'page must be a number from 1')
        .transform(Number)
        .optional(),
      limit: countParam('limit', 200, 3).optional(),
      q: searchText.optional(),
    }),
  { status: 400, code: 'invalid_query' },
)

/**
 * Every post in a status (default: all but deleted, drafts and scheduled included), newest first, by
 * page; with `q`, those whose title or id holds the text.
 */
api.get('/posts', requireAdmin(), listQuery, async (c) => {
  const { status = 'all', page = 1, limit = 50, q } = c.req.valid('query')
  const { total, posts } = await siteObject(c.env).listPosts(status, (page - 1) * limit, limit, q)
  const tz = c.var.config.timezone
  const pages = Math.max(1, Math.ceil(total / limit))
  c.header('Cache-Control', 'no-store')
  return c.json({
    status,
    page,
    pages,
    total,
    limit,
    next:
      page < pages
        ? `/api/posts?${new URLSearchParams({ status, page: String(page + 1), limit: String(limit), ...(q ? { q } : {}) })}`
        : null,
    // (Readers and visible comments as the post's object last pushed them: the site's stats.)
    posts: posts.map((p) => ({ ...postJson(p, tz), views: p.views, commentCount: p.commentCount })),
  })
})

/** A post with its markdown: JSON, or `Accept: text/markdown` for the file. */
api.get('/posts/:id', requireAdmin(), apiPostId, async (c) => {
  const { id } = c.req.valid('param')
  const post = await siteObject(c.env).getPost(id)
  // (An id the post was renamed from: followRename answers 308 to the post instead.)
  if (!post) throw new AppError(404, 'not_found', `There is no post "${id}".`)
  if (post.status === 'deleted') throw new AppError(410, 'post_deleted', `Post "${id}" has been deleted.`)
  const tz = c.var.config.timezone
  c.header('ETag', etagOf(post.revision))
  c.header('Cache-Control', 'no-store')
  if ((c.req.header('accept') ?? '').includes('text/markdown')) {
    c.header('Content-Type', 'text/markdown; charset=utf-8')
    return c.body((await backupFormat()).postFile(id, post.fields, tz))
  }
  return c.json({ ...postJson(post, tz), declaredSlugs: post.declaredSlugs, body: post.body })
})

/** Removes a post from the site; its comments and count are kept for a later PUT of the same id. */
api.delete('/posts/:id', requireAdmin(), apiPostId, async (c) => {
  const { id } = c.req.valid('param')
  const site = siteObject(c.env)
  const ifMatch = ifMatchOf(c)
  const deleted = await site.deletePost(id, ifMatch)
  if (!deleted) {
    const existing = await site.getPost(id)
    if (existing) throw new AppError(410, 'post_deleted', `Post "${id}" is already deleted.`)
    // (If-Match: * asks for a post that exists.)
    if (ifMatch !== undefined) throw new AppError(412, 'precondition_failed', `If-Match: there is no post "${id}". Nothing was deleted.`)
    throw new AppError(404, 'not_found', `There is no post "${id}".`)
  }
  if ('ok' in deleted) throw new AppError(deleted.status, deleted.code, deleted.message)
  logEvent('post.delete', { id, revision: deleted.revision })
  return c.json({ result: 'deleted', post: postJson(deleted, c.var.config.timezone) })
})

function revisionJson(r: RevisionInfo, tz: string) {
  return {
    revision: r.revision,
    etag: etagOf(r.revision),
    current: r.current,
    status: r.status,
    title: r.title,
    date: formatIsoLocal(r.date, tz),
    modifiedAt: formatIsoLocal(r.modifiedAt, tz),
    origin: r.origin,
    size: r.size,
  }
}

const revisionParams = validate(
  'param',
  () =>
    z.object({
      id: postIdSchema,
      n: z
        .string()
        .regex(/^[1-9][0-9]{0,14}$/, 'not a revision number')
        .transform(Number),
    }),
  { status: 400, code: 'invalid_id' },
)

async function revisionOf(c: Context<AppEnv>, id: string, n: number): Promise<RevisionDetail> {
  const revision = await siteObject(c.env).getRevision(id, n)
  if (revision) return revision
  const post = await siteObject(c.env).getPost(id)
  if (!post) throw new AppError(404, 'not_found', `There is no post "${id}".`)
  throw new AppError(
    404,
    'no_such_revision',
    `Post "${id}" has no revision ${n} (the newest ${REVISIONS_KEPT} previous versions are kept).`,
  )
}

/** The post as it is now and its kept previous versions, newest first. */
api.get('/posts/:id/revisions', requireAdmin(), apiPostId, async (c) => {
  const { id } = c.req.valid('param')
  const list = await siteObject(c.env).listRevisions(id)
  if (!list) throw new AppError(404, 'not_found', `There is no post "${id}".`)
  const tz = c.var.config.timezone
  c.header('Cache-Control', 'no-store')
  return c.json({ id, current: list[0]!.revision, revisions: list.map((r) => revisionJson(r, tz)) })
})

/** One version: JSON (metadata and `post`, the fields PUT accepts), or `Accept: text/markdown` for the file. */
api.get('/posts/:id/revisions/:n', requireAdmin(), revisionParams, async (c) => {
  const { id, n } = c.req.valid('param')
  const revision = await revisionOf(c, id, n)
  const tz = c.var.config.timezone
  c.header('ETag', etagOf(revision.revision))
  c.header('Cache-Control', 'no-store')
  if ((c.req.header('accept') ?? '').includes('text/markdown')) {
    c.header('Content-Type', 'text/markdown; charset=utf-8')
    return c.body((await backupFormat()).postFile(id, revision.fields, tz))
  }
  const f = revision.fields
  return c.json({
    ...revisionJson(revision, tz),
    post: {
      title: f.title,
      author: f.author ?? null,
      date: f.date === undefined ? null : formatIsoLocal(f.date, tz),
      updated: f.updated === undefined ? null : formatIsoLocal(f.updated, tz),
      category: f.category ?? null,
      tags: f.tags,
      summary: f.summary ?? null,
      draft: f.draft,
      comments: !f.commentsClosed,
      reactions: !f.reactionsOff,
      series: f.series ?? null,
      category_slug: f.categorySlug ?? null,
      tag_slugs: f.tagSlugs ?? {},
      body: f.body,
    },
  })
})

/**
 * Publishes a kept version again, as a new revision through the normal publish path (lists,
 * search and feeds follow). If-Match applies as to PUT.
 */
api.post('/posts/:id/revisions/:n/restore', requireAdmin(), revisionParams, async (c) => {
  const { id, n } = c.req.valid('param')
  const revision = await revisionOf(c, id, n)
  const { publishPost } = await publishing()
  const { outcome } = await publishPost(c.env, c.var.config, {
    id,
    post: { fields: revision.fields, declaredId: null },
    origin: 'api',
    source: revision.fields.body,
    ifMatch: ifMatchOf(c),
  })
  if (!outcome.ok) throw new AppError(outcome.status, outcome.code, outcome.message)
  logEvent('post.restore_revision', { id, from: n, revision: outcome.post.revision })
  c.header('ETag', etagOf(outcome.post.revision))
  return c.json({ result: outcome.result, restoredFrom: n, post: postJson(outcome.post, c.var.config.timezone) })
})

const renameSchema = z.object({ to: postIdSchema })

/**
 * Gives a post a new id: its comments, reader count and revisions go with it, and the old address
 * answers 301 to the new one. The old id is not reused. If-Match applies as to PUT.
 */
api.post('/posts/:id/rename', requireAdmin(), apiPostId, limitBody(4096), async (c) => {
  const { id } = c.req.valid('param')
  if (mediaType(c) !== 'application/json') throw unsupportedMediaType(['application/json'])
  const parsed = renameSchema.safeParse(await readJson(c))
  if (!parsed.success) throw new AppError(400, 'invalid_request', describeIssues(parsed.error))
  const { to } = parsed.data
  if (to === id) throw new AppError(400, 'invalid_request', 'to is the id the post already has.')
  const outcome = await siteObject(c.env).rename(id, to, ifMatchOf(c))
  if (!outcome.ok) throw new AppError(outcome.status, outcome.code, outcome.message)
  logEvent('post.rename', { from: id, to, revision: outcome.post.revision })
  c.header('Location', `/archives/${to}`)
  c.header('ETag', etagOf(outcome.post.revision))
  return c.json({ result: 'renamed', from: id, to, post: postJson(outcome.post, c.var.config.timezone) })
})

const previewQuery = validate(
  'query',
  () =>
    z.object({
      days: countParam('days', 90, 2).optional(),
    }),
  { status: 400, code: 'invalid_query' },
)

/** A signed link to the page of a draft or scheduled post that works without the token until it expires. */
api.post('/posts/:id/preview-link', requireAdmin(), apiPostId, previewQuery, async (c) => {
  const { id } = c.req.valid('param')
  const { days } = c.req.valid('query')
  const post = await siteObject(c.env).getPost(id)
  if (!post) throw new AppError(404, 'not_found', `There is no post "${id}".`)
  if (post.status === 'deleted') throw new AppError(410, 'post_deleted', `Post "${id}" has been deleted.`)
  c.header('Cache-Control', 'no-store')
  return c.json({ id, status: post.status, ...(await previewLink(c, id, days)) })
})

/** The approved comments of a post, flat, oldest first; each carries its `parent`. */
api.get('/posts/:id/comments', apiPostId, async (c) => {
  const { id } = c.req.valid('param')
  const { status, comments } = await roomObject(c.env, id).listComments()
  if (status === 'deleted') throw new AppError(410, 'post_deleted', `Post "${id}" has been deleted.`)
  if (status !== 'published') throw new AppError(404, 'not_found', `There is no post "${id}".`)
  const tz = c.var.config.timezone
  // total: approved comments (the count on the page); deleted placeholders are listed but not counted.
  return c.json({ total: comments.filter((x) => x.status === 'approved').length, comments: comments.map((x) => commentJson(x, tz)) })
})

/** Posts a comment as JSON. A retry with the same key (field or Idempotency-Key) returns the original. */
api.post('/posts/:id/comments', apiPostId, limitCommentBody, async (c) => {
  const { id } = c.req.valid('param')
  if (mediaType(c) !== 'application/json') throw unsupportedMediaType(['application/json'])
  const input = await readJson(c)
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AppError(400, 'invalid_comment', c.var.t.commentErrors.notAnObject)
  }
  const admin = await hasAdminToken(c)
  const result = await submitComment(
    c.env,
    c.var.config,
    id,
    input as Record<string, unknown>,
    { admin, ip: clientIp(c), userAgent: c.req.header('user-agent'), referrer: c.req.header('referer'), origin: c.var.origin },
    c.req.header('idempotency-key'),
  ).catch(redirectMoved((to) => `/api/posts/${to}/comments`))
  afterComment(c, id, result)
  if (result.replayed) c.header('Idempotent-Replayed', 'true')
  c.header('Location', `/archives/${id}/comments/${result.comment.id}`)
  return c.json({ comment: commentJson(result.comment, c.var.config.timezone), editToken: result.editToken }, 201)
})

const commentParams = validate('param', () => z.object({ id: postIdSchema, cid: commentIdSchema }), { status: 400, code: 'invalid_id' })

/**
 * How a change to a comment is authorised: the admin token, or the writer's edit token (cookie or
 * X-Comment-Token). Cookies for a comment of this number named with other post ids go along too: the
 * post may have been renamed since the comment was written, and its object knows its former ids.
 */
async function commentAuth(c: Context<AppEnv>, id: string, cid: number): Promise<CommentAuth | null> {
  if (await hasAdminToken(c)) return { admin: true }
  const more = editCookies(getCookie(c))
    .filter((x) => x.id === cid && x.postId !== id)
    .map((x) => x.token)
  const token = c.req.header('x-comment-token') ?? getCookie(c, editCookieName(id, cid)) ?? more.shift()
  if (!token) return null
  return { admin: false, token, ...(more.length > 0 ? { more } : {}), windowMs: c.var.config.comments.editMinutes * 60_000 }
}

/** The post object's answer to the admin API: its value, or its refusal (in English). */
function changed<T>(result: ChangeResult<T>): T {
  if (!result.ok) throw new AppError(result.status, result.code, result.message)
  return result.value
}

/** The post object's answer to a reader's request about comment `cid`: its value, or its refusal in the site's language. */
function readerChanged<T>(c: Context<AppEnv>, result: ChangeResult<T>, postId: string, cid: number): T {
  if (!result.ok) throw readerRefusal(c.var.t.commentErrors, result, { postId, comment: cid })
  return result.value
}

/** One comment: approved, or held for moderation and asked for by its writer (edit cookie or X-Comment-Token) or the admin. */
api.get('/posts/:id/comments/:cid', commentParams, async (c) => {
  const { id, cid } = c.req.valid('param')
  const comment = readerChanged(c, await roomObject(c.env, id).getComment(cid, await commentAuth(c, id, cid)), id, cid)
  // (A held comment is its writer's only: no shared cache may keep an answer.)
  c.header('Cache-Control', 'private, no-store')
  return c.json({ comment: commentJson(comment, c.var.config.timezone) })
})

/** Edits a comment's text: its writer within COMMENT_EDIT_MINUTES (edit cookie or X-Comment-Token), or the admin. */
api.patch('/posts/:id/comments/:cid', commentParams, limitCommentBody, async (c) => {
  const { id, cid } = c.req.valid('param')
  if (mediaType(c) !== 'application/json') throw unsupportedMediaType(['application/json'])
  const m = c.var.t.commentErrors
  const body = commentTextOf(await readJson(c), m)
  const auth = await commentAuth(c, id, cid)
  if (!auth) throw new AppError(403, 'not_your_comment', m.editNeedsBrowser(c.var.config.comments.editMinutes))
  const rendered = await renderCommentChecked(body, c.var.config)
  // A writer's edit is judged again: blocked words make it spam; under moderation it is held again
  // (the blog's author approved the old text, not this one). The admin's edits keep the status.
  const { moderation } = c.var.config.comments
  const status = auth.admin
    ? undefined
    : blockedWord(c.var.config, [body])
      ? ('spam' as const)
      : moderation !== 'open'
        ? ('pending' as const)
        : undefined
  const comment = readerChanged(
    c,
    await roomObject(c.env, id).editComment(
      cid,
      {
        status,
        body,
        html: rendered.html,
        excerpt: rendered.excerpt,
        renderVersion: COMMENT_RENDER_VERSION,
        bodyHash: await bodyHash(body),
      },
      auth,
    ),
    id,
    cid,
  )
  return c.json({ comment: commentJson(comment, c.var.config.timezone) })
})

/** Deletes a comment: its writer within COMMENT_EDIT_MINUTES, or the admin. */
api.delete('/posts/:id/comments/:cid', commentParams, async (c) => {
  const { id, cid } = c.req.valid('param')
  const auth = await commentAuth(c, id, cid)
  if (!auth) throw new AppError(403, 'not_your_comment', c.var.t.commentErrors.deleteNeedsBrowser(c.var.config.comments.editMinutes))
  readerChanged(c, await roomObject(c.env, id).deleteComment(cid, auth), id, cid)
  if (!auth.admin) deleteCookie(c, editCookieName(id, cid), { path: '/' })
  return c.json({ deleted: true, id: cid })
})

/**
 * Likes an approved comment (赞), or takes the reader's like back: a toggle, by the reader's liker
 * key (services/comment-likes.ts). From this site's pages only (403 otherwise); bots get 403.
 */
api.post('/posts/:id/comments/:cid/like', likeFromThisSite, commentParams, async (c) => {
  const { id, cid } = c.req.valid('param')
  // (A renamed post's old id: 308 or 307 to the same endpoint at the new id, as a comment posted there.)
  const { liked, likes } = await toggleLike(c, id, cid).catch(redirectMoved((to) => `/api/posts/${to}/comments/${cid}/like`))
  c.header('Cache-Control', 'no-store')
  return c.json({ liked, likes })
})

/**
 * A reader's reaction to a post (文章反应): `{ reaction }` becomes their one reaction (another one
 * moves, the same one is taken back) → `{ reaction, counts }` (services/reactions.ts). From this
 * site's pages only (403 otherwise); bots 403; an unknown reaction 400; REACTIONS off 404.
 */
api.post('/posts/:id/reactions', reactionFromThisSite, apiPostId, limitBody(4096), async (c) => {
  const { id } = c.req.valid('param')
  if (mediaType(c) !== 'application/json') throw unsupportedMediaType(['application/json'])
  const reaction = reactionOf(c, await readJson(c))
  // (A renamed post's old id: 308 or 307 to the same endpoint at the new id, as a like.)
  const answer = await react(c, id, reaction).catch(redirectMoved((to) => `/api/posts/${to}/reactions`))
  c.header('Cache-Control', 'no-store')
  return c.json(answer)
})

/** Renders a comment exactly as it would be stored (the live preview). */
api.post('/comments/preview', limitCommentBody, async (c) => {
  if (mediaType(c) !== 'application/json') throw unsupportedMediaType(['application/json'])
  const body = commentTextOf(await readJson(c), c.var.t.commentErrors)
  await checkPreviewRate(c.env, c.var.config, clientIp(c))
  c.header('Cache-Control', 'no-store')
  return c.json({ html: (await renderCommentChecked(body, c.var.config)).html })
})

/** What an API client needs before posting: a signed form time (`ts`) and the Turnstile site key. */
api.get('/comments/form', (c) => {
  c.header('Cache-Control', 'no-store')
  return formTime(commentSecret(c.env)).then((ts) =>
    c.json({ ts, minSeconds: c.var.config.comments.minSeconds, turnstileSiteKey: c.var.config.comments.turnstileSiteKey }),
  )
})

/**
 * A place in the moderation queue, as `next` gives it: `<created ms>.<comment number>.<post id>`
 * (the post id last: it may hold any slug character).
 */
const QUEUE_PLACE = /^([0-9]{1,15})\.([1-9][0-9]{0,8})\.([a-z0-9]+(?:-[a-z0-9]+)*)$/
const queuePlace = (p: QueuePlace) => `${p.createdAt}.${p.commentId}.${p.postId}`

const queueQuery = validate(
  'query',
  () =>
    z.object({
      status: z.enum(['pending', 'spam', 'approved'], 'status must be pending, spam or approved').optional(),
      limit: countParam('limit', 500, 3).optional(),
      before: z
        .string()
        .max(130)
        .regex(QUEUE_PLACE, 'before must be a place the queue gave as next')
        .transform((v): QueuePlace => {
          const [, ms, id, post] = QUEUE_PLACE.exec(v)!
          return { createdAt: Number(ms), commentId: Number(id), postId: post! }
        })
        .optional(),
      post: postIdSchema.optional(),
      q: searchText.optional(),
    }),
  { status: 400, code: 'invalid_query' },
)

/**
 * The moderation queue: comments with a status across all posts (or one, `post`; or those whose
 * author, e-mail or excerpt holds `q`), newest first, `limit` a page; `next` is the `before` of the
 * next page (null on the last), `counts` how many each status holds under the same filter.
 */
api.get('/comments', requireAdmin(), queueQuery, async (c) => {
  const { status = 'pending', limit = 100, before, post, q } = c.req.valid('query')
  const tz = c.var.config.timezone
  const { items, counts } = await siteObject(c.env).commentQueue(status, limit + 1, before, {
    ...(post ? { postId: post } : {}),
    ...(q ? { q } : {}),
  })
  const last = items.length > limit ? items[limit - 1] : undefined
  c.header('Cache-Control', 'no-store')
  return c.json({
    status,
    comments: items.slice(0, limit).map((i) => ({ ...i, createdAt: formatIsoLocal(i.createdAt, tz) })),
    next: last ? queuePlace(last) : null,
    counts,
  })
})

const modParams = validate('param', () => z.object({ postId: postIdSchema, commentId: commentIdSchema }), {
  status: 400,
  code: 'invalid_id',
})

/** The moderation actions one comment takes (and the batch route takes for many). */
type Moderation = 'approve' | 'spam' | 'delete'

/**
 * Approves a comment (notifying the author of the comment it answers), marks it as spam or deletes
 * it; a refusal (no such comment, a deleted post…) is thrown as the post object's AppError.
 */
async function moderate(c: Context<AppEnv>, action: Moderation, postId: string, commentId: number): Promise<PublicComment | null> {
  const room = roomObject(c.env, postId)
  if (action === 'delete') {
    changed(await room.deleteComment(commentId, { admin: true }))
    logEvent('comment.delete', { postId, commentId, by: 'admin' })
    return null
  }
  if (action === 'spam') {
    const comment = changed(await room.spamComment(commentId))
    logEvent('comment.spam', { postId, commentId })
    return comment
  }
  const { comment, notice } = changed(await room.approveComment(commentId))
  const stored = await readStoredPost(c.env.POSTS, postId)
  if (notice && stored.kind === 'post') notifyAbout(c, postId, stored.record, comment, notice, false)
  logEvent('comment.approve', { postId, commentId })
  return comment
}

api.post('/comments/:postId/:commentId/approve', requireAdmin(), modParams, async (c) => {
  const { postId, commentId } = c.req.valid('param')
  const comment = (await moderate(c, 'approve', postId, commentId))!
  return c.json({ result: 'approved', comment: commentJson(comment, c.var.config.timezone) })
})

api.post('/comments/:postId/:commentId/spam', requireAdmin(), modParams, async (c) => {
  const { postId, commentId } = c.req.valid('param')
  const comment = (await moderate(c, 'spam', postId, commentId))!
  return c.json({ result: 'spam', comment: commentJson(comment, c.var.config.timezone) })
})

/**
 * Pins a comment (置顶: its thread first on comment page 1) or unpins it. Only an approved top-level
 * comment, at most MAX_PINNED_COMMENTS (3) per post (409 with the reason otherwise); repeating either changes nothing.
 */
for (const pin of [true, false]) {
  api.post(`/comments/:postId/:commentId/${pin ? 'pin' : 'unpin'}`, requireAdmin(), modParams, async (c) => {
    const { postId, commentId } = c.req.valid('param')
    const comment = changed(await roomObject(c.env, postId).pinComment(commentId, pin))
    logEvent(pin ? 'comment.pin' : 'comment.unpin', { postId, commentId })
    return c.json({ result: pin ? 'pinned' : 'unpinned', pinned: pin, comment: commentJson(comment, c.var.config.timezone) })
  })
}

api.delete('/comments/:postId/:commentId', requireAdmin(), modParams, async (c) => {
  const { postId, commentId } = c.req.valid('param')
  await moderate(c, 'delete', postId, commentId)
  return c.json({ deleted: true, postId, id: commentId })
})

/**
 * One action on many comments (the moderation list's 批量 buttons): JSON `{action, comments: [{postId,
 * commentId}]}`, at most MAX_BATCH. Each comment is done in turn, as its own route would; one that is
 * refused (gone, a deleted post, its post object busy) is reported and the others go on.
 */
api.post('/comments/batch', requireAdmin(), limitBody(32_768), async (c) => {
  if (mediaType(c) !== 'application/json') throw unsupportedMediaType(['application/json'])
  const parsed = batchSchema.safeParse(await readJson(c))
  if (!parsed.success) throw new AppError(400, 'invalid_request', describeIssues(parsed.error))
  const { action } = parsed.data
  const seen = new Set<string>()
  const results: (
    | { postId: string; commentId: number; ok: true }
    | { postId: string; commentId: number; ok: false; status: number; code: string; message: string }
  )[] = []
  for (const { postId, commentId } of parsed.data.comments) {
    if (seen.has(`${postId}/${commentId}`)) continue
    seen.add(`${postId}/${commentId}`)
    try {
      await moderate(c, action, postId, commentId)
      results.push({ postId, commentId, ok: true })
    } catch (err) {
      if (err instanceof AppError) results.push({ postId, commentId, ok: false, status: err.status, code: err.code, message: err.message })
      else if (isOverloaded(err))
        results.push({
          postId,
          commentId,
          ok: false,
          status: 503,
          code: 'overloaded',
          message: 'The post is very busy; try this one again.',
        })
      else throw err
    }
  }
  const done = results.filter((r) => r.ok).length
  return c.json({ action, done, failed: results.length - done, results })
})

/** Erases everything one commenter left, on every post (a request under data-protection law). */
api.post('/comments/erase', requireAdmin(), async (c) => {
  if (mediaType(c) !== 'application/json') throw unsupportedMediaType(['application/json'])
  const parsed = eraseSchema.safeParse(await readJson(c))
  if (!parsed.success) throw new AppError(400, 'invalid_request', describeIssues(parsed.error))
  const who = parsed.data
  const posts = await siteObject(c.env).postsOfCommenter(who)
  let erased = 0
  for (const postId of posts) erased += await roomObject(c.env, postId).eraseCommenter(who)
  // Who was erased is not logged (that is the point of erasing).
  logEvent('comment.erase', { posts: posts.length, erased })
  return c.json({ erased, posts })
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
  () =>
    z.object({
      days: countParam('days', 366, 3).optional(),
      post: postIdSchema.optional(),
      /** The most read posts of the period (default) or of all time. */
      rank: z.enum(['period', 'all'], 'rank must be period or all').optional(),
    }),
  { status: 400, code: 'invalid_query' },
)

/** Views per day for the site and its most read posts (JSON). */
api.get('/stats', requireAdmin(), statsQuery, async (c) => {
  const { days = 30, post, rank = 'period' } = c.req.valid('query')
  // The objects return the latest `days` days that had views; keep the calendar window only.
  const since = formatDay(Date.now() - (days - 1) * 86_400_000, c.var.config.timezone)
  const recent = (daily: { day: string; views: number }[]) => daily.filter((d) => d.day >= since)
  c.header('Cache-Control', 'no-store')
  if (post) {
    const { status, views, comments, daily, shardBatches, shardViews, reactions, importedViews } = await roomObject(c.env, post).stats(days)
    if (status === 'unknown') throw new AppError(404, 'not_found', `There is no post "${post}".`)
    // (A renamed post's old id: its count and comments went with it; 308 to the stats of the new id.)
    const moved = status === 'deleted' && (await renamedAnswer(c, post, (to) => renamedUrl(c.req.url, post, to)))
    if (moved) return moved
    return c.json({ id: post, status, since, views, importedViews, comments, reactions, daily: recent(daily), shardBatches, shardViews })
  }
  const stats = await siteObject(c.env).stats(days, 10, rank === 'period' ? since : null)
  return c.json({ ...stats, since, rank, site: recent(stats.site), posts: stats.posts.map((p) => ({ ...p, daily: recent(p.daily) })) })
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
    const moved = stats.status === 'deleted' && (await renamedAnswer(c, post, (to) => renamedUrl(c.req.url, post, to)))
    if (moved) return moved
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

/** A page counter's URL may be this long (its key is kept with the post and in its backups). */
const MAX_COUNTER_URL = 1000

/** An export file may be this large (Waline and Twikoo exports of a big blog run to megabytes). */
const MAX_IMPORT_BYTES = 32 * 1024 * 1024

const importQuery = validate(
  'query',
  () =>
    z.object({
      format: z.enum(['waline', 'twikoo', 'artalk', 'wxr', 'disqus'], 'format must be waline, twikoo, artalk, wxr or disqus'),
    }),
  {
    status: 400,
    code: 'invalid_query',
  },
)

/**
 * Imports comments from Waline's or Twikoo's JSON export, Artalk's Artrans, a WordPress WXR file or
 * Disqus's XML export (the body, as exported, or gzipped). Each comment goes to the post named by its
 * page URL (a Disqus comment's thread's `<link>`; in WXR, its post's slug);
 * threads, dates, authors and statuses are kept; a repeated import adds nothing twice. The page
 * view counters in the file (Waline's data.Counter, Twikoo's counter export) add to the reader
 * counts of the posts their URLs name, all-time only, and also only once (`views` in the answer).
 */
api.post('/import/comments', requireAdmin(), importQuery, limitBody(MAX_IMPORT_BYTES), async (c) => {
  const { format } = c.req.valid('query')
  const { config } = c.var
  const [{ ImportFormatError, parseComments }, { importTargets }] = await Promise.all([
    import('../import/formats'),
    import('../import/targets'),
  ])
  const { renderComment } = await loadRenderer()
  let parsed
  try {
    parsed = parseComments(format, await readMaybeGzippedText(c, MAX_IMPORT_BYTES))
  } catch (err) {
    if (err instanceof ImportFormatError) throw new AppError(400, 'invalid_import', err.message)
    throw err
  }
  // Each page address to its post: an alias a post holds (its old permalink), else the id the address
  // ends in, followed through a rename (one call to the Site object for the file).
  const targetOf = await importTargets(c.env, [
    ...parsed.comments.map((x) => x.postRef),
    ...parsed.counters.filter((x) => x.postRef.length <= MAX_COUNTER_URL).map((x) => x.postRef),
  ])
  const secret = commentSecret(c.env)
  const byPost = new Map<string, ImportComment[]>()
  const skipped = [...parsed.skipped]
  const options = commentRenderOptions(config)
  for (const item of parsed.comments) {
    const postId = targetOf(item.postRef)
    if (!postId) {
      skipped.push({ sourceId: item.sourceId, reason: 'no post id in its page URL' })
      continue
    }
    let rendered
    try {
      rendered = renderComment(item.body, options)
    } catch {
      skipped.push({ sourceId: item.sourceId, reason: 'the comment could not be rendered' })
      continue
    }
    if (rendered.html.length > MAX_COMMENT_HTML) {
      skipped.push({
        sourceId: item.sourceId,
        reason: `it renders larger than a comment may (${MAX_COMMENT_HTML.toLocaleString('en-US')} characters)`,
      })
      continue
    }
    const list = byPost.get(postId) ?? []
    list.push({
      importKey: `${format}:${item.sourceId}`,
      parentImportKey: item.parentSourceId === null ? null : `${format}:${item.parentSourceId}`,
      author: item.author,
      email: item.email,
      url: item.url,
      body: item.body,
      html: rendered.html,
      excerpt: rendered.excerpt,
      createdAt: item.createdAt,
      status: item.status,
      admin: item.admin,
      avatar: await avatarKey(secret, item.email, item.author),
      likes: item.likes ?? 0,
      ...(item.pinned ? { pinned: true } : {}),
    })
    byPost.set(postId, list)
  }
  const posts: { id: string; imported: number; skipped: number }[] = []
  let imported = 0
  for (const [postId, items] of byPost) {
    const result = await roomObject(c.env, postId).importComments(items, config.comments.maxDepth)
    if (result.imported === 0 && result.skipped === items.length) {
      const stats = await roomObject(c.env, postId).stats()
      if (stats.status === 'unknown' || stats.status === 'deleted') {
        for (const i of items) skipped.push({ sourceId: i.importKey, reason: `there is no post "${postId}"` })
      }
    }
    imported += result.imported
    posts.push({ id: postId, ...result })
  }
  // Page view counters (Waline's data.Counter, Twikoo's counter rows): to the post their URL names,
  // as the comments; each counter's figure is kept by its key, so an import repeated adds nothing.
  const countersByPost = new Map<string, { source: string; views: number; sourceId: string; url: string }[]>()
  const countersSkipped: { sourceId: string; url: string; reason: string }[] = []
  for (const counter of parsed.counters) {
    // (The key is kept with the post and in its backups: a URL this long is no blog page's.)
    if (counter.postRef.length > MAX_COUNTER_URL) {
      countersSkipped.push({
        sourceId: counter.sourceId.slice(0, 100),
        url: counter.postRef.slice(0, 100) + '…',
        reason: `its page URL is longer than ${MAX_COUNTER_URL} characters`,
      })
      continue
    }
    const postId = targetOf(counter.postRef)
    if (!postId) {
      countersSkipped.push({ sourceId: counter.sourceId, url: counter.postRef, reason: 'no post id in its page URL' })
      continue
    }
    const list = countersByPost.get(postId) ?? []
    list.push({ source: `${format}:${counter.postRef}`, views: counter.views, sourceId: counter.sourceId, url: counter.postRef })
    countersByPost.set(postId, list)
  }
  const viewPosts: { id: string; views: number; added: number }[] = []
  let viewsAdded = 0
  for (const [postId, rows] of countersByPost) {
    const result = await roomObject(c.env, postId).importViews(rows.map(({ source, views }) => ({ source, views })))
    if (!result.known) {
      for (const r of rows) countersSkipped.push({ sourceId: r.sourceId, url: r.url, reason: `there is no post "${postId}"` })
      continue
    }
    viewsAdded += result.added
    viewPosts.push({ id: postId, views: result.views, added: result.added })
  }
  return c.json({
    format,
    imported,
    posts,
    skipped: skipped.slice(0, 1000),
    skippedCount: skipped.length,
    postsInFile: parsed.posts.length,
    views: {
      counters: parsed.counters.length,
      added: viewsAdded,
      posts: viewPosts,
      skipped: countersSkipped.slice(0, 1000),
      skippedCount: countersSkipped.length,
    },
  })
})

/** Re-renders every post and comment from its markdown (after a change of MATH_MACROS, say). */
api.post('/rerender', requireAdmin(), async (c) => {
  const queued = await siteObject(c.env).rerenderAll()
  return c.json({ result: 'queued', ...queued }, 202)
})

// Site export and import (src/routes/backup.ts).
api.route('/', backup)

const methodNotAllowed = (allow: string) => () => {
  throw new AppError(405, 'method_not_allowed', `Allowed methods: ${allow}.`, { Allow: allow })
}
api.all('/posts', methodNotAllowed('GET, POST'))
api.all('/posts/:id/revisions', methodNotAllowed('GET'))
api.all('/posts/:id/revisions/:n', methodNotAllowed('GET'))
api.all('/posts/:id/revisions/:n/restore', methodNotAllowed('POST'))
api.all('/posts/:id/preview-link', methodNotAllowed('POST'))
api.all('/posts/:id/rename', methodNotAllowed('POST'))
api.all('/posts/:id', methodNotAllowed('GET, PUT, DELETE'))
api.all('/posts/:id/comments', methodNotAllowed('GET, POST'))
api.all('/posts/:id/views', methodNotAllowed('GET'))
api.all('/posts/:id/comments/:cid', methodNotAllowed('GET, PATCH, DELETE'))
api.all('/posts/:id/comments/:cid/like', methodNotAllowed('POST'))
api.all('/posts/:id/reactions', methodNotAllowed('POST'))
api.all('/comments', methodNotAllowed('GET'))
api.all('/comments/preview', methodNotAllowed('POST'))
api.all('/comments/erase', methodNotAllowed('POST'))
api.all('/comments/batch', methodNotAllowed('POST'))
api.all('/comments/form', methodNotAllowed('GET'))
api.all('/comments/:postId/:commentId/approve', methodNotAllowed('POST'))
api.all('/comments/:postId/:commentId/spam', methodNotAllowed('POST'))
api.all('/comments/:postId/:commentId/pin', methodNotAllowed('POST'))
api.all('/comments/:postId/:commentId/unpin', methodNotAllowed('POST'))
api.all('/comments/:postId/:commentId', methodNotAllowed('DELETE'))
api.all('/import/comments', methodNotAllowed('POST'))
api.all('/rerender', methodNotAllowed('POST'))
api.all('/stats', methodNotAllowed('GET'))
api.all('/stats.svg', methodNotAllowed('GET'))
api.all('/health', methodNotAllowed('GET'))

export default api
