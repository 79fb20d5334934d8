/**
 * Feeds, the sitemap and robots.txt (README: Feeds, Sitemap and link previews). Everything here is
 * read from KV (the site snapshot and the values it names, post records, the recent comments), with
 * no Durable Object call, but a post's own comments feed, read from the post's object as a comment
 * page reads it (one call, no view counted), and answered with an `ETag`, `Last-Modified` and
 * `Cache-Control: public, max-age=300`; a matching `If-None-Match` gets 304.
 */
import { Hono, type Context } from 'hono'
import * as z from 'zod'
import type { AppEnv } from '../app-env'
import type { SiteConfig } from '../config'
import { setNewest } from '../lib/bounded'
import { AppError } from '../lib/errors'
import { sha256HexOf } from '../lib/hash'
import { sendKept, type KeptBody } from '../lib/compressed'
import { etagMatches, keepRenderedPage, keptWhile, partEtag, renderedPage } from '../lib/list-cache'
import { edgeKey, edgeMatch, edgePut } from '../lib/edge-cache'
import { resolveSlug, termPath } from '../lib/slug'
import { readFeedItem } from '../storage/feed-items'
import { pagePostId, validate } from '../lib/validate'
import { texToText } from '../render/tex-text'
import { loadPostComments } from '../services/post-page'
import { loadRenderer } from '../render/load'
import type { ListEntry, PostRecord, SiteSnapshot, TermKind } from '../model'
import { feedFormHtml, feedHtml } from '../render/feed-html'
import {
  findTerm,
  listPageIdentity,
  peekSnapshot,
  readArchive,
  readListPage,
  readPost,
  readRecentComments,
  readSnapshot,
  readTermIndex,
  readTermPage,
  StaleSnapshotError,
} from '../storage/read-model'
import { atomXml, feedItemOf, rssXml, sitemapXml, type FeedInfo, type FeedItem, type FeedPost, type SitemapUrl } from '../views/feed-xml'
import { postModified } from '../views/seo'

const feeds = new Hono<AppEnv>()

const TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
} as const
type Format = 'rss' | 'atom'

const CACHE_CONTROL = 'public, max-age=300'

interface Built {
  body: string
  /** Newest change among what the body shows (epoch ms), or null. */
  lastModified: number | null
  /**
   * False when a record read does not have the revision its list entry names: this location's KV
   * still holds an older copy of a key (or already a newer one). Such a body is not kept for long
   * (UNSETTLED_KEEP_MS) nor given to the location's cache, so the feed is made again once KV has
   * caught up, instead of keeping the old text until the next publish.
   */
  settled?: boolean
}

/** How long this isolate keeps a feed made from records that did not match their list entries. */
const UNSETTLED_KEEP_MS = 10_000

/** A feed's validators, kept with its bytes (lib/list-cache.ts; UTF-8, encoded once: a feed of 20 full posts is hundreds of KB). */
interface Validators {
  etag: string
  lastModified: number | null
}
type Answer = KeptBody & Validators
const encoder = new TextEncoder()

function notFound(): never {
  throw new AppError(404, 'not_found', 'Not found')
}

/**
 * Builds (or reuses) a body from the site snapshot and answers it with validators. `identify` names
 * the part of the snapshot the body shows (the posts of a feed: storage/read-model.ts
 * listPageIdentity); a body made from a snapshot with the same identity is reused, from this isolate
 * (LIST_CACHE_SECONDS) or from the location's cache (EDGE_CACHE_SECONDS). A publish, edit or delete
 * changes it; a count, which feeds do not show, writes a new snapshot but leaves it (the bench's
 * feed of ten full posts took 60–70 ms to make again after each new snapshot). While one request
 * of this isolate makes a feed again for a new identity, the others send the one it replaces
 * (lib/list-cache.ts renderedPage; a moment older, and feed readers keep it for minutes anyway):
 * otherwise every request in flight when it changes would make its own feed (50 at once in the
 * benchmark: ~300 MiB of garbage in the isolate). `identify: null` (the comments feed, whose data
 * is its own KV value) builds every time. A chunk retired under an old snapshot: read it again, once.
 *
 * The validator of a body with an identity is that identity's (`partEtag`: with the code and the
 * settings), not a hash of the bytes: a feed reader's `If-None-Match` is answered 304 from the
 * snapshot alone, before any record is read or any XML made (an isolate without the feed made it to
 * hash it: the bench's, ten records of ~240 KB, took 7–9 ms of CPU warm and ~20 ms cold). A body
 * made from records that did not match their list entries (`settled: false`) is not the identity's,
 * and gets a hash of its bytes instead.
 */
