/**
 * Comment notifications: a plain-text e-mail through an HTTP e-mail API (Resend-style JSON) and/or
 * a JSON webhook signed with an HMAC. Nothing here touches storage or the request; the caller
 * decides who is told and passes the text, so the module is testable with a stub fetch.
 */

import { strings } from '../i18n'
import { hmacSha256Hex } from '../lib/hmac'

export interface NotifyConfig {
  /** e.g. https://api.resend.com/emails; POST JSON {from, to: [addr], subject, text, headers?} with a Bearer key. */
  emailApiUrl: string | null
  emailApiKey: string | null
  /** Sender address, required for e-mail. */
  emailFrom: string | null
  /** POST JSON {event, ...}; signed with 'X-Blog-Signature: sha256=<hex>' when webhookSecret is set. */
  webhookUrl: string | null
  webhookSecret: string | null
  siteTitle: string
  language: 'zh' | 'en'
}

export interface CommentNotice {
  /** reply: to the parent comment's author; new: to the blog's author. */
  kind: 'reply' | 'new'
  /** E-mail address of the recipient; null for webhook-only. */
  to: string | null
  postTitle: string
  commentAuthor: string
  /** Plain-text excerpt of the comment (tag-like text and control characters are removed again here). */
  commentText: string
  /** Absolute permalink of the comment. */
  commentUrl: string
  unsubscribeUrl: string | null
  /** For the blog's author (`new`): the comment is held for moderation (or kept as spam), not shown yet. */
  held?: 'pending' | 'spam'
  /** For the blog's author (`new`): the web admin's page that answers the comment (and approves a held one). */
  replyUrl?: string | null
  /** For the blog's author (`new`, held): the moderation list of the post. */
  moderateUrl?: string | null
}

export interface NoticeMessage {
  subject: string
  text: string
}

export interface SendOutcome {
  channel: 'email' | 'webhook'
  ok: boolean
  status?: number
  error?: string
}

export interface SendOptions {
  /** Per-channel timeout in milliseconds (default 5000). */
  timeoutMs?: number
}

const DEFAULT_TIMEOUT_MS = 5000
const TEXT_LIMIT = 500
const TITLE_LIMIT = 120
const NAME_LIMIT = 80

// Control characters (except tab and newline, handled separately), C1 controls, bidi overrides and
// isolates, and the Unicode line and paragraph separators.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g
const ANY_BREAK = /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g
/** Anything tag-like: <…> with no '<' or '>' inside (comments, doctype, tags, closing tags). */
const TAG = /<[^<>]*>/g
/** A '<' that would open a tag even without its '>' (letter, '/', '!' or '?' after it). */
const TAG_OPEN = /<(?=[A-Za-z/!?])/g

function stripTags(text: string): string {
  let out = text
  // Repeat so that nested leftovers such as '<<b>script>' cannot re-form a tag.
  for (let prev = ''; prev !== out;) {
    prev = out
    out = out.replace(TAG, '')
  }
  return out.replace(TAG_OPEN, '‹')
}

function cut(text: string, limit: number): string {
  const chars = Array.from(text)
  if (chars.length <= limit) return text
  const kept = chars.slice(0, limit - 1).join('')
  return `${kept.trimEnd()}…`
}

/** A name or title on one line: no tags, no control characters, every run of white space one space. */
function oneLine(text: string, limit: number): string {
  const flat = String(text ?? '')
    .replace(ANY_BREAK, ' ')
    .replace(CONTROL, '')
  return cut(stripTags(flat).replace(ANY_BREAK, ' ').trim(), limit)
}

/** The comment excerpt: no tags or control characters, at most one blank line in a row, at most 500 chars. */
function excerpt(text: string): string {
  const plain = stripTags(
    String(text ?? '')
      .replace(/\r\n?|[\u2028\u2029]/g, '\n')
      .replace(/\t/g, ' ')
      .replace(CONTROL, ''),
  )
  const tidy = plain
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  return cut(tidy, TEXT_LIMIT)
}

/** An absolute http(s) URL in its normalised form (no white space, no '<' or '>'), else null. */
function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string' || !value.trim()) return null
  try {
    const url = new URL(value.trim())
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null
  } catch {
    return null
  }
}

