import { parseDocument } from 'htmlparser2'
import type { AnyNode, Element } from 'domhandler'
import { isElement, plainText } from './html-to-markdown'
import { isPostId, POST_ID_MAX } from '../lib/slug'

/**
 * The one reader of WordPress WXR 1.x files (wp-admin/includes/export.php): the channel, its
 * `wp:author`s and every `<item>` with its fields, terms and `<wp:comment>` elements. The comment
 * importer (formats.ts, `POST /api/import/comments?format=wxr`) and the post importer (posts.ts,
 * `npm run blog -- import-wordpress`) both read a file through it, so a post and its comments
 * always agree on the post's id here.
 */

/** The file is not a WXR document; the message names the problem. */
export class WxrReadError extends Error {
  override name = 'WxrReadError'
}

export interface WxrAuthor {
  id: string
  login: string
  displayName: string
}

/** A `<category domain="category|post_tag" nicename="…">name</category>` of an item. */
export interface WxrTerm {
  domain: string
  nicename: string
  name: string
}

export interface WxrItem {
  postId: string
  /** post, page, attachment, nav_menu_item, revision, … ('post' when absent). */
  postType: string
  /** publish, draft, pending, future, private, trash, auto-draft, inherit. */
  status: string
  title: string
  link: string
  creator: string
  /** content:encoded, HTML (with WordPress's bare newlines). */
  content: string
  excerpt: string
  /** `YYYY-MM-DD HH:MM:SS`, the blog's local time; the `Gmt` forms are UTC or `0000-00-00 00:00:00`. */
  postDate: string
  postDateGmt: string
  modified: string
  modifiedGmt: string
  pubDate: string
  /** wp:post_name as stored: percent-encoded UTF-8 for non-Latin slugs, '' for many drafts. */
  postName: string
  commentStatus: string
  password: string
  sticky: boolean
  terms: WxrTerm[]
  comments: Element[]
  /** The id this blog gives the item (posts and pages), else null. */
  id: string | null
  /** Why the id is not the item's own slug, or null when it is. */
  idNote: string | null
}

export interface WxrDocument {
  version: string
  title: string
  link: string
  authors: WxrAuthor[]
  items: WxrItem[]
}

function childElements(node: { children: AnyNode[] }): Element[] {
  return node.children.filter(isElement)
}

function child(node: Element, name: string): Element | undefined {
  return node.children.find((c): c is Element => isElement(c) && c.name.toLowerCase() === name)
}

/** The child elements with that (lower-case, prefixed) name. */
export function wxrChildren(node: Element, name: string): Element[] {
  return node.children.filter((c): c is Element => isElement(c) && c.name.toLowerCase() === name)
}

/** The text of a child element (CDATA included), trimmed; '' when absent. */
export function wxrField(node: Element, name: string): string {
  const el = child(node, name)
  return el ? plainText(el, true).trim() : ''
}

/**
 * The Latin letters and digits of a slug as a post id, without transliteration: NFKC, accents
 * dropped, lower case, every other run of characters one dash, at most 100 characters (cut at a
 * dash). '' when nothing is left (a slug in Chinese, say).
 */
export function normaliseId(text: string): string {
  let id = text
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (id.length > POST_ID_MAX) id = id.slice(0, POST_ID_MAX).replace(/-[^-]*$/, '') || id.slice(0, POST_ID_MAX)
  return id.replace(/-+$/, '')
}

/** wp:post_name decoded ('%e7%86%b5' → '熵'); the raw text when it is not valid percent-encoding. */
export function decodeSlug(slug: string): string {
  try {
    return decodeURIComponent(slug)
  } catch {
    return slug
  }
}

/** `123` for a link to `/archives/123` (or `/archives/123/`), else null. */
function archivesNumber(link: string): string | null {
  let path: string
  try {
    path = new URL(link).pathname
  } catch {
    return null
  }
  return /^\/archives\/([1-9][0-9]*)\/?$/.exec(path)?.[1] ?? null
}

/**
 * Gives every post and page an id: the post number when the post's permalink is
 * `/archives/<number>`; else its slug when that is already an id; else the slug's Latin
 * letters and digits; else (a slug with none, or no slug, as drafts have) the WordPress post
 * number, which is a valid id too. Slugs that are ids are claimed first, so a normalised slug never
 * takes one; a later clash gets `-<post number>` appended.
 */
