import type { FC } from 'hono/jsx'
import { raw } from 'hono/html'
import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import { formatDateTime, formatIsoLocal } from '../lib/dates'
import { COMMENT_ORDERS, type CommentOrder, type PublicComment } from '../model'

/** The comment section's script (public/assets/comments.js): preview, relative times, editing one's own comments. */
export { COMMENTS_JS } from './assets'

export interface ThreadProps {
  /** The comments of one comment page, in display order. */
  comments: PublicComment[]
  /** Comments shown on other pages are linked through /archives/:postId/comments/:cid. */
  postId: string
  config: SiteConfig
  t: Strings
  /** Comments closed: no reply links. */
  closed?: boolean
  /** The order a reader chose (`?order=`) when it is not COMMENT_ORDER: the reply links keep it. */
  order?: CommentOrder | undefined
}

interface ThreadContext {
  postId: string
  /** `order=…&` for the reply links of a thread in a reader's order, else empty. */
  orderQuery: string
  byParent: Map<number | null, PublicComment[]>
  byId: Map<number, PublicComment>
  config: SiteConfig
  t: Strings
  closed: boolean
}

/** The "in reply to @name" link: to the comment on this page, or through its permalink route when it is elsewhere. */
const ReplyToLink: FC<{ comment: PublicComment; ctx: ThreadContext }> = ({ comment: c, ctx }) => {
  const target = c.replyTo ?? c.parent
  if (target === null) return null
  const shown = ctx.byId.get(target)
  const href = shown ? `#comment-${target}` : `/archives/${ctx.postId}/comments/${target}`
  const label = shown && shown.status !== 'deleted' ? `@${shown.author}` : ctx.t.commentNumber(target)
  return (
    <span class="comment-parent">
      {ctx.t.inReplyTo} <a href={href}>{label}</a>
    </span>
  )
}

/**
 * The like button (赞) of an approved comment with its count (none shown at 0): a small POST form
 * that works without JavaScript (the server toggles the reader's like and sends them back to the
 * comment); comments.js sends it to the API instead, updates the count in place and marks the
 * button pressed (aria-pressed) for this browser's likes. The page is the same for every reader, so
 * the server never marks it pressed.
 */
const LikeButton: FC<{ comment: PublicComment; ctx: ThreadContext }> = ({ comment: c, ctx }) => {
  const likes = c.likes ?? 0
  return (
    <form class="comment-like-form" method="post" action={`/archives/${ctx.postId}/comments/${c.id}/like`} data-error={ctx.t.likeFailed}>
      <button type="submit" class="comment-like" title={ctx.t.likeTitle(c.author)}>
        <span class="comment-like-text">{ctx.t.like}</span> <span class="comment-like-count">{likes > 0 ? String(likes) : ''}</span>
      </button>
    </form>
  )
}

