/**
 * A post's own comments feed (`/archives/:id/comments/feed`, `/atom`; README: Feeds): the post's
 * newest approved comments in full, newest first, capped; 404/410/redirects as the post's page
 * answers; WordPress's `/archives/:id/feed`; read without counting a view; validators and 304; the
 * post page announces it.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { BROWSER_UA, call, ORIGIN, postComment, putPost, renamePost, request, roomStats, TOKEN } from '../helpers'
import { parseHtml } from '../html'
import { kid, kids, NS, parseXml, textOf, type XmlElement } from '../xml'
import { POST_COMMENTS_FEED_SIZE } from '../../src/routes/feeds'

const ADMIN = { authorization: `Bearer ${TOKEN}` }
const RSS = 'application/rss+xml; charset=utf-8'
const ATOM = 'application/atom+xml; charset=utf-8'
const TITLE = '讨论 <热> & "冷"'

/** Posts a comment (as a reader at `ip`, with settings `vars`); returns its number. */
async function comment(postId: string, body: Record<string, unknown>, vars: Record<string, string> = {}, ip = '192.0.2.77') {
  const res = await call(
    `/api/posts/${postId}/comments`,
    { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip }, body: JSON.stringify(body) },
    vars,
  )
  expect(res.status, await res.clone().text()).toBe(201)
  const { comment } = (await res.json()) as { comment: { id: number; status: string } }
  expect(comment.status).toBe(vars.COMMENT_MODERATION === 'all' ? 'pending' : 'approved')
  return comment.id
}

async function feed(path: string, type = RSS): Promise<{ res: Response; root: XmlElement }> {
  const res = await request(path)
  expect(res.status, path).toBe(200)
  expect(res.headers.get('content-type')).toBe(type)
  return { res, root: parseXml(await res.text()) }
}

function rssItems(root: XmlElement) {
  expect(root.name).toBe('rss')
  const channel = kid(root, '', 'channel')
  return { channel, items: kids(channel, '', 'item') }
}

/** The test's bindings, with every KV call and every Durable Object call (namespace, object, method) written down. */
function counting(): { bindings: Cloudflare.Env; kv: string[]; objects: string[] } {
  const kv: string[] = []
  const objects: string[] = []
  const calls = <T extends object>(target: T, record: (name: string) => void): T =>
    new Proxy(target, {
      get(t, p) {
        const v = Reflect.get(t, p) as unknown
        if (typeof v !== 'function' || p === 'then') return v
        return (...args: unknown[]) => {
          record(String(p))
          // (Reflect.apply: an RPC stub's method would take `.apply` for a method of the object.)
          return Reflect.apply(v as (...a: unknown[]) => unknown, t, args)
        }
      },
    })
  const namespace = <T extends object>(ns: T, name: string): T =>
    new Proxy(ns, {
      get(t, p) {
        const v = Reflect.get(t, p) as unknown
        if (p !== 'getByName')
          return typeof v === 'function' ? (...a: unknown[]) => Reflect.apply(v as (...a: unknown[]) => unknown, t, a) : v
        return (id: string) => calls(Reflect.apply(v as (id: string) => object, t, [id]), (m) => objects.push(`${name} ${id} ${m}`))
      },
    })
  const bindings = {
    ...env,
    POSTS: calls(env.POSTS, (m) => kv.push(m)),
    POST_ROOM: namespace(env.POST_ROOM, 'POST_ROOM'),
    SITE: namespace(env.SITE, 'SITE'),
    VIEW_SHARD: namespace(env.VIEW_SHARD, 'VIEW_SHARD'),
  } as Cloudflare.Env
  return { bindings, kv, objects }
}

const links = (items: XmlElement[]) => items.map((i) => textOf(i, '', 'link'))
const permalink = (post: string, id: number) => `${ORIGIN}/archives/${post}/comments/${id}`

/** The comments of `cf-post`, by what happened to them. */
const ids = { first: 0, math: 0, pending: 0, spam: 0, deleted: 0, reply: 0, last: 0 }

