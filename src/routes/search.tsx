import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env'
import { AppError } from '../lib/errors'
import { sendKept } from '../lib/compressed'
import { keepRenderedPage, keptWhile, renderedPage } from '../lib/list-cache'
import { peekPointer, readDocs, readPointer, search } from '../search/query'
import { highlight, snippet } from '../search/snippet'
import { parseQuery } from '../search/tokenize'
import { peekSnapshot, readSnapshot } from '../storage/read-model'
import { Layout } from '../views/layout'
import { MAX_QUERY_CHARS, SEARCH_CSS, SearchPage, SearchRefused, searchHref, type SearchResultView } from '../views/search-page'
import { Sidebar } from '../views/sidebar'

/**
 * Full-text search: `/search?q=…&page=n`, and `/search/:keyword` (`/search/:keyword/`), which shows
 * the same results with `/search?q=…` as its canonical address. An empty query shows the form.
 * The index is read from KV (src/search/query.ts); no post is read except the page's results.
 */
const search_ = new Hono<AppEnv>()

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g

/** A search request's input: its query and page, or, for input no search could mean, why (a 400) and the query to offer back. */
type SearchInput = { ok: true; q: string; page: number } | { ok: false; reason: string; q: string }

function readInput(c: Context<AppEnv>, raw: string | undefined): SearchInput {
  const { t } = c.var
  const q = (raw ?? '').trim()
  const chars = [...q]
  // What the form offers back is a query that can be sent again: at most MAX_QUERY_CHARS characters, no control characters.
  const refused = (reason: string): SearchInput => ({
    ok: false,
    reason,
    q: chars.slice(0, MAX_QUERY_CHARS).join('').replace(CONTROLS, ' ').trim(),
  })
  if (chars.length > MAX_QUERY_CHARS) return refused(t.searchTooLong(MAX_QUERY_CHARS))
  if (CONTROL.test(q)) return refused(t.searchBadChars)
  const pageText = c.req.query('page')
  if (pageText !== undefined && !/^[1-9][0-9]{0,5}$/.test(pageText)) return refused(t.searchBadPage)
  return { ok: true, q, page: pageText === undefined ? 1 : Number(pageText) }
}

/** The 400 of a refused search: the search page with its form holding the query to correct, and the reason. */
function refusedPage(c: Context<AppEnv>, reason: string, q: string) {
  const { config, t } = c.var
  return c.html(
    <Layout
      config={config}
      t={t}
      title={t.invalidRequestTitle}
      head={
        <>
          <meta name="robots" content="noindex, follow" />
          <link rel="stylesheet" href={SEARCH_CSS} />
        </>
      }
    >
      <SearchRefused t={t} q={q} reason={reason} />
    </Layout>,
    400,
  )
}

async function searchPage(c: Context<AppEnv>, raw: string | undefined) {
  const { config, t } = c.var
  const input = readInput(c, raw)
  if (!input.ok) return refusedPage(c, input.reason, input.q)
  const { q, page } = input
  const terms = parseQuery(q)
  const maxAge = config.listCacheMs
  c.header('Cache-Control', 'no-cache')
  c.header('Vary', 'Accept-Encoding')
  // A hot query is answered from this isolate's rendering while the snapshot and the index pointer stand.
  const [snapshot, pointer] = await Promise.all([readSnapshot(c.env.POSTS, maxAge), readPointer(c.env.POSTS, maxAge)])
  const cacheKey = `search ${c.req.url}`
  // (While another request makes it again for a newer snapshot or index, the one it replaces.)
  const hit = maxAge > 0 ? renderedPage(cacheKey, [snapshot, pointer]) : null
  // What makes the answer replayable (lib/replay.ts): the snapshot and the pointer are still the isolate's.
  const kv = c.env.POSTS
  const peeks = [() => peekSnapshot(kv, maxAge), () => peekPointer(kv, maxAge)]
  if (hit)
    return sendKept(
      c,
      hit.page,
      { 'Content-Type': 'text/html; charset=UTF-8' },
      hit.current ? keptWhile(cacheKey, hit.page, peeks) : undefined,
    )
  const hits = await search(c.env.POSTS, terms, maxAge)
  // Only published posts: the snapshot lists every one (the index may lag a delete by a moment).
  const counts = snapshot?.counts ?? {}
  const visible = hits.filter((h) => Object.hasOwn(counts, h.id))
  const size = config.pageSize
  const pages = Math.max(1, Math.ceil(visible.length / size))
  if (page > pages) throw new AppError(404, 'not_found', 'Not found')
  const onPage = visible.slice((page - 1) * size, page * size)
  const docs = await readDocs(
    c.env.POSTS,
    onPage.map((h) => h.id),
  )
  // A standalone page shows no date or terms (README: Pages); the snapshot knows which ids are pages.
  const pageIds = new Set(snapshot?.pages?.map((p) => p.id))
  const results: SearchResultView[] = []
  for (const doc of docs) {
    if (!doc) continue
    const isPage = pageIds.has(doc.id)
    results.push({
      id: doc.id,
      titleHtml: highlight(doc.title, terms),
      date: isPage ? null : doc.date,
      tags: isPage ? [] : doc.tags,
      snippetHtml: snippet(doc.text, terms),
    })
  }
  const html = String(
    await (
      <Layout
        config={config}
        t={t}
        title={q ? `${t.searchTitle(q)}${page > 1 ? ` – ${t.pageOf(page, pages)}` : ''}` : t.search}
        canonical={`${c.var.origin}${q ? searchHref(q, page) : '/search'}`}
        sidebar={<Sidebar t={t} snapshot={snapshot} links={config.links} />}
        head={
          <>
            <meta name="robots" content="noindex, follow" />
            <link rel="stylesheet" href={SEARCH_CSS} />
          </>
        }
      >
        <SearchPage
          config={config}
          t={t}
          q={q}
          notice={q && terms.length === 0 ? t.searchNoTerms : undefined}
          results={results}
          total={visible.length}
          page={page}
          pages={pages}
        />
      </Layout>
    ).toString(),
  )
  if (maxAge > 0) {
    const kept = keepRenderedPage(cacheKey, [snapshot, pointer], html)
    return sendKept(c, kept, { 'Content-Type': 'text/html; charset=UTF-8' }, keptWhile(cacheKey, kept, peeks))
  }
  return c.html(html)
}

search_.get('/search', (c) => searchPage(c, c.req.query('q')))
search_.get('/search/:keyword', (c) => searchPage(c, c.req.param('keyword')))
search_.get('/search/:keyword/', (c) => searchPage(c, c.req.param('keyword')))

export default search_
