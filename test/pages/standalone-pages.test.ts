import { beforeAll, describe, expect, it } from 'vitest'
import { ASSETS } from '../../src/views/asset-manifest'
import { eventually, postComment, putPost, request, TOKEN, view } from '../helpers'

// Three posts in one category and tag, a guestbook page (comments on, in the header nav) and an
// about page between them in time, with the same category and tag: the pages must stay out of
// every list, feed and count, and still be served, commented on and in the sitemap.
beforeAll(async () => {
  const post = (id: string, date: string) =>
    putPost(id, { title: `文章 ${id}`, date, category: '物理', tags: ['页面测试'] }, `正文 ${id}，公式 $x^2$。`)
  for (const res of [
    await post('sp-old', '2024-01-01 10:00'),
    await putPost(
      'guestbook',
      { title: '留言板', type: 'page', nav: true, date: '2024-01-02 10:00', category: '物理', tags: ['页面测试'] },
      '欢迎留言。',
    ),
    await post('sp-mid', '2024-01-03 10:00'),
    await putPost('about', { title: '关于本站', type: 'page', date: '2024-01-04 10:00', category: '物理' }, '关于 $E=mc^2$。'),
    await post('sp-new', '2024-01-05 10:00'),
  ]) {
    expect(res.status).toBeLessThan(300)
  }
})

const html = async (path: string) => {
  const res = await request(path)
  expect(res.status, path).toBe(200)
  return res.text()
}

