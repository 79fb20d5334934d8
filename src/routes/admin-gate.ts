import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { readForm } from '../lib/request'
import type { AppEnv } from '../app-env'
import { errorBody } from '../lib/errors'
import { checkCsrfToken, csrfToken, readSession, SESSION_COOKIE, type AdminSession } from '../lib/session'

/** The admin's Hono environment: the app's, plus the signed-in session and its CSRF token. */
export interface AdminEnv {
  Bindings: AppEnv['Bindings']
  Variables: AppEnv['Variables'] & { session?: AdminSession; csrf?: string }
}

/** The JavaScript-facing part of the admin (`/admin/api/*`) answers in JSON like the API. */
export const isAdminApi = (c: Context) => c.req.path.startsWith('/admin/api/') || c.req.path === '/admin/api'

/**
 * Whether a state-changing request comes from a page of this site: its Origin must be the site's
 * (the request's own origin, or BASE_URL). Browsers send Origin on every POST, PUT and DELETE, and
 * the admin is a browser's; a request without one is refused.
 */
export function sameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header('origin')
  if (!origin) return false
  return origin === new URL(c.req.url).origin || origin === c.var.origin
}

/**
 * The gate in front of every admin route but the sign-in: a valid session cookie, and for anything
 * but GET/HEAD the site's Origin and the session's CSRF token (form field `_csrf` or header
 * `x-csrf-token`). Without a session a page redirects (303) to the sign-in and `/admin/api/*`
 * answers 401; a failed Origin or CSRF check is a 403, before anything is read or changed.
 * `refuse` renders the HTML answer of a page route.
 */
export function requireSession(
  refuse: (c: Context<AdminEnv>, status: 401 | 403, reason: 'session' | 'csrf') => Response | Promise<Response>,
): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const token = c.env.ADMIN_TOKEN
    const session = await readSession(token, getCookie(c, SESSION_COOKIE))
    const write = c.req.method !== 'GET' && c.req.method !== 'HEAD'
    if (!session || !token) {
      if (isAdminApi(c)) return c.json(errorBody('unauthorized', c.var.t.admin.sessionExpired), 401)
      // (The sign-in comes back to this page: a link in a notification mail opens where it points.)
      if (!write) {
        const url = new URL(c.req.url)
        const here = `${url.pathname}${url.search}`
        return c.redirect(here === '/admin/posts' ? '/admin' : `/admin?next=${encodeURIComponent(here)}`, 303)
      }
      return refuse(c, 401, 'session')
    }
    if (write) {
      let sent = c.req.header('x-csrf-token')
      if (sent === undefined && !isAdminApi(c)) {
        const type = (c.req.header('content-type') ?? '').toLowerCase()
        if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
          const form = await readForm(c, c.var.t.commentErrors.formUnreadable)
          sent = typeof form._csrf === 'string' ? form._csrf : undefined
        }
      }
      if (!sameOrigin(c) || !(await checkCsrfToken(token, session, sent))) {
        if (isAdminApi(c)) return c.json(errorBody('forbidden', c.var.t.admin.csrfFailed), 403)
        return refuse(c, 403, 'csrf')
      }
    }
    c.set('session', session)
    c.set('csrf', await csrfToken(token, session))
    await next()
  }
}
