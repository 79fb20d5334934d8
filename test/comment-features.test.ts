import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { formTime } from '../src/lib/tokens'
import { BROWSER_UA, call, eventually, ORIGIN, putPost, request, roomStats, TOKEN } from './helpers'
import { parseHtml } from './html'

const ADMIN = { authorization: `Bearer ${TOKEN}` }

function comment(id: string, body: Record<string, unknown>, vars: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return call(
    `/api/posts/${id}/comments`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.10', ...headers },
      body: JSON.stringify(body),
    },
    vars,
  )
}

async function created(res: Response): Promise<{
  comment: { id: number; status: string; admin: boolean; avatar: string; depth: number; parent: number | null; replyTo: number | null }
  editToken: string
}> {
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json()
}

async function page(path: string, vars: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const res = await call(path, { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': '198.51.100.99', ...headers } }, vars)
  return { res, html: parseHtml(await res.text()) }
}

describe('threads', () => {
  it('attaches replies deeper than COMMENT_MAX_DEPTH to the deepest level, keeping who they answer', async () => {
    await putPost('deep', { title: 'Deep' })
    const vars = { COMMENT_MAX_DEPTH: '2' }
    const a = await created(await comment('deep', { author: 'A', body: 'top' }, vars))
    const b = await created(await comment('deep', { author: 'B', body: 'reply', parent: a.comment.id }, vars))
    const c = await created(await comment('deep', { author: 'C', body: 'too deep', parent: b.comment.id }, vars))
    expect(b.comment).toMatchObject({ depth: 1, parent: a.comment.id, replyTo: a.comment.id })
    expect(c.comment).toMatchObject({ depth: 1, parent: a.comment.id, replyTo: b.comment.id })
    const { html } = await page('/archives/deep', vars)
    expect(html.text(html.byId(`comment-${c.comment.id}`)!)).toContain('@B')
  })

  it('pages long threads; a comment permalink leads to its page; comment pages are not views', async () => {
    await putPost('paged', { title: 'Paged' })
    const vars = { COMMENTS_PER_PAGE: '2' }
    for (let i = 1; i <= 5; i++) await created(await comment('paged', { author: `R${i}`, body: `comment ${i}` }, vars))
    await created(await comment('paged', { author: 'R6', body: 'reply to 5', parent: 5 }, vars))
    const first = await page('/archives/paged', vars)
    expect(first.html.byId('comment-1')).toBeTruthy()
    expect(first.html.byId('comment-3')).toBeNull()
    const views = (await roomStats('paged')).views
    const third = await page('/archives/paged/comment-page-3', vars)
    expect(third.res.status).toBe(200)
    expect(third.html.byId('comment-5')).toBeTruthy()
    expect(third.html.byId('comment-6')).toBeTruthy()
    expect((await roomStats('paged')).views).toBe(views)
    const link = await call('/archives/paged/comments/6', {}, vars)
    expect(link.headers.get('location')).toBe('/archives/paged/comment-page-3#comment-6')
    expect((await page('/archives/paged/comment-page-4', vars)).res.status).toBe(404)
    // Newest first: the newest thread is on page 1.
    const newest = await page('/archives/paged', { ...vars, COMMENT_ORDER: 'newest' })
    expect(newest.html.byId('comment-5')).toBeTruthy()
    expect(newest.html.byId('comment-1')).toBeNull()
    expect((await call('/archives/paged/comments/1', {}, { ...vars, COMMENT_ORDER: 'newest' })).headers.get('location')).toBe(
      '/archives/paged/comment-page-3#comment-1',
    )
  })
})

describe('preview, avatars, badge', () => {
  it('previews exactly what is stored, through the API and the form without JavaScript, storing nothing', async () => {
    await putPost('preview', { title: 'Preview' })
    const body = '能量 $E=mc^2$ 和 **粗体** <script>x</script>'
    const res = await call('/api/comments/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body }),
    })
    const { html } = (await res.json()) as { html: string }
    expect(html).toContain('class="katex"')
    expect(html).not.toContain('<script>')
    const stored = await created(await comment('preview', { author: 'P', body }))
    const listed = (await (await request('/api/posts/preview/comments')).json()) as { comments: { id: number; html: string }[] }
    expect(listed.comments.find((x) => x.id === stored.comment.id)?.html).toBe(html)
    const form = new URLSearchParams({ author: 'Q', body: '预览 $\\int_0^1 x\\,dx$', intent: 'preview' })
    const noJs = await call('/archives/preview/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body: form.toString(),
    })
    expect(noJs.status).toBe(200)
    const doc = parseHtml(await noJs.text())
    expect(doc.byId('comment-preview')!.children.length).toBeGreaterThan(0)
    expect(doc.text(doc.tags('textarea')[0]!)).toBe('预览 $\\int_0^1 x\\,dx$')
    expect((await roomStats('preview')).comments).toBe(1)
  })

  it('gives every commenter a server-made identicon from a salted hash; the admin gets the badge', async () => {
    await putPost('faces', { title: 'Faces' })
    const a = await created(await comment('faces', { author: 'Ann', email: 'Ann@Example.com', body: 'one' }))
    const b = await created(await comment('faces', { author: 'Someone else', email: 'ann@example.com', body: 'two' }))
    const admin = await created(await comment('faces', { author: '林知远', body: 'author here' }, {}, ADMIN))
    expect(a.comment.avatar).toMatch(/^\/avatars\/[0-9a-f]{32}\.svg$/)
    expect(a.comment.avatar).toBe(b.comment.avatar)
    expect(a.comment.avatar).not.toContain('ann')
    const svg = await request(a.comment.avatar)
    expect(svg.headers.get('content-type')).toContain('image/svg+xml')
    expect(await svg.text()).toMatch(/^<svg/)
    expect((await request('/avatars/../../x.svg')).status).toBe(404)
    expect(admin.comment.admin).toBe(true)
    expect(a.comment.admin).toBe(false)
    const { html } = await page('/archives/faces')
    expect(html.text(html.byId(`comment-${admin.comment.id}`)!)).toContain('博主')
    expect(html.text(html.byId(`comment-${a.comment.id}`)!)).not.toContain('博主')
  })
})