beforeAll(async () => {
  expect((await putPost('cf-post', { title: TITLE, date: '2024-05-01 10:00', description: 'A post about $x^2$.' })).status).toBe(201)
  expect((await putPost('cf-other', { title: 'Another post', date: '2024-05-02 10:00' })).status).toBe(201)
  ids.first = await comment('cf-post', { author: 'Ann', body: 'The **first** comment, see [the notes](https://example.com/n) and `x`.' })
  ids.math = await comment('cf-post', { author: '读者<甲>&乙', body: '请问 $\\lambda^2$ 怎么取？\n\n$$\\int_0^1 x\\,dx$$' })
  ids.pending = await comment('cf-post', { author: 'Held', body: 'Waiting for the author.' }, { COMMENT_MODERATION: 'all' })
  ids.spam = await comment('cf-post', { author: 'Spammer', body: 'Buy things now.' })
  expect((await request(`/api/comments/cf-post/${ids.spam}/spam`, { method: 'POST', headers: ADMIN })).status).toBe(200)
  ids.deleted = await comment('cf-post', { author: 'Gone', body: 'Soon deleted, but answered.' })
  ids.reply = await comment('cf-post', { author: 'Ann', body: 'A reply to a comment that goes.', parent: ids.deleted })
  expect((await request(`/api/comments/cf-post/${ids.deleted}`, { method: 'DELETE', headers: ADMIN })).status).toBe(200)
  ids.last = await comment('cf-post', { author: 'Bo', body: 'The newest one.' })
  await comment('cf-other', { author: 'Elsewhere', body: 'On another post.' })
}, 60_000)

