import { readFileSync } from 'node:fs'
import { describe, expect, inject, it } from 'vitest'
import { ASSETS } from '../../src/views/asset-manifest'

const base = inject('baseUrl')

describe('static assets: content-hashed names, cached for a year', () => {
  it('serves every file of the manifest with its source bytes and an immutable cache policy', async () => {
    const files = Object.entries(ASSETS)
    expect(files.length).toBeGreaterThanOrEqual(6)
    for (const [file, url] of files) {
      expect(url).toMatch(/^\/assets\/h\/[a-z0-9-]+\.[0-9a-f]{10}\.(css|js)$/)
      const res = await fetch(base + url)
      expect(res.status, url).toBe(200)
      expect(res.headers.get('cache-control'), url).toBe('public, max-age=31536000, immutable')
      expect(res.headers.get('content-type'), url).toMatch(file.endsWith('.css') ? /^text\/css/ : /javascript/)
      expect(await res.text(), url).toBe(readFileSync(`public/assets/${file}`, 'utf8'))
    }
  })

  it('answers another method on a static file with 405 and Allow: GET, HEAD (public/_headers), as the Worker answers its own addresses', async () => {
    // (The platform answers these before the Worker runs; a file that does not exist is the Worker's 404.)
    for (const url of [ASSETS['site.css'], ASSETS['comments.js'], '/assets/site.css', '/favicon.ico']) {
      for (const method of ['PUT', 'POST', 'DELETE']) {
        const res = await fetch(base + url, { method })
        expect(res.status, `${method} ${url}`).toBe(405)
        expect(res.headers.get('allow'), `${method} ${url}`).toBe('GET, HEAD')
      }
    }
    expect((await fetch(`${base}/assets/h/no-such-file.0000000000.css`, { method: 'PUT', body: 'x' })).status).toBe(404)
    // The Worker's own addresses say the same.
    const page = await fetch(`${base}/`, { method: 'PUT', body: 'x' })
    expect(page.status).toBe(405)
    expect(page.headers.get('allow')).toBe('GET, HEAD')
  })

  it('links the hashed names from the pages (the front page and a post)', async () => {
    const front = await (await fetch(`${base}/`)).text()
    expect(front).toContain(`href="${ASSETS['site.css']}"`)
    expect(front).toContain(`src="${ASSETS['theme.js']}"`)
    expect(front).not.toMatch(/\/assets\/(site\.css|theme\.js)\?v=/)
  })

  it('has an icon at the addresses browsers and feed readers ask for unprompted', async () => {
    expect(await (await fetch(`${base}/`)).text()).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>')
    const svg = await fetch(`${base}/favicon.svg`)
    expect(svg.status).toBe(200)
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
    const ico = await fetch(`${base}/favicon.ico`)
    expect(ico.status).toBe(200)
    const bytes = new Uint8Array(await ico.arrayBuffer())
    // An ICO header (reserved 0, type 1) and at least one image.
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0, 1, 0])
    expect(bytes[4]).toBeGreaterThan(0)
  })
})
