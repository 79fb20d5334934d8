/**
 * Pinned comments (置顶): the admin API and its refusals, the order and paging of comment pages in
 * both COMMENT_ORDERs, permalinks, the badge, the post page changing at once, what unpins a comment,
 * the sidebar left alone, and a post object made before pins existed.
 */
import { abortAllDurableObjects, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { SiteSnapshot } from '../src/model'
import { migrate } from '../src/objects/migrations'
import { POST_ROOM_MIGRATIONS, type PostRoom } from '../src/objects/post-room'
import { BROWSER_UA, call, eventually, ORIGIN, putPost, request, roomStats, TOKEN, view } from './helpers'
import { parseHtml } from './html'

const ADMIN = { authorization: `Bearer ${TOKEN}` }

interface JsonComment {
  id: number
  parent: number | null
  status: string
  pinned: boolean
}

/** Posts a comment as JSON; returns it and its edit token. */
async function comment(
  postId: string,
  body: Record<string, unknown>,
  vars: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<{ comment: JsonComment; editToken: string }> {
  const res = await call(
    `/api/posts/${postId}/comments`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.30', ...headers },
      body: JSON.stringify(body),
    },
    vars,
  )
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json()
}

/** POST /api/comments/:post/:id/pin (or unpin) with the admin token. */
function pin(postId: string, id: number | string, action: 'pin' | 'unpin' = 'pin', headers: Record<string, string> = ADMIN) {
  return call(`/api/comments/${postId}/${id}/${action}`, { method: 'POST', headers })
}

async function refusal(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } }
  return { status: res.status, ...body.error }
}

async function listed(postId: string): Promise<{ total: number; comments: JsonComment[] }> {
  return (await request(`/api/posts/${postId}/comments`)).json()
}