describe('a commenter edits or deletes their own comment', () => {
  it('works with the edit cookie within the window, and for nobody else', async () => {
    await putPost('own', { title: 'Own' })
    const res = await comment('own', { author: 'W', body: 'typo $x^2$' })
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    const { comment: c } = await created(res)
    const other = await created(await comment('own', { author: 'X', body: 'another' }))
    const patch = (id: number, headers: Record<string, string>, vars: Record<string, string> = {}) =>
      call(
        `/api/posts/own/comments/${id}`,
        { method: 'PATCH', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ body: 'fixed $x^3$' }) },
        vars,
      )
    // Refused with the reason comments.js shows the writer, in the site language; the code stays.
    const refusal = async (res: Response) => {
      expect(res.status).toBe(403)
      return ((await res.json()) as { error: { code: string; message: string } }).error
    }
    expect(await refusal(await patch(c.id, {}))).toEqual({
      code: 'not_your_comment',
      message: '只有发表这条评论的浏览器能在发表后 10 分钟内修改它（博主随时可以修改）。',
    })
    expect(await refusal(await patch(other.comment.id, { cookie: cookie.replace(`_${c.id}=`, `_${other.comment.id}=`) }))).toEqual({
      code: 'not_your_comment',
      message: '这条评论不是在这个浏览器里发表的，不能修改或删除。',
    })
    expect(await refusal(await patch(c.id, { cookie }, { COMMENT_EDIT_MINUTES: '0' }))).toEqual({
      code: 'edit_window_closed',
      message: '这条评论已经过了可以修改的时间。',
    })
    expect(await refusal(await patch(c.id, { cookie }, { COMMENT_EDIT_MINUTES: '0', LANGUAGE: 'en' }))).toEqual({
      code: 'edit_window_closed',
      message: 'The time for changing this comment is over.',
    })
    const ok = await patch(c.id, { cookie })
    expect(ok.status).toBe(200)
    const edited = (await ok.json()) as { comment: { body: string; editedAt: string | null } }
    expect(edited.comment.body).toBe('fixed $x^3$')
    expect(edited.comment.editedAt).not.toBeNull()
    const { html } = await page('/archives/own', {}, { cookie })
    expect(html.text(html.byId(`comment-${c.id}`)!)).toContain('已编辑')
    // The page tells comments.js which comments this browser may still change.
    expect(html.attr(html.byId('own-comments')!, 'data-own')).toMatch(new RegExp(`^${c.id}:\\d+$`))
    // A reply keeps a deleted comment as a placeholder.
    await created(await comment('own', { author: 'Y', body: 'a reply', parent: c.id }))
    const del = await call(`/api/posts/own/comments/${c.id}`, { method: 'DELETE', headers: { cookie } })
    expect(del.status).toBe(200)
    const after = await page('/archives/own')
    expect(after.html.text(after.html.byId(`comment-${c.id}`)!)).toContain('此评论已删除')
    expect(after.html.text(after.html.byId(`comment-${c.id}`)!)).not.toContain('fixed')
    expect((await roomStats('own')).comments).toBe(2)
    // The API's X-Comment-Token works like the cookie; the admin may edit any comment, any time.
    const viaHeader = await call(`/api/posts/own/comments/${other.comment.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-comment-token': other.editToken },
      body: JSON.stringify({ body: 'edited via header' }),
    })
    expect(viaHeader.status).toBe(200)
    expect((await patch(other.comment.id, ADMIN, { COMMENT_EDIT_MINUTES: '0' })).status).toBe(200)
  })
})

describe('moderation', () => {
  it('holds comments in "all" mode: invisible to readers, marked for their writer, in the queue until approved', async () => {
    await putPost('held', { title: 'Held' })
    const vars = { COMMENT_MODERATION: 'all' }
    const res = await comment('held', { author: 'H', email: 'h@example.com', body: 'please approve $\\pi$' }, vars)
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    const { comment: c } = await created(res)
    expect(c.status).toBe('pending')
    expect((await page('/archives/held', vars)).html.byId(`comment-${c.id}`)).toBeNull()
    const mine = await page('/archives/held', vars, { cookie })
    expect(mine.html.text(mine.html.byId(`comment-${c.id}`)!)).toContain('等待审核')
    // A forged cookie (the right name, another token) shows nothing.
    const forged = await page('/archives/held', vars, { cookie: `ce_held_${c.id}=${'A'.repeat(32)}` })
    expect(forged.html.byId(`comment-${c.id}`)).toBeNull()
    // The editor loads the held comment's text for its writer (and the admin), for no one else.
    const one = (headers: Record<string, string>) => call(`/api/posts/held/comments/${c.id}`, { headers }, vars)
    const own = await one({ cookie })
    expect(own.status).toBe(200)
    expect(((await own.json()) as { comment: { body: string; status: string } }).comment).toMatchObject({
      body: 'please approve $\\pi$',
      status: 'pending',
    })
    expect((await one(ADMIN)).status).toBe(200)
    expect((await one({})).status).toBe(404)
    expect((await one({ cookie: `ce_held_${c.id}=${'A'.repeat(32)}` })).status).toBe(404)
    // Held comments are in no count and no sidebar.
    const snapshot = async () =>
      (await env.POSTS.get<{ counts: Record<string, [number, number]>; recent: { postId: string }[] }>('v1:site', 'json'))!
    expect((await snapshot()).counts.held?.[1] ?? 0).toBe(0)
    expect((await snapshot()).recent.some((r) => r.postId === 'held')).toBe(false)
    expect((await roomStats('held')).comments).toBe(0)
    const queue = await eventually(async () => {
      const q = (await (await request('/api/comments?status=pending', { headers: ADMIN })).json()) as {
        comments: { postId: string; commentId: number; email: string }[]
      }
      const item = q.comments.find((x) => x.postId === 'held')
      expect(item).toBeTruthy()
      return item!
    })
    expect(queue).toMatchObject({ commentId: c.id, email: 'h@example.com' })
    expect((await request('/api/comments?status=pending')).status).toBe(401)
    expect((await request(`/api/comments/held/${c.id}/approve`, { method: 'POST', headers: ADMIN })).status).toBe(200)
    expect((await page('/archives/held', vars)).html.byId(`comment-${c.id}`)).toBeTruthy()
    expect((await roomStats('held')).comments).toBe(1)
    await eventually(async () => {
      expect((await snapshot()).counts.held?.[1]).toBe(1)
      expect((await snapshot()).recent.some((r) => r.postId === 'held')).toBe(true)
    })
    // Spam hides it again; approving takes it out of spam; delete wipes it.
    expect((await request(`/api/comments/held/${c.id}/spam`, { method: 'POST', headers: ADMIN })).status).toBe(200)
    expect((await page('/archives/held', vars)).html.byId(`comment-${c.id}`)).toBeNull()
    await eventually(async () => {
      const q = (await (await request('/api/comments?status=spam', { headers: ADMIN })).json()) as { comments: { postId: string }[] }
      expect(q.comments.some((x) => x.postId === 'held')).toBe(true)
    })
    expect((await request(`/api/comments/held/${c.id}/approve`, { method: 'POST', headers: ADMIN })).status).toBe(200)
    expect((await request(`/api/comments/held/${c.id}`, { method: 'DELETE', headers: ADMIN })).status).toBe(200)
    expect((await roomStats('held')).comments).toBe(0)
    expect((await request(`/api/comments/held/${c.id}/approve`, { method: 'POST', headers: ADMIN })).status).toBe(404)
    expect((await request('/api/comments/held/999/approve', { method: 'POST', headers: ADMIN })).status).toBe(404)
    expect((await request('/api/comments?status=bogus', { headers: ADMIN })).status).toBe(400)
  })

  it("refuses a queue limit outside 1 to 500 with one message, the other count parameters' way", async () => {
    for (const limit of ['0', '501', '1000', 'x', '-1', '1e2', '0500']) {
      const res = await request(`/api/comments?status=pending&limit=${limit}`, { headers: ADMIN })
      expect(res.status, limit).toBe(400)
      expect(await res.json(), limit).toMatchObject({ error: { code: 'invalid_query', message: 'limit must be 1 to 500' } })
    }
    for (const limit of ['1', '500', '050']) {
      expect((await request(`/api/comments?status=pending&limit=${limit}`, { headers: ADMIN })).status, limit).toBe(200)
    }
  })

  it('keeps the answered comment as a placeholder when it is marked spam after the reply, and shows it again when approved', async () => {
    await putPost('spam-parent', { title: 'Spam parent' })
    const parent = await created(
      await comment('spam-parent', { author: 'Spammer', url: 'https://spam.example', body: 'buy $\\mathrm{pills}$' }),
    )
    const reply = await created(
      await comment('spam-parent', { author: 'Reader', body: 'is this a real offer?', parent: parent.comment.id }),
    )
    expect((await request(`/api/comments/spam-parent/${parent.comment.id}/spam`, { method: 'POST', headers: ADMIN })).status).toBe(200)

    // The API lists the answered comment as an empty placeholder, so the reply's parent is there.
    const listed = (await (await request('/api/posts/spam-parent/comments')).json()) as {
      total: number
      comments: { id: number; parent: number | null; status: string; author: string; body: string; html: string; url: string | null }[]
    }
    expect(listed.comments.map((c) => [c.id, c.status])).toEqual([
      [parent.comment.id, 'deleted'],
      [reply.comment.id, 'approved'],
    ])
    expect(listed.comments[0]).toMatchObject({ author: '', body: '', html: '', url: null })
    expect(listed.comments[1]!.parent).toBe(parent.comment.id)
    expect(JSON.stringify(listed)).not.toMatch(/Spammer|spam\.example|pills/)
    // The page: the reply stays under the placeholder, nothing of the spam is shown.
    const { html } = await page('/archives/spam-parent')
    expect(html.text(html.byId(`comment-${parent.comment.id}`)!)).toContain('此评论已删除')
    // (The reply's own element is inside the placeholder's.)
    expect(html.text(html.byId(`comment-${parent.comment.id}`)!)).toContain('is this a real offer?')
    // (The sidebar's recent comments follow once the post's object has told the site.)
    await eventually(async () => {
      const raw = await (await call('/archives/spam-parent', { headers: { 'user-agent': BROWSER_UA } })).text()
      expect(raw).toContain('is this a real offer?')
      expect(raw).not.toMatch(/Spammer|spam\.example|pills/)
    })
    expect((await roomStats('spam-parent')).comments).toBe(1)

    // Approved again: shown as it was.
    expect((await request(`/api/comments/spam-parent/${parent.comment.id}/approve`, { method: 'POST', headers: ADMIN })).status).toBe(200)
    const back = (await (await request('/api/posts/spam-parent/comments')).json()) as {
      comments: { id: number; status: string; author: string }[]
    }
    expect(back.comments[0]).toMatchObject({ id: parent.comment.id, status: 'approved', author: 'Spammer' })
  })

  it('shows the writer their held edit of an answered comment once, where readers see the placeholder', async () => {
    await putPost('held-edit', { title: 'Held edit' })
    const res = await comment('held-edit', { author: 'W', body: 'the first text' })
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    const { comment: c } = await created(res)
    await created(
      await comment('held-edit', { author: 'R', body: 'an answer to it', parent: c.id }, {}, { 'cf-connecting-ip': '192.0.2.11' }),
    )
    // Edited under moderation: held again.
    const vars = { COMMENT_MODERATION: 'all' }
    const edit = await call(
      `/api/posts/held-edit/comments/${c.id}`,
      { method: 'PATCH', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ body: 'the changed text' }) },
      vars,
    )
    expect(edit.status).toBe(200)
    const readers = await (await call('/archives/held-edit', { headers: { 'user-agent': BROWSER_UA } }, vars)).text()
    expect(readers).toContain('此评论已删除')
    expect(readers).toContain('an answer to it')
    expect(readers).not.toContain('the changed text')
    const mine = await (await call('/archives/held-edit', { headers: { 'user-agent': BROWSER_UA, cookie } }, vars)).text()
    expect(mine.split(`id="comment-${c.id}"`)).toHaveLength(2)
    expect(mine).toContain('the changed text')
    expect(mine).toContain('等待审核')
    expect(mine).toContain('an answer to it')
  })

  it('holds only first-time commenters in "first" mode', async () => {
    await putPost('first', { title: 'First' })
    const vars = { COMMENT_MODERATION: 'first' }
    const one = await created(await comment('first', { author: 'F', email: 'f@example.com', body: 'hello' }, vars))
    expect(one.comment.status).toBe('pending')
    await request(`/api/comments/first/${one.comment.id}/approve`, { method: 'POST', headers: ADMIN })
    await eventually(async () => {
      const two = await created(await comment('first', { author: 'F', email: 'F@example.com', body: `again ${Math.random()}` }, vars))
      expect(two.comment.status).toBe('approved')
    })
    const stranger = await created(await comment('first', { author: 'G', body: 'no address' }, vars))
    expect(stranger.comment.status).toBe('pending')
  })

  it('erases everything one commenter left, on every post, by e-mail', async () => {
    await putPost('erase-a', { title: 'A' })
    await putPost('erase-b', { title: 'B' })
    await created(await comment('erase-a', { author: 'Eve', email: 'eve@example.com', body: 'mine a' }))
    await created(await comment('erase-b', { author: 'Eve', email: 'eve@example.com', body: 'mine b' }))
    await created(await comment('erase-b', { author: 'Bob', email: 'bob@example.com', body: 'not hers' }))
    // The site's comment index learns of comments from the post objects' pushes.
    await eventually(async () => {
      const q = (await (await request('/api/comments?status=approved', { headers: ADMIN })).json()) as { comments: { email: string }[] }
      expect(q.comments.filter((x) => x.email === 'eve@example.com')).toHaveLength(2)
    })
    const res = (await (
      await request('/api/comments/erase', {
        method: 'POST',
        headers: { ...ADMIN, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'EVE@example.com' }),
      })
    ).json()) as { erased: number; posts: string[] }
    expect(res.erased).toBe(2)
    expect(res.posts.sort()).toEqual(['erase-a', 'erase-b'])
    const b = (await (await request('/api/posts/erase-b/comments')).json()) as { comments: { author: string; body: string }[] }
    expect(b.comments.map((x) => x.author)).toEqual(['Bob'])
    expect(JSON.stringify(b)).not.toContain('mine')
    const bad = await request('/api/comments/erase', {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(bad.status).toBe(400)
  })
})

describe('a comment written shortly before its post is renamed', () => {
  it("stays its writer's: their cookie and token, named and signed with the old id, still show and change it", async () => {
    await putPost('soon-moved', { title: 'Soon moved' })
    await putPost('not-moved', { title: 'Not moved' })
    const held = 'all'
    const heldRes = await comment('soon-moved', { author: 'W', body: 'held: $x$' }, { COMMENT_MODERATION: held })
    const heldCookie = heldRes.headers.get('set-cookie')!.split(';')[0]!
    const h = await created(heldRes)
    const shownRes = await comment('soon-moved', { author: 'W', body: 'shown: $y$' })
    const shownCookie = shownRes.headers.get('set-cookie')!.split(';')[0]!
    const s = await created(shownRes)
    expect(shownCookie.startsWith(`ce_soon-moved_${s.comment.id}=`)).toBe(true)
    // The same numbers on a post that was not renamed: their cookies must not count for the renamed one.
    const otherRes = await comment('not-moved', { author: 'Other', body: 'elsewhere' })
    const otherCookie = otherRes.headers.get('set-cookie')!.split(';')[0]!
    const o = await created(otherRes)
    expect(o.comment.id).toBe(h.comment.id)
    const renamed = await call('/api/posts/soon-moved/rename', {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'now-moved' }),
    })
    expect(renamed.status).toBe(200)
    // The held comment is still shown to its writer, at the new address.
    const mine = await page('/archives/now-moved', { COMMENT_MODERATION: held }, { cookie: heldCookie })
    expect(mine.html.text(mine.html.byId(`comment-${h.comment.id}`)!)).toContain('等待审核')
    const stranger = await page('/archives/now-moved', { COMMENT_MODERATION: held }, { cookie: otherCookie })
    expect(stranger.html.byId(`comment-${h.comment.id}`)).toBeNull()
    // The page offers the writer's comments for editing (comments.js), the other post's cookie none.
    const both = await page('/archives/now-moved', {}, { cookie: `${heldCookie}; ${shownCookie}` })
    expect(both.html.attr(both.html.byId('own-comments')!, 'data-own')).toMatch(new RegExp(`^${h.comment.id}:\\d+,${s.comment.id}:\\d+$`))
    for (const cookie of [otherCookie, `ce_no-such-post_${s.comment.id}=${'A'.repeat(32)}`, `ce_Not_An_Id_1=${'A'.repeat(32)}`]) {
      const none = await page('/archives/now-moved', {}, { cookie })
      expect(none.res.status).toBe(200)
      expect(none.html.byId('own-comments')).toBeNull()
    }
    // Editing at the new address: with the old cookie, and with the token through the API.
    const patch = (cid: number, headers: Record<string, string>) =>
      call(`/api/posts/now-moved/comments/${cid}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ body: 'fixed: $y^2$' }),
      })
    expect((await patch(h.comment.id, { cookie: otherCookie })).status).toBe(403)
    expect((await patch(s.comment.id, { cookie: shownCookie })).status).toBe(200)
    expect((await patch(s.comment.id, { 'x-comment-token': s.editToken })).status).toBe(200)
    const del = await call(`/api/posts/now-moved/comments/${h.comment.id}`, { method: 'DELETE', headers: { cookie: heldCookie } })
    expect(del.status).toBe(200)
    // The other post's comment of the same number is untouched.
    const untouched = await page('/archives/not-moved')
    expect(untouched.html.text(untouched.html.byId(`comment-${o.comment.id}`)!)).toContain('elsewhere')
  })
})

