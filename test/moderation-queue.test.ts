/**
 * The moderation queue at scale: GET /api/comments pages through a status with `before`/`next`
 * (never repeating or skipping a comment, ties in time included) and counts each status;
 * POST /api/comments/batch takes one action on many comments, reporting each; the web admin's bulk
 * form and paging links.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { call, eventually, ORIGIN, putPost, TOKEN } from './helpers'

const ADMIN = { authorization: `Bearer ${TOKEN}` }

interface QueueItem {
  postId: string
  commentId: number
  status: string
  createdAt: string
}
interface QueuePage {
  status: string
  comments: QueueItem[]
  next: string | null
  counts: { pending: number; spam: number; approved: number }
}

async function queue(query: string): Promise<QueuePage> {
  const res = await call(`/api/comments?${query}`, { headers: ADMIN })
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json()
}

/** Every comment of a status, page by page of `limit`. */
async function walk(status: string, limit: number): Promise<{ items: QueueItem[]; pages: number }> {
  const items: QueueItem[] = []
  let before: string | null = null
  let pages = 0
  do {
    const page: QueuePage = await queue(`status=${status}&limit=${limit}${before ? `&before=${before}` : ''}`)
    expect(page.comments.length).toBeLessThanOrEqual(limit)
    items.push(...page.comments)
    before = page.next
    pages++
  } while (before !== null && pages < 1000)
  return { items, pages }
}

/** Posts a comment as a reader (held for moderation when `vars` say so); returns its number. */
async function comment(postId: string, body: string, vars: Record<string, string> = {}, ip = '192.0.2.40'): Promise<number> {
  const res = await call(
    `/api/posts/${postId}/comments`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
      body: JSON.stringify({ author: 'R', body }),
    },
    { COMMENT_RATE_LIMIT: '1000/60', ...vars },
  )
  expect(res.status, await res.clone().text()).toBe(201)
  return ((await res.json()) as { comment: { id: number } }).comment.id
}

