import type { SiteConfig } from '../config'
import { AppError } from '../lib/errors'
import { sha256Hex } from '../lib/hash'
import { avatarKey } from '../lib/identicon'
import { commentRenderOptions } from '../lib/render-options'
import { retrying, roomObject, siteObject } from '../lib/stubs'
import { commentSecret, editToken, readFormTime } from '../lib/tokens'
import type { PostRecord, PublicComment } from '../model'
import type { AddCommentResult, ReplyNotice } from '../objects/post-room'
import { RenderError } from '../render/errors'
import { loadRenderer } from '../render/load'
import type { RenderedComment } from '../render/render-comment'
import { COMMENT_RENDER_VERSION } from '../render/versions'
import { commentInputSchema, commentKeySchema, describeIssues } from '../schemas'
import { readPost } from '../storage/read-model'

/**
 * A comment sent to a renamed post's old id (a page opened before the rename): the route answers
 * 308 to the same endpoint at the new id (redirectMoved), so the browser or client sends it again
 * there; 307 when only the post's old object says so (`temporary`: see PostPageData's `moved`).
 */
export class PostMovedError extends AppError {
  constructor(
    readonly to: string,
    readonly temporary: boolean,
  ) {
    super(temporary ? 307 : 308, 'post_moved', `This post has moved to "${to}"; the comment is to be sent there.`)
  }
}

/** A route's catch for submitComment: a PostMovedError becomes a 308 (or 307) to `path(to)`; anything else is thrown on. */
export function redirectMoved(path: (to: string) => string): (err: unknown) => never {
  return (err) => {
    if (err instanceof PostMovedError) throw new AppError(err.status, err.code, err.message, { Location: path(err.to) })
    throw err
  }
}

/** The rendered HTML of one comment may not exceed this (KaTeX output of 10,000 characters of TeX can be large). */
export const MAX_COMMENT_HTML = 300_000
/** A form older than this is refused (its signed time is too old to prove anything). */
const FORM_MAX_AGE_MS = 7 * 86_400_000

export interface SubmittedComment {
  comment: PublicComment
  /** True when the idempotency key was seen before and the stored comment is returned. */
  replayed: boolean
  /** The writer's edit token (for the cookie and the JSON answer). */
  editToken: string
  /** Who to tell about it, when it became visible. */
  notice: ReplyNotice | null
  post: PostRecord
}

/** What the Worker knows about who is submitting. */
export interface Submitter {
  /** The request carried the admin token: the author badge, and no spam checks. */
  admin: boolean
  /** The visitor's IP address (for the rate limit and Turnstile; never stored). */
  ip: string
}

/** Why comments on a post are closed, or null if they are open. */
export function commentsClosed(post: PostRecord, config: SiteConfig, now = Date.now()): boolean {
  if (post.commentsClosed) return true
  const days = config.comments.closeAfterDays
  return days > 0 && now > post.date + days * 86_400_000
}

/** Renders a comment body exactly as it will be stored, with the size, link and math limits applied. */
export async function renderCommentChecked(body: string, config: SiteConfig): Promise<RenderedComment> {
  const { renderComment } = await loadRenderer()
  let rendered: RenderedComment
  try {
    rendered = renderComment(body, commentRenderOptions(config))
  } catch (err) {
    if (err instanceof RenderError) throw new AppError(422, 'unrenderable', err.message)
    throw err
  }
  const links = (rendered.html.match(/<a\s[^>]*href=/g) ?? []).length
  if (links > config.comments.maxLinks) {
    throw new AppError(422, 'too_many_links', `A comment may contain at most ${config.comments.maxLinks} links (this one has ${links}).`)
  }
  const math = (rendered.html.match(/class="katex"/g) ?? []).length
  if (math > config.comments.maxMath) {
    throw new AppError(422, 'too_much_math', `A comment may contain at most ${config.comments.maxMath} formulas (this one has ${math}).`)
  }
  if (rendered.html.length > MAX_COMMENT_HTML) {
    throw new AppError(422, 'comment_too_large', 'This comment renders too large; please shorten it or split its formulas.')
  }
  return rendered
}

