/**
 * Comment likes (赞): the reader API and its refusals (cross-site, bots, malformed ids, held, spam and
 * deleted comments, deleted posts, the rate limit), toggling, exact counts under concurrency, the
 * form without JavaScript, the button and its count on the post page, backups, renames, and a post
 * object made before likes existed.
 */
import { abortAllDurableObjects, createExecutionContext, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../src/index'
import { migrate } from '../src/objects/migrations'
import { POST_ROOM_MIGRATIONS, type PostRoom } from '../src/objects/post-room'
import { BROWSER_UA, clickMethods, exportedPost, ORIGIN, putPost, renamePost, request, restorePost, TOKEN, view } from './helpers'
import { parseHtml } from './html'
import { parseDocument } from 'htmlparser2'
import { findAll, findOne, getAttributeValue, textContent } from 'domutils'
import type { Element } from 'domhandler'

const ADMIN = { authorization: `Bearer ${TOKEN}` }

/** A request to the Worker with some settings changed (the objects keep the test's settings). */
async function call(path: string, init: RequestInit = {}, vars: Record<string, string> = {}): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: 'manual', ...init }), { ...env, ...vars }, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

interface JsonComment {
  id: number
  status: string
  likes: number
}

/** Posts a comment as JSON; returns its id. */
async function comment(postId: string, body: Record<string, unknown>, vars: Record<string, string> = {}): Promise<number> {
  const res = await call(
    `/api/posts/${postId}/comments`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.40' },
      body: JSON.stringify(body),
    },
    vars,
  )
  expect(res.status, await res.clone().text()).toBe(201)
  return ((await res.json()) as { comment: JsonComment }).comment.id
}

/** A reader: a browser at an address (the liker key is made of both). */
const reader = (ip: string, ua = BROWSER_UA) => ({ 'user-agent': ua, 'cf-connecting-ip': ip })

/** POST /api/posts/:id/comments/:cid/like from this site's page (as comments.js sends it: no body). */
function like(postId: string, cid: number | string, headers: Record<string, string> = reader('198.51.100.1'), vars = {}) {
  return call(`/api/posts/${postId}/comments/${cid}/like`, { method: 'POST', headers: { origin: ORIGIN, ...headers } }, vars)
}

async function liked(res: Response): Promise<{ liked: boolean; likes: number }> {
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json()
}

async function refusal(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } }
  return { status: res.status, ...body.error }
}

/** The likes of each listed comment (GET /api/posts/:id/comments). */
async function likesOf(postId: string): Promise<Record<number, number>> {
  const body = (await (await request(`/api/posts/${postId}/comments`)).json()) as { comments: JsonComment[] }
  return Object.fromEntries(body.comments.map((c) => [c.id, c.likes]))
}

/** The like button of each comment on a page: its count's text, or null when the comment has none. */
async function buttons(path: string, headers: Record<string, string> = {}): Promise<Record<number, string | null>> {
  const res = await call(path, { headers: { ...reader('203.0.113.90'), ...headers } })
  expect(res.status).toBe(200)
  const doc = parseDocument(await res.text())
  const out: Record<number, string | null> = {}
  const hasClass = (e: Element, cls: string) => (getAttributeValue(e, 'class') ?? '').split(/\s+/).includes(cls)
  for (const li of findAll((e) => e.name === 'li' && (getAttributeValue(e, 'id') ?? '').startsWith('comment-'), doc.children)) {
    // The comment's own article (not its replies').
    const article = li.children.find((e): e is Element => e.type === 'tag' && hasClass(e as Element, 'comment-inner'))!
    const count = findOne((e) => hasClass(e, 'comment-like-count'), article.children)
    out[Number(getAttributeValue(li, 'id')!.slice('comment-'.length))] = count ? textContent(count) : null
  }
  return out
}

