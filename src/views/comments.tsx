import type { FC } from 'hono/jsx'
import { raw } from 'hono/html'
import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import { formatDateTime, formatIsoLocal } from '../lib/dates'
import type { PublicComment } from '../model'

interface ThreadProps {
  comments: PublicComment[]
  config: SiteConfig
  t: Strings
}

interface NodeProps {
  comment: PublicComment
  byParent: Map<number | null, PublicComment[]>
  byId: Map<number, PublicComment>
  config: SiteConfig
  t: Strings
}

const CommentNode: FC<NodeProps> = ({ comment: c, byParent, byId, config, t }) => {
  const replies = byParent.get(c.id) ?? []
  const parent = c.parent !== null ? byId.get(c.parent) : undefined
  return (
    <li id={`comment-${c.id}`} class="comment">
      <article class="comment-inner">
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
          <a class="comment-permalink" href={`#comment-${c.id}`}>
            <time datetime={formatIsoLocal(c.createdAt, config.timezone)}>{formatDateTime(c.createdAt, config.timezone)}</time>
          </a>
          {parent ? (
            <span class="comment-parent">
              {t.inReplyTo} <a href={`#comment-${parent.id}`}>@{parent.author}</a>
            </span>
          ) : null}
        </header>
        <div class="comment-body">{raw(c.html)}</div>
        <a class="comment-reply" href={`?replyto=${c.id}#respond`}>
          {t.reply}
        </a>
      </article>
      {replies.length > 0 ? (
        <ol class="children">
          {replies.map((r) => (
            <CommentNode comment={r} byParent={byParent} byId={byId} config={config} t={t} />
          ))}
        </ol>
      ) : null}
    </li>
  )
}

/** Comments as a thread: top-level comments in order, replies nested under their parent. */
export const CommentThread: FC<ThreadProps> = ({ comments, config, t }) => {
  const byId = new Map(comments.map((c) => [c.id, c]))
  const byParent = new Map<number | null, PublicComment[]>()
  for (const c of comments) {
    // A reply whose parent is not shown is listed at the top level rather than lost.
    const key = c.parent !== null && byId.has(c.parent) ? c.parent : null
    const list = byParent.get(key) ?? []
    list.push(c)
    byParent.set(key, list)
  }
  const roots = byParent.get(null) ?? []
  return roots.length === 0 ? (
    <p class="no-comments">{t.noComments}</p>
  ) : (
    <ol class="comment-list">
      {roots.map((c) => (
        <CommentNode comment={c} byParent={byParent} byId={byId} config={config} t={t} />
      ))}
    </ol>
  )
}

export interface CommentFormValues {
  parent?: string
  author?: string
  email?: string
  url?: string
  body?: string
}

interface FormProps {
  postId: string
  t: Strings
  /** Idempotency key: a double submit of this form stores one comment. */
  formKey: string
  replyTo?: PublicComment
  values?: CommentFormValues
}

/** The comment form: a plain POST that works without JavaScript. */
export const CommentForm: FC<FormProps> = ({ postId, t, formKey, replyTo, values = {} }) => (
  <form id="respond" class="comment-form" method="post" action={`/archives/${postId}/comments`}>
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
    <input type="hidden" name="key" value={formKey} />
    {replyTo || values.parent ? <input type="hidden" name="parent" value={replyTo ? String(replyTo.id) : values.parent} /> : null}
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
    <p class="field">
      <label for="comment-body">{t.fieldBody}</label>
      <textarea id="comment-body" name="body" required maxlength={10000} rows={8}>
        {values.body ?? ''}
      </textarea>
      <small class="hint">{t.fieldBodyHint}</small>
    </p>
    <p>
      <button type="submit">{t.submit}</button>
    </p>
  </form>
)
