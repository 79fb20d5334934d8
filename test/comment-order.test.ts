/**
 * The readers' comment order (最早 / 最新 / 最热, `?order=oldest|newest|hot`): the hot order by likes
 * (ties: more replies, then older), pinned threads first in every order, paging and page links in
 * the chosen order, the order links (the default one the post's own address), the canonical address,
 * a bad value refused with a 400, no reader's view counted, no ETag shared between orders, and no
 * further call to the post's object for another order of comments the isolate already holds.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { BROWSER_UA, call, ORIGIN, putPost, request, roomStats, TOKEN } from './helpers'
import { parseHtml } from './html'

const ADMIN = { authorization: `Bearer ${TOKEN}` }

/** Posts a comment as JSON; returns its id. */
async function comment(postId: string, body: Record<string, unknown>, vars: Record<string, string> = {}): Promise<number> {
  const res = await call(
    `/api/posts/${postId}/comments`,
    { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.60' }, body: JSON.stringify(body) },
    vars,
  )
  expect(res.status, await res.clone().text()).toBe(201)
  return ((await res.json()) as { comment: { id: number } }).comment.id
}

/** Likes a comment as `n` different readers. */
async function likes(postId: string, cid: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await call(`/api/posts/${postId}/comments/${cid}/like`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'user-agent': BROWSER_UA, 'cf-connecting-ip': `198.51.100.${i + 1}` },
    })
    expect(res.status, await res.clone().text()).toBe(200)
  }
}

function pin(postId: string, cid: number) {
  return call(`/api/comments/${postId}/${cid}/pin`, { method: 'POST', headers: ADMIN })
}

