import type { FC } from 'hono/jsx'
import { raw } from 'hono/html'
import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import { formatDay, formatIsoLocal } from '../lib/dates'
import type { PostRecord, PublicComment, TocEntry } from '../model'
import { bibtexCitation, plainCitation } from './citation'
import { CommentForm } from './comments'

interface PostPageProps {
  post: PostRecord
  views: number
  /** The comment thread, rendered and cached per comments version (services/comment-thread). */
  thread: { html: string; comments: PublicComment[] }
  config: SiteConfig
  t: Strings
  url: string
  formKey: string
  replyTo?: PublicComment
}

/** Shown when a post has at least this many headings. */
const TOC_MIN_HEADINGS = 3

interface TocNode {
  entry: TocEntry
  children: TocNode[]
}

/** Nests headings: each one under the nearest earlier heading of a smaller depth. */
function tocTree(entries: TocEntry[]): TocNode[] {
  const roots: TocNode[] = []
  const stack: TocNode[] = []
  for (const entry of entries) {
    const node: TocNode = { entry, children: [] }
    while (stack.length > 0 && stack[stack.length - 1]!.entry.depth >= entry.depth) stack.pop()
    ;(stack.length > 0 ? stack[stack.length - 1]!.children : roots).push(node)
    stack.push(node)
  }
  return roots
}

const TocList: FC<{ nodes: TocNode[] }> = ({ nodes }) => (
  <ol>
    {nodes.map((n) => (
      <li>
        <a href={`#${n.entry.id}`}>{n.entry.text}</a>
        {n.children.length > 0 ? <TocList nodes={n.children} /> : null}
      </li>
    ))}
  </ol>
)

/** A post: title, meta line, body, citation block, comments and the comment form. */
export const PostPage: FC<PostPageProps> = ({ post, views, thread, config, t, url, formKey, replyTo }) => {
  const citation = {
    citeKey: config.citeKey,
    id: post.id,
    title: post.title,
    author: post.author,
    date: post.date,
    url,
    timeZone: config.timezone,
    labels: t,
  }
  return (
    <article class="post">
      <header class="post-header">
        <h1 class="post-title">{post.title}</h1>
        <div class="post-meta">
          {t.by} <span class="post-author">{post.author}</span>
          <span class="sep"> | </span>
          <time datetime={formatIsoLocal(post.date, config.timezone)}>{formatDay(post.date, config.timezone)}</time>
          <span class="sep"> | </span>
          <span class="post-views">{t.readers(views)}</span>
        </div>
        {post.category || post.tags.length > 0 || post.updated ? (
          <div class="post-taxonomy">
            {post.category ? (
              <span class="post-category">
                {t.category}: {post.category}
              </span>
            ) : null}
            {post.tags.length > 0 ? (
              <span class="post-tags">
                {t.tags}:{' '}
                {post.tags.map((tag) => (
                  <span class="tag">{tag}</span>
                ))}
              </span>
            ) : null}
            {post.updated ? (
              <span class="post-updated">
                {t.updatedOn}{' '}
                <time datetime={formatIsoLocal(post.updated, config.timezone)}>{formatDay(post.updated, config.timezone)}</time>
              </span>
            ) : null}
          </div>
        ) : null}
      </header>
      {post.toc.length >= TOC_MIN_HEADINGS ? (
        <nav id="toc" class="toc" aria-label={t.contents}>
          <h2 class="toc-title">{t.contents}</h2>
          <TocList nodes={tocTree(post.toc)} />
        </nav>
      ) : null}
      <div class="post-body">{raw(post.html)}</div>
      <section id="cite" class="cite">
        <h2>{t.citeTitle}</h2>
        <p>{t.citeIntro}</p>
        <h3>{t.citePlain}</h3>
        <pre class="cite-plain">{plainCitation(citation)}</pre>
        <h3>{t.citeBibtex}</h3>
        <pre class="cite-bibtex">{bibtexCitation(citation)}</pre>
      </section>
      <section id="comments" class="comments">
        <h2>{t.commentsTitle(thread.comments.length)}</h2>
        {raw(thread.html)}
        <CommentForm postId={post.id} t={t} formKey={formKey} replyTo={replyTo} />
      </section>
    </article>
  )
}