async function answer(
  c: Context<AppEnv>,
  type: string,
  build: (snapshot: SiteSnapshot | null) => Promise<Built | Response>,
  identify: ((snapshot: SiteSnapshot) => string) | null,
): Promise<Response> {
  const { config, origin } = c.var
  const key = origin + c.req.path
  // LIST_CACHE_SECONDS=0: no isolate copies, every request builds (or takes the location's copy).
  const keep = identify !== null && config.listCacheMs > 0
  let entry = null as Answer | null
  let kept = false
  // Set when the kept body is the one this isolate would make now: its answer may be replayed (lib/replay.ts).
  let isCurrent: (() => boolean) | undefined
  // Set when the body was made from records that did not match their list entries (Built.settled).
  let until: number | undefined
  const kv = c.env.POSTS
  // The identity of the snapshot this isolate would hand out now without I/O (undefined: it would read).
  const peeks = [
    () => {
      const snapshot = peekSnapshot(kv, config.listCacheMs)
      return snapshot && identify ? identify(snapshot) : undefined
    },
  ]
  const ifNoneMatch = c.req.header('if-none-match')
  for (let attempt = 0; entry === null; attempt++) {
    const snapshot = await readSnapshot(c.env.POSTS, attempt === 0 ? config.listCacheMs : 0)
    const identity = snapshot && identify ? identify(snapshot) : null
    // The identity's validator, made when first needed (a kept body has its own with it).
    let validator: Promise<string> | undefined
    const tag = identity === null ? null : () => (validator ??= partEtag(config, identity))
    // The reader already has what this identity shows: nothing to read, make or send. (`*` asks
    // whether the feed exists at all: a term feed learns that by reading, below.)
    if (tag && ifNoneMatch && ifNoneMatch.trim() !== '*' && etagMatches(ifNoneMatch, await tag()))
      return c.body(null, 304, { 'Cache-Control': CACHE_CONTROL, ETag: await tag(), Vary: 'Accept-Encoding' })
    const hit = keep && identity !== null ? renderedPage<Validators>(key, [identity], attempt === 0) : null
    if (hit) {
      entry = hit.page
      kept = true
      if (hit.current) isCurrent = keptWhile(key, hit.page, peeks)
      break
    }
    // Another isolate's body for the same identity, from the location's cache (lib/edge-cache.ts).
    const edge = tag ? edgeKey(origin, c.req.path, await tag()) : null
    const stored = edge ? await edgeMatch(c, edge) : null
    if (stored) {
      const modified = stored.headers.get('last-modified')
      entry = {
        body: new Uint8Array(await stored.arrayBuffer()),
        etag: stored.headers.get('etag') ?? '',
        lastModified: modified ? Date.parse(modified) : null,
      }
    } else {
      try {
        const result = await build(snapshot)
        if (result instanceof Response) return result
        const body = encoder.encode(result.body)
        const settled = result.settled !== false
        entry = {
          body,
          // Weak either way: the gzip and the plain bytes share it.
          etag: tag && settled ? await tag() : `W/"${(await sha256HexOf(body)).slice(0, 32)}"`,
          lastModified: result.lastModified,
        }
        if (!settled) until = Date.now() + UNSETTLED_KEEP_MS
      } catch (err) {
        if (!(err instanceof StaleSnapshotError) || attempt >= 1) throw err
        continue
      }
      if (edge && until === undefined) {
        const meta: Record<string, string> = { 'Content-Type': type, ETag: entry.etag }
        if (entry.lastModified !== null && entry.lastModified > 0) meta['Last-Modified'] = new Date(entry.lastModified).toUTCString()
        edgePut(c, edge, entry.body, meta)
      }
    }
    if (keep && identity !== null) {
      const page = keepRenderedPage<Validators>(key, [identity], entry.body, { etag: entry.etag, lastModified: entry.lastModified }, until)
      entry = page
      kept = true
      isCurrent = keptWhile(key, page, peeks)
    }
  }
  const headers = answerHeaders(entry)
  if (etagMatches(ifNoneMatch, entry.etag)) return c.body(null, 304, headers)
  // A kept feed is also kept compressed (lib/compressed.ts); one built for this request only is sent as it is.
  if (kept) return sendKept(c, entry, { ...headers, 'Content-Type': type }, isCurrent)
  return c.body(entry.body, 200, { ...headers, 'Content-Type': type })
}

