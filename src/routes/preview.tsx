import { Hono } from 'hono'
import { raw } from 'hono/html'
import type { AppEnv } from '../app-env'
import { formatDateTime, formatDay, formatIsoLocal } from '../lib/dates'
import { AppError } from '../lib/errors'
import { siteObject } from '../lib/stubs'
import { checkPreviewToken, commentSecret } from '../lib/tokens'
import { pagePostId } from '../lib/validate'
import { readPost } from '../storage/read-model'
import { Layout } from '../views/layout'

/**
 * `/preview/:id?token=…`: the page of a draft or scheduled post for whoever holds a preview link
 * (POST /api/posts/:id/preview-link). The token is signed and expires. The page is the post as
 * rendered at publish time (its KV record); it counts no view, has no comment form, and is never
 * indexed or cached. A bad token is 403, an expired one 410, an unknown or deleted post 404.
 */
const preview = new Hono<AppEnv>()

preview.get('/preview/:id', pagePostId, async (c) => {
  const { id } = c.req.valid('param')
  const { config, t } = c.var
  c.header('X-Robots-Tag', 'noindex, nofollow')
  c.header('Cache-Control', 'private, no-store')
  // The token is in the URL: no link on the page may pass it on.
  c.header('Referrer-Policy', 'no-referrer')
  const check = await checkPreviewToken(commentSecret(c.env), id, c.req.query('token'))
  if (check === 'invalid') throw new AppError(403, 'invalid_token', 'This preview link is not valid.')
  if (check === 'expired') throw new AppError(410, 'expired_token', 'This preview link has expired; ask for a new one.')
  const [post, stored] = await Promise.all([siteObject(c.env).getPost(id), readPost(c.env.POSTS, id)])
  if (!post || post.status === 'deleted' || stored.kind !== 'post') throw new AppError(404, 'not_found', 'Not found')
  const record = stored.record
  const label =
    post.status === 'draft'
      ? t.previewDraft
      : post.status === 'scheduled'
        ? t.previewScheduled(formatDateTime(post.date, config.timezone))
        : t.previewPublished
  return c.html(
    <Layout config={config} t={t} title={record.title} head={<meta name="robots" content="noindex, nofollow" />}>
      <p class="preview-banner" role="status">
        {label}
      </p>
      <article class="post post-preview">
        <header class="post-header">
          <h1 class="post-title">{record.title}</h1>
          <div class="post-meta">
            {t.by} <span class="post-author">{record.author}</span>
            <span class="sep"> | </span>
            <time datetime={formatIsoLocal(record.date, config.timezone)}>{formatDay(record.date, config.timezone)}</time>
          </div>
        </header>
        <div class="post-body">{raw(record.html)}</div>
      </article>
    </Layout>,
  )
})

export default preview
