import { raw } from 'hono/html'
import type { FC } from 'hono/jsx'
import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import { formatDay, formatIsoLocal, wallClock } from '../lib/dates'
import { escapeHtml } from '../render/escape'
import { termPath } from '../lib/slug'
import type { ArchiveEntry, Backlink, PostNav, TermKind, TermSummary } from '../model'
import type { ListPage } from '../storage/read-model'
import { Entries } from './front-page'

/** A category's or tag's list page: its name, post count and entries in the front page's style. */
export const TermPage: FC<{
  kind: TermKind
  term: TermSummary
  list: ListPage
  counts: Record<string, [number, number]>
  config: SiteConfig
  t: Strings
}> = ({ kind, term, list, counts, config, t }) => (
  <section class="term-page">
    <header class="page-header">
      <h1>{kind === 'category' ? t.categoryTitle(term.name) : t.tagTitle(term.name)}</h1>
      <p class="page-intro">
        {t.postCount(term.count)}
        {list.pages > 1 ? ` · ${t.pageOf(list.page, list.pages)}` : ''}
      </p>
    </header>
    <Entries list={list} counts={counts} config={config} t={t} href={(n) => termPath(kind, term.slug, n)} />
  </section>
)

/** /categories and /tags: every term with its post count (tags as a cloud sized by use). */
export const TermIndexPage: FC<{ kind: TermKind; terms: TermSummary[]; t: Strings }> = ({ kind, terms, t }) => {
  const max = Math.max(1, ...terms.map((x) => x.count))
  return (
    <section class={`terms-page terms-${kind}`}>
      <h1>{kind === 'category' ? t.allCategories : t.allTags}</h1>
      {terms.length === 0 ? (
        <p class="empty">{t.noTerms}</p>
      ) : kind === 'category' ? (
        <ul class="term-list">
          {terms.map((x) => (
            <li>
              <a href={termPath(kind, x.slug)}>{x.name}</a> <span class="term-count">{t.postCount(x.count)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <TagCloud tags={terms} max={max} t={t} />
      )}
    </section>
  )
}

/** Tags sized in five steps by how many posts carry them. */
export const TagCloud: FC<{ tags: TermSummary[]; max: number; t: Strings }> = ({ tags, max, t }) => (
  <ul class="tag-cloud">
    {tags.map((x) => (
      <li class={`tag-size-${1 + Math.round((4 * (x.count - 1)) / Math.max(1, max - 1))}`}>
        <a rel="tag" href={termPath('tag', x.slug)} title={t.postCount(x.count)}>
          {x.name}
        </a>{' '}
        <span class="term-count">({x.count})</span>
      </li>
    ))}
  </ul>
)

interface MonthGroup {
  year: number
  month: number
  posts: ArchiveEntry[]
}

/** Groups the archive (newest first) by year and month in the site's time zone. */
export function archiveMonths(entries: ArchiveEntry[], timeZone: string): { year: number; months: MonthGroup[] }[] {
  const years: { year: number; months: MonthGroup[] }[] = []
  for (const e of entries) {
    const { year, month } = wallClock(e.date, timeZone)
    let y = years[years.length - 1]
    if (y?.year !== year) years.push((y = { year, months: [] }))
    let m = y.months[y.months.length - 1]
    if (m?.month !== month) y.months.push((m = { year, month, posts: [] }))
    m.posts.push(e)
  }
  return years
}

/**
 * A month's posts as the archive lists them (date, title, comment count), one string: written as
 * JSX, the thousand rows of the bench's archive took ~4 ms of the isolate's time to make (hono/jsx
 * builds and walks an element per tag), and a cold isolate makes it again whenever a comment count
 * changes. Escaped as JSX escapes text and attribute values.
 */
export function archiveRows(posts: ArchiveEntry[], counts: Record<string, [number, number]>, timeZone: string, t: Strings): string {
  let html = ''
  for (const p of posts) {
    const iso = formatIsoLocal(p.date, timeZone)
    const id = escapeHtml(p.id)
    html +=
      `<li><time datetime="${iso}">${iso.slice(0, iso.indexOf('T'))}</time> <a href="/archives/${id}">${escapeHtml(p.title)}</a> ` +
      `<a class="archive-comments" href="/archives/${id}#comments">${escapeHtml(t.comments(counts[p.id]?.[1] ?? 0))}</a></li>`
  }
  return html
}

/** /archives: every published post by year and month, with its date and comment count. */
export const ArchivePage: FC<{
  entries: ArchiveEntry[]
  counts: Record<string, [number, number]>
  config: SiteConfig
  t: Strings
}> = ({ entries, counts, config, t }) => (
  <section class="archive-page">
    <h1>{t.archiveTitle}</h1>
    <p class="page-intro">{t.archiveIntro(entries.length)}</p>
    {archiveMonths(entries, config.timezone).map((y) => (
      <section class="archive-year" aria-labelledby={`y${y.year}`}>
        <h2 id={`y${y.year}`}>{y.year}</h2>
        {y.months.map((m) => (
          <section class="archive-month" aria-labelledby={`m${m.year}-${m.month}`}>
            <h3 id={`m${m.year}-${m.month}`}>
              {t.monthHeading(m.year, m.month)} <span class="term-count">({m.posts.length})</span>
            </h3>
            <ul>{raw(archiveRows(m.posts, counts, config.timezone, t))}</ul>
          </section>
        ))}
      </section>
    ))}
  </section>
)

const PostLink: FC<{ post: Backlink; rel: 'prev' | 'next'; label: string }> = ({ post, rel, label }) => (
  <a class={`post-nav-${rel}`} rel={rel} href={`/archives/${post.id}`}>
    <span class="post-nav-label">{label}</span>
    <span class="post-nav-title">{post.title}</span>
  </a>
)

/** Under a post: its series (every part, this one marked) and the previous/next posts in time. */
/** A titled list of posts, each linked with its day: a post's 被引用 and 相关文章. */
export const DatedPostList: FC<{ class: string; title: string; posts: Backlink[]; config: SiteConfig }> = (props) => (
  <section class={props.class}>
    <h2>{props.title}</h2>
    <ul>
      {props.posts.map((p) => (
        <li>
          <a href={`/archives/${p.id}`}>{p.title}</a>{' '}
          <time datetime={formatIsoLocal(p.date, props.config.timezone)}>{formatDay(p.date, props.config.timezone)}</time>
        </li>
      ))}
    </ul>
  </section>
)

export const PostNavigation: FC<{ postId: string; nav: PostNav; config: SiteConfig; t: Strings }> = ({ postId, nav, config, t }) => {
  const series = nav.series
  const at = series ? series.posts.findIndex((p) => p.id === postId) : -1
  return (
    <>
      {series && at >= 0 ? (
        <nav class="series" aria-label={t.seriesTitle(series.name)}>
          <h2 class="series-title">{t.seriesTitle(series.name)}</h2>
          <p class="series-part">{t.seriesPart(at + 1, series.posts.length)}</p>
          <ol>
            {series.posts.map((p) =>
              p.id === postId ? (
                <li aria-current="page">
                  <strong>{p.title}</strong>
                </li>
              ) : (
                <li>
                  <a href={`/archives/${p.id}`}>{p.title}</a>{' '}
                  <time datetime={formatIsoLocal(p.date, config.timezone)}>{formatDay(p.date, config.timezone)}</time>
                </li>
              ),
            )}
          </ol>
          {at > 0 || at < series.posts.length - 1 ? (
            <p class="series-steps">
              {at > 0 ? <PostLink post={series.posts[at - 1]!} rel="prev" label={`${t.prevPost} · ${series.name}`} /> : null}
              {at < series.posts.length - 1 ? (
                <PostLink post={series.posts[at + 1]!} rel="next" label={`${t.nextPost} · ${series.name}`} />
              ) : null}
            </p>
          ) : null}
        </nav>
      ) : null}
      {nav.related && nav.related.length > 0 ? (
        <DatedPostList class="related-posts" title={t.relatedPosts} posts={nav.related} config={config} />
      ) : null}
      {nav.prev || nav.next ? (
        <nav class="post-nav" aria-label={t.postNav}>
          {nav.prev ? <PostLink post={nav.prev} rel="prev" label={`« ${t.prevPost}`} /> : <span />}
          {nav.next ? <PostLink post={nav.next} rel="next" label={`${t.nextPost} »`} /> : <span />}
        </nav>
      ) : null}
    </>
  )
}
