import { raw } from 'hono/html'
import type { FC } from 'hono/jsx'
import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import { formatIsoLocal } from '../lib/dates'
import type { PostRecord } from '../model'
import { texToText } from '../render/tex-text'

/** A feed a page announces with `<link rel="alternate">` (a category's or tag's own feed, say). */
export interface FeedLink {
  title: string
  href: string
  type: string
}

export const RSS_TYPE = 'application/rss+xml'
export const ATOM_TYPE = 'application/atom+xml'

/** The site's own feeds, announced on every page after the page's `feeds`. */
export function siteFeeds(config: SiteConfig, t: Strings): FeedLink[] {
  return [
    { title: config.title, href: '/feed', type: RSS_TYPE },
    { title: `${config.title} (Atom)`, href: '/feed/atom', type: ATOM_TYPE },
    { title: t.commentsFeedTitle(config.title), href: '/comments/feed', type: RSS_TYPE },
  ]
}

export const FeedLinks: FC<{ feeds: FeedLink[] }> = ({ feeds }) => (
  <>
    {feeds.map((f) => (
      <link rel="alternate" type={f.type} title={f.title} href={f.href} />
    ))}
  </>
)

/** `og:locale` for the UI language. */
const OG_LOCALE = { zh: 'zh_CN', en: 'en_US' } as const

/**
 * Open Graph and Twitter card tags of any page (link previews in chat apps and social sites).
 * `title` is the page's own title (the site title when absent), `description` plain text.
 */
export const SocialMeta: FC<{ config: SiteConfig; title?: string; description?: string; url?: string; type: 'website' | 'article' }> = ({
  config,
  title,
  description,
  url,
  type,
}) => {
  const shownTitle = title ?? config.title
  const text = description || config.description
  return (
    <>
      <meta property="og:site_name" content={config.title} />
      <meta property="og:type" content={type} />
      <meta property="og:title" content={shownTitle} />
      {text ? <meta property="og:description" content={text} /> : null}
      {url ? <meta property="og:url" content={url} /> : null}
      <meta property="og:locale" content={OG_LOCALE[config.language]} />
      <meta name="twitter:card" content="summary" />
      <meta name="twitter:title" content={shownTitle} />
      {text ? <meta name="twitter:description" content={text} /> : null}
    </>
  )
}

/**
 * JSON for inside a `<script>` element: `<`, `>` and `&` as \u escapes (so no `</script>` or
 * `<!--` can appear), and the two line separators JavaScript once rejected.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The date a post was last changed by its author: `updated` (front matter) when later than its date. */
export function postModified(post: Pick<PostRecord, 'date' | 'updated'>): number {
  return Math.max(post.date, post.updated ?? post.date)
}

/** schema.org BlogPosting of a post (JSON-LD). */
export function blogPosting(post: PostRecord, config: SiteConfig, t: Strings, url: string): Record<string, unknown> {
  const origin = new URL(url).origin
  const description = texToText(post.description)
  return {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: post.title,
    ...(description ? { description } : {}),
    datePublished: formatIsoLocal(post.date, config.timezone),
    dateModified: formatIsoLocal(postModified(post), config.timezone),
    author: { '@type': 'Person', name: post.author },
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    inLanguage: t.htmlLang,
    ...(post.tags.length > 0 ? { keywords: post.tags } : {}),
    ...(post.category ? { articleSection: post.category } : {}),
    publisher: { '@type': 'Organization', name: config.title, url: `${origin}/` },
    isPartOf: { '@type': 'Blog', name: config.title, url: `${origin}/` },
  }
}

/**
 * A post page's article tags: `article:*` Open Graph properties and the JSON-LD BlogPosting. The
 * JSON-LD is a data block (`type="application/ld+json"`), never executed, so the CSP's `script-src
 * 'self'` does not apply to it.
 */
export const ArticleMeta: FC<{ post: PostRecord; config: SiteConfig; t: Strings; url: string }> = ({ post, config, t, url }) => (
  <>
    <meta property="article:published_time" content={formatIsoLocal(post.date, config.timezone)} />
    <meta property="article:modified_time" content={formatIsoLocal(postModified(post), config.timezone)} />
    <meta property="article:author" content={post.author} />
    {post.category ? <meta property="article:section" content={post.category} /> : null}
    {post.tags.map((tag) => (
      <meta property="article:tag" content={tag} />
    ))}
    <script type="application/ld+json">{raw(scriptJson(blogPosting(post, config, t, url)))}</script>
  </>
)