/** A page as a reader's browser gets it (not a view: another address each time is not needed here). */
async function page(path: string, vars: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const res = await call(path, { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': '198.51.100.70', ...headers } }, vars)
  const html = parseHtml(await res.text())
  return {
    res,
    html,
    /** The top-level comments, in the page's order. */
    roots: html.byClass('depth-0').map((e) => Number(html.attr(e, 'id')!.slice('comment-'.length))),
    /** Every comment on the page. */
    all: html
      .tags('li')
      .map((e) => html.attr(e, 'id') ?? '')
      .filter((id) => id.startsWith('comment-'))
      .map((id) => Number(id.slice('comment-'.length))),
  }
}

/** The comment page (1, 2, …) a comment's permalink redirects to. */
async function permalinkPage(postId: string, id: number, vars: Record<string, string>): Promise<number> {
  const res = await call(`/archives/${postId}/comments/${id}`, {}, vars)
  expect(res.status).toBe(302)
  const location = res.headers.get('location')!
  expect(location.endsWith(`#comment-${id}`)).toBe(true)
  const m = /\/comment-page-(\d+)#/.exec(location)
  return m ? Number(m[1]) : 1
}

describe('POST /api/comments/:postId/:commentId/pin and /unpin', () => {
  it('pins and unpins an approved top-level comment, idempotently, without changing the count', async () => {
    await putPost('pin-api', { title: 'Pin API' })
    const a = await comment('pin-api', { author: 'A', body: 'first' })
    const b = await comment('pin-api', { author: 'B', body: 'a reply', parent: a.comment.id })
    expect(a.comment.pinned).toBe(false)
    const before = await roomStats('pin-api')

    const pinned = await pin('pin-api', a.comment.id)
    expect(pinned.status).toBe(200)
    const body = (await pinned.json()) as { result: string; pinned: boolean; comment: JsonComment }
    expect(body).toMatchObject({ result: 'pinned', pinned: true, comment: { id: a.comment.id, pinned: true } })
    // Again: the same answer, nothing changes.
    const again = await pin('pin-api', a.comment.id)
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ pinned: true, comment: { id: a.comment.id, pinned: true } })
    const list = await listed('pin-api')
    expect(list.comments.map((c) => [c.id, c.pinned])).toEqual([
      [a.comment.id, true],
      [b.comment.id, false],
    ])
    expect(list.total).toBe(2)
    expect(await roomStats('pin-api')).toMatchObject({ comments: before.comments })

    const unpinned = await pin('pin-api', a.comment.id, 'unpin')
    expect(unpinned.status).toBe(200)
    expect(await unpinned.json()).toMatchObject({ result: 'unpinned', pinned: false, comment: { id: a.comment.id, pinned: false } })
    const unpinnedAgain = await pin('pin-api', a.comment.id, 'unpin')
    expect(unpinnedAgain.status).toBe(200)
    expect(await unpinnedAgain.json()).toMatchObject({ pinned: false })
    // A comment that was never pinned unpins too.
    expect((await pin('pin-api', b.comment.id, 'unpin')).status).toBe(200)
    expect((await listed('pin-api')).comments.every((c) => !c.pinned)).toBe(true)
  })

  it('refuses a reply, a held, a spam and a deleted comment with 409 and the reason; unknown ones 404; bad ids 400', async () => {
    await putPost('pin-refusals', { title: 'Pin refusals' })
    const top = await comment('pin-refusals', { author: 'Top', body: 'top' })
    const reply = await comment('pin-refusals', { author: 'Re', body: 'reply', parent: top.comment.id })
    const held = await comment('pin-refusals', { author: 'Held', body: 'held' }, { COMMENT_MODERATION: 'all' })
    const spam = await comment('pin-refusals', { author: 'Spam', body: 'cheap casino' }, { BLOCKED_WORDS: 'casino' })
    const gone = await comment('pin-refusals', { author: 'Gone', body: 'to delete' })
    expect(held.comment.status).toBe('pending')
    expect(spam.comment.status).toBe('spam')
    expect((await call(`/api/comments/pin-refusals/${gone.comment.id}`, { method: 'DELETE', headers: ADMIN })).status).toBe(200)

    expect(await refusal(await pin('pin-refusals', reply.comment.id))).toMatchObject({
      status: 409,
      code: 'comment_is_reply',
      message: expect.stringContaining('only a top-level comment can be pinned'),
    })
    for (const [c, why] of [
      [held, 'waiting for moderation'],
      [spam, 'spam'],
      [gone, 'deleted'],
    ] as const) {
      expect(await refusal(await pin('pin-refusals', c.comment.id))).toMatchObject({
        status: 409,
        code: 'comment_not_approved',
        message: expect.stringContaining(why),
      })
    }
    expect((await refusal(await pin('pin-refusals', 999))).status).toBe(404)
    expect((await refusal(await pin('no-such-post', 1))).status).toBe(404)
    expect((await refusal(await pin('no-such-post', 1, 'unpin'))).status).toBe(404)
    for (const bad of ['0', 'abc', '-1', '1.5', '9999999999']) {
      expect(await refusal(await pin('pin-refusals', bad)), bad).toMatchObject({ status: 400, code: 'invalid_id' })
      expect((await pin('pin-refusals', bad, 'unpin')).status, bad).toBe(400)
    }
    expect((await pin('Bad Id', 1)).status).toBe(400)
    // The admin token is needed; other methods are 405.
    expect((await pin('pin-refusals', top.comment.id, 'pin', {})).status).toBe(401)
    expect((await pin('pin-refusals', top.comment.id, 'unpin', { authorization: 'Bearer wrong' })).status).toBe(401)
    const get = await call(`/api/comments/pin-refusals/${top.comment.id}/pin`, { headers: ADMIN })
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
    // Nothing was pinned by any of it.
    expect((await listed('pin-refusals')).comments.some((c) => c.pinned)).toBe(false)
  })

  it('pins at most three comments per post; unpinning one frees a place', async () => {
    await putPost('pin-limit', { title: 'Pin limit' })
    const ids: number[] = []
    for (let i = 1; i <= 4; i++) ids.push((await comment('pin-limit', { author: `P${i}`, body: `comment ${i}` })).comment.id)
    for (const id of ids.slice(0, 3)) expect((await pin('pin-limit', id)).status).toBe(200)
    expect(await refusal(await pin('pin-limit', ids[3]!))).toMatchObject({
      status: 409,
      code: 'too_many_pinned',
      message: expect.stringContaining('unpin one first'),
    })
    // Pinning one of the three again is still fine (nothing changes).
    expect((await pin('pin-limit', ids[0]!)).status).toBe(200)
    expect((await pin('pin-limit', ids[1]!, 'unpin')).status).toBe(200)
    expect((await pin('pin-limit', ids[3]!)).status).toBe(200)
    expect((await listed('pin-limit')).comments.filter((c) => c.pinned).map((c) => c.id)).toEqual([ids[0], ids[2], ids[3]])
  })

  it('deleting, marking as spam or holding a pinned comment again unpins it; approving it again does not pin it', async () => {
    await putPost('pin-status', { title: 'Pin status' })
    const spam = await comment('pin-status', { author: 'S', body: 'will be spam' })
    const deleted = await comment('pin-status', { author: 'D', body: 'will be deleted' })
    const edited = await comment('pin-status', { author: 'E', body: 'will be edited' })
    for (const c of [spam, deleted, edited]) expect((await pin('pin-status', c.comment.id)).status).toBe(200)

    expect((await call(`/api/comments/pin-status/${spam.comment.id}/spam`, { method: 'POST', headers: ADMIN })).status).toBe(200)
    expect((await call(`/api/comments/pin-status/${deleted.comment.id}`, { method: 'DELETE', headers: ADMIN })).status).toBe(200)
    // The writer's edit under moderation is held again: no longer shown, so no longer pinned.
    const edit = await call(
      `/api/posts/pin-status/comments/${edited.comment.id}`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-comment-token': edited.editToken },
        body: JSON.stringify({ body: 'edited text' }),
      },
      { COMMENT_MODERATION: 'all' },
    )
    expect(edit.status).toBe(200)
    expect(((await edit.json()) as { comment: JsonComment }).comment).toMatchObject({ status: 'pending', pinned: false })

    for (const id of [spam.comment.id, edited.comment.id]) {
      const approved = await call(`/api/comments/pin-status/${id}/approve`, { method: 'POST', headers: ADMIN })
      expect(approved.status).toBe(200)
      expect(((await approved.json()) as { comment: JsonComment }).comment.pinned).toBe(false)
    }
    expect((await listed('pin-status')).comments.some((c) => c.pinned)).toBe(false)
    // Their places are free again: three new pins fit.
    const more = []
    for (let i = 0; i < 3; i++) more.push((await comment('pin-status', { author: `N${i}`, body: `new ${i}` })).comment.id)
    for (const id of more) expect((await pin('pin-status', id)).status).toBe(200)
  })
})