/** The headers of a feed's answer (a 304's too): its validators, and how long it may be kept. */
function answerHeaders(entry: Validators): Record<string, string> {
  const headers: Record<string, string> = { 'Cache-Control': CACHE_CONTROL, ETag: entry.etag, Vary: 'Accept-Encoding' }
  if (entry.lastModified !== null && entry.lastModified > 0) headers['Last-Modified'] = new Date(entry.lastModified).toUTCString()
  return headers
}

/**
 * Answers a body built for this request alone (a post's comments feed, whose data is not in the site
 * snapshot) as `answer` answers one built without an identity: a hash of its bytes is its `ETag`, a
 * matching `If-None-Match` gets 304.
 */
async function answerBuilt(c: Context<AppEnv>, type: string, built: Built): Promise<Response> {
  const body = encoder.encode(built.body)
  const headers = answerHeaders({ etag: `W/"${(await sha256HexOf(body)).slice(0, 32)}"`, lastModified: built.lastModified })
  if (etagMatches(c.req.header('if-none-match'), headers.ETag!)) return c.body(null, 304, headers)
  return c.body(body, 200, { ...headers, 'Content-Type': type })
}

/** Feed HTML of post records, by id, revision and origin (a record never changes under its revision). */
const itemHtml = new Map<string, string>()
const ITEM_HTML_LIMIT = 128

function postFeedHtml(record: PostRecord, url: string): string {
  const key = `${url}|${record.revision ?? ''}|${record.modifiedAt}|${record.renderVersion}`
  let html = itemHtml.get(key)
  if (html === undefined) {
    html = feedHtml(record.html, url)
    setNewest(itemHtml, key, html, ITEM_HTML_LIMIT)
  }
  return html
}

/**
 * The feed items of list entries (a draft or deleted post is left out). Each post's feed item is
 * read, in parallel; a post whose item is missing, of another revision than its list entry or of
 * older code has its KV record read instead (storage/feed-items.ts), as do posts listed without a
 * revision.
 */
async function postItems(
  c: Context<AppEnv>,
  entries: ListEntry[],
): Promise<{ items: FeedItem[]; lastModified: number | null; settled: boolean }> {
  const kv = c.env.POSTS
  const stored = await Promise.all(entries.map((e) => readFeedItem(kv, e.id, e.revision)))
  let settled = true
  const shown = await Promise.all(
    entries.map(async (e, i): Promise<FeedPost | null> => {
      const item = stored[i]
      if (item) return { ...item, html: (url) => feedFormHtml(item.html, url) }
      const s = await readPost(kv, e.id)
      if (e.revision !== undefined && (s.kind !== 'post' || s.record.revision !== e.revision)) settled = false
      if (s.kind !== 'post') return null
      const record = s.record
      return { ...record, html: (url) => postFeedHtml(record, url) }
    }),
  )
  const items: FeedItem[] = []
  let lastModified: number | null = null
  for (const post of shown) {
    if (!post || post.draft) continue
    items.push(feedItemOf(post, `${c.var.origin}/archives/${post.id}`))
    lastModified = Math.max(lastModified ?? 0, post.modifiedAt, postModified(post))
  }
  return { items, lastModified, settled }
}

