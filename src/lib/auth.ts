import type { Context, MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { CommentGate } from '../objects/comment-gate'
import { sha256Hex } from './hash'
import { commentSecret } from './tokens'
import { clientIp, rateLimitScope } from './views'
import { bearerAuth } from 'hono/bearer-auth'
import { timingSafeEqual } from 'hono/utils/buffer'
import type { AppEnv } from '../app-env'
import { errorBody } from './errors'

function unauthorized(message: string): Response {
  return new Response(JSON.stringify(errorBody('unauthorized', message)), {
    status: 401,
    headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer realm="blog"' },
  })
}

/**
 * Requires `Authorization: Bearer <ADMIN_TOKEN>`. Hono's bearerAuth parses the header and the
 * comparison is timing-safe; a token in the query string or a cookie is never looked at. With no
 * ADMIN_TOKEN configured every write is refused (fail closed). Every failure is a JSON 401.
 */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  const check = bearerAuth<AppEnv>({
    realm: 'blog',
    verifyToken: async (token, c) => {
      const expected = c.env.ADMIN_TOKEN
      if (typeof expected !== 'string' || expected.length === 0) return false
      return timingSafeEqual(expected, token)
    },
    noAuthenticationHeader: { message: () => unauthorized('An Authorization: Bearer <token> header is required.') },
    invalidAuthenticationHeader: { message: () => unauthorized('The Authorization header must be "Bearer <token>".') },
    invalidToken: { message: () => unauthorized('The token is not valid.') },
  })
  return async (c, next) => {
    // A request without the header is not an attempt. A wrong token takes a slot (atomically, in the
    // client's gate object: parallel guesses are each counted) and gets 429 once the slots are gone;
    // a right token takes none (so any number of the author's own requests may run at once) but is
    // refused too while the client is locked out, so a guess after the limit learns nothing.
    const gate = c.req.header('authorization') ? await authGate(c) : null
    let verified = false
    let refused: Response | null = null
    await check(c, async () => {
      verified = true
      const state = gate ? await gate.stub.full(gate.count, gate.seconds) : null
      if (state && !state.ok) refused = tooManyAttempts(state.retryAfter)
      else await next()
    }).catch(async (err: unknown) => {
      // Only the token check's own 401 is a failed attempt (not an error of the route behind it).
      if (gate && !verified && err instanceof HTTPException && err.status === 401) {
        const taken = await gate.stub.take(gate.count, gate.seconds)
        if (!taken.ok) throw new HTTPException(429, { res: tooManyAttempts(taken.retryAfter) })
      }
      throw err
    })
    if (refused) return refused
  }
}

function tooManyAttempts(retryAfter: number): Response {
  return new Response(
    JSON.stringify(errorBody('too_many_attempts', `Too many failed sign-in attempts; try again in ${retryAfter} seconds.`)),
    {
      status: 429,
      headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfter) },
    },
  )
}

/** The client's failed-attempt counter (ADMIN_AUTH_LIMIT), or null when the limit is off. */
async function authGate(c: Context<AppEnv>): Promise<{ stub: DurableObjectStub<CommentGate>; count: number; seconds: number } | null> {
  const { count, seconds } = c.var.config.adminAuthLimit
  if (count === 0) return null
  const ip = rateLimitScope(clientIp(c.req.raw))
  const key = await sha256Hex(`auth|${commentSecret(c.env)}|${ip}`)
  return { stub: c.env.COMMENT_GATE.getByName(`auth:${key.slice(0, 32)}`), count, seconds }
}

/**
 * For routes open to everybody where the admin token adds something (the 博主 badge on a comment):
 * true with the right token, false without an Authorization header, and a 401 (counted as a failed
 * attempt) with a wrong one, so such a route cannot be used to test tokens.
 */
export async function optionalAdmin(c: Context<AppEnv>): Promise<boolean> {
  const header = c.req.header('authorization')
  if (!header) return false
  const gate = await authGate(c)
  const m = /^Bearer +(\S+) *$/i.exec(header)
  const expected = c.env.ADMIN_TOKEN
  const right = Boolean(m && expected && (await timingSafeEqual(expected, m[1]!)))
  // As requireAdmin: a wrong token takes a slot, a right one none, both are refused while locked out.
  const state = gate ? await (right ? gate.stub.full(gate.count, gate.seconds) : gate.stub.take(gate.count, gate.seconds)) : null
  if (state && !state.ok) throw new HTTPException(429, { res: tooManyAttempts(state.retryAfter) })
  if (right) return true
  throw new HTTPException(401, { res: unauthorized('The token is not valid.') })
}

/**
 * The web admin's sign-in form (src/routes/admin.tsx): the same check and the same failed-attempt gate
 * as a bearer token. A wrong token takes a slot, a right one none; both are refused while the client is
 * locked out (`retryAfter` seconds).
 */
export async function checkSignIn(c: Context<AppEnv>, token: string): Promise<'ok' | 'wrong' | { retryAfter: number }> {
  const expected = c.env.ADMIN_TOKEN
  const right = Boolean(expected && token && (await timingSafeEqual(expected, token)))
  const gate = await authGate(c)
  const state = gate ? await (right ? gate.stub.full(gate.count, gate.seconds) : gate.stub.take(gate.count, gate.seconds)) : null
  if (state && !state.ok) return { retryAfter: state.retryAfter }
  return right ? 'ok' : 'wrong'
}