const CommentNode: FC<{ comment: PublicComment; depth: number; ctx: ThreadContext }> = ({ comment: c, depth, ctx }) => {
  const { t, config } = ctx
  const replies = ctx.byParent.get(c.id) ?? []
  const classes = ['comment', `depth-${depth}`]
  if (c.status === 'deleted') classes.push('comment-deleted')
  if (c.status === 'pending') classes.push('comment-pending')
  if (c.admin && c.status !== 'deleted') classes.push('comment-admin')
  const pinned = c.pinned !== undefined && c.status === 'approved'
  if (pinned) classes.push('comment-pinned')
  return (
    <li id={`comment-${c.id}`} class={classes.join(' ')}>
      {c.status === 'deleted' ? (
        <article class="comment-inner">
          <p class="comment-deleted-text">{t.commentDeleted}</p>
        </article>
      ) : (
        <article class="comment-inner">
          {c.avatar ? (
            <img class="avatar" src={`/avatars/${encodeURIComponent(c.avatar)}.svg`} width="40" height="40" alt="" loading="lazy" />
          ) : null}
          <div class="comment-main">
            <header class="comment-meta">
              <span class="comment-author">
                {c.url ? (
                  <a href={c.url} rel="nofollow ugc noopener">
                    {c.author}
                  </a>
                ) : (
                  c.author
                )}
              </span>
              {c.admin ? <span class="comment-badge">{t.authorBadge}</span> : null}
              {pinned ? <span class="comment-badge comment-pinned-badge">{t.pinnedBadge}</span> : null}
              <a class="comment-permalink" href={`#comment-${c.id}`}>
                <time class="comment-time" datetime={formatIsoLocal(c.createdAt, config.timezone)}>
                  {formatDateTime(c.createdAt, config.timezone)}
                </time>
              </a>
              {c.editedAt !== null ? (
                <span class="comment-edited" title={`${t.editedAt} ${formatDateTime(c.editedAt, config.timezone)}`}>
                  {t.edited}
                </span>
              ) : null}
              <ReplyToLink comment={c} ctx={ctx} />
            </header>
            {c.status === 'pending' ? <p class="comment-awaiting">{t.awaitingModeration}</p> : null}
            <div class="comment-body">{raw(c.html)}</div>
            {/* Nobody can reply to a held comment; the own-comment buttons (comments.js) also go here. */}
            <footer class="comment-actions">
              {c.status === 'pending' || ctx.closed ? null : (
                <a
                  class="comment-reply"
                  href={`/archives/${ctx.postId}?${ctx.orderQuery}replyto=${c.id}#respond`}
                  aria-label={t.replyTo(c.author)}
                >
                  {t.reply}
                </a>
              )}
              {c.status === 'approved' ? <LikeButton comment={c} ctx={ctx} /> : null}
            </footer>
          </div>
        </article>
      )}
      {replies.length > 0 ? (
        <ol class="children">
          {replies.map((r) => (
            <CommentNode comment={r} depth={depth + 1} ctx={ctx} />
          ))}
        </ol>
      ) : null}
    </li>
  )
}

/**
 * One page of comments as a thread: top-level comments in order, replies nested under their
 * `parent`. A comment whose parent is not on this page is listed at the top level rather than lost.
 * The `depth-N` class is the depth as shown here.
 */
export const CommentThread: FC<ThreadProps> = ({ comments, postId, config, t, closed = false, order }) => {
  const byId = new Map(comments.map((c) => [c.id, c]))
  const byParent = new Map<number | null, PublicComment[]>()
  for (const c of comments) {
    const key = c.parent !== null && c.parent !== c.id && byId.has(c.parent) ? c.parent : null
    const list = byParent.get(key) ?? []
    list.push(c)
    byParent.set(key, list)
  }
  const roots = byParent.get(null) ?? []
  const ctx: ThreadContext = { postId, orderQuery: order ? `order=${order}&` : '', byParent, byId, config, t, closed }
  return roots.length === 0 ? (
    <p class="no-comments">{t.noComments}</p>
  ) : (
    <ol class="comment-list">
      {roots.map((c) => (
        <CommentNode comment={c} depth={0} ctx={ctx} />
      ))}
    </ol>
  )
}

export interface CommentPagesProps {
  postId: string
  page: number
  pages: number
  /** The order a reader asked for (`?order=`), which every page link keeps; absent at the post's own addresses. */
  order?: CommentOrder
  t: Strings
}

/** The page numbers shown: the first, the last, and two either side of the current page; null is a gap. */
function pageWindow(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = []
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 2) out.push(n)
    else if (out[out.length - 1] !== null) out.push(null)
  }
  return out
}

/** A comment page's address, in the order a reader asked for (`?order=`, none: COMMENT_ORDER's page). */
const commentPageHref = (postId: string, n: number, order?: CommentOrder) =>
  `/archives/${postId}${n <= 1 ? '' : `/comment-page-${n}`}${order === undefined ? '' : `?order=${order}`}#comments`

