import { Hono, type Context } from 'hono'
import { csrf } from 'hono/csrf'
import type { AppEnv } from '../app-env'
import { AppError } from '../lib/errors'
import { limitBody } from '../lib/request'
import { pagePostId, validate } from '../lib/validate'
import { isCountableView } from '../lib/views'
import type { SiteSnapshot } from '../model'
import * as z from 'zod'
import { MAX_COMMENT_BYTES, pageNumberSchema } from '../schemas'
import { submitComment } from '../services/comments'
import { loadPostPage } from '../services/post-page'
import { readListPage, readSnapshot, StaleSnapshotError, type ListPage } from '../storage/read-model'
import { CommentForm, type CommentFormValues } from '../views/comments'
import { PostList } from '../views/front-page'
import { Layout } from '../views/layout'
import { Message } from '../views/message-page'
import { PostPage } from '../views/post-page'
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
      sidebar={<Sidebar t={t} recent={snapshot?.recent ?? []} />}
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

pages.get('/archives/:id', pagePostId, async (c) => {
  const { config, t } = c.var
  const { id } = c.req.valid('param')
  const [data, snapshot] = await Promise.all([loadPostPage(c.env, config, id, isCountableView(c.req.raw)), readSnapshot(c.env.POSTS)])
  const sidebar = <Sidebar t={t} recent={snapshot?.recent ?? []} />
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
  const { record, views, thread } = data
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
    >
      <PostPage
        post={record}
        views={views}
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