function batch(body: unknown, headers: Record<string, string> = { ...ADMIN, 'content-type': 'application/json' }) {
  return call('/api/comments/batch', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
}

const HOLD = { COMMENT_MODERATION: 'all' }

describe('GET /api/comments pages', () => {
  it('walks a status page by page, newest first, each comment exactly once (comments of the same millisecond included), with the counts', async () => {
    await putPost('queue-a', { title: 'A' })
    await putPost('queue-b', { title: 'B' })
    const mine = new Set<string>()
    // Posted at once: several share a millisecond, so the order needs the post id and number too.
    const ids = await Promise.all(
      Array.from({ length: 14 }, (_, i) => {
        const post = i % 2 === 0 ? 'queue-a' : 'queue-b'
        return comment(post, `comment ${i}`, HOLD, `192.0.2.${60 + i}`).then((id) => `${post}/${id}`)
      }),
    )
    for (const id of ids) mine.add(id)
    const all = await eventually(async () => {
      const { items } = await walk('pending', 500)
      expect(items.filter((i) => mine.has(`${i.postId}/${i.commentId}`))).toHaveLength(14)
      return items
    })
    for (const limit of [1, 3, 5]) {
      const { items, pages } = await walk('pending', limit)
      const keys = items.map((i) => `${i.postId}/${i.commentId}`)
      expect(keys, `limit ${limit}`).toEqual(all.map((i) => `${i.postId}/${i.commentId}`))
      expect(new Set(keys).size).toBe(keys.length)
      expect(pages).toBe(Math.ceil(all.length / limit))
    }
    // Newest first.
    const times = all.map((i) => Date.parse(i.createdAt))
    expect([...times].sort((x, y) => y - x)).toEqual(times)
    const { counts } = await queue('status=pending&limit=1')
    expect(counts.pending).toBe(all.length)
    expect(counts.approved).toBe((await walk('approved', 500)).items.length)
    expect(counts.spam).toBe((await walk('spam', 500)).items.length)
  })

  it('refuses a place it did not give with 400 invalid_query', async () => {
    for (const before of ['abc', '12.0.post', '12.3.Post', '1.2.a--b', `1.2.${'a'.repeat(130)}`, '12.3']) {
      const res = await call(`/api/comments?status=pending&before=${encodeURIComponent(before)}`, { headers: ADMIN })
      expect(res.status, before).toBe(400)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_query')
    }
    expect((await call('/api/comments?before=1.1.x')).status).toBe(401)
  })
})

describe('GET /api/comments filters', () => {
  it("narrows to one post's comments and/or those whose author, e-mail or excerpt holds a text, counts and pages included", async () => {
    await putPost('filter-a', { title: 'Filter A' })
    await putPost('filter-b', { title: 'Filter B' })
    const post = (postId: string, fields: Record<string, string>, n: number) =>
      call(
        `/api/posts/${postId}/comments`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'cf-connecting-ip': `192.0.2.${120 + n}` },
          body: JSON.stringify(fields),
        },
        { ...HOLD, COMMENT_RATE_LIMIT: '1000/60' },
      ).then(async (res) => {
        expect(res.status, await res.clone().text()).toBe(201)
        return ((await res.json()) as { comment: { id: number } }).comment.id
      })
    const a1 = await post('filter-a', { author: 'Noether', email: 'emmy@math.example', body: 'Symmetry gives 100% conservation' }, 1)
    const a2 = await post('filter-a', { author: 'Dirac', body: 'a_b and the delta' }, 2)
    const b1 = await post('filter-b', { author: 'noether fan', body: 'Another word' }, 3)
    const keys = (page: QueuePage) => page.comments.map((c) => `${c.postId}/${c.commentId}`)
    await eventually(async () => expect(keys(await queue('status=pending&post=filter-a'))).toEqual([`filter-a/${a2}`, `filter-a/${a1}`]))
    const onA = await queue('status=pending&post=filter-a')
    expect(onA.counts).toEqual({ pending: 2, spam: 0, approved: 0 })
    // Author, case aside (ASCII); e-mail; the excerpt; across posts, or on one.
    await eventually(async () => expect(keys(await queue('status=pending&q=NOETHER'))).toEqual([`filter-b/${b1}`, `filter-a/${a1}`]))
    expect(keys(await queue('status=pending&q=emmy%40math'))).toEqual([`filter-a/${a1}`])
    expect(keys(await queue(`status=pending&q=${encodeURIComponent('delta')}`))).toEqual([`filter-a/${a2}`])
    expect(keys(await queue('status=pending&q=noether&post=filter-b'))).toEqual([`filter-b/${b1}`])
    expect((await queue('status=pending&q=noether')).counts.pending).toBe(2)
    // LIKE's own characters are found as typed: % and _ match themselves only.
    expect(keys(await queue(`status=pending&q=${encodeURIComponent('100%')}&post=filter-a`))).toEqual([`filter-a/${a1}`])
    expect(keys(await queue(`status=pending&q=${encodeURIComponent('%')}&post=filter-a`))).toEqual([`filter-a/${a1}`])
    expect(keys(await queue(`status=pending&q=${encodeURIComponent('a_b')}&post=filter-a`))).toEqual([`filter-a/${a2}`])
    expect(keys(await queue(`status=pending&q=${encodeURIComponent('_')}&post=filter-a`))).toEqual([`filter-a/${a2}`])
    // Pages keep to the filter.
    const first = await queue('status=pending&post=filter-a&limit=1')
    expect(first.next).not.toBeNull()
    const second = await queue(`status=pending&post=filter-a&limit=1&before=${first.next}`)
    expect(keys(second)).toEqual([`filter-a/${a1}`])
    expect(second.next).toBeNull()
    // Refused: a malformed post id, an empty, long or control-character text.
    for (const query of ['post=Filter', 'q=', `q=${'x'.repeat(101)}`, 'q=a%00b', 'q=%20%20']) {
      const res = await call(`/api/comments?status=pending&${query}`, { headers: ADMIN })
      expect(res.status, query).toBe(400)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_query')
    }
  })
})