describe('POST /api/posts/:id/comments/:cid/like', () => {
  it('likes a comment, and takes the like back when the same reader sends it again', async () => {
    await putPost('like-toggle', { title: 'Like toggle' })
    const a = await comment('like-toggle', { author: 'A', body: 'first' })
    const b = await comment('like-toggle', { author: 'B', body: 'second' })
    expect(await likesOf('like-toggle')).toEqual({ [a]: 0, [b]: 0 })

    const one = reader('198.51.100.11')
    expect(await liked(await like('like-toggle', a, one))).toEqual({ liked: true, likes: 1 })
    expect(await likesOf('like-toggle')).toEqual({ [a]: 1, [b]: 0 })
    // The same reader again: the like is taken back.
    expect(await liked(await like('like-toggle', a, one))).toEqual({ liked: false, likes: 0 })
    expect(await liked(await like('like-toggle', a, one))).toEqual({ liked: true, likes: 1 })
    // Another reader (another address, or another browser at the same address) adds one.
    expect(await liked(await like('like-toggle', a, reader('198.51.100.12')))).toEqual({ liked: true, likes: 2 })
    expect(await liked(await like('like-toggle', a, reader('198.51.100.11', `${BROWSER_UA} Firefox/128.0`)))).toEqual({
      liked: true,
      likes: 3,
    })
    expect(await likesOf('like-toggle')).toEqual({ [a]: 3, [b]: 0 })
    const single = (await (await request(`/api/posts/like-toggle/comments/${a}`)).json()) as { comment: JsonComment }
    expect(single.comment.likes).toBe(3)
  })

  it('counts 50 readers liking at once exactly, each with its own number', async () => {
    await putPost('like-burst', { title: 'Like burst' })
    const a = await comment('like-burst', { author: 'A', body: 'popular' })
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => like('like-burst', a, reader(`10.1.0.${i + 1}`)).then(liked)))
    expect(answers.every((x) => x.liked)).toBe(true)
    expect(answers.map((x) => x.likes).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    expect(await likesOf('like-burst')).toEqual({ [a]: 50 })
    const rows = await runInDurableObject(env.POST_ROOM.getByName('like-burst'), (_: PostRoom, state) =>
      state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM comment_likes WHERE comment_id = ?', a).one(),
    )
    expect(rows.n).toBe(50)
  })

  it('never counts one reader twice, however many times and however fast they click', async () => {
    await putPost('like-once', { title: 'Like once' })
    const a = await comment('like-once', { author: 'A', body: 'click me' })
    const one = reader('198.51.100.21')
    // Nine at once: nine toggles, each seeing the one before; the count is never above one.
    const answers = await Promise.all(Array.from({ length: 9 }, () => like('like-once', a, one).then(liked)))
    expect(answers.every((x) => x.likes === (x.liked ? 1 : 0))).toBe(true)
    expect(answers.filter((x) => x.liked)).toHaveLength(5)
    expect(await likesOf('like-once')).toEqual({ [a]: 1 })
    expect(await liked(await like('like-once', a, one))).toEqual({ liked: false, likes: 0 })
  })

  it('refuses bots (the rule views use) with 403, and counts nothing', async () => {
    await putPost('like-bots', { title: 'Like bots' })
    const a = await comment('like-bots', { author: 'A', body: 'not for bots' })
    for (const ua of ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'curl/8.5.0', 'python-requests/2.31', 'HeadlessChrome/126']) {
      const refused = await refusal(await like('like-bots', a, reader('198.51.100.31', ua)))
      expect(refused, ua).toMatchObject({ status: 403, code: 'bot_refused' })
      expect(refused.message).toContain('点赞')
    }
    const noAgent = await like('like-bots', a, { 'cf-connecting-ip': '198.51.100.31' })
    expect(noAgent.status).toBe(403)
    // Cloudflare's verified-bot signal is not sent in tests; the user agent decides here.
    expect(await likesOf('like-bots')).toEqual({ [a]: 0 })
  })

  it('refuses requests from other sites with 403 (Origin, Sec-Fetch-Site), and counts nothing', async () => {
    await putPost('like-csrf', { title: 'Like CSRF' })
    const a = await comment('like-csrf', { author: 'A', body: 'guarded' })
    const path = `/api/posts/like-csrf/comments/${a}/like`
    const send = (headers: Record<string, string>) => call(path, { method: 'POST', headers: { ...reader('198.51.100.41'), ...headers } })
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      {},
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      { origin: 'null', 'content-type': 'text/plain' },
      // (A browser would not send this one without a CORS preflight; it is refused all the same.)
      { origin: 'https://evil.example', 'content-type': 'application/json' },
      { 'sec-fetch-site': 'same-site', 'content-type': 'application/json' },
    ]
    for (const headers of crossSite) {
      const refused = await refusal(await send(headers))
      expect(refused, JSON.stringify(headers)).toMatchObject({ status: 403, code: 'forbidden' })
    }
    expect(await likesOf('like-csrf')).toEqual({ [a]: 0 })
    // From this site: by its Origin, or by Sec-Fetch-Site alone.
    expect(await liked(await send({ origin: ORIGIN }))).toEqual({ liked: true, likes: 1 })
    expect(await liked(await send({ 'sec-fetch-site': 'same-origin' }))).toEqual({ liked: false, likes: 0 })
  })

  it('answers 404 for a held, spam, deleted or unknown comment, 410 for a deleted post, 400 for malformed ids', async () => {
    await putPost('like-refused', { title: 'Like refused' })
    const a = await comment('like-refused', { author: 'A', body: 'visible' })
    const held = await comment('like-refused', { author: 'H', body: 'held' }, { COMMENT_MODERATION: 'all' })
    const spam = await comment('like-refused', { author: 'S', body: 'spam' })
    expect((await request(`/api/comments/like-refused/${spam}/spam`, { method: 'POST', headers: ADMIN })).status).toBe(200)
    // A deleted comment with a reply stays as a placeholder; its likes go with it.
    const gone = await comment('like-refused', { author: 'D', body: 'to be deleted' })
    await comment('like-refused', { author: 'R', body: 'a reply', parent: gone })
    expect(await liked(await like('like-refused', gone))).toEqual({ liked: true, likes: 1 })
    expect((await request(`/api/comments/like-refused/${gone}`, { method: 'DELETE', headers: ADMIN })).status).toBe(200)

    for (const id of [held, spam, gone, 9999]) {
      const refused = await refusal(await like('like-refused', id))
      expect(refused, String(id)).toMatchObject({ status: 404, code: 'comment_not_found' })
    }
    for (const id of ['0', 'abc', '1e3', '-1']) {
      expect(await refusal(await like('like-refused', id)), id).toMatchObject({ status: 400, code: 'invalid_id' })
    }
    expect((await refusal(await like('no-such-post-here', 1))).status).toBe(404)
    const rows = await runInDurableObject(env.POST_ROOM.getByName('like-refused'), (_: PostRoom, state) =>
      state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM comment_likes').one(),
    )
    expect(rows.n).toBe(0)
    expect(await liked(await like('like-refused', a))).toEqual({ liked: true, likes: 1 })

    // A draft's comments are nobody's to like; a deleted post's answer 410.
    await putPost('like-refused', { title: 'Like refused', draft: true })
    expect((await like('like-refused', a)).status).toBe(404)
    expect((await request('/api/posts/like-refused', { method: 'DELETE', headers: ADMIN })).status).toBe(200)
    expect(await refusal(await like('like-refused', a))).toMatchObject({ status: 410, code: 'post_deleted' })
  })

  it('limits each reader with the comment gate (six times COMMENT_RATE_LIMIT), with Retry-After', async () => {
    await putPost('like-rate', { title: 'Like rate' })
    const a = await comment('like-rate', { author: 'A', body: 'rate me' })
    const vars = { COMMENT_RATE_LIMIT: '1/60' }
    const one = reader('198.51.100.51')
    for (let i = 0; i < 6; i++) expect((await like('like-rate', a, one, vars)).status).toBe(200)
    const limited = await like('like-rate', a, one, vars)
    expect(await refusal(limited.clone())).toMatchObject({ status: 429, code: 'rate_limited' })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another reader is not limited by the first one's clicks; six toggles left the count at 0.
    expect(await liked(await like('like-rate', a, reader('198.51.100.52'), vars))).toEqual({ liked: true, likes: 1 })
  })

  it("answers 405 with Allow to other methods; the form's address, opened, leads to the comment", async () => {
    expect(await clickMethods('/api/posts/like-toggle/comments/1/like', '/archives/like-toggle/comments/1/like')).toEqual({
      api: [405, 'POST'],
      form: [405, 'GET, HEAD, POST'],
    })
    const opened = await call('/archives/like-toggle/comments/1/like')
    expect(opened.status).toBe(302)
    expect(opened.headers.get('location')).toBe('/archives/like-toggle/comments/1')
  })
})

