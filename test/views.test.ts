import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { BROWSER_UA, putPost, request, roomStats, view } from './helpers'
import { rateLimitScope } from '../src/lib/views'

describe('reader counts', () => {
  it('counts a full GET by a reader, and the page shows the count including that view', async () => {
    await putPost('count-basic', { title: 'Count me' })
    const a = await view('/archives/count-basic', '192.0.2.1')
    expect(await a.text()).toContain('1位读者')
    const b = await view('/archives/count-basic', '192.0.2.2')
    expect(await b.text()).toContain('2位读者')
    expect((await roomStats('count-basic')).views).toBe(2)
  })

  it('does not count HEAD, requests without a user agent, bots, previews or prefetches', async () => {
    await putPost('count-excluded', { title: 'Excluded' })
    const head = await exports.default.fetch(
      new Request('https://blog.example/archives/count-excluded', { method: 'HEAD', headers: { 'user-agent': BROWSER_UA } }),
    )
    expect(head.status).toBe(200)
    expect((await request('/archives/count-excluded')).status).toBe(200)
    const agents = [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (compatible; bingbot/2.0)',
      'Baiduspider+(+http://www.baidu.com/search/spider.htm)',
      'facebookexternalhit/1.1',
      'Slackbot-LinkExpanding 1.0',
      'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 HeadlessChrome/120.0',
      'curl/8.5.0',
      'python-requests/2.31',
      'Twitterbot/1.0',
      'Mozilla/5.0 (compatible; YandexBot/3.0)',
      'some crawler 1.0',
    ]
    for (const ua of agents) {
      const res = await request('/archives/count-excluded', { headers: { 'user-agent': ua } })
      expect(res.status, ua).toBe(200)
    }
    for (const headers of <Record<string, string>[]>[
      { purpose: 'prefetch' },
      { 'sec-purpose': 'prefetch' },
      { 'sec-purpose': 'prefetch;prerender' },
      { 'x-moz': 'prefetch' },
    ]) {
      expect((await view('/archives/count-excluded', '192.0.2.3', headers)).status).toBe(200)
    }
    expect((await roomStats('count-excluded')).views).toBe(0)
    // A real reader still counts, and the page says so.
    expect(await (await view('/archives/count-excluded')).text()).toContain('1位读者')
  })

  it('does not count list pages, the comments API or missing posts', async () => {
    await putPost('count-other', { title: 'Other pages' })
    await view('/')
    await view('/api/posts/count-other/comments')
    await view('/archives/count-missing')
    expect((await roomStats('count-other')).views).toBe(0)
    expect((await roomStats('count-missing')).views).toBe(0)
  })

  it('adds exactly 1,000 for 1,000 concurrent views by distinct readers', async () => {
    await putPost('count-burst', { title: 'Burst' })
    const before = (await roomStats('count-burst')).views
    const responses = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => view('/archives/count-burst', `10.${(i >> 8) & 255}.${i & 255}.7`)),
    )
    expect(responses.every((r) => r.status === 200)).toBe(true)
    const shown = await Promise.all(responses.map(async (r) => Number(/(\d+)位读者/.exec(await r.text())?.[1])))
    // Every page showed a distinct count: each view was recorded by the call that returned it.
    expect(new Set(shown).size).toBe(1000)
    expect(Math.max(...shown)).toBe(before + 1000)
    expect((await roomStats('count-burst')).views).toBe(before + 1000)
  })
})

describe('rateLimitScope', () => {
  it('keeps an IPv4 address whole and cuts an IPv6 one to its /64, however it is written', () => {
    expect(rateLimitScope('203.0.113.9')).toBe('203.0.113.9')
    expect(rateLimitScope('2001:db8:aa:1::1')).toBe('2001:db8:aa:1::/64')
    expect(rateLimitScope('2001:0DB8:00aa:0001:ffff:0:0:2')).toBe('2001:db8:aa:1::/64')
    expect(rateLimitScope('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(rateLimitScope('::1')).toBe('0:0:0:0::/64')
    expect(rateLimitScope('::ffff:192.0.2.1')).toBe('192.0.2.1')
    // Not an address: as it is (the limit still applies to exactly that string).
    for (const odd of ['', 'unknown', '1:2:3', '1::2::3', 'g::1']) expect(rateLimitScope(odd)).toBe(odd)
  })
})