/** The body as the duplicate check compares it: Unicode forms and runs of white space do not matter. */
export function bodyHash(body: string): Promise<string> {
  return sha256Hex(body.normalize('NFKC').replace(/\s+/g, ' ').trim())
}

export function blockedWord(config: SiteConfig, fields: string[]): string | null {
  const text = fields.join('\n').normalize('NFKC').toLowerCase()
  return config.comments.blockedWords.find((w) => text.includes(w)) ?? null
}

/** Cloudflare Turnstile: fails closed (no token, a failed check or an unreachable service all refuse). */
async function verifyTurnstile(env: Cloudflare.Env, config: SiteConfig, token: string | undefined, ip: string): Promise<void> {
  if (!token) throw new AppError(403, 'turnstile_required', 'Please complete the verification (Turnstile) before posting.')
  let ok = false
  try {
    const form = new FormData()
    form.append('secret', env.TURNSTILE_SECRET ?? '')
    form.append('response', token)
    if (ip) form.append('remoteip', ip)
    const res = await fetch(config.comments.turnstileVerifyUrl, { method: 'POST', body: form, signal: AbortSignal.timeout(5000) })
    const outcome = res.ok ? ((await res.json()) as { success?: unknown }) : null
    ok = outcome?.success === true
  } catch {
    ok = false
  }
  if (!ok) throw new AppError(403, 'turnstile_failed', 'The verification (Turnstile) failed; please try again.')
}

/** The visitor's key for the rate limit: an HMAC of the day and the IP address (nothing personal kept). */
async function visitorKey(env: Cloudflare.Env, ip: string): Promise<string> {
  return (await sha256Hex(`${commentSecret(env)}|${new Date().toISOString().slice(0, 10)}|${ip}`)).slice(0, 32)
}

/**
 * The live preview renders on every call, so it has its own per-visitor limit: six times the
 * comment limit (30 a minute with the default 5/60); off when COMMENT_RATE_LIMIT is 0.
 */
export async function checkPreviewRate(env: Cloudflare.Env, config: SiteConfig, ip: string): Promise<void> {
  const { count, seconds } = config.comments.rateLimit
  if (count === 0) return
  const gate = env.COMMENT_GATE.getByName(`preview:${await visitorKey(env, ip)}`)
  const taken = await gate.take(count * 6, seconds)
  if (!taken.ok) {
    throw new AppError(429, 'rate_limited', `Too many previews in a short time; please wait ${taken.retryAfter} seconds.`, {
      'Retry-After': String(taken.retryAfter),
    })
  }
}

/**
 * Validates, checks for spam, renders (once, here, with every raw HTML token escaped) and stores a
 * comment in the post's object. `headerKey` is the `Idempotency-Key` header, an alternative to
 * the `key` field. The checks run cheapest first; none of them stores anything.
 */
