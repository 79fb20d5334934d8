import type { Child, FC } from 'hono/jsx'
import { raw } from 'hono/html'
import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import { formatDay, formatIsoLocal } from '../lib/dates'
import {
  REACTION_EMOJI,
  type Backlink,
  type CommentOrder,
  type DayCount,
  type PostNav,
  type PostRecord,
  type PublicComment,
  type ReactionCounts,
  type ReactionKey,
  type TocEntry,
} from '../model'
import { resolveSlug, termPath } from '../lib/slug'
import { DatedPostList, PostNavigation } from './finding'
import { bibtexCitation, citationFor, citationKey, highwireMeta, plainCitation, type CitationInput } from './citation'
import { fillDays, sparklineSvg } from './charts'
import { COMMENTS_JS, CommentForm, CommentPages, CommentSort, FormFields, OwnComments, type CommentFormValues } from './comments'
import { ArticleMeta } from './seo'

interface PostPageProps {
  post: PostRecord
  views: number
  /** Instead of the count and the trend line computed here: a template's slots (routes/pages.tsx). */
  viewsText?: Child
  trend?: Child
  /** Posts that link to this one (被引用). */
  backlinks: Backlink[]
  /** Previous/next posts and the series (null until the Site object has sent them). */
  nav: PostNav | null
  /** Views per day (the trend line next to the count). */
  daily: DayCount[]
  /** The comment section: one comment page, rendered and cached per comments version (services/comment-thread). */
  comments: CommentSection
  /** The post reactions offered (REACTIONS, in order; none: no section) and their counts, of the thread's version. */
  reactions: { keys: readonly ReactionKey[]; counts: ReactionCounts }
  config: SiteConfig
  t: Strings
  url: string
}

/** What the comment section of a post page shows. */
export interface CommentSection {
  /** Approved comments of the post (every page). */
  total: number
  /** The page's thread, rendered. */
  html: string
  page: number
  pages: number
  /**
   * The comment order links (最早 / 最新 / 最热), when the order matters (at least two threads that
   * are not pinned): the order shown, and COMMENT_ORDER (whose link is the post's own address).
   */
  sort?: { order: CommentOrder; defaultOrder: CommentOrder }
  /** The order the reader asked for (`?order=`) when it is not COMMENT_ORDER: the comment page links keep it. */
  order?: CommentOrder
  /** Why the reader's comment was refused (shown above the form, which keeps their text). */
  problem?: string
  /** The writer's own comments they may still edit (from their edit cookies). */
  own: { id: number; until: number }[]
  form: {
    /** The form's per-request fields, rendered by FormFields in the post's header. */
    formKey: string
    formTime: string
    replyTo?: PublicComment
    closed: boolean
    turnstileSiteKey?: string
    moderation: 'open' | 'first' | 'all'
    values?: CommentFormValues
    previewHtml?: string
  }
}

import { CITE_JS, KATEX_COPY_TEX_JS, KATEX_FONTS, VIEWS_JS } from './assets'
export { CITE_JS, VIEWS_JS }

/**
 * KaTeX's delimiter and big-operator fonts (KaTeX_Size1–4) a post uses. The browser finds them only
 * when it lays out a formula that needs them, after the main fonts: each late arrival lays the page
 * out again. Preloaded, they come with the stylesheets (4–12 KB each).
 */
