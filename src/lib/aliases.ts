/**
 * Old addresses of a post (front matter `aliases`, README: Redirects): the paths a reader may still
 * arrive at from an older blog, answered with a 301 to the post. Also the ids a standalone page
 * (`type: page`) may not take, because its short address `/<id>` would be another route's.
 */

import { isWellFormedText, notWellFormed } from './unicode'

/** At most this many aliases per post, each at most this long once normalised. */
export const MAX_ALIASES = 20
export const MAX_ALIAS_LENGTH = 300

/**
 * First path segments the site's own routes use (and static files). An alias under one of them
 * would never be reached (the route answers first), so it is refused; a page may not take one as
 * its id, since its short address `/<id>` would be that route.
 */
export const RESERVED_SEGMENTS: ReadonlySet<string> = new Set([
  'page',
  'category',
  'categories',
  'tag',
  'tags',
  'archives',
  'archive',
  'content.html',
  'popular',
  'random',
  'search',
  'feed',
  'comments',
  'sitemap.xml',
  'robots.txt',
  'preview',
  'api',
  'admin',
  'media',
  'assets',
  'avatars',
  'images',
  'favicon.svg',
  'favicon.ico',
  'index.html',
  'login',
  'logout',
])

/** Whether a page may use this id (its short address `/<id>` must be free). */
export const isReservedPageId = (id: string) => RESERVED_SEGMENTS.has(id)

const WP_QUERY_RE = /^(p|page_id)=([1-9][0-9]{0,9})$/

/**
 * Normalises an alias or a request path to the form aliases are stored under: percent-decoded,
 * NFC, without a trailing slash (`/2019/05/old-slug/` → `/2019/05/old-slug`); a query only in the
 * WordPress forms `/?p=N` and `/?page_id=N`. Returns a reason string when the path is not one.
 */
export function normaliseAlias(input: string): { path: string } | { error: string } {
  const raw = input.trim()
  if (!raw.startsWith('/') || raw.startsWith('//'))
    return { error: `alias "${clip(raw)}" must be a path starting with a single "/" (no scheme or host)` }
  if (raw.includes('#')) return { error: `alias "${clip(raw)}" may not contain a fragment (#)` }
  const q = raw.indexOf('?')
  const pathPart = q === -1 ? raw : raw.slice(0, q)
  const query = q === -1 ? '' : raw.slice(q + 1)
  let path: string
  try {
    path = decodeURIComponent(pathPart).normalize('NFC')
  } catch {
    return { error: `alias "${clip(raw)}" has a broken percent-encoding` }
  }
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return { error: `alias "${clip(raw)}" may not contain control characters or backslashes` }
  if (!isWellFormedText(path)) return { error: notWellFormed('an alias') }
  if (path.split('/').some((s) => s === '.' || s === '..')) return { error: `alias "${clip(raw)}" may not contain . or .. segments` }
  path = path.replace(/\/{2,}/g, '/')
  if (path.length > 1) path = path.replace(/\/+$/, '')
  if (query !== '') {
    const m = WP_QUERY_RE.exec(query)
    if (path !== '/' && path !== '/index.php') return { error: `alias "${clip(raw)}": a query is only accepted as /?p=N or /?page_id=N` }
    if (!m) return { error: `alias "${clip(raw)}": a query is only accepted as /?p=N or /?page_id=N` }
    path = `/?${m[1]}=${m[2]}`
  } else if (path === '/') {
    return { error: 'alias "/" is the front page' }
  } else {
    const first = path.split('/')[1]!
    if (RESERVED_SEGMENTS.has(first.toLowerCase())) {
      return { error: `alias "${clip(raw)}" is under /${first}, a route of this site` }
    }
  }
  if (path.length > MAX_ALIAS_LENGTH) return { error: `alias "${clip(raw)}" is longer than ${MAX_ALIAS_LENGTH} characters` }
  return { path }
}

/** The form a request's path takes for the alias lookup (null: it cannot be an alias). */
export function requestAliasPath(url: URL): string | null {
  const p = url.searchParams
  if (url.pathname === '/' || url.pathname === '/index.php') {
    const id = p.get('p') ?? p.get('page_id')
    const name = p.has('p') ? 'p' : 'page_id'
    return id !== null && /^[1-9][0-9]{0,9}$/.test(id) ? `/?${name}=${id}` : null
  }
  const result = normaliseAlias(url.pathname)
  return 'path' in result ? result.path : null
}

/** The KV key of an alias: `v1:alias:<first 32 hex digits of the SHA-256 of the normalised path>`. */
export async function aliasKvKey(path: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(path))
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
  return `v1:alias:${hex.slice(0, 32)}`
}

/** The KV value of an alias (the path is kept to rule out a hash collision). */
export interface AliasRecord {
  path: string
  id: string
}

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s)
