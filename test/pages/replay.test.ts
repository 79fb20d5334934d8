import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../../src/app-env'
import type { SiteSnapshot } from '../../src/model'
import { recordedAnswers, recordReplayable, replay } from '../../src/lib/replay'
import { forgetSnapshot } from '../../src/storage/read-model'
import { BROWSER_UA, eventually, markdownPost, ORIGIN, request, TOKEN } from '../helpers'

// The isolate keeps pages only with LIST_CACHE_SECONDS on (the other tests run with it off).
const keeping = { ...env, LIST_CACHE_SECONDS: '30' }
const send = (path: string, init: RequestInit = {}, bindings: Cloudflare.Env = keeping) => request(path, init, bindings)

const put = (id: string, title: string, bindings: Cloudflare.Env = keeping) =>
  send(
    `/api/posts/${id}`,
    {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown; charset=utf-8' },
      body: markdownPost({ title, date: '2024-03-01', category: '重放', tags: ['回放'] }, `关于 $e^{i\\pi}+1=0$ 的${title}。`),
    },
    bindings,
  )

const GZIP = { 'user-agent': BROWSER_UA, 'accept-encoding': 'gzip, deflate, br, zstd' }
const PLAIN = { 'user-agent': BROWSER_UA }

const headerLines = (res: Response) => {
  const lines: string[] = []
  res.headers.forEach((value, name) => lines.push(`${name}: ${value}`))
  return lines.sort()
}
const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer())
const asked = (path: string, headers: Record<string, string> = {}, method = 'GET') => new Request(`${ORIGIN}${path}`, { method, headers })

describe('a hot kept page answered before the router', () => {
  it('is exactly the answer the app gave: status, every header, the bytes, for each encoding', async () => {
    expect((await put('rp-1', '第一篇')).status).toBe(201)
    const q = encodeURIComponent('第一篇')
    const paths = [
      '/',
      '/category/%E9%87%8D%E6%94%BE',
      '/tag/%E5%9B%9E%E6%94%BE',
      '/tags',
      '/archives',
      '/feed',
      '/feed/atom',
      `/search?q=${q}`,
    ]
    for (const path of paths) {
      for (const headers of [GZIP, PLAIN]) {
        // The snapshot read again (the same text, so the same object): this request takes the app's full way.
        forgetSnapshot()
        const full = await send(path, { headers })
        expect(full.status, path).toBe(200)
        const fast = replay(asked(path, headers), keeping)
        expect(fast, `${path} replayed`).not.toBeNull()
        expect(fast!.status).toBe(200)
        expect(headerLines(fast!), path).toEqual(headerLines(full))
        expect(await bytes(fast!), path).toEqual(await bytes(full))
        expect(fast!.headers.get('content-encoding'), path).toBe(headers === GZIP ? 'gzip' : null)
        expect(fast!.headers.get('content-security-policy'), path).toContain("default-src 'self'")
        // And through the Worker's own entry: the same again.
        const again = await send(path, { headers })
        expect(headerLines(again), path).toEqual(headerLines(full))
      }
    }
  })

  it('takes the full way for conditional requests, HEAD, other settings, and after a write through this isolate', async () => {
    expect((await put('rp-2', '第二篇')).status).toBe(201)
    const full = await send('/', { headers: GZIP })
    const etag = full.headers.get('etag')!
    expect(replay(asked('/', GZIP), keeping)).not.toBeNull()
    expect(replay(asked('/', { ...GZIP, 'if-none-match': etag }), keeping)).toBeNull()
    expect((await send('/', { headers: { ...GZIP, 'if-none-match': etag } })).status).toBe(304)
    expect(replay(asked('/', { ...GZIP, 'if-modified-since': full.headers.get('last-modified')! }), keeping)).toBeNull()
    expect(replay(asked('/', GZIP, 'HEAD'), keeping)).toBeNull()
    expect(replay(asked('/', GZIP), { ...keeping })).toBeNull()
    // Another page, or the same page at another address, was never answered: nothing to replay.
    expect(replay(asked('/?from=feed', GZIP), keeping)).toBeNull()
    // A publish through this isolate forgets its snapshot: the next reader gets the new front page.
    expect((await put('rp-3', '第三篇')).status).toBe(201)
    expect(replay(asked('/', GZIP), keeping)).toBeNull()
    const after = await send('/', { headers: PLAIN })
    expect(await after.text()).toContain('第三篇')
    expect(after.headers.get('etag')).not.toBe(etag)
  })

  it('stops when the isolate’s copy of the snapshot is too old, and then shows a change made elsewhere', async () => {
    const short = { ...env, LIST_CACHE_SECONDS: '1' }
    expect((await put('rp-4', '第四篇', short)).status).toBe(201)
    const before = await send('/', { headers: PLAIN }, short)
    expect(replay(asked('/', PLAIN), short)).not.toBeNull()
    const snapshot = (await env.POSTS.get<SiteSnapshot>('v1:site', 'json'))!
    // Another isolate's write (straight into KV): this isolate's copy, and the replay, stand for LIST_CACHE_SECONDS.
    await env.POSTS.put(
      'v1:site',
      JSON.stringify({ ...snapshot, generatedAt: snapshot.generatedAt + 1, popular: [{ id: 'rp-4', title: '别处改过', views: 9 }] }),
    )
    expect(await replay(asked('/', PLAIN), short)!.text()).toBe(await before.text())
    await eventually(async () => {
      expect(replay(asked('/', PLAIN), short)).toBeNull()
    })
    expect(await (await send('/', { headers: PLAIN }, short)).text()).toContain('别处改过')
  })
})

describe('recording answers', () => {
  const app = new Hono<AppEnv>()
  app.use(recordReplayable)
  // Held here: a recorded answer holds its page weakly.
  const page = { body: new TextEncoder().encode('kept') }
  app.get('/unit', (c) => {
    let current = c.req.query('current') !== 'no'
    c.set('replay', { accepts: false, page, gzip: false, isCurrent: () => current })
    if (c.req.query('cookie')) c.header('Set-Cookie', 'session=1')
    if (c.req.query('status')) return c.text('made', 203)
    if (c.req.query('later')) current = false
    return c.text('kept')
  })
  const bindings = { unit: true }
  const at = (query: string) => `${ORIGIN}/unit?${query}`

  it('records a marked 200 without Set-Cookie, and forgets it once it is no longer current', async () => {
    await app.request(at('a=1'), {}, bindings)
    const hit = replay(new Request(at('a=1')), bindings)
    expect(await hit?.text()).toBe('kept')
    expect(hit?.headers.get('content-type')).toMatch(/^text\/plain; ?charset=UTF-8$/)
    await app.request(at('cookie=1'), {}, bindings)
    expect(replay(new Request(at('cookie=1')), bindings)).toBeNull()
    await app.request(at('status=1'), {}, bindings)
    expect(replay(new Request(at('status=1')), bindings)).toBeNull()
    await app.request(at('later=1'), {}, bindings)
    const count = recordedAnswers()
    expect(replay(new Request(at('later=1')), bindings)).toBeNull()
    expect(recordedAnswers()).toBe(count - 1)
  })

  it('keeps answers for at most 256 addresses, the oldest going first', async () => {
    for (let i = 0; i < 300; i++) await app.request(at(`n=${i}`), {}, bindings)
    expect(recordedAnswers()).toBeLessThanOrEqual(256)
    expect(replay(new Request(at('n=0')), bindings)).toBeNull()
    expect(replay(new Request(at('n=299')), bindings)).not.toBeNull()
  })
})
