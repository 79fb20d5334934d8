import { describe, expect, it } from 'vitest'
import { request, TOKEN } from './helpers'

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