/** A feed's XML; `since`: its date when no item is newer (a post's comments feed with no comment yet: the post's). */
function feedBody(
  format: Format,
  info: Omit<FeedInfo, 'updated' | 'language' | 'timeZone' | 'author'>,
  c: Context<AppEnv>,
  items: FeedItem[],
  since = 0,
) {
  const { config, t } = c.var
  const feed: FeedInfo = {
    ...info,
    language: t.htmlLang,
    author: config.author,
    timeZone: config.timezone,
    updated: items.reduce((max, i) => Math.max(max, i.updated), since),
  }
  return format === 'rss' ? rssXml(feed, items) : atomXml(feed, items)
}

/** What the site's feeds show: the front list's newest FEED_POSTS posts. */
export const siteFeedIdentity = (config: SiteConfig, snapshot: SiteSnapshot) => `list ${listPageIdentity(snapshot, 1, config.feedPosts)}`

/** `/feed`, `/feed/atom`: the newest FEED_POSTS posts with their full content. */
function siteFeed(c: Context<AppEnv>, format: Format) {
  const { config, origin } = c.var
  return answer(
    c,
    TYPES[format],
    async (snapshot) => {
      const list = snapshot ? await readListPage(c.env.POSTS, snapshot, 1, config.feedPosts) : null
      const { items, lastModified, settled } = await postItems(c, list?.entries ?? [])
      const self = `${origin}/feed${format === 'atom' ? '/atom' : ''}`
      const body = feedBody(format, { title: config.title, description: config.description, link: `${origin}/`, self }, c, items)
      return { body, lastModified, settled }
    },
    (snapshot) => siteFeedIdentity(config, snapshot),
  )
}

feeds.get('/feed', (c) => siteFeed(c, 'rss'))
feeds.get('/feed/atom', (c) => siteFeed(c, 'atom'))
// The addresses of the old engine (and of WordPress): with a trailing slash.
feeds.get('/feed/', (c) => c.redirect('/feed', 301))
feeds.get('/feed/atom/', (c) => c.redirect('/feed/atom', 301))