describe('standalone pages (type: page)', () => {
  it('serves a page at /archives/<id> with title, body and comment form, without date line, citation or neighbours', async () => {
    const res = await view('/archives/about')
    expect(res.status).toBe(200)
    const full = await res.text()
    // Its <head> describes a page, not an article: no citation tags, no BlogPosting, no article:*.
    const head = full.split('</head>')[0]!
    expect(head).toContain('property="og:type" content="website"')
    expect(head).not.toContain('citation_title')
    expect(head).not.toContain('BlogPosting')
    expect(head).not.toContain('article:published_time')
    expect(head).not.toContain(ASSETS['cite.js'])
    expect(head).toContain(ASSETS['comments.js'])
    const page = full.split('<aside')[0]!
    expect(page).toContain('关于本站')
    expect(page).toContain('class="katex"')
    expect(page).toContain('id="respond"')
    expect(page).not.toContain('id="cite"')
    expect(page).not.toContain('class="post-author"')
    expect(page).not.toContain('sp-mid')
    expect(page).not.toContain('sp-new')
    // A post next to it in time links its real neighbours, never the pages.
    const mid = (await html('/archives/sp-mid')).split('<aside')[0]!
    expect(mid).toContain('/archives/sp-old')
    expect(mid).toContain('/archives/sp-new')
    expect(mid).not.toContain('/archives/guestbook"')
    expect(mid).not.toContain('/archives/about"')
    expect(mid).toContain('id="cite"')
  })

  it('answers its short address /<id> with a 301 to the page', async () => {
    for (const path of ['/about', '/guestbook', '/about/']) {
      const res = await request(path)
      expect(res.status, path).toBe(301)
      expect(res.headers.get('location')).toBe(`/archives/${path.replaceAll('/', '')}`)
    }
    expect((await request('/sp-mid')).status).toBe(404)
    expect((await request('/nothing-here')).status).toBe(404)
  })

  it('lists the pages with nav: true in the sidebar of every page', async () => {
    const widget = /<section class="widget site-pages">([\s\S]*?)<\/section>/.exec(await html('/archives/sp-old'))?.[1]
    expect(widget).toContain('<a href="/archives/guestbook">留言板</a>')
    expect(widget).not.toContain('about')
  })

  it('takes comments (a guestbook)', async () => {
    const res = await postComment('guestbook', { author: '访客', body: '到此一游 $a+b$' })
    expect(res.status).toBe(201)
    expect(await html('/archives/guestbook')).toContain('到此一游')
  })

  it('is absent from the front page, /page/n, term pages and counts, /archives and /popular', async () => {
    await view('/archives/about', '198.51.100.9')
    for (const path of [
      '/',
      '/category/physics',
      `/tag/${encodeURIComponent('页面测试')}`,
      '/archives',
      '/popular',
      '/categories',
      '/tags',
    ]) {
      // The sidebar's 最近评论 may name the guestbook (its comments are the site's comments): only the main part counts.
      const page = (await html(path)).split('<aside')[0]!
      expect(page, path).not.toContain('/archives/about"')
      expect(page, path).not.toContain('/archives/guestbook"')
    }
    expect(await html('/')).toContain('/archives/sp-new')
    // The category counts its three posts only.
    const categories = await html('/categories')
    expect(categories).toContain('物理</a> <span class="term-count">(3)</span>')
    expect(await html('/category/physics')).toContain('3篇文章')
    expect((await request('/page/2')).status).toBe(404)
  })

  it('is never where /random (随机一篇) leads', async () => {
    const seen = new Set<string>()
    for (let i = 0; i < 40; i++) seen.add((await request('/random')).headers.get('location')!)
    expect([...seen].sort()).toEqual(['/archives/sp-mid', '/archives/sp-new', '/archives/sp-old'])
  })

  it('is absent from every feed', async () => {
    for (const path of [
      '/feed',
      '/feed/atom',
      '/category/physics/feed',
      '/category/physics/feed/atom',
      `/tag/${encodeURIComponent('页面测试')}/feed`,
    ]) {
      const xml = await html(path)
      expect(xml, path).toContain('/archives/sp-new')
      expect(xml, path).not.toContain('/archives/about<')
      expect(xml, path).not.toContain('/archives/guestbook<')
      expect(xml, path).not.toContain('关于本站')
    }
  })

  it('is in the sitemap', async () => {
    const xml = await html('/sitemap.xml')
    expect(xml).toContain('<loc>https://blog.example/archives/about</loc>')
    expect(xml).toContain('<loc>https://blog.example/archives/guestbook</loc>')
    expect(xml).toContain('<loc>https://blog.example/archives/sp-old</loc>')
  })

  it('is found by search, shown as a page: no date line and no terms, a post beside it keeps both', async () => {
    // The result for `id` among the results for `q` (the index takes a moment; the header's nav links a page too).
    const result = (q: string, id: string) =>
      eventually(async () => {
        const found = (await html(`/search?q=${encodeURIComponent(q)}`))
          .split('<article class="entry search-result">')
          .slice(1)
          .map((a) => a.split('</article>')[0]!)
          .find((a) => a.includes(`href="/archives/${id}"`))
        expect(found, id).toBeTruthy()
        return found!
      })
    const page = await result('欢迎留言', 'guestbook')
    expect(page).not.toContain('<time')
    expect(page).not.toContain('search-tags')
    expect(page).not.toContain('entry-meta')
    expect(page).toContain('search-snippet')
    const post = await result('页面测试', 'sp-mid')
    expect(post).toMatch(/<time datetime="2024-01-03T10:00/)
    expect(post).toContain('>物理</a>')
    expect(post).toContain('>页面测试</a>')
  })

  it('is returned by the API and as markdown with type and nav', async () => {
    const json = (await (await request('/api/posts/guestbook', { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      type: string
      nav: boolean
    }
    expect(json).toMatchObject({ type: 'page', nav: true })
    const md = await (
      await request('/api/posts/guestbook', { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/markdown' } })
    ).text()
    expect(md).toContain('type: "page"')
    expect(md).toContain('nav: true')
    const post = await (
      await request('/api/posts/sp-old', { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/markdown' } })
    ).text()
    expect(post).not.toContain('type:')
    // A kept version, as a file, is still a page (restoring or re-publishing it keeps it out of the lists).
    const auth = { authorization: `Bearer ${TOKEN}` }
    const edited = md.replace('留言', '留言（新）')
    expect(edited).not.toBe(md)
    expect(
      (await request('/api/posts/guestbook', { method: 'PUT', headers: { ...auth, 'content-type': 'text/markdown' }, body: edited }))
        .status,
    ).toBe(200)
    const { revisions } = (await (await request('/api/posts/guestbook/revisions', { headers: auth })).json()) as {
      revisions: { revision: number; current: boolean }[]
    }
    const kept = revisions.find((r) => !r.current)!
    const old = await (
      await request(`/api/posts/guestbook/revisions/${kept.revision}`, { headers: { ...auth, accept: 'text/markdown' } })
    ).text()
    expect(old).toContain('type: "page"')
    expect(old).toContain('nav: true')
  })

  it('refuses a page whose id is a route of the site (400), and a bad type', async () => {
    for (const id of ['search', 'feed', 'archives', 'media', 'popular', 'random']) {
      const res = await putPost(id, { title: 'x', type: 'page' })
      expect(res.status, id).toBe(400)
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(`/${id}`)
    }
    const bad = await putPost('odd', { title: 'x', type: 'note' })
    expect(bad.status).toBe(400)
  })

  it('becomes a listed post again when type: page is removed', async () => {
    expect((await putPost('flip', { title: '翻转', date: '2024-01-06 10:00', type: 'page' })).status).toBeLessThan(300)
    expect(await html('/')).not.toContain('/archives/flip"')
    expect((await putPost('flip', { title: '翻转', date: '2024-01-06 10:00' })).status).toBeLessThan(300)
    expect(await html('/')).toContain('/archives/flip"')
    expect((await request('/flip')).status).toBe(404)
  })
})
