import { describe, expect, it } from 'vitest'
import { BROWSER_UA, eventually, putPost, request, roomStats, TOKEN } from './helpers'

describe('odd URLs', () => {
  it('answer 4xx, never 5xx', async () => {
    const paths = [
      '/archives/%',
      '/archives/%E0%A4%A',
      '/archives/%00',
      '/archives/a%2Fb',
      '/page/%FF',
      '/page/1e3',
      '/page/ 2',
      '/archives//x',
      '/category/%',
      '/category/%E0%A4%A',
      '/tag/%FF/page/2',
      '/category/x/page/1e3',
      '/api/posts/%',
      '/api/posts/%E0%A4%A/comments',
      '/archives/x/comments/abc',
    ]
    for (const path of paths) {
      const res = await request(path)
      expect(res.status, path).toBeGreaterThanOrEqual(400)
      expect(res.status, path).toBeLessThan(500)
    }
    // The archive's address with a slash is the archive (a link from the old engine's layout).
    const archive = await request('/archives/', { redirect: 'manual' })
    expect(archive.status).toBe(301)
    expect(archive.headers.get('location')).toBe('/archives')
    const put = await request('/api/posts/%E0%A4%A', {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown' },
      body: '---\ntitle: x\n---\n',
    })
    expect(put.status).toBe(400)
  })
})

describe("a method a reader's address does not take", () => {
  const read = (res: Response) => ({ status: res.status, allow: res.headers.get('allow') })

  it('answers 405 with Allow on an address that exists, 404 on one that does not, and counts no view', async () => {
    expect((await putPost('method-post', { title: 'Methods' })).status).toBe(201)
    expect((await putPost('method-page', { title: 'A page', type: 'page' })).status).toBe(201)
    expect((await putPost('method-gone', { title: 'Gone' })).status).toBe(201)
    expect((await request('/api/posts/method-gone', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
    // The page's short address (/method-page, a 301) is in the snapshot once it is written.
    await eventually(async () => expect((await request('/method-page', { redirect: 'manual' })).status).toBe(301))
    const before = (await roomStats('method-post')).views

    const cases: [method: string, path: string, allow: string | null][] = [
      ['PUT', '/archives/method-post', 'GET, HEAD'],
      ['DELETE', '/archives/method-post', 'GET, HEAD'],
      ['POST', '/archives/method-post', 'GET, HEAD'],
      ['DELETE', '/', 'GET, HEAD'],
      ['POST', '/', 'GET, HEAD'],
      ['PUT', '/method-page', 'GET, HEAD'],
      ['PUT', '/archives', 'GET, HEAD'],
      ['PATCH', '/feed', 'GET, HEAD'],
      ['DELETE', '/archives/method-post/cite.bib', 'GET, HEAD'],
      ['OPTIONS', '/search?q=x', 'GET, HEAD'],
      // A deleted post's address answers 410 to a GET: it is there, gone.
      ['PUT', '/archives/method-gone', 'GET, HEAD'],
      // Where a form posts, POST is allowed too.
      ['PUT', '/archives/method-post/comments', 'GET, HEAD, POST'],
      ['DELETE', '/comments/unsubscribe', 'GET, HEAD, POST'],
      // Addresses that do not exist stay 404.
      ['PUT', '/archives/no-such-post', null],
      ['DELETE', '/no-such-address', null],
      ['PUT', '/page/999', null],
      ['POST', '/archives/method-post/cite.pdf', null],
    ]
    for (const [method, path, allow] of cases) {
      const res = await request(path, {
        method,
        headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': '203.0.113.77', 'content-type': 'text/plain' },
        body: method === 'OPTIONS' ? undefined : 'x',
      })
      expect(read(res), `${method} ${path}`).toEqual(allow === null ? { status: 404, allow: null } : { status: 405, allow })
      const html = await res.text()
      if (allow !== null) expect(html, `${method} ${path}`).toContain(`这个地址只接受 ${allow.replaceAll(', ', '、')} 请求。`)
    }
    // The address was looked at with a HEAD: no reader's view.
    expect((await roomStats('method-post')).views).toBe(before)
    // GET and HEAD are as before; the API keeps its own JSON 404 and 405.
    expect((await request('/archives/method-post')).status).toBe(200)
    expect((await request('/archives/method-post', { method: 'HEAD' })).status).toBe(200)
    expect((await request('/api/no-such-route', { method: 'PUT' })).headers.get('content-type')).toContain('application/json')
    const api = await request('/api/posts', { method: 'PATCH' })
    expect(read(api)).toEqual({ status: 405, allow: 'GET, POST' })
  })
})
