import { describe, expect, it } from 'vitest'
import { strings } from '../src/i18n'
import {
  buildNotice,
  notificationsEnabled,
  notifyConfigFrom,
  sendNotice,
  type CommentNotice,
  type NotifyConfig,
} from '../src/services/notify'

interface Call {
  url: string
  method: string
  headers: Headers
  body: string
  signal: AbortSignal | null
}

/** A fetch stub that records every call and answers with `respond` (default 200 {}). */
function stubFetch(respond: (call: Call) => Response | Promise<Response> = () => Response.json({ id: 'x' })) {
  const calls: Call[] = []
  const impl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init)
    const call: Call = { url: req.url, method: req.method, headers: req.headers, body: await req.text(), signal: init?.signal ?? null }
    calls.push(call)
    return respond(call)
  }) as typeof fetch
  return { calls, impl }
}

const NONE: NotifyConfig = {
  emailApiUrl: null,
  emailApiKey: null,
  emailFrom: null,
  webhookUrl: null,
  webhookSecret: null,
  siteTitle: '科学边缘',
  language: 'zh',
}
const EMAIL: NotifyConfig = {
  ...NONE,
  emailApiUrl: 'https://api.resend.example/emails',
  emailApiKey: 're_test_key',
  emailFrom: 'Blog <noreply@blog.example>',
}
const WEBHOOK: NotifyConfig = { ...NONE, webhookUrl: 'https://hooks.example/blog', webhookSecret: 'hook-secret' }
const BOTH: NotifyConfig = { ...EMAIL, webhookUrl: WEBHOOK.webhookUrl, webhookSecret: WEBHOOK.webhookSecret }

const NOTICE: CommentNotice = {
  kind: 'reply',
  to: 'parent@example.com',
  postTitle: '勾股定理',
  commentAuthor: '李四',
  commentText: '同意，$a^2+b^2=c^2$。',
  commentUrl: 'https://blog.example/archives/pythagoras#comment-2',
  unsubscribeUrl: 'https://blog.example/unsubscribe?token=abc',
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message))
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** No tag can start anywhere: '<' followed by a letter, '/', '!' or '?'. */
const TAG_START = /<[A-Za-z/!?]/

describe('notifyConfigFrom and notificationsEnabled', () => {
  it('reads the settings, treating empty strings, non-strings and non-http(s) URLs as not set', () => {
    const config = notifyConfigFrom(
      {
        EMAIL_API_URL: ' https://api.resend.com/emails ',
        EMAIL_API_KEY: 'key',
        EMAIL_FROM: 'noreply@blog.example',
        NOTIFY_WEBHOOK_URL: '',
        NOTIFY_WEBHOOK_SECRET: '  ',
      },
      'Site',
      'en',
    )
    expect(config).toEqual({
      emailApiUrl: 'https://api.resend.com/emails',
      emailApiKey: 'key',
      emailFrom: 'noreply@blog.example',
      webhookUrl: null,
      webhookSecret: null,
      siteTitle: 'Site',
      language: 'en',
    })
    expect(notificationsEnabled(config)).toBe(true)

    const bad = notifyConfigFrom(
      {
        EMAIL_API_URL: 'ftp://mail.example/',
        EMAIL_API_KEY: 42,
        EMAIL_FROM: 'a@b.example\r\nBcc: x@y',
        NOTIFY_WEBHOOK_URL: 'javascript:alert(1)',
      },
      'Site',
      'zh',
    )
    expect(bad.emailApiUrl).toBeNull()
    expect(bad.emailApiKey).toBeNull()
    expect(bad.emailFrom).toBeNull()
    expect(bad.webhookUrl).toBeNull()
    expect(notificationsEnabled(bad)).toBe(false)
    expect(notificationsEnabled(notifyConfigFrom({}, 'Site', 'zh'))).toBe(false)
    expect(notificationsEnabled(notifyConfigFrom({ NOTIFY_WEBHOOK_URL: 'http://hooks.example/x' }, 'Site', 'zh'))).toBe(true)
  })

  it('needs the URL, key and sender all set for e-mail', () => {
    expect(notificationsEnabled(NONE)).toBe(false)
    expect(notificationsEnabled(EMAIL)).toBe(true)
    expect(notificationsEnabled({ ...EMAIL, emailApiKey: null })).toBe(false)
    expect(notificationsEnabled({ ...EMAIL, emailFrom: null })).toBe(false)
    expect(notificationsEnabled({ ...EMAIL, emailApiUrl: null })).toBe(false)
    expect(notificationsEnabled({ ...NONE, webhookUrl: 'https://hooks.example/x' })).toBe(true)
  })
})

