import { raw } from 'hono/html'
import type { FC } from 'hono/jsx'
import type { Strings } from '../../i18n'
import type { QueueStatus } from '../../model'
import { CsrfField } from './layout'

/** The sign-in form: a labelled password field; the token goes to POST /admin/login and nowhere else. */
export const SignInForm: FC<{ t: Strings; next?: string }> = ({ t, next }) => (
  <form method="post" action="/admin/login" class="admin-form admin-signin">
    {/* The admin page to open after signing in (checked again on the way back). */}
    {next ? <input type="hidden" name="next" value={next} /> : null}
    <p>{t.admin.signInIntro}</p>
    <p>
      <label for="admin-token">{t.admin.tokenLabel}</label>
      <input id="admin-token" name="token" type="password" autocomplete="current-password" required maxlength={512} />
    </p>
    <p>
      <button type="submit">{t.admin.signIn}</button>
    </p>
  </form>
)

/** The status filter above a list: one link per status (`path?status=…`), the current one marked. */
export const StatusTabs: FC<{
  label: string
  path: string
  current: string
  tabs: [status: string, text: string][]
  /** A tab's address, when it keeps more than the status (the moderation list's filter). */
  hrefOf?: (status: string) => string
}> = ({ label, path, current, tabs, hrefOf = (status) => `${path}?status=${status}` }) => (
  <nav aria-label={label} class="admin-tabs">
    <ul>
      {tabs.map(([status, text]) => (
        <li>
          <a href={hrefOf(status)} aria-current={status === current ? 'page' : undefined}>
            {text}
          </a>
        </li>
      ))}
    </ul>
  </nav>
)

/** A post as GET /api/posts lists it (the fields the admin shows). */
export interface AdminPostRow {
  id: string
  status: 'published' | 'draft' | 'scheduled' | 'deleted'
  title: string
  date: string
  revision: number
  /** Readers and visible comments, as the post's object last pushed them. */
  views: number
  commentCount: number
}

export type PostFilter = 'all' | 'published' | 'draft' | 'scheduled' | 'deleted'
export const POST_FILTERS: PostFilter[] = ['all', 'published', 'draft', 'scheduled', 'deleted']

/** `2024-05-01T08:30:00+08:00` → `2024-05-01 08:30` (the site's own time, as the API gives it). */
export const shortDate = (iso: string) => iso.slice(0, 16).replace('T', ' ')

