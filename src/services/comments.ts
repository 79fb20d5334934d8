import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env'
import type { SiteConfig } from '../config'
import { AppError } from '../lib/errors'
import { limitBody } from '../lib/request'
import { sha256Hex } from '../lib/hash'
import { avatarKey } from '../lib/identicon'
import { commentRenderOptions } from '../lib/render-options'
import { retrying, roomObject, siteObject } from '../lib/stubs'
import { commentSecret, editToken, readFormTime } from '../lib/tokens'
import type { PostRecord, PublicComment } from '../model'
import type { AddCommentResult, ReplyNotice } from '../objects/post-room'
import { RenderError } from '../render/errors'
import { rateLimitScope } from '../lib/views'
import { loadRenderer } from '../render/load'
import type { RenderedComment } from '../render/render-comment'
import { COMMENT_RENDER_VERSION } from '../render/versions'
import { commentSchemas, describeCommentIssues, MAX_COMMENT_BYTES, MAX_COMMENT_KEY } from '../schemas'
import { readPost } from '../storage/read-model'
import { strings, type CommentErrorStrings } from '../i18n'

/**
 * A comment sent to a renamed post's old id (a page opened before the rename): the route answers
 * 308 to the same endpoint at the new id (redirectMoved), so the browser or client sends it again
 * there; 307 when only the post's old object says so (`temporary`: see PostPageData's `moved`).
 */
export class PostMovedError extends AppError {
  constructor(
    readonly to: string,
    readonly temporary: boolean,
    m: CommentErrorStrings,
  ) {
    super(temporary ? 307 : 308, 'post_moved', m.postMoved(to))
  }
}

/** The reasons a reader's comment is refused, in the site's language. */
export function commentErrors(config: SiteConfig): CommentErrorStrings {
  return strings(config.language).commentErrors
}

/** A refusal from a post's object, as its code, status and (English, the admin API's) message. */
interface RoomRefusal {
  status: 400 | 403 | 404 | 409 | 410 | 422
  code: string
  message: string
}

/**
 * A post object's refusal of a reader's request, with the reason in the site's language (the
 * object's own messages are English: the admin API answers with them). `postId`, `comment` and
 * `parent` are the ids of the request, which some reasons name.
 */
export function readerRefusal(
  m: CommentErrorStrings,
  refused: RoomRefusal,
  ids: { postId: string; comment?: number; parent?: number | null },
): AppError {
  return new AppError(refused.status, refused.code, roomReason(m, refused.code, ids) ?? refused.message)
}

function roomReason(m: CommentErrorStrings, code: string, ids: { postId: string; comment?: number; parent?: number | null }) {
  switch (code) {
    case 'post_deleted':
      return m.postDeleted
    case 'post_not_found':
      return m.postNotFound(ids.postId)
    case 'idempotency_key_reused':
      return m.keyReused
    case 'duplicate_comment':
      return m.duplicate
    case 'parent_not_found':
      return typeof ids.parent === 'number' ? m.parentNotFound(ids.parent) : undefined
    case 'comment_not_found':
      return ids.comment !== undefined ? m.commentNotFound(ids.comment) : undefined
    case 'not_your_comment':
      return m.notThisBrowser
    case 'edit_window_closed':
      return m.editWindowClosed
    default:
      return undefined
  }
}

/** A route's catch for submitComment: a PostMovedError becomes a 308 (or 307) to `path(to)`; anything else is thrown on. */
export function redirectMoved(path: (to: string) => string): (err: unknown) => never {
  return (err) => {
    if (err instanceof PostMovedError) throw new AppError(err.status, err.code, err.message, { Location: path(err.to) })
    throw err
  }
}

/**
 * A comment's text from a request (`{ body }`: a preview, or the new text of an edited comment),
 * checked as a stored comment's is; refused (400) with the reason in the site's language.
 */
export function commentTextOf(input: unknown, m: CommentErrorStrings): string {
  const parsed = commentSchemas(m).body.safeParse(input)
  if (!parsed.success) throw new AppError(400, 'invalid_comment', describeCommentIssues(parsed.error, m))
  return parsed.data.body
}

