import { timingSafeEqual } from 'hono/utils/buffer'
import { sign, verify } from './tokens'

/**
 * The web admin's session (README: Web admin). The cookie holds `<expiry seconds>.<session id>.<signature>`,
 * signed with HMAC-SHA-256 under the admin token itself (purpose `admin-session`): nothing is stored on
 * the server, and changing ADMIN_TOKEN ends every session at once. The token never leaves the server.
 */
export const SESSION_COOKIE = 'blog_admin'

/** Where the cookie is sent: the admin pages only. */
export const SESSION_PATH = '/admin'

export interface AdminSession {
  /** 32 hex digits of randomness: the key of the CSRF token. */
  id: string
  /** Unix milliseconds. */
  expiresAt: number
}

const SESSION_RE = /^(\d{1,12})\.([0-9a-f]{32})\.([A-Za-z0-9_-]{32})$/

function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A new session lasting `hours`, and the cookie value that carries it. */
export async function createSession(
  adminToken: string,
  hours: number,
  now = Date.now(),
): Promise<{ session: AdminSession; value: string }> {
  const seconds = Math.floor(now / 1000) + Math.round(hours * 3600)
  const id = randomId()
  const value = `${seconds}.${id}.${await sign(adminToken, 'admin-session', `${seconds}|${id}`)}`
  return { session: { id, expiresAt: seconds * 1000 }, value }
}

/** The session a cookie value names, or null when it is malformed, not signed by us or expired. */
export async function readSession(
  adminToken: string | undefined,
  value: string | undefined,
  now = Date.now(),
): Promise<AdminSession | null> {
  if (!adminToken || !value) return null
  const m = SESSION_RE.exec(value)
  if (!m) return null
  const seconds = Number(m[1])
  if (!(await verify(adminToken, 'admin-session', `${seconds}|${m[2]}`, m[3]!))) return null
  if (seconds * 1000 <= now) return null
  return { id: m[2]!, expiresAt: seconds * 1000 }
}

/** The CSRF token of a session: sent back as the `_csrf` form field or the `x-csrf-token` header. */
export function csrfToken(adminToken: string, session: AdminSession): Promise<string> {
  return sign(adminToken, 'admin-csrf', session.id)
}

/** Whether `token` is the session's CSRF token (constant time). */
export async function checkCsrfToken(adminToken: string, session: AdminSession, token: string | undefined): Promise<boolean> {
  if (!token || !/^[A-Za-z0-9_-]{32}$/.test(token)) return false
  return timingSafeEqual(await csrfToken(adminToken, session), token)
}