describe('closed comments', () => {
  it('closes a post by front matter or after COMMENTS_CLOSE_AFTER_DAYS', async () => {
    await putPost('closed', { title: 'Closed', comments: false })
    const res = await comment('closed', { author: 'Z', body: 'late' })
    expect(res.status).toBe(403)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('comments_closed')
    const { html } = await page('/archives/closed')
    expect(html.text(html.byId('respond')!)).toContain('评论已关闭')
    expect(html.tags('textarea')).toHaveLength(0)
    // An open post's comments get reply links; once the post is closed after days, they go.
    await putPost('closing', { title: 'Closing', date: '2020-01-01' })
    await created(await comment('closing', { author: 'O', body: 'still open' }))
    expect((await page('/archives/closing')).html.byClass('comment-reply').length).toBe(1)
    expect((await page('/archives/closing', { COMMENTS_CLOSE_AFTER_DAYS: '30' })).html.byClass('comment-reply')).toHaveLength(0)
    await putPost('old-post', { title: 'Old', date: '2020-01-01' })
    expect((await comment('old-post', { author: 'Z', body: 'late' }, { COMMENTS_CLOSE_AFTER_DAYS: '30' })).status).toBe(403)
    expect((await comment('old-post', { author: 'Z', body: 'late' })).status).toBe(201)
    const md = await request('/api/posts/closed', { headers: { ...ADMIN, accept: 'text/markdown' } })
    expect(await md.text()).toContain('comments: false')
  })
})

