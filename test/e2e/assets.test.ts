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

  it('links the hashed names from the pages (the front page and a post)', async () => {
    const front = await (await fetch(`${base}/`)).text()
    expect(front).toContain(`href="${ASSETS['site.css']}"`)
    expect(front).toContain(`src="${ASSETS['theme.js']}"`)
    expect(front).not.toMatch(/\/assets\/(site\.css|theme\.js)\?v=/)
  })
})
