import { timingSafeEqual } from 'hono/utils/buffer'
import { hmac } from './hmac'
import { POST_ID_MAX, SLUG_PATTERN } from './slug'

/**
 * Signed values for comments: the edit token a commenter's browser keeps for 10 minutes, the form's
 * render time (minimum fill time), and unsubscribe links. All are HMAC-SHA-256 under the site's
 * comment secret (COMMENT_SECRET, else the admin token) with a purpose prefix, so one kind of token
 * can never be used as another.
 */
function base64url(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export async function sign(secret: string, purpose: string, message: string): Promise<string> {
  return base64url((await hmac(secret, `${purpose}|${message}`)).slice(0, 24))
}

export async function verify(secret: string, purpose: string, message: string, signature: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(signature)) return false
  return timingSafeEqual(await sign(secret, purpose, message), signature)
}

/** Used only when neither COMMENT_SECRET nor ADMIN_TOKEN is set: random, so nothing can be forged (tokens then last one isolate). */
let fallbackSecret: string | undefined

/** The secret behind comment tokens. */
export function commentSecret(env: { COMMENT_SECRET?: string; ADMIN_TOKEN?: string }): string {
  // Made on first use: workerd allows no random values at global scope.
  return env.COMMENT_SECRET || env.ADMIN_TOKEN || (fallbackSecret ??= crypto.randomUUID())
}

/** The token that lets a comment's writer edit or delete it (kept in a cookie by their browser). */
export function editToken(secret: string, postId: string, commentId: number, createdAt: number): Promise<string> {
  return sign(secret, 'edit', `${postId}|${commentId}|${createdAt}`)
}

/** The cookie that holds a comment's edit token. */
export function editCookieName(postId: string, commentId: number): string {
  return `ce_${postId}_${commentId}`
}

/** An edit cookie the browser sent: the post id it is named with (the id when the comment was written), the comment and its token. */
export interface EditCookie {
  postId: string
  id: number
  token: string
}

/** An edit cookie's name: `ce_<post id>_<comment id>` (a post id is a slug). */
const EDIT_COOKIE_RE = new RegExp(`^ce_(${SLUG_PATTERN})_(\\d{1,9})$`)

/** The well-formed edit cookies among a request's cookies (named by `editCookieName` with a post id, tokens as `editToken` makes them). */
export function editCookies(cookies: Record<string, string>): EditCookie[] {
  const found: EditCookie[] = []
  for (const [name, token] of Object.entries(cookies)) {
    const m = EDIT_COOKIE_RE.exec(name)
    if (m && m[1]!.length <= POST_ID_MAX && /^[A-Za-z0-9_-]{32}$/.test(token)) found.push({ postId: m[1]!, id: Number(m[2]), token })
  }
  return found
}

/** The form's hidden `ts` field: the time the form was rendered, signed. */
export async function formTime(secret: string, now = Date.now()): Promise<string> {
  return `${now}.${await sign(secret, 'form', String(now))}`
}

/** The render time of a form from its `ts` field, or null if it was not signed by us. */
export async function readFormTime(secret: string, value: string | undefined): Promise<number | null> {
  const m = /^(\d{13})\.([A-Za-z0-9_-]{32})$/.exec(value ?? '')
  if (!m || !(await verify(secret, 'form', m[1]!, m[2]!))) return null
  return Number(m[1])
}

/** The signature in a reply notification's unsubscribe link. */
export function unsubscribeToken(secret: string, postId: string, commentId: number): Promise<string> {
  return sign(secret, 'unsubscribe', `${postId}|${commentId}`)
}

/** How long a draft's preview link works unless the request asks otherwise (`?days=`). */
export const PREVIEW_DAYS = 7

/**
 * The token of a draft's or scheduled post's preview link (`/preview/:id?token=`): its expiry in
 * Unix seconds and the signature over the post id and that expiry.
 */
export async function previewToken(secret: string, postId: string, expiresAt: number): Promise<string> {
  const seconds = Math.floor(expiresAt / 1000)
  return `${seconds}.${await sign(secret, 'preview', `${postId}|${seconds}`)}`
}

/** Whether a preview token is ours, for this post, and not expired. */
export async function checkPreviewToken(
  secret: string,
  postId: string,
  token: string | undefined,
  now = Date.now(),
): Promise<'ok' | 'invalid' | 'expired'> {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{32})$/.exec(token ?? '')
  if (!m || !(await verify(secret, 'preview', `${postId}|${m[1]}`, m[2]!))) return 'invalid'
  return Number(m[1]) * 1000 > now ? 'ok' : 'expired'
}
