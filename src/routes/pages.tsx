import { raw } from 'hono/html'
import { Hono, type Context } from 'hono'
import type { Child } from 'hono/jsx'
import { clientAcceptsGzip, gzipResponse, sendKept } from '../lib/compressed'
import { etagMatches, keepRenderedPage, keptWhile, listEtag, renderedPage } from '../lib/list-cache'
import { edgeKey, edgeMatch, edgePut } from '../lib/edge-cache'
import type { AppEnv } from '../app-env'
import { AppError } from '../lib/errors'
import { formIsUtf8, readForm, sameSiteForm } from '../lib/request'
import { pagePostId, validate } from '../lib/validate'
import { COMMENT_ORDERS, type CommentOrder, type PublicComment, type SiteSnapshot } from '../model'
import * as z from 'zod'
import { commentIdSchema, pageNumberSchema, postIdSchema } from '../schemas'
import {
  checkPreviewRate,
  commentsClosed,
  commentTextOf,
  limitCommentBody,
  redirectMoved,
  renderCommentChecked,
  submitComment,
} from '../services/comments'
import { afterComment, clientIp, hasAdminToken } from '../services/comment-effects'
import { likeFromThisSite, toggleLike } from '../services/comment-likes'
import { react, reactionFromThisSite, reactionOf } from '../services/reactions'
import { inThreadOrder, renderComments } from '../services/comment-thread'
import { identiconSvg } from '../lib/identicon'
import { roomObject } from '../lib/stubs'
import { recordedFresh } from '../lib/replay'
import { siteConfig, siteOrigin, type SiteConfig } from '../config'
import { strings, type Strings } from '../i18n'
import { commentSecret, editCookies, formTime, verify, type EditCookie } from '../lib/tokens'
import { getCookie } from 'hono/cookie'
import { loadPostPage } from '../services/post-page'
import type { PostPageData } from '../services/post-page-data'
import { viewRequest } from '../services/view-route'
import {
  findTerm,
  readArchive,
  readListPage,
  peekSnapshot,
  readPost,
  readSnapshot,
  readTermIndex,
  readTermPage,
  StaleSnapshotError,
} from '../storage/read-model'
import type { TermKind } from '../model'
import { resolveSlug, termPath } from '../lib/slug'
import { ArchivePage, TermIndexPage, TermPage } from '../views/finding'
import { bibtexFile, citationFor, citationKey, cslJsonFile, risFile, type CitationInput } from '../views/citation'
import type { CommentFormValues } from '../views/comments'
import { PostList } from '../views/front-page'
import { Layout } from '../views/layout'
import { Message } from '../views/message-page'
import { trendHtml } from '../views/post-page'
import { postPageMarkup, templatedPostPage, type PostPageExtras, type PostPageView } from '../views/post-page-template'
import { Sidebar } from '../views/sidebar'
import { ATOM_TYPE, RSS_TYPE } from '../views/seo'

const pages = new Hono<AppEnv>()

function notFound(): never {
  throw new AppError(404, 'not_found', 'Not found')
}

const HTML_TYPE = 'text/html; charset=UTF-8'

/**
 * Answers a list page (front page, term pages, index pages, archive, popular), all made from the site
 * snapshot and the immutable values it names:
 * - `ETag`/`Last-Modified` from the snapshot (and the code and settings), and 304 to a reader who has it;
 * - this isolate's rendering when it was made from the same snapshot (the snapshot itself is reused
 *   for LIST_CACHE_SECONDS), so a hot list page costs no KV read and no rendering;
 * - else the location's cache (lib/edge-cache.ts), keyed by the same version: another isolate's rendering;
 * - if a chunk was retired under an old snapshot, the snapshot is read again, once.
 * `render` returns the page, or a Response (a redirect) that is sent as it is.
 */
