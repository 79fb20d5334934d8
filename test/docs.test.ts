/**
 * The docs match the code: every route the Worker answers is named in README.md or docs/, every npm
 * script, binding and setting (wrangler.toml's [vars], src/config.ts's variables) in README.md.
 */
import { describe, expect, it } from 'vitest'
import readme from '../README.md?raw'
import apiDoc from '../docs/API.md?raw'
import architecture from '../docs/ARCHITECTURE.md?raw'
import reliability from '../docs/RELIABILITY.md?raw'
import theme from '../docs/THEME.md?raw'
import wranglerToml from '../wrangler.toml?raw'
import packageJson from '../package.json'
import configSource from '../src/config.ts?raw'
import api from '../src/routes/api'
import { adminRoutes } from '../src/routes/admin'
import feeds from '../src/routes/feeds'
import media from '../src/routes/media'
import pages from '../src/routes/pages'
import preview from '../src/routes/preview'
import redirects from '../src/routes/redirects'
import search from '../src/routes/search'

/** `:id{[a-z]+}`, `:cid` → `:_`: the docs name a route's parameters as they like. */
const shape = (path: string) => path.replace(/:[A-Za-z_]+(?:\{[^}]*\})?/g, ':_')

const docs = shape([readme, apiDoc, architecture, reliability, theme].join('\n'))

/** Routes the docs name in another form (a suffix, a file name, a pattern of the parameter). */
const WRITTEN_AS: Record<string, string> = {
  'GET /archives/:_/:_': '/archives/:id/comment-page-:n',
  'GET /category/:_/feed/atom': '`/category/:slug/feed`, `/tag/:slug/feed` (+ `/atom`)',
  'GET /tag/:_/feed/atom': '`/category/:slug/feed`, `/tag/:slug/feed` (+ `/atom`)',
  'GET /avatars/:_': '/avatars/:key.svg',
  'GET /search/:_': '/search/:keyword/',
}

describe('the docs match the code', () => {
  it('names every route the Worker answers (method and path) in README.md or docs/', () => {
    const routers: [prefix: string, routes: { path: string; method: string }[]][] = [
      ['/api', api.routes],
      ['/admin', adminRoutes(() => Promise.resolve(new Response())).routes],
      ['', [...media.routes, ...redirects.routes, ...search.routes, ...preview.routes, ...feeds.routes, ...pages.routes]],
    ]
    const missing = new Set<string>()
    let checked = 0
    for (const [prefix, routes] of routers) {
      for (const { path, method } of routes) {
        // Middleware (`use`) and catch-alls are not routes of their own.
        if (method === 'ALL' || path.includes('*')) continue
        const full = shape(`${prefix}${path === '/' && prefix ? '' : path}`)
        checked++
        const written = WRITTEN_AS[`${method} ${full}`]
        // A route that changes something is named with its method (`POST /api/…`); a page by its path.
        const form = method === 'GET' ? full : `${method} ${full}`
        const named =
          written !== undefined ? docs.includes(shape(written)) : [`\``, '?', ' ', '|'].some((end) => docs.includes(`${form}${end}`))
        if (!named) missing.add(`${method} ${full}`)
      }
    }
    expect(checked).toBeGreaterThan(80)
    expect([...missing]).toEqual([])
  })

  it('names every npm script in README.md', () => {
    const scripts = Object.keys(packageJson.scripts)
    expect(scripts.length).toBeGreaterThan(20)
    expect(scripts.filter((name) => !readme.includes(`npm run ${name}`) && !readme.includes(`npm ${name}`))).toEqual([])
  })

  it("names every setting of wrangler.toml's [vars] and of src/config.ts in README.md", () => {
    const vars = /\[vars\]\n([^]*?)(?:\n\[|$)/.exec(wranglerToml)![1]!
    const tomlKeys = [...vars.matchAll(/^([A-Z][A-Z0-9_]+)\s*=/gm)].map((m) => m[1]!)
    const configKeys = [...configSource.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):/gm)].map((m) => m[1]!)
    expect(tomlKeys.length).toBeGreaterThan(20)
    expect(configKeys.length).toBeGreaterThan(20)
    expect([...new Set([...tomlKeys, ...configKeys])].filter((k) => !readme.includes(`\`${k}\``))).toEqual([])
  })

  it('names every binding of wrangler.toml (KV, Durable Objects, assets, the optional bucket) in README.md', () => {
    const bindings = [...wranglerToml.matchAll(/^#?\s*(?:binding|name)\s*=\s*"([A-Z][A-Z0-9_]+)"/gm)].map((m) => m[1]!)
    expect(bindings).toEqual(expect.arrayContaining(['POSTS', 'SITE', 'POST_ROOM', 'MEDIA_BUCKET']))
    expect(bindings.filter((b) => !readme.includes(`\`${b}\``))).toEqual([])
  })
})