describe('anti-spam', () => {
  it('rejects a filled honeypot, a missing, forged or too-fast form time, and accepts a real one', async () => {
    await putPost('spam-time', { title: 'Time' })
    const vars = { COMMENT_MIN_SECONDS: '3' }
    const codeOf = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code
    expect(await codeOf(await comment('spam-time', { author: 'B', body: 'x', website: 'http://spam' }))).toBe('rejected_as_spam')
    expect(await codeOf(await comment('spam-time', { author: 'B', body: 'x' }, vars))).toBe('form_time_missing')
    expect(await codeOf(await comment('spam-time', { author: 'B', body: 'x', ts: `${Date.now() - 10_000}.${'A'.repeat(32)}` }, vars))).toBe(
      'form_time_missing',
    )
    const fresh = await formTime('test-comment-secret')
    expect(await codeOf(await comment('spam-time', { author: 'B', body: 'x', ts: fresh }, vars))).toBe('too_fast')
    const old = await formTime('test-comment-secret', Date.now() - 5000)
    expect((await comment('spam-time', { author: 'B', body: 'x', ts: old }, vars)).status).toBe(201)
    // The form carries a signed time; the API hands one out too.
    const form = (await (await call('/api/comments/form')).json()) as { ts: string }
    expect(form.ts).toMatch(/^\d{13}\.[A-Za-z0-9_-]{32}$/)
    expect((await roomStats('spam-time')).comments).toBe(1)
  })

  it('limits comments per visitor, links, formulas and duplicates; blocked words go to spam', async () => {
    await putPost('spam-limits', { title: 'Limits' })
    const rate = { COMMENT_RATE_LIMIT: '2/60' }
    const ip = { 'cf-connecting-ip': '203.0.113.77' }
    expect((await comment('spam-limits', { author: 'R', body: 'r1' }, rate, ip)).status).toBe(201)
    expect((await comment('spam-limits', { author: 'R', body: 'r2' }, rate, ip)).status).toBe(201)
    const third = await comment('spam-limits', { author: 'R', body: 'r3' }, rate, ip)
    expect(third.status).toBe(429)
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await comment('spam-limits', { author: 'R', body: 'r3' }, rate, { 'cf-connecting-ip': '203.0.113.78' })).status).toBe(201)
    const links = Array.from({ length: 6 }, (_, i) => `[l${i}](https://e${i}.example)`).join(' ')
    expect((await comment('spam-limits', { author: 'L', body: links })).status).toBe(422)
    const math = Array.from({ length: 61 }, (_, i) => `$x_{${i}}$`).join(' ')
    expect((await comment('spam-limits', { author: 'M', body: math })).status).toBe(422)
    // The same writer's same text again is a duplicate (white space aside); another writer's is not.
    expect((await comment('spam-limits', { author: 'R', body: 'r1' })).status).toBe(409)
    expect((await comment('spam-limits', { author: 'R', body: '  r1 ' })).status).toBe(409)
    expect((await comment('spam-limits', { author: 'D', body: 'r1' })).status).toBe(201)
    const blocked = await created(
      await comment('spam-limits', { author: 'S', body: '便宜 代开发票 联系' }, { BLOCKED_WORDS: '代开发票, casino' }),
    )
    expect(blocked.comment.status).toBe('spam')
    const listed = (await (await request('/api/posts/spam-limits/comments')).json()) as { comments: { id: number }[] }
    expect(listed.comments.map((x) => x.id)).not.toContain(blocked.comment.id)
    expect((await roomStats('spam-limits')).comments).toBe(4)
  })

  it('counts an IPv6 visitor by its /64: new addresses in the same block share the limit, another block has its own', async () => {
    await putPost('spam-v6', { title: 'IPv6' })
    const rate = { COMMENT_RATE_LIMIT: '2/60' }
    const from = (ip: string) => ({ 'cf-connecting-ip': ip })
    expect((await comment('spam-v6', { author: 'V', body: 'v1' }, rate, from('2001:db8:aa:1::1'))).status).toBe(201)
    expect((await comment('spam-v6', { author: 'V', body: 'v2' }, rate, from('2001:db8:aa:1:ffff:0:0:2'))).status).toBe(201)
    expect((await comment('spam-v6', { author: 'V', body: 'v3' }, rate, from('2001:0db8:00aa:0001:1234::9'))).status).toBe(429)
    expect((await comment('spam-v6', { author: 'V', body: 'v3' }, rate, from('2001:db8:aa:2::1'))).status).toBe(201)
  })

  it("refuses the same writer's same text in the same place again, never another reader's", async () => {
    await putPost('same-text', { title: 'Same text' })
    const a = { author: '读者甲', email: 'jia@example.com' }
    const first = await created(await comment('same-text', { ...a, body: '谢谢！' }))
    // Another reader (another name, another address, no cookies) says the same: theirs to say.
    await created(await comment('same-text', { author: '读者乙', email: 'yi@example.com', body: '谢谢！' }))
    await created(await comment('same-text', { author: '读者丙', body: '谢谢！' }))
    // The same name with another address (or none) is another reader too.
    await created(await comment('same-text', { author: '读者甲', body: '谢谢！' }))
    await created(await comment('same-text', { author: '读者甲', email: 'other@example.com', body: '谢谢！' }))
    // The same writer again, at once: refused (the address's case and the text's white space do not matter).
    const again = await comment('same-text', { author: '读者甲', email: 'JIA@example.com', body: ' 谢谢！\n' })
    expect(again.status).toBe(409)
    expect(((await again.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'duplicate_comment',
      message: '您已经在这里发表过同样的评论了。',
    })
    expect((await comment('same-text', { author: '读者丙', body: '谢谢！' })).status).toBe(409)
    // The same words in reply to a comment are another place: allowed once there.
    await created(await comment('same-text', { ...a, body: '谢谢！', parent: first.comment.id }))
    expect((await comment('same-text', { ...a, body: '谢谢！', parent: first.comment.id })).status).toBe(409)
    // A retry with the idempotency key still gets the stored comment back, not a 409.
    const keyed = { ...a, body: '+1', key: 'same-text-key' }
    const stored = await created(await comment('same-text', keyed))
    const retried = await comment('same-text', keyed)
    expect(retried.status).toBe(201)
    expect(retried.headers.get('idempotent-replayed')).toBe('true')
    expect((await created(retried)).comment.id).toBe(stored.comment.id)
    // Once the writer deletes their comment, they may say it again.
    const token = { 'x-comment-token': stored.editToken }
    expect((await call(`/api/posts/same-text/comments/${stored.comment.id}`, { method: 'DELETE', headers: token })).status).toBe(200)
    await created(await comment('same-text', { ...a, body: '+1' }))
    expect((await roomStats('same-text')).comments).toBe(7)
  })

  it('limits previews per visitor too (six times the comment limit)', async () => {
    const preview = () =>
      call(
        '/api/comments/preview',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.90' },
          body: JSON.stringify({ body: '$x$' }),
        },
        { COMMENT_RATE_LIMIT: '1/60' },
      )
    for (let i = 0; i < 6; i++) expect((await preview()).status).toBe(200)
    const refused = await preview()
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).not.toBeNull()
  })

  it('asks Akismet when AKISMET_KEY is set: spam is kept as spam, an unclear answer holds the comment, the admin is not asked about', async () => {
    await putPost('akismet', { title: 'Akismet' })
    const vars = { AKISMET_KEY: 'test-akismet-key', AKISMET_API_URL: 'https://stub.test/akismet' }
    const asked = async () =>
      ((await (await fetch('https://stub.test/log')).json()) as { url: string; body: string }[])
        .filter((r) => r.url === 'https://stub.test/akismet')
        .map((r) => Object.fromEntries(new URLSearchParams(r.body)))
    await fetch('https://stub.test/log', { method: 'DELETE' })
    const browser = { 'user-agent': BROWSER_UA, referer: `${ORIGIN}/archives/akismet`, 'cf-connecting-ip': '198.51.100.7' }
    // Akismet's own test author is spam: kept for review, not shown.
    const spam = await created(await comment('akismet', { author: 'viagra-test-123', body: 'cheap pills' }, vars, browser))
    expect(spam.comment.status).toBe('spam')
    // A reader's comment: asked with what Akismet needs, shown.
    const ham = await created(await comment('akismet', { author: 'Reader', email: 'r@example.org', body: 'A fine proof.' }, vars, browser))
    expect(ham.comment.status).toBe('approved')
    const reply = await created(await comment('akismet', { author: 'Other', body: 'Agreed.', parent: ham.comment.id }, vars, browser))
    expect(reply.comment.status).toBe('approved')
    const forms = await asked()
    expect(forms).toHaveLength(3)
    expect(forms[1]).toMatchObject({
      api_key: 'test-akismet-key',
      blog: ORIGIN,
      user_ip: '198.51.100.7',
      user_agent: BROWSER_UA,
      referrer: `${ORIGIN}/archives/akismet`,
      permalink: `${ORIGIN}/archives/akismet`,
      comment_type: 'comment',
      comment_author: 'Reader',
      comment_author_email: 'r@example.org',
      comment_content: 'A fine proof.',
      blog_charset: 'UTF-8',
    })
    expect(forms[2]!.comment_type).toBe('reply')
    // The service down, or refusing the key: held for moderation, not lost and not shown unchecked.
    const down = await created(await comment('akismet', { author: 'R2', body: 'akismet-down test' }, vars, browser))
    expect(down.comment.status).toBe('pending')
    const wrongKey = await created(
      await comment('akismet', { author: 'R3', body: 'with a wrong key' }, { ...vars, AKISMET_KEY: 'wrong' }, browser),
    )
    expect(wrongKey.comment.status).toBe('pending')
    // The form without JavaScript is asked about too.
    const form = await call(
      '/archives/akismet/comments',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...browser },
        body: new URLSearchParams({ author: 'viagra-test-123', body: 'form spam' }).toString(),
      },
      vars,
    )
    expect(form.status).toBe(303)
    expect((await asked()).at(-1)!.comment_content).toBe('form spam')
    const shown = ((await (await request('/api/posts/akismet/comments')).json()) as { comments: { id: number }[] }).comments.map(
      (c) => c.id,
    )
    expect(shown).toEqual([ham.comment.id, reply.comment.id])
    // The admin, and a site without a key, ask nothing.
    const before = (await asked()).length
    await created(
      await comment('akismet', { author: 'Admin', body: 'by the author' }, vars, { ...browser, authorization: `Bearer ${TOKEN}` }),
    )
    await created(await comment('akismet', { author: 'R4', body: 'no key set' }, {}, browser))
    expect(await asked()).toHaveLength(before)
  })

  it('verifies Turnstile when configured and fails closed', async () => {
    await putPost('turnstile', { title: 'Turnstile' })
    const vars = {
      TURNSTILE_SITE_KEY: '0x4AAAA-test',
      TURNSTILE_SECRET: 'test-turnstile-secret',
      TURNSTILE_VERIFY_URL: 'https://stub.test/turnstile',
    }
    const post = (token?: string) =>
      comment('turnstile', { author: 'T', body: `t ${token}`, ...(token ? { 'cf-turnstile-response': token } : {}) }, vars)
    expect((await post()).status).toBe(403)
    expect((await post('stub-fail')).status).toBe(403)
    expect((await post('stub-error')).status).toBe(403)
    expect((await post('stub-pass')).status).toBe(201)
    expect((await post('stub-pass')).status).toBe(409)
    expect(
      (
        await comment(
          'turnstile',
          { author: 'T', body: 'down', 'cf-turnstile-response': 'stub-pass' },
          { ...vars, TURNSTILE_VERIFY_URL: 'https://unreachable.test/x' },
        )
      ).status,
    ).toBe(403)
    const { res, html } = await page('/archives/turnstile', vars)
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self' https://challenges.cloudflare.com")
    expect(res.headers.get('content-security-policy')).toContain('frame-src https://challenges.cloudflare.com')
    expect(html.byClass('cf-turnstile')).toHaveLength(1)
    const plain = await page('/archives/turnstile')
    expect(plain.res.headers.get('content-security-policy')).not.toContain('challenges.cloudflare.com')
  })
})