async function listResponse(c: Context<AppEnv>, render: (snapshot: SiteSnapshot | null) => Promise<Child | Response>): Promise<Response> {
  const { config } = c.var
  c.header('Cache-Control', 'no-cache')
  c.header('Vary', 'Accept-Encoding')
  // By address: without BASE_URL, a page's links follow the host it was asked for on.
  const key = c.var.origin + c.req.path
  // What makes a kept page's answer replayable (lib/replay.ts): the snapshot it was made from is still the isolate's.
  const kv = c.env.POSTS
  const peeks = [() => peekSnapshot(kv, config.listCacheMs)]
  for (let attempt = 0; ; attempt++) {
    const snapshot = await readSnapshot(c.env.POSTS, attempt === 0 ? config.listCacheMs : 0)
    if (snapshot) {
      const etag = listEtag(config, snapshot)
      c.header('ETag', etag)
      c.header('Last-Modified', new Date(snapshot.generatedAt).toUTCString())
      if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304)
      const hit = config.listCacheMs > 0 ? renderedPage(key, [snapshot], attempt === 0) : null
      if (hit && !hit.current) {
        // The page of the snapshot before, while another request makes this one: its own validators.
        const before = hit.page.sources[0] as SiteSnapshot
        const beforeTag = listEtag(config, before)
        c.header('ETag', beforeTag)
        c.header('Last-Modified', new Date(before.generatedAt).toUTCString())
        if (etagMatches(c.req.header('if-none-match'), beforeTag)) return c.body(null, 304)
      }
      if (hit) return sendKept(c, hit.page, { 'Content-Type': HTML_TYPE }, hit.current ? keptWhile(key, hit.page, peeks) : undefined)
    }
    const edge = snapshot ? edgeKey(c.var.origin, c.req.path, c.res.headers.get('ETag')!) : null
    const stored = edge ? await edgeMatch(c, edge) : null
    if (stored) {
      const bytes = new Uint8Array(await stored.arrayBuffer())
      if (config.listCacheMs > 0) {
        const kept = keepRenderedPage(key, [snapshot], bytes)
        return sendKept(c, kept, { 'Content-Type': HTML_TYPE }, keptWhile(key, kept, peeks))
      }
      return c.body(bytes, 200, { 'Content-Type': HTML_TYPE })
    }
    try {
      const page = await render(snapshot)
      if (page instanceof Response) return page
      const html = String(await (page as { toString(): string | Promise<string> }).toString())
      const kept = config.listCacheMs > 0 && snapshot ? keepRenderedPage(key, [snapshot], html) : null
      const bytes = kept ? kept.body : new TextEncoder().encode(html)
      if (edge) edgePut(c, edge, bytes, { 'Content-Type': HTML_TYPE })
      return kept
        ? sendKept(c, kept, { 'Content-Type': HTML_TYPE }, keptWhile(key, kept, peeks))
        : c.body(bytes, 200, { 'Content-Type': HTML_TYPE })
    } catch (err) {
      if (!(err instanceof StaleSnapshotError) || attempt >= 1) throw err
    }
  }
}

async function listPage(c: Context<AppEnv>, page: number) {
  const { config, t } = c.var
  return listResponse(c, async (snapshot) => {
    const list = snapshot
      ? await readListPage(c.env.POSTS, snapshot, page, config.pageSize)
      : page === 1
        ? { entries: [], page: 1, pages: 1, total: 0 }
        : null
    if (!list) notFound()
    return (
      <Layout
        config={config}
        t={t}
        title={page > 1 ? t.pageOf(page, list.pages) : undefined}
        description={config.description}
        canonical={`${c.var.origin}${page > 1 ? `/page/${page}` : '/'}`}
        sidebar={<Sidebar t={t} snapshot={snapshot} links={config.links} />}
      >
        <PostList list={list} counts={snapshot?.counts ?? {}} config={config} t={t} />
      </Layout>
    )
  })
}

pages.get('/', (c) => listPage(c, 1))

pages.get('/page/:n', validate('param', z.object({ n: pageNumberSchema }), { status: 404, code: 'not_found' }), (c) => {
  const { n } = c.req.valid('param')
  if (n === 1) return c.redirect('/', 301)
  return listPage(c, n)
})

/** A term slug in a URL (Hono has decoded it): at most 100 characters, nothing a slug never holds. */
const termSlugSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\u0000-\u001f\u007f/\\?#%]+$/)
const termParams = validate('param', z.object({ slug: termSlugSchema }), { status: 404, code: 'not_found' })
const termPageParams = validate('param', z.object({ slug: termSlugSchema, n: pageNumberSchema }), { status: 404, code: 'not_found' })

/** A category's or tag's list page; a name or a differently written slug of an existing term redirects to it. */
function termPage(c: Context<AppEnv>, kind: TermKind, slug: string, page: number) {
  const { config, t } = c.var
  return listResponse(c, async (snapshot) => {
    const found = snapshot ? await readTermPage(c.env.POSTS, snapshot, kind, slug, page, config.pageSize) : null
    if (!found) {
      const canonical = resolveSlug(slug, config.slugs[kind])
      if (snapshot && canonical !== slug && findTerm(await readTermIndex(c.env.POSTS, snapshot), kind, canonical)) {
        return c.redirect(termPath(kind, canonical, page), 301)
      }
      notFound()
    }
    const { term, list } = found
    const title = kind === 'category' ? t.categoryTitle(term.name) : t.tagTitle(term.name)
    return (
      <Layout
        config={config}
        t={t}
        title={page > 1 ? `${title} – ${t.pageOf(page, list.pages)}` : title}
        description={config.description}
        canonical={`${c.var.origin}${termPath(kind, term.slug, page)}`}
        feeds={[
          { title: `${config.title} – ${title}`, href: `${termPath(kind, term.slug)}/feed`, type: RSS_TYPE },
          { title: `${config.title} – ${title} (Atom)`, href: `${termPath(kind, term.slug)}/feed/atom`, type: ATOM_TYPE },
        ]}
        sidebar={<Sidebar t={t} snapshot={snapshot} links={config.links} />}
      >
        <TermPage kind={kind} term={term} list={list} counts={snapshot?.counts ?? {}} config={config} t={t} />
      </Layout>
    )
  })
}

