import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { ORIGIN, putPost, request } from '../helpers'
import { dangers, parseHtml } from '../html'
import { siteConfig } from '../../src/config'
import { texToText } from '../../src/render/tex-text'
import { scriptJson, SocialMeta } from '../../src/views/seo'

const config = siteConfig(env)
const BREAKOUT = 'Ends </script><script>alert(1)</script> & <!-- here'

beforeAll(async () => {
  // 12 posts: the front page has a page 2 (PAGE_SIZE 10).
  for (let i = 0; i < 11; i++) {
    expect((await putPost(`s-${i}`, { title: `文章${i}`, date: `2024-01-${String(i + 1).padStart(2, '0')}` })).status).toBe(201)
  }
  const res = await putPost(
    'seo-post',
    {
      title: '均值不等式与 Softmax',
      date: '2024-03-12 21:30',
      updated: '2024-04-01 08:00',
      category: '物理',
      tags: ['不等式', 'softmax'],
    },
    '我们知道$\\frac{a+b}{2} \\ge \\sqrt{ab}$，以及$e^{i\\pi}+1=0$。\n\n## 第二节\n\n更多内容。',
  )
  expect(res.status).toBe(201)
  expect((await putPost('breakout', { title: BREAKOUT, date: '2024-02-01', tags: ['</script>'] }, 'Text.')).status).toBe(201)
}, 120_000)

async function page(path: string) {
  const res = await request(path)
  expect(res.status, path).toBe(200)
  const html = await res.text()
  const doc = parseHtml(html)
  const meta = (key: string) =>
    doc
      .tags('meta')
      .filter((m) => doc.attr(m, 'property') === key || doc.attr(m, 'name') === key)
      .map((m) => doc.attr(m, 'content'))
  const canonical = doc
    .tags('link')
    .filter((l) => doc.attr(l, 'rel') === 'canonical')
    .map((l) => doc.attr(l, 'href'))
  const jsonLd = doc
    .tags('script')
    .filter((s) => doc.attr(s, 'type') === 'application/ld+json')
    .map((s) => JSON.parse(doc.text(s)) as Record<string, unknown>)
  return { html, doc, meta, canonical, jsonLd }
}

describe('canonical addresses', () => {
  it('the front page, page 2, a post and its comment page each name their own', async () => {
    expect((await page('/')).canonical).toEqual([`${ORIGIN}/`])
    expect((await page('/page/2')).canonical).toEqual([`${ORIGIN}/page/2`])
    expect((await page('/archives/seo-post')).canonical).toEqual([`${ORIGIN}/archives/seo-post`])
    expect((await page('/archives/seo-post/comment-page-1')).canonical).toEqual([`${ORIGIN}/archives/seo-post/comment-page-1`])
    expect((await page('/categories')).canonical).toEqual([`${ORIGIN}/categories`])
  })
})

describe('Open Graph and Twitter cards', () => {
  it('a post is an article with its dates, section and tags, and a readable description', async () => {
    const { meta } = await page('/archives/seo-post')
    expect(meta('og:type')).toEqual(['article'])
    expect(meta('og:site_name')).toEqual([config.title])
    expect(meta('og:title')).toEqual(['均值不等式与 Softmax'])
    expect(meta('og:url')).toEqual([`${ORIGIN}/archives/seo-post`])
    expect(meta('og:locale')).toEqual(['zh_CN'])
    const description = meta('og:description')[0]!
    expect(description).toBe('我们知道(a+b)/2 ≥ √(ab)，以及e^(iπ)+1=0。')
    expect(meta('description')).toEqual([description])
    expect(meta('twitter:card')).toEqual(['summary'])
    expect(meta('twitter:title')).toEqual(['均值不等式与 Softmax'])
    expect(meta('twitter:description')).toEqual([description])
    expect(meta('article:published_time')).toEqual(['2024-03-12T21:30:00+08:00'])
    expect(meta('article:modified_time')).toEqual(['2024-04-01T08:00:00+08:00'])
    expect(meta('article:section')).toEqual(['物理'])
    expect(meta('article:tag')).toEqual(['不等式', 'softmax'])
  })

  it('list pages are websites described by the site description', async () => {
    for (const path of ['/', '/page/2', '/archives', '/tags']) {
      const { meta, canonical } = await page(path)
      expect(meta('og:type'), path).toEqual(['website'])
      expect(meta('og:url'), path).toEqual(canonical)
      expect(meta('og:description'), path).toEqual(config.description ? [config.description] : [])
      expect(meta('article:published_time'), path).toEqual([])
    }
  })

  it('og:locale follows LANGUAGE', async () => {
    const html = String(await SocialMeta({ config: { ...config, language: 'en' }, type: 'website' }))
    expect(html).toContain('<meta property="og:locale" content="en_US"/>')
    expect(html).toContain(`<meta property="og:title" content="${config.title}"/>`)
  })
})

