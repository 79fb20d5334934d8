import type { FC } from 'hono/jsx'
import { raw } from 'hono/html'
import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import { formatDay, formatIsoLocal } from '../lib/dates'
import type { ListEntry } from '../model'
import type { ListPage } from '../storage/read-model'
import { resolveSlug, termPath } from '../lib/slug'

interface EntryProps {
  entry: ListEntry
  counts: [number, number]
  config: SiteConfig
  t: Strings
}

/** One post on a list page: title, "By author | date | N位读者 | M条评论 | 引用", excerpt. */
export const Entry: FC<EntryProps> = ({ entry, counts, config, t }) => {
  const href = `/archives/${entry.id}`
  return (
    <article class="entry">
      <h2 class="entry-title">
        <a href={href}>{entry.title}</a>
      </h2>
      <div class="entry-meta">
        {t.by} <span class="entry-author">{entry.author}</span>
        <span class="sep"> | </span>
        <time datetime={formatIsoLocal(entry.date, config.timezone)}>{formatDay(entry.date, config.timezone)}</time>
        <span class="sep"> | </span>
        <span class="entry-views">{t.readers(counts[0])}</span>
        <span class="sep"> | </span>
        <a class="entry-comments" href={`${href}#comments`}>
          {t.comments(counts[1])}
        </a>
        <span class="sep"> | </span>
        <a class="entry-cite" href={`${href}#cite`}>
          {t.cite}
        </a>
      </div>
      <div class="entry-excerpt">{raw(entry.excerptHtml)}</div>
      <p class="entry-more">
        <a href={href}>{t.readMore}</a>
      </p>
      <TermLinks
        category={entry.category}
        categorySlug={entry.categorySlug}
        tags={entry.tags}
        tagSlugs={entry.tagSlugs}
        config={config}
        t={t}
      />
    </article>
  )
}

/** The category and tags of a post, linked to their pages (slugs computed for records stored before they carried them). */
export const TermLinks: FC<{
  category: string | null
  categorySlug?: string | null
  tags: string[]
  tagSlugs?: string[]
  config: SiteConfig
  t: Strings
}> = ({ category, categorySlug, tags, tagSlugs, config, t }) =>
  category || tags.length > 0 ? (
    <p class="entry-terms">
      {category ? (
        <span class="entry-category">
          {t.category}: <a href={termPath('category', categorySlug ?? resolveSlug(category, config.slugs.category))}>{category}</a>
        </span>
      ) : null}
      {category && tags.length > 0 ? <span class="sep"> | </span> : null}
      {tags.length > 0 ? (
        <span class="entry-tags">
          {t.tags}:{' '}
          {tags.map((tag, i) => (
            <>
              {i > 0 ? ' ' : null}
              <a class="tag" rel="tag" href={termPath('tag', tagSlugs?.[i] ?? resolveSlug(tag, config.slugs.tag))}>
                {tag}
              </a>
            </>
          ))}
        </span>
      ) : null}
    </p>
  ) : null

const frontPageHref = (n: number) => (n === 1 ? '/' : `/page/${n}`)

/** « newer | page n of m | older » links; `href` makes the URL of page n. */
export const Pagination: FC<{ page: number; pages: number; t: Strings; href?: (n: number) => string }> = ({
  page,
  pages,
  t,
  href: pageHref = frontPageHref,
}) =>
  pages <= 1 ? null : (
    <nav class="pagination" aria-label={t.pagination}>
      {page > 1 ? (
        <a class="newer" rel="prev" href={pageHref(page - 1)}>
          {t.newer}
        </a>
      ) : (
        <span />
      )}
      <span class="page-of">{t.pageOf(page, pages)}</span>
      {page < pages ? (
        <a class="older" rel="next" href={pageHref(page + 1)}>
          {t.older}
        </a>
      ) : (
        <span />
      )}
    </nav>
  )

/** The front page and its numbered pages. */
export const PostList: FC<{ list: ListPage; counts: Record<string, [number, number]>; config: SiteConfig; t: Strings }> = ({
  list,
  counts,
  config,
  t,
}) => (
  <>
    {/* The page's one h1 (entries are h2): read by screen readers, the header already shows the title. */}
    <h1 class="visually-hidden">{list.page > 1 ? `${config.title} · ${t.pageOf(list.page, list.pages)}` : config.title}</h1>
    <Entries list={list} counts={counts} config={config} t={t} />
  </>
)

/** The entries of a list page and its pagination. */
export const Entries: FC<{
  list: ListPage
  counts: Record<string, [number, number]>
  config: SiteConfig
  t: Strings
  href?: (n: number) => string
}> = ({ list, counts, config, t, href }) => (
  <>
    {list.entries.length === 0 ? <p class="empty">{t.noPosts}</p> : null}
    {list.entries.map((entry) => (
      <Entry entry={entry} counts={counts[entry.id] ?? [0, 0]} config={config} t={t} />
    ))}
    <Pagination page={list.page} pages={list.pages} t={t} href={href} />
  </>
)