describe('reply notifications', () => {
  it('tells the parent author (opted in) and the blog author, with no HTML and an unsubscribe link; nothing when unconfigured', async () => {
    await putPost('notify', { title: '通知 <b>测试</b>' })
    await fetch('https://stub.test/log', { method: 'DELETE' })
    const vars = {
      EMAIL_API_URL: 'https://stub.test/mail',
      EMAIL_API_KEY: 'k',
      EMAIL_FROM: 'blog@example.com',
      AUTHOR_EMAIL: 'author@example.com',
      COMMENT_MODERATION: 'all',
    }
    const parent = await created(await comment('notify', { author: 'P', email: 'p@example.com', body: 'question', notify: '1' }))
    // Reply mails need an address to go to: asked for without one, the comment is sent back with the reason.
    const noAddress = await comment('notify', { author: 'N', body: 'mail me', notify: '1' })
    expect(noAddress.status).toBe(400)
    expect(((await noAddress.json()) as { error: { message: string } }).error.message).toBe(
      '要在有人回复时收到邮件，请填写邮箱（或取消勾选邮件通知）。',
    )
    await created(await comment('notify', { author: 'Q', email: 'q@example.com', body: 'no notify' }))
    const reply = await created(
      await comment(
        'notify',
        { author: '<img src=x onerror=alert(1)>', body: 'answer <script>alert(1)</script> $x$', parent: parent.comment.id },
        vars,
      ),
    )
    const log = async () => (await (await fetch('https://stub.test/log')).json()) as { body: string; headers: Record<string, string> }[]
    // On submit (held): the blog's author only.
    let mails = (await log()).map(
      (m) => JSON.parse(m.body) as { to: string[]; subject: string; text: string; headers?: Record<string, string> },
    )
    expect(mails.map((m) => m.to[0])).toEqual(['author@example.com'])
    // Held: said so, with the post's moderation list (the permalink shows readers nothing yet) and the admin's reply page.
    expect(mails[0]!.subject.startsWith('[待审核] ')).toBe(true)
    expect(mails[0]!.text).toContain('这条评论被标为“待审核”，读者还看不到它。')
    expect(mails[0]!.text).toContain('去审核：https://blog.example/admin/comments?status=pending&post=notify')
    expect(mails[0]!.text).toContain(`通过并回复：https://blog.example/admin/comments/notify/${reply.comment.id}/reply`)
    expect(mails[0]!.text).not.toContain('查看评论：')
    // On approval: the parent's author, with an unsubscribe link.
    const approve = await call(`/api/comments/notify/${reply.comment.id}/approve`, { method: 'POST', headers: ADMIN }, vars)
    expect(approve.status).toBe(200)
    mails = (await log()).map((m) => JSON.parse(m.body))
    const toParent = mails.find((m) => m.to[0] === 'p@example.com')!
    expect(toParent).toBeTruthy()
    expect(mails.some((m) => m.to[0] === 'q@example.com')).toBe(false)
    for (const m of mails) {
      expect(`${m.subject}\n${m.text}`).not.toMatch(/<\s*(script|img|b)\b/i)
      expect(m.subject).not.toContain('\n')
    }
    const unsubscribe = /https:\/\/blog\.example\/comments\/unsubscribe\?[^\s>]+/.exec(toParent.text)![0]
    expect(toParent.headers?.['List-Unsubscribe']).toContain(unsubscribe)
    const path = unsubscribe.slice(ORIGIN.length)
    expect((await request(path)).status).toBe(200)
    const done = await request(path, { method: 'POST', headers: { origin: ORIGIN } })
    expect(done.status).toBe(200)
    expect(
      (await request(path.replace(/sig=[^&]+/, `sig=${'A'.repeat(32)}`), { method: 'POST', headers: { origin: ORIGIN } })).status,
    ).toBe(400)
    // Unsubscribed: the next reply tells nobody but the blog's author.
    await fetch('https://stub.test/log', { method: 'DELETE' })
    await created(
      await comment('notify', { author: 'R', body: 'second answer', parent: parent.comment.id }, { ...vars, COMMENT_MODERATION: 'open' }),
    )
    const shown = (await log()).map((m) => JSON.parse(m.body) as { to: string[]; subject: string; text: string })
    expect(shown.map((m) => m.to[0])).toEqual(['author@example.com'])
    // Shown at once: its permalink, and the admin's reply page.
    expect(shown[0]!.subject).not.toContain('待审核')
    expect(shown[0]!.text).toMatch(/查看评论：https:\/\/blog\.example\/archives\/notify\/comments\/[0-9]+/)
    expect(shown[0]!.text).toMatch(/\n回复：https:\/\/blog\.example\/admin\/comments\/notify\/[0-9]+\/reply/)
    // Nothing configured: nothing sent, nothing breaks.
    await fetch('https://stub.test/log', { method: 'DELETE' })
    await created(await comment('notify', { author: 'S', body: 'third answer', parent: parent.comment.id }))
    expect(await log()).toEqual([])
  })
})

