import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env'
import type { CommentErrorStrings } from '../i18n'
import { AppError } from '../lib/errors'
import { hmacHex } from '../lib/hmac'
import { sameSiteForm } from '../lib/request'
import { roomObject } from '../lib/stubs'
import { commentSecret } from '../lib/tokens'
import { clientIp, isBot } from '../lib/views'
import { readPost } from '../storage/read-model'
import { PostMovedError, readerRefusal, visitorKey } from './comments'

/**
 * A reader's click sent from another site (a like's or a post reaction's, the API's and the page's
 * form alike): 403 with `reason`, as the comment form's (hono/csrf: the request's Origin, or
 * Sec-Fetch-Site: same-origin). A like has no body, and a POST without a Content-Type is checked as a
 * form's; whatever its Content-Type, a request that names another origin (Origin, or Sec-Fetch-Site
 * other than same-origin) is refused too.
 */
export function clickFromThisSite(reason: (m: CommentErrorStrings) => string): MiddlewareHandler<AppEnv> {
  const formFromThisSite = sameSiteForm((t) => reason(t.commentErrors))
  return async (c, next) => {
    const origin = c.req.header('origin')
    const site = c.req.header('sec-fetch-site')
    if ((origin !== undefined && origin !== new URL(c.req.url).origin) || (site !== undefined && site !== 'same-origin')) {
      throw new AppError(403, 'forbidden', reason(c.var.t.commentErrors))
    }
    return formFromThisSite(c, next)
  }
}

/** A like (赞) from another site: 403 (clickFromThisSite). */
export const likeFromThisSite = clickFromThisSite((m) => m.likeCrossSite)

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
export function toggleLike(c: Context<AppEnv>, postId: string, commentId: number): Promise<{ liked: boolean; likes: number }> {
  return readerClick(c, postId, { byBot: (m) => m.likeByBot, tooMany: (m, s) => m.tooManyLikes(s), comment: commentId }, (room, liker) =>
    room.likeComment(commentId, liker),
  )
}

/** What a reader's click answers from the post's object: the value, or a refusal (with `movedTo` on a renamed post's old object). */
type ClickAnswer<T> = { ok: true; value: T } | { ok: false; status: 403 | 404 | 409 | 410; code: string; message: string; movedTo?: string }

/**
 * A reader's click on a post (a like of a comment, a post reaction), as both are checked: bots (the
 * rule views use, lib/views isBot) are refused with 403 (`byBot`); a visitor's clicks, likes and
 * reactions together, are limited with the comment gate (COMMENT_RATE_LIMIT × 6 per its window, as
 * previews, under its own `like:` key; off with the limit: 429, `tooMany`); then `call` sends it
 * to the post's object with the reader's liker key. A renamed post's old id throws PostMovedError
 * (the routes redirect with redirectMoved); another refusal is an AppError in the site's language.
 */
export async function readerClick<T>(
  c: Context<AppEnv>,
  postId: string,
  says: { byBot: (m: CommentErrorStrings) => string; tooMany: (m: CommentErrorStrings, seconds: number) => string; comment?: number },
  call: (room: ReturnType<typeof roomObject>, liker: string) => Promise<ClickAnswer<T>>,
): Promise<T> {
  const m = c.var.t.commentErrors
  if (isBot(c.req.raw)) throw new AppError(403, 'bot_refused', says.byBot(m))
  const { count, seconds } = c.var.config.comments.rateLimit
  if (count > 0) {
    const gate = c.env.COMMENT_GATE.getByName(`like:${await visitorKey(c.env, clientIp(c.req.raw))}`)
    const taken = await gate.take(count * 6, seconds)
    if (!taken.ok) throw new AppError(429, 'rate_limited', says.tooMany(m, taken.retryAfter), { 'Retry-After': String(taken.retryAfter) })
  }
  const result = await call(roomObject(c.env, postId), await likerKey(c.env, c.req.raw))
  if (!result.ok) {
    // A renamed post's old id (a page opened before the rename): the click follows the post, as a
    // comment does (submitComment): 308 when KV says so too, 307 while only the old object knows.
    if (result.movedTo !== undefined) {
      const stored = await readPost(c.env.POSTS, postId)
      throw stored.kind === 'moved' ? new PostMovedError(stored.to, false, m) : new PostMovedError(result.movedTo, true, m)
    }
    throw readerRefusal(m, result, { postId, comment: says.comment })
  }
  return result.value
}