describe('the like button without JavaScript (POST /archives/:id/comments/:cid/like)', () => {
  const form = (postId: string, cid: number | string, headers: Record<string, string>) =>
    call(`/archives/${postId}/comments/${cid}/like`, {
      method: 'POST',
      headers: { ...reader('198.51.100.61'), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: '',
    })

  it('toggles the like and sends the reader back to the comment (303 to its permalink)', async () => {
    await putPost('like-form', { title: 'Like form' })
    const a = await comment('like-form', { author: 'A', body: 'no script' })
    const res = await form('like-form', a, { origin: ORIGIN })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/archives/like-form/comments/${a}`)
    expect(await likesOf('like-form')).toEqual({ [a]: 1 })
    // The permalink leads to the comment on its page.
    const permalink = await call(res.headers.get('location')!)
    expect(permalink.headers.get('location')).toBe(`/archives/like-form#comment-${a}`)
    expect((await form('like-form', a, { 'sec-fetch-site': 'same-origin' })).status).toBe(303)
    expect(await likesOf('like-form')).toEqual({ [a]: 0 })
  })

  it('refuses a form from another site, a bot, and a comment readers cannot see', async () => {
    await putPost('like-form-refused', { title: 'Like form refused' })
    const a = await comment('like-form-refused', { author: 'A', body: 'guarded' })
    const held = await comment('like-form-refused', { author: 'H', body: 'held' }, { COMMENT_MODERATION: 'all' })
    const cross = await form('like-form-refused', a, { origin: 'https://evil.example' })
    expect(cross.status).toBe(403)
    expect(await cross.text()).toContain('点赞')
    expect((await form('like-form-refused', a, {})).status).toBe(403)
    expect((await form('like-form-refused', a, { origin: ORIGIN, 'user-agent': 'Googlebot/2.1' })).status).toBe(403)
    expect((await form('like-form-refused', held, { origin: ORIGIN })).status).toBe(404)
    expect((await form('like-form-refused', 'abc', { origin: ORIGIN })).status).toBe(404)
    expect(await likesOf('like-form-refused')).toEqual({ [a]: 0 })
  })
})

describe('the like button on the post page', () => {
  it('shows each approved comment with its count (none at 0), and none on placeholders or held comments', async () => {
    await putPost('like-page', { title: 'Like page' })
    const a = await comment('like-page', { author: 'A', body: 'liked' })
    const b = await comment('like-page', { author: 'B', body: 'not liked' })
    const gone = await comment('like-page', { author: 'D', body: 'deleted' })
    const reply = await comment('like-page', { author: 'R', body: 'reply', parent: gone })
    expect((await request(`/api/comments/like-page/${gone}`, { method: 'DELETE', headers: ADMIN })).status).toBe(200)
    await liked(await like('like-page', a, reader('198.51.100.71')))
    await liked(await like('like-page', a, reader('198.51.100.72')))
    await liked(await like('like-page', reply, reader('198.51.100.71')))
    expect(await buttons('/archives/like-page')).toEqual({ [a]: '2', [b]: '', [gone]: null, [reply]: '1' })

    const html = parseHtml(await (await call('/archives/like-page', { headers: reader('203.0.113.91') })).text())
    const forms = html.byClass('comment-like-form')
    expect(forms.map((f) => html.attr(f, 'action'))).toEqual([a, b, reply].map((id) => `/archives/like-page/comments/${id}/like`))
    expect(forms.every((f) => html.attr(f, 'method') === 'post')).toBe(true)
    expect(html.text(html.byClass('comment-like-text')[0]!)).toBe('赞')

    // A writer sees their own held comment, without a like button.
    const created = await call(
      '/api/posts/like-page/comments',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.41' },
        body: JSON.stringify({ author: 'H', body: 'held one' }),
      },
      { COMMENT_MODERATION: 'all' },
    )
    const held = (await created.json()) as { comment: { id: number }; editToken: string }
    const mine = await buttons('/archives/like-page', { cookie: `ce_like-page_${held.comment.id}=${held.editToken}` })
    expect(mine[held.comment.id]).toBeNull()
    expect(mine[a]).toBe('2')
  })

  it('says Like in English', async () => {
    await putPost('like-en', { title: 'Like en' })
    await comment('like-en', { author: 'A', body: 'hello' })
    const res = await call('/archives/like-en', { headers: reader('203.0.113.92') }, { LANGUAGE: 'en' })
    const html = parseHtml(await res.text())
    expect(html.text(html.byClass('comment-like-text')[0]!)).toBe('Like')
  })

  it('shows a new count at once, also on the quick way to a hot post page', async () => {
    await putPost('like-fresh', { title: 'Like fresh' })
    const a = await comment('like-fresh', { author: 'A', body: 'fresh' })
    const count = async () => {
      const html = parseHtml(await (await view('/archives/like-fresh', '203.0.113.93')).text())
      return html.text(html.byClass('comment-like-count')[0]!)
    }
    // Twice: the second reader's page is made by the quick way from the kept template.
    expect(await count()).toBe('')
    expect(await count()).toBe('')
    await liked(await like('like-fresh', a, reader('198.51.100.81')))
    expect(await count()).toBe('1')
    expect(await count()).toBe('1')
    await liked(await like('like-fresh', a, reader('198.51.100.81')))
    expect(await count()).toBe('')
  })
})