describe('review fixes', () => {
  it('judges a writer edit again: blocked words make it spam, moderation holds it again', async () => {
    await putPost('re-judge', { title: 'Re-judge' })
    const first = await comment('re-judge', { author: 'W', body: 'clean text' })
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!
    const { comment: c } = await created(first)
    const patch = (body: string, vars: Record<string, string>) =>
      call(
        `/api/posts/re-judge/comments/${c.id}`,
        { method: 'PATCH', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ body }) },
        vars,
      )
    const spam = await patch('now with casino links', { BLOCKED_WORDS: 'casino' })
    expect(spam.status).toBe(200)
    expect(((await spam.json()) as { comment: { status: string } }).comment.status).toBe('spam')
    expect((await page('/archives/re-judge')).html.byId(`comment-${c.id}`)).toBeNull()
    const second = await created(await comment('re-judge', { author: 'V', body: 'another clean one' }))
    const held = await call(
      `/api/posts/re-judge/comments/${second.comment.id}`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-comment-token': second.editToken },
        body: JSON.stringify({ body: 'rewritten after approval' }),
      },
      { COMMENT_MODERATION: 'all' },
    )
    expect(((await held.json()) as { comment: { status: string } }).comment.status).toBe('pending')
  })

  it('answers 404 for a permalink of a comment that never existed, and sends one readers cannot see to the post', async () => {
    await putPost('permalink', { title: 'Permalink' })
    expect((await call('/archives/permalink/comments/999999', {}, {})).status).toBe(404)
    expect((await call('/archives/no-such-post/comments/1', {}, {})).status).toBe(404)
    // A held comment (its writer sees it on the post page) and a deleted one lead to the post.
    const held = await created(await comment('permalink', { author: 'H', body: 'held one' }, { COMMENT_MODERATION: 'all' }))
    const gone = await created(await comment('permalink', { author: 'G', body: 'deleted one' }))
    expect((await request(`/api/posts/permalink/comments/${gone.comment.id}`, { method: 'DELETE', headers: ADMIN })).status).toBe(200)
    for (const id of [held.comment.id, gone.comment.id]) {
      const res = await call(`/archives/permalink/comments/${id}`, {}, {})
      expect(res.status).toBe(302)
      expect(res.headers.get('location')).toBe(`/archives/permalink#comment-${id}`)
    }
  })

  it('limits parallel wrong tokens too (each attempt takes its slot before the check)', async () => {
    const vars = { ADMIN_AUTH_LIMIT: '3/300' }
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call('/api/posts/x', { headers: { authorization: `Bearer guess-${i}`, 'cf-connecting-ip': '198.51.100.77' } }, vars),
      ),
    )
    expect(answers.filter((r) => r.status === 401)).toHaveLength(3)
    expect(answers.filter((r) => r.status === 429)).toHaveLength(9)
  })
})