/** A term slug in a URL, as the term pages take it (routes/pages.tsx). */
const termParams = validate(
  'param',
  z.object({
    slug: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[^\u0000-\u001f\u007f/\\?#%]+$/),
  }),
  { status: 404, code: 'not_found' },
)

/**
 * A term feed shows its term's chunks, which the term index names: its key names its content. The
 * term is part of it, so each term feed has its own validator (one term's is no 304 for another's).
 */
const termsIdentity = (kind: TermKind, slug: string) => (snapshot: SiteSnapshot) => `terms ${snapshot.termsKey ?? ''} ${kind}/${slug}`

/** `/category/:slug/feed` (and `/atom`), `/tag/:slug/feed`: the term's newest FEED_POSTS posts. */
function termFeed(c: Context<AppEnv>, kind: TermKind, slug: string, format: Format) {
  const { config, origin, t } = c.var
  const suffix = format === 'atom' ? '/feed/atom' : '/feed'
  return answer(
    c,
    TYPES[format],
    async (snapshot) => {
      const found = snapshot ? await readTermPage(c.env.POSTS, snapshot, kind, slug, 1, config.feedPosts) : null
      if (!found) {
        // A display name or another spelling of an existing term's slug: to the term's own feed.
        const canonical = resolveSlug(slug, config.slugs[kind])
        if (snapshot && canonical !== slug && findTerm(await readTermIndex(c.env.POSTS, snapshot), kind, canonical))
          return c.redirect(termPath(kind, canonical) + suffix, 301)
        notFound()
      }
      const { term, list } = found
      const { items, lastModified, settled } = await postItems(c, list.entries)
      const name = kind === 'category' ? t.categoryTitle(term.name) : t.tagTitle(term.name)
      const page = `${origin}${termPath(kind, term.slug)}`
      const body = feedBody(
        format,
        { title: `${config.title} – ${name}`, description: config.description, link: page, self: page + suffix },
        c,
        items,
      )
      return { body, lastModified, settled }
    },
    termsIdentity(kind, slug),
  )
}

for (const kind of ['category', 'tag'] as const) {
  feeds.get(`/${kind}/:slug/feed`, termParams, (c) => termFeed(c, kind, c.req.valid('param').slug, 'rss'))
  feeds.get(`/${kind}/:slug/feed/atom`, termParams, (c) => termFeed(c, kind, c.req.valid('param').slug, 'atom'))
}

/** `/comments/feed` (RSS), `/comments/feed/atom`: the newest approved comments (as many as the Site object keeps, 30), full HTML. */
function commentsFeed(c: Context<AppEnv>, format: Format) {
  const { config, origin, t } = c.var
  return answer(
    c,
    TYPES[format],
    async (snapshot) => {
      const comments = await readRecentComments(c.env.POSTS)
      // Only comments on posts the snapshot lists (published), should the two ever disagree.
      const shown = snapshot ? comments.filter((x) => snapshot.counts[x.postId] !== undefined) : []
      const items: FeedItem[] = shown.map((x) => {
        const postUrl = `${origin}/archives/${x.postId}`
        return {
          title: t.commentFeedItem(x.author, x.postTitle),
          url: `${postUrl}/comments/${x.commentId}`,
          published: x.createdAt,
          updated: x.createdAt,
          author: x.author,
          categories: [],
          summary: x.excerpt,
          html: feedHtml(x.html, postUrl),
        }
      })
      const self = `${origin}/comments/feed${format === 'atom' ? '/atom' : ''}`
      const body = feedBody(
        format,
        { title: t.commentsFeedTitle(config.title), description: config.description, link: `${origin}/`, self },
        c,
        items,
      )
      return { body, lastModified: items.reduce<number | null>((max, i) => Math.max(max ?? 0, i.published), null) }
    },
    null,
  )
}

feeds.get('/comments/feed', (c) => commentsFeed(c, 'rss'))
feeds.get('/comments/feed/atom', (c) => commentsFeed(c, 'atom'))

/** How many comments a post's comments feed shows, the newest. */
export const POST_COMMENTS_FEED_SIZE = 50

/**
 * `/archives/:id/comments/feed` (and `/atom`): a post's (or a standalone page's) newest
 * POST_COMMENTS_FEED_SIZE approved comments, newest first, in full. Read as a comment page reads them
 * (services/post-page.ts loadPostComments: one call to the post's object, which counts no view, and
 * at most one KV read); no site snapshot. A draft, scheduled or unknown post is 404, a deleted one
 * 410, a renamed post's old id redirects to the new id's feed (301; 302 while only the old object
 * says so, as its page). Closed comments keep their feed.
 */
async function postCommentsFeed(c: Context<AppEnv>, id: string, format: Format) {
  const { config, origin, t } = c.var
  const suffix = format === 'atom' ? '/comments/feed/atom' : '/comments/feed'
  const data = await loadPostComments(c.env, config, id)
  if (data.kind === 'moved') return c.redirect(`/archives/${data.to}${suffix}`, data.temporary ? 302 : 301)
  if (data.kind === 'gone') throw new AppError(410, 'gone', 'Gone')
  if (data.kind === 'unavailable') throw new AppError(503, 'unavailable', t.unavailableText, { 'Retry-After': '5' })
  if (data.kind !== 'ok') notFound()
  const { record } = data
  const postUrl = `${origin}/archives/${id}`
  const shown = data.comments
    .filter((x) => x.status === 'approved')
    .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
    .slice(0, POST_COMMENTS_FEED_SIZE)
  // The summaries are the comments' text as marked's lexer reads it (no `**` or link targets left),
  // so this feed loads the write path's renderer (render/load.ts), which no page view does.
  const { commentExcerpt } = await loadRenderer()
  const items: FeedItem[] = shown.map((x) => ({
    title: t.commentFeedItem(x.author, record.title),
    url: `${postUrl}/comments/${x.id}`,
    published: x.createdAt,
    updated: x.editedAt ?? x.createdAt,
    author: x.author,
    categories: [],
    summary: commentExcerpt(x.body),
    html: feedHtml(x.html, postUrl),
  }))
  const body = feedBody(
    format,
    {
      title: t.postCommentsFeedTitle(record.title),
      description: texToText(record.description),
      link: postUrl,
      self: origin + `/archives/${id}${suffix}`,
    },
    c,
    items,
    record.date,
  )
  const newest = items.reduce((max, i) => Math.max(max, i.updated), 0)
  return answerBuilt(c, TYPES[format], { body, lastModified: Math.max(newest, record.modifiedAt) })
}

feeds.get('/archives/:id/comments/feed', pagePostId, (c) => postCommentsFeed(c, c.req.valid('param').id, 'rss'))
feeds.get('/archives/:id/comments/feed/atom', pagePostId, (c) => postCommentsFeed(c, c.req.valid('param').id, 'atom'))
// WordPress's address of a post's comments feed (with and without its trailing slash): blogs imported
// from WordPress have subscribers there.
feeds.get('/archives/:id/feed', pagePostId, (c) => c.redirect(`/archives/${c.req.valid('param').id}/comments/feed`, 301))
feeds.get('/archives/:id/feed/', pagePostId, (c) => c.redirect(`/archives/${c.req.valid('param').id}/comments/feed`, 301))
feeds.get('/archives/:id/feed/atom', pagePostId, (c) => c.redirect(`/archives/${c.req.valid('param').id}/comments/feed/atom`, 301))
feeds.get('/archives/:id/feed/atom/', pagePostId, (c) => c.redirect(`/archives/${c.req.valid('param').id}/comments/feed/atom`, 301))

/** The sitemap shows the archive, the term index and the standalone pages. */
const sitemapIdentity = (snapshot: SiteSnapshot) =>
  `sitemap ${JSON.stringify([snapshot.archiveKey ?? '', snapshot.termsKey ?? '', snapshot.pages ?? []])}`

/**
 * `/sitemap.xml`: the front page, the archive, the category and tag indexes, every published post
 * (lastmod: its `updated` date when later than its date, else its date: the author's own statement
 * of a change, so a re-render after a deploy does not mark every post as changed) and every
 * category and tag page (lastmod: the newest of its posts).
 */
feeds.get('/sitemap.xml', (c) => {
  const { config, origin } = c.var
  return answer(
    c,
    TYPES.xml,
    async (snapshot) => {
      const [archive, terms] = snapshot
        ? await Promise.all([readArchive(c.env.POSTS, snapshot), readTermIndex(c.env.POSTS, snapshot)])
        : [[], { category: [], tag: [] }]
      const newest = archive.reduce<number | undefined>((max, p) => Math.max(max ?? 0, postModified(p)), undefined)
      const newestTerm = (kind: TermKind) =>
        terms[kind].reduce<number | undefined>((max, x) => Math.max(max ?? 0, x.lastModified), undefined)
      const urls: SitemapUrl[] = [
        { loc: `${origin}/`, lastmod: newest },
        { loc: `${origin}/archives`, lastmod: newest },
        { loc: `${origin}/categories`, lastmod: newestTerm('category') },
        { loc: `${origin}/tags`, lastmod: newestTerm('tag') },
        ...archive.map((p) => ({ loc: `${origin}/archives/${p.id}`, lastmod: postModified(p) })),
        // Standalone pages are in no list, but public.
        ...(snapshot?.pages ?? []).map((p) => ({ loc: `${origin}/archives/${p.id}`, lastmod: p.modifiedAt })),
        ...(['category', 'tag'] as const).flatMap((kind) =>
          terms[kind].map((x) => ({ loc: `${origin}${termPath(kind, x.slug)}`, lastmod: x.lastModified })),
        ),
      ]
      return {
        body: sitemapXml(urls, config.timezone),
        lastModified: archive.reduce<number | null>((max, p) => Math.max(max ?? 0, p.modifiedAt), null),
      }
    },
    sitemapIdentity,
  )
})

/** `/robots.txt`: everything but the API and the admin pages; where the sitemap is. */
feeds.get('/robots.txt', (c) =>
  c.body(
    ['User-agent: *', 'Allow: /', 'Disallow: /api/', 'Disallow: /admin', '', `Sitemap: ${c.var.origin}/sitemap.xml`, ''].join('\n'),
    200,
    {
      'Content-Type': TYPES.text,
      'Cache-Control': CACHE_CONTROL,
    },
  ),
)

export default feeds