export function sizeFonts(html: string): string[] {
  const sizes = new Set<string>()
  for (const m of html.matchAll(/class="(?:delimsizing size([1-4])|delimsizing mult|mop op-symbol (large|small)-op)/g)) {
    if (m[1]) sizes.add(m[1])
    else if (m[2]) sizes.add(m[2] === 'large' ? '2' : '1')
    else sizes.add('1').add('4')
  }
  return [...sizes].sort().map((n) => `${KATEX_FONTS}/KaTeX_Size${n}-Regular.woff2`)
}

/**
 * A post page's own <head> elements: Highwire Press meta tags (Google Scholar, Zotero) and the
 * script behind the citation block's copy buttons, the `article:*` tags and the JSON-LD BlogPosting
 * (views/seo.tsx). Only post pages load it. A standalone page (`type: page`) is no article: it has no
 * citation, so it gets only the count refresh and the comment tools.
 */
export const PostHead: FC<{ post: PostRecord; config: SiteConfig; t: Strings; url: string }> = ({ post, config, t, url }) => (
  <>
    {sizeFonts(post.html).map((href) => (
      <link rel="preload" href={href} as="font" type="font/woff2" crossorigin="" />
    ))}
    {post.type === 'page' ? <PageHead /> : <ArticleHead post={post} config={config} t={t} url={url} />}
  </>
)

/** The scripts every post and page has: the bfcache count, the comment tools, KaTeX's copy-tex. */
const PageHead: FC = () => (
  <>
    <script src={VIEWS_JS} defer />
    <script src={COMMENTS_JS} defer />
    <script src={KATEX_COPY_TEX_JS} defer />
  </>
)

const ArticleHead: FC<{ post: PostRecord; config: SiteConfig; t: Strings; url: string }> = ({ post, config, t, url }) => (
  <>
    {highwireMeta(citationFor(post, config, t, url)).map(([name, content]) => (
      <meta name={name} content={content} />
    ))}
    <script src={CITE_JS} defer />
    <PageHead />
    <ArticleMeta post={post} config={config} t={t} url={url} />
  </>
)

/** A copy button for one citation format; hidden until cite.js runs, so the page never shows a dead button. */
const CopyButton: FC<{ target: 'cite-plain' | 'cite-bibtex'; label: string; t: Strings }> = ({ target, label, t }) => (
  <button
    type="button"
    class="cite-copy"
    data-cite-copy={target}
    data-copied={t.copied}
    data-failed={t.copyFailed}
    aria-label={label}
    hidden
  >
    {t.copy}
  </button>
)

/** The citation block at #cite: plain text and BibTeX (each with a copy button), and the downloads. */
const CitationBlock: FC<{ citation: CitationInput; t: Strings }> = ({ citation, t }) => {
  const base = `/archives/${citation.id}/cite`
  const file = citationKey(citation)
  return (
    <section id="cite" class="cite">
      <h2>{t.citeTitle}</h2>
      <p>{t.citeIntro}</p>
      <div class="cite-format">
        <h3>{t.citePlain}</h3>
        <CopyButton target="cite-plain" label={t.copyPlainLabel} t={t} />
      </div>
      <pre class="cite-plain">{plainCitation(citation)}</pre>
      <div class="cite-format">
        <h3>{t.citeBibtex}</h3>
        <CopyButton target="cite-bibtex" label={t.copyBibtexLabel} t={t} />
      </div>
      <pre class="cite-bibtex">{bibtexCitation(citation)}</pre>
      <p class="cite-downloads">
        <a href={`${base}.bib`} download={`${file}.bib`} type="application/x-bibtex">
          {t.downloadBibtex}
        </a>
        <span class="sep"> · </span>
        <a href={`${base}.ris`} download={`${file}.ris`} type="application/x-research-info-systems">
          {t.downloadRis}
        </a>
        <span class="sep"> · </span>
        <a href={`${base}.json`} download={`${file}.json`} type="application/vnd.citationstyles.csl+json">
          {t.downloadCsl}
        </a>
      </p>
    </section>
  )
}

/**
 * The post reactions (文章反应) under the post's body: "你认为这篇文章怎么样？" and a button per reaction,
 * its emoji, label and count (none shown at 0). One form, each button sending its `reaction`: it
 * works without JavaScript (the server sets, moves or takes back the reader's reaction and sends
 * them back here); comments.js sends it to the API instead, updates the counts in place and marks
 * this browser's reaction pressed (aria-pressed). The page is the same for every reader, so the
 * server never marks one pressed.
 */
const Reactions: FC<{ postId: string; keys: readonly ReactionKey[]; counts: ReactionCounts; t: Strings }> = ({
  postId,
  keys,
  counts,
  t,
}) => (
  <section id="reactions" class="reactions" aria-labelledby="reactions-title">
    <h2 id="reactions-title">{t.reactionsTitle}</h2>
    <form class="reaction-form" method="post" action={`/archives/${postId}/reactions`} data-error={t.reactionFailed}>
      {keys.map((key) => {
        const n = counts[key] ?? 0
        return (
          <button type="submit" class="reaction" name="reaction" value={key} title={t.reactionTitle(t.reactionLabels[key])}>
            <span class="reaction-emoji" aria-hidden="true">
              {REACTION_EMOJI[key]}
            </span>{' '}
            <span class="reaction-label">{t.reactionLabels[key]}</span> <span class="reaction-count">{n > 0 ? String(n) : ''}</span>
          </button>
        )
      })}
    </form>
  </section>
)

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

/** The small trend line of a post's readers per day, as markup ('' before its first view). */
export function trendHtml(daily: readonly DayCount[], config: SiteConfig, t: Strings): string {
  return daily.some((d) => d.views > 0)
    ? ' ' + sparklineSvg(fillDays(daily, 30, formatDay(Date.now(), config.timezone)), t.trendTitle(30))
    : ''
}

/** A post: title, meta line, body, citation block, comments and the comment form. */

export const PostPage: FC<PostPageProps> = ({
  post,
  views,
  viewsText,
  trend,
  backlinks,
  nav,
  daily,
  comments,
  reactions,
  config,
  t,
  url,
}) => {
  const citation = citationFor(post, config, t, url)
  // A standalone page (README: Pages): title, count, body and comments; no date line, terms, neighbours or citation.
  const isPage = post.type === 'page'
  return (
    <article class="post">
      <header class="post-header">
        <h1 class="post-title">{post.title}</h1>
        <div class="post-meta">
          {isPage ? null : (
            <>
              {t.by} <span class="post-author">{post.author}</span>
              <span class="sep"> | </span>
              <time datetime={formatIsoLocal(post.date, config.timezone)}>{formatDay(post.date, config.timezone)}</time>
              <span class="sep"> | </span>
            </>
          )}
          <span class="post-views" data-post-id={post.id}>
            {viewsText ?? t.readers(views)}
          </span>
          {trend ?? raw(trendHtml(daily, config, t))}
          {comments.form.closed ? null : <FormFields formKey={comments.form.formKey} formTime={comments.form.formTime} />}
        </div>
        {!isPage && (post.category || post.tags.length > 0 || post.updated) ? (
          <div class="post-taxonomy">
            {post.category ? (
              <span class="post-category">
                {t.category}:{' '}
                <a href={termPath('category', post.categorySlug ?? resolveSlug(post.category, config.slugs.category))}>{post.category}</a>
              </span>
            ) : null}
            {post.tags.length > 0 ? (
              <span class="post-tags">
                {t.tags}:{' '}
                {post.tags.map((tag, i) => (
                  <a class="tag" rel="tag" href={termPath('tag', post.tagSlugs?.[i] ?? resolveSlug(tag, config.slugs.tag))}>
                    {tag}
                  </a>
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
      {/* (A standalone page, an about page or a guestbook, is not an article to react to.) */}
      {reactions.keys.length > 0 && !isPage && !post.reactionsOff ? (
        <Reactions postId={post.id} keys={reactions.keys} counts={reactions.counts} t={t} />
      ) : null}
      {backlinks.length > 0 ? <DatedPostList class="cited-by" title={t.citedBy} posts={backlinks} config={config} /> : null}
      {nav && !isPage ? <PostNavigation postId={post.id} nav={nav} config={config} t={t} /> : null}
      {isPage ? null : <CitationBlock citation={citation} t={t} />}
      {/* (data-ago: the words of comments.js's relative times, "3 minutes ago".) */}
      <section id="comments" class="comments" data-ago={JSON.stringify(t.timeAgo)}>
        <h2>{t.commentsTitle(comments.total)}</h2>
        {comments.sort ? <CommentSort postId={post.id} {...comments.sort} t={t} /> : null}
        <CommentPages postId={post.id} page={comments.page} pages={comments.pages} order={comments.order} t={t} />
        {raw(comments.html)}
        <CommentPages postId={post.id} page={comments.page} pages={comments.pages} order={comments.order} t={t} />
        {comments.own.length > 0 ? <OwnComments postId={post.id} own={comments.own} t={t} /> : null}
        {comments.problem ? (
          <p class="form-problem" role="alert">
            {comments.problem}
          </p>
        ) : null}
        <CommentForm postId={post.id} t={t} {...comments.form} />
      </section>
    </article>
  )
}