describe('POST /api/comments/batch', () => {
  it('approves, marks as spam or deletes many comments, reporting each, and goes on past one it cannot do', async () => {
    await putPost('batch-a', { title: 'Batch A' })
    await putPost('batch-b', { title: 'Batch B' })
    const a1 = await comment('batch-a', 'first', HOLD)
    const a2 = await comment('batch-a', 'second', HOLD)
    const b1 = await comment('batch-b', 'third', HOLD)
    const approve = await batch({
      action: 'approve',
      comments: [
        { postId: 'batch-a', commentId: a1 },
        { postId: 'batch-a', commentId: 999 },
        { postId: 'batch-b', commentId: b1 },
        { postId: 'batch-a', commentId: a1 },
        { postId: 'batch-a', commentId: a2 },
      ],
    })
    expect(approve.status).toBe(200)
    const body = (await approve.json()) as {
      action: string
      done: number
      failed: number
      results: { postId: string; commentId: number; ok: boolean; status?: number; code?: string }[]
    }
    expect(body).toMatchObject({ action: 'approve', done: 3, failed: 1 })
    // Once each, in the order sent.
    expect(body.results.map((r) => [r.commentId, r.ok])).toEqual([
      [a1, true],
      [999, false],
      [b1, true],
      [a2, true],
    ])
    expect(body.results[1]).toMatchObject({ status: 404, code: 'comment_not_found' })
    const shown = async (post: string) =>
      ((await (await call(`/api/posts/${post}/comments`)).json()) as { comments: { id: number; status: string }[] }).comments
    expect((await shown('batch-a')).map((c) => c.id)).toEqual([a1, a2])
    expect((await shown('batch-b')).map((c) => c.id)).toEqual([b1])

    const spam = (await (await batch({ action: 'spam', comments: [{ postId: 'batch-a', commentId: a2 }] })).json()) as { done: number }
    expect(spam.done).toBe(1)
    expect((await shown('batch-a')).map((c) => c.id)).toEqual([a1])
    const del = (await (
      await batch({
        action: 'delete',
        comments: [
          { postId: 'batch-a', commentId: a1 },
          { postId: 'batch-b', commentId: b1 },
        ],
      })
    ).json()) as { done: number }
    expect(del.done).toBe(2)
    expect(await shown('batch-a')).toEqual([])
    expect(await shown('batch-b')).toEqual([])
  })

  it('refuses a malformed batch with a 4xx naming the problem, and changes nothing', async () => {
    await putPost('batch-bad', { title: 'Bad' })
    const id = await comment('batch-bad', 'waiting', HOLD)
    const one = { postId: 'batch-bad', commentId: id }
    const cases: [unknown, number, string, RegExp][] = [
      ['{not json', 400, 'malformed_json', /JSON/],
      [[], 400, 'invalid_request', /object/i],
      [{ action: 'pin', comments: [one] }, 400, 'invalid_request', /action must be approve, spam or delete/],
      [{ action: 'approve', comments: [] }, 400, 'invalid_request', /comments is empty/],
      [{ action: 'approve', comments: Array.from({ length: 101 }, () => one) }, 400, 'invalid_request', /at most 100 comments/],
      [{ action: 'approve', comments: [{ postId: 'Bad Id', commentId: 1 }] }, 400, 'invalid_request', /id must be/],
      [{ action: 'approve', comments: [{ postId: 'batch-bad', commentId: '1' }] }, 400, 'invalid_request', /commentId/],
      [{ action: 'approve', comments: [{ postId: 'batch-bad', commentId: 1.5 }] }, 400, 'invalid_request', /commentId/],
    ]
    for (const [body, status, code, message] of cases) {
      const res = await batch(body)
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status)
      const error = ((await res.json()) as { error: { code: string; message: string } }).error
      expect(error.code).toBe(code)
      expect(error.message).toMatch(message)
    }
    expect((await batch({ action: 'approve', comments: [one] }, { 'content-type': 'application/json' })).status).toBe(401)
    expect((await batch({ action: 'approve', comments: [one] }, { ...ADMIN, 'content-type': 'text/plain' })).status).toBe(415)
    expect((await call('/api/comments/batch', { headers: ADMIN })).status).toBe(405)
    // Still held.
    expect(((await (await call('/api/posts/batch-bad/comments')).json()) as { total: number }).total).toBe(0)
  })
})

