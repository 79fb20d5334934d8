import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { eventually, ORIGIN, postComment, putPost, request, TOKEN } from '../helpers'
import { parseHtml } from '../html'
import { kid, kids, NS, parseXml, textOf, type XmlElement } from '../xml'
import { siteConfig } from '../../src/config'
import { feedHtml } from '../../src/render/feed-html'
import { renderPost } from '../../src/render/render-post'
import { rfc822, xmlCdata, xmlText } from '../../src/views/feed-xml'

const config = siteConfig(env)
const N = config.feedPosts
const HOSTILE_TITLE = `Tom & Jerry <b>"引号"</b> 'x' <&> 中文标题`
const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/

const MATH_BODY = [
  'Inline $a<b$ and a [relative link](/archives/other) and ![pic](/img/p.png).',
  '',
  '## A heading',
  '',
  '$$',
  'E = mc^2 \\label{eq:e}',
  '$$',
  '',
  'See \\eqref{eq:e} and [up](../x?y=1&z=2).',
].join('\n')

// 24 dated posts (more than FEED_POSTS = 10); the newest carries formulas, links and a hostile
// title; categories 物理 (slug physics) and 化学 (percent-encoded), tags. A draft and a deleted post are newer still.
beforeAll(async () => {
  for (let i = 0; i < 24; i++) {
    const day = String((i % 28) + 1).padStart(2, '0')
    const month = i < 12 ? '01' : '02'
    const res = await putPost(
      `p-${i}`,
      {
        title: i === 23 ? HOSTILE_TITLE : `第${i}篇`,
        date: `2024-${month}-${day} 10:30`,
        category: i % 2 === 0 ? '物理' : '化学',
        tags: i % 3 === 0 ? ['熵', 'probability'] : ['熵'],
      },
      i === 23 ? MATH_BODY : `正文 ${i}：$x_${i}$。`,
    )
    expect(res.status).toBe(201)
  }
  expect(
    (await putPost('secret-draft', { title: 'Secret draft', date: '2024-06-01', category: '物理', tags: ['熵'], draft: true })).status,
  ).toBe(201)
  expect((await putPost('removed', { title: 'Removed post', date: '2024-06-02', category: '物理', tags: ['熵'] })).status).toBe(201)
  expect((await request('/api/posts/removed', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
}, 120_000)

async function fetchXml(path: string, type: string): Promise<{ res: Response; xml: string; root: XmlElement }> {
  const res = await request(path)
  expect(res.status, path).toBe(200)
  expect(res.headers.get('content-type')).toBe(type)
  const xml = await res.text()
  return { res, xml, root: parseXml(xml) }
}

const rss = (path = '/feed') => fetchXml(path, 'application/rss+xml; charset=utf-8')
const atom = (path = '/feed/atom') => fetchXml(path, 'application/atom+xml; charset=utf-8')

function rssItems(root: XmlElement) {
  expect(root.name).toBe('rss')
  expect(root.attrs.version).toBe('2.0')
  const channel = kid(root, '', 'channel')
  return { channel, items: kids(channel, '', 'item') }
}

/** Every href/src in an HTML fragment. */
function urlsIn(html: string): string[] {
  return parseHtml(html)
    .attributes()
    .filter(([, name]) => name === 'href' || name === 'src')
    .map(([, , value]) => value)
}

describe('the RSS feed', () => {
  it('holds the newest FEED_POSTS published posts, newest first, with absolute stable links', async () => {
    const { root } = await rss()
    const { channel, items } = rssItems(root)
    expect(textOf(channel, '', 'title')).toBe(config.title)
    expect(textOf(channel, '', 'link')).toBe(`${ORIGIN}/`)
    const self = kid(channel, NS.atom, 'link')
    expect(self.attrs).toMatchObject({ rel: 'self', href: `${ORIGIN}/feed`, type: 'application/rss+xml' })
    expect(items).toHaveLength(N)
    const ids = items.map((item) => textOf(item, '', 'link'))
    expect(ids).toEqual(Array.from({ length: N }, (_, i) => `${ORIGIN}/archives/p-${23 - i}`))
    for (const item of items) {
      const guid = kid(item, '', 'guid')
      expect(guid.attrs.isPermaLink).toBe('true')
      expect(guid.text).toBe(textOf(item, '', 'link'))
      expect(textOf(item, NS.dc, 'creator')).toBe(config.author)
    }
    const xml = JSON.stringify(root)
    expect(xml).not.toContain('Secret draft')
    expect(xml).not.toContain('Removed post')
  })

  it('dates items in RFC 822 with the site’s offset, parsing back to the post’s date', async () => {
    const { items } = rssItems((await rss()).root)
    const newest = items[0]!
    const pubDate = textOf(newest, '', 'pubDate')
    expect(pubDate).toMatch(RFC822)
    // 2024-02-24 10:30 in Asia/Shanghai (the tests' TIMEZONE).
    expect(pubDate).toBe('Sat, 24 Feb 2024 10:30:00 +0800')
    expect(Date.parse(pubDate)).toBe(Date.UTC(2024, 1, 24, 2, 30))
    for (const item of items) expect(Date.parse(textOf(item, '', 'pubDate'))).not.toBeNaN()
    expect(textOf(rssItems((await rss()).root).channel, '', 'lastBuildDate')).toMatch(RFC822)
  })

  it('carries the full content with MathML and absolute links, without KaTeX’s glyph spans or heading anchors', async () => {
    const { items } = rssItems((await rss()).root)
    const html = textOf(items[0]!, NS.content, 'encoded')
    expect(html).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML">')
    expect(html).toMatch(/<math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML" display="block">/)
    expect(html).toContain('<annotation encoding="application/x-tex">a&lt;b</annotation>')
    expect(html).not.toContain('katex-html')
    expect(html).not.toContain('class="katex')
    expect(html).not.toContain('heading-anchor')
    expect(html).toContain('A heading</h2>')
    const urls = urlsIn(html)
    expect(urls).toEqual(
      expect.arrayContaining([`${ORIGIN}/archives/other`, `${ORIGIN}/img/p.png`, `${ORIGIN}/archives/p-23#eq-eq:e`, `${ORIGIN}/x?y=1&z=2`]),
    )
    for (const url of urls) expect(url).toMatch(/^https?:\/\//)
    // The plain-text description, TeX made readable.
    expect(textOf(items[0]!, '', 'description')).toContain('a<b')
    expect(textOf(items[0]!, '', 'description')).not.toContain('$')
  })

  it('escapes a title with markup characters and Chinese, which parses back to the exact title', async () => {
    const { xml, root } = await rss()
    const { items } = rssItems(root)
    expect(textOf(items[0]!, '', 'title')).toBe(HOSTILE_TITLE)
    expect(xml).toContain('Tom &amp; Jerry &lt;b&gt;&quot;引号&quot;&lt;/b&gt;')
    expect(kids(items[0]!, '', 'category').map((c) => c.text)).toEqual(['化学', '熵'])
  })

  it('answers If-None-Match with 304, HEAD with the same headers and no body, and caches publicly', async () => {
    const first = await request('/feed')
    const etag = first.headers.get('etag')!
    // Weak (the gzip and the plain bytes share it), and named by what the feed shows (routes/feeds.ts).
    expect(etag).toMatch(/^W\/"p[0-9a-f]{32}-[0-9a-z]+"$/)
    expect(first.headers.get('cache-control')).toBe('public, max-age=300')
    const lastModified = first.headers.get('last-modified')!
    expect(Date.parse(lastModified)).toBeGreaterThan(Date.UTC(2024, 0, 1))
    await first.arrayBuffer()
    const again = await request('/feed', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
    expect(await again.text()).toBe('')
    const other = await request('/feed', { headers: { 'if-none-match': '"something-else"' } })
    expect(other.status).toBe(200)
    await other.arrayBuffer()
    const head = await request('/feed', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8')
    expect(head.headers.get('etag')).toBe(etag)
    expect(await head.text()).toBe('')
  })
})

describe('the Atom feed', () => {
  it('is Atom 1.0 with a self link, permalink ids and RFC 3339 dates', async () => {
    const { root } = await atom()
    expect(root.ns).toBe(NS.atom)
    expect(root.name).toBe('feed')
    expect(textOf(root, NS.atom, 'id')).toBe(`${ORIGIN}/feed/atom`)
    const links = kids(root, NS.atom, 'link')
    expect(links.find((l) => l.attrs.rel === 'self')?.attrs.href).toBe(`${ORIGIN}/feed/atom`)
    expect(links.find((l) => l.attrs.rel === 'alternate')?.attrs.href).toBe(`${ORIGIN}/`)
    expect(textOf(root, NS.atom, 'updated')).toMatch(RFC3339)
    const entries = kids(root, NS.atom, 'entry')
    expect(entries).toHaveLength(N)
    const newest = entries[0]!
    expect(textOf(newest, NS.atom, 'id')).toBe(`${ORIGIN}/archives/p-23`)
    expect(textOf(newest, NS.atom, 'title')).toBe(HOSTILE_TITLE)
    expect(textOf(newest, NS.atom, 'published')).toBe('2024-02-24T10:30:00+08:00')
    // No `updated` in the front matter: the post's date.
    expect(textOf(newest, NS.atom, 'updated')).toBe('2024-02-24T10:30:00+08:00')
    for (const e of entries) {
      expect(textOf(e, NS.atom, 'published')).toMatch(RFC3339)
      expect(textOf(e, NS.atom, 'updated')).toMatch(RFC3339)
      expect(kid(e, NS.atom, 'link').attrs.href).toBe(textOf(e, NS.atom, 'id'))
    }
    const content = kid(newest, NS.atom, 'content')
    expect(content.attrs.type).toBe('html')
    expect(content.text).toContain('<math')
    expect(content.text).not.toContain('katex-html')
  })
})

describe('an edited post', () => {
  it('keeps its guid and id, and the feed shows the new text, the front matter’s updated date and a new ETag', async () => {
    const before = await request('/feed')
    const etag = before.headers.get('etag')
    await before.arrayBuffer()
    const res = await putPost(
      'p-22',
      { title: '第22篇（修订）', date: '2024-02-23 10:30', updated: '2024-03-05 09:00', category: '物理', tags: ['熵'] },
      '修订后的正文 $y^2$。',
    )
    expect(res.status).toBe(200)
    const after = await request('/feed')
    expect(after.headers.get('etag')).not.toBe(etag)
    const { items } = rssItems(parseXml(await after.text()))
    const item = items[1]!
    expect(textOf(item, '', 'title')).toBe('第22篇（修订）')
    expect(textOf(item, '', 'guid')).toBe(`${ORIGIN}/archives/p-22`)
    expect(textOf(item, '', 'pubDate')).toBe('Fri, 23 Feb 2024 10:30:00 +0800')
    expect(textOf(item, NS.content, 'encoded')).toContain('修订后的正文')
    const entry = kids((await atom()).root, NS.atom, 'entry')[1]!
    expect(textOf(entry, NS.atom, 'id')).toBe(`${ORIGIN}/archives/p-22`)
    expect(textOf(entry, NS.atom, 'published')).toBe('2024-02-23T10:30:00+08:00')
    expect(textOf(entry, NS.atom, 'updated')).toBe('2024-03-05T09:00:00+08:00')
  })
})

describe('category and tag feeds', () => {
  it('hold only the term’s posts, with the term page as link and their own self link', async () => {
    const { root } = await rss('/category/physics/feed')
    const { channel, items } = rssItems(root)
    expect(textOf(channel, '', 'title')).toBe(`${config.title} – 分类：物理`)
    expect(textOf(channel, '', 'link')).toBe(`${ORIGIN}/category/physics`)
    expect(kid(channel, NS.atom, 'link').attrs.href).toBe(`${ORIGIN}/category/physics/feed`)
    // 12 physics posts, of which the newest FEED_POSTS.
    expect(items).toHaveLength(Math.min(12, N))
    for (const item of items) expect(kids(item, '', 'category')[0]!.text).toBe('物理')
    expect(JSON.stringify(root)).not.toContain('Secret draft')
    expect(JSON.stringify(root)).not.toContain('Removed post')

    const chem = `/category/${encodeURIComponent('化学')}`
    const chemFeed = rssItems((await rss(`${chem}/feed`)).root)
    expect(kid(chemFeed.channel, NS.atom, 'link').attrs.href).toBe(`${ORIGIN}${chem}/feed`)
    expect(chemFeed.items.map((i) => kids(i, '', 'category')[0]!.text)).toEqual(Array(Math.min(12, N)).fill('化学'))

    const tag = rssItems((await rss('/tag/probability/feed')).root)
    expect(tag.items.map((i) => textOf(i, '', 'link'))).toEqual([21, 18, 15, 12, 9, 6, 3, 0].map((i) => `${ORIGIN}/archives/p-${i}`))
    // Everything is tagged 熵: the feed stops at FEED_POSTS.
    expect(rssItems((await rss(`/tag/${encodeURIComponent('熵')}/feed`)).root).items).toHaveLength(N)

    const atomTerm = (await atom('/tag/probability/feed/atom')).root
    expect(kids(atomTerm, NS.atom, 'entry')).toHaveLength(8)
    expect(kids(atomTerm, NS.atom, 'link').find((l) => l.attrs.rel === 'self')?.attrs.href).toBe(`${ORIGIN}/tag/probability/feed/atom`)
  })

  it('answer 404 for an unknown term and redirect a mapped name to the slug’s feed', async () => {
    for (const path of ['/category/nothing-here/feed', '/tag/nothing-here/feed', '/tag/nothing-here/feed/atom']) {
      const res = await request(path)
      expect(res.status, path).toBe(404)
      await res.arrayBuffer()
    }
    const res = await request(`/category/${encodeURIComponent('物理')}/feed`)
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe('/category/physics/feed')
  })
})

describe('the comments feed', () => {
  it('lists the newest approved comments with their post, permalink and MathML', async () => {
    const author = '读者<甲>&乙'
    const posted = await postComment('p-10', { author, body: '请问 $\\lambda^2$ 怎么取？\n\n$$\\int_0^1 x\\,dx$$' })
    expect(posted.status).toBe(201)
    const { comment } = (await posted.json()) as { comment: { id: number } }
    const item = await eventually(async () => {
      const { items } = rssItems((await rss('/comments/feed')).root)
      const found = items.find((i) => textOf(i, '', 'link') === `${ORIGIN}/archives/p-10/comments/${comment.id}`)
      expect(found).toBeDefined()
      return found!
    })
    expect(textOf(item, '', 'title')).toBe(`${author} 评论 第10篇`)
    expect(textOf(item, '', 'guid')).toBe(`${ORIGIN}/archives/p-10/comments/${comment.id}`)
    expect(textOf(item, '', 'pubDate')).toMatch(RFC822)
    expect(textOf(item, NS.dc, 'creator')).toBe(author)
    const html = textOf(item, NS.content, 'encoded')
    expect(html).toContain('<math')
    expect(html).toContain('display="block"')
    expect(html).not.toContain('katex-html')
    const { channel } = rssItems((await rss('/comments/feed')).root)
    expect(kid(channel, NS.atom, 'link').attrs.href).toBe(`${ORIGIN}/comments/feed`)
  })

  it('is Atom 1.0 too, at /comments/feed/atom, with the same comments', async () => {
    const posted = await postComment('p-11', { author: 'Atom 读者', body: '$e^{i\\pi}+1=0$' })
    expect(posted.status).toBe(201)
    const { comment } = (await posted.json()) as { comment: { id: number } }
    const url = `${ORIGIN}/archives/p-11/comments/${comment.id}`
    const entry = await eventually(async () => {
      const { root } = await atom('/comments/feed/atom')
      expect(root.name).toBe('feed')
      expect(kids(root, NS.atom, 'link').find((l) => l.attrs.rel === 'self')?.attrs.href).toBe(`${ORIGIN}/comments/feed/atom`)
      const found = kids(root, NS.atom, 'entry').find((e) => textOf(e, NS.atom, 'id') === url)
      expect(found).toBeDefined()
      return found!
    })
    expect(textOf(entry, NS.atom, 'title')).toBe('Atom 读者 评论 第11篇')
    expect(textOf(entry, NS.atom, 'published')).toMatch(RFC3339)
    expect(kid(entry, NS.atom, 'content').text).toContain('<math')
    // The RSS feed holds the same comments, in the same order.
    const rssLinks = rssItems((await rss('/comments/feed')).root).items.map((i) => textOf(i, '', 'link'))
    const atomIds = kids((await atom('/comments/feed/atom')).root, NS.atom, 'entry').map((e) => textOf(e, NS.atom, 'id'))
    expect(atomIds).toEqual(rssLinks)
  })

  it('drops the comments of a post once it is deleted', async () => {
    expect((await putPost('short-lived', { title: 'Short-lived', date: '2023-01-01' })).status).toBe(201)
    expect((await postComment('short-lived', { author: 'Visitor', body: 'Gone soon.' })).status).toBe(201)
    const onPost = async () =>
      rssItems((await rss('/comments/feed')).root).items.filter((i) => textOf(i, '', 'link').startsWith(`${ORIGIN}/archives/short-lived/`))
    await eventually(async () => expect(await onPost()).toHaveLength(1))
    expect((await request('/api/posts/short-lived', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
    await eventually(async () => expect(await onPost()).toHaveLength(0))
  })
})

describe('the sitemap and robots.txt', () => {
  it('lists the index pages, every published post and every term page with lastmod', async () => {
    const { root } = await fetchXml('/sitemap.xml', 'application/xml; charset=utf-8')
    expect(root.ns).toBe(NS.sitemap)
    expect(root.name).toBe('urlset')
    const urls = new Map(kids(root, NS.sitemap, 'url').map((u) => [textOf(u, NS.sitemap, 'loc'), kids(u, NS.sitemap, 'lastmod')[0]?.text]))
    for (const path of ['/', '/archives', '/categories', '/tags']) expect(urls.has(`${ORIGIN}${path}`), path).toBe(true)
    for (let i = 0; i < 24; i++) expect(urls.get(`${ORIGIN}/archives/p-${i}`), `p-${i}`).toMatch(RFC3339)
    expect(urls.get(`${ORIGIN}/archives/p-0`)).toBe('2024-01-01T10:30:00+08:00')
    // The edited post's lastmod is its front matter `updated` (the edit test ran before this one).
    expect(urls.get(`${ORIGIN}/archives/p-22`)).toBe('2024-03-05T09:00:00+08:00')
    expect(urls.get(`${ORIGIN}/`)).toBe('2024-03-05T09:00:00+08:00')
    expect(urls.get(`${ORIGIN}/category/physics`)).toMatch(RFC3339)
    expect(urls.get(`${ORIGIN}/category/${encodeURIComponent('化学')}`)).toMatch(RFC3339)
    expect(urls.get(`${ORIGIN}/tag/${encodeURIComponent('熵')}`)).toMatch(RFC3339)
    expect(urls.get(`${ORIGIN}/tag/probability`)).toBe('2024-02-22T10:30:00+08:00')
    expect([...urls.keys()].some((u) => u.includes('secret-draft') || u.includes('removed'))).toBe(false)
    expect(urls.size).toBe(4 + 24 + 2 + 2)
  })

  it('robots.txt allows all but the API and admin, and names the sitemap', async () => {
    const res = await request('/robots.txt')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    const lines = (await res.text()).split('\n')
    expect(lines).toEqual(
      expect.arrayContaining(['User-agent: *', 'Allow: /', 'Disallow: /api/', 'Disallow: /admin', `Sitemap: ${ORIGIN}/sitemap.xml`]),
    )
  })
})

describe('feed discovery', () => {
  it('every page announces the site’s RSS, Atom and comments feeds', async () => {
    for (const path of ['/', '/archives/p-3', '/category/physics', '/archives']) {
      const res = await request(path)
      expect(res.status, path).toBe(200)
      const page = parseHtml(await res.text())
      const alternates = page
        .tags('link')
        .filter((l) => page.attr(l, 'rel') === 'alternate')
        .map((l) => [page.attr(l, 'type'), page.attr(l, 'href')])
      expect(alternates, path).toEqual(
        expect.arrayContaining([
          ['application/rss+xml', '/feed'],
          ['application/atom+xml', '/feed/atom'],
          ['application/rss+xml', '/comments/feed'],
        ]),
      )
    }
  })
})

describe('feed HTML and XML text', () => {
  it('keeps MathML only, marks display math, drops anchors and buttons and makes URLs absolute', () => {
    const rendered = renderPost('# T\n\n$x$ [a](#fn) <img src="img/b.png">\n\n$$\\frac12$$\n', undefined, { anchorLabel: 'link' }).html
    const html = feedHtml(rendered + '<p><button type="button">copy</button></p>', 'https://s.example/archives/x')
    expect(html).not.toMatch(/katex|heading-anchor|<button|<span class="eq-anchor"/)
    expect(html.match(/<math /g)).toHaveLength(2)
    expect(html.match(/display="block"/g)).toHaveLength(1)
    expect(urlsIn(html)).toEqual(['https://s.example/archives/x#fn', 'https://s.example/archives/img/b.png'])
    // Balanced: the wrappers' end tags went with their start tags.
    expect(html.match(/<span/g)?.length ?? 0).toBe(html.match(/<\/span>/g)?.length ?? 0)
  })

  it('adds display="block" when KaTeX left it out, and leaves absolute and mailto URLs alone', () => {
    const html = feedHtml(
      '<span class="katex-display"><span class="katex"><span class="katex-mathml"><math><mi>x</mi></math></span><span class="katex-html" aria-hidden="true"><span>x</span></span></span></span><a href="mailto:a@b.c">m</a><a href="https://o.example/">o</a>',
      'https://s.example/archives/x',
    )
    expect(html).toBe('<math display="block"><mi>x</mi></math><a href="mailto:a@b.c">m</a><a href="https://o.example/">o</a>')
  })

  it('xmlText escapes markup and removes characters XML 1.0 forbids', () => {
    expect(xmlText(`a\u0000b\u0001c\u000bd\ufffee\ud800f<&>"'\t\n中`)).toBe('abcdef&lt;&amp;&gt;&quot;&apos;\t\n中')
    expect(() => parseXml(`<t>${xmlText('x\u0002\u001f\ud83d\ude00y')}</t>`)).not.toThrow()
    expect(parseXml(`<t>${xmlText('x\u0002\ud83d\ude00y')}</t>`).text).toBe('x😀y')
  })

  it('xmlCdata keeps markup as it is, splits a "]]>" and removes characters XML 1.0 forbids', () => {
    const html = `<p class="x">a &amp; b &lt; c</p><code>x[y[0]]>z ]]> ]]]]></code>\u0000\u0001\ud800\ud83d\ude00中`
    const section = xmlCdata(html)
    expect(section).toMatch(/^<!\[CDATA\[<p class="x">/)
    expect(parseXml(`<t>${section}</t>`).text).toBe(`<p class="x">a &amp; b &lt; c</p><code>x[y[0]]>z ]]> ]]]]></code>😀中`)
    expect(parseXml(`<t>${xmlCdata('plain')}</t>`).text).toBe('plain')
    expect(parseXml(`<t>${xmlCdata(']]>')}</t>`).text).toBe(']]>')
  })

  it('rfc822 writes the zone’s offset (and GMT-compatible output for UTC)', () => {
    const ms = Date.UTC(2024, 6, 1, 23, 5, 9)
    expect(rfc822(ms, 'Asia/Shanghai')).toBe('Tue, 02 Jul 2024 07:05:09 +0800')
    expect(rfc822(ms, 'America/New_York')).toBe('Mon, 01 Jul 2024 19:05:09 -0400')
    expect(rfc822(ms, 'UTC')).toBe('Mon, 01 Jul 2024 23:05:09 +0000')
    expect(Date.parse(rfc822(ms, 'America/New_York'))).toBe(ms)
  })
})
