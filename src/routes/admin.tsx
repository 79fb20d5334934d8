import { Hono, type Context } from 'hono'
import type { Child } from 'hono/jsx'
import { deleteCookie, setCookie } from 'hono/cookie'
import * as z from 'zod'
import { checkSignIn } from '../lib/auth'
import { formIsUtf8, limitBody, readForm } from '../lib/request'
import { sliceWhole, toWellFormed } from '../lib/unicode'
import { createSession, SESSION_COOKIE, SESSION_PATH } from '../lib/session'
import { validate } from '../lib/validate'
import { loadRenderer } from '../render/load'
import { MAX_BATCH, MAX_POST_BYTES, postIdSchema } from '../schemas'
import { Editor, RevisionList, RevisionView, type EditorProps, type RevisionRow } from '../views/admin/editor'
import { AdminLayout, type AdminPageProps, type Notice } from '../views/admin/layout'
import { PostStatsView, SiteStatsView, STATS_PERIODS, STATS_RANKS, type StatsPostRow } from '../views/admin/stats'
import { ImageLibrary, type ImageRow } from '../views/admin/images'
import { imageSettings, MEDIA_FILE_RE } from '../services/images'
import { fillDays, type Point } from '../views/charts'
import type { ReactionCounts } from '../model'
import { formatDay } from '../lib/dates'
import {
  CommentQueue,
  POST_FILTERS,
  PostList,
  QUEUE_STATUSES,
  SignInForm,
  type AdminPostRow,
  CommentReply,
  type QueuePage,
  queueSearch,
  type QueueStatus,
  type ReplyTarget,
} from '../views/admin/lists'
import { AppError } from '../lib/errors'
import { apiError, apiJson, callApi, forward, PostRenamedError, type AppFetch } from './admin-forward'
import { readPost } from '../storage/read-model'
import { renamedUrl } from '../lib/slug'
import { adminErrorText } from './admin-errors'
import { isAdminApi, requireSession, sameOrigin, type AdminEnv } from './admin-gate'

type C = Context<AdminEnv>

const NEW_POST = '---\ntitle: ""\ndraft: true\n---\n\n'

const signInForm = validate(
  'form',
  () => z.object({ token: z.string().max(512, 'token is too long'), next: z.string().max(2048).optional() }),
  { status: 400, code: 'invalid_form' },
)

/**
 * Where to go after signing in: the admin page that sent the browser to the sign-in (`next`), if it
 * is a page of this admin (never another site, `//host`, or the script's API) that a GET opens
 * (`canGet`, given the path relative to /admin: not an action such as /admin/logout, which only takes
 * POST and would answer 405); else the post list.
 */