export const PostList: FC<{
  t: Strings
  csrf: string
  status: PostFilter
  /** The search box's text: only posts whose title or id holds it. */
  q?: string | undefined
  page: number
  pages: number
  posts: AdminPostRow[]
}> = ({ t, csrf, status, q, page, pages, posts }) => {
  const a = t.admin
  const listHref = (s: string, n?: number) =>
    `/admin/posts?${new URLSearchParams({ status: s, ...(n === undefined ? {} : { page: String(n) }), ...(q ? { q } : {}) })}`
  const pageHref = (n: number) => listHref(status, n)
  return (
    <>
      <StatusTabs
        label={a.statusFilter}
        path="/admin/posts"
        current={status}
        tabs={POST_FILTERS.map((f) => [f, a.statuses[f]])}
        hrefOf={(s) => listHref(s)}
      />
      <form method="get" action="/admin/posts" class="admin-bulk" role="search">
        <input type="hidden" name="status" value={status} />
        <label for="admin-post-q">{a.searchPosts}</label>
        <input id="admin-post-q" type="search" name="q" value={q ?? ''} maxlength={100} />
        <button type="submit">{a.search}</button>
        {q ? <a href={`/admin/posts?status=${status}`}>{a.clearFilter}</a> : null}
      </form>
      {posts.length === 0 ? (
        <p>{q ? a.noPostsFound(q) : a.noPosts}</p>
      ) : (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">{a.colTitle}</th>
              <th scope="col">{a.colStatus}</th>
              <th scope="col">{a.colDate}</th>
              <th scope="col" class="admin-number">
                {a.colReaders}
              </th>
              <th scope="col" class="admin-number">
                {a.colCommentCount}
              </th>
              <th scope="col">{a.colActions}</th>
            </tr>
          </thead>
          <tbody>
            {posts.map((p) => (
              <tr data-post-id={p.id}>
                <td>
                  {p.status === 'deleted' ? p.title : <a href={`/admin/edit/${p.id}`}>{p.title}</a>}
                  <span class="admin-id"> ({p.id})</span>
                </td>
                <td class="admin-status">{a.statuses[p.status]}</td>
                <td class="admin-date">{shortDate(p.date)}</td>
                <td class="admin-number">{a.figure(p.views)}</td>
                <td class="admin-number">{a.figure(p.commentCount)}</td>
                <td class="admin-actions">
                  {p.status === 'published' ? <a href={`/archives/${p.id}`}>{a.view}</a> : null}
                  {p.status === 'draft' || p.status === 'scheduled' ? (
                    <form method="post" action={`/admin/edit/${p.id}/preview`}>
                      <CsrfField token={csrf} />
                      <button type="submit" class="admin-link-button">
                        {a.previewLink}
                      </button>
                    </form>
                  ) : null}
                  <a href={`/admin/edit/${p.id}/revisions`}>{a.revisions}</a>
                  <a href={`/admin/stats?post=${p.id}`}>{a.statsOfPost}</a>
                  {p.status === 'deleted' ? null : <a href={`/admin/comments?status=approved&post=${p.id}`}>{a.postComments}</a>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 ? (
        <nav class="admin-pager" aria-label={a.pageOf(page, pages)}>
          {page > 1 ? <a href={pageHref(page - 1)}>{a.prevPage}</a> : null} <span>{a.pageOf(page, pages)}</span>{' '}
          {page < pages ? <a href={pageHref(page + 1)}>{a.nextPage}</a> : null}
        </nav>
      ) : null}
    </>
  )
}

/** A comment as GET /api/comments lists it. */
export interface QueueComment {
  postId: string
  postTitle: string
  /** The post's status now; null: a post the registry does not hold. */
  postStatus: AdminPostRow['status'] | null
  commentId: number
  status: string
  author: string
  email: string | null
  excerpt: string
  createdAt: string
  /** A top-level comment (only such a one can be pinned); null: not known yet (reported before pins existed). */
  topLevel: boolean | null
  /** Pinned on its post (置顶). */
  pinned: boolean
}

/**
 * A queued comment's post: the comment's permalink (its page and anchor; a held one's post) while the
 * post is published. A draft or scheduled post has no page for readers (the permalink would be a 404),
 * so the link is its editor, marked with the status; a deleted post is only named, marked.
 */
const QueuePostLink: FC<{ t: Strings; comment: QueueComment }> = ({ t, comment: c }) => {
  const mark =
    c.postStatus !== null && c.postStatus !== 'published' ? <span class="admin-id"> ({t.admin.statuses[c.postStatus]})</span> : null
  if (c.postStatus === 'deleted')
    return (
      <>
        {c.postTitle}
        {mark}
      </>
    )
  const href =
    c.postStatus === 'draft' || c.postStatus === 'scheduled' ? `/admin/edit/${c.postId}` : `/archives/${c.postId}/comments/${c.commentId}`
  return (
    <>
      <a href={href}>{c.postTitle}</a>
      {mark}
    </>
  )
}

export type { QueueStatus }
export const QUEUE_STATUSES: QueueStatus[] = ['pending', 'spam', 'approved']

/** One page of the moderation queue as GET /api/comments gives it. */
export interface QueuePage {
  comments: QueueComment[]
  /** The `before` of the next (older) page; null on the last. */
  next: string | null
  /** How many comments each status holds. */
  counts: Record<QueueStatus, number>
}

/** What the moderation list is narrowed to: one post's comments, and/or those holding a text. */
export interface QueueFilter {
  post?: string
  q?: string
}

/**
 * The moderation list's query (`status=…&before=…&post=…&q=…`): its tabs, pages and every action's
 * way back (the admin's redirects too) keep the page and the filter with it.
 */
export function queueSearch(status: QueueStatus, where: QueueFilter & { before?: string | null } = {}): string {
  const { before, post, q } = where
  return new URLSearchParams({ status, ...(before ? { before } : {}), ...(post ? { post } : {}), ...(q ? { q } : {}) }).toString()
}

export const CommentQueue: FC<{
  t: Strings
  csrf: string
  status: QueueStatus
  queue: QueuePage
  before: string | null
  filter: QueueFilter
}> = ({ t, csrf, status, queue: { comments, next, counts }, before, filter }) => {
  const a = t.admin
  // (Where this page starts: a row's and the bulk form's action come back here.)
  const here = queueSearch(status, { ...filter, before })
  const action = (c: QueueComment, name: 'approve' | 'spam' | 'delete' | 'pin' | 'unpin', text: string, confirm?: string) => (
    <form method="post" action={`/admin/comments/${c.postId}/${c.commentId}/${name}?${here}`} data-confirm={confirm}>
      <CsrfField token={csrf} />
      <button type="submit">{text}</button>
    </form>
  )
  return (
    <>
      <StatusTabs
        label={a.statusFilter}
        path="/admin/comments"
        current={status}
        tabs={QUEUE_STATUSES.map((s) => [s, a.queueCount(a.queue[s], counts[s])])}
        hrefOf={(s) => `/admin/comments?${queueSearch(s as QueueStatus, filter)}`}
      />
      <form method="get" action="/admin/comments" class="admin-bulk" role="search">
        <input type="hidden" name="status" value={status} />
        {filter.post ? <input type="hidden" name="post" value={filter.post} /> : null}
        <label for="admin-q">{a.searchComments}</label>
        <input id="admin-q" type="search" name="q" value={filter.q ?? ''} maxlength={100} />
        <button type="submit">{a.search}</button>
        {filter.post ? <span>{a.filteredByPost(filter.post)}</span> : null}
        {filter.post || filter.q ? <a href={`/admin/comments?status=${status}`}>{a.clearFilter}</a> : null}
      </form>
      {comments.length === 0 ? (
        <p>{a.noComments}</p>
      ) : (
        <>
          {/* The bulk form: each row's checkbox belongs to it (form="bulk"), the row's own buttons are forms of their own. */}
          <form id="bulk" class="admin-bulk" method="post" action={`/admin/comments/bulk?${here}`}>
            <CsrfField token={csrf} />
            <span>{a.bulkLabel}</span>{' '}
            {status !== 'approved' ? (
              <button type="submit" name="action" value="approve">
                {a.approve}
              </button>
            ) : null}{' '}
            {status !== 'spam' ? (
              <button type="submit" name="action" value="spam">
                {a.markSpam}
              </button>
            ) : null}{' '}
            <button type="submit" name="action" value="delete" data-confirm={a.confirmDeleteSelected}>
              {a.deleteComment}
            </button>
          </form>
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">
                  {/* Shown by the admin's script, which ticks every row's box. */}
                  <input type="checkbox" data-select-all hidden aria-label={a.selectAll} />
                </th>
                <th scope="col">{a.colPost}</th>
                <th scope="col">{a.colAuthor}</th>
                <th scope="col">{a.colExcerpt}</th>
                <th scope="col">{a.colDate}</th>
                <th scope="col">{a.colActions}</th>
              </tr>
            </thead>
            <tbody>
              {comments.map((c) => (
                <tr data-comment={`${c.postId}/${c.commentId}`}>
                  <td>
                    <input
                      type="checkbox"
                      name="item"
                      value={`${c.postId}/${c.commentId}`}
                      form="bulk"
                      aria-label={a.selectComment(c.author, c.commentId)}
                    />
                  </td>
                  <td>
                    <QueuePostLink t={t} comment={c} />
                    {filter.post ? null : (
                      <>
                        {' '}
                        <a class="admin-id" href={`/admin/comments?status=${status}&post=${c.postId}`}>
                          {a.onlyThisPost}
                        </a>
                      </>
                    )}
                  </td>
                  <td>
                    {c.author}
                    {c.email ? <span class="admin-id"> {c.email}</span> : null}
                  </td>
                  <td>
                    {c.pinned ? (
                      <>
                        <strong class="admin-pinned">{a.pinnedMark}</strong>{' '}
                      </>
                    ) : null}
                    {c.excerpt}
                  </td>
                  <td class="admin-date">{shortDate(c.createdAt)}</td>
                  <td class="admin-actions">
                    {status !== 'approved' ? action(c, 'approve', a.approve) : null}
                    {status !== 'spam' ? action(c, 'spam', a.markSpam) : null}
                    {/* Only an approved top-level comment can be pinned (the API says why when one cannot). */}
                    <a href={`/admin/comments/${c.postId}/${c.commentId}/reply`}>{status === 'approved' ? a.reply : a.approveAndReply}</a>
                    <a href={`/admin/comments/${c.postId}/${c.commentId}/edit`}>{a.editComment}</a>
                    {status === 'approved' && c.pinned ? action(c, 'unpin', a.unpin) : null}
                    {status === 'approved' && !c.pinned && c.topLevel !== false ? action(c, 'pin', a.pin) : null}
                    {action(c, 'delete', a.deleteComment, a.confirmDeleteComment)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {before || next ? (
        <nav class="admin-pager" aria-label={a.queuePages}>
          {before ? <a href={`/admin/comments?${queueSearch(status, filter)}`}>{a.newestComments}</a> : null}{' '}
          {next ? <a href={`/admin/comments?${queueSearch(status, { ...filter, before: next })}`}>{a.olderComments}</a> : null}
        </nav>
      ) : null}
    </>
  )
}

/** A comment as GET /api/posts/:id/comments/:cid gives it (the fields the reply and edit pages show). */
export interface ReplyTarget {
  id: number
  author: string
  /** Its markdown (the edit form's text). */
  body: string
  html: string
  createdAt: string
  status: string
}

/**
 * The blog's author working on one comment from the admin: the comment as readers see it, and a
 * form. `reply`: the text is posted as a reply in the author's name (SITE_AUTHOR, with the 博主
 * badge) through the comment API with the admin token; `formKey` makes a double submit store one
 * reply. `edit`: the comment's own text, to fix (a reader's LaTeX), saved through the API's PATCH.
 */
export const CommentReply: FC<{
  t: Strings
  csrf: string
  mode: 'reply' | 'edit'
  postId: string
  postTitle: string
  comment: ReplyTarget
  author: string
  /** The idempotency key (`key` itself is JSX's own prop). */
  formKey: string
  body?: string
}> = ({ t, csrf, mode, postId, postTitle, comment, author, formKey, body }) => {
  const a = t.admin
  // A held or spam comment is approved with the reply (a reply needs a shown comment).
  const held = comment.status === 'pending' || comment.status === 'spam'
  const back = `/admin/comments?status=${held ? comment.status : 'approved'}`
  return (
    <>
      <p>
        <a href={`/archives/${postId}/comments/${comment.id}`}>{postTitle}</a>
        <span class="admin-id"> #{comment.id}</span>
      </p>
      <blockquote class="admin-reply-to">
        <p>
          <strong>{comment.author}</strong> <span class="admin-date">{shortDate(comment.createdAt)}</span>
        </p>
        <div class="comment-body">{raw(comment.html)}</div>
      </blockquote>
      {mode === 'reply' && held ? <p class="admin-hint">{a.heldReplyHint(a.queue[comment.status as 'pending' | 'spam'])}</p> : null}
      <form method="post" action={`/admin/comments/${postId}/${comment.id}/${mode}`} class="admin-form admin-reply">
        <CsrfField token={csrf} />
        {mode === 'reply' ? <input type="hidden" name="key" value={formKey} /> : null}
        <label for="admin-reply-body">{mode === 'reply' ? a.replyAs(author) : a.editCommentLabel(comment.author)}</label>
        <textarea id="admin-reply-body" name="body" rows={8} required maxlength={10_000}>
          {body ?? (mode === 'edit' ? comment.body : '')}
        </textarea>
        <p class="admin-hint">{mode === 'reply' ? a.replyHint : a.editCommentHint}</p>
        <p>
          <button type="submit">{mode === 'edit' ? a.saveComment : held ? a.approveAndSendReply : a.sendReply}</button>{' '}
          <a href={back}>{a.cancel}</a>
        </p>
      </form>
    </>
  )
}
