import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env'
import { AppError } from '../lib/errors'
import { hmacHex } from '../lib/hmac'
import { sameSiteForm } from '../lib/request'
import { roomObject } from '../lib/stubs'
import { commentSecret } from '../lib/tokens'
import { clientIp, isBot } from '../lib/views'
import { readPost } from '../storage/read-model'
import { PostMovedError, readerRefusal, visitorKey } from './comments'

const formFromThisSite = sameSiteForm((t) => t.commentErrors.likeCrossSite)

/**
 * A like (赞) sent from another site (the API's and the page's form alike): 403, as the comment form's
 * (hono/csrf: the request's Origin, or Sec-Fetch-Site: same-origin). A like has no body, and a POST
 * without a Content-Type is checked as a form's; whatever its Content-Type, a request that names
 * another origin (Origin, or Sec-Fetch-Site other than same-origin) is refused too.
 */
export const likeFromThisSite: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header('origin')
  const site = c.req.header('sec-fetch-site')
  if ((origin !== undefined && origin !== new URL(c.req.url).origin) || (site !== undefined && site !== 'same-origin')) {
    throw new AppError(403, 'forbidden', c.var.t.commentErrors.likeCrossSite)
  }
  return formFromThisSite(c, next)
}

/**
 * The reader's liker key: an HMAC-SHA-256 (the first 16 bytes, as the view counter's reader keys) of
 * the IP address and the user agent under COMMENT_SECRET. It does not change with the day (a like is
 * kept), cannot be turned back into an address, and no cookie is needed.
 */
export function likerKey(env: Cloudflare.Env, req: Request): Promise<string> {
  return hmacHex(commentSecret(env), `like|${clientIp(req)}|${req.headers.get('user-agent') ?? ''}`)
}

/**
 * Likes an approved comment for the reader, or takes their like back (a toggle): bots (the rule
 * views use, lib/views isBot) are refused with 403; a reader's likes are limited with the comment
 * gate (COMMENT_RATE_LIMIT × 6 per its window, as previews, under its own `like:` key; off with the
 * limit); the post's object answers 404 for a comment readers cannot see and 410 for a deleted post.
 * A renamed post's old id throws PostMovedError (the routes redirect with redirectMoved).
 */
export async function toggleLike(c: Context<AppEnv>, postId: string, commentId: number): Promise<{ liked: boolean; likes: number }> {
  const m = c.var.t.commentErrors
  if (isBot(c.req.raw)) throw new AppError(403, 'bot_refused', m.likeByBot)
  const { count, seconds } = c.var.config.comments.rateLimit
  if (count > 0) {
    const gate = c.env.COMMENT_GATE.getByName(`like:${await visitorKey(c.env, clientIp(c.req.raw))}`)
    const taken = await gate.take(count * 6, seconds)
    if (!taken.ok) throw new AppError(429, 'rate_limited', m.tooManyLikes(taken.retryAfter), { 'Retry-After': String(taken.retryAfter) })
  }
  const result = await roomObject(c.env, postId).likeComment(commentId, await likerKey(c.env, c.req.raw))
  if (!result.ok) {
    // A renamed post's old id (a page opened before the rename): the like follows the post, as a
    // comment does (submitComment): 308 when KV says so too, 307 while only the old object knows.
    if (result.movedTo !== undefined) {
      const stored = await readPost(c.env.POSTS, postId)
      throw stored.kind === 'moved' ? new PostMovedError(stored.to, false, m) : new PostMovedError(result.movedTo, true, m)
    }
    throw readerRefusal(m, result, { postId, comment: commentId })
  }
  return result.value
}