export function afterSignIn(next: string | undefined, origin: string, canGet: (path: string) => boolean): string {
  if (!next || !next.startsWith('/admin/') || /[\s\\\u0000-\u001f\u007f]/.test(next)) return '/admin/posts'
  try {
    const url = new URL(next, origin)
    if (url.origin !== origin || !url.pathname.startsWith('/admin/') || url.pathname.startsWith('/admin/api/')) return '/admin/posts'
    if (!canGet(url.pathname.slice('/admin'.length))) return '/admin/posts'
    return `${url.pathname}${url.search}`
  } catch {
    return '/admin/posts'
  }
}
const idParam = validate('param', () => z.object({ id: postIdSchema }), { status: 404, code: 'not_found' })
const revisionParam = validate(
  'param',
  () =>
    z.object({
      id: postIdSchema,
      n: z
        .string()
        .regex(/^[1-9][0-9]{0,8}$/)
        .transform(Number),
    }),
  {
    status: 404,
    code: 'not_found',
  },
)
const editForm = validate(
  'form',
  () =>
    z.object({
      _csrf: z.string(),
      // (Its size is the API's to check, in bytes: its refusal keeps the text in the form.)
      source: z.string(),
      intent: z.enum(['publish', 'draft'], 'intent must be publish or draft'),
      etag: z
        .string()
        .regex(/^"r[1-9][0-9]{0,14}"$/, 'etag is not a revision')
        .optional(),
      id: z.union([z.literal(''), postIdSchema]).optional(),
    }),
  { status: 400, code: 'invalid_form' },
)
const listQuery = validate(
  'query',
  () =>
    z.object({
      status: z.enum(POST_FILTERS as [string, ...string[]], 'status must be all, published, draft, scheduled or deleted').optional(),
      page: z
        .string()
        .regex(/^[1-9][0-9]{0,5}$/, 'page must be a number from 1')
        .transform(Number)
        .optional(),
      deleted: postIdSchema.optional(),
      q: z.string().max(200).optional(),
    }),
  { status: 400, code: 'invalid_query' },
)
const statsQuery = validate(
  'query',
  () =>
    z.object({
      days: z.enum(STATS_PERIODS, 'days must be 7, 30, 90 or 365').transform(Number).optional(),
      post: postIdSchema.optional(),
      rank: z.enum(STATS_RANKS, 'rank must be period or all').optional(),
    }),
  { status: 400, code: 'invalid_query' },
)
const imagesQuery = validate(
  'query',
  () =>
    z.object({
      // A page of the list (the API's cursor, printable ASCII as the stores make them; the API checks it).
      cursor: z
        .string()
        .regex(/^[\x21-\x7e]{1,1000}$/)
        .optional(),
      uploaded: z.string().regex(MEDIA_FILE_RE).optional(),
      deleted: z.string().regex(MEDIA_FILE_RE).optional(),
    }),
  { status: 400, code: 'invalid_query' },
)
const imageParam = validate('param', () => z.object({ file: z.string().regex(MEDIA_FILE_RE) }), { status: 404, code: 'not_found' })
/** Images the 图片 page lists at once (each page sorted newest first; the store lists by key). */
const IMAGES_PAGE = 200
const renameForm = validate('form', () => z.object({ _csrf: z.string(), to: postIdSchema }), { status: 400, code: 'invalid_form' })
const doneQuery = validate(
  'query',
  () =>
    z.object({
      done: z.enum(['published', 'draft', 'scheduled']).optional(),
      renamed: postIdSchema.optional(),
      restored: z
        .string()
        .regex(/^[1-9][0-9]{0,8}$/)
        .transform(Number)
        .optional(),
    }),
  { status: 400, code: 'invalid_query' },
)
const queueQuery = validate(
  'query',
  () =>
    z.object({
      status: z.enum(QUEUE_STATUSES).optional(),
      // A page of the queue (the API's `next`; the API checks it).
      before: z
        .string()
        .max(130)
        .regex(/^[0-9a-z.-]+$/)
        .optional(),
      done: z.literal('1').optional(),
      // After a bulk action: how many comments were done and how many were not.
      n: z
        .string()
        .regex(/^[0-9]{1,3}$/)
        .transform(Number)
        .optional(),
      failed: z
        .string()
        .regex(/^[0-9]{1,3}$/)
        .transform(Number)
        .optional(),
      // Narrowing (the API checks both).
      post: z
        .string()
        .max(100)
        .regex(/^[a-z0-9-]+$/)
        .optional(),
      q: z.string().max(200).optional(),
      // After a reply: `post/comment` of the reply, linked from the notice.
      replied: z
        .string()
        .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*\/[1-9][0-9]{0,8}$/)
        .optional(),
      // After an edit: `post/comment` of the comment.
      edited: z
        .string()
        .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*\/[1-9][0-9]{0,8}$/)
        .optional(),
    }),
  {
    status: 400,
    code: 'invalid_query',
  },
)
/** Comments a page of the moderation queue lists. */
const QUEUE_PAGE = 100

/** The bulk form: the action and the ticked rows (`post/comment`). */
const bulkForm = validate(
  'form',
  () =>
    z.object({
      action: z.enum(['approve', 'spam', 'delete']),
      item: z
        .union([z.string(), z.array(z.string())])
        .optional()
        .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
        .pipe(
          z
            .array(
              z
                .string()
                .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*\/[1-9][0-9]{0,8}$/)
                .transform((v) => {
                  const cut = v.lastIndexOf('/')
                  return { postId: v.slice(0, cut), commentId: Number(v.slice(cut + 1)) }
                }),
            )
            .max(MAX_BATCH),
        ),
    }),
  { status: 400, code: 'invalid_form' },
)
const replyParam = validate('param', () => z.object({ postId: postIdSchema, commentId: z.string().regex(/^[1-9][0-9]{0,8}$/) }), {
  status: 404,
  code: 'not_found',
})
/** The edit form: the comment's new text (the API checks it). */
const commentEditForm = validate('form', () => z.object({ body: z.string().max(20_000) }), { status: 400, code: 'invalid_form' })
/** The reply form: its text and the idempotency key the page gave it (the API checks the text). */
const replyForm = validate('form', () => z.object({ body: z.string().max(20_000), key: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/) }), {
  status: 400,
  code: 'invalid_form',
})
const modParam = validate(
  'param',
  () =>
    z.object({
      postId: postIdSchema,
      commentId: z.string().regex(/^[1-9][0-9]{0,8}$/),
      action: z.enum(['approve', 'spam', 'delete', 'pin', 'unpin']),
    }),
  { status: 404, code: 'not_found' },
)

/** The order an `Allow` header lists methods in. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']

/** A route of the admin as the 405 check matches it: its method and its path as a RegExp. */
interface RoutePattern {
  method: string
  re: RegExp
}