describe('comment pages with pinned threads', () => {
  /**
   * Six threads and a reply to the fifth, two threads a page; 5 pinned, then 2. (A post of its own
   * per setting: the isolate keeps a post page's template per post, page and comments version, not
   * per setting, which in production change only with a deploy, in a new isolate.)
   */
  async function pinnedPages(postId: string, vars: Record<string, string>) {
    await putPost(postId, { title: 'Pin pages' })
    const ids: number[] = []
    for (let i = 1; i <= 6; i++) ids.push((await comment(postId, { author: `R${i}`, body: `comment ${i}` }, vars)).comment.id)
    const reply = (await comment(postId, { author: 'R7', body: 'reply to 5', parent: ids[4] }, vars)).comment.id
    expect((await pin(postId, ids[4]!)).status).toBe(200)
    expect((await pin(postId, ids[1]!)).status).toBe(200)
    // Every comment's permalink lands on the page that shows it.
    for (const id of [...ids, reply]) {
      const n = await permalinkPage(postId, id, vars)
      const shown = await page(n === 1 ? `/archives/${postId}` : `/archives/${postId}/comment-page-${n}`, vars)
      expect(shown.all, `${vars.COMMENT_ORDER} ${id}`).toContain(id)
    }
    return { ids: ids as [number, number, number, number, number, number], reply }
  }

  it('shows pinned threads first on page 1 in pin order and nowhere else (oldest first); permalinks agree', async () => {
    const vars = { COMMENTS_PER_PAGE: '2', COMMENT_ORDER: 'oldest' }
    const { ids, reply } = await pinnedPages('pin-oldest', vars)
    const [c1, c2, c3, c4, c5, c6] = ids
    const first = await page('/archives/pin-oldest', vars)
    expect(first.roots).toEqual([c5, c2, c1, c3])
    expect(first.all).toContain(reply)
    const second = await page('/archives/pin-oldest/comment-page-2', vars)
    expect(second.roots).toEqual([c4, c6])
    expect(second.all).not.toContain(reply)
    // Four unpinned threads, two a page: two pages.
    expect((await page('/archives/pin-oldest/comment-page-3', vars)).res.status).toBe(404)
    expect(await permalinkPage('pin-oldest', reply, vars)).toBe(1)
    expect(await permalinkPage('pin-oldest', c5, vars)).toBe(1)
    expect(await permalinkPage('pin-oldest', c3, vars)).toBe(1)
    expect(await permalinkPage('pin-oldest', c4, vars)).toBe(2)
    // The count shown is every approved comment's, pinned or not.
    expect(first.html.text(first.html.byId('comments')!)).toContain('7')
  })

  it('shows pinned threads first on page 1 in pin order and nowhere else (newest first); permalinks agree', async () => {
    const vars = { COMMENTS_PER_PAGE: '2', COMMENT_ORDER: 'newest' }
    const { ids, reply } = await pinnedPages('pin-newest', vars)
    const [c1, c2, c3, c4, c5, c6] = ids
    const first = await page('/archives/pin-newest', vars)
    expect(first.roots).toEqual([c5, c2, c6, c4])
    expect(first.all).toContain(reply)
    const second = await page('/archives/pin-newest/comment-page-2', vars)
    expect(second.roots).toEqual([c3, c1])
    expect(second.all).not.toContain(reply)
    expect((await page('/archives/pin-newest/comment-page-3', vars)).res.status).toBe(404)
    expect(await permalinkPage('pin-newest', c2, vars)).toBe(1)
    expect(await permalinkPage('pin-newest', c4, vars)).toBe(1)
    expect(await permalinkPage('pin-newest', c1, vars)).toBe(2)
  })

  it('marks a pinned comment 置顶 (Pinned in English), not its replies nor the others', async () => {
    for (const [postId, vars, badge] of [
      ['pin-badge', {}, '置顶'],
      ['pin-badge-en', { LANGUAGE: 'en' }, 'Pinned'],
    ] as const) {
      await putPost(postId, { title: 'Pin badge' })
      const a = (await comment(postId, { author: 'A', body: 'pinned one' })).comment.id
      const b = (await comment(postId, { author: 'B', body: 'other' })).comment.id
      const r = (await comment(postId, { author: 'C', body: 'reply', parent: a })).comment.id
      expect((await pin(postId, a)).status).toBe(200)
      const { html } = await page(`/archives/${postId}`, vars)
      expect(html.byClass('comment-pinned-badge').map((e) => html.text(e))).toEqual([badge])
      const pinnedLi = html.byId(`comment-${a}`)!
      expect(html.attr(pinnedLi, 'class')).toContain('comment-pinned')
      // In the pinned comment's own header, with its author.
      expect(html.text(html.byClass('comment-meta')[0]!)).toContain(badge)
      expect(html.text(html.byClass('comment-meta')[0]!)).toContain('A')
      expect(html.text(html.byId(`comment-${b}`)!)).not.toContain(badge)
      expect(html.attr(html.byId(`comment-${r}`)!, 'class')).not.toContain('comment-pinned')
    }
  })

  it('shows the new order at once after a pin or unpin, also on the quick way to a hot post page', async () => {
    await putPost('pin-fresh', { title: 'Pin fresh' })
    const ids: number[] = []
    for (let i = 1; i <= 3; i++) ids.push((await comment('pin-fresh', { author: `F${i}`, body: `fresh ${i}` })).comment.id)
    const roots = async () => {
      const html = parseHtml(await (await view('/archives/pin-fresh', '203.0.113.80')).text())
      return html.byClass('depth-0').map((e) => Number(html.attr(e, 'id')!.slice('comment-'.length)))
    }
    // Twice: the second reader's page is made by the quick way from the kept template.
    expect(await roots()).toEqual(ids)
    expect(await roots()).toEqual(ids)
    expect((await pin('pin-fresh', ids[2]!)).status).toBe(200)
    expect(await roots()).toEqual([ids[2], ids[0], ids[1]])
    expect(await roots()).toEqual([ids[2], ids[0], ids[1]])
    expect((await pin('pin-fresh', ids[2]!, 'unpin')).status).toBe(200)
    expect(await roots()).toEqual(ids)
  })

  it('keeps pinned threads first on the page of a writer who sees their own held comment', async () => {
    await putPost('pin-own', { title: 'Pin own' })
    const a = (await comment('pin-own', { author: 'A', body: 'first' })).comment.id
    const b = (await comment('pin-own', { author: 'B', body: 'second' })).comment.id
    expect((await pin('pin-own', b)).status).toBe(200)
    const held = await comment('pin-own', { author: 'H', body: 'held one' }, { COMMENT_MODERATION: 'all' })
    const cookie = `ce_pin-own_${held.comment.id}=${held.editToken}`
    for (const order of ['oldest', 'newest']) {
      const mine = await page('/archives/pin-own', { COMMENT_ORDER: order }, { cookie })
      expect(mine.roots, order).toEqual(order === 'oldest' ? [b, a, held.comment.id] : [b, held.comment.id, a])
    }
  })

  it('leaves the recent comments (sidebar, comments feed) as they were', async () => {
    await putPost('pin-recent', { title: 'Pin recent' })
    const a = (await comment('pin-recent', { author: 'Old', body: 'older comment' })).comment.id
    await comment('pin-recent', { author: 'New', body: 'newer comment' })
    const recent = async () => (await env.POSTS.get<SiteSnapshot>('v1:site', 'json'))!.recent.filter((r) => r.postId === 'pin-recent')
    const before = await eventually(async () => {
      const r = await recent()
      expect(r).toHaveLength(2)
      return r
    })
    const feed = await (await request('/comments/feed')).text()
    expect((await pin('pin-recent', a)).status).toBe(200)
    // Once the post's object has reported the pin to the site (the admin's list shows it):
    await eventually(async () => {
      const queue = (await (await request('/api/comments?status=approved', { headers: ADMIN })).json()) as {
        comments: { postId: string; commentId: number; pinned: boolean }[]
      }
      expect(queue.comments.find((c) => c.postId === 'pin-recent' && c.commentId === a)?.pinned).toBe(true)
    })
    expect(await recent()).toEqual(before)
    expect(await (await request('/comments/feed')).text()).toBe(feed)
  })
})

