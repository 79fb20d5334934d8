import type { TermKind } from '../model'
import { own } from './own'

/** A slug's pattern without anchors (for patterns that hold one, such as an edit cookie's name). */
export const SLUG_PATTERN = '[a-z0-9]+(?:-[a-z0-9]+)*'
/** A slug written by hand (front matter or the site's mapping): the post-id grammar. */
export const SLUG_RE = new RegExp(`^${SLUG_PATTERN}$`)
/** The longest post id (a slug or a number). */
export const POST_ID_MAX = 100

/** Whether a string is a post id of this blog: a slug of at most POST_ID_MAX characters. */
export function isPostId(s: string): boolean {
  return s.length <= POST_ID_MAX && SLUG_RE.test(s)
}

/**
 * The slug of a name without a mapping: the name itself, normalised (NFKC, lower case, spaces to
 * dashes, characters with a meaning in URLs dropped). It is stable (the same name always gives the
 * same slug) and appears percent-encoded in URLs, e.g. 数学研究 → /category/%E6%95%B0%E5%AD%A6%E7%A0%94%E7%A9%B6.
 */
export function defaultSlug(name: string): string {
  // (A publish refuses a name whose slug would be empty, `.` or `..` (see unaddressable); records
  // stored before that keep what they had.)
  return ownSlug(name) || 'untitled'
}

/** The name itself as a slug (defaultSlug's rules), which may be empty, `.` or `..`. */
function ownSlug(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u0000-\u001f\u007f/\\?#%&+"'<>`|^{}[\]]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 100)
}

/**
 * Whether a slug can be a path segment of its own: not empty, and not `.` or `..`, which a browser
 * (and every URL parser) resolves away, so `/tag/..` would be the front page.
 */
function isAddressable(slug: string): boolean {
  return slug !== '' && slug !== '.' && slug !== '..'
}

/**
 * Whether a category or tag name has no address: no slug for it in the site's mapping or the
 * post's front matter, and the name as a slug is empty, `.` or `..` (`.`, `..`, `．`, `?#`). Such a
 * name is refused when a post is published (services/publish.ts).
 */
export function unaddressable(name: string, mapping: Readonly<Record<string, string>>, declared?: string | null): boolean {
  return own(mapping, name) === undefined && !declared && !isAddressable(ownSlug(name))
}

/** The slug of a category or tag: the site's mapping, else the post's own (front matter), else the default. */
export function resolveSlug(name: string, mapping: Readonly<Record<string, string>>, declared?: string | null): string {
  return own(mapping, name) ?? declared ?? defaultSlug(name)
}

/** The path of a term's list page (`page` > 1: its numbered pages). */
export function termPath(kind: TermKind, slug: string, page = 1): string {
  const base = `/${kind}/${encodeURIComponent(slug)}`
  return page > 1 ? `${base}/page/${page}` : base
}

/**
 * The same address for a post renamed from `from` to `to` (a link, a bookmark or a form from before
 * the rename), the query kept: the id where the API's and the admin's routes of a post carry it, as
 * the third path segment (/api/posts/:id…, /api/comments/:postId/…, /admin/edit/:id…,
 * /admin/comments/:postId/…) or as `?post=` (the stats and the moderation queue). Only there: a
 * comment number equal to a numbered post's id stays as it is. Null when the id is in neither.
 */
export function renamedUrl(url: string, from: string, to: string): string | null {
  const u = new URL(url)
  const segments = u.pathname.split('/')
  if (segments[3] === from) segments[3] = to
  else if (u.searchParams.get('post') === from) u.searchParams.set('post', to)
  else return null
  return segments.join('/') + u.search
}
