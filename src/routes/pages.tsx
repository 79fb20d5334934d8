import { Hono, type Context } from 'hono'
import { csrf } from 'hono/csrf'
import type { AppEnv } from '../app-env'
import { AppError } from '../lib/errors'
import { limitBody } from '../lib/request'
import { pagePostId, validate } from '../lib/validate'
import type { SiteSnapshot } from '../model'
import * as z from 'zod'
import { MAX_COMMENT_BYTES, pageNumberSchema } from '../schemas'
import { submitComment } from '../services/comments'
import { loadPostPage } from '../services/post-page'
import { viewRequest } from '../services/view-route'
import { readListPage, readPost, readSnapshot, StaleSnapshotError, type ListPage } from '../storage/read-model'
import { bibtexFile, citationFor, citationKey, cslJsonFile, risFile, type CitationInput } from '../views/citation'
import { CommentForm, type CommentFormValues } from '../views/comments'
import { PostList } from '../views/front-page'
import { Layout } from '../views/layout'
import { Message } from '../views/message-page'
import { PostHead, PostPage } from '../views/post-page'
import { Sidebar } from '../views/sidebar'

const pages = new Hono<AppEnv>()

function notFound(): never {
  throw new AppError(404, 'not_found', 'Not found')
}

/** Reads a list page; if its chunks were retired under an old snapshot, reads the snapshot again. */
async function loadList(c: Context<AppEnv>, page: number): Promise<{ snapshot: SiteSnapshot | null; list: ListPage | null }> {
  for (let attempt = 0; ; attempt++) {
    const snapshot = await readSnapshot(c.env.POSTS)
    if (!snapshot) return { snapshot, list: page === 1 ? { entries: [], page: 1, pages: 1, total: 0 } : null }
    try {
      return { snapshot, list: await readListPage(c.env.POSTS, snapshot, page, c.var.config.pageSize) }
    } catch (err) {
      if (!(err instanceof StaleSnapshotError) || attempt >= 1) throw err
    }
  }
}

async function listPage(c: Context<AppEnv>, page: number) {
  const { config, t } = c.var
  const { snapshot, list } = await loadList(c, page)
  if (!list) notFound()
  c.header('Cache-Control', 'no-cache')
  return c.html(
    <Layout
      config={config}
      t={t}
      title={page > 1 ? t.pageOf(page, list.pages) : undefined}
      description={config.description}
      canonical={`${c.var.origin}${page > 1 ? `/page/${page}` : '/'}`}
      sidebar={<Sidebar t={t} snapshot={snapshot} />}
    >
      <PostList list={list} counts={snapshot?.counts ?? {}} config={config} t={t} />
    </Layout>,
  )
}

pages.get('/', (c) => listPage(c, 1))

pages.get('/page/:n', validate('param', z.object({ n: pageNumberSchema }), { status: 404, code: 'not_found' }), (c) => {
  const { n } = c.req.valid('param')
  if (n === 1) return c.redirect('/', 301)
  return listPage(c, n)
})

/** 热门文章: the most read posts, from the site snapshot (no Durable Object call). */
pages.get('/popular', async (c) => {
  const { config, t } = c.var
  const snapshot = await readSnapshot(c.env.POSTS)
  const popular = snapshot?.popular ?? []
  c.header('Cache-Control', 'no-cache')
  return c.html(
    <Layout
      config={config}
      t={t}
      title={t.popularPosts}
      canonical={`${c.var.origin}/popular`}
      sidebar={<Sidebar t={t} snapshot={snapshot} />}
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
    </Layout>,
  )
})

pages.get('/archives/:id', pagePostId, async (c) => {
  const { config, t } = c.var
  const { id } = c.req.valid('param')
  const [data, snapshot] = await Promise.all([
    viewRequest(c.env, config, c.req.raw).then((view) => loadPostPage(c.env, config, id, view)),
    readSnapshot(c.env.POSTS),
  ])
  const sidebar = <Sidebar t={t} snapshot={snapshot} />
  // A post page carries an exact, per-request count: no shared cache may keep it.
  c.header('Cache-Control', 'private, no-cache')
  if (data.kind === 'missing') notFound()
  if (data.kind === 'gone') {
    return c.html(
      <Layout config={config} t={t} title={t.goneTitle} sidebar={sidebar}>
        <Message title={t.goneTitle} text={t.goneText} />
      </Layout>,
      410,
    )
  }
  if (data.kind === 'unavailable') {
    c.header('Retry-After', '5')
    return c.html(
      <Layout config={config} t={t} title={t.unavailableTitle} sidebar={sidebar}>
        <Message title={t.unavailableTitle} text={t.unavailableText} />
      </Layout>,
      503,
    )
  }
  const { record, views, thread, backlinks, daily } = data
  const replyId = Number(c.req.query('replyto'))
  const replyTo = Number.isInteger(replyId) ? thread.comments.find((x) => x.id === replyId) : undefined
  return c.html(
    <Layout
      config={config}
      t={t}
      title={record.title}
      description={record.description}
      canonical={`${c.var.origin}/archives/${id}`}
      sidebar={sidebar}
      head={<PostHead post={record} config={config} t={t} url={`${c.var.origin}/archives/${id}`} />}
    >
      <PostPage
        post={record}
        views={views}
        backlinks={backlinks}
        daily={daily}
        thread={thread}
        config={config}
        t={t}
        url={`${c.var.origin}/archives/${id}`}
        formKey={crypto.randomUUID()}
        replyTo={replyTo}
      />
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

/** The comment form's POST: stores the comment and redirects to its anchor (no JavaScript needed). */
pages.post('/archives/:id/comments', csrf(), pagePostId, limitBody(MAX_COMMENT_BYTES), async (c) => {
  const { config, t } = c.var
  const { id } = c.req.valid('param')
  const form = await c.req.parseBody()
  const fields = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, formString(v)]))
  try {
    const { comment } = await submitComment(c.env, id, fields)
    return c.redirect(`/archives/${id}#comment-${comment.id}`, 303)
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500 || err.status === 404 || err.status === 410) throw err
    // Show the reason and give the reader their text back in a form that resubmits it.
    const values: CommentFormValues = {
      parent: fields.parent,
      author: fields.author,
      email: fields.email,
      url: fields.url,
      body: fields.body,
    }
    return c.html(
      <Layout config={config} t={t} title={t.badRequestTitle}>
        <Message title={t.badRequestTitle} text={err.message}>
          <CommentForm postId={id} t={t} formKey={fields.key || crypto.randomUUID()} values={values} />
          <p>
            <a href={`/archives/${id}`}>{t.backToPost}</a>
          </p>
        </Message>
      </Layout>,
      err.status,
    )
  }
})

export default pages