/** The subject and plain-text body of a notice, in the site's language. Never contains HTML. */
export function buildNotice(config: NotifyConfig, notice: CommentNotice): NoticeMessage {
  const words = strings(config.language === 'en' ? 'en' : 'zh').notice
  const kind = words[notice.kind === 'reply' ? 'reply' : 'new']
  const site = oneLine(config.siteTitle, TITLE_LIMIT) || words.noSiteTitle
  const title = oneLine(notice.postTitle, TITLE_LIMIT) || '—'
  const author = oneLine(notice.commentAuthor, NAME_LIMIT) || words.noAuthor
  const body = excerpt(notice.commentText) || words.empty
  const link = httpUrl(notice.commentUrl)
  const unsubscribe = httpUrl(notice.unsubscribeUrl)
  const held = notice.kind === 'new' && notice.held ? words.held[notice.held] : null
  const lines = [kind.lead(author, title), '', body]
  if (held) lines.push('', words.heldLead(held))
  // (A held comment's permalink shows readers nothing yet: the moderation list is its link.)
  const moderate = held ? httpUrl(notice.moderateUrl) : null
  if (moderate) lines.push('', `${words.moderate}${moderate}`)
  else if (link) lines.push('', `${kind.link}${link}`)
  const reply = notice.kind === 'new' ? httpUrl(notice.replyUrl) : null
  if (reply) lines.push(`${held ? words.approveAndReply : words.replyLink}${reply}`)
  lines.push('', '—', site)
  if (unsubscribe) lines.push(`${words.unsubscribe}${unsubscribe}`)
  return { subject: `${held ? `[${held}] ` : ''}${kind.subject(site, title)}`, text: lines.join('\n') }
}

function emailReady(config: NotifyConfig): boolean {
  return Boolean(httpUrl(config.emailApiUrl) && config.emailApiKey && config.emailFrom)
}

function webhookReady(config: NotifyConfig): boolean {
  return Boolean(httpUrl(config.webhookUrl))
}

/** True if e-mail (API URL, key and sender all set) or a webhook is configured. */
export function notificationsEnabled(config: NotifyConfig): boolean {
  return emailReady(config) || webhookReady(config)
}

/** A single recipient address: no white space, control characters, brackets, commas or quotes, one '@'. */
const ADDRESS = /^[^\s@<>,;"'()[\]\\\u0000-\u001f\u007f]+@[^\s@<>,;"'()[\]\\\u0000-\u001f\u007f]+\.[^\s@<>,;"'()[\]\\\u0000-\u001f\u007f]+$/

function errorText(err: unknown): string {
  if (err instanceof Error) return err.name === 'TimeoutError' || err.name === 'AbortError' ? 'timeout' : err.message || err.name
  return String(err)
}

/**
 * One POST with a timeout. The fetch is raced against the timeout as well as given the abort
 * signal, so that a fetch which ignores the signal cannot hold the caller either.
 */
async function post(channel: SendOutcome['channel'], fetchImpl: typeof fetch, url: string, init: RequestInit, timeoutMs: number) {
  const signal = AbortSignal.timeout(timeoutMs)
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new DOMException('timeout', 'TimeoutError'))
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    const res = await Promise.race([fetchImpl(url, { ...init, method: 'POST', signal }), aborted])
    // The answer's body is not needed; release it.
    await res.body?.cancel().catch(() => undefined)
    const outcome: SendOutcome = { channel, ok: res.ok, status: res.status }
    if (!res.ok) outcome.error = `HTTP ${res.status}`
    return outcome
  } catch (err) {
    return { channel, ok: false, error: errorText(err) } satisfies SendOutcome
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort)
    aborted.catch(() => undefined)
  }
}