/** The body limit of a reader's comment routes (form, API, preview, edit): a 413 says why in the site's language. */
export const limitCommentBody: MiddlewareHandler<AppEnv> = (c, next) =>
  limitBody(MAX_COMMENT_BYTES, c.var.t.commentErrors.requestTooLarge(MAX_COMMENT_BYTES))(c, next)

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
  /** The visitor's IP address (for the rate limit, Turnstile and Akismet; never stored). */
  ip: string
  /** The browser's User-Agent and Referer, and the site's origin, for Akismet (never stored). */
  userAgent?: string
  referrer?: string
  origin?: string
}

/** Akismet's verdict on a comment: spam, not spam, or nothing to go by (the service down, slow or refusing the key). */
export type AkismetVerdict = 'spam' | 'ham' | 'unknown'

/**
 * Asks Akismet (comment-check) about a reader's comment, when the secret AKISMET_KEY is set. It gets
 * what Akismet needs to judge: the visitor's address and browser, the post's address, the name,
 * e-mail, site and text. Anything but a clear "true"/"false" within 3 seconds is `unknown`: the
 * comment is then held for moderation rather than shown unchecked or lost.
 */
export async function akismetCheck(
  env: Cloudflare.Env,
  config: SiteConfig,
  who: Submitter,
  c: { postId: string; author: string; email?: string; url?: string; body: string; parent?: number },
): Promise<AkismetVerdict> {
  const origin = who.origin ?? ''
  const form = new URLSearchParams({
    api_key: env.AKISMET_KEY ?? '',
    blog: origin,
    user_ip: who.ip,
    user_agent: who.userAgent ?? '',
    referrer: who.referrer ?? '',
    permalink: `${origin}/archives/${c.postId}`,
    comment_type: c.parent ? 'reply' : 'comment',
    comment_author: c.author,
    comment_author_email: c.email ?? '',
    comment_author_url: c.url ?? '',
    comment_content: c.body,
    comment_date_gmt: new Date().toISOString(),
    blog_lang: config.language === 'en' ? 'en' : 'zh_cn, en',
    blog_charset: 'UTF-8',
  })
  try {
    const res = await fetch(config.comments.akismetUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      signal: AbortSignal.timeout(3000),
    })
    const answer = res.ok ? (await res.text()).trim() : ''
    if (answer === 'true') return 'spam'
    if (answer === 'false') return 'ham'
    console.error(JSON.stringify({ event: 'akismet_unavailable', status: res.status, answer: answer.slice(0, 100), postId: c.postId }))
  } catch (err) {
    console.error(JSON.stringify({ event: 'akismet_unavailable', error: String(err), postId: c.postId }))
  }
  return 'unknown'
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
  const m = commentErrors(config)
  let rendered: RenderedComment
  try {
    rendered = renderComment(body, commentRenderOptions(config))
  } catch (err) {
    if (err instanceof RenderError) throw new AppError(422, 'unrenderable', m.unrenderable)
    throw err
  }
  const links = (rendered.html.match(/<a\s[^>]*href=/g) ?? []).length
  if (links > config.comments.maxLinks) throw new AppError(422, 'too_many_links', m.tooManyLinks(config.comments.maxLinks, links))
  const math = (rendered.html.match(/class="katex"/g) ?? []).length
  if (math > config.comments.maxMath) throw new AppError(422, 'too_much_math', m.tooMuchMath(config.comments.maxMath, math))
  if (rendered.html.length > MAX_COMMENT_HTML) throw new AppError(422, 'comment_too_large', m.renderedTooLarge)
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
  const m = commentErrors(config)
  if (!token) throw new AppError(403, 'turnstile_required', m.turnstileRequired)
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
  if (!ok) throw new AppError(403, 'turnstile_failed', m.turnstileFailed)
}

