import type { Context } from 'hono'
import { setCookie } from 'hono/cookie'
import { optionalAdmin } from '../lib/auth'
import { clientIp as requestIp } from '../lib/views'
import type { AppEnv } from '../app-env'
import { commentSecret, editCookieName, unsubscribeToken } from '../lib/tokens'
import type { PostRecord, PublicComment } from '../model'
import type { ReplyNotice } from '../objects/post-room'
import type { SubmittedComment } from './comments'
import { notificationsEnabled, notifyConfigFrom, sendNotice, type CommentNotice } from './notify'

/** True when the request carries the admin token (the author badge, no spam checks); a wrong token is a 401. */
export const hasAdminToken = optionalAdmin

/** The visitor's address as Cloudflare reports it (never stored). */
export function clientIp(c: Context<AppEnv>): string {
  return requestIp(c.req.raw)
}

/** After a new comment: the writer's edit cookie, and the notifications (in the background). */
export function afterComment(c: Context<AppEnv>, postId: string, result: SubmittedComment): void {
  if (result.editToken && c.var.config.comments.editMinutes > 0) {
    setCookie(c, editCookieName(postId, result.comment.id), result.editToken, {
      path: '/',
      maxAge: c.var.config.comments.editMinutes * 60,
      httpOnly: true,
      sameSite: 'Lax',
      secure: new URL(c.req.url).protocol === 'https:',
    })
  }
  if (!result.replayed) notifyAbout(c, postId, result.post, result.comment, result.notice, true)
}

/**
 * Tells the people who should know about a comment: the author of the comment it answers (if they
 * asked, once the reply is visible) and the blog's author (on submit and on approval). Runs after
 * the response; a failure is logged and changes nothing.
 */
export function notifyAbout(
  c: Context<AppEnv>,
  postId: string,
  post: Pick<PostRecord, 'title'>,
  comment: PublicComment,
  notice: ReplyNotice | null,
  isNew: boolean,
): void {
  const { config } = c.var
  const notify = notifyConfigFrom(c.env as unknown as Record<string, unknown>, config.title, config.language)
  if (!notificationsEnabled(notify)) return
  const origin = c.var.origin
  const commentUrl = `${origin}/archives/${postId}/comments/${comment.id}`
  const secret = commentSecret(c.env)
  const jobs: Promise<unknown>[] = []
  const base = { postTitle: post.title, commentAuthor: comment.author, commentText: comment.body.slice(0, 500), commentUrl }
  if (notice?.parent) {
    const parent = notice.parent
    jobs.push(
      unsubscribeToken(secret, postId, parent.id).then((sig) => {
        const unsubscribeUrl = `${origin}/comments/unsubscribe?post=${postId}&comment=${parent.id}&sig=${sig}`
        const n: CommentNotice = { kind: 'reply', to: parent.email, ...base, unsubscribeUrl }
        return sendNotice(notify, n)
      }),
    )
  }
  if (!comment.admin && (isNew || notice)) {
    // The web admin's pages for it: answering it, and (held) the post's moderation list.
    const held = comment.status === 'pending' || comment.status === 'spam' ? comment.status : undefined
    const n: CommentNotice = {
      kind: 'new',
      to: config.comments.authorEmail,
      ...base,
      unsubscribeUrl: null,
      replyUrl: `${origin}/admin/comments/${postId}/${comment.id}/reply`,
      ...(held ? { held, moderateUrl: `${origin}/admin/comments?status=${held}&post=${postId}` } : {}),
    }
    jobs.push(sendNotice(notify, n))
  }
  if (jobs.length === 0) return
  const done = Promise.all(jobs).then((outcomes) => {
    const failed = outcomes.flat().filter((o) => typeof o === 'object' && o !== null && 'ok' in o && !o.ok)
    if (failed.length > 0) console.error(JSON.stringify({ event: 'comment.notify_failed', postId, commentId: comment.id, failed }))
  })
  try {
    c.executionCtx.waitUntil(done)
  } catch {
    void done
  }
}