describe('the moderation queue (GET /api/comments)', () => {
  it('says which comments are top-level and which are pinned', async () => {
    await putPost('pin-queue', { title: 'Pin queue' })
    const a = (await comment('pin-queue', { author: 'A', body: 'top' })).comment.id
    const r = (await comment('pin-queue', { author: 'R', body: 'reply', parent: a })).comment.id
    expect((await pin('pin-queue', a)).status).toBe(200)
    await eventually(async () => {
      const queue = (await (await request('/api/comments?status=approved', { headers: ADMIN })).json()) as {
        comments: { postId: string; commentId: number; topLevel: boolean | null; pinned: boolean }[]
      }
      const mine = queue.comments.filter((c) => c.postId === 'pin-queue')
      expect(mine.map((c) => [c.commentId, c.topLevel, c.pinned])).toEqual([
        [r, false, false],
        [a, true, true],
      ])
    })
  })
})

describe('a post object made before pinned comments', () => {
  it('upgrades in place on first use: its comments can be pinned and are reported to the site again', async () => {
    await putPost('pin-legacy', { title: 'Pin legacy' })
    // The object as migration 006 left it, with two comments the site already had.
    const stub = env.POST_ROOM.getByName('pin-legacy')
    await runInDurableObject(stub, (_: PostRoom, state) => {
      const sql = state.storage.sql
      for (const { name } of sql
        .exec<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%'",
        )
        .toArray())
        sql.exec(`DROP TABLE ${name}`)
      migrate(state.storage, POST_ROOM_MIGRATIONS.slice(0, 6))
      sql.exec("INSERT INTO meta (name, value) VALUES ('post_id', 'pin-legacy'), ('status', 'published')")
      sql.exec(
        `INSERT INTO comments (parent, reply_to, author, email, url, body, html, excerpt, status, created_ms, idem_key, request_hash,
           render_version, mod_seq)
         VALUES (NULL, NULL, 'Old', NULL, NULL, 'old', '<p>old</p>', 'old', 'approved', 1700000000000, NULL, 'h1', '', 1),
                (NULL, NULL, 'Older', NULL, NULL, 'older', '<p>older</p>', 'older', 'approved', 1700000001000, NULL, 'h2', '', 2),
                (1, 1, 'Reply', NULL, NULL, 'reply', '<p>reply</p>', 'reply', 'approved', 1700000002000, NULL, 'h3', '', 3)`,
      )
      sql.exec("UPDATE counters SET value = 3 WHERE name IN ('mod_seq', 'pushed_mod_seq')")
    })
    // A deploy: the object starts again with the new code.
    await abortAllDurableObjects()
    expect((await pin('pin-legacy', 2)).status).toBe(200)
    expect((await refusal(await pin('pin-legacy', 3))).code).toBe('comment_is_reply')
    const names = await runInDurableObject(env.POST_ROOM.getByName('pin-legacy'), (_: PostRoom, state) =>
      state.storage.sql
        .exec<{ name: string }>('SELECT name FROM _migrations ORDER BY name')
        .toArray()
        .map((r) => r.name),
    )
    expect(names).toContain('007-pinned-comments')
    expect((await page('/archives/pin-legacy')).roots).toEqual([2, 1])
    // Every comment goes to the site's index again, now saying whether it is top-level.
    await eventually(async () => {
      const queue = (await (await request('/api/comments?status=approved', { headers: ADMIN })).json()) as {
        comments: { postId: string; commentId: number; topLevel: boolean | null; pinned: boolean }[]
      }
      const mine = queue.comments.filter((c) => c.postId === 'pin-legacy').sort((x, y) => x.commentId - y.commentId)
      expect(mine.map((c) => [c.commentId, c.topLevel, c.pinned])).toEqual([
        [1, true, false],
        [2, true, true],
        [3, false, false],
      ])
    })
  })
})