async function sendEmail(
  config: NotifyConfig,
  notice: CommentNotice,
  message: NoticeMessage,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<SendOutcome> {
  try {
    const to = String(notice.to).trim()
    if (!ADDRESS.test(to)) return { channel: 'email', ok: false, error: 'invalid recipient address' }
    const unsubscribe = httpUrl(notice.unsubscribeUrl)
    const payload: Record<string, unknown> = {
      from: String(config.emailFrom).replace(ANY_BREAK, ' ').trim(),
      to: [to],
      subject: message.subject,
      text: message.text,
    }
    if (unsubscribe) payload.headers = { 'List-Unsubscribe': `<${unsubscribe}>` }
    const init = {
      headers: { authorization: `Bearer ${config.emailApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    }
    return await post('email', fetchImpl, httpUrl(config.emailApiUrl)!, init, timeoutMs)
  } catch (err) {
    return { channel: 'email', ok: false, error: errorText(err) }
  }
}

async function sendWebhook(
  config: NotifyConfig,
  notice: CommentNotice,
  message: NoticeMessage,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<SendOutcome> {
  try {
    const body = JSON.stringify({
      event: notice.kind === 'reply' ? 'comment.reply' : 'comment.new',
      site: oneLine(config.siteTitle, TITLE_LIMIT),
      language: config.language,
      to: notice.to ? String(notice.to).trim() : null,
      postTitle: oneLine(notice.postTitle, TITLE_LIMIT),
      commentAuthor: oneLine(notice.commentAuthor, NAME_LIMIT),
      commentText: excerpt(notice.commentText),
      commentUrl: httpUrl(notice.commentUrl),
      unsubscribeUrl: httpUrl(notice.unsubscribeUrl),
      held: notice.kind === 'new' ? (notice.held ?? null) : null,
      replyUrl: notice.kind === 'new' ? httpUrl(notice.replyUrl) : null,
      moderateUrl: notice.kind === 'new' && notice.held ? httpUrl(notice.moderateUrl) : null,
      subject: message.subject,
      text: message.text,
      sentAt: new Date().toISOString(),
    })
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (config.webhookSecret) headers['x-blog-signature'] = `sha256=${await hmacSha256Hex(config.webhookSecret, body)}`
    return await post('webhook', fetchImpl, httpUrl(config.webhookUrl)!, { headers, body }, timeoutMs)
  } catch (err) {
    return { channel: 'webhook', ok: false, error: errorText(err) }
  }
}

/**
 * Sends the notice on every configured channel (e-mail only when `notice.to` is set), each with its
 * own timeout (5 s unless `options.timeoutMs`). Never throws: a failure is an outcome with ok:false.
 * Nothing configured → [] and no request.
 */
export async function sendNotice(
  config: NotifyConfig,
  notice: CommentNotice,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  options: SendOptions = {},
): Promise<SendOutcome[]> {
  const timeoutMs = options.timeoutMs && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_TIMEOUT_MS
  const wantEmail = emailReady(config) && notice.to != null && notice.to !== ''
  const wantWebhook = webhookReady(config)
  if (!wantEmail && !wantWebhook) return []
  let message: NoticeMessage
  try {
    message = buildNotice(config, notice)
  } catch (err) {
    // Only reachable with a malformed notice; still never throw.
    const error = errorText(err)
    const failed: SendOutcome[] = []
    if (wantEmail) failed.push({ channel: 'email', ok: false, error })
    if (wantWebhook) failed.push({ channel: 'webhook', ok: false, error })
    return failed
  }
  const jobs: Promise<SendOutcome>[] = []
  if (wantEmail) jobs.push(sendEmail(config, notice, message, fetchImpl, timeoutMs))
  if (wantWebhook) jobs.push(sendWebhook(config, notice, message, fetchImpl, timeoutMs))
  return Promise.all(jobs)
}

function setting(env: Record<string, unknown>, name: string): string | null {
  const value = env[name]
  if (typeof value !== 'string') return null
  const trimmed = value.trim()
  return trimmed ? trimmed : null
}

/**
 * The notification settings from the environment: EMAIL_API_URL, EMAIL_API_KEY, EMAIL_FROM,
 * NOTIFY_WEBHOOK_URL, NOTIFY_WEBHOOK_SECRET (strings; empty → null). A URL that is not http(s), or
 * a sender with a line break in it, counts as not configured.
 */
export function notifyConfigFrom(env: Record<string, unknown>, siteTitle: string, language: 'zh' | 'en'): NotifyConfig {
  const from = setting(env, 'EMAIL_FROM')
  return {
    emailApiUrl: httpUrl(setting(env, 'EMAIL_API_URL')),
    emailApiKey: setting(env, 'EMAIL_API_KEY'),
    emailFrom: from && !/[\u0000-\u001f\u007f\u2028\u2029]/.test(from) ? from : null,
    webhookUrl: httpUrl(setting(env, 'NOTIFY_WEBHOOK_URL')),
    webhookSecret: setting(env, 'NOTIFY_WEBHOOK_SECRET'),
    siteTitle,
    language,
  }
}