/** Links between the comment pages of a post; nothing when there is one page. */
export const CommentPages: FC<CommentPagesProps> = ({ postId, page, pages, order, t }) => {
  if (pages <= 1) return null
  const href = (n: number) => commentPageHref(postId, n, order)
  return (
    <nav class="comment-pages" aria-label={t.commentPages}>
      {page > 1 ? (
        <a class="comment-pages-prev" rel="prev" href={href(page - 1)}>
          {t.prevCommentPage}
        </a>
      ) : null}
      <ol class="comment-pages-list">
        {pageWindow(page, pages).map((n) =>
          n === null ? (
            <li class="comment-pages-gap" aria-hidden="true">
              …
            </li>
          ) : (
            <li>
              <a href={href(n)} aria-label={t.commentPage(n)} aria-current={n === page ? 'page' : undefined}>
                {n}
              </a>
            </li>
          ),
        )}
      </ol>
      {page < pages ? (
        <a class="comment-pages-next" rel="next" href={href(page + 1)}>
          {t.nextCommentPage}
        </a>
      ) : null}
    </nav>
  )
}

/**
 * The comment order links (最早 / 最新 / 最热) above the comments: plain links to the first comment
 * page in each order; COMMENT_ORDER's is the post's own address, the others carry `?order=` (and
 * rel=nofollow: the same comments again, for readers, not crawlers). The order shown is marked
 * aria-current.
 */
export const CommentSort: FC<{ postId: string; order: CommentOrder; defaultOrder: CommentOrder; t: Strings }> = ({
  postId,
  order,
  defaultOrder,
  t,
}) => (
  <nav class="comment-sort" aria-label={t.commentSort}>
    <ul class="comment-sort-list">
      {COMMENT_ORDERS.map((o) => (
        <li>
          <a
            href={commentPageHref(postId, 1, o === defaultOrder ? undefined : o)}
            rel={o === defaultOrder ? undefined : 'nofollow'}
            aria-current={o === order ? 'true' : undefined}
          >
            {t.commentOrders[o]}
          </a>
        </li>
      ))}
    </ul>
  </nav>
)

export interface CommentFormValues {
  parent?: string
  author?: string
  email?: string
  url?: string
  body?: string
  notify?: string
}

interface FormProps {
  postId: string
  t: Strings
  replyTo?: PublicComment
  values?: CommentFormValues
  /** Server-rendered preview (the preview without JavaScript). */
  previewHtml?: string
  /** Comments closed: a notice instead of the form. */
  closed?: boolean
  /** Turnstile site key when configured (commenting then needs JavaScript). */
  turnstileSiteKey?: string
  /** Moderation notice: 'first' and 'all' tell the writer that the comment waits for approval. */
  moderation?: 'open' | 'first' | 'all'
}

/**
 * The comment form's two per-request hidden fields, placed in the post's header with form="respond"
 * (they belong to the form wherever they are): every part of a post page that changes per request
 * is then near its top, and the rest of the page can be sent as compressed once (lib/page-template.ts).
 */
export const FormFields: FC<{
  /** Idempotency key (hidden field `key`): a double submit of the form stores one comment. */
  formKey: string
  /** Signed render time (hidden field `ts`). */
  formTime: string
}> = ({ formKey, formTime }) => (
  <>
    <input type="hidden" form="respond" name="key" value={formKey} />
    <input type="hidden" form="respond" name="ts" value={formTime} />
  </>
)

/**
 * The comment form: a plain POST that works without JavaScript (preview included: the preview
 * button submits with intent=preview and the server renders the form again with `previewHtml`).
 * comments.js turns the preview into a live one.
 */