/**
 * Each admin app's routes as RegExps, made on the first request (every route is registered by then)
 * and kept: the 405 check runs on every admin request. Made again only if routes were added since.
 */
const routePatterns = new WeakMap<Hono<AdminEnv>, { count: number; patterns: RoutePattern[] }>()

function patternsOf(app: Hono<AdminEnv>): RoutePattern[] {
  const kept = routePatterns.get(app)
  if (kept && kept.count === app.routes.length) return kept.patterns
  const patterns: RoutePattern[] = []
  for (const route of app.routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue
    const pattern = route.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+')
    patterns.push({ method: route.method, re: new RegExp(`^${pattern}$`) })
  }
  routePatterns.set(app, { count: app.routes.length, patterns })
  return patterns
}

/**
 * The methods the admin's routes take at a path (relative to /admin): those of every route whose
 * pattern matches it (a `:param` is one segment), HEAD with GET; none when no route matches. The
 * middleware and the script's forwarder (method ALL) are not counted.
 */
export function adminAllow(app: Hono<AdminEnv>, path: string): string[] {
  const methods = new Set<string>()
  for (const { method, re } of patternsOf(app)) {
    if (!re.test(path)) continue
    methods.add(method)
    if (method === 'GET') methods.add('HEAD')
  }
  return METHOD_ORDER.filter((m) => methods.has(m))
}

/** Sets `draft` in the post file's front matter (publish: false, draft: true); a file that does not parse is sent as it is (the API explains). */
export async function withDraft(source: string, draft: boolean): Promise<string> {
  const { parseFrontMatter, stringifyFrontMatter } = await loadRenderer()
  try {
    const { data, body } = parseFrontMatter(source)
    return stringifyFrontMatter({ ...data, draft }, body)
  } catch {
    return source
  }
}

/**
 * The web admin (README: Web admin): sign-in with the admin token, exchanged for a signed session
 * cookie; posts and drafts, the editor with live preview, revisions and the comment queue. Every
 * action goes through the JSON API (`appFetch`, the whole app) with the admin token added on the server.
 */