/** The visitor's key for the rate limit: an HMAC of the day and the address (an IPv6 one by its /64: lib/views rateLimitScope; nothing personal kept). */
export async function visitorKey(env: Cloudflare.Env, ip: string): Promise<string> {
  return (await sha256Hex(`${commentSecret(env)}|${new Date().toISOString().slice(0, 10)}|${rateLimitScope(ip)}`)).slice(0, 32)
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
    throw new AppError(429, 'rate_limited', commentErrors(config).tooManyPreviews(taken.retryAfter), {
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
  const m = commentErrors(config)
  const schemas = commentSchemas(m)
  const parsed = schemas.input.safeParse(raw)
  if (!parsed.success) throw new AppError(400, 'invalid_comment', describeCommentIssues(parsed.error, m))
  const input = parsed.data
  const notify = input.notify === '1' || input.notify === 'on' || input.notify === true
  if (notify && !input.email) throw new AppError(400, 'invalid_comment', m.notifyNeedsEmail)
  let key = input.key ?? null
  if (headerKey !== undefined && headerKey !== '') {
    const fromHeader = schemas.key.safeParse(headerKey)
    if (!fromHeader.success || fromHeader.data === undefined) throw new AppError(400, 'invalid_comment', m.keyInvalid(MAX_COMMENT_KEY))
    if (key !== null && key !== fromHeader.data) throw new AppError(400, 'invalid_comment', m.keyMismatch)
    key = fromHeader.data
  }
  const settings = config.comments
  const secret = commentSecret(env)
  if (!who.admin) {
    // The honeypot: a field people never see and bots fill in.
    if (input.website) throw new AppError(400, 'rejected_as_spam', m.automated)
    if (settings.minSeconds > 0) {
      const shown = await readFormTime(secret, input.ts)
      if (shown === null) throw new AppError(400, 'form_time_missing', m.formTimeMissing)
      const age = Date.now() - shown
      if (age < settings.minSeconds * 1000) throw new AppError(400, 'too_fast', m.tooFast(settings.minSeconds))
      if (age > FORM_MAX_AGE_MS) throw new AppError(400, 'form_expired', m.formExpired)
    }
  }
  const stored = await readPost(env.POSTS, postId)
  if (stored.kind === 'moved') throw new PostMovedError(stored.to, false, m)
  if (stored.kind === 'deleted') throw new AppError(410, 'post_deleted', m.postDeleted)
  if (stored.kind !== 'post' || stored.record.draft) throw new AppError(404, 'post_not_found', m.postNotFound(postId))
  const post = stored.record
  if (commentsClosed(post, config) && !who.admin) throw new AppError(403, 'comments_closed', m.closed)
  if (!who.admin && settings.turnstileSiteKey) await verifyTurnstile(env, config, input['cf-turnstile-response'], who.ip)
  const rendered = await renderCommentChecked(input.body, config)
  if (!who.admin && settings.rateLimit.count > 0) {
    const gate = env.COMMENT_GATE.getByName(await visitorKey(env, who.ip))
    const taken = await gate.take(settings.rateLimit.count, settings.rateLimit.seconds)
    if (!taken.ok) {
      throw new AppError(429, 'rate_limited', m.tooManyComments(taken.retryAfter), {
        'Retry-After': String(taken.retryAfter),
      })
    }
  }
  let status: 'approved' | 'pending' | 'spam' = 'approved'
  if (!who.admin) {
    // (Akismet is asked only about a comment the blocked words let through, after the rate limit.)
    const verdict = blockedWord(config, [input.author, input.body, input.url ?? '', input.email ?? ''])
      ? 'spam'
      : env.AKISMET_KEY
        ? await akismetCheck(env, config, who, { postId, ...input })
        : 'ham'
    if (verdict === 'spam') status = 'spam'
    else if (verdict === 'unknown' || settings.moderation === 'all') status = 'pending'
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
    notify,
    bodyHash: await bodyHash(input.body),
    maxDepth: settings.maxDepth,
  }
  // With an idempotency key a retried add stores nothing twice, so a transient failure is retried.
  const add = async (): Promise<AddCommentResult> => room.addComment(comment)
  const result = key ? await retrying(add) : await add()
  // (KV here may still hold a renamed post's old record: its object knows where the post went.)
  if (!result.ok) {
    if (result.movedTo !== undefined) throw new PostMovedError(result.movedTo, true, m)
    throw readerRefusal(m, result, { postId, parent: comment.parent })
  }
  // The same token for a replay: whoever holds the idempotency key and the content wrote the comment.
  const token = await editToken(secret, postId, result.comment.id, result.comment.createdAt)
  return { comment: result.comment, replayed: result.replayed, editToken: token, notice: result.notice, post }
}