describe('JSON-LD', () => {
  it('a post page carries one BlogPosting with its fields', async () => {
    const { jsonLd } = await page('/archives/seo-post')
    expect(jsonLd).toHaveLength(1)
    expect(jsonLd[0]).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'BlogPosting',
      headline: '均值不等式与 Softmax',
      description: '我们知道(a+b)/2 ≥ √(ab)，以及e^(iπ)+1=0。',
      datePublished: '2024-03-12T21:30:00+08:00',
      dateModified: '2024-04-01T08:00:00+08:00',
      author: { '@type': 'Person', name: config.author },
      url: `${ORIGIN}/archives/seo-post`,
      mainEntityOfPage: { '@type': 'WebPage', '@id': `${ORIGIN}/archives/seo-post` },
      inLanguage: 'zh-CN',
      keywords: ['不等式', 'softmax'],
      articleSection: '物理',
      publisher: { '@type': 'Organization', name: config.title },
    })
    expect((await page('/')).jsonLd).toEqual([])
  })

  it('a title with </script> stays inside the data block, and the page has no runnable inline script', async () => {
    const { html, jsonLd, doc } = await page('/archives/breakout')
    expect(jsonLd).toHaveLength(1)
    expect(jsonLd[0]!.headline).toBe(BREAKOUT)
    expect(jsonLd[0]!.keywords).toEqual(['</script>'])
    // The element ends at the first `</script>`: everything before it is the whole JSON.
    const open = '<script type="application/ld+json">'
    const start = html.indexOf(open) + open.length
    const inner = html.slice(start, html.indexOf('</script>', start))
    expect(inner).not.toMatch(/[<>]/)
    expect(JSON.parse(inner).headline).toBe(BREAKOUT)
    expect(html).not.toContain('<script>alert(1)')
    // Only the site's own scripts (by src) and the JSON-LD block.
    expect(doc.tags('script').every((s) => doc.attr(s, 'src') || doc.attr(s, 'type') === 'application/ld+json')).toBe(true)
    expect(dangers(html, 'page')).toEqual([])
  })

  it('scriptJson escapes what could end the element', () => {
    const json = scriptJson({ a: '</script><!--&\u2028' })
    expect(json).not.toMatch(/[<>&\u2028]/)
    expect(JSON.parse(json)).toEqual({ a: '</script><!--&\u2028' })
  })
})

describe('TeX in descriptions', () => {
  it.each([
    ['我们知道\\frac{a_1+a_2}{n} \\ge \\sqrt[n]{a_1 a_2}', '我们知道(a₁+a₂)/n ≥ ⁿ√(a₁ a₂)'],
    ['Softmax $p_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}$ costs $5 and $6.', 'Softmax p_i = (e^(z_i))/(∑_j e^(z_j)) costs $5 and $6.'],
    ['$$\\mathbb{E}[X] = \\int_{-\\infty}^{\\infty} x\\,p(x)\\,dx$$', 'E[X] = ∫_(-∞)^∞ x p(x) dx'],
    ['\\hat{x}, \\left( \\frac{1}{2} \\right), \\text{后验} \\propto \\text{似然}', 'x̂, ( 1/2 ), 后验 ∝ 似然'],
    ['x^{n+1}, A^\\top, \\log x, \\sin\\theta, \\binom{n}{k}', 'xⁿ⁺¹, Aᵀ, log x, sin θ, C(n, k)'],
    ['\\begin{aligned} a &= b \\\\ c &\\le d \\end{aligned}', 'a = b c ≤ d'],
    ['E = mc^2 \\label{eq:e} \\tag{3}', 'E = mc² (3)'],
    ['\\color{red}{x} \\unknowncommand{y} \\{set\\}', 'x y {set}'],
    ['no TeX here, 100% plain', 'no TeX here, 100% plain'],
  ])('%s', (input, expected) => {
    expect(texToText(input)).toBe(expected)
  })
})
