import type { FC } from 'hono/jsx'
import { raw } from 'hono/html'
import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import { formatDay, formatIsoLocal } from '../lib/dates'

/** Longest query accepted (characters). */
export const MAX_QUERY_CHARS = 200

export { SEARCH_CSS } from './assets'

/**
 * The search form: `<form role="search">` with a labelled input `q`. `id` keeps labels unique when
 * a page holds two forms (the header's and the search page's); `compact` hides the label visually
 * (it stays the input's accessible name).
 */
export const SearchForm: FC<{ t: Strings; q?: string; id?: string; compact?: boolean }> = ({ t, q, id = 'search-q', compact }) => (
  // The header's compact form (every page) and the search page's own: two search landmarks, named apart.
  <form
    role="search"
    action="/search"
    method="get"
    class={compact ? 'site-search' : 'search-form'}
    aria-label={compact ? t.searchSite : t.searchLabel}
  >
    <label for={id} class={compact ? 'visually-hidden' : 'search-label'}>
      {t.searchLabel}
    </label>
    <input id={id} type="search" name="q" value={q ?? ''} maxlength={MAX_QUERY_CHARS} autocomplete="off" />
    <button type="submit">{t.search}</button>
  </form>
)

/** One result as the page shows it: title and snippet are escaped HTML with <mark>s. */
export interface SearchResultView {
  id: string
  titleHtml: string
  /** The post's date; null for a standalone page, which shows none. */
  date: number | null
  tags: string[]
  snippetHtml: string
}

export interface SearchPageProps {
  config: SiteConfig
  t: Strings
  q: string
  /** Shown instead of results (a query with nothing searchable in it). */
  notice?: string
  results: SearchResultView[]
  total: number
  page: number
  pages: number
}

export const searchHref = (q: string, page = 1) => `/search?q=${encodeURIComponent(q)}${page > 1 ? `&page=${page}` : ''}`

/** « previous | page n of m | next » through the results. */
const SearchPagination: FC<{ q: string; page: number; pages: number; t: Strings }> = ({ q, page, pages, t }) =>
  pages <= 1 ? null : (
    <nav class="pagination" aria-label={t.search}>
      {page > 1 ? (
        <a class="newer" rel="prev" href={searchHref(q, page - 1)}>
          {t.prevCommentPage}
        </a>
      ) : (
        <span />
      )}
      <span class="page-of">{t.pageOf(page, pages)}</span>
      {page < pages ? (
        <a class="older" rel="next" href={searchHref(q, page + 1)}>
          {t.nextCommentPage}
        </a>
      ) : (
        <span />
      )}
    </nav>
  )

/** A search refused (400: too long, control characters, a bad page number): the form, holding the query to correct, and why. */
export const SearchRefused: FC<{ t: Strings; q: string; reason: string }> = ({ t, q, reason }) => (
  <section class="search-page">
    <h1>{t.search}</h1>
    <SearchForm t={t} q={q} id="search-page-q" />
    <p class="search-error">{reason}</p>
  </section>
)

/** The search page: the form, then (for a query) the count, the results and the pagination. */
export const SearchPage: FC<SearchPageProps> = ({ config, t, q, notice, results, total, page, pages }) => (
  <section class="search-page">
    <h1>{q ? t.searchTitle(q) : t.search}</h1>
    <SearchForm t={t} q={q} id="search-page-q" />
    {!q ? <p class="search-intro">{t.searchIntro}</p> : null}
    {q && notice ? <p class="empty">{notice}</p> : null}
    {q && !notice ? (
      <>
        <p class="search-count" role="status">
          {total === 0 ? t.searchNone : t.searchCount(total)}
        </p>
        {results.map((r) => {
          const href = `/archives/${r.id}`
          return (
            <article class="entry search-result">
              <h2 class="entry-title">
                <a href={href}>{raw(r.titleHtml)}</a>
              </h2>
              {r.date !== null || r.tags.length > 0 ? (
                <div class="entry-meta">
                  {r.date !== null ? (
                    <time datetime={formatIsoLocal(r.date, config.timezone)}>{formatDay(r.date, config.timezone)}</time>
                  ) : null}
                  {r.date !== null && r.tags.length > 0 ? <span class="sep"> | </span> : null}
                  {r.tags.length > 0 ? (
                    <span class="search-tags">
                      {r.tags.map((tag) => (
                        <a class="tag" href={searchHref(tag)}>
                          {tag}
                        </a>
                      ))}
                    </span>
                  ) : null}
                </div>
              ) : null}
              <p class="search-snippet">{raw(r.snippetHtml)}</p>
            </article>
          )
        })}
        <SearchPagination q={q} page={page} pages={pages} t={t} />
      </>
    ) : null}
  </section>
)
