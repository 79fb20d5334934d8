import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { siteConfig } from '../../src/config'
import { eventually, postComment, putPost, request, view } from '../helpers'
import { parseHtml } from '../html'

// 23 posts: page size 10 gives pages of 10, 10 and 3, and the list spans two KV chunks.
beforeAll(async () => {
  for (let i = 0; i < 23; i++) {
    const day = String(i + 1).padStart(2, '0')
    const res = await putPost(
      `fp-${i}`,
      { title: `Post ${i}`, date: `2024-01-${day}`, author: i === 5 ? '客座作者' : undefined },
      `第${i}篇，含$x_{${i}}$。\n\n## 下一节\n\n不在摘要里。`,
    )
    expect(res.status).toBe(201)
  }
  await putPost('fp-draft', { title: 'Secret draft', date: '2024-02-01', draft: true })
})

describe('the front page', () => {
  it('lists posts newest first with author, date, readers, comments, excerpt with math and a cite link', async () => {
    const res = await request('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const page = parseHtml(await res.text())
    const entries = page.byClass('entry')
    expect(entries).toHaveLength(10)
    const titles = page.byClass('entry-title').map((e) => page.text(e).trim())
    expect(titles).toEqual(Array.from({ length: 10 }, (_, i) => `Post ${22 - i}`))
    const meta = page.text(page.byClass('entry-meta')[0]!)
    expect(meta).toContain('By 林知远')
    expect(meta).toContain('2024-01-23')
    expect(meta).toContain('0位读者')
    expect(meta).toContain('0条评论')
    const cite = page.byClass('entry-cite')[0]!
    expect(page.text(cite)).toBe('引用')
    expect(page.attr(cite, 'href')).toBe('/archives/fp-22#cite')
    const excerpt = page.byClass('entry-excerpt')[0]!
    expect(page.text(excerpt)).toContain('第22篇')
    expect(page.text(excerpt)).not.toContain('不在摘要里')
    expect(page.byClass('katex').length).toBeGreaterThanOrEqual(10)
  })

  it('uses the post author when front matter names one', async () => {
    const html = await (await request('/page/2')).text()
    expect(html).toContain('客座作者')
  })

  it('is paginated, with /page/1 redirecting to / and a 404 past the last page', async () => {
    const p2 = parseHtml(await (await request('/page/2')).text())
    expect(p2.byClass('entry-title').map((e) => p2.text(e).trim())).toEqual(Array.from({ length: 10 }, (_, i) => `Post ${12 - i}`))
    const p3 = parseHtml(await (await request('/page/3')).text())
    expect(p3.byClass('entry-title').map((e) => p3.text(e).trim())).toEqual(['Post 2', 'Post 1', 'Post 0'])
    expect(p3.byClass('older')).toHaveLength(0)
    expect(p3.attr(p3.byClass('newer')[0]!, 'href')).toBe('/page/2')
    // The links' landmark is named in the site's language (not the English word "pagination").
    expect(p3.attr(p3.byClass('pagination')[0]!, 'aria-label')).toBe('文章分页')
    const first = await request('/page/1', { redirect: 'manual' })
    expect(first.status).toBe(301)
    expect(first.headers.get('location')).toMatch(/\/$/)
    for (const bad of ['/page/4', '/page/0', '/page/abc', '/page/-1', '/page/99999999999']) {
      expect((await request(bad)).status, bad).toBe(404)
    }
  })

  it('does not list drafts', async () => {
    const html = await (await request('/')).text()
    expect(html).not.toContain('Secret draft')
    expect((await request('/archives/fp-draft')).status).toBe(404)
  })

  it('shows comment counts, reader counts and 最近评论 from the snapshot', async () => {
    await view('/archives/fp-22', '198.51.100.1')
    await view('/archives/fp-22', '198.51.100.2')
    const res = await postComment('fp-22', { author: '读者<甲>', body: '请问$\\lambda$怎么取？' })
    expect(res.status).toBe(201)
    const { comment } = (await res.json()) as { comment: { id: number } }
    await eventually(async () => {
      const page = parseHtml(await (await request('/')).text())
      const meta = page.text(page.byClass('entry-meta')[0]!)
      expect(meta).toContain('2位读者')
      expect(meta).toContain('1条评论')
      const recent = page.byClass('recent-comments')[0]!
      const link = page.tags('a').find((a) => page.attr(a, 'href') === `/archives/fp-22/comments/${comment.id}`)
      expect(link).toBeDefined()
      expect(page.text(recent)).toContain('读者<甲>')
      expect(page.text(recent)).toContain('Post 22')
      expect(page.text(recent)).toContain('λ')
    })
  })

  it('reads the list from the snapshot and chunks, never from every post', async () => {
    const snapshot = await env.POSTS.get<{ total: number; chunks: string[] }>('v1:site', 'json')
    expect(snapshot?.total).toBe(23)
    expect(snapshot?.chunks).toHaveLength(2)
  })
})

describe('the sidebar', () => {
  it('ends with 友情链接 from SITE_LINKS, in order, each description as its title; none without the setting', async () => {
    const page = parseHtml(await (await request('/')).text())
    const box = page.byClass('site-links')[0]!
    expect(page.text(page.byClass('widget-title').find((h) => page.isInside(h, box))!)).toBe('友情链接')
    const links = page
      .tags('a')
      .filter((a) => page.isInside(a, box))
      .map((a) => [page.attr(a, 'href'), page.text(a), page.attr(a, 'title')])
    expect(links).toEqual([
      ['https://arxiv.org/', 'arXiv', '物理、数学与计算机科学的预印本'],
      ['https://mathoverflow.net/', 'MathOverflow', '研究级数学问答'],
      ['https://distill.pub/', 'Distill', '机器学习的可视化长文'],
    ])
    // The last box of the sidebar.
    const aside = page.tags('aside')[0]!
    const widgets = page
      .tags('section')
      .filter((x) => page.isInside(x, aside))
      .filter((x) => (page.attr(x, 'class') ?? '').split(' ').includes('widget'))
    expect(widgets.at(-1)).toBe(box)
    // A link without a description has no title; no setting, no box.
    const one = parseHtml(
      await (await request('/', {}, { ...env, SITE_LINKS: '[{"name": "<b>作者</b>", "url": "https://example.com/?a=1&b=2"}]' })).text(),
    )
    const only = one.tags('a').filter((a) => one.isInside(a, one.byClass('site-links')[0]!))
    expect(only.map((a) => [one.attr(a, 'href'), one.text(a), one.attr(a, 'title')])).toEqual([
      ['https://example.com/?a=1&b=2', '<b>作者</b>', undefined],
    ])
    const none = await (await request('/', {}, { ...env, SITE_LINKS: '' })).text()
    expect(none).not.toContain('site-links')
    expect(none).toContain('recent-comments')
  })

  it('refuses a SITE_LINKS that is not a list of named http(s) links, naming the link', () => {
    expect(() => siteConfig({ SITE_LINKS: 'arxiv.org' })).toThrow('Invalid setting SITE_LINKS: must be a JSON array such as')
    expect(() => siteConfig({ SITE_LINKS: '{"name": "x", "url": "https://x.org/"}' })).toThrow(
      'Invalid setting SITE_LINKS: must be a JSON array such as',
    )
    expect(() =>
      siteConfig({ SITE_LINKS: '[{"name": "a", "url": "https://a.org/"}, {"name": "b", "url": "javascript:alert(1)"}]' }),
    ).toThrow('Invalid setting SITE_LINKS: a link URL must be an absolute http(s) URL (link 2)')
    expect(() => siteConfig({ SITE_LINKS: '[{"name": " ", "url": "https://a.org/"}]' })).toThrow(
      'Invalid setting SITE_LINKS: a link needs a name (link 1)',
    )
    expect(() => siteConfig({ SITE_LINKS: '[{"name": "a", "url": "/relative"}]' })).toThrow('(link 1)')
    expect(siteConfig({ SITE_LINKS: '[{"name": " a ", "url": "http://a.org/x", "description": " d "}]' }).links).toEqual([
      { name: 'a', url: 'http://a.org/x', description: 'd' },
    ])
    expect(siteConfig({}).links).toEqual([])
  })

  it('links 随机一篇 to /random, which sends the reader to a published post picked at random, never cached', async () => {
    const page = parseHtml(await (await request('/')).text())
    const random = page.tags('a').find((a) => page.attr(a, 'href') === '/random')!
    expect(page.text(random)).toBe('随机一篇 »')
    expect(page.attr(random, 'rel')).toBe('nofollow')
    const seen = new Set<string>()
    for (let i = 0; i < 60; i++) {
      const res = await request('/random')
      expect(res.status).toBe(302)
      expect(res.headers.get('cache-control')).toBe('no-store')
      const to = res.headers.get('location')!
      expect(to).toMatch(/^\/archives\/fp-([0-9]|1[0-9]|2[0-2])$/)
      seen.add(to)
    }
    // 23 posts, 60 picks: more than one of them (all the same would happen about once in 10^80 runs).
    expect(seen.size).toBeGreaterThan(1)
  })
})