function assignIds(items: WxrItem[]): void {
  const taken = new Set<string>()
  const eligible = items.filter((i) => i.postType === 'post' || i.postType === 'page')
  // A blog whose permalinks are /archives/<post number> (this blog's own URL form): the number stays
  // the id, so every old link still works as it is.
  for (const item of eligible) {
    if (item.postType === 'post' && isPostId(item.postId) && archivesNumber(item.link) === item.postId && !taken.has(item.postId)) {
      item.id = item.postId
      item.idNote = `permalink /archives/${item.postId}: the post number stays its id, so the old address is the new one`
      taken.add(item.postId)
    }
  }
  for (const item of eligible) {
    if (item.id !== null) continue
    const slug = decodeSlug(item.postName)
    if (isPostId(slug) && !taken.has(slug)) {
      item.id = slug
      taken.add(slug)
    }
  }
  for (const item of eligible) {
    if (item.id !== null) continue
    const slug = decodeSlug(item.postName)
    const latin = normaliseId(slug)
    const number = isPostId(item.postId) ? item.postId : ''
    let id = latin || number
    let note = !slug
      ? `no slug: the WordPress post number ${item.postId} is its id`
      : latin
        ? `slug "${slug}" is not an id: normalised to "${latin}"`
        : `slug "${slug}" has no Latin letters or digits (no transliteration): the WordPress post number ${item.postId} is its id`
    if (id && taken.has(id)) {
      const unique = number && !taken.has(`${id}-${number}`) ? `${id}-${number}` : ''
      note = `${note}; "${id}" is taken, so "${unique}"`
      id = unique
    }
    if (!id) continue
    item.id = id
    item.idNote = note
    taken.add(id)
  }
}

/** Reads a WXR file; throws WxrReadError for anything that is not one. */
export function readWxr(text: string): WxrDocument {
  const src = text.replace(/^\uFEFF/, '').trimStart()
  if (!src.startsWith('<')) throw new WxrReadError('not XML')
  const doc = parseDocument(src, { xmlMode: true })
  const rss = childElements(doc).find((e) => e.name.toLowerCase() === 'rss')
  if (!rss) throw new WxrReadError('not an RSS document (no <rss> element)')
  const channel = child(rss, 'channel')
  if (!channel) throw new WxrReadError('no <channel> element')
  const itemElements = wxrChildren(channel, 'item')
  const version = wxrField(channel, 'wp:wxr_version')
  if (!version && !itemElements.some((item) => child(item, 'wp:post_type'))) {
    throw new WxrReadError('not a WordPress export (no wp:wxr_version)')
  }
  const authors = wxrChildren(channel, 'wp:author').map((a) => {
    const login = wxrField(a, 'wp:author_login')
    return { id: wxrField(a, 'wp:author_id'), login, displayName: wxrField(a, 'wp:author_display_name') || login }
  })
  const items: WxrItem[] = itemElements.map((item) => ({
    postId: wxrField(item, 'wp:post_id'),
    postType: wxrField(item, 'wp:post_type') || 'post',
    status: wxrField(item, 'wp:status'),
    title: wxrField(item, 'title'),
    link: wxrField(item, 'link'),
    creator: wxrField(item, 'dc:creator'),
    content: wxrField(item, 'content:encoded'),
    excerpt: wxrField(item, 'excerpt:encoded'),
    postDate: wxrField(item, 'wp:post_date'),
    postDateGmt: wxrField(item, 'wp:post_date_gmt'),
    modified: wxrField(item, 'wp:post_modified'),
    modifiedGmt: wxrField(item, 'wp:post_modified_gmt'),
    pubDate: wxrField(item, 'pubdate'),
    postName: wxrField(item, 'wp:post_name'),
    commentStatus: wxrField(item, 'wp:comment_status'),
    password: wxrField(item, 'wp:post_password'),
    sticky: wxrField(item, 'wp:is_sticky') === '1',
    terms: wxrChildren(item, 'category').map((c) => ({
      domain: c.attribs.domain ?? '',
      nicename: c.attribs.nicename ?? '',
      name: plainText(c, true).trim(),
    })),
    comments: wxrChildren(item, 'wp:comment'),
    id: null,
    idNote: null,
  }))
  assignIds(items)
  return { version, title: wxrField(channel, 'title'), link: wxrField(channel, 'link'), authors, items }
}
