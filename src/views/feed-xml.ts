/**
 * The XML of the feeds (RSS 2.0, Atom 1.0) and the sitemap. Every text goes through `xmlText`:
 * escaped, and stripped of the characters XML 1.0 forbids (C0 controls but tab, CR and LF;
 * U+FFFE/U+FFFF; lone surrogates), which a title or a comment could otherwise carry into the feed
 * and make the whole document unreadable for a strict parser.
 */
import { formatIsoLocal, monthAbbr } from '../lib/dates'
import { texToText } from '../render/tex-text'
import type { FeedFields } from '../storage/feed-items'
import { postModified } from './seo'

const XML_FORBIDDEN =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Any character XML_FORBIDDEN could match (any surrogate): a quick test, without its lookarounds. */
const XML_SUSPECT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/

/** The text without the characters XML 1.0 forbids (most texts have none: one quick scan). */
function xmlAllowed(text: string): string {
  return XML_SUSPECT.test(text) ? text.replace(XML_FORBIDDEN, '') : text
}

/** Text for an XML element or a quoted attribute value. */
export function xmlText(text: string): string {
  return xmlAllowed(text).replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch]!)
}

/**
 * Text as a CDATA section (an element's content; a `]]>` in it is split across two sections): for
 * the items' HTML, where escaping every `<`, `>`, `&` and `"` of a feed's 0.4 MB of MathML-heavy
 * markup took most of the time spent making a feed, and made it 60% larger.
 */
export function xmlCdata(text: string): string {
  return `<![CDATA[${xmlAllowed(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** RFC 3339 with the site's offset, e.g. `2024-03-12T21:30:00+08:00` (Atom, sitemap). */
export function rfc3339(ms: number, timeZone: string): string {
  return formatIsoLocal(ms, timeZone)
}

/** RFC 822 (as RFC 2822 writes it) with the site's offset, e.g. `Tue, 12 Mar 2024 21:30:00 +0800` (RSS). */
export function rfc822(ms: number, timeZone: string): string {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d:\d\d)([+-])(\d\d):(\d\d)$/.exec(formatIsoLocal(ms, timeZone))
  if (!m) return new Date(ms).toUTCString() // a year outside 1000–9999: GMT
  const [, y, mo, d, time, sign, oh, om] = m
  const dow = DAYS[new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay()]
  return `${dow}, ${d} ${monthAbbr(Number(mo))} ${y} ${time} ${sign}${oh}${om}`
}

export interface FeedItem {
  title: string
  /** The item's absolute address; also its guid / id (stable across edits). */
  url: string
  published: number
  updated: number
  author: string
  categories: string[]
  /** Plain text. */
  summary: string
  /** The full HTML (already made fit for feeds: render/feed-html.ts). */
  html: string
}

/** What a feed shows of a post: from its feed item (storage/feed-items.ts) or its record; its HTML for an address. */
export type FeedPost = FeedFields & { html: (url: string) => string }

/** A post's item in a feed, at its permalink `url`. */
export function feedItemOf(post: FeedPost, url: string): FeedItem {
  return {
    title: post.title,
    url,
    published: post.date,
    updated: postModified(post),
    author: post.author,
    categories: [...(post.category ? [post.category] : []), ...post.tags],
    summary: texToText(post.description),
    html: post.html(url),
  }
}

export interface FeedInfo {
  title: string
  description: string
  /** The HTML page the feed follows (absolute). */
  link: string
  /** The feed's own address (absolute). */
  self: string
  /** `zh-CN` or `en`. */
  language: string
  /** Feed-level author (Atom). */
  author: string
  timeZone: string
  /** When the newest item changed (RSS lastBuildDate, Atom updated). */
  updated: number
}

const el = (name: string, text: string) => `<${name}>${xmlText(text)}</${name}>`

/** RSS 2.0 with `content:encoded` (full HTML), `dc:creator` and an `atom:link rel="self"`. */
export function rssXml(feed: FeedInfo, items: FeedItem[]): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    el('title', feed.title),
    el('link', feed.link),
    el('description', feed.description || feed.title),
    el('language', feed.language),
    el('lastBuildDate', rfc822(feed.updated, feed.timeZone)),
    `<atom:link href="${xmlText(feed.self)}" rel="self" type="application/rss+xml"/>`,
  ]
  for (const item of items) {
    out.push(
      '<item>',
      el('title', item.title),
      el('link', item.url),
      `<guid isPermaLink="true">${xmlText(item.url)}</guid>`,
      el('pubDate', rfc822(item.published, feed.timeZone)),
      el('dc:creator', item.author),
      ...item.categories.map((c) => el('category', c)),
      el('description', item.summary),
      `<content:encoded>${xmlCdata(item.html)}</content:encoded>`,
      '</item>',
    )
  }
  out.push('</channel>', '</rss>', '')
  return out.join('\n')
}

/** Atom 1.0: entry ids are the permalinks; `content type="html"` holds the full HTML. */
export function atomXml(feed: FeedInfo, items: FeedItem[]): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlText(feed.language)}">`,
    el('id', feed.self),
    '<title type="text">' + xmlText(feed.title) + '</title>',
    ...(feed.description ? ['<subtitle type="text">' + xmlText(feed.description) + '</subtitle>'] : []),
    `<link rel="alternate" type="text/html" href="${xmlText(feed.link)}"/>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(feed.self)}"/>`,
    el('updated', rfc3339(feed.updated, feed.timeZone)),
    `<author>${el('name', feed.author)}</author>`,
  ]
  for (const item of items) {
    out.push(
      '<entry>',
      el('id', item.url),
      '<title type="text">' + xmlText(item.title) + '</title>',
      `<link rel="alternate" type="text/html" href="${xmlText(item.url)}"/>`,
      el('published', rfc3339(item.published, feed.timeZone)),
      el('updated', rfc3339(item.updated, feed.timeZone)),
      `<author>${el('name', item.author)}</author>`,
      ...item.categories.map((c) => `<category term="${xmlText(c)}"/>`),
      ...(item.summary ? ['<summary type="text">' + xmlText(item.summary) + '</summary>'] : []),
      '<content type="html">' + xmlCdata(item.html) + '</content>',
      '</entry>',
    )
  }
  out.push('</feed>', '')
  return out.join('\n')
}

export interface SitemapUrl {
  loc: string
  lastmod?: number
}

/** A sitemaps.org urlset (at most 50,000 URLs, the protocol's limit for one file). */
export function sitemapXml(urls: SitemapUrl[], timeZone: string): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
  for (const u of urls.slice(0, 50_000)) {
    out.push(`<url><loc>${xmlText(u.loc)}</loc>${u.lastmod !== undefined ? el('lastmod', rfc3339(u.lastmod, timeZone)) : ''}</url>`)
  }
  out.push('</urlset>', '')
  return out.join('\n')
}