describe("a post's comments feed", () => {
  it('lists only the approved comments, newest first, in full with MathML, each at its permalink', async () => {
    const { res, root } = await feed('/archives/cf-post/comments/feed')
    const { channel, items } = rssItems(root)
    expect(links(items)).toEqual([ids.last, ids.reply, ids.math, ids.first].map((id) => permalink('cf-post', id)))
    expect(textOf(channel, '', 'title')).toBe(`《${TITLE}》的评论`)
    expect(textOf(channel, '', 'link')).toBe(`${ORIGIN}/archives/cf-post`)
    expect(kid(channel, NS.atom, 'link').attrs.href).toBe(`${ORIGIN}/archives/cf-post/comments/feed`)
    const math = items[2]!
    expect(textOf(math, '', 'title')).toBe(`读者<甲>&乙 评论 ${TITLE}`)
    expect(textOf(math, '', 'guid')).toBe(permalink('cf-post', ids.math))
    expect(textOf(math, NS.dc, 'creator')).toBe('读者<甲>&乙')
    expect(textOf(math, '', 'description')).toContain('λ²')
    // The plain-text summary is the text as read: no markdown marks or link targets.
    expect(textOf(items[3]!, '', 'description')).toBe('The first comment, see the notes and x.')
    const html = textOf(math, NS.content, 'encoded')
    expect(html).toContain('<math')
    expect(html).toContain('display="block"')
    expect(html).not.toContain('katex-html')
    expect(res.headers.get('etag')).toMatch(/^W\/"[0-9a-f]{32}"$/)
    expect(Date.parse(res.headers.get('last-modified') ?? '')).toBeGreaterThan(Date.parse('2025-01-01'))
    expect(res.headers.get('cache-control')).toBe('public, max-age=300')
  })

  it('is also Atom', async () => {
    const { root } = await feed('/archives/cf-post/comments/feed/atom', ATOM)
    expect(root.ns).toBe(NS.atom)
    const entries = kids(root, NS.atom, 'entry')
    expect(entries.map((e) => textOf(e, NS.atom, 'id'))).toEqual(
      [ids.last, ids.reply, ids.math, ids.first].map((id) => permalink('cf-post', id)),
    )
    expect(textOf(root, NS.atom, 'title')).toBe(`《${TITLE}》的评论`)
    expect(kids(root, NS.atom, 'link').find((l) => l.attrs.rel === 'self')?.attrs.href).toBe(
      `${ORIGIN}/archives/cf-post/comments/feed/atom`,
    )
  })

  it(`shows the newest ${POST_COMMENTS_FEED_SIZE} comments only`, async () => {
    expect((await putPost('cf-busy', { title: 'Busy', date: '2024-05-03 10:00' })).status).toBe(201)
    const posted: number[] = []
    for (let i = 0; i < POST_COMMENTS_FEED_SIZE + 3; i++)
      posted.push(await comment('cf-busy', { author: `R${i}`, body: `Comment number ${i}.` }))
    const { items } = rssItems((await feed('/archives/cf-busy/comments/feed')).root)
    expect(links(items)).toEqual(
      posted
        .slice(-POST_COMMENTS_FEED_SIZE)
        .reverse()
        .map((id) => permalink('cf-busy', id)),
    )
  }, 60_000)

  it('has an empty feed while a post has no comments, dated by the post', async () => {
    expect((await putPost('cf-quiet', { title: 'Quiet', date: '2024-05-04 10:00' })).status).toBe(201)
    const quiet = rssItems((await feed('/archives/cf-quiet/comments/feed')).root)
    expect(quiet.items).toEqual([])
    expect(textOf(quiet.channel, '', 'lastBuildDate')).toBe('Sat, 04 May 2024 10:00:00 +0800')
  })

  it('answers 404 for a draft, a scheduled post, an unknown id and a bad id; 410 for a deleted post', async () => {
    expect((await putPost('cf-draft', { title: 'Draft', date: '2024-05-05', draft: true })).status).toBe(201)
    expect((await putPost('cf-later', { title: 'Later', date: '2099-01-01' })).status).toBe(201)
    expect((await putPost('cf-removed', { title: 'Removed', date: '2024-05-06' })).status).toBe(201)
    await comment('cf-removed', { author: 'X', body: 'On a post that goes.' })
    expect((await request('/api/posts/cf-removed', { method: 'DELETE', headers: ADMIN })).status).toBe(200)
    const cases: [string, number][] = [
      ['/archives/cf-draft/comments/feed', 404],
      ['/archives/cf-draft/comments/feed/atom', 404],
      ['/archives/cf-later/comments/feed', 404],
      ['/archives/no-such-post/comments/feed', 404],
      ['/archives/Bad_Id/comments/feed', 404],
      ['/archives/cf-removed/comments/feed', 410],
      ['/archives/cf-removed/comments/feed/atom', 410],
    ]
    for (const [path, status] of cases) {
      const res = await request(path)
      expect(res.status, path).toBe(status)
      await res.arrayBuffer()
    }
  })

  it("follows a renamed post from its old id to the new id's feed: 301 (302 while only the old object knows)", async () => {
    expect((await putPost('cf-was', { title: 'Renamed', date: '2024-05-07' })).status).toBe(201)
    const id = await comment('cf-was', { author: 'Ann', body: 'Before the rename.' })
    const before = await env.POSTS.get('v1:post:cf-was')
    expect((await renamePost('cf-was', 'cf-now')).status).toBe(200)
    for (const suffix of ['', '/atom']) {
      const res = await call(`/archives/cf-was/comments/feed${suffix}`)
      expect(res.status).toBe(301)
      expect(res.headers.get('location')).toBe(`/archives/cf-now/comments/feed${suffix}`)
    }
    expect(links(rssItems((await feed('/archives/cf-now/comments/feed')).root).items)).toEqual([permalink('cf-now', id)])
    // This location's KV still holds the old record: the old object says where the post went.
    await env.POSTS.put('v1:post:cf-was', before!)
    const stale = await call('/archives/cf-was/comments/feed')
    expect(stale.status).toBe(302)
    expect(stale.headers.get('location')).toBe('/archives/cf-now/comments/feed')
  })

  it("redirects WordPress's /archives/:id/feed(/) and /feed/atom(/) to the comments feed (301)", async () => {
    for (const path of ['/archives/cf-post/feed', '/archives/cf-post/feed/']) {
      const res = await call(path)
      expect(res.status, path).toBe(301)
      expect(res.headers.get('location')).toBe('/archives/cf-post/comments/feed')
    }
    for (const path of ['/archives/cf-post/feed/atom', '/archives/cf-post/feed/atom/']) {
      const res = await call(path)
      expect(res.status, path).toBe(301)
      expect(res.headers.get('location')).toBe('/archives/cf-post/comments/feed/atom')
    }
  })

  it("reads the comments without counting a view (a browser's page view counts, its feed read does not)", async () => {
    const reader = { 'user-agent': BROWSER_UA, 'cf-connecting-ip': '203.0.113.77', accept: 'application/rss+xml' }
    const before = (await roomStats('cf-post')).views
    for (const path of ['/archives/cf-post/comments/feed', '/archives/cf-post/comments/feed/atom', '/archives/cf-post/feed']) {
      const res = await request(path, { headers: reader, redirect: 'manual' })
      expect(res.status, path).toBeLessThan(400)
      await res.arrayBuffer()
    }
    expect((await roomStats('cf-post')).views).toBe(before)
    // The same reader's page view counts: the feed's not counting is the feed's own.
    const page = await request('/archives/cf-post', { headers: reader })
    expect(page.status).toBe(200)
    await page.arrayBuffer()
    expect((await roomStats('cf-post')).views).toBe(before + 1)
  })

  it("costs one call to the post's object and at most one KV read", async () => {
    const { bindings, kv, objects } = counting()
    const res = await request('/archives/cf-post/comments/feed', {}, bindings)
    expect(res.status).toBe(200)
    expect(links(rssItems(parseXml(await res.text())).items)).toHaveLength(4)
    expect(objects).toEqual(['POST_ROOM cf-post open'])
    expect(kv.length, kv.join(', ')).toBeLessThanOrEqual(1)
  })

  it('answers 304 to a matching If-None-Match, and 200 again once a comment is added', async () => {
    const first = await feed('/archives/cf-post/comments/feed')
    const etag = first.res.headers.get('etag')!
    const again = await request('/archives/cf-post/comments/feed', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
    expect(await again.text()).toBe('')
    const atomTag = (await feed('/archives/cf-post/comments/feed/atom', ATOM)).res.headers.get('etag')
    expect(atomTag).not.toBe(etag)
    const id = await comment('cf-post', { author: 'Late', body: 'A later comment.' })
    const changed = await request('/archives/cf-post/comments/feed', { headers: { 'if-none-match': etag } })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
    expect(links(rssItems(parseXml(await changed.text())).items)[0]).toBe(permalink('cf-post', id))
  })

  it('works for a standalone page (a guestbook) and for a post whose comments are closed', async () => {
    expect((await putPost('cf-guestbook', { title: '留言板', type: 'page', date: '2024-05-08' })).status).toBe(201)
    const signed = await comment('cf-guestbook', { author: 'Guest', body: 'Hello, $e^{i\\pi}$.' })
    const guestbook = rssItems((await feed('/archives/cf-guestbook/comments/feed')).root)
    expect(links(guestbook.items)).toEqual([permalink('cf-guestbook', signed)])
    expect(textOf(guestbook.channel, '', 'title')).toBe('《留言板》的评论')

    expect((await putPost('cf-closing', { title: 'Closing', date: '2024-05-09' })).status).toBe(201)
    const said = await comment('cf-closing', { author: 'Ann', body: 'Said before it closed.' })
    expect((await putPost('cf-closing', { title: 'Closing', date: '2024-05-09', comments: false })).status).toBe(200)
    expect(links(rssItems((await feed('/archives/cf-closing/comments/feed')).root).items)).toEqual([permalink('cf-closing', said)])
  })

  it("announces itself in the post page's head (a standalone page's too), before the site's feeds", async () => {
    for (const [id, title] of [
      ['cf-post', TITLE],
      ['cf-guestbook', '留言板'],
    ]) {
      const res = await request(`/archives/${id}`)
      expect(res.status).toBe(200)
      const page = parseHtml(await res.text())
      const alternates = page
        .tags('link')
        .filter((l) => page.attr(l, 'rel') === 'alternate')
        .map((l) => [page.attr(l, 'type'), page.attr(l, 'href'), page.attr(l, 'title')])
      expect(alternates[0], id).toEqual(['application/rss+xml', `/archives/${id}/comments/feed`, `《${title}》的评论`])
      expect(alternates.map((a) => a[1])).toEqual(expect.arrayContaining(['/feed', '/comments/feed']))
    }
  })
})