describe('the web admin', () => {
  const FORM = 'application/x-www-form-urlencoded'

  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const res = await call('/admin/login', {
      method: 'POST',
      headers: { 'content-type': FORM, origin: ORIGIN, 'cf-connecting-ip': '203.0.113.90' },
      body: new URLSearchParams({ token: TOKEN }).toString(),
    })
    expect(res.status).toBe(303)
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await call('/admin/comments', { headers: { cookie } })).text())![1]!
    return { cookie, csrf }
  }

  it('acts on the ticked comments with one button (CSRF-protected), tells how many, and pages the list', async () => {
    await putPost('bulk-a', { title: 'Bulk' })
    const ids = [await comment('bulk-a', 'one', HOLD), await comment('bulk-a', 'two', HOLD), await comment('bulk-a', 'three', HOLD)]
    const s = await signIn()
    const list = async (query: string) => (await call(`/admin/comments?${query}`, { headers: { cookie: s.cookie } })).text()
    const html = await eventually(async () => {
      const html = await list('status=pending')
      for (const id of ids) expect(html).toContain(`name="item" value="bulk-a/${id}" form="bulk"`)
      return html
    })
    expect(html).toContain('<form id="bulk" class="admin-bulk" method="post" action="/admin/comments/bulk?status=pending">')
    expect(html).toMatch(/待审核（[0-9]+）/)
    expect(html).toContain('data-select-all')
    const send = (fields: [string, string][], query = 'status=pending') =>
      call(`/admin/comments/bulk?${query}`, {
        method: 'POST',
        headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': FORM },
        body: new URLSearchParams(fields).toString(),
      })
    // Without the CSRF token: 403, nothing done.
    expect(
      (
        await send([
          ['action', 'approve'],
          ['item', `bulk-a/${ids[0]}`],
        ])
      ).status,
    ).toBe(403)
    const shown = async () => ((await (await call('/api/posts/bulk-a/comments')).json()) as { comments: { id: number }[] }).comments
    expect(await shown()).toEqual([])
    // Two ticked: approved, and the list says so.
    const done = await send([
      ['_csrf', s.csrf],
      ['action', 'approve'],
      ['item', `bulk-a/${ids[0]}`],
      ['item', `bulk-a/${ids[2]}`],
    ])
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe('/admin/comments?status=pending&n=2')
    expect((await shown()).map((c) => c.id)).toEqual([ids[0], ids[2]])
    expect(await list('status=pending&n=2')).toContain('已处理 2 条评论。')
    // A comment gone meanwhile is counted as not done.
    const partly = await send(
      [
        ['_csrf', s.csrf],
        ['action', 'delete'],
        ['item', `bulk-a/${ids[1]}`],
        ['item', 'bulk-a/999'],
      ],
      'status=spam',
    )
    expect(partly.headers.get('location')).toBe('/admin/comments?status=spam&n=1&failed=1')
    expect(await list('status=spam&n=1&failed=1')).toContain('另有 1 条没有处理')
    // Nothing ticked: nothing sent, and the page says to tick first.
    const none = await send([
      ['_csrf', s.csrf],
      ['action', 'spam'],
    ])
    expect(none.headers.get('location')).toBe('/admin/comments?status=pending&n=0')
    expect(await list('status=pending&n=0')).toContain('没有选中任何评论')
    // A bad row or action: 400, nothing done.
    for (const fields of [
      [
        ['_csrf', s.csrf],
        ['action', 'approve'],
        ['item', 'bulk-a'],
      ],
      [
        ['_csrf', s.csrf],
        ['action', 'pin'],
        ['item', `bulk-a/${ids[1]}`],
      ],
    ] as [string, string][][])
      expect((await send(fields)).status).toBe(400)
    // Paging: a page after a place shows the link back to the newest and only older comments.
    const first = await queue('status=approved&limit=1')
    expect(first.next).not.toBeNull()
    const older = await list(`status=approved&before=${first.next}`)
    expect(older).toContain('href="/admin/comments?status=approved">« 最新的评论</a>')
    expect(older).not.toContain(`data-comment="${first.comments[0]!.postId}/${first.comments[0]!.commentId}"`)
    expect(older).toContain(`action="/admin/comments/bulk?status=approved&amp;before=${first.next}"`)
    expect((await call('/admin/comments?status=approved&before=%3Cx%3E', { headers: { cookie: s.cookie } })).status).toBe(400)
  })

  it("answers a comment as the blog's author from the admin: the 博主 badge, once per form, the text kept when refused", async () => {
    await putPost('reply-a', { title: 'Replying' })
    const id = await comment('reply-a', 'What is $\\nabla \\cdot B$?')
    const s = await signIn()
    await eventually(async () => {
      const html = await (await call('/admin/comments?status=approved', { headers: { cookie: s.cookie } })).text()
      expect(html).toContain(`<a href="/admin/comments/reply-a/${id}/reply">回复</a>`)
    })
    const form = await call(`/admin/comments/reply-a/${id}/reply`, { headers: { cookie: s.cookie } })
    expect(form.status).toBe(200)
    const html = await form.text()
    // The comment as readers see it (its math typeset), and the form in the author's name.
    expect(html).toContain('class="katex"')
    expect(html).toContain(`以博主（${env.SITE_AUTHOR}）的名义回复`)
    const key = /name="key" value="([^"]+)"/.exec(html)![1]!
    const send = (fields: Record<string, string>, path = `/admin/comments/reply-a/${id}/reply`) =>
      call(path, {
        method: 'POST',
        headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': FORM },
        body: new URLSearchParams(fields).toString(),
      })
    const replies = async () =>
      (
        (await (await call('/api/posts/reply-a/comments')).json()) as {
          comments: { id: number; parent: number | null; author: string; admin: boolean; body: string }[]
        }
      ).comments.filter((c) => c.parent === id)
    // Without the CSRF token: 403, nothing posted.
    expect((await send({ body: 'Zero, always.', key })).status).toBe(403)
    expect(await replies()).toEqual([])
    // Refused by the API (no text): the form again, with the reason, nothing posted.
    const empty = await send({ _csrf: s.csrf, body: '   ', key })
    expect(empty.status).toBe(400)
    const emptyHtml = await empty.text()
    expect(emptyHtml).toContain('admin-notice-error')
    expect(emptyHtml).toContain(`name="key" value="${key}"`)
    // Too long: the text comes back in the form, so nothing typed is lost.
    const long = `长${'x'.repeat(10_000)}`
    const tooLong = await send({ _csrf: s.csrf, body: long, key })
    expect(tooLong.status).toBe(400)
    expect(await tooLong.text()).toContain(long)
    expect(await replies()).toEqual([])
    // Posted: the author's name and badge, under the comment; a second submit of the same form adds nothing.
    const done = await send({ _csrf: s.csrf, body: 'Zero, always: $\\nabla \\cdot B = 0$.', key })
    expect(done.status).toBe(303)
    const [reply] = await replies()
    expect(reply).toMatchObject({ author: env.SITE_AUTHOR, admin: true, body: 'Zero, always: $\\nabla \\cdot B = 0$.' })
    expect(done.headers.get('location')).toBe(`/admin/comments?status=approved&replied=reply-a/${reply!.id}`)
    expect((await send({ _csrf: s.csrf, body: 'Zero, always: $\\nabla \\cdot B = 0$.', key })).status).toBe(303)
    expect(await replies()).toHaveLength(1)
    const notice = await (
      await call(`/admin/comments?status=approved&replied=reply-a/${reply!.id}`, { headers: { cookie: s.cookie } })
    ).text()
    expect(notice).toContain(`href="/archives/reply-a/comments/${reply!.id}"`)
    expect(notice).toContain('已回复。')
    // No such comment: 404; a bad address: 404.
    expect((await call('/admin/comments/reply-a/999/reply', { headers: { cookie: s.cookie } })).status).toBe(404)
    expect((await send({ _csrf: s.csrf, body: 'x', key: 'k2' }, '/admin/comments/reply-a/999/reply')).status).toBe(404)
    expect((await call('/admin/comments/Reply/1/reply', { headers: { cookie: s.cookie } })).status).toBe(404)
  })

  it('narrows the list to a post or a search, and keeps the filter in its tabs, pages and actions', async () => {
    await putPost('narrow-a', { title: 'Narrow' })
    const id = await comment('narrow-a', 'Look for Hamiltonian here', HOLD)
    const s = await signIn()
    const list = async (query: string) => (await call(`/admin/comments?${query}`, { headers: { cookie: s.cookie } })).text()
    const html = await eventually(async () => {
      const html = await list('status=pending&post=narrow-a&q=hamilton')
      expect(html).toContain(`data-comment="narrow-a/${id}"`)
      return html
    })
    expect(html).toContain('只显示文章“narrow-a”的评论')
    expect(html).toContain('<input id="admin-q" type="search" name="q" value="hamilton" maxlength="100"/>')
    expect(html).toContain('href="/admin/comments?status=spam&amp;post=narrow-a&amp;q=hamilton"')
    expect(html).toContain(`action="/admin/comments/narrow-a/${id}/approve?status=pending&amp;post=narrow-a&amp;q=hamilton"`)
    expect(html).toContain('action="/admin/comments/bulk?status=pending&amp;post=narrow-a&amp;q=hamilton"')
    expect(await list('status=pending&post=narrow-a&q=lagrangian')).not.toContain(`data-comment="narrow-a/${id}"`)
    // The unfiltered list links each row to its post's comments; the post list links there too.
    expect(await list('status=pending')).toContain(
      '<a class="admin-id" href="/admin/comments?status=pending&amp;post=narrow-a">只看这篇</a>',
    )
    expect(await (await call('/admin/posts', { headers: { cookie: s.cookie } })).text()).toContain(
      'href="/admin/comments?status=approved&amp;post=narrow-a"',
    )
    // An action comes back to the same narrowed list.
    const res = await call(`/admin/comments/narrow-a/${id}/approve?status=pending&post=narrow-a&q=hamilton`, {
      method: 'POST',
      headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': FORM },
      body: new URLSearchParams({ _csrf: s.csrf }).toString(),
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/comments?status=pending&post=narrow-a&q=hamilton&done=1')
    // A filter the API refuses is a 400 page.
    expect((await call('/admin/comments?status=pending&q=%01', { headers: { cookie: s.cookie } })).status).toBe(400)
  })

  it('answers a held comment by approving it with the reply (通过并回复)', async () => {
    await putPost('reply-held', { title: 'Held' })
    const id = await comment('reply-held', 'Is this shown?', HOLD)
    const s = await signIn()
    await eventually(async () => {
      const html = await (await call('/admin/comments?status=pending', { headers: { cookie: s.cookie } })).text()
      expect(html).toContain(`<a href="/admin/comments/reply-held/${id}/reply">通过并回复</a>`)
    })
    const html = await (await call(`/admin/comments/reply-held/${id}/reply`, { headers: { cookie: s.cookie } })).text()
    expect(html).toContain('这条评论现在是“待审核”')
    expect(html).toContain('<button type="submit">通过并发表回复</button>')
    const key = /name="key" value="([^"]+)"/.exec(html)![1]!
    const res = await call(`/admin/comments/reply-held/${id}/reply`, {
      method: 'POST',
      headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': FORM },
      body: new URLSearchParams({ _csrf: s.csrf, body: 'It is now.', key }).toString(),
    })
    expect(res.status).toBe(303)
    const shown = (
      (await (await call('/api/posts/reply-held/comments')).json()) as { comments: { id: number; parent: number | null; admin: boolean }[] }
    ).comments
    expect(shown.map((c) => [c.id, c.parent, c.admin])).toEqual([
      [id, null, false],
      [id + 1, id, true],
    ])
  })

  it("edits a comment's text from the admin (a reader's broken LaTeX): marked edited, status kept, text kept when refused", async () => {
    await putPost('edit-a', { title: 'Editing' })
    const id = await comment('edit-a', 'Broken: $\\frac{1}{2$ & <b>x</b>')
    const held = await comment('edit-a', 'Held one $x$', HOLD, '192.0.2.99')
    const s = await signIn()
    await eventually(async () => {
      const html = await (await call('/admin/comments?status=approved', { headers: { cookie: s.cookie } })).text()
      expect(html).toContain(`<a href="/admin/comments/edit-a/${id}/edit">编辑</a>`)
    })
    const form = await (await call(`/admin/comments/edit-a/${id}/edit`, { headers: { cookie: s.cookie } })).text()
    // The markdown as the reader wrote it, as text in the box.
    expect(form).toContain('>Broken: $\\frac{1}{2$ &amp; &lt;b&gt;x&lt;/b&gt;</textarea>')
    expect(form).toContain('<button type="submit">保存修改</button>')
    const send = (target: number, fields: Record<string, string>) =>
      call(`/admin/comments/edit-a/${target}/edit`, {
        method: 'POST',
        headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': FORM },
        body: new URLSearchParams(fields).toString(),
      })
    const one = async (target: number) =>
      (
        (await (await call(`/api/posts/edit-a/comments/${target}`, { headers: ADMIN })).json()) as {
          comment: { body: string; html: string; editedAt: string | null; status: string }
        }
      ).comment
    expect((await send(id, { body: 'Fixed: $\\frac{1}{2}$' })).status).toBe(403)
    expect((await one(id)).editedAt).toBeNull()
    const refused = await send(id, { _csrf: s.csrf, body: 'x'.repeat(10_001) })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('x'.repeat(10_001))
    const saved = await send(id, { _csrf: s.csrf, body: 'Fixed: $\\frac{1}{2}$' })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe(`/admin/comments?status=approved&edited=edit-a/${id}`)
    const fixed = await one(id)
    expect(fixed.body).toBe('Fixed: $\\frac{1}{2}$')
    expect(fixed.html).toContain('class="katex"')
    expect(fixed.editedAt).not.toBeNull()
    expect(fixed.status).toBe('approved')
    // A held comment stays held (the admin's edit keeps the status) and the list it came from is where it goes back.
    const heldSaved = await send(held, { _csrf: s.csrf, body: 'Held one, fixed $y$' })
    expect(heldSaved.headers.get('location')).toBe(`/admin/comments?status=pending&edited=edit-a/${held}`)
    expect((await one(held)).status).toBe('pending')
    expect(await (await call(`/admin/comments?status=pending&edited=edit-a/${held}`, { headers: { cookie: s.cookie } })).text()).toContain(
      '评论已保存。',
    )
  })
})
