import type { MiddlewareHandler } from 'hono'
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
  return bearerAuth<AppEnv>({
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
}
