import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { putPost, request, roomStats, TOKEN, view } from '../helpers'
import { dangers, parseHtml } from '../html'
import { ASSETS } from '../../src/views/asset-manifest'
import { KATEX_COPY_TEX_JS } from '../../src/views/assets'

const BODY = `引言里有$\\alpha+\\beta$。

## 第一节

$$
\\begin{aligned}
f(x) &= \\sum_{k=0}^\\infty \\frac{x^k}{k!} \\\\
&= e^x
\\end{aligned}
$$

## 第二节

正文。

## 第三节

结尾。`

describe('a post page', () => {
  it('shows title, meta line, typeset body, heading anchors, table of contents, citation and comment form', async () => {
    await putPost('page-full', { title: '指数函数的级数', date: '2024-07-19 10:00', category: '数学研究', tags: ['级数', '分析'] }, BODY)
    const res = await view('/archives/page-full')
    expect(res.status).toBe(200)
    const html = await res.text()
    const page = parseHtml(html)
    expect(page.text(page.byClass('post-title')[0]!)).toBe('指数函数的级数')
    expect(page.text(page.byClass('post-meta')[0]!).replace(/\s+/g, ' ')).toMatch(/^By 林知远 \| 2024-07-19 \| 1位读者( |$)/)
    expect(page.byClass('katex').length).toBe(2)
    expect(page.byClass('katex-display')).toHaveLength(1)
    expect(page.byId('第一节')).not.toBeNull()
    expect(page.byClass('heading-anchor').map((a) => page.attr(a, 'href'))).toEqual(['#第一节', '#第二节', '#第三节'])
    expect(page.byId('toc')).not.toBeNull()
    expect(page.text(page.byClass('post-taxonomy')[0]!)).toContain('数学研究')

    const cite = page.byId('cite')!
    expect(page.text(cite)).toContain(
      '林知远. (Jul. 19, 2024). 《指数函数的级数》[Blog post]. Retrieved from https://blog.example/archives/page-full',
    )
    const bib = page.text(page.byClass('cite-bibtex')[0]!)
    expect(bib).toMatch(/^@online\{gongshi-page-full,/)
    expect(bib).toContain('year={2024}')
    expect(bib).toContain('month={Jul}')
    expect(bib).toContain('url={https://blog.example/archives/page-full},')

    const form = page.byId('respond')!
    expect(page.attr(form, 'method')).toBe('post')
    expect(page.attr(form, 'action')).toBe('/archives/page-full/comments#respond')
    // Math is typeset on the server: no math script (KaTeX copy-tex only rewrites a copy); the scripts are the theme's and the scroll boxes' (every page) and the
    // post's own, besides the JSON-LD data block (never run).
    const scripts = page.tags('script').filter((s) => page.attr(s, 'type') !== 'application/ld+json')
    expect(page.tags('script').length - scripts.length).toBe(1)
    expect(scripts.map((s) => page.attr(s, 'src'))).toEqual([
      ASSETS['theme.js'],
      ASSETS['scrollers.js'],
      ASSETS['cite.js'],
      ASSETS['views.js'],
      ASSETS['comments.js'],
      KATEX_COPY_TEX_JS,
    ])
    const css = page.tags('link').map((l) => page.attr(l, 'href'))
    expect(css.some((h) => /^\/assets\/katex-[\d.]+\/katex\.min\.css$/.test(h ?? ''))).toBe(true)
    expect(dangers(html, 'page')).toEqual([])
  })

  it('sends a CSP that allows only the site itself, and forbids framing', async () => {
    await putPost('page-headers', { title: 'Headers' })
    const res = await view('/archives/page-headers')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("style-src-attr 'unsafe-inline'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("base-uri 'none'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('cache-control')).toContain('private')
  })

  it('escapes the title and metadata everywhere they appear', async () => {
    await putPost('page-escape', { title: '<img src=x onerror=alert(1)> & "quotes"', author: '<b>me</b>', tags: ['<i>t</i>'] }, 'body')
    const html = await (await view('/archives/page-escape')).text()
    expect(html).not.toContain('<img src=x onerror')
    expect(html).not.toContain('<b>me</b>')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; ')
    expect(dangers(html, 'page')).toEqual([])
  })

  it('answers 404 for unknown ids and ids that are not slugs', async () => {
    for (const path of ['/archives/nope', '/archives/UPPER', '/archives/a--b', '/archives/..%2Fetc', `/archives/${'x'.repeat(101)}`]) {
      expect((await request(path)).status, path).toBe(404)
    }
  })

  it('renders a markdown-only KV record on its first request, stores it and lists it', async () => {
    await env.POSTS.put('v1:post:by-hand', '---\ntitle: 手写的文章\ndate: 2020-02-02\n---\n\n直接写进KV的$E=mc^2$。')
    const res = await view('/archives/by-hand')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('手写的文章')
    expect(html).toContain('class="katex"')
    expect(html).toContain('1位读者')
    const stored = await env.POSTS.get<{ html: string }>('v1:post:by-hand', 'json')
    expect(stored?.html).toContain('class="katex"')
    expect(await (await request('/')).text()).toContain('手写的文章')
    // The second read serves the stored HTML.
    const again = await view('/archives/by-hand', '203.0.113.9')
    expect(await again.text()).toContain('2位读者')
  })

  it('answers a markdown KV record the API would refuse (a tag with no address) as one that does not parse, and keeps it', async () => {
    const text = '---\ntitle: 点点\ntags: [..]\n---\n\n正文。'
    await env.POSTS.put('v1:post:by-hand-dots', text)
    await env.POSTS.put('v1:post:by-hand-broken', '---\ntitle: [unclosed\n---\n\n正文。')
    const refused = await view('/archives/by-hand-dots')
    const broken = await view('/archives/by-hand-broken')
    expect(refused.status).toBe(broken.status)
    expect(refused.status).toBeLessThan(500)
    expect(await env.POSTS.get('v1:post:by-hand-dots')).toBe(text)
    expect((await request('/api/posts/by-hand-dots', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404)
  })

  it('registers a rendered record whose object does not know it (object state lost)', async () => {
    await putPost('orphan-source', { title: 'Orphan', date: '2021-01-01' }, 'orphan body')
    const record = await env.POSTS.get<Record<string, unknown>>('v1:post:orphan-source', 'json')
    await env.POSTS.put('v1:post:orphan', JSON.stringify({ ...record, id: 'orphan' }))
    const res = await view('/archives/orphan')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('orphan body')
    expect((await roomStats('orphan')).views).toBe(1)
  })

  it('preloads the KaTeX delimiter and big-operator fonts the post uses, and only those', async () => {
    await putPost('size-fonts', { title: 'Sizes' }, '$$\\sum_{n=1}^\\infty \\Bigg( \\frac{1}{n^2} \\Bigg)$$\n')
    await putPost('no-size-fonts', { title: 'Plain' }, '只有 $x$ 和文字。\n')
    const head = (await (await view('/archives/size-fonts')).text()).split('</head>')[0]!
    const page = parseHtml(head)
    // A display \sum is a large operator (KaTeX_Size2); \Bigg is the largest delimiter size (KaTeX_Size4).
    const preloads = page.tags('link').filter((l) => page.attr(l, 'rel') === 'preload')
    expect(preloads.map((l) => page.attr(l, 'href')!.replace(/^.*\//, ''))).toEqual([
      'KaTeX_Size2-Regular.woff2',
      'KaTeX_Size4-Regular.woff2',
    ])
    for (const l of preloads) {
      expect(page.attr(l, 'as')).toBe('font')
      expect(page.attr(l, 'crossorigin')).toBe('')
      expect(page.attr(l, 'href')).toMatch(/^\/assets\/katex-[\d.]+\/fonts\//)
    }
    const plain = (await (await view('/archives/no-size-fonts')).text()).split('</head>')[0]!
    expect(plain).not.toContain('rel="preload"')
  })

  it('serves HEAD like GET without a body', async () => {
    await putPost('page-head', { title: 'Head' })
    const res = await exports.default.fetch(
      new Request('https://blog.example/archives/page-head', { method: 'HEAD', headers: { 'user-agent': 'Mozilla/5.0' } }),
    )
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
  })
})

describe('settings', () => {
  it('names the wrong setting instead of failing silently', async () => {
    const { default: worker } = await import('../../src/index')
    const { createExecutionContext } = await import('cloudflare:test')
    const res = await worker.fetch(new Request('https://blog.example/'), { ...env, PAGE_SIZE: 'ten' }, createExecutionContext())
    expect(res.status).toBe(500)
    expect(await res.text()).toContain('PAGE_SIZE')
  })
})

describe('the read path', () => {
  it('does no markdown or math rendering: pages are composed from stored HTML', async () => {
    const katex = (await import('katex')).default
    const { vi } = await import('vitest')
    await putPost('no-render-on-read', { title: 'Rendered once', date: '2024-09-09' }, '$$\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$$ and $x^2$.')
    await request('/api/posts/no-render-on-read/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ author: 'R', body: 'a comment with $\\alpha$' }),
    })
    const spy = vi.spyOn(katex, 'renderToString')
    try {
      for (let i = 0; i < 3; i++) expect((await view('/archives/no-render-on-read', `198.51.100.${i + 20}`)).status).toBe(200)
      expect((await request('/')).status).toBe(200)
      expect(spy).not.toHaveBeenCalled()
    } finally {
      spy.mockRestore()
    }
    // The spy does see rendering when there is some: a publish.
    const spy2 = vi.spyOn(katex, 'renderToString')
    try {
      await putPost('no-render-on-read', { title: 'Rendered once', date: '2024-09-09' }, '$y$')
      expect(spy2).toHaveBeenCalled()
    } finally {
      spy2.mockRestore()
    }
  })
})