describe('likes in backups and renames', () => {
  interface ExportedComment {
    id: number
    likes?: number
  }
  interface ExportedPost {
    id: string
    comments: ExportedComment[]
  }
  const exported = (id: string) => exportedPost<ExportedPost>(id)
  const restore = restorePost

  it('exports each comment’s count and restores it; an older backup without counts restores 0', async () => {
    await putPost('like-backup', { title: 'Like backup' })
    const a = await comment('like-backup', { author: 'A', body: 'kept' })
    const b = await comment('like-backup', { author: 'B', body: 'also kept' })
    const one = reader('198.51.100.91')
    await liked(await like('like-backup', a, one))
    await liked(await like('like-backup', a, reader('198.51.100.92')))
    await liked(await like('like-backup', b, one))
    const entry = await exported('like-backup')
    expect(entry.comments.map((c) => [c.id, c.likes])).toEqual([
      [a, 2],
      [b, 1],
    ])
    // Who liked is not in the backup.
    expect(JSON.stringify(entry)).not.toContain('liker')

    // Taken back on the blog; the backup puts the counts back.
    await liked(await like('like-backup', a, one))
    await liked(await like('like-backup', b, one))
    expect(await likesOf('like-backup')).toEqual({ [a]: 1, [b]: 0 })
    const report = await restore(entry)
    expect(report.status).toBe(200)
    expect(await report.json()).toMatchObject({ updated: 1, failed: [] })
    expect(await likesOf('like-backup')).toEqual({ [a]: 2, [b]: 1 })
    expect(await buttons('/archives/like-backup')).toEqual({ [a]: '2', [b]: '1' })
    // The likers are not restored: a reader may like once more, and the count follows.
    expect(await liked(await like('like-backup', b, one))).toEqual({ liked: true, likes: 2 })

    // A backup made before likes: every count 0.
    const older = { ...entry, comments: entry.comments.map(({ likes: _, ...c }) => c) }
    expect((await restore(older)).status).toBe(200)
    expect(await likesOf('like-backup')).toEqual({ [a]: 0, [b]: 0 })

    // A negative count is not a backup this blog made.
    const bad = await restore({ ...entry, comments: entry.comments.map((c) => ({ ...c, likes: -1 })) })
    expect(((await bad.json()) as { failed: unknown[] }).failed).toHaveLength(1)
  })

  it('keeps the counts and who liked what when the post is renamed', async () => {
    await putPost('like-old-name', { title: 'Like rename' })
    const a = await comment('like-old-name', { author: 'A', body: 'moving' })
    const one = reader('198.51.100.95')
    await liked(await like('like-old-name', a, one))
    await liked(await like('like-old-name', a, reader('198.51.100.96')))
    const renamed = await renamePost('like-old-name', 'like-new-name')
    expect(renamed.status).toBe(200)
    expect(await likesOf('like-new-name')).toEqual({ [a]: 2 })
    expect(await buttons('/archives/like-new-name')).toEqual({ [a]: '2' })
    // The reader who liked before the rename is still known: again takes it back.
    expect(await liked(await like('like-new-name', a, one))).toEqual({ liked: false, likes: 1 })
  })

  it('follows the post from its old id: the API and the form answer 308 (307 while only the old object knows) to the like at the new id', async () => {
    await putPost('like-was', { title: 'Like from an old page' })
    const a = await comment('like-was', { author: 'A', body: 'liked after the move' })
    const before = await env.POSTS.get('v1:post:like-was')
    const renamed = await renamePost('like-was', 'like-now')
    expect(renamed.status).toBe(200)
    const one = reader('198.51.100.97')
    // A page opened before the rename: its script posts to the old id, and fetch sends it again where it is told.
    const api = await like('like-was', a, one)
    expect(api.status).toBe(308)
    expect(api.headers.get('location')).toBe(`/api/posts/like-now/comments/${a}/like`)
    expect((await refusal(api)).code).toBe('post_moved')
    const form = () =>
      call(`/archives/like-was/comments/${a}/like`, {
        method: 'POST',
        headers: { origin: ORIGIN, ...one, 'content-type': 'application/x-www-form-urlencoded' },
      })
    const sent = await form()
    expect(sent.status).toBe(308)
    expect(sent.headers.get('location')).toBe(`/archives/like-now/comments/${a}/like`)
    // Nothing was liked at either id on the way.
    expect(await likesOf('like-now')).toEqual({ [a]: 0 })
    // Where KV still holds the old record, the old object points the way: 307.
    await env.POSTS.put('v1:post:like-was', before!)
    try {
      const stale = await like('like-was', a, one)
      expect(stale.status).toBe(307)
      expect(stale.headers.get('location')).toBe(`/api/posts/like-now/comments/${a}/like`)
      expect((await form()).status).toBe(307)
    } finally {
      await env.POSTS.put('v1:post:like-was', JSON.stringify({ id: 'like-was', movedTo: 'like-now', movedAt: Date.now() }))
    }
    // Posted again where the redirect points, the like is the reader's, once, at the new id.
    const again = await call(sent.headers.get('location')!, {
      method: 'POST',
      headers: { origin: ORIGIN, ...one, 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(again.status).toBe(303)
    expect(again.headers.get('location')).toBe(`/archives/like-now/comments/${a}`)
    expect(await liked(await like('like-now', a, one))).toEqual({ liked: false, likes: 0 })
  })
})

describe('a post object made before likes', () => {
  it('upgrades in place on first use: its comments start with no likes and can be liked', async () => {
    await putPost('like-legacy', { title: 'Like legacy' })
    // The object as migration 007 left it, with two comments.
    const stub = env.POST_ROOM.getByName('like-legacy')
    await runInDurableObject(stub, (_: PostRoom, state) => {
      const sql = state.storage.sql
      for (const { name } of sql
        .exec<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%'",
        )
        .toArray())
        sql.exec(`DROP TABLE ${name}`)
      migrate(state.storage, POST_ROOM_MIGRATIONS.slice(0, 7))
      sql.exec("INSERT INTO meta (name, value) VALUES ('post_id', 'like-legacy'), ('status', 'published')")
      sql.exec(
        `INSERT INTO comments (parent, reply_to, author, email, url, body, html, excerpt, status, created_ms, idem_key, request_hash,
           render_version, mod_seq)
         VALUES (NULL, NULL, 'Old', NULL, NULL, 'old', '<p>old</p>', 'old', 'approved', 1700000000000, NULL, 'h1', '', 1),
                (1, 1, 'Reply', NULL, NULL, 'reply', '<p>reply</p>', 'reply', 'approved', 1700000002000, NULL, 'h2', '', 2)`,
      )
      sql.exec("UPDATE counters SET value = 2 WHERE name IN ('mod_seq', 'pushed_mod_seq')")
    })
    // A deploy: the object starts again with the new code.
    await abortAllDurableObjects()
    expect(await likesOf('like-legacy')).toEqual({ 1: 0, 2: 0 })
    expect(await liked(await like('like-legacy', 2))).toEqual({ liked: true, likes: 1 })
    const names = await runInDurableObject(env.POST_ROOM.getByName('like-legacy'), (_: PostRoom, state) =>
      state.storage.sql
        .exec<{ name: string }>('SELECT name FROM _migrations ORDER BY name')
        .toArray()
        .map((r) => r.name),
    )
    expect(names).toContain('008-comment-likes')
    expect(await buttons('/archives/like-legacy')).toEqual({ 1: '', 2: '1' })
  })
})
