import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import worker from '../../src/index'
import { quickPostPage } from '../../src/routes/pages'
import type { SiteSnapshot } from '../../src/model'
import { BROWSER_UA, eventually, ORIGIN, postComment, putPost, request, roomStats, TOKEN, view } from '../helpers'

// The post page's quick way (routes/pages.tsx, quickPostPage): once the full way has answered a
// post's own address, a reader's plain GET of it is made before the router under the recorded headers.

const GZIP = { 'user-agent': BROWSER_UA, 'accept-encoding': 'gzip, deflate, br, zstd' }
const BOT = { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' }
const asked = (path: string, headers: Record<string, string> = {}, method = 'GET') => new Request(`${ORIGIN}${path}`, { method, headers })

/** The full way, counting how often the quick way handed a request on. */
function fullWay(bindings: Cloudflare.Env = env) {
  return vi.fn((req: Request) => worker.fetch(req, bindings, { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as never))
}

const headerLines = (res: Response) => {
  const lines: string[] = []
  res.headers.forEach((value, name) => name !== 'content-length' && lines.push(`${name}: ${value}`))
  return lines.sort()
}

/** The page without its two per-request form values (a fresh key and the signed time). */
const withoutFormValues = (html: string) =>
  html.replace(/name="key" value="[^"]*"/g, 'name="key" value=""').replace(/name="ts" value="[^"]*"/g, 'name="ts" value=""')

/** The page's text, decompressed when it was sent gzip-compressed (the runtime passes such bytes on as they are). */
async function pageText(res: Response): Promise<string> {
  if (res.headers.get('content-encoding') !== 'gzip') return res.text()
  return new Response(res.body!.pipeThrough(new DecompressionStream('gzip'))).text()
}

const readersText = (html: string) => /(\d+)位读者/.exec(html)?.[1]

/** Bindings whose post objects count the calls of `open` (and fail them while `failing`). */
function countingRooms() {
  const state = { calls: 0, failing: false }
  const rooms = env.POST_ROOM
  const bindings = {
    ...env,
    POST_ROOM: new Proxy(rooms, {
      get(target, prop) {
        if (prop !== 'getByName') return Reflect.get(target, prop)
        return (name: string) =>
          new Proxy(target.getByName(name), {
            get(stub, p) {
              if (p !== 'open') return Reflect.get(stub, p)
              return (...args: unknown[]) => {
                state.calls++
                if (state.failing) return Promise.reject(new Error('object unavailable'))
                return (stub.open as (...a: unknown[]) => unknown)(...args)
              }
            },
          })
      },
    }),
  } as Cloudflare.Env
  return { state, bindings }
}

describe('a post page made before the router', () => {
  it('is the page and headers the full way gives, in both encodings, once the full way has answered', async () => {
    expect((await putPost('qp-same', { title: '快速路径', date: '2024-05-01' }, '正文 $a^2+b^2=c^2$。')).status).toBe(201)
    expect((await postComment('qp-same', { author: '读者', body: '评论 $x$' })).status).toBe(201)
    // The sidebar is made from the site snapshot: compare pages once it shows the comment (the object pushes it by alarm).
    await eventually(async () => {
      const snapshot = await env.POSTS.get<SiteSnapshot>('v1:site', 'json')
      expect(snapshot?.recent.some((r) => r.postId === 'qp-same')).toBe(true)
      expect(snapshot?.counts['qp-same']?.[1]).toBe(1)
    })
    // Never answered yet: nothing recorded, the full way.
    expect(quickPostPage(asked('/archives/qp-same', BOT), env, fullWay())).toBeNull()
    expect((await request('/archives/qp-same', { headers: BOT })).status).toBe(200)
    for (const headers of [BOT, GZIP]) {
      const full = fullWay()
      const quick = await quickPostPage(asked('/archives/qp-same', headers), env, full)!
      expect(full).not.toHaveBeenCalled()
      // The same page by the full way (a query keeps it off the quick way; it changes nothing on the page).
      const reference = await request('/archives/qp-same?from=test', { headers })
      expect(quick.status).toBe(200)
      expect(headerLines(quick)).toEqual(headerLines(reference))
      expect(quick.headers.get('content-encoding')).toBe(headers === GZIP ? 'gzip' : null)
      expect(quick.headers.get('content-security-policy')).toContain("default-src 'self'")
      expect(quick.headers.get('cache-control')).toBe('private, no-cache')
      const html = await pageText(quick)
      expect(withoutFormValues(html)).toBe(withoutFormValues(await pageText(reference)))
      expect(html).toContain('评论')
      expect(html).toMatch(/name="ts" value="\d{13}\.[A-Za-z0-9_-]{32}"/)
    }
    // An address with a query was answered by the full way and is not recorded (replyto, a refused form's key).
    expect(quickPostPage(asked('/archives/qp-same?from=test', BOT), env, fullWay())).toBeNull()
  })

  it('records each reader’s view once, with the exact count', async () => {
    expect((await putPost('qp-count', { title: '计数', date: '2024-05-02' })).status).toBe(201)
    expect(readersText(await (await view('/archives/qp-count', '198.51.100.1')).text())).toBe('1')
    const full = fullWay()
    for (let i = 2; i <= 6; i++) {
      const res = await quickPostPage(asked('/archives/qp-count', { ...GZIP, 'cf-connecting-ip': `198.51.100.${i}` }), env, full)!
      expect(readersText(await pageText(res))).toBe(String(i))
    }
    // A reload within the window is shown but not counted; a bot is not counted.
    const again = await quickPostPage(asked('/archives/qp-count', { ...GZIP, 'cf-connecting-ip': '198.51.100.6' }), env, full)!
    expect(readersText(await pageText(again))).toBe('6')
    await (await quickPostPage(asked('/archives/qp-count', BOT), env, full))!.arrayBuffer()
    expect(full).not.toHaveBeenCalled()
    expect((await roomStats('qp-count')).views).toBe(6)
  })

  it('takes the full way without a recorded answer at this address, with an edit cookie, a query, HEAD, a conditional request or other settings', async () => {
    expect((await putPost('qp-not', { title: '不走快速路径', date: '2024-05-03' })).status).toBe(201)
    expect((await request('/archives/qp-not', { headers: BOT })).status).toBe(200)
    const full = fullWay()
    expect(quickPostPage(asked('/archives/qp-not', BOT), env, full)).not.toBeNull()
    expect(quickPostPage(asked('/archives/qp-not', { ...BOT, cookie: `ce_qp-not_1=${'a'.repeat(32)}` }), env, full)).toBeNull()
    expect(quickPostPage(asked('/archives/qp-not?replyto=1', BOT), env, full)).toBeNull()
    expect(quickPostPage(asked('/archives/qp-not', BOT, 'HEAD'), env, full)).toBeNull()
    expect(quickPostPage(asked('/archives/qp-not', { ...BOT, 'if-none-match': '"x"' }), env, full)).toBeNull()
    expect(quickPostPage(asked('/archives/qp-not', BOT), { ...env }, full)).toBeNull()
    // Comment pages and other posts were never recorded.
    expect(quickPostPage(asked('/archives/qp-not/comment-page-1', BOT), env, full)).toBeNull()
    expect(quickPostPage(asked('/archives/qp-same-other', BOT), env, full)).toBeNull()
    // A refused comment's page (with the form as the reader left it) is not recorded either.
    expect(full).not.toHaveBeenCalled()
  })

  it('hands a deleted or renamed post to the full way with what it loaded: 410 and 301, the object asked once', async () => {
    const { state, bindings } = countingRooms()
    expect((await putPost('qp-gone', { title: '将被删除', date: '2024-05-04' })).status).toBe(201)
    expect((await putPost('qp-moved', { title: '将被改名', date: '2024-05-04' })).status).toBe(201)
    for (const id of ['qp-gone', 'qp-moved']) expect((await request(`/archives/${id}`, { headers: GZIP }, bindings)).status).toBe(200)
    const auth = { authorization: `Bearer ${TOKEN}` }
    expect((await request('/api/posts/qp-gone', { method: 'DELETE', headers: auth })).status).toBe(200)
    const renamed = await request('/api/posts/qp-moved/rename', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'qp-moved-to' }),
    })
    expect(renamed.status).toBe(200)
    state.calls = 0
    const full = fullWay(bindings)
    const gone = await quickPostPage(asked('/archives/qp-gone', { ...GZIP, 'cf-connecting-ip': '192.0.2.9' }), bindings, full)!
    expect(gone.status).toBe(410)
    const moved = await quickPostPage(asked('/archives/qp-moved', { ...GZIP, 'cf-connecting-ip': '192.0.2.9' }), bindings, full)!
    expect(moved.status).toBe(301)
    expect(moved.headers.get('location')).toBe('/archives/qp-moved-to')
    expect(full).toHaveBeenCalledTimes(2)
    expect(state.calls).toBe(2)
    expect((await roomStats('qp-moved-to')).views).toBe(1)
  })

  it('gives the full way’s error answer when the post’s object fails, without calling it a second time', async () => {
    const { state, bindings } = countingRooms()
    expect((await putPost('qp-error', { title: '对象出错', date: '2024-05-05' })).status).toBe(201)
    expect((await request('/archives/qp-error', { headers: GZIP }, bindings)).status).toBe(200)
    state.failing = true
    state.calls = 0
    const full = fullWay(bindings)
    const res = await quickPostPage(asked('/archives/qp-error', GZIP), bindings, full)!
    expect(res.status).toBe(500)
    expect(await res.text()).toContain('<html')
    expect(full).toHaveBeenCalledTimes(1)
    expect(state.calls).toBe(1)
    // The full way's own answer to the same failure.
    state.calls = 0
    const direct = await request('/archives/qp-error?from=test', { headers: GZIP }, bindings)
    expect(direct.status).toBe(500)
    expect(state.calls).toBe(1)
  })
})