export async function submitComment(
  env: Cloudflare.Env,
  config: SiteConfig,
  postId: string,
  raw: Record<string, unknown>,
  who: Submitter,
  headerKey?: string,
): Promise<SubmittedComment> {
  const parsed = commentInputSchema.safeParse(raw)
  if (!parsed.success) throw new AppError(400, 'invalid_comment', describeIssues(parsed.error))
  const input = parsed.data
  let key = input.key ?? null
  if (headerKey !== undefined && headerKey !== '') {
    const fromHeader = commentKeySchema.safeParse(headerKey)
    if (!fromHeader.success || fromHeader.data === undefined) {
      throw new AppError(400, 'invalid_comment', 'Idempotency-Key may contain letters, digits and . _ : - only (at most 100).')
    }
    if (key !== null && key !== fromHeader.data) {
      throw new AppError(400, 'invalid_comment', 'The Idempotency-Key header and the key field differ.')
    }
    key = fromHeader.data
  }
  const settings = config.comments
  const secret = commentSecret(env)
  if (!who.admin) {
    // The honeypot: a field people never see and bots fill in.
    if (input.website) throw new AppError(400, 'rejected_as_spam', 'This comment looks automated and was not accepted.')
    if (settings.minSeconds > 0) {
      const shown = await readFormTime(secret, input.ts)
      if (shown === null) {
        throw new AppError(
          400,
          'form_time_missing',
          'Please post from the comment form (its ts field is missing or not valid); reload the page.',
        )
      }
      const age = Date.now() - shown
      if (age < settings.minSeconds * 1000) {
        throw new AppError(400, 'too_fast', `That was very fast: please take at least ${settings.minSeconds} seconds and post again.`)
      }
      if (age > FORM_MAX_AGE_MS) throw new AppError(400, 'form_expired', 'This form is too old; reload the page and post again.')
    }
  }
  const stored = await readPost(env.POSTS, postId)
  if (stored.kind === 'moved') throw new PostMovedError(stored.to, false)
  if (stored.kind === 'deleted') throw new AppError(410, 'post_deleted', 'This post has been deleted.')
  if (stored.kind !== 'post' || stored.record.draft) throw new AppError(404, 'post_not_found', `No published post "${postId}".`)
  const post = stored.record
  if (commentsClosed(post, config) && !who.admin) throw new AppError(403, 'comments_closed', 'Comments on this post are closed.')
  if (!who.admin && settings.turnstileSiteKey) await verifyTurnstile(env, config, input['cf-turnstile-response'], who.ip)
  const rendered = await renderCommentChecked(input.body, config)
  if (!who.admin && settings.rateLimit.count > 0) {
    const gate = env.COMMENT_GATE.getByName(await visitorKey(env, who.ip))
    const taken = await gate.take(settings.rateLimit.count, settings.rateLimit.seconds)
    if (!taken.ok) {
      throw new AppError(429, 'rate_limited', `Too many comments in a short time; please wait ${taken.retryAfter} seconds.`, {
        'Retry-After': String(taken.retryAfter),
      })
    }
  }
  let status: 'approved' | 'pending' | 'spam' = 'approved'
  if (!who.admin) {
    if (blockedWord(config, [input.author, input.body, input.url ?? '', input.email ?? ''])) status = 'spam'
    else if (settings.moderation === 'all') status = 'pending'
    else if (settings.moderation === 'first' && !(input.email && (await siteObject(env).knownCommenter(input.email)))) status = 'pending'
  }
  const requestHash = await sha256Hex(
    JSON.stringify([input.author, input.email ?? null, input.url ?? null, input.body, input.parent ?? null]),
  )
  const room = roomObject(env, postId)
  const comment = {
    postId,
    key,
    requestHash,
    author: input.author,
    email: input.email ?? null,
    url: input.url ?? null,
    body: input.body,
    html: rendered.html,
    excerpt: rendered.excerpt,
    parent: input.parent ?? null,
    renderVersion: COMMENT_RENDER_VERSION,
    status,
    admin: who.admin,
    avatar: await avatarKey(secret, input.email ?? null, input.author),
    notify: input.notify === '1' || input.notify === 'on' || input.notify === true,
    bodyHash: await bodyHash(input.body),
    maxDepth: settings.maxDepth,
  }
  // With an idempotency key a retried add stores nothing twice, so a transient failure is retried.
  const add = async (): Promise<AddCommentResult> => room.addComment(comment)
  const result = key ? await retrying(add) : await add()
  // (KV here may still hold a renamed post's old record: its object knows where the post went.)
  if (!result.ok)
    throw result.movedTo !== undefined ? new PostMovedError(result.movedTo, true) : new AppError(result.status, result.code, result.message)
  // The same token for a replay: whoever holds the idempotency key and the content wrote the comment.
  const token = await editToken(secret, postId, result.comment.id, result.comment.createdAt)
  return { comment: result.comment, replayed: result.replayed, editToken: token, notice: result.notice, post }
}