export function adminRoutes(appFetch: AppFetch): Hono<AdminEnv> {
  const admin = new Hono<AdminEnv>()
  const api = (c: C, method: string, path: string, call?: Parameters<typeof callApi>[4]) => callApi(c, appFetch, method, path, call)

  const page = (
    c: C,
    title: string,
    body: Child,
    opts: { notice?: Notice | null; current?: AdminPageProps['current']; status?: number } = {},
  ) => {
    c.status((opts.status ?? 200) as 200)
    const signedIn = c.var.csrf
    return c.html(
      <AdminLayout config={c.var.config} t={c.var.t} title={title} csrf={signedIn} notice={opts.notice} current={opts.current}>
        {body}
      </AdminLayout>,
    )
  }
  const signInPage = (c: C, notice: Notice | null, status = 200, next?: string) =>
    page(c, c.var.t.admin.signInTitle, <SignInForm t={c.var.t} next={next} />, { notice, status })

  // A refusal (the API's, passed on by apiJson, or the admin's own validation) is an admin page that
  // says why in the site's language (admin-errors.ts). Other errors, and the script's /admin/api/*
  // (JSON), are the app's to answer.
  admin.onError((err, c) => {
    if (!(err instanceof AppError) || isAdminApi(c)) throw err
    for (const [name, value] of Object.entries(err.headers)) c.header(name, value)
    const t = c.var.t
    const read = c.req.method === 'GET' || c.req.method === 'HEAD'
    // A post's page or action by an id it was renamed from (a bookmark, a page open from before the
    // rename): the same page at the post's new id, or the same form sent there again (307 keeps the
    // method and the body: a reply or a moderation action reaches the post, as a reader's comment does).
    const moved = err instanceof PostRenamedError ? renamedUrl(c.req.url, err.from, err.to) : null
    if (moved) return c.redirect(moved, read ? 302 : 307)
    const title =
      err.status === 404
        ? t.notFoundTitle
        : err.status === 410
          ? t.goneTitle
          : err.status >= 500
            ? t.errorTitle
            : read
              ? t.invalidRequestTitle
              : t.badRequestTitle
    return page(c, title, null, { notice: { kind: 'error', text: adminErrorText(t, err) }, status: err.status })
  })

  // Nothing here may be cached or indexed.
  admin.use(async (c, next) => {
    await next()
    c.res.headers.set('Cache-Control', 'no-store')
    c.res.headers.set('X-Robots-Tag', 'noindex, nofollow')
  })

  // An address of the admin asked with a method it does not take (GET /admin/login, PUT /admin/posts):
  // 405 with the methods it takes, before the session and CSRF checks (the routes below say which;
  // the script's /admin/api/* answers its own). An address that does not exist stays a 404.
  admin.use(async (c, next) => {
    if (isAdminApi(c)) return next()
    const allow = adminAllow(admin, c.req.path.slice('/admin'.length) || '/')
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method
    if (allow.length === 0 || allow.includes(method)) return next()
    c.header('Allow', allow.join(', '))
    return page(c, c.var.t.methodNotAllowedTitle, null, {
      notice: { kind: 'error', text: c.var.t.methodNotAllowedText(allow) },
      status: 405,
    })
  })

  // (An address the admin opens with GET: where signing in may go back to.)
  const canGet = (path: string) => adminAllow(admin, path).includes('GET')

  admin.get('/', (c) => {
    const next = afterSignIn(c.req.query('next'), new URL(c.req.url).origin, canGet)
    return signInPage(c, null, 200, next === '/admin/posts' ? undefined : next)
  })

  admin.post(
    '/login',
    limitBody(4096),
    async (c, next) => {
      if (!sameOrigin(c)) return signInPage(c, { kind: 'error', text: c.var.t.admin.csrfFailed }, 403)
      await next()
    },
    signInForm,
    async (c) => {
      const a = c.var.t.admin
      // (A failed attempt keeps where the browser was going.)
      const next = afterSignIn(c.req.valid('form').next, new URL(c.req.url).origin, canGet)
      const keep = next === '/admin/posts' ? undefined : next
      const result = await checkSignIn(c, c.req.valid('form').token)
      if (typeof result === 'object') {
        c.header('Retry-After', String(result.retryAfter))
        return signInPage(c, { kind: 'error', text: a.tooManyAttempts(result.retryAfter) }, 429, keep)
      }
      if (result === 'wrong') return signInPage(c, { kind: 'error', text: a.wrongToken }, 401, keep)
      const hours = c.var.config.adminSessionHours
      const { session, value } = await createSession(c.env.ADMIN_TOKEN, hours)
      setCookie(c, SESSION_COOKIE, value, {
        httpOnly: true,
        secure: true,
        sameSite: 'Strict',
        path: SESSION_PATH,
        maxAge: hours * 3600,
        expires: new Date(session.expiresAt),
      })
      return c.redirect(next, 303)
    },
  )

  // Form posts are read whole (the session's CSRF field is checked first), so their size is limited
  // before: an image upload to IMAGE_MAX_BYTES and the form around it, any other form to 4 MB.
  admin.use((c, next) => {
    if (c.req.method !== 'POST' || isAdminApi(c)) return next()
    const upload = c.req.path === '/admin/images'
    return limitBody(upload ? imageSettings(c.env).maxBytes + 64 * 1024 : MAX_POST_BYTES * 4)(c, next)
  })

  admin.use(
    requireSession((c, status, reason) => {
      const a = c.var.t.admin
      return signInPage(c, { kind: 'error', text: reason === 'csrf' ? a.csrfFailed : a.sessionExpired }, status)
    }),
  )

  admin.post('/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: SESSION_PATH, secure: true, httpOnly: true, sameSite: 'Strict' })
    return c.redirect('/admin', 303)
  })

  admin.all('/api/*', (c) => forward(c, appFetch))

  admin.get('/posts', listQuery, async (c) => {
    const { status = 'all', page: n = 1, deleted } = c.req.valid('query')
    // (An empty search box is no filter.)
    const q = c.req.valid('query').q?.trim() || undefined
    const query = new URLSearchParams({ status, page: String(n), limit: '20', ...(q ? { q } : {}) })
    const list = await apiJson<{ page: number; pages: number; posts: AdminPostRow[] }>(await api(c, 'GET', `/posts?${query}`))
    const a = c.var.t.admin
    return page(
      c,
      a.postsTitle,
      <PostList
        t={c.var.t}
        csrf={c.var.csrf!}
        status={status as AdminPostRow['status']}
        q={q}
        page={list.page}
        pages={list.pages}
        posts={list.posts}
      />,
      { current: 'posts', notice: deleted ? { kind: 'ok', text: a.deleted(deleted) } : null },
    )
  })

  /**
   * 统计: the site's readers per day and its most read posts (GET /api/stats, as the posts' objects
   * pushed them), or one post's exact figures (`post`, GET /api/stats?post=, from its object).
   */
  admin.get('/stats', statsQuery, async (c) => {
    const { days = 30, post, rank = 'period' } = c.req.valid('query')
    const a = c.var.t.admin
    const today = formatDay(Date.now(), c.var.config.timezone)
    if (post !== undefined) {
      // The figures and the post's title, asked for at once. (A deleted post keeps its figures; its
      // title is then its id. A standalone page, and a post with `reactions: false`, show no reactions.)
      const [figures, meta] = await Promise.all([api(c, 'GET', `/stats?post=${post}&days=${days}`), api(c, 'GET', `/posts/${post}`)])
      const stats = await apiJson<{ status: string; views: number; comments: number; reactions: ReactionCounts; daily: Point[] }>(figures)
      const { title, type, reactions } = meta.ok
        ? ((await meta.json()) as { title: string; type: string; reactions: boolean })
        : { title: post, type: 'post', reactions: true }
      return page(
        c,
        a.statsPostTitle(title),
        <PostStatsView
          t={c.var.t}
          days={days}
          id={post}
          title={title}
          published={stats.status === 'published'}
          views={stats.views}
          comments={stats.comments}
          reactions={{ keys: type === 'page' || !reactions ? [] : c.var.config.reactions, counts: stats.reactions }}
          daily={fillDays(stats.daily, days, today)}
        />,
        { current: 'stats' },
      )
    }
    const stats = await apiJson<{ totalViews: number; site: Point[]; posts: StatsPostRow[] }>(
      await api(c, 'GET', `/stats?days=${days}&rank=${rank}`),
    )
    return page(
      c,
      a.statsTitle,
      <SiteStatsView
        t={c.var.t}
        days={days}
        rank={rank}
        totalViews={stats.totalViews}
        site={fillDays(stats.site, days, today)}
        posts={stats.posts}
        lagSeconds={c.var.config.countPushSeconds}
      />,
      { current: 'stats' },
    )
  })

  /** 图片: the uploaded images (GET /api/images), a page at a time, and the upload form. */
  admin.get('/images', imagesQuery, async (c) => {
    const { cursor, uploaded, deleted } = c.req.valid('query')
    const a = c.var.t.admin
    const query = new URLSearchParams({ limit: String(IMAGES_PAGE), ...(cursor ? { cursor } : {}) })
    const list = await apiJson<{ images: ImageRow[]; cursor: string | null }>(await api(c, 'GET', `/images?${query}`))
    const images = [...list.images].sort((x, y) => (y.uploadedAt ?? 0) - (x.uploadedAt ?? 0))
    const notice: Notice | null = uploaded
      ? { kind: 'ok', text: a.imageUploaded(uploaded) }
      : deleted
        ? { kind: 'ok', text: a.imageDeleted(deleted) }
        : null
    return page(
      c,
      a.imagesTitle,
      <ImageLibrary
        t={c.var.t}
        csrf={c.var.csrf!}
        images={images}
        next={list.cursor}
        first={!cursor}
        maxBytes={imageSettings(c.env).maxBytes}
        timezone={c.var.config.timezone}
      />,
      { current: 'images', notice },
    )
  })

  /** The 图片 page's upload form (multipart, field `file`): POST /api/images with the file's bytes and type. */
  admin.post('/images', async (c) => {
    const form = await readForm(c, c.var.t.commentErrors.formUnreadable)
    const file = form.file
    if (!(file instanceof File) || file.size === 0) throw new AppError(400, 'no_file', c.var.t.admin.imageMissing)
    // The file's name, as the API keeps it (a note: at most 150 characters, no control characters or
    // slashes, whole characters); a browser's file name has none of those, a hand-made form might.
    const name = sliceWhole(toWellFormed(file.name).replace(/[\u0000-\u001f\u007f/\\]/g, ''), 150)
    const info = await apiJson<{ key: string }>(
      await api(c, 'POST', `/images?name=${encodeURIComponent(name)}`, {
        body: await file.arrayBuffer(),
        contentType: file.type || 'application/octet-stream',
      }),
    )
    return c.redirect(`/admin/images?uploaded=${info.key}`, 303)
  })

  /** A row's delete button: DELETE /api/images/:file, back to the list. */
  admin.post('/images/:file/delete', imageParam, async (c) => {
    const { file } = c.req.valid('param')
    const res = await api(c, 'DELETE', `/images/${file}`)
    if (!res.ok) throw await apiError(res)
    return c.redirect(`/admin/images?deleted=${file}`, 303)
  })

  const editor = (c: C, title: string, props: Omit<EditorProps, 't' | 'csrf'>, opts: { notice?: Notice | null; status?: number } = {}) =>
    page(c, title, <Editor t={c.var.t} csrf={c.var.csrf!} {...props} />, { ...opts, current: props.id === null ? 'new' : undefined })

  admin.get('/new', (c) => editor(c, c.var.t.admin.newTitle, { id: null, source: NEW_POST }))

  admin.post('/new', editForm, async (c) => {
    const a = c.var.t.admin
    const { source, intent, id = '' } = c.req.valid('form')
    const fail = (notice: Notice, status: number) => editor(c, a.newTitle, { id: null, newId: id, source }, { notice, status })
    if (!(await formIsUtf8(c))) return fail({ kind: 'error', text: a.formNotUtf8 }, 400)
    const text = await withDraft(source, intent === 'draft')
    // A chosen id is created only if it is free: If-None-Match: *, checked atomically by the Site object.
    const res = await api(c, id === '' ? 'POST' : 'PUT', id === '' ? '/posts' : `/posts/${id}`, {
      body: text,
      contentType: 'text/markdown; charset=utf-8',
      ...(id === '' ? {} : { ifNoneMatch: '*' }),
    })
    if (res.status === 412) return fail({ kind: 'error', text: a.idTaken }, 409)
    if (!res.ok) {
      const err = await apiError(res)
      return fail({ kind: 'error', text: a.failed + adminErrorText(c.var.t, err) }, err.status)
    }
    const { post } = (await res.json()) as { post: { id: string; status: string } }
    return c.redirect(
      `/admin/edit/${post.id}?done=${post.status === 'published' ? 'published' : post.status === 'scheduled' ? 'scheduled' : 'draft'}`,
      303,
    )
  })

  admin.get('/edit/:id', idParam, doneQuery, async (c) => {
    const { id } = c.req.valid('param')
    const { done, restored, renamed } = c.req.valid('query')
    const a = c.var.t.admin
    const [file, json] = await Promise.all([api(c, 'GET', `/posts/${id}`, { accept: 'text/markdown' }), api(c, 'GET', `/posts/${id}`)])
    if (!file.ok) throw await apiError(file)
    const post = await apiJson<{ title: string; status: EditorProps['status']; date: string }>(json)
    // What the last action did. (The API's date is ISO with the site's offset: its day and time are the site's.)
    const did =
      restored !== undefined
        ? a.restored(restored)
        : renamed !== undefined
          ? a.renamed(renamed)
          : done === 'published'
            ? a.published
            : done === 'draft'
              ? a.saved
              : done === 'scheduled'
                ? a.scheduledFor(post.date.slice(0, 16).replace('T', ' '))
                : null
    const notice: Notice | null = did === null ? null : { kind: 'ok', text: did }
    return editor(
      c,
      a.editTitle(post.title),
      { id, source: await file.text(), etag: file.headers.get('etag') ?? undefined, status: post.status },
      { notice },
    )
  })

  /**
   * A refused edit's page: it keeps the writer's text; its title and buttons are the stored post's (a
   * stale edit of a published post still offers 撤回为草稿, not 保存为草稿).
   */
  const editedPostPage = async (c: C, id: string, source: string, etag: string | undefined, notice: Notice, status: number) => {
    const stored = await api(c, 'GET', `/posts/${id}`)
    const current = stored.ok ? ((await stored.json()) as { title: string; status: EditorProps['status'] }) : null
    return editor(
      c,
      c.var.t.admin.editTitle(current?.title ?? id),
      { id, source, etag, ...(current ? { status: current.status } : {}) },
      { notice, status },
    )
  }

  admin.post('/edit/:id', idParam, editForm, async (c) => {
    const { id } = c.req.valid('param')
    const { source, intent, etag } = c.req.valid('form')
    const a = c.var.t.admin
    if (!(await formIsUtf8(c))) return editedPostPage(c, id, source, etag, { kind: 'error', text: a.formNotUtf8 }, 400)
    const res = await api(c, 'PUT', `/posts/${id}`, {
      body: await withDraft(source, intent === 'draft'),
      contentType: 'text/markdown; charset=utf-8',
      ifMatch: etag,
    })
    if (!res.ok) {
      const err = await apiError(res)
      const notice: Notice =
        err.status === 412
          ? { kind: 'error', text: a.stale, link: { href: `/admin/edit/${id}`, text: a.reloadLatest } }
          : { kind: 'error', text: a.failed + adminErrorText(c.var.t, err) }
      return editedPostPage(c, id, source, etag, notice, err.status)
    }
    const { post } = (await res.json()) as { post: { status: string } }
    return c.redirect(
      `/admin/edit/${id}?done=${post.status === 'published' ? 'published' : post.status === 'scheduled' ? 'scheduled' : 'draft'}`,
      303,
    )
  })

  admin.post('/edit/:id/delete', idParam, async (c) => {
    const { id } = c.req.valid('param')
    await apiJson(await api(c, 'DELETE', `/posts/${id}`))
    return c.redirect(`/admin/posts?deleted=${id}`, 303)
  })

  admin.post('/edit/:id/rename', idParam, renameForm, async (c) => {
    const { id } = c.req.valid('param')
    const { to } = c.req.valid('form')
    if (to === id) return c.redirect(`/admin/edit/${id}`, 303)
    await apiJson(await api(c, 'POST', `/posts/${id}/rename`, { body: JSON.stringify({ to }), contentType: 'application/json' }))
    return c.redirect(`/admin/edit/${to}?renamed=${id}`, 303)
  })

  admin.post('/edit/:id/preview', idParam, async (c) => {
    const { id } = c.req.valid('param')
    const { url } = await apiJson<{ url: string }>(await api(c, 'POST', `/posts/${id}/preview-link`))
    return c.redirect(url, 303)
  })

  admin.get('/edit/:id/revisions', idParam, async (c) => {
    const { id } = c.req.valid('param')
    const { revisions } = await apiJson<{ revisions: RevisionRow[] }>(await api(c, 'GET', `/posts/${id}/revisions`))
    return page(
      c,
      c.var.t.admin.revisionsTitle(revisions[0]?.title ?? id),
      <RevisionList t={c.var.t} csrf={c.var.csrf!} id={id} revisions={revisions} />,
    )
  })

  admin.get('/edit/:id/revisions/:n', revisionParam, async (c) => {
    const { id, n } = c.req.valid('param')
    const res = await api(c, 'GET', `/posts/${id}/revisions/${n}`, { accept: 'text/markdown' })
    if (!res.ok) throw await apiError(res)
    return page(c, c.var.t.admin.revisionTitle(n), <RevisionView t={c.var.t} csrf={c.var.csrf!} id={id} n={n} source={await res.text()} />)
  })

  admin.post('/edit/:id/revisions/:n/restore', revisionParam, async (c) => {
    const { id, n } = c.req.valid('param')
    await apiJson(await api(c, 'POST', `/posts/${id}/revisions/${n}/restore`))
    return c.redirect(`/admin/edit/${id}?restored=${n}`, 303)
  })

  /** Where the queue's page is, for a redirect back to it. */
  const queueHere = (status: QueueStatus, before?: string, post?: string, q?: string) =>
    `/admin/comments?${queueSearch(status, { before, post, q })}`

  admin.get('/comments', queueQuery, async (c) => {
    const { status = 'pending', before, done, n, failed, replied, edited, post, q } = c.req.valid('query')
    const a = c.var.t.admin
    // (An empty search box is no filter.)
    const filter = { ...(post ? { post } : {}), ...(q?.trim() ? { q: q.trim() } : {}) }
    const query = new URLSearchParams({ status, limit: String(QUEUE_PAGE), ...(before ? { before } : {}), ...filter })
    const queue = await apiJson<QueuePage>(await api(c, 'GET', `/comments?${query}`))
    // (Narrowed to an id the post was renamed from, a link from before the rename, the queue is
    // empty: the same list for the post's new id instead.)
    if (post && queue.comments.length === 0) {
      const stored = await readPost(c.env.POSTS, post)
      const moved = stored.kind === 'moved' ? renamedUrl(c.req.url, post, stored.to) : null
      if (moved) return c.redirect(moved, 302)
    }
    const notice: Notice | null = replied
      ? { kind: 'ok', text: a.replied, link: { href: `/archives/${replied.replace('/', '/comments/')}`, text: a.viewReply } }
      : edited
        ? { kind: 'ok', text: a.commentSaved, link: { href: `/archives/${edited.replace('/', '/comments/')}`, text: a.viewComment } }
        : n !== undefined
          ? { kind: failed ? 'error' : 'ok', text: n === 0 && !failed ? a.bulkNothing : a.bulkDone(n, failed ?? 0) }
          : done
            ? { kind: 'ok', text: a.moderated }
            : null
    return page(
      c,
      a.commentsTitle,
      <CommentQueue t={c.var.t} csrf={c.var.csrf!} status={status} queue={queue} before={before ?? null} filter={filter} />,
      {
        current: 'comments',
        notice,
      },
    )
  })

  /** The bulk form: one action on the ticked comments, through POST /api/comments/batch. */
  admin.post('/comments/bulk', queueQuery, bulkForm, async (c) => {
    const { status = 'pending', before, post, q } = c.req.valid('query')
    const { action, item } = c.req.valid('form')
    if (item.length === 0) return c.redirect(`${queueHere(status, before, post, q)}&n=0`, 303)
    const { done, failed } = await apiJson<{ done: number; failed: number }>(
      await api(c, 'POST', '/comments/batch', { contentType: 'application/json', body: JSON.stringify({ action, comments: item }) }),
    )
    return c.redirect(`${queueHere(status, before, post, q)}&n=${done}${failed ? `&failed=${failed}` : ''}`, 303)
  })

  /** The page that answers (or edits) a comment: the comment as readers see it, and the form (text kept after a refusal). */
  const replyPage = async (
    c: C,
    postId: string,
    commentId: string,
    opts: { mode?: 'reply' | 'edit'; body?: string; key?: string; notice?: Notice; status?: number } = {},
  ) => {
    const mode = opts.mode ?? 'reply'
    const { comment } = await apiJson<{ comment: ReplyTarget }>(await api(c, 'GET', `/posts/${postId}/comments/${commentId}`))
    const post = await apiJson<{ title: string }>(await api(c, 'GET', `/posts/${postId}`))
    return page(
      c,
      mode === 'reply' ? c.var.t.admin.replyTitle : c.var.t.admin.editCommentTitle,
      <CommentReply
        t={c.var.t}
        csrf={c.var.csrf!}
        mode={mode}
        postId={postId}
        postTitle={post.title}
        comment={comment}
        author={c.var.config.author}
        formKey={opts.key ?? crypto.randomUUID()}
        body={opts.body}
      />,
      { current: 'comments', notice: opts.notice ?? null, status: opts.status },
    )
  }

  admin.get('/comments/:postId/:commentId/reply', replyParam, async (c) => {
    const { postId, commentId } = c.req.valid('param')
    return replyPage(c, postId, commentId)
  })

  /**
   * Posts the reply in the author's name (SITE_AUTHOR, AUTHOR_EMAIL for the avatar) through the
   * comment API with the admin token: the 博主 badge, no spam checks, the reader told as any reply tells them.
   */
  admin.post('/comments/:postId/:commentId/reply', replyParam, replyForm, async (c) => {
    const { postId, commentId } = c.req.valid('param')
    const { body, key } = c.req.valid('form')
    const { config } = c.var
    if (!(await formIsUtf8(c)))
      return replyPage(c, postId, commentId, { body, key, notice: { kind: 'error', text: c.var.t.admin.formNotUtf8 }, status: 400 })
    // Answering a held (or spam) comment approves it first (通过并回复): a reply needs a shown comment.
    // (It stays approved if the reply is then refused: the form comes back to fix the text.)
    const target = await apiJson<{ comment: ReplyTarget }>(await api(c, 'GET', `/posts/${postId}/comments/${commentId}`))
    if (target.comment.status === 'pending' || target.comment.status === 'spam')
      await apiJson(await api(c, 'POST', `/comments/${postId}/${commentId}/approve`))
    const res = await api(c, 'POST', `/posts/${postId}/comments`, {
      contentType: 'application/json',
      body: JSON.stringify({
        author: config.author,
        ...(config.comments.authorEmail ? { email: config.comments.authorEmail } : {}),
        body,
        parent: Number(commentId),
        key,
      }),
    })
    if (!res.ok) {
      // The text stays in the form, with the reason (a 404 or 410: the comment or post is gone, said as such).
      const err = await apiError(res)
      if (err.status === 404 || err.status === 410) throw err
      return replyPage(c, postId, commentId, {
        body,
        key,
        notice: { kind: 'error', text: adminErrorText(c.var.t, err) },
        status: err.status,
      })
    }
    const { comment } = (await res.json()) as { comment: { id: number } }
    return c.redirect(`/admin/comments?status=approved&replied=${postId}/${comment.id}`, 303)
  })

  admin.get('/comments/:postId/:commentId/edit', replyParam, async (c) => {
    const { postId, commentId } = c.req.valid('param')
    return replyPage(c, postId, commentId, { mode: 'edit' })
  })

  /** Saves a comment's new text (the API's PATCH with the admin token: marked edited, status kept). */
  admin.post('/comments/:postId/:commentId/edit', replyParam, commentEditForm, async (c) => {
    const { postId, commentId } = c.req.valid('param')
    const { body } = c.req.valid('form')
    if (!(await formIsUtf8(c)))
      return replyPage(c, postId, commentId, {
        mode: 'edit',
        body,
        notice: { kind: 'error', text: c.var.t.admin.formNotUtf8 },
        status: 400,
      })
    const res = await api(c, 'PATCH', `/posts/${postId}/comments/${commentId}`, {
      contentType: 'application/json',
      body: JSON.stringify({ body }),
    })
    if (!res.ok) {
      const err = await apiError(res)
      if (err.status === 404 || err.status === 410) throw err
      return replyPage(c, postId, commentId, {
        mode: 'edit',
        body,
        notice: { kind: 'error', text: adminErrorText(c.var.t, err) },
        status: err.status,
      })
    }
    const { comment } = (await res.json()) as { comment: { status: string } }
    const status = comment.status === 'pending' || comment.status === 'spam' ? comment.status : 'approved'
    return c.redirect(`/admin/comments?status=${status}&edited=${postId}/${commentId}`, 303)
  })

  admin.post('/comments/:postId/:commentId/:action', modParam, queueQuery, async (c) => {
    const { postId, commentId, action } = c.req.valid('param')
    const { status = 'pending', before, post, q } = c.req.valid('query')
    const path = `/comments/${postId}/${commentId}`
    await apiJson(await (action === 'delete' ? api(c, 'DELETE', path) : api(c, 'POST', `${path}/${action}`)))
    return c.redirect(`${queueHere(status, before, post, q)}&done=1`, 303)
  })

  return admin
}