export const CommentForm: FC<FormProps> = ({ postId, t, replyTo, values = {}, previewHtml, closed, turnstileSiteKey, moderation }) => {
  if (closed) {
    return (
      <p id="respond" class="comments-closed">
        {t.commentsClosed}
      </p>
    )
  }
  const parent = replyTo ? String(replyTo.id) : values.parent
  return (
    <form id="respond" class="comment-form" method="post" action={`/archives/${postId}/comments#respond`}>
      <h3 class="comment-form-title">
        {replyTo ? t.replyTo(replyTo.author) : t.leaveComment}
        {replyTo ? (
          <>
            {' '}
            <a class="cancel-reply" href={`/archives/${postId}#respond`}>
              {t.cancelReply}
            </a>
          </>
        ) : null}
      </h3>
      {parent ? <input type="hidden" name="parent" value={parent} /> : null}
      <p class="field">
        <label for="comment-author">{t.fieldAuthor}</label>
        <input id="comment-author" name="author" required maxlength={50} autocomplete="name" value={values.author ?? ''} />
      </p>
      <p class="field">
        <label for="comment-email">
          {t.fieldEmail} <small>({t.fieldEmailHint})</small>
        </label>
        <input id="comment-email" name="email" type="email" maxlength={254} autocomplete="email" value={values.email ?? ''} />
      </p>
      <p class="field">
        <label for="comment-url">{t.fieldUrl}</label>
        <input id="comment-url" name="url" type="url" maxlength={300} autocomplete="url" value={values.url ?? ''} />
      </p>
      {/* Spam trap: hidden off-screen by CSS (not type=hidden, which bots skip); people leave it empty. */}
      <p class="hp" aria-hidden="true">
        <label for="comment-website">{t.honeypotLabel}</label>
        <input id="comment-website" name="website" type="text" tabindex={-1} autocomplete="off" value="" />
      </p>
      <p class="field">
        <label for="comment-body">{t.fieldBody}</label>
        {/* comments.js puts a toolbar above the box (emoji, formulas), labelled from data-tools. */}
        <textarea
          id="comment-body"
          name="body"
          required
          maxlength={10000}
          rows={8}
          aria-describedby="comment-body-hint"
          data-tools={JSON.stringify({
            emoji: t.emojiButton,
            emojiPanel: t.emojiPanel,
            inline: t.mathInline,
            inlineTitle: t.mathInlineTitle,
            display: t.mathDisplay,
            displayTitle: t.mathDisplayTitle,
          })}
        >
          {values.body ?? ''}
        </textarea>
        <small id="comment-body-hint" class="hint">
          {t.fieldBodyHint}
        </small>
      </p>
      <p class="field-check">
        <input id="comment-notify" name="notify" type="checkbox" value="1" checked={values.notify === '1'} />{' '}
        <label for="comment-notify">{t.notifyReplies}</label>
      </p>
      {moderation === 'first' || moderation === 'all' ? (
        <p class="comment-moderation-hint">{moderation === 'first' ? t.moderationHintFirst : t.moderationHintAll}</p>
      ) : null}
      {turnstileSiteKey ? (
        <>
          <div class="cf-turnstile" data-sitekey={turnstileSiteKey} />
          <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer />
          <noscript>
            <p class="comment-turnstile-note">{t.turnstileNeedsJs}</p>
          </noscript>
        </>
      ) : null}
      <div class="comment-preview" id="comment-preview" aria-live="polite" data-title={t.previewTitle} data-error={t.previewFailed}>
        {previewHtml ? (
          <>
            <h4 class="comment-preview-title">{t.previewTitle}</h4>
            <div class="comment-body comment-preview-body">{raw(previewHtml)}</div>
          </>
        ) : null}
      </div>
      {/* The post button comes first: it is the form's default (Enter in a field posts). */}
      <p class="comment-form-actions">
        <button type="submit" name="intent" value="post" class="comment-submit">
          {t.submit}
        </button>{' '}
        <button type="submit" name="intent" value="preview" class="comment-preview-button" formnovalidate>
          {t.preview}
        </button>
      </p>
    </form>
  )
}

export interface OwnCommentsProps {
  postId: string
  /** The reader's own comments on this page, each editable until `until` (epoch ms). */
  own: { id: number; until: number }[]
  t: Strings
}

/**
 * Data for comments.js: which comments on the page the reader may still edit or delete (their
 * edit cookie decides on the server), with the buttons' labels. Renders nothing visible.
 */
export const OwnComments: FC<OwnCommentsProps> = ({ postId, own, t }) => (
  <div
    id="own-comments"
    hidden
    data-post={postId}
    data-own={own.map((o) => `${o.id}:${o.until}`).join(',')}
    data-edit-label={t.editComment}
    data-delete-label={t.deleteComment}
    data-save-label={t.saveComment}
    data-cancel-label={t.cancelEdit}
    data-editor-label={t.editCommentLabel}
    data-confirm-delete={t.confirmDeleteComment}
    data-deleted-label={t.commentDeleted}
    data-edited-label={t.edited}
    data-edited-title={t.editedAt}
    data-error-label={t.requestFailed}
  />
)
