import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { SiteSnapshot } from '../../src/model'
import { siteConfig } from '../../src/config'
import { edgeKey } from '../../src/lib/edge-cache'
import { keepRenderedPage, partEtag, renderedPage } from '../../src/lib/list-cache'
import { siteFeedIdentity } from '../../src/routes/feeds'
import { forgetSnapshot, listPageIdentity, peekSnapshot } from '../../src/storage/read-model'
import { KV_KEYS } from '../../src/storage/keys'
import { BROWSER_UA, eventually, markdownPost, ORIGIN, putPost, request, TOKEN, view } from '../helpers'

// The isolate cache on, as deployed (LIST_CACHE_SECONDS); the other tests run with it off.
const cachedEnv = { ...env, LIST_CACHE_SECONDS: '30' }

const send = (path: string, init: RequestInit = {}) => request(path, init, cachedEnv)

const put = (id: string, title: string, body = '正文。') =>
  send(`/api/posts/${id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown; charset=utf-8' },
    body: markdownPost({ title, date: '2024-01-01', category: '缓存' }, body),
  })

describe('list pages with the isolate cache', () => {
  it('send a validator and answer 304 to a reader who has the page', async () => {
    expect((await put('lc-1', 'First')).status).toBe(201)
    const first = await send('/')
    expect(first.status).toBe(200)
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^W\/".+"$/)
    expect(first.headers.get('last-modified')).toMatch(/GMT$/)
    expect(first.headers.get('cache-control')).toBe('no-cache')
    const again = await send('/', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect(again.headers.get('etag')).toBe(etag)
    const other = await send('/', { headers: { 'if-none-match': 'W/"something-else"' } })
    expect(other.status).toBe(200)
    expect(await other.text()).toBe(await first.text())
    for (const path of ['/category/%E7%BC%93%E5%AD%98', '/categories', '/tags', '/archives', '/popular']) {
      const res = await send(path)
      expect(res.status, path).toBe(200)
      expect((await send(path, { headers: { 'if-none-match': res.headers.get('etag')! } })).status, path).toBe(304)
    }
  })

  it('show a post published through this isolate at once, with a new validator', async () => {
    const before = await send('/')
    expect((await put('lc-2', 'Second')).status).toBe(201)
    const after = await send('/', { headers: { 'if-none-match': before.headers.get('etag')! } })
    expect(after.status).toBe(200)
    expect(await after.text()).toContain('Second')
  })

  it('reuse the snapshot for a while: a change made elsewhere shows once the copy has expired', async () => {
    await send('/')
    const snapshot = (await env.POSTS.get<SiteSnapshot>('v1:site', 'json'))!
    // Another isolate's write (here straight into KV): this isolate keeps its copy for LIST_CACHE_SECONDS.
    await env.POSTS.put(
      'v1:site',
      JSON.stringify({
        ...snapshot,
        generatedAt: snapshot.generatedAt + 1,
        popular: [{ id: 'lc-1', title: 'Changed elsewhere', views: 7 }],
      }),
    )
    expect(await (await send('/')).text()).not.toContain('Changed elsewhere')
    // With the cache off (the tests' setting), every page reads KV.
    const fresh = await request('/')
    expect(await fresh.text()).toContain('Changed elsewhere')
  })
})

describe('a kept page made again for a newer snapshot', () => {
  it('is made by the first request that asks; the others get the one it replaces until then, or once that request has been gone a second', () => {
    const [a, b, c] = [{}, {}, {}]
    keepRenderedPage('herd-unit', [a], 'page of a')
    expect(renderedPage('herd-unit', [a])?.current).toBe(true)
    // The first request with newer sources misses (and makes the page)...
    expect(renderedPage('herd-unit', [b])).toBeNull()
    // ...the next ones get the page of a meanwhile, except a request trying again.
    const stale = renderedPage('herd-unit', [b])
    expect(stale?.current).toBe(false)
    expect(stale?.page.sources).toEqual([a])
    expect(new TextDecoder().decode(stale!.page.body)).toBe('page of a')
    expect(renderedPage('herd-unit', [b], false)).toBeNull()
    keepRenderedPage('herd-unit', [b], 'page of b')
    expect(renderedPage('herd-unit', [b])?.current).toBe(true)
    // A request that started making it and was then cancelled: after a second another one does.
    expect(renderedPage('herd-unit', [c])).toBeNull()
    renderedPage('herd-unit', [c])!.page.remaking = Date.now() - 1500
    expect(renderedPage('herd-unit', [c])).toBeNull()
    expect(renderedPage('herd-unit', [c])?.current).toBe(false)
  })

  it('sends the front page of the snapshot before, with that snapshot’s validators, while another request makes the new one', async () => {
    expect((await put('herd-1', 'Herd one')).status).toBe(201)
    const before = await send('/')
    const oldTag = before.headers.get('etag')!
    const oldPage = await before.text()
    expect((await put('herd-2', 'Herd two')).status).toBe(201)
    // Another request of this isolate has just started making the front page for the new snapshot.
    expect(renderedPage(`${ORIGIN}/`, [{}])).toBeNull()
    const meanwhile = await send('/')
    expect(meanwhile.status).toBe(200)
    expect(meanwhile.headers.get('etag')).toBe(oldTag)
    expect(await meanwhile.text()).toBe(oldPage)
    // A reader who has that page keeps it (304), one who has neither gets it.
    const kept = await send('/', { headers: { 'if-none-match': oldTag } })
    expect(kept.status).toBe(304)
    expect(kept.headers.get('etag')).toBe(oldTag)
    // That request never finished: a second later this one makes the page itself.
    renderedPage(`${ORIGIN}/`, [{}])!.page.remaking = Date.now() - 1500
    const after = await send('/')
    expect(after.headers.get('etag')).not.toBe(oldTag)
    expect(await after.text()).toContain('Herd two')
  })
})

describe('search with the isolate cache', () => {
  it('answers a repeated query from the isolate and sees a post published through it', async () => {
    const q = `/search?q=${encodeURIComponent('缓存测试')}`
    const first = await (await send(q)).text()
    expect(first).not.toContain('/archives/lc-search')
    expect(await (await send(q)).text()).toBe(first)
    expect((await put('lc-search', '缓存测试的文章', '这篇讲缓存测试。')).status).toBe(201)
    // The index's pointer follows a publish within about a second, and the isolate's copy of it within
    // LIST_CACHE_SECONDS (here 1).
    const shortEnv = { ...env, LIST_CACHE_SECONDS: '1' }
    await eventually(async () => {
      const res = await request(q, {}, shortEnv)
      expect(await res.text()).toContain('/archives/lc-search')
    })
  })
})

describe('post pages with the isolate cache', () => {
  it('fill the kept page per reader: their own count, trend line and form fields', async () => {
    expect((await put('lc-tpl', 'Template')).status).toBe(201)
    const comment = await send('/api/posts/lc-tpl/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Text that looks like a slot stays text.
      body: JSON.stringify({ author: '读者', body: 'marks \uE000V\uE000 and \uE000K\uE000 stay' }),
    })
    expect(comment.status).toBe(201)
    const pages = []
    for (let i = 1; i <= 3; i++) {
      pages.push(
        await (
          await send('/archives/lc-tpl', { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': `198.51.100.${40 + i}` } })
        ).text(),
      )
    }
    expect(pages.map((p) => /(\d+)位读者/.exec(p)?.[1])).toEqual(['1', '2', '3'])
    const keys = pages.map((p) => /name="key" value="([^"]+)"/.exec(p)?.[1])
    expect(new Set(keys).size).toBe(3)
    for (const p of pages) {
      expect(p).toMatch(/name="ts" value="\d{13}\.[A-Za-z0-9_-]{32}"/)
      expect(p).toContain('marks \uE000V\uE000 and \uE000K\uE000 stay')
      expect(p).toContain('class="sparkline"')
    }
  })

  it('keep a record while its revision stands and read the new one after an edit', async () => {
    const view = (ip: string) => send('/archives/lc-1', { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': ip } })
    expect(await (await view('198.51.100.1')).text()).toContain('正文。')
    expect((await put('lc-1', 'First', '改过的正文。')).status).toBe(200)
    const edited = await (await view('198.51.100.2')).text()
    expect(edited).toContain('改过的正文。')
    expect(edited).not.toContain('<p>正文。</p>')
    // Counting is untouched by the cache: each distinct reader counts.
    expect(edited).toMatch(/2位读者/)
  })
})

describe('list pages and feeds through the location cache (EDGE_CACHE_SECONDS)', () => {
  // The tests' own setting: no isolate copies (LIST_CACHE_SECONDS 0), the location cache at its default.
  const plain = (path: string, overrides: Record<string, string> = {}) => request(path, {}, { ...env, ...overrides })
  const cache = () => (caches as unknown as { default: Cache }).default
  const planted = (body: string, type: string, etag?: string) =>
    new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=60', ...(etag ? { etag } : {}) } })

  it('answer a list page from another isolate’s rendering of the same snapshot, never from an older one', async () => {
    expect((await put('ec-1', 'Edge one')).status).toBe(201)
    const first = await plain('/')
    const html = await first.text()
    expect(html).toContain('Edge one')
    const key = edgeKey(ORIGIN, '/', first.headers.get('etag')!)
    expect(await (await cache().match(key))?.text()).toBe(html)
    // What the location holds under the snapshot's key is what the next isolate sends.
    await cache().put(key, planted('<p>rendered by another isolate</p>', 'text/html; charset=UTF-8'))
    expect(await (await plain('/')).text()).toBe('<p>rendered by another isolate</p>')
    expect(await (await plain('/', { EDGE_CACHE_SECONDS: '0' })).text()).toContain('Edge one')
    // A publish writes a new snapshot: a new key, so the new post shows at once.
    expect((await put('ec-2', 'Edge two')).status).toBe(201)
    const after = await (await plain('/')).text()
    expect(after).toContain('Edge two')
    expect(after).not.toContain('rendered by another isolate')
  })

  it('keeps feeds with their validators', async () => {
    const first = await plain('/feed')
    expect(first.status).toBe(200)
    const snapshot = (await env.POSTS.get<SiteSnapshot>('v1:site', 'json'))!
    const config = siteConfig(env)
    const key = edgeKey(ORIGIN, '/feed', await partEtag(config, siteFeedIdentity(config, snapshot)))
    const stored = await cache().match(key)
    expect(stored?.headers.get('etag')).toBe(first.headers.get('etag'))
    expect(await stored?.text()).toBe(await first.text())
    await cache().put(key, planted('<rss>another isolate</rss>', 'application/rss+xml; charset=utf-8', '"planted"'))
    const again = await plain('/feed')
    expect(await again.text()).toBe('<rss>another isolate</rss>')
    expect(again.headers.get('etag')).toBe('"planted"')
    // Made again once the location has nothing: the same validator as the body it stored.
    await cache().delete(key)
    expect((await plain('/feed')).headers.get('etag')).toBe(first.headers.get('etag'))
  })
})

describe('feeds kept while the posts they show are unchanged', () => {
  // A record and its feed item changed behind the Site object's back (straight into KV) show only
  // in a feed made again: a kept feed still has the old title.
  const retitle = async (id: string, title: string) => {
    for (const key of [KV_KEYS.post(id), KV_KEYS.feedItem(id)]) {
      const value = (await env.POSTS.get<{ title: string }>(key, 'json'))!
      await env.POSTS.put(key, JSON.stringify({ ...value, title }))
    }
  }

  it('name a list page by its place and the chunks it spans, not by the rest of the snapshot', () => {
    const list = { total: 25, chunkSize: 10, chunks: ['c0', 'c1', 'c2'] }
    // The newest ten of 25 are ordinals 15–24: chunks 1 and 2.
    expect(listPageIdentity(list, 1, 10)).toBe('1/10/25:c1,c2')
    expect(listPageIdentity({ ...list, chunks: ['c0-edited', 'c1', 'c2'] }, 1, 10)).toBe('1/10/25:c1,c2')
    expect(listPageIdentity({ ...list, chunks: ['c0', 'c1', 'c2-new'] }, 1, 10)).not.toBe('1/10/25:c1,c2')
    expect(listPageIdentity(list, 1, 5)).toBe('1/5/25:c2')
    expect(listPageIdentity(list, 4, 10)).toBe('4/10/25:none')
    expect(listPageIdentity({ total: 0, chunkSize: 10, chunks: [] }, 1, 10)).toBe('1/10/0:')
  })

  it.each([
    ['the isolate’s copy', { LIST_CACHE_SECONDS: '30', EDGE_CACHE_SECONDS: '0' }],
    ['the location cache', { LIST_CACHE_SECONDS: '0' }],
  ])('are not made again when only a count changes (%s), and are when a post is published', async (_, overrides) => {
    const bindings = { ...env, ...overrides }
    const feed = () => request('/feed', {}, bindings)
    const id = `fk-${overrides.LIST_CACHE_SECONDS}`
    expect((await putPost(id, { title: `Kept ${id}`, date: '2025-06-01' })).status).toBe(201)
    const first = await feed()
    const firstText = await first.text()
    expect(firstText).toContain(`Kept ${id}`)
    await retitle(id, `Retitled ${id}`)
    // A reader's view: the snapshot is written again with the new count (its chunks unchanged).
    const generatedAt = (await env.POSTS.get<SiteSnapshot>('v1:site', 'json'))!.generatedAt
    expect((await view(`/archives/${id}`)).status).toBe(200)
    await eventually(async () => {
      const snapshot = (await env.POSTS.get<SiteSnapshot>('v1:site', 'json'))!
      expect(snapshot.counts[id]?.[0]).toBe(1)
      expect(snapshot.generatedAt).not.toBe(generatedAt)
    })
    forgetSnapshot()
    const again = await feed()
    expect(await again.text()).toBe(firstText)
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'))
    // A new post changes what the feed shows: made again (and the changed record is read).
    expect((await putPost(`${id}-new`, { title: `Newer ${id}`, date: '2025-06-02' })).status).toBe(201)
    forgetSnapshot()
    const after = await (await feed()).text()
    expect(after).toContain(`Newer ${id}`)
    expect(after).toContain(`Retitled ${id}`)
  })

  it('are made again after an edit that leaves the title and excerpt as they were', async () => {
    const bindings = { ...env, LIST_CACHE_SECONDS: '30', EDGE_CACHE_SECONDS: '0' }
    const feed = async () => (await request('/feed', {}, bindings)).text()
    const fields = { title: 'Edited below the fold', date: '2025-07-01' }
    const body = (words: string) => `The excerpt stays.\n\n<!--more-->\n\nFurther down: ${words}.`
    expect((await putPost('fk-fold', fields, body('first words'))).status).toBe(201)
    expect(await feed()).toContain('first words')
    expect((await putPost('fk-fold', fields, body('second words'))).status).toBe(200)
    forgetSnapshot()
    const after = await feed()
    expect(after).toContain('second words')
    expect(after).not.toContain('first words')
  })

  it.each([
    ['the isolate’s copy', { LIST_CACHE_SECONDS: '30', EDGE_CACHE_SECONDS: '0' }],
    ['the location cache', { LIST_CACHE_SECONDS: '0' }],
  ])('made from a record older than its list entry (this location’s KV behind), are kept only briefly (%s)', async (_, overrides) => {
    const bindings = { ...env, ...overrides }
    const feed = async () => (await request('/feed', {}, bindings)).text()
    const id = `fk-lag-${overrides.LIST_CACHE_SECONDS}`
    const fields = { title: `Lagging ${id}`, date: '2025-08-01' }
    expect((await putPost(id, fields, 'Old words.')).status).toBe(201)
    const keys = [KV_KEYS.post(id), KV_KEYS.feedItem(id)]
    const read = () => Promise.all(keys.map(async (key) => (await env.POSTS.get(key, 'text'))!))
    const put = (values: string[]) => Promise.all(keys.map((key, i) => env.POSTS.put(key, values[i]!)))
    const old = await read()
    expect((await putPost(id, fields, 'New words.')).status).toBe(200)
    const current = await read()
    // The location still has the old record and feed item (KV's cache), but already the new snapshot.
    await put(old)
    forgetSnapshot()
    const lagging = await request('/feed', {}, bindings)
    expect(await lagging.text()).toContain('Old words.')
    // Not the validator of what the snapshot shows (a reader holding it would keep the old text).
    const snapshot = (await env.POSTS.get<SiteSnapshot>('v1:site', 'json'))!
    const validator = await partEtag(siteConfig(bindings), siteFeedIdentity(siteConfig(bindings), snapshot))
    expect(lagging.headers.get('etag')).toMatch(/^W\/"[0-9a-f]{32}"$/)
    expect(lagging.headers.get('etag')).not.toBe(validator)
    await put(current)
    if (overrides.LIST_CACHE_SECONDS !== '0') {
      // Kept for UNSETTLED_KEEP_MS, then made again.
      expect(await feed()).toContain('Old words.')
      const kept = renderedPage(`${ORIGIN}/feed`, [siteFeedIdentity(siteConfig(bindings), snapshot)])
      expect(kept?.page.until).toBeGreaterThan(Date.now())
      kept!.page.until = Date.now() - 1
    }
    // (The location's cache was never given it.) A reader holding the lagging text gets the new one.
    const after = await request('/feed', { headers: { 'if-none-match': lagging.headers.get('etag')! } }, bindings)
    expect(after.status).toBe(200)
    expect(after.headers.get('etag')).toBe(validator)
    const text = await after.text()
    expect(text).toContain('New words.')
    expect(text).not.toContain('Old words.')
  })

  it.each(['/feed', '/feed/atom', '/category/%E5%BC%B1%E9%AA%8C%E8%AF%81/feed'])(
    'answer a reader’s If-None-Match for what the snapshot shows from the snapshot alone: %s',
    async (path) => {
      // No isolate copy and no location cache: every request that is not answered 304 makes the body.
      const bindings = { ...env, LIST_CACHE_SECONDS: '0', EDGE_CACHE_SECONDS: '0' }
      const id = 'fk-304'
      if ((await env.POSTS.get(KV_KEYS.post(id))) === null)
        expect((await putPost(id, { title: 'Validated', date: '2025-09-01', category: '弱验证' })).status).toBe(201)
      forgetSnapshot()
      const first = await request(path, {}, bindings)
      expect(first.status).toBe(200)
      await first.arrayBuffer()
      const etag = first.headers.get('etag')!
      const snapshot = (await env.POSTS.get<SiteSnapshot>('v1:site', 'json'))!
      expect(etag).toMatch(/^W\/"p[0-9a-f]{32}-[0-9a-z]+"$/)
      if (path === '/feed') expect(etag).toBe(await partEtag(siteConfig(bindings), siteFeedIdentity(siteConfig(bindings), snapshot)))
      // The post's record and feed item are gone from this location's KV: a body made now would
      // differ (and say so).
      const keys = [KV_KEYS.post(id), KV_KEYS.feedItem(id)]
      const values = await Promise.all(keys.map(async (key) => (await env.POSTS.get(key, 'text'))!))
      await Promise.all(keys.map((key) => env.POSTS.delete(key)))
      try {
        const again = await request(path, { headers: { 'if-none-match': `"other", ${etag}` } }, bindings)
        expect(again.status).toBe(304)
        expect(again.headers.get('etag')).toBe(etag)
        expect(again.headers.get('cache-control')).toBe('public, max-age=300')
        expect(await again.text()).toBe('')
        // Without the validator the body is made, from what KV holds now.
        const made = await request(path, {}, bindings)
        expect(made.status).toBe(200)
        expect(await made.text()).not.toContain('Validated')
        expect(made.headers.get('etag')).not.toBe(etag)
      } finally {
        await Promise.all(keys.map((key, i) => env.POSTS.put(key, values[i]!)))
      }
    },
  )

  it('give each term feed its own validator, and a feed that does not exist no 304', async () => {
    const bindings = { ...env, LIST_CACHE_SECONDS: '0', EDGE_CACHE_SECONDS: '0' }
    expect((await putPost('fk-term-a', { title: 'Term A', date: '2025-09-02', category: '甲类', tags: ['乙标签'] })).status).toBe(201)
    forgetSnapshot()
    const category = await request('/category/%E7%94%B2%E7%B1%BB/feed', {}, bindings)
    const tag = await request('/tag/%E4%B9%99%E6%A0%87%E7%AD%BE/feed', {}, bindings)
    expect([category.status, tag.status]).toEqual([200, 200])
    await Promise.all([category.arrayBuffer(), tag.arrayBuffer()])
    const etag = category.headers.get('etag')!
    expect(tag.headers.get('etag')).not.toBe(etag)
    const other = await request('/tag/%E4%B9%99%E6%A0%87%E7%AD%BE/feed', { headers: { 'if-none-match': etag } }, bindings)
    expect(other.status).toBe(200)
    await other.arrayBuffer()
    for (const header of [etag, '*']) {
      const missing = await request(
        '/category/%E6%B2%A1%E6%9C%89%E8%BF%99%E7%B1%BB/feed',
        { headers: { 'if-none-match': header } },
        bindings,
      )
      expect(missing.status, header).toBe(404)
      await missing.arrayBuffer()
    }
    // `*` on a feed that exists: 304, as before.
    const any = await request('/feed', { headers: { 'if-none-match': '*' } }, bindings)
    expect(any.status).toBe(304)
  })

  it('give the sitemap the validator of what it shows, and answer it 304', async () => {
    const bindings = { ...env, LIST_CACHE_SECONDS: '0', EDGE_CACHE_SECONDS: '0' }
    const first = await request('/sitemap.xml', {}, bindings)
    await first.arrayBuffer()
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^W\/"p[0-9a-f]{32}-[0-9a-z]+"$/)
    const again = await request('/sitemap.xml', { headers: { 'if-none-match': etag } }, bindings)
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
  })
})

describe("the isolate's copy of the snapshot after a request that is not a read", () => {
  it('is kept after a refused one (a junk PUT, a refused comment) and dropped after a write', async () => {
    expect((await put('lc-keep', 'Kept copy')).status).toBe(201)
    const copy = () => peekSnapshot(cachedEnv.POSTS, 30_000)
    expect((await send('/')).status).toBe(200)
    expect(copy()).toBeTruthy()
    // Nothing was written: nothing to read again (anyone could otherwise make every isolate re-read KV).
    expect((await send('/', { method: 'PUT', body: 'x' })).status).toBe(405)
    expect((await send('/no-such-address', { method: 'DELETE' })).status).toBe(404)
    expect((await send('/api/posts/lc-keep', { method: 'DELETE' })).status).toBe(401)
    expect(copy()).toBeTruthy()
    // A write that went through is read back at once.
    expect((await put('lc-keep', 'Kept copy, edited')).status).toBe(200)
    expect(copy()).toBeUndefined()
  })
})