describe('buildNotice', () => {
  it('words a reply in Chinese', () => {
    const m = buildNotice(EMAIL, NOTICE)
    expect(m.subject).toBe('[科学边缘] 《勾股定理》有新回复')
    expect(m.text).toContain('李四 回复了你在《勾股定理》下的评论：')
    expect(m.text).toContain('同意，$a^2+b^2=c^2$。')
    expect(m.text).toContain('查看回复：https://blog.example/archives/pythagoras#comment-2')
    expect(m.text).toContain('退订：https://blog.example/unsubscribe?token=abc')
  })

  it('words a new comment in Chinese and English, without an unsubscribe line when there is none', () => {
    const zh = buildNotice(EMAIL, { ...NOTICE, kind: 'new', unsubscribeUrl: null })
    expect(zh.subject).toBe('[科学边缘] 《勾股定理》有新评论')
    expect(zh.text).toContain('李四 评论了《勾股定理》：')
    expect(zh.text).toContain('查看评论：https://blog.example/archives/pythagoras#comment-2')
    expect(zh.text).not.toContain('退订')

    const en = { ...EMAIL, siteTitle: 'Edge Science', language: 'en' as const }
    const reply = buildNotice(en, { ...NOTICE, postTitle: 'Pythagoras', commentAuthor: 'Bob', commentText: 'Agreed.' })
    expect(reply.subject).toBe('[Edge Science] New reply on “Pythagoras”')
    expect(reply.text).toContain('Bob replied to your comment on “Pythagoras”:')
    expect(reply.text).toContain('Agreed.')
    expect(reply.text).toContain('View the reply: https://blog.example/archives/pythagoras#comment-2')
    expect(reply.text).toContain('Unsubscribe: https://blog.example/unsubscribe?token=abc')
    const fresh = buildNotice(en, { ...NOTICE, kind: 'new', postTitle: 'Pythagoras', commentAuthor: 'Bob', unsubscribeUrl: null })
    expect(fresh.subject).toBe('[Edge Science] New comment on “Pythagoras”')
    expect(fresh.text).toContain('Bob commented on “Pythagoras”:')
    expect(fresh.text).not.toMatch(/unsubscribe/i)
  })

  it('takes its words from src/i18n.ts (strings(language).notice), where every UI string lives', () => {
    for (const language of ['zh', 'en'] as const) {
      const words = strings(language).notice
      const m = buildNotice({ ...EMAIL, language, siteTitle: '' }, { ...NOTICE, commentAuthor: '', commentText: '' })
      expect(m.subject).toBe(words.reply.subject(words.noSiteTitle, NOTICE.postTitle))
      expect(m.text).toContain(words.reply.lead(words.noAuthor, NOTICE.postTitle))
      expect(m.text).toContain(words.empty)
    }
  })

  it("gives the blog's author the admin's pages: reply, and for a held comment the moderation list instead of the permalink", () => {
    const en = { ...EMAIL, siteTitle: 'Edge Science', language: 'en' as const }
    const base: CommentNotice = {
      ...NOTICE,
      kind: 'new',
      postTitle: 'Pythagoras',
      unsubscribeUrl: null,
      replyUrl: 'https://blog.example/admin/comments/pythagoras/2/reply',
      moderateUrl: 'https://blog.example/admin/comments?status=spam&post=pythagoras',
    }
    const held = buildNotice(en, { ...base, held: 'spam' })
    expect(held.subject).toBe('[Spam] [Edge Science] New comment on “Pythagoras”')
    expect(held.text).toContain('This comment is marked “Spam”: readers do not see it yet.')
    expect(held.text).toContain('Moderate: https://blog.example/admin/comments?status=spam&post=pythagoras')
    expect(held.text).toContain('Approve and reply: https://blog.example/admin/comments/pythagoras/2/reply')
    expect(held.text).not.toContain('View the comment')
    const shown = buildNotice(en, base)
    expect(shown.subject).toBe('[Edge Science] New comment on “Pythagoras”')
    expect(shown.text).toContain('View the comment: https://blog.example/archives/pythagoras#comment-2')
    expect(shown.text).toContain('\nReply: https://blog.example/admin/comments/pythagoras/2/reply')
    expect(shown.text).not.toContain('Moderate')
    // Only http(s) links; a reply notice to a reader never carries the admin's pages.
    expect(buildNotice(en, { ...base, held: 'pending', replyUrl: 'javascript:alert(1)', moderateUrl: 'data:,x' }).text).not.toMatch(
      /javascript|data:|Moderate|Approve and reply/,
    )
    expect(buildNotice(en, { ...NOTICE, replyUrl: base.replyUrl, moderateUrl: base.moderateUrl, held: 'pending' }).text).not.toContain(
      '/admin/',
    )
  })

  it('carries no tags and keeps the subject on one line, whatever the author, title or text hold', () => {
    const hostile: CommentNotice = {
      ...NOTICE,
      postTitle: 'Title\r\nBcc: victim@example.com\u2028<b>bold</b>',
      commentAuthor: 'Eve<script>alert(1)</script>\r\nX-Injected: 1',
      commentText:
        'hi <img src=x onerror=alert(1)> <<b>script>alert(2)<</b>/script> <a href="javascript:x">link</a>\u0000\u001b[31m\u202eevil\r\nline 2 <iframe src=//evil',
      unsubscribeUrl: 'https://blog.example/u?t=1\r\nBcc: x@y',
    }
    for (const language of ['zh', 'en'] as const) {
      const m = buildNotice({ ...EMAIL, language, siteTitle: 'Site\n<i>x</i>' }, hostile)
      for (const s of [m.subject, m.text]) {
        expect(s).not.toMatch(TAG_START)
        expect(s).not.toMatch(/script>|onerror=alert\(1\)>/)
        expect(s).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/)
      }
      expect(m.subject).not.toMatch(/[\r\n\u2028\u2029]/)
      expect(m.subject).toContain('Title Bcc: victim@example.com bold')
      expect(m.text).toContain('Evealert(1) X-Injected: 1')
      expect(m.text).toContain('line 2')
      // The unsubscribe URL is normalised: no raw line break survives into the text.
      expect(m.text.split('\n').some((line) => line.startsWith('Bcc:'))).toBe(false)
    }
  })

  it('cuts the comment to 500 characters', () => {
    const m = buildNotice(EMAIL, { ...NOTICE, commentText: '字'.repeat(2000) })
    const longest = m.text.split('\n').reduce((a, b) => (b.length > a.length ? b : a), '')
    expect(Array.from(longest).length).toBeLessThanOrEqual(500)
    expect(longest.endsWith('…')).toBe(true)
  })

  it('leaves out a link that is not http(s)', () => {
    const m = buildNotice(EMAIL, { ...NOTICE, commentUrl: 'javascript:alert(1)', unsubscribeUrl: 'data:text/html,x' })
    expect(m.text).not.toContain('javascript:')
    expect(m.text).not.toContain('data:')
  })
})

