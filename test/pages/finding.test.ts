import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { eventually, postComment, putPost, request, TOKEN, view } from '../helpers'
import { parseHtml } from '../html'
import type { SiteSnapshot, TermIndex } from '../../src/model'
import { siteConfig } from '../../src/config'
import { defaultSlug } from '../../src/lib/slug'

const ML = '机器学习'
const ML_PATH = `/category/${encodeURIComponent(ML)}`

// 12 posts in 数学研究 (slug from front matter: mathematics) span two list pages of 10; 3 posts in
// 机器学习 (no slug given: percent-encoded name); a three-part series; a draft and a deleted post.
beforeAll(async () => {
  for (let i = 0; i < 12; i++) {
    const day = String(i + 1).padStart(2, '0')
    const res = await putPost(
      `math-${i}`,
      {
        title: `数学第${i}篇`,
        date: `2023-${i < 6 ? '11' : '12'}-${day}`,
        category: '数学研究',
        category_slug: 'mathematics',
        tags: i % 2 === 0 ? ['熵', 'Probability'] : ['熵'],
        tag_slugs: { Probability: 'probability' },
      },
      `正文$e^{i\\pi}+1=0$。`,
    )
    expect(res.status).toBe(201)
  }
  for (let i = 0; i < 3; i++) {
    const res = await putPost(
      `info-${i}`,
      { title: `信息论入门（${i + 1}）`, date: `2024-02-0${i + 1}`, category: ML, tags: ['熵'], series: '信息论入门' },
      `第${i + 1}部分。`,
    )
    expect(res.status).toBe(201)
  }
  expect(
    (await putPost('ml-draft', { title: 'Draft in ML', date: '2024-03-01', category: ML, tags: ['Secret'], draft: true })).status,
  ).toBe(201)
  expect((await putPost('gone', { title: 'Gone post', date: '2024-03-02', category: 'Removed', tags: ['Removed tag'] })).status).toBe(201)
  const del = await request('/api/posts/gone', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
  expect(del.status).toBe(200)
})

const titles = async (path: string) => {
  const res = await request(path)
  expect(res.status, path).toBe(200)
  const page = parseHtml(await res.text())
  return { page, titles: page.byClass('entry-title').map((e) => page.text(e).trim()) }
}

describe('category pages', () => {
  it('list the category’s posts newest first, in the front page’s style, paginated', async () => {
    const p1 = await titles('/category/mathematics')
    expect(p1.titles).toEqual(Array.from({ length: 10 }, (_, i) => `数学第${11 - i}篇`))
    expect(p1.page.text(p1.page.tags('h1')[0]!)).toBe('分类：数学研究')
    expect(p1.page.text(p1.page.byClass('page-intro')[0]!)).toContain('12篇文章')
    // The entries keep the front page's meta line and excerpt with math.
    expect(p1.page.text(p1.page.byClass('entry-meta')[0]!)).toContain('位读者')
    expect(p1.page.byClass('katex').length).toBeGreaterThanOrEqual(10)
    expect(p1.page.attr(p1.page.byClass('older')[0]!, 'href')).toBe('/category/mathematics/page/2')
    const link = p1.page.tags('link').find((l) => p1.page.attr(l, 'rel') === 'canonical')!
    expect(p1.page.attr(link, 'href')).toBe('https://blog.example/category/mathematics')

    const p2 = await titles('/category/mathematics/page/2')
    expect(p2.titles).toEqual(['数学第1篇', '数学第0篇'])
    expect(p2.page.attr(p2.page.byClass('newer')[0]!, 'href')).toBe('/category/mathematics')
  })

  it('answer 404 past the last page and for unknown or malformed slugs, and redirect page 1', async () => {
    for (const path of [
      '/category/mathematics/page/3',
      '/category/mathematics/page/0',
      '/category/mathematics/page/x',
      '/category/no-such-thing',
      '/category/Removed',
      `/category/${'a'.repeat(101)}`,
      '/category/%00',
    ]) {
      expect((await request(path)).status, path).toBe(404)
    }
    const first = await request('/category/mathematics/page/1', { redirect: 'manual' })
    expect(first.status).toBe(301)
    expect(first.headers.get('location')).toBe('/category/mathematics')
  })

  it('give a name without a mapping a stable percent-encoded slug', async () => {
    const ml = await titles(ML_PATH)
    expect(ml.titles).toEqual(['信息论入门（3）', '信息论入门（2）', '信息论入门（1）'])
    // Entries link their category the same way; drafts are not listed.
    const links = ml.page.byClass('entry-category').map((e) =>
      ml.page.attr(
        ml.page.tags('a').find((a) => e.children.includes(a))!,
        'href',
      ),
    )
    expect(links.every((href) => href === ML_PATH)).toBe(true)
    expect(ml.page.text(ml.page.byClass('page-intro')[0]!)).toContain('3篇文章')
  })

  it('take their slug from the site’s mapping, and the name’s address redirects there', async () => {
    expect(
      (await putPost('phys', { title: '单摆', date: '2020-01-01', category: '物理', category_slug: 'ignored-by-the-mapping' })).status,
    ).toBe(201)
    expect((await titles('/category/physics')).titles).toEqual(['单摆'])
    const byName = await request(`/category/${encodeURIComponent('物理')}`, { redirect: 'manual' })
    expect(byName.status).toBe(301)
    expect(byName.headers.get('location')).toBe('/category/physics')
    expect((await request('/category/ignored-by-the-mapping')).status).toBe(404)
    const del = await request('/api/posts/phys', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(del.status).toBe(200)
    expect((await request('/category/physics')).status).toBe(404)
  })

  it('are listed on /categories with their post counts', async () => {
    const res = await request('/categories')
    expect(res.status).toBe(200)
    const page = parseHtml(await res.text())
    const items = page.byClass('term-list')[0]!
    const text = page.text(items)
    expect(text).toContain('数学研究')
    expect(text).toContain('12篇文章')
    expect(text).toContain('机器学习')
    expect(text).toContain('3篇文章')
    expect(text).not.toContain('Removed')
    const hrefs = page.tags('a').map((a) => page.attr(a, 'href'))
    expect(hrefs).toContain('/category/mathematics')
    expect(hrefs).toContain(ML_PATH)
  })
})

describe('tag pages', () => {
  it('list every post with the tag, with front-matter slugs and percent-encoded names', async () => {
    const entropy = await titles(`/tag/${encodeURIComponent('熵')}`)
    expect(entropy.titles).toHaveLength(10)
    expect(entropy.titles[0]).toBe('信息论入门（3）')
    expect(entropy.page.text(entropy.page.tags('h1')[0]!)).toBe('标签：熵')
    expect(entropy.page.text(entropy.page.byClass('page-intro')[0]!)).toContain('15篇文章')
    const p2 = await titles(`/tag/${encodeURIComponent('熵')}/page/2`)
    expect(p2.titles).toHaveLength(5)
    expect((await request(`/tag/${encodeURIComponent('熵')}/page/3`)).status).toBe(404)

    const prob = await titles('/tag/probability')
    expect(prob.titles).toEqual(['数学第10篇', '数学第8篇', '数学第6篇', '数学第4篇', '数学第2篇', '数学第0篇'])
    expect((await request('/tag/Secret')).status).toBe(404)
    expect((await request(`/tag/${encodeURIComponent('Removed tag')}`)).status).toBe(404)
  })

  it('are listed on /tags as a cloud with counts, and in the sidebar', async () => {
    const page = parseHtml(await (await request('/tags')).text())
    const cloud = page.text(page.byClass('tag-cloud')[0]!)
    expect(cloud).toContain('熵')
    expect(cloud).toContain('(15)')
    expect(cloud).toContain('Probability')
    expect(cloud).toContain('(6)')
    const front = parseHtml(await (await request('/')).text())
    const sidebar = front.byId('sidebar')!
    expect(front.text(sidebar)).toContain('数学研究')
    expect(front.text(sidebar)).toContain('Probability')
    const hrefs = front.tags('a').map((a) => front.attr(a, 'href'))
    expect(hrefs).toContain('/tag/probability')
    expect(hrefs).toContain('/categories')
    expect(hrefs).toContain('/archives')
  })
})

describe('the archive', () => {
  it('groups every published post by year and month with its date and comment count', async () => {
    expect((await postComment('math-3', { author: '读者', body: '好文' })).status).toBe(201)
    // The count reaches the snapshot when the post's object pushes it (by alarm).
    await eventually(async () => expect((await env.POSTS.get<SiteSnapshot>('v1:site', 'json'))!.counts['math-3']).toEqual([0, 1]))
    for (const path of ['/archives', '/content.html']) {
      const res = await request(path)
      expect(res.status, path).toBe(200)
      const page = parseHtml(await res.text())
      expect(page.tags('h2').map((h) => page.text(h))).toEqual(expect.arrayContaining(['2024', '2023']))
      const months = page.tags('h3').map((h) => page.text(h).replace(/\s+/g, ' ').trim())
      expect(months).toEqual(['2024年2月 (3)', '2023年12月 (6)', '2023年11月 (6)'])
      const items = page.byClass('archive-month').flatMap((m) => page.tags('li').filter((li) => page.isInside(li, m)))
      expect(items).toHaveLength(15)
      const math3 = items.find((li) => page.text(li).includes('数学第3篇'))!
      expect(page.text(math3)).toContain('2023-11-04')
      expect(page.text(math3)).toContain('1条评论')
      expect(page.text(page.byClass('archive-page')[0]!)).not.toContain('Draft in ML')
      expect(page.text(page.byClass('archive-page')[0]!)).not.toContain('Gone post')
    }
  })
})

describe('series and previous/next', () => {
  it('lists the series in order on each member, marks the current one, and links previous/next', async () => {
    const res = await view('/archives/info-1')
    expect(res.status).toBe(200)
    const page = parseHtml(await res.text())
    const series = page.byClass('series')[0]!
    expect(page.text(series)).toContain('系列：信息论入门')
    expect(page.text(series)).toContain('第2篇，共3篇')
    const parts = page.tags('li').filter((li) => page.isInside(li, series))
    expect(parts.map((li) => page.text(li))).toEqual([
      expect.stringContaining('信息论入门（1）'),
      expect.stringContaining('信息论入门（2）'),
      expect.stringContaining('信息论入门（3）'),
    ])
    expect(page.attr(parts[1]!, 'aria-current')).toBe('page')
    const nav = page.byClass('post-nav')[0]!
    const navLinks = page.tags('a').filter((a) => page.isInside(a, nav))
    expect(navLinks.map((a) => [page.attr(a, 'rel'), page.attr(a, 'href')])).toEqual([
      ['prev', '/archives/info-0'],
      ['next', '/archives/info-2'],
    ])
  })

  it('links the oldest post only forward, crossing categories in time', async () => {
    const oldest = parseHtml(await (await view('/archives/math-0')).text())
    const nav = oldest.byClass('post-nav')[0]!
    const links = oldest.tags('a').filter((a) => oldest.isInside(a, nav))
    expect(links.map((a) => oldest.attr(a, 'href'))).toEqual(['/archives/math-1'])
    expect(oldest.byClass('series')).toHaveLength(0)
    const newestMath = parseHtml(await (await view('/archives/math-11')).text())
    const next = newestMath
      .tags('a')
      .find((a) => newestMath.attr(a, 'rel') === 'next' && newestMath.isInside(a, newestMath.byClass('post-nav')[0]!))
    expect(newestMath.attr(next!, 'href')).toBe('/archives/info-0')
  })

  it('updates the neighbours when a post is published in between', async () => {
    expect((await putPost('between', { title: 'In between', date: '2024-02-01 12:00', series: '信息论入门' })).status).toBe(201)
    const page = parseHtml(await (await view('/archives/info-0')).text())
    const next = page.tags('a').find((a) => page.attr(a, 'rel') === 'next' && page.isInside(a, page.byClass('post-nav')[0]!))
    expect(page.attr(next!, 'href')).toBe('/archives/between')
    expect(page.text(page.byClass('series')[0]!)).toContain('第1篇，共4篇')
    const del = await request('/api/posts/between', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(del.status).toBe(200)
    const after = parseHtml(await (await view('/archives/info-0')).text())
    const again = after.tags('a').find((a) => after.attr(a, 'rel') === 'next' && after.isInside(a, after.byClass('post-nav')[0]!))
    expect(after.attr(again!, 'href')).toBe('/archives/info-1')
    expect(after.text(after.byClass('series')[0]!)).toContain('第1篇，共3篇')
  })
})

describe('the post page and the read model', () => {
  it('links the post’s category and tags to their pages', async () => {
    const page = parseHtml(await (await view('/archives/math-2')).text())
    const taxonomy = page.byClass('post-taxonomy')[0]!
    const hrefs = page
      .tags('a')
      .filter((a) => page.isInside(a, taxonomy))
      .map((a) => page.attr(a, 'href'))
    expect(hrefs).toEqual(['/category/mathematics', `/tag/${encodeURIComponent('熵')}`, '/tag/probability'])
  })

  it('serves a term page from the snapshot, the term index and one or two chunks', async () => {
    const snapshot = (await env.POSTS.get<SiteSnapshot>('v1:site', 'json'))!
    expect(snapshot.categories?.map((c) => [c.slug, c.count])).toEqual([
      ['mathematics', 12],
      [ML, 3],
    ])
    const index = (await env.POSTS.get<TermIndex>(snapshot.termsKey!, 'json'))!
    const math = index.category.find((c) => c.slug === 'mathematics')!
    expect(math.chunks).toHaveLength(1)
    expect(math.lastModified).toBe(Date.parse('2023-12-12T00:00:00+08:00'))
    const archive = (await env.POSTS.get<unknown[]>(snapshot.archiveKey!, 'json'))!
    expect(archive).toHaveLength(15)
  })

  it('moves a post between terms when it is edited', async () => {
    expect((await putPost('math-11', { title: '数学第11篇', date: '2023-12-12', category: ML, tags: ['Probability'] })).status).toBe(200)
    expect((await titles('/category/mathematics')).titles[0]).toBe('数学第10篇')
    expect((await titles(ML_PATH)).titles).toContain('数学第11篇')
    // Without tag_slugs, "Probability" gets its default slug, which is the same "probability".
    expect((await titles('/tag/probability')).titles[0]).toBe('数学第11篇')
    await putPost('math-11', {
      title: '数学第11篇',
      date: '2023-12-12',
      category: '数学研究',
      category_slug: 'mathematics',
      tags: ['熵'],
    })
    expect((await titles('/category/mathematics')).titles[0]).toBe('数学第11篇')
  })
})

describe('the API', () => {
  it('returns series and slugs, and the markdown file keeps what the post declared', async () => {
    const json = await (
      await request('/api/posts/math-0', { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json<Record<string, unknown>>()
    expect(json).toMatchObject({
      categorySlug: 'mathematics',
      tagSlugs: ['熵', 'probability'],
      series: null,
      declaredSlugs: { category: 'mathematics', tags: { Probability: 'probability' } },
    })
    const md = await (await request('/api/posts/info-1', { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/markdown' } })).text()
    expect(md).toMatch(/^series: "?信息论入门"?$/m)
    expect(md).not.toContain('categorySlug')
    const mathMd = await (
      await request('/api/posts/math-0', { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/markdown' } })
    ).text()
    expect(mathMd).toMatch(/^category_slug: "?mathematics"?$/m)
    expect(mathMd).toContain('tag_slugs:')
    // The file publishes back to the same post, unchanged in what the lists show.
    const again = await request('/api/posts/math-0', {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown; charset=utf-8' },
      body: mathMd,
    })
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ post: { categorySlug: 'mathematics', tagSlugs: ['熵', 'probability'] } })
  })
})

describe('slug settings', () => {
  it('accept a JSON map of names to slugs and name the setting when it is wrong', () => {
    expect(siteConfig({ CATEGORY_SLUGS: '{"数学研究": "mathematics"}' }).slugs.category).toEqual({ 数学研究: 'mathematics' })
    expect(() => siteConfig({ CATEGORY_SLUGS: '{"数学研究": "Not A Slug"}' })).toThrow(/CATEGORY_SLUGS: slugs are lower-case/)
    expect(() => siteConfig({ TAG_SLUGS: 'not json' })).toThrow(/TAG_SLUGS: must be a JSON object/)
    expect(() => siteConfig({ MATH_MACROS: '{"R": "x"}' })).toThrow(/MATH_MACROS: macro names look like/)
    expect(defaultSlug('  Numerical  Methods ')).toBe('numerical-methods')
    expect(defaultSlug('Ｑ＆Ａ/问答?')).toBe('qa问答')
    expect(defaultSlug('%%%')).toBe('untitled')
  })
})

describe('HEAD', () => {
  it('works wherever GET does, with no body', async () => {
    for (const path of [
      '/',
      '/page/2',
      '/category/mathematics',
      '/tags',
      '/categories',
      '/archives',
      '/content.html',
      '/archives/math-1',
    ]) {
      const get = await request(path)
      const head = await request(path, { method: 'HEAD' })
      expect(head.status, path).toBe(get.status)
      expect(head.headers.get('content-type'), path).toBe(get.headers.get('content-type'))
      expect(await head.text(), path).toBe('')
    }
    expect((await request('/category/mathematics/page/9', { method: 'HEAD' })).status).toBe(404)
  })
})