for (const kind of ['category', 'tag'] as const) {
  pages.get(`/${kind}/:slug`, termParams, (c) => termPage(c, kind, c.req.valid('param').slug, 1))
  pages.get(`/${kind}/:slug/page/:n`, termPageParams, (c) => {
    const { slug, n } = c.req.valid('param')
    if (n === 1) return c.redirect(termPath(kind, slug), 301)
    return termPage(c, kind, slug, n)
  })
}

/** /categories and /tags: every term with its post count. */
function termIndexPage(c: Context<AppEnv>, kind: TermKind) {
  const { config, t } = c.var
  return listResponse(c, async (snapshot) => {
    const index = snapshot ? await readTermIndex(c.env.POSTS, snapshot) : { category: [], tag: [] }
    const terms = [...index[kind]].sort((a, b) => b.count - a.count || (a.slug < b.slug ? -1 : 1))
    return (
      <Layout
        config={config}
        t={t}
        title={kind === 'category' ? t.allCategories : t.allTags}
        description={config.description}
        canonical={`${c.var.origin}/${kind === 'category' ? 'categories' : 'tags'}`}
        sidebar={<Sidebar t={t} snapshot={snapshot} links={config.links} />}
      >
        <TermIndexPage kind={kind} terms={terms.map(({ slug, name, count }) => ({ slug, name, count }))} t={t} />
      </Layout>
    )
  })
}

pages.get('/categories', (c) => termIndexPage(c, 'category'))
pages.get('/tags', (c) => termIndexPage(c, 'tag'))

/** /archives: every post by year and month (also at /content.html, the old engine's address). */
function archivePage(c: Context<AppEnv>) {
  const { config, t } = c.var
  return listResponse(c, async (snapshot) => {
    const entries = snapshot ? await readArchive(c.env.POSTS, snapshot) : []
    return (
      <Layout
        config={config}
        t={t}
        title={t.archiveTitle}
        description={config.description}
        canonical={`${c.var.origin}/archives`}
        sidebar={<Sidebar t={t} snapshot={snapshot} links={config.links} />}
      >
        <ArchivePage entries={entries} counts={snapshot?.counts ?? {}} config={config} t={t} />
      </Layout>
    )
  })
}

pages.get('/archives', archivePage)
pages.get('/archives/', (c) => c.redirect('/archives', 301))
pages.get('/content.html', archivePage)

/**
 * `/random` (随机一篇): a redirect (302, never cached) to a published post picked at random, not a
 * standalone page; the front page while there is none. The site snapshot, which the lists read (its
 * `counts` name every published post and page), is all it reads.
 */
pages.get('/random', async (c) => {
  const snapshot = await readSnapshot(c.env.POSTS, c.var.config.listCacheMs)
  const standalone = new Set((snapshot?.pages ?? []).map((p) => p.id))
  const ids = snapshot ? Object.keys(snapshot.counts).filter((id) => !standalone.has(id)) : []
  c.header('Cache-Control', 'no-store')
  return c.redirect(ids.length === 0 ? '/' : `/archives/${ids[Math.floor(Math.random() * ids.length)]}`, 302)
})