/** A page as a reader's browser gets it: its top-level comments and every comment, in order, its links. */
async function page(path: string, vars: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const res = await call(path, { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': '198.51.100.200', ...headers } }, vars)
  const text = await res.text()
  const html = parseHtml(text)
  const ids = (cls: string) => html.byClass(cls).map((e) => Number(html.attr(e, 'id')!.slice('comment-'.length)))
  const sort = html.byClass('comment-sort')[0]
  const sortLinks = sort
    ? html
        .tags('a')
        .filter((a) => isInside(a, sort))
        .map((a) => ({ text: html.text(a), href: html.attr(a, 'href'), current: html.attr(a, 'aria-current') ?? null }))
    : null
  return {
    res,
    text,
    html,
    roots: ids('depth-0'),
    all: html
      .tags('li')
      .map((e) => html.attr(e, 'id') ?? '')
      .filter((id) => id.startsWith('comment-'))
      .map((id) => Number(id.slice('comment-'.length))),
    sortLinks,
    /** The comment page links above the comments (the same are below). */
    pageLinks: html
      .byClass('comment-pages')
      .slice(0, 1)
      .flatMap((nav) => html.tags('a').filter((a) => isInside(a, nav)))
      .map((a) => html.attr(a, 'href')),
    canonical: html.tags('link').find((l) => html.attr(l, 'rel') === 'canonical')?.attribs.href,
  }
}

function isInside(e: { parent: unknown }, ancestor: unknown): boolean {
  for (let p = e.parent as { parent: unknown } | null; p; p = p.parent as { parent: unknown } | null) if (p === ancestor) return true
  return false
}

/**
 * A post with five threads: A, B, C (two replies), D (one reply), E, liked B 2, C 1, D 1 (C and D
 * tie on likes: C has more replies), A and E none (they tie on everything: A is older).
 */
async function fiveThreads(postId: string) {
  await putPost(postId, { title: 'Five threads' })
  const a = await comment(postId, { author: 'A', body: 'a' })
  const b = await comment(postId, { author: 'B', body: 'b' })
  const c = await comment(postId, { author: 'C', body: 'c' })
  const c1 = await comment(postId, { author: 'C1', body: 'reply to c', parent: c })
  const d = await comment(postId, { author: 'D', body: 'd' })
  const c2 = await comment(postId, { author: 'C2', body: 'another reply to c', parent: c })
  const d1 = await comment(postId, { author: 'D1', body: 'reply to d', parent: d })
  const e = await comment(postId, { author: 'E', body: 'e' })
  await likes(postId, b, 2)
  await likes(postId, c, 1)
  await likes(postId, d, 1)
  return { a, b, c, c1, c2, d, d1, e }
}

describe('comment order (最早 / 最新 / 最热)', () => {
  it('sorts threads by likes in the hot order (ties: more replies, then older), replies in written order', async () => {
    const { a, b, c, c1, c2, d, d1, e } = await fiveThreads('order-hot')
    const oldest = await page('/archives/order-hot')
    expect(oldest.roots).toEqual([a, b, c, d, e])
    const newest = await page('/archives/order-hot?order=newest')
    expect(newest.res.status).toBe(200)
    expect(newest.roots).toEqual([e, d, c, b, a])
    const hot = await page('/archives/order-hot?order=hot')
    expect(hot.res.status).toBe(200)
    expect(hot.roots).toEqual([b, c, d, a, e])
    expect(hot.all).toEqual([b, c, c1, c2, d, d1, a, e])
    // The same comments with the same markup, only in another order.
    for (const id of [a, b, c, c1, c2, d, d1, e]) {
      const one = (p: typeof hot) => p.text.slice(p.text.indexOf(`<li id="comment-${id}"`)).split('<footer')[0]
      expect(one(hot)).toBe(one(oldest))
    }
    // An order asked for by name that is COMMENT_ORDER: the default order's comments.
    expect((await page('/archives/order-hot?order=oldest')).roots).toEqual(oldest.roots)
  })

  it('follows a new like at once', async () => {
    const { a, b, c, d, e } = await fiveThreads('order-live')
    expect((await page('/archives/order-live?order=hot')).roots).toEqual([b, c, d, a, e])
    await likes('order-live', e, 3)
    expect((await page('/archives/order-live?order=hot')).roots).toEqual([e, b, c, d, a])
    // And the default order's page, kept beside it, is still the default order.
    expect((await page('/archives/order-live')).roots).toEqual([a, b, c, d, e])
  })

  it('shows pinned threads first on page 1 in every order', async () => {
    const { a, b, c, d, e } = await fiveThreads('order-pins')
    // Read in every order first, so that each order's kept thread must follow the pins.
    for (const q of ['', '?order=newest', '?order=hot']) await page(`/archives/order-pins${q}`)
    expect((await pin('order-pins', e)).status).toBe(200)
    expect((await pin('order-pins', a)).status).toBe(200)
    expect((await page('/archives/order-pins')).roots).toEqual([e, a, b, c, d])
    expect((await page('/archives/order-pins?order=newest')).roots).toEqual([e, a, d, c, b])
    expect((await page('/archives/order-pins?order=hot')).roots).toEqual([e, a, b, c, d])
    // In COMMENT_ORDER=newest too, where hot and oldest are the orders asked for.
    const vars = { COMMENT_ORDER: 'newest' }
    expect((await page('/archives/order-pins', vars)).roots).toEqual([e, a, d, c, b])
    expect((await page('/archives/order-pins?order=oldest', vars)).roots).toEqual([e, a, b, c, d])
    expect((await page('/archives/order-pins?order=hot', vars)).roots).toEqual([e, a, b, c, d])
  })

  it('pages in the chosen order; the page links and the order links keep to it; the permalink keeps to COMMENT_ORDER', async () => {
    const { a, b, c, d, e } = await fiveThreads('order-paged')
    const vars = { COMMENTS_PER_PAGE: '2' }
    const hot1 = await page('/archives/order-paged?order=hot', vars)
    expect(hot1.roots).toEqual([b, c])
    const hot2 = await page('/archives/order-paged/comment-page-2?order=hot', vars)
    expect(hot2.res.status).toBe(200)
    expect(hot2.roots).toEqual([d, a])
    expect((await page('/archives/order-paged/comment-page-3?order=hot', vars)).roots).toEqual([e])
    expect((await page('/archives/order-paged/comment-page-4?order=hot', vars)).res.status).toBe(404)
    expect(hot2.pageLinks).toEqual([
      '/archives/order-paged?order=hot#comments',
      '/archives/order-paged?order=hot#comments',
      '/archives/order-paged/comment-page-2?order=hot#comments',
      '/archives/order-paged/comment-page-3?order=hot#comments',
      '/archives/order-paged/comment-page-3?order=hot#comments',
    ])
    // The order links lead to the first page of each order; the default order's is the post's own address.
    expect(hot2.sortLinks).toEqual([
      { text: '最早', href: '/archives/order-paged#comments', current: null },
      { text: '最新', href: '/archives/order-paged?order=newest#comments', current: null },
      { text: '最热', href: '/archives/order-paged?order=hot#comments', current: 'true' },
    ])
    expect(hot2.canonical).toBe(`${ORIGIN}/archives/order-paged`)

    // The default order's pages are as before: links without a query, their own canonical address.
    const plain2 = await page('/archives/order-paged/comment-page-2', vars)
    expect(plain2.roots).toEqual([c, d])
    expect(plain2.pageLinks.every((href) => !href!.includes('?'))).toBe(true)
    expect(plain2.sortLinks![0]).toEqual({ text: '最早', href: '/archives/order-paged#comments', current: 'true' })
    expect(plain2.canonical).toBe(`${ORIGIN}/archives/order-paged/comment-page-2`)
    expect((await page('/archives/order-paged', vars)).canonical).toBe(`${ORIGIN}/archives/order-paged`)
    // COMMENT_ORDER named in the query: the default order's page, whose links drop the query.
    const named = await page('/archives/order-paged/comment-page-2?order=oldest', vars)
    expect(named.roots).toEqual([c, d])
    expect(named.pageLinks).toEqual(plain2.pageLinks)
    expect(named.canonical).toBe(`${ORIGIN}/archives/order-paged`)

    // With COMMENT_ORDER=newest, newest is the plain address and oldest the one asked for.
    const newestSite = await page('/archives/order-paged?order=oldest', { ...vars, COMMENT_ORDER: 'newest' })
    expect(newestSite.roots).toEqual([a, b])
    expect(newestSite.sortLinks).toEqual([
      { text: '最早', href: '/archives/order-paged?order=oldest#comments', current: 'true' },
      { text: '最新', href: '/archives/order-paged#comments', current: null },
      { text: '最热', href: '/archives/order-paged?order=hot#comments', current: null },
    ])

    // A comment's permalink leads to its page in COMMENT_ORDER, whatever order its reader had chosen.
    expect((await call(`/archives/order-paged/comments/${a}`, {}, vars)).headers.get('location')).toBe(`/archives/order-paged#comment-${a}`)
    expect((await call(`/archives/order-paged/comments/${e}`, {}, vars)).headers.get('location')).toBe(
      `/archives/order-paged/comment-page-3#comment-${e}`,
    )
  })

  it("keeps a reader's order in the reply links; the reply page shows that order, replying", async () => {
    const { b, c1 } = await fiveThreads('order-reply')
    const replyLinks = (p: Awaited<ReturnType<typeof page>>) => p.html.byClass('comment-reply').map((a) => p.html.attr(a, 'href'))
    const hot = await page('/archives/order-reply?order=hot')
    expect(replyLinks(hot)).toContain(`/archives/order-reply?order=hot&replyto=${b}#respond`)
    expect(replyLinks(hot).every((href) => href!.startsWith('/archives/order-reply?order=hot&replyto='))).toBe(true)
    // The site's own order (named or not): no query but the reply.
    for (const path of ['/archives/order-reply', '/archives/order-reply?order=oldest'])
      expect(replyLinks(await page(path))).toContain(`/archives/order-reply?replyto=${b}#respond`)
    // Following one: the hot order, marked, and the form answering the comment.
    const reply = await page(`/archives/order-reply?order=hot&replyto=${c1}`)
    expect(reply.res.status).toBe(200)
    expect(reply.roots).toEqual(hot.roots)
    expect(reply.sortLinks!.find((l) => l.current === 'true')!.text).toBe('最热')
    const form = reply.html.byId('respond')!
    expect(reply.html.tags('input').find((i) => isInside(i, form) && reply.html.attr(i, 'name') === 'parent')!.attribs.value).toBe(
      String(c1),
    )
  })

  it('sends a renamed post page in another order to the new address in that order', async () => {
    await fiveThreads('order-old-name')
    const renamed = await request('/api/posts/order-old-name/rename', {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'order-new-name' }),
    })
    expect(renamed.status).toBe(200)
    const vars = { COMMENTS_PER_PAGE: '2' }
    const moved = await call('/archives/order-old-name/comment-page-2?order=hot', {}, vars)
    expect([301, 302]).toContain(moved.status)
    expect(moved.headers.get('location')).toBe('/archives/order-new-name/comment-page-2?order=hot')
    const plain = await call('/archives/order-old-name/comment-page-2', {}, vars)
    expect(plain.headers.get('location')).toBe('/archives/order-new-name/comment-page-2')
  })

  it('shows the order links only when there are two threads or more to sort, in English too', async () => {
    await putPost('order-few', { title: 'Few' })
    expect((await page('/archives/order-few')).sortLinks).toBeNull()
    const one = await comment('order-few', { author: 'A', body: 'a' })
    await comment('order-few', { author: 'R', body: 'a reply', parent: one })
    expect((await page('/archives/order-few')).sortLinks).toBeNull()
    expect((await page('/archives/order-few?order=hot')).sortLinks).toBeNull()
    await comment('order-few', { author: 'B', body: 'b' })
    const en = await page('/archives/order-few?order=newest', { LANGUAGE: 'en' })
    expect(en.sortLinks).toEqual([
      { text: 'Oldest', href: '/archives/order-few#comments', current: null },
      { text: 'Newest', href: '/archives/order-few?order=newest#comments', current: 'true' },
      { text: 'Top', href: '/archives/order-few?order=hot#comments', current: null },
    ])
    expect(en.html.attr(en.html.byClass('comment-sort')[0]!, 'aria-label')).toBe('Sort comments')
  })

  it('refuses an order that is none of the three with a 400 page in the site language, never a 500', async () => {
    await fiveThreads('order-bad')
    for (const q of ['?order=best', '?order=', '?order=HOT', '?order=hot&order=newest', '?replyto=1&order=top']) {
      for (const path of ['/archives/order-bad', '/archives/order-bad/comment-page-1']) {
        const zh = await page(`${path}${q}`)
        expect(zh.res.status, `${path}${q}`).toBe(400)
        expect(zh.res.headers.get('content-type')).toContain('text/html')
        expect(zh.text).toContain('评论排序只能是 oldest（最早）、newest（最新）或 hot（最热）。')
      }
    }
    const en = await page('/archives/order-bad?order=best', { LANGUAGE: 'en' })
    expect(en.res.status).toBe(400)
    expect(en.text).toContain('Comments can be sorted oldest, newest or hot (top) only.')
    // Other queries are left alone, as before.
    expect((await page('/archives/order-bad?utm_source=x')).res.status).toBe(200)
  })

  it('counts no reader on a page in another order, as on a comment page; the post page itself still counts', async () => {
    await fiveThreads('order-views')
    const before = (await roomStats('order-views')).views
    for (const q of ['?order=hot', '?order=newest', '?order=oldest', '/comment-page-1?order=hot'])
      expect((await page(`/archives/order-views${q}`, {}, { 'cf-connecting-ip': '198.51.100.150' })).res.status).toBe(200)
    expect((await roomStats('order-views')).views).toBe(before)
    await page('/archives/order-views', {}, { 'cf-connecting-ip': '198.51.100.151' })
    expect((await roomStats('order-views')).views).toBe(before + 1)
  })

  it('gives no validator one order could answer for another: no ETag, a conditional GET gets its own order', async () => {
    const { a, b, c, d, e } = await fiveThreads('order-etag')
    for (const q of ['', '?order=newest', '?order=hot']) {
      const res = await page(`/archives/order-etag${q}`)
      expect(res.res.headers.get('etag')).toBeNull()
      expect(res.res.headers.get('cache-control')).toBe('private, no-cache')
    }
    const conditional = await page(
      '/archives/order-etag?order=hot',
      {},
      { 'if-none-match': '*', 'if-modified-since': new Date().toUTCString() },
    )
    expect(conditional.res.status).toBe(200)
    expect(conditional.roots).toEqual([b, c, d, a, e])
  })

  it('makes another order from the comments the isolate holds, with no further call to the post object', async () => {
    const { a, b, c, d, e } = await fiveThreads('order-calls')
    const calls: string[] = []
    const counting = {
      ...env,
      POST_ROOM: new Proxy(env.POST_ROOM, {
        get(ns, prop) {
          if (prop !== 'getByName') return Reflect.get(ns, prop)
          return (name: string) => {
            const stub = env.POST_ROOM.getByName(name)
            return new Proxy(stub, {
              get: (st, p) => {
                if (typeof p !== 'string' || p === 'then') return Reflect.get(st, p)
                return (...args: unknown[]) => {
                  // (open: whether the Worker said it holds the comments, so the object sends none.)
                  const known = (args[0] as { knownVersion?: number } | undefined)?.knownVersion
                  calls.push(p === 'open' ? `open ${known !== undefined && known >= 0 ? 'known' : 'unknown'}` : p)
                  return (stub as unknown as Record<string, (...a: unknown[]) => unknown>)[p]!(...args)
                }
              },
            })
          }
        },
      }),
    } as Cloudflare.Env
    const get = async (path: string) => {
      const res = await request(path, { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': '198.51.100.160' } }, counting)
      expect(res.status).toBe(200)
      const html = parseHtml(await res.text())
      return html.byClass('depth-0').map((x) => Number(html.attr(x, 'id')!.slice('comment-'.length)))
    }
    await get('/archives/order-calls')
    calls.length = 0
    // The hot order, made from the comments COMMENT_ORDER's thread holds: one call, which sends no comments.
    expect(await get('/archives/order-calls?order=hot')).toEqual([b, c, d, a, e])
    expect(calls).toEqual(['open known'])
    calls.length = 0
    // Both kept now: one call a page, each.
    expect(await get('/archives/order-calls')).toEqual([a, b, c, d, e])
    expect(await get('/archives/order-calls?order=hot')).toEqual([b, c, d, a, e])
    expect(await get('/archives/order-calls?order=newest')).toEqual([e, d, c, b, a])
    expect(calls).toEqual(['open known', 'open known', 'open known'])
  })
})