describe('sendNotice', () => {
  it('sends nothing and calls no fetch when nothing is configured', async () => {
    const { calls, impl } = stubFetch()
    expect(await sendNotice(NONE, NOTICE, impl)).toEqual([])
    expect(calls).toHaveLength(0)
  })

  it('sends no e-mail without a recipient', async () => {
    const { calls, impl } = stubFetch()
    expect(await sendNotice(EMAIL, { ...NOTICE, to: null }, impl)).toEqual([])
    expect(calls).toHaveLength(0)
  })

  it('posts the e-mail as JSON with a bearer key, the fields and List-Unsubscribe', async () => {
    const { calls, impl } = stubFetch()
    const outcomes = await sendNotice(EMAIL, NOTICE, impl)
    expect(outcomes).toEqual([{ channel: 'email', ok: true, status: 200 }])
    expect(calls).toHaveLength(1)
    const call = calls[0]!
    expect(call.method).toBe('POST')
    expect(call.url).toBe('https://api.resend.example/emails')
    expect(call.headers.get('authorization')).toBe('Bearer re_test_key')
    expect(call.headers.get('content-type')).toBe('application/json')
    expect(call.signal).toBeInstanceOf(AbortSignal)
    const body = JSON.parse(call.body) as Record<string, unknown>
    const message = buildNotice(EMAIL, NOTICE)
    expect(body).toEqual({
      from: 'Blog <noreply@blog.example>',
      to: ['parent@example.com'],
      subject: message.subject,
      text: message.text,
      headers: { 'List-Unsubscribe': '<https://blog.example/unsubscribe?token=abc>' },
    })
    expect(body).not.toHaveProperty('html')
  })

  it('omits the List-Unsubscribe header without an unsubscribe URL', async () => {
    const { calls, impl } = stubFetch()
    await sendNotice(EMAIL, { ...NOTICE, kind: 'new', to: 'author@blog.example', unsubscribeUrl: null }, impl)
    const body = JSON.parse(calls[0]!.body) as Record<string, unknown>
    expect(body).not.toHaveProperty('headers')
    expect(body.to).toEqual(['author@blog.example'])
  })

  it('refuses a recipient that is not a single address, without a request', async () => {
    const { calls, impl } = stubFetch()
    for (const to of ['a@b.example\r\nBcc: c@d.example', 'a@b.example, c@d.example', 'not-an-address', '<a@b.example>']) {
      const [outcome] = await sendNotice(EMAIL, { ...NOTICE, to }, impl)
      expect(outcome).toMatchObject({ channel: 'email', ok: false })
    }
    expect(calls).toHaveLength(0)
  })

  it('posts the webhook with the event and a signature that verifies against the exact body', async () => {
    const { calls, impl } = stubFetch(() => new Response(null, { status: 204 }))
    const outcomes = await sendNotice(WEBHOOK, NOTICE, impl)
    expect(outcomes).toEqual([{ channel: 'webhook', ok: true, status: 204 }])
    const call = calls[0]!
    expect(call.method).toBe('POST')
    expect(call.url).toBe('https://hooks.example/blog')
    expect(call.headers.get('content-type')).toBe('application/json')
    const signature = call.headers.get('x-blog-signature')!
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(signature).toBe(`sha256=${await hmacHex('hook-secret', call.body)}`)
    expect(signature).not.toBe(`sha256=${await hmacHex('wrong-secret', call.body)}`)
    const body = JSON.parse(call.body) as Record<string, unknown>
    const message = buildNotice(WEBHOOK, NOTICE)
    expect(body).toMatchObject({
      event: 'comment.reply',
      postTitle: '勾股定理',
      commentAuthor: '李四',
      commentText: '同意，$a^2+b^2=c^2$。',
      commentUrl: 'https://blog.example/archives/pythagoras#comment-2',
      unsubscribeUrl: 'https://blog.example/unsubscribe?token=abc',
      subject: message.subject,
      text: message.text,
    })
    expect(typeof body.sentAt).toBe('string')
  })

  it('sends a new-comment webhook without a recipient, unsigned when there is no secret', async () => {
    const { calls, impl } = stubFetch()
    const outcomes = await sendNotice({ ...WEBHOOK, webhookSecret: null }, { ...NOTICE, kind: 'new', to: null }, impl)
    expect(outcomes).toEqual([{ channel: 'webhook', ok: true, status: 200 }])
    expect(calls[0]!.headers.has('x-blog-signature')).toBe(false)
    expect(JSON.parse(calls[0]!.body)).toMatchObject({ event: 'comment.new', to: null })
  })

  it('sends on both channels, each with its own outcome', async () => {
    const { calls, impl } = stubFetch((call) => new Response('nope', { status: call.url.includes('hooks') ? 502 : 200 }))
    const outcomes = await sendNotice(BOTH, NOTICE, impl)
    expect(outcomes).toEqual([
      { channel: 'email', ok: true, status: 200 },
      { channel: 'webhook', ok: false, status: 502, error: 'HTTP 502' },
    ])
    expect(calls.map((c) => c.url).sort()).toEqual(['https://api.resend.example/emails', 'https://hooks.example/blog'])
  })

  it('keeps hostile input out of the request bodies as tags', async () => {
    const { calls, impl } = stubFetch()
    await sendNotice(
      BOTH,
      {
        ...NOTICE,
        postTitle: 'T\r\nSubject: spoof',
        commentAuthor: '<img src=x onerror=alert(1)>Eve\n',
        commentText: '<script>alert(1)</script>hello',
      },
      impl,
    )
    for (const call of calls) {
      const body = JSON.parse(call.body) as { subject: string; text: string; commentText?: string; commentAuthor?: string }
      expect(body.subject).not.toMatch(/[\r\n]/)
      expect(body.subject).toContain('T Subject: spoof')
      expect(body.text).not.toMatch(TAG_START)
      expect(body.text).toContain('hello')
      if (body.commentText !== undefined) expect(body.commentText).toBe('alert(1)hello')
      if (body.commentAuthor !== undefined) expect(body.commentAuthor).toBe('Eve')
    }
  })

  it('turns an HTTP error, a throwing fetch and a timeout into ok:false without throwing', async () => {
    const failing = stubFetch(() => new Response('server error', { status: 500 }))
    expect(await sendNotice(EMAIL, NOTICE, failing.impl)).toEqual([{ channel: 'email', ok: false, status: 500, error: 'HTTP 500' }])

    const throwing = (async () => {
      throw new TypeError('network down')
    }) as unknown as typeof fetch
    expect(await sendNotice(BOTH, NOTICE, throwing)).toEqual([
      { channel: 'email', ok: false, error: 'network down' },
      { channel: 'webhook', ok: false, error: 'network down' },
    ])

    const syncThrowing = (() => {
      throw new Error('sync failure')
    }) as unknown as typeof fetch
    expect(await sendNotice(WEBHOOK, NOTICE, syncThrowing)).toEqual([{ channel: 'webhook', ok: false, error: 'sync failure' }])

    // A fetch that never answers and ignores the abort signal still gives up after the timeout.
    const hanging = (() => new Promise<Response>(() => {})) as unknown as typeof fetch
    const started = Date.now()
    const outcomes = await sendNotice(BOTH, NOTICE, hanging, { timeoutMs: 50 })
    expect(outcomes).toEqual([
      { channel: 'email', ok: false, error: 'timeout' },
      { channel: 'webhook', ok: false, error: 'timeout' },
    ])
    expect(Date.now() - started).toBeLessThan(3000)

    // A fetch that honours the signal rejects with the abort reason.
    let sawAbort = false
    const listening = ((_: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => {
          sawAbort = true
          reject(init.signal!.reason)
        })
      })) as typeof fetch
    expect(await sendNotice(WEBHOOK, NOTICE, listening, { timeoutMs: 30 })).toEqual([{ channel: 'webhook', ok: false, error: 'timeout' }])
    expect(sawAbort).toBe(true)
  })

  it('uses the real fetch by default and reports an unreachable endpoint as ok:false', async () => {
    // No HTTP server can be started inside workerd, so the closest to a real stub is a real fetch to
    // a local port with nothing listening: the request really goes out and fails.
    const config: NotifyConfig = { ...NONE, webhookUrl: 'http://127.0.0.1:9/hook', webhookSecret: 's' }
    const [outcome] = await sendNotice(config, NOTICE, undefined, { timeoutMs: 2000 })
    expect(outcome).toMatchObject({ channel: 'webhook', ok: false })
    expect(outcome!.error ?? `HTTP ${outcome!.status}`).toBeTruthy()
  })
})