/** 热门文章: the most read posts, from the site snapshot (no Durable Object call). */
pages.get('/popular', (c) => {
  const { config, t } = c.var
  return listResponse(c, async (snapshot) => {
    const popular = snapshot?.popular ?? []
    return (
      <Layout
        config={config}
        t={t}
        title={t.popularPosts}
        canonical={`${c.var.origin}/popular`}
        sidebar={<Sidebar t={t} snapshot={snapshot} links={config.links} />}
      >
        <section class="popular-page">
          <h1>{t.popularPosts}</h1>
          <p class="popular-intro">{t.popularIntro}</p>
          {popular.length === 0 ? (
            <p class="empty">{t.noPosts}</p>
          ) : (
            <ol class="popular-list">
              {popular.map((p) => (
                <li>
                  <a href={`/archives/${p.id}`}>{p.title}</a> <span class="pp-views">{t.readers(p.views)}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </Layout>
    )
  })
})

/**
 * The writer's edit cookies: those named with this post's id (their comments here that they may
 * still change), and those named with another id, which may be an id this post had before it was
 * renamed (formerOwn).
 */
function ownComments(c: Context<AppEnv>, postId: string): { here: OwnCookie[]; elsewhere: EditCookie[] } {
  const all = editCookies(getCookie(c))
  return {
    here: all
      .filter((x) => x.postId === postId)
      .slice(0, 20)
      .map(({ id, token }) => ({ id, token })),
    elsewhere: all.filter((x) => x.postId !== postId).slice(0, 20),
  }
}

/** An edit cookie of this post: the comment and its token. */
type OwnCookie = { id: number; token: string }

/** The writer's edit cookies named with a former id of this post, and their held comments (formerOwn). */
type MovedOwn = { cookies: OwnCookie[]; pending: PublicComment[] }

/**
 * The writer's edit cookies named with an id this post had before it was renamed (KV's redirect
 * record there points here), and their held comments (the post's object checks the tokens): a
 * comment written shortly before a rename stays its writer's to see and change. Called only for a
 * reader with such cookies (a commenter of the last few minutes): a KV read per other id (five at most).
 */
async function formerOwn(env: Cloudflare.Env, id: string, elsewhere: EditCookie[]): Promise<MovedOwn> {
  const ids = [...new Set(elsewhere.map((x) => x.postId))].slice(0, 5)
  // (A failed read only means the cookie is not recognised: the page itself does not depend on it.)
  const stored = await Promise.all(ids.map((x) => readPost(env.POSTS, x).catch(() => null)))
  const former = new Set(
    ids.filter((_, i) => {
      const s = stored[i]
      return s?.kind === 'moved' && s.to === id
    }),
  )
  const cookies = elsewhere.filter((x) => former.has(x.postId)).map(({ id, token }) => ({ id, token }))
  return { cookies, pending: cookies.length > 0 ? await roomObject(env, id).ownPending(cookies) : [] }
}

/** What a post page is made from, loaded in parallel: the post and its view, the sidebar's snapshot, the writer's held comments, the form's time. */
interface PostPageInputs {
  data: PostPageData
  snapshot: SiteSnapshot | null
  ownPending: PublicComment[]
  /** The writer's edit cookies named with an id this post had before a rename (formerOwn). */
  ownMoved: OwnCookie[]
  formTimeValue: string
}

function loadPostPageInputs(
  env: Cloudflare.Env,
  config: SiteConfig,
  req: Request,
  id: string,
  commentPage: number,
  countable: boolean,
  own: { here: OwnCookie[]; elsewhere: EditCookie[] },
  /** The comment order asked for (`?order=`), when it is not COMMENT_ORDER. */
  order?: CommentOrder,
): Promise<PostPageInputs> {
  return Promise.all([
    viewRequest(env, config, req).then((view) =>
      loadPostPage(env, config, id, countable ? view : { ...view, countView: false }, commentPage, order),
    ),
    readSnapshot(env.POSTS, config.listCacheMs),
    own.here.length > 0 ? roomObject(env, id).ownPending(own.here) : Promise.resolve([]),
    own.elsewhere.length > 0 ? formerOwn(env, id, own.elsewhere) : NONE_MOVED,
    formTime(commentSecret(env)),
  ]).then(([data, snapshot, ownPending, moved, formTimeValue]) => ({
    data,
    snapshot,
    ownPending: moved.pending.length > 0 ? [...ownPending, ...moved.pending] : ownPending,
    ownMoved: moved.cookies,
    formTimeValue,
  }))
}

/** formerOwn's answer for a reader with no edit cookie named with another id (nearly everyone). */
const NONE_MOVED: MovedOwn = { cookies: [], pending: [] }

/**
 * Inputs the quick way (quickPostPage) loaded and then handed to the full way, by request: its
 * view was recorded once, so the full way must not load (and count) again.
 */
const handedOver = new WeakMap<Request, { inputs: PostPageInputs } | { error: unknown }>()

/**
 * A loaded post page's view: the writer's held comments placed where they belong (a page rendered
 * just for them), the comment being replied to, and the writer's comments still open to editing.
 */
async function postPageView(p: {
  config: SiteConfig
  t: Strings
  id: string
  countable: boolean
  origin: string
  data: Extract<PostPageData, { kind: 'ok' }>
  snapshot: SiteSnapshot | null
  ownPending: PublicComment[]
  own: OwnCookie[]
  replyId: number
  extras: PostPageExtras
  order?: CommentOrder
}): Promise<PostPageView> {
  const { config, t, id, data, ownPending } = p
  const { record, thread, page } = data
  const closed = commentsClosed(record, config)
  let html = page.html
  if (ownPending.length > 0) {
    const mine = ownPending.filter((x) => x.parent === null || thread.pageOf.get(x.parent) === page.number)
    if (mine.length > 0)
      html = await renderComments(
        id,
        // (A held edit of an answered comment replaces the placeholder readers get in its place. In
        // the page's order: pinned threads first, then COMMENT_ORDER.)
        inThreadOrder(thread, [...page.comments.filter((c) => !mine.some((x) => x.id === c.id)), ...mine]),
        config,
        t,
        closed,
      )
  }
  const replyTo = Number.isInteger(p.replyId) ? thread.comments.find((x) => x.id === p.replyId && x.status === 'approved') : undefined
  const editUntil = config.comments.editMinutes * 60_000
  const ownOpen = p.own
    .map((o) => ({
      id: o.id,
      until: (thread.comments.find((x) => x.id === o.id && x.status !== 'deleted') ?? ownPending.find((x) => x.id === o.id))?.createdAt,
    }))
    .filter((o): o is { id: number; until: number } => o.until !== undefined && o.until + editUntil > Date.now())
    .map((o) => ({ id: o.id, until: o.until + editUntil }))
  return {
    config,
    t,
    id,
    countable: p.countable,
    url: `${p.origin}/archives/${id}`,
    data,
    snapshot: p.snapshot,
    html,
    replyTo,
    ownOpen,
    closed,
    extras: p.extras,
    order: p.order,
  }
}

/**
 * A post page, or one of its comment pages (`commentPage` > 1, or an explicit comment-page URL):
 * only the post page itself (page 1 at its own URL, with no `?order=`) records a view. `order`: the
 * comment order the reader asked for (`?order=`, orderQuery).
 */
async function postPage(
  c: Context<AppEnv>,
  id: string,
  commentPage: number,
  countable: boolean,
  extras: PostPageExtras = {},
  order?: CommentOrder,
) {
  const { config, t } = c.var
  const cookies = ownComments(c, id)
  const handed = handedOver.get(c.req.raw)
  handedOver.delete(c.req.raw)
  if (handed && 'error' in handed) throw handed.error
  const { data, snapshot, ownPending, ownMoved, formTimeValue } = handed
    ? handed.inputs
    : await loadPostPageInputs(
        c.env,
        config,
        c.req.raw,
        id,
        commentPage,
        countable,
        cookies,
        order === config.comments.order ? undefined : order,
      )
  const own = ownMoved.length > 0 ? [...cookies.here, ...ownMoved] : cookies.here
  // A post page carries an exact, per-request count: no shared cache may keep it.
  c.header('Cache-Control', 'private, no-cache')
  if (data.kind === 'missing' || data.kind === 'no-such-page') notFound()
  // A renamed post: the old address (and its comment pages) point to the new one for good (301),
  // or for now (302) while only the old post's object says so (PostPageData, `moved`).
  if (data.kind === 'moved') {
    // The comment form sent to the old address (a preview, or a comment refused with its text given
    // back): 308 or 307, so the browser sends it again, method and body kept, to the new address.
    if (c.req.method === 'POST') return c.redirect(`/archives/${data.to}/comments`, data.temporary ? 307 : 308)
    const path = `/archives/${data.to}${commentPage > 1 ? `/comment-page-${commentPage}` : ''}`
    return c.redirect(order === undefined ? path : `${path}?order=${order}`, data.temporary ? 302 : 301)
  }
  if (data.kind === 'gone') {
    return c.html(
      <Layout config={config} t={t} title={t.goneTitle} sidebar={<Sidebar t={t} snapshot={snapshot} links={config.links} />}>
        <Message title={t.goneTitle} text={t.goneText} />
      </Layout>,
      410,
    )
  }
  if (data.kind === 'unavailable') {
    c.header('Retry-After', '5')
    return c.html(
      <Layout config={config} t={t} title={t.unavailableTitle} sidebar={<Sidebar t={t} snapshot={snapshot} links={config.links} />}>
        <Message title={t.unavailableTitle} text={t.unavailableText} />
      </Layout>,
      503,
    )
  }
  const replyId = Number(c.req.query('replyto') ?? extras.values?.parent)
  const v = await postPageView({ config, t, id, countable, origin: c.var.origin, data, snapshot, ownPending, own, replyId, extras, order })
  const plain =
    own.length === 0 && ownPending.length === 0 && v.replyTo === undefined && !extras.values && !extras.problem && !extras.status
  if (!plain) {
    const formKey = extras.values ? (c.req.query('key') ?? crypto.randomUUID()) : crypto.randomUUID()
    const trend = raw(trendHtml(data.daily, config, t))
    return c.html(postPageMarkup(v, { viewsText: t.readers(data.views), trend, formKey, formTime: formTimeValue }), extras.status ?? 200)
  }
  // The post page itself at its own address: its headers are the same for every reader, so the
  // quick way below may send the next reader's page under them (lib/replay.ts, Fresh).
  if (countable && data.page.number === 1 && !c.req.url.includes('?')) c.set('fresh', { key: id })
  const filled = await templatedPostPage(v, formTimeValue, clientAcceptsGzip(c.req.raw))
  c.header('Vary', 'Accept-Encoding')
  if (filled.gzip) return gzipResponse(c, filled.bytes, 200, { 'Content-Type': HTML_TYPE })
  return c.body(filled.bytes, 200, { 'Content-Type': HTML_TYPE })
}

/**
 * The post page before the router, for a reader's plain GET of a post whose answer the full way
 * has already given once at this URL (its headers recorded: lib/replay.ts, Fresh): no edit cookie,
 * no query, not conditional. It loads what the full way loads and makes the same page from the same
 * kept template, and skips only the way through the app (routing, middleware, the parameter schema,
 * setting the security headers one by one). Anything but a page to send (a deleted, moved or draft
 * post, an error) goes on to the full way with what was loaded, so the view is recorded once.
 */
export function quickPostPage(
  req: Request,
  env: Cloudflare.Env,
  full: (req: Request) => Response | Promise<Response>,
): Promise<Response> | null {
  const hit = recordedFresh(req, env)
  // (A request this way has handed on goes the full way, whoever passes it in again.)
  if (!hit || handedOver.has(req) || req.headers.get('cookie')?.includes('ce_')) return null
  return answerQuickly(req, env, hit, full)
}

async function answerQuickly(
  req: Request,
  env: Cloudflare.Env,
  recorded: { key: string; headers: Record<string, string>; gzipHeaders: Record<string, string> },
  full: (req: Request) => Response | Promise<Response>,
): Promise<Response> {
  const id = recorded.key
  let filled: { bytes: Uint8Array<ArrayBuffer>; gzip: boolean } | null = null
  try {
    const config = siteConfig(env)
    const inputs = await loadPostPageInputs(env, config, req, id, 1, true, { here: [], elsewhere: [] })
    const { data, snapshot } = inputs
    if (data.kind === 'ok') {
      const t = strings(config.language)
      const v = await postPageView({
        config,
        t,
        id,
        countable: true,
        origin: siteOrigin(config, req.url),
        data,
        snapshot,
        ownPending: inputs.ownPending,
        own: [],
        replyId: NaN,
        extras: {},
      })
      filled = await templatedPostPage(v, inputs.formTimeValue, clientAcceptsGzip(req))
    } else handedOver.set(req, { inputs })
  } catch (error) {
    // The full way answers as it would have (its error page), without loading the post again.
    handedOver.set(req, { error })
  }
  if (!filled) return full(req)
  if (!filled.gzip) return new Response(filled.bytes, { status: 200, headers: recorded.headers })
  return new Response(filled.bytes, { status: 200, headers: recorded.gzipHeaders, encodeBody: 'manual' })
}

/**
 * `?order=oldest|newest|hot` on a post page and its comment pages: the comments in the order a reader
 * chose (the 最早 / 最新 / 最热 links); any other value is a 400 (`invalid_order`, worded in the
 * site's language: lib/request.ts pageReason). Such a page is not a reader's view (the reader was
 * counted on the post page the link is on) and names the post's address as its canonical one.
 */
const orderQuery = validate('query', z.object({ order: z.enum(COMMENT_ORDERS).optional() }), { status: 400, code: 'invalid_order' })

/** orderQuery, only for an address with a query: the post page at its own address (nearly every reader) skips it. */
const commentOrderQuery = ((c, next) => (c.req.url.includes('?') ? orderQuery(c, next) : next())) as typeof orderQuery

pages.get('/archives/:id', pagePostId, commentOrderQuery, (c) => {
  // (commentOrderQuery checked the query only when there is one.)
  const order = c.req.url.includes('?') ? c.req.valid('query').order : undefined
  return postPage(c, c.req.valid('param').id, 1, order === undefined, {}, order)
})

const commentPageParams = validate(
  'param',
  z.object({
    id: postIdSchema,
    page: z
      .string()
      .regex(/^comment-page-[1-9][0-9]{0,5}$/)
      .transform((v) => Number(v.slice(13))),
  }),
  { status: 404, code: 'not_found' },
)

/** A comment page of a post (`/archives/:id/comment-page-:n`): the post with comment page n. Not a reader's view. */
pages.get('/archives/:id/:page{comment-page-[0-9]+}', commentPageParams, commentOrderQuery, (c) => {
  const { id, page } = c.req.valid('param')
  return postPage(c, id, page, false, {}, c.req.url.includes('?') ? c.req.valid('query').order : undefined)
})

const commentParams = validate('param', z.object({ id: postIdSchema, cid: commentIdSchema }), { status: 404, code: 'not_found' })

/**
 * A comment's permanent address: redirects to the comment page that holds it, at its anchor. The
 * post's object works the page out itself (no thread is copied out or rendered). A comment readers
 * cannot see (its writer's own held comment, say) leads to the post page, where its writer sees it.
 */
pages.get('/archives/:id/comments/:cid', commentParams, async (c) => {
  const { id, cid } = c.req.valid('param')
  const { perPage, order } = c.var.config.comments
  const { status, page, movedTo, missing } = await roomObject(c.env, id).pageOf(cid, perPage, order)
  c.header('Cache-Control', 'no-cache')
  // A renamed post's comment links (in mails, feeds, other sites) follow it. (302: the post's old
  // object says so from the moment its rows are copied, before the rename is confirmed.)
  if (movedTo !== undefined) return c.redirect(`/archives/${movedTo}/comments/${cid}`, 302)
  if (status === 'deleted') throw new AppError(410, 'gone', 'Gone')
  if (status !== 'published' || missing) notFound()
  return c.redirect(`/archives/${id}${page !== null && page > 1 ? `/comment-page-${page}` : ''}#comment-${cid}`, 302)
})

/**
 * The like button's form (赞) without JavaScript: likes the comment for the reader, or takes their
 * like back, and sends them back to the comment (303 to its permalink). From this site's pages only.
 */
pages.post('/archives/:id/comments/:cid/like', likeFromThisSite, commentParams, async (c) => {
  const { id, cid } = c.req.valid('param')
  // (A renamed post's old id: 308 or 307 to the like form at the new id, which the browser posts again, as the comment form's.)
  await toggleLike(c, id, cid).catch(redirectMoved((to) => `/archives/${to}/comments/${cid}/like`))
  return c.redirect(`/archives/${id}/comments/${cid}`, 303)
})

/** The like form's address, reloaded or shared: it leads to the comment. */
pages.get('/archives/:id/comments/:cid/like', commentParams, (c) => {
  const { id, cid } = c.req.valid('param')
  return c.redirect(`/archives/${id}/comments/${cid}`, 302)
})

/**
 * The post reactions' form (文章反应, "你认为这篇文章怎么样？") without JavaScript: the pressed button's
 * `reaction` becomes the reader's one reaction to the post (another one moves, the same one is taken
 * back), and the reader goes back to the reactions (303). From this site's pages only; bots 403; an
 * unknown reaction 400, REACTIONS off 404, with the reason in the site's language.
 */
pages.post('/archives/:id/reactions', reactionFromThisSite, pagePostId, async (c) => {
  const { id } = c.req.valid('param')
  const reaction = reactionOf(c, await readForm(c, c.var.t.commentErrors.formUnreadable))
  // (A renamed post's old id: 308 or 307 to the form at the new id, which the browser posts again, as a like's.)
  await react(c, id, reaction).catch(redirectMoved((to) => `/archives/${to}/reactions`))
  return c.redirect(`/archives/${id}#reactions`, 303)
})

/** The reactions form's address, reloaded or shared: it leads to the post's reactions. */
pages.get('/archives/:id/reactions', pagePostId, (c) => c.redirect(`/archives/${c.req.valid('param').id}#reactions`, 302))

/** An identicon (server-made, no third-party request): the key is a salted hash, so it reveals nothing. */
pages.get('/avatars/:file', async (c) => {
  const m = /^([0-9a-f]{32})\.svg$/.exec(c.req.param('file'))
  if (!m) notFound()
  return c.body(identiconSvg(m[1]!), 200, {
    'Content-Type': 'image/svg+xml; charset=utf-8',
    'Cache-Control': 'public, max-age=31536000, immutable',
  })
})

const unsubscribeQuery = validate(
  'query',
  z.object({ post: postIdSchema, comment: commentIdSchema, sig: z.string().regex(/^[A-Za-z0-9_-]{32}$/) }),
  { status: 400, code: 'invalid_link' },
)

/** The unsubscribe button posted from another site: a 403 that says to open the mailed link again. */
const unsubscribeFromThisSite = sameSiteForm((t) => t.unsubscribeCrossSite)

/** The unsubscribe link of a reply notification: a page with a button (a GET must change nothing: mail scanners follow links). */
pages.get('/comments/unsubscribe', unsubscribeQuery, async (c) => {
  const { config, t } = c.var
  const { post, comment, sig } = c.req.valid('query')
  if (!(await verify(commentSecret(c.env), 'unsubscribe', `${post}|${comment}`, sig))) throw new AppError(400, 'invalid_link', t.badLink)
  return c.html(
    <Layout config={config} t={t} title={t.unsubscribeTitle}>
      <Message title={t.unsubscribeTitle} text={t.unsubscribeText}>
        <form method="post" action={`/comments/unsubscribe?post=${post}&comment=${comment}&sig=${sig}`}>
          <button type="submit">{t.unsubscribeButton}</button>
        </form>
      </Message>
    </Layout>,
  )
})

pages.post('/comments/unsubscribe', unsubscribeFromThisSite, unsubscribeQuery, async (c) => {
  const { config, t } = c.var
  const { post, comment, sig } = c.req.valid('query')
  if (!(await verify(commentSecret(c.env), 'unsubscribe', `${post}|${comment}`, sig))) throw new AppError(400, 'invalid_link', t.badLink)
  // A link mailed before the post was renamed (and renamed again, perhaps) follows it to its comments.
  let at: string | null = post
  for (let hops = 0; at !== null && hops < 10; hops++) at = (await roomObject(c.env, at).unsubscribe(comment)).movedTo
  return c.html(
    <Layout config={config} t={t} title={t.unsubscribeTitle}>
      <Message title={t.unsubscribeTitle} text={t.unsubscribed} />
    </Layout>,
  )
})

/** The downloadable citation formats: `/archives/:id/cite.<ext>`. */
const CITATION_FILES = {
  bib: { type: 'application/x-bibtex; charset=utf-8', render: bibtexFile },
  ris: { type: 'application/x-research-info-systems; charset=utf-8', render: risFile },
  json: { type: 'application/vnd.citationstyles.csl+json', render: cslJsonFile },
} as const satisfies Record<string, { type: string; render: (c: CitationInput, accessed: number) => string }>

/**
 * A post's citation as a file. It reads only the post's KV record: a citation is not a reader's
 * view, so the post's object (and its count) is never involved. A deleted post is 410; a draft,
 * an unknown id and a hand-written markdown record not yet rendered (it is, on its first page
 * view) are 404.
 */
async function citationFile(c: Context<AppEnv>, id: string, ext: keyof typeof CITATION_FILES) {
  const stored = await readPost(c.env.POSTS, id)
  if (stored.kind === 'deleted') throw new AppError(410, 'gone', 'Gone')
  // A renamed post's citation files follow it, as its page does.
  if (stored.kind === 'moved') return c.redirect(`/archives/${stored.to}/cite.${ext}`, 301)
  if (stored.kind !== 'post' || stored.record.draft) notFound()
  const citation = citationFor(stored.record, c.var.config, c.var.t, `${c.var.origin}/archives/${id}`)
  const file = CITATION_FILES[ext]
  return c.body(file.render(citation, Date.now()), 200, {
    'Content-Type': file.type,
    'Content-Disposition': `attachment; filename="${citationKey(citation)}.${ext}"`,
    // The access date inside changes daily and the post may be edited: always revalidate.
    'Cache-Control': 'no-cache',
  })
}

pages.get('/archives/:id/cite.bib', pagePostId, (c) => citationFile(c, c.req.valid('param').id, 'bib'))
pages.get('/archives/:id/cite.ris', pagePostId, (c) => citationFile(c, c.req.valid('param').id, 'ris'))
pages.get('/archives/:id/cite.json', pagePostId, (c) => citationFile(c, c.req.valid('param').id, 'json'))

function formString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/**
 * The address a no-JavaScript preview or refused comment is shown at (the form's target): reloaded,
 * restored or shared, it leads to the post's form.
 */
pages.get('/archives/:id/comments', pagePostId, (c) => c.redirect(`/archives/${c.req.valid('param').id}#respond`, 302))

/** The comment form posted from another site: a 403 that says to post it again from the post's page. */
const commentFromThisSite = sameSiteForm((t) => t.commentErrors.crossSite)

/** The comment form's POST: stores the comment and redirects to it (no JavaScript needed), or shows a preview. */
pages.post('/archives/:id/comments', commentFromThisSite, pagePostId, limitCommentBody, async (c) => {
  const { config } = c.var
  const { id } = c.req.valid('param')
  const form = await readForm(c, c.var.t.commentErrors.formUnreadable)
  const fields = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, formString(v)]))
  const values: CommentFormValues = {
    parent: fields.parent,
    author: fields.author,
    email: fields.email,
    url: fields.url,
    body: fields.body,
    notify: fields.notify,
  }
  try {
    // Bytes that are not UTF-8 would be stored as U+FFFD: refused, as the JSON API refuses them, the text given back.
    if (!(await formIsUtf8(c))) throw new AppError(400, 'invalid_encoding', c.var.t.commentErrors.formNotUtf8)
    if (fields.intent === 'preview') {
      const body = commentTextOf({ body: fields.body }, c.var.t.commentErrors)
      await checkPreviewRate(c.env, config, clientIp(c))
      const previewHtml = (await renderCommentChecked(body, config)).html
      return postPage(c, id, 1, false, { values, previewHtml })
    }
    const admin = await hasAdminToken(c)
    const result = await submitComment(c.env, config, id, fields, {
      admin,
      ip: clientIp(c),
      userAgent: c.req.header('user-agent'),
      referrer: c.req.header('referer'),
      origin: c.var.origin,
    }).catch(redirectMoved((to) => `/archives/${to}/comments`))
    afterComment(c, id, result)
    return c.redirect(`/archives/${id}/comments/${result.comment.id}`, 303)
  } catch (err) {
    // (A 307 or 308: the post was renamed, and the browser sends the form again to its new address.)
    const redirect = err instanceof AppError && err.status >= 300 && err.status < 400
    if (!(err instanceof AppError) || err.status >= 500 || err.status === 404 || err.status === 410 || redirect) throw err
    // Show the reason and give the reader their text back in the form, on the post page.
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v)
    return postPage(c, id, 1, false, { values, problem: err.message, status: err.status })
  }
})

export default pages
