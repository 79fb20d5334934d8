/**
 * Post reactions (文章反应, "你认为这篇文章怎么样？"): one reaction per reader and post (add, move, take
 * back), exact counts under concurrency, the API and the form without JavaScript and their refusals
 * (cross-site, bots, unknown keys, the rate limit, drafts), a renamed post's old id, REACTIONS,
 * the section on the post page (Chinese and English, recomposed after a reaction, no extra object
 * or KV call per view), backups and renames.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { siteConfig } from '../src/config'
import { strings } from '../src/i18n'
import type { PostRoom } from '../src/objects/post-room'
import { BROWSER_UA, clickMethods, call, exportedPost, ORIGIN, putPost, renamePost, request, restorePost, TOKEN } from './helpers'
import { parseHtml } from './html'
import { findOne, getAttributeValue, textContent } from 'domutils'

const ADMIN = { authorization: `Bearer ${TOKEN}` }

/** A reader: a browser at an address (the reader key is made of both, as a like's). */
const reader = (ip: string, ua = BROWSER_UA) => ({ 'user-agent': ua, 'cf-connecting-ip': ip })

/** POST /api/posts/:id/reactions from this site's page, as comments.js sends it. */
function react(postId: string, reaction: unknown, headers: Record<string, string> = reader('198.51.100.1'), vars = {}) {
  return call(
    `/api/posts/${postId}/reactions`,
    { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ reaction }) },
    vars,
  )
}

interface Answer {
  reaction: string | null
  counts: Record<string, number>
}

async function answered(res: Response): Promise<Answer> {
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json()
}

async function refusal(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } }
  return { status: res.status, ...body.error }
}

const ZERO = { like: 0, insightful: 0, mindblown: 0, confused: 0, love: 0 }

/** The form without JavaScript: the pressed button's field. */
function form(postId: string, body: string, headers: Record<string, string>, vars = {}) {
  return call(
    `/archives/${postId}/reactions`,
    {
      method: 'POST',
      headers: { ...reader('198.51.100.61'), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    },
    vars,
  )
}

/** The reactions section of a post page: each button's value → its count's text. */
async function section(postId: string, vars: Record<string, string> = {}, ip = '203.0.113.90') {
  const res = await call(`/archives/${postId}`, { headers: reader(ip) }, vars)
  expect(res.status).toBe(200)
  const html = parseHtml(await res.text())
  const counts: Record<string, string> = {}
  for (const b of html.byClass('reaction')) {
    const count = findOne((e) => getAttributeValue(e, 'class') === 'reaction-count', b.children)
    counts[html.attr(b, 'value')!] = count ? textContent(count) : '?'
  }
  return { html, counts }
}

/** Rows stored in the post's object: readers' reactions and the kept counts. */
function stored(postId: string) {
  return runInDurableObject(env.POST_ROOM.getByName(postId), (_: PostRoom, state) => ({
    readers: state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM reactions').one().n,
    counts: Object.fromEntries(
      state.storage.sql
        .exec<{ reaction: string; n: number }>('SELECT reaction, n FROM reaction_counts WHERE n > 0')
        .toArray()
        .map((r) => [r.reaction, r.n]),
    ),
  }))
}

describe('POST /api/posts/:id/reactions', () => {
  it('adds a reaction, moves it to another, and takes it back when the same one is chosen again', async () => {
    await putPost('react-one', { title: 'React once' })
    const one = reader('198.51.100.11')
    expect(await answered(await react('react-one', 'insightful', one))).toEqual({
      reaction: 'insightful',
      counts: { ...ZERO, insightful: 1 },
    })
    // Another reader adds one.
    expect(await answered(await react('react-one', 'insightful', reader('198.51.100.12')))).toEqual({
      reaction: 'insightful',
      counts: { ...ZERO, insightful: 2 },
    })
    // The first reader moves theirs.
    expect(await answered(await react('react-one', 'confused', one))).toEqual({
      reaction: 'confused',
      counts: { ...ZERO, insightful: 1, confused: 1 },
    })
    // The same one again: taken back.
    expect(await answered(await react('react-one', 'confused', one))).toEqual({ reaction: null, counts: { ...ZERO, insightful: 1 } })
    expect(await stored('react-one')).toEqual({ readers: 1, counts: { insightful: 1 } })
  })

  it('counts 100 readers reacting at once exactly', async () => {
    await putPost('react-burst', { title: 'React burst' })
    const keys = ['like', 'insightful', 'mindblown', 'confused', 'love']
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        react('react-burst', keys[i % 5], reader(`10.2.${Math.floor(i / 50)}.${(i % 50) + 1}`)).then(answered),
      ),
    )
    expect(answers.every((a, i) => a.reaction === keys[i % 5])).toBe(true)
    // Each answer saw its own reaction counted; the last ones see them all.
    expect(Math.max(...answers.map((a) => Object.values(a.counts).reduce((x, y) => x + y, 0)))).toBe(100)
    expect(await stored('react-burst')).toEqual({
      readers: 100,
      counts: { like: 20, insightful: 20, mindblown: 20, confused: 20, love: 20 },
    })
    // And the same readers all moving to one at once.
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        react('react-burst', 'love', reader(`10.2.${Math.floor(i / 50)}.${(i % 50) + 1}`)).then(answered),
      ),
    )
    // (The 20 who had chosen love took it back.)
    expect(await stored('react-burst')).toEqual({ readers: 80, counts: { love: 80 } })
  })

  it('refuses an unknown reaction with 400 in the site’s language, and stores nothing', async () => {
    await putPost('react-unknown', { title: 'React unknown' })
    for (const bad of ['angry', '', 'LIKE', 42, null, 'x'.repeat(200), '__proto__', 'constructor']) {
      const refused = await refusal(await react('react-unknown', bad))
      expect(refused, JSON.stringify(bad)).toMatchObject({ status: 400, code: 'invalid_reaction' })
      expect(refused.message).toContain('like, insightful, mindblown, confused, love')
      expect(refused.message).toContain('没有这种反应')
    }
    // Malformed bodies: 400 too, never a 500.
    const send = (body: string, type = 'application/json') =>
      call('/api/posts/react-unknown/reactions', {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': type, ...reader('198.51.100.2') },
        body,
      })
    for (const body of ['{', '[]', '"like"', '{"reaction":["like"]}']) expect((await send(body)).status, body).toBe(400)
    expect((await send('reaction=like', 'application/x-www-form-urlencoded')).status).toBe(415)
    // A key of the catalogue REACTIONS does not offer.
    const off = await refusal(await react('react-unknown', 'love', undefined, { REACTIONS: 'like,confused' }))
    expect(off).toMatchObject({ status: 400, code: 'invalid_reaction' })
    const en = await refusal(await react('react-unknown', 'angry', undefined, { LANGUAGE: 'en' }))
    expect(en.message).toBe('There is no such reaction; the reactions are: like, insightful, mindblown, confused, love.')
    expect(await stored('react-unknown')).toEqual({ readers: 0, counts: {} })
  })

  it('refuses bots (the rule likes use), other sites, drafts, deleted and unknown posts', async () => {
    await putPost('react-refused', { title: 'React refused' })
    for (const ua of ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'curl/8.5.0', 'HeadlessChrome/126']) {
      const refused = await refusal(await react('react-refused', 'like', reader('198.51.100.31', ua)))
      expect(refused, ua).toMatchObject({ status: 403, code: 'bot_refused' })
      expect(refused.message).toContain('机器人')
    }
    const cross = (headers: Record<string, string>) =>
      call('/api/posts/react-refused/reactions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...reader('198.51.100.32'), ...headers },
        body: '{"reaction":"like"}',
      })
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]
    for (const headers of crossSite) {
      expect(await refusal(await cross(headers)), JSON.stringify(headers)).toMatchObject({ status: 403, code: 'forbidden' })
    }
    expect(await stored('react-refused')).toEqual({ readers: 0, counts: {} })
    expect((await refusal(await react('react-no-such-post', 'like'))).status).toBe(404)
    await putPost('react-refused', { title: 'React refused', draft: true })
    expect(await refusal(await react('react-refused', 'like'))).toMatchObject({ status: 404, code: 'post_not_found' })
    expect((await request('/api/posts/react-refused', { method: 'DELETE', headers: ADMIN })).status).toBe(200)
    expect(await refusal(await react('react-refused', 'like'))).toMatchObject({ status: 410, code: 'post_deleted' })
    expect(await stored('react-refused')).toEqual({ readers: 0, counts: {} })
  })

  it('stays open when the post’s comments are closed', async () => {
    await putPost('react-closed', { title: 'React closed', comments: false })
    expect(await answered(await react('react-closed', 'love'))).toMatchObject({ reaction: 'love' })
  })

  it('shares the likes’ limit per visitor (six times COMMENT_RATE_LIMIT), with Retry-After', async () => {
    await putPost('react-rate', { title: 'React rate' })
    const vars = { COMMENT_RATE_LIMIT: '1/60' }
    const one = reader('198.51.100.51')
    for (let i = 0; i < 6; i++) expect((await react('react-rate', i % 2 ? 'like' : 'love', one, vars)).status).toBe(200)
    const limited = await react('react-rate', 'like', one, vars)
    expect(await refusal(limited.clone())).toMatchObject({ status: 429, code: 'rate_limited' })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    // The same gate as likes: a like from the same visitor is limited too.
    const like = await call('/api/posts/react-rate/comments/1/like', { method: 'POST', headers: { origin: ORIGIN, ...one } }, vars)
    expect(like.status).toBe(429)
    expect(await answered(await react('react-rate', 'like', reader('198.51.100.52'), vars))).toMatchObject({ reaction: 'like' })
  })

  it('REACTIONS="" turns the section off and the routes answer 404', async () => {
    await putPost('react-off', { title: 'React off' })
    const vars = { REACTIONS: '' }
    expect(await refusal(await react('react-off', 'like', undefined, vars))).toMatchObject({ status: 404, code: 'reactions_off' })
    const byForm = await form('react-off', 'reaction=like', { origin: ORIGIN }, vars)
    expect(byForm.status).toBe(404)
    expect(await byForm.text()).toContain(strings('zh').commentErrors.reactionsOff)
    const { html } = await section('react-off', vars)
    expect(html.byClass('reactions')).toHaveLength(0)
    expect(await stored('react-off')).toEqual({ readers: 0, counts: {} })
  })

  it('a standalone page (about, guestbook) shows no reactions and takes none: 404, nothing stored', async () => {
    await putPost('react-page', { title: 'About this blog', type: 'page' })
    const refused = await react('react-page', 'like')
    expect(await refusal(refused)).toMatchObject({ status: 404, code: 'reactions_off', message: '独立页面没有文章反应。' })
    const byForm = await form('react-page', 'reaction=like', { origin: ORIGIN })
    expect(byForm.status).toBe(404)
    expect(await byForm.text()).toContain('独立页面没有文章反应。')
    const { html } = await section('react-page')
    expect(html.byClass('reactions')).toHaveLength(0)
    expect(await stored('react-page')).toEqual({ readers: 0, counts: {} })
  })

  it('front matter `reactions: false` leaves one post without reactions (404, nothing stored); its counts come back with them', async () => {
    await putPost('react-post-off', { title: 'React post off' })
    await answered(await react('react-post-off', 'love', reader('198.51.100.71')))
    expect((await putPost('react-post-off', { title: 'React post off', reactions: false })).status).toBe(200)

    const refused = await react('react-post-off', 'like')
    expect(await refusal(refused)).toMatchObject({ status: 404, code: 'reactions_off', message: '这篇文章没有开放反应。' })
    const byForm = await form('react-post-off', 'reaction=like', { origin: ORIGIN })
    expect(byForm.status).toBe(404)
    expect(await byForm.text()).toContain('这篇文章没有开放反应。')
    expect((await section('react-post-off')).html.byClass('reactions')).toHaveLength(0)
    expect(await stored('react-post-off')).toEqual({ readers: 1, counts: { love: 1 } })

    // The API and the post's file say so, and the setting is a change of the post (not "unchanged").
    const meta = (await (await request('/api/posts/react-post-off', { headers: ADMIN })).json()) as Record<string, unknown>
    expect(meta).toMatchObject({ reactions: false, comments: true })
    const file = await (await request('/api/posts/react-post-off', { headers: { ...ADMIN, accept: 'text/markdown' } })).text()
    expect(file).toMatch(/^reactions: false$/m)
    expect(((await (await putPost('react-post-off', { title: 'React post off' })).json()) as { status?: string }).status).not.toBe(
      'unchanged',
    )
    expect(((await (await request('/api/posts/react-post-off', { headers: ADMIN })).json()) as Record<string, unknown>).reactions).toBe(
      true,
    )
    expect((await section('react-post-off')).counts).toMatchObject({ love: '1' })
  })

  it('`reactions: false` lives with `comments: false` and survives a backup and its restore', async () => {
    await putPost('react-post-flags', { title: 'React post flags', reactions: false, comments: false })
    const meta = (await (await request('/api/posts/react-post-flags', { headers: ADMIN })).json()) as Record<string, unknown>
    expect(meta).toMatchObject({ reactions: false, comments: false })
    const entry = await exportedPost<{ id: string }>('react-post-flags')
    await putPost('react-post-flags', { title: 'React post flags' })
    expect(((await (await request('/api/posts/react-post-flags', { headers: ADMIN })).json()) as Record<string, unknown>).reactions).toBe(
      true,
    )
    expect((await restorePost(entry)).status).toBe(200)
    const back = (await (await request('/api/posts/react-post-flags', { headers: ADMIN })).json()) as Record<string, unknown>
    expect(back).toMatchObject({ reactions: false, comments: false })
    expect(await refusal(await react('react-post-flags', 'like'))).toMatchObject({ status: 404, code: 'reactions_off' })
  })

  it('REACTIONS picks and orders the reactions; an unknown or repeated key is a setting error', () => {
    expect(siteConfig({}).reactions).toEqual(['like', 'insightful', 'mindblown', 'confused', 'love'])
    expect(siteConfig({ REACTIONS: ' love , like ' }).reactions).toEqual(['love', 'like'])
    expect(siteConfig({ REACTIONS: '' }).reactions).toEqual([])
    expect(() => siteConfig({ REACTIONS: 'like,angry' })).toThrow('Invalid setting REACTIONS: unknown reaction "angry"')
    expect(() => siteConfig({ REACTIONS: 'like,like' })).toThrow('Invalid setting REACTIONS: reaction "like" is named twice')
  })

  it('follows a renamed post from its old id: 308 (307 while only the old object knows) to the new id, nothing stored on the way', async () => {
    await putPost('react-was', { title: 'React from an old page' })
    const before = await env.POSTS.get('v1:post:react-was')
    const renamed = await renamePost('react-was', 'react-now')
    expect(renamed.status).toBe(200)
    const api = await react('react-was', 'like')
    expect(api.status).toBe(308)
    expect(api.headers.get('location')).toBe('/api/posts/react-now/reactions')
    const sent = await form('react-was', 'reaction=like', { origin: ORIGIN })
    expect(sent.status).toBe(308)
    expect(sent.headers.get('location')).toBe('/archives/react-now/reactions')
    await env.POSTS.put('v1:post:react-was', before!)
    try {
      const stale = await react('react-was', 'like')
      expect(stale.status).toBe(307)
      expect(stale.headers.get('location')).toBe('/api/posts/react-now/reactions')
    } finally {
      await env.POSTS.put('v1:post:react-was', JSON.stringify({ id: 'react-was', movedTo: 'react-now', movedAt: Date.now() }))
    }
    expect(await stored('react-now')).toEqual({ readers: 0, counts: {} })
    expect(await answered(await react('react-now', 'like'))).toMatchObject({ reaction: 'like', counts: { like: 1 } })
  })
})

describe('the reactions form without JavaScript (POST /archives/:id/reactions)', () => {
  it('sets, moves and takes back the reaction, and sends the reader back to the reactions (303)', async () => {
    await putPost('react-form', { title: 'React form' })
    const res = await form('react-form', 'reaction=mindblown', { origin: ORIGIN })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/archives/react-form#reactions')
    expect(await stored('react-form')).toEqual({ readers: 1, counts: { mindblown: 1 } })
    expect((await form('react-form', 'reaction=love', { 'sec-fetch-site': 'same-origin' })).status).toBe(303)
    expect(await stored('react-form')).toEqual({ readers: 1, counts: { love: 1 } })
    expect((await form('react-form', 'reaction=love', { origin: ORIGIN })).status).toBe(303)
    expect(await stored('react-form')).toEqual({ readers: 0, counts: {} })
    // Another method: 405, saying POST is taken there.
    expect(await clickMethods('/api/posts/react-form/reactions', '/archives/react-form/reactions')).toEqual({
      api: [405, 'POST'],
      form: [405, 'GET, HEAD, POST'],
    })
    // The form's address, opened, leads to the reactions.
    const opened = await call('/archives/react-form/reactions')
    expect(opened.status).toBe(302)
    expect(opened.headers.get('location')).toBe('/archives/react-form#reactions')
  })

  it('refuses a form from another site, a bot and an unknown reaction, with the reason in the site’s language', async () => {
    await putPost('react-form-refused', { title: 'React form refused' })
    const cross = await form('react-form-refused', 'reaction=like', { origin: 'https://evil.example' })
    expect(cross.status).toBe(403)
    expect(await cross.text()).toContain('只能在本站的文章页面上表态')
    expect((await form('react-form-refused', 'reaction=like', {})).status).toBe(403)
    expect((await form('react-form-refused', 'reaction=like', { origin: ORIGIN, 'user-agent': 'Googlebot/2.1' })).status).toBe(403)
    const unknown = await form('react-form-refused', 'reaction=angry', { origin: ORIGIN })
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('没有这种反应')
    expect((await form('react-form-refused', '', { origin: ORIGIN })).status).toBe(400)
    const en = await form('react-form-refused', 'reaction=angry', { origin: ORIGIN }, { LANGUAGE: 'en' })
    expect(await en.text()).toContain('There is no such reaction')
    expect(await stored('react-form-refused')).toEqual({ readers: 0, counts: {} })
  })
})

describe('the reactions on the post page', () => {
  it('shows the heading and a button per reaction in a form, counts only above 0, under the body before the comments', async () => {
    await putPost('react-page', { title: 'React page' })
    const { html, counts } = await section('react-page')
    expect(counts).toEqual({ like: '', insightful: '', mindblown: '', confused: '', love: '' })
    const box = html.byId('reactions')!
    expect(html.attr(box, 'aria-labelledby')).toBe('reactions-title')
    expect(html.text(html.byId('reactions-title')!)).toBe('你认为这篇文章怎么样？')
    const f = html.byClass('reaction-form')[0]!
    expect(html.attr(f, 'action')).toBe('/archives/react-page/reactions')
    expect(html.attr(f, 'method')).toBe('post')
    expect(html.byClass('reaction').map((b) => [b.name, html.attr(b, 'type'), html.attr(b, 'name')])).toEqual(
      Array.from({ length: 5 }, () => ['button', 'submit', 'reaction']),
    )
    expect(html.byClass('reaction-label').map((l) => html.text(l))).toEqual(['赞', '有启发', '烧脑', '没看懂', '喜欢'])
    const page = await (await call('/archives/react-page', { headers: reader('203.0.113.95') })).text()
    expect(page.indexOf('class="post-body"')).toBeLessThan(page.indexOf('id="reactions"'))
    expect(page.indexOf('id="reactions"')).toBeLessThan(page.indexOf('id="comments"'))
  })

  it('shows the new counts at once (the kept page is composed again), also on the quick way', async () => {
    await putPost('react-fresh', { title: 'React fresh' })
    // Twice: the second reader's page is made by the quick way from the kept template.
    expect((await section('react-fresh', {}, '203.0.113.96')).counts.love).toBe('')
    expect((await section('react-fresh', {}, '203.0.113.97')).counts.love).toBe('')
    await answered(await react('react-fresh', 'love', reader('198.51.100.81')))
    await answered(await react('react-fresh', 'love', reader('198.51.100.82')))
    expect((await section('react-fresh', {}, '203.0.113.96')).counts).toEqual({
      like: '',
      insightful: '',
      mindblown: '',
      confused: '',
      love: '2',
    })
    expect((await section('react-fresh', {}, '203.0.113.97')).counts.love).toBe('2')
    await answered(await react('react-fresh', 'like', reader('198.51.100.82')))
    expect((await section('react-fresh', {}, '203.0.113.98')).counts).toMatchObject({ like: '1', love: '1' })
  })

  it('says it in English with LANGUAGE=en, in the order REACTIONS gives', async () => {
    await putPost('react-en', { title: 'React en' })
    const { html } = await section('react-en', { LANGUAGE: 'en' })
    expect(html.text(html.byId('reactions-title')!)).toBe('What did you think of this post?')
    expect(html.byClass('reaction-label').map((l) => html.text(l))).toEqual(['Like', 'Insightful', 'Mind-blowing', 'Confusing', 'Love it'])
    expect(/\p{Script=Han}/u.test(html.text(html.byId('reactions')!))).toBe(false)
    await putPost('react-order', { title: 'React order' })
    const ordered = await section('react-order', { REACTIONS: 'love,confused' })
    expect(Object.keys(ordered.counts)).toEqual(['love', 'confused'])
  })

  it('costs a page view no more object or KV calls than a page without reactions: one call of the post’s object', async () => {
    await putPost('react-calls', { title: 'React calls' })
    await putPost('react-calls-off', { title: 'React calls off' })
    await answered(await react('react-calls', 'insightful'))
    const counted = (vars: Record<string, string>) => {
      const calls: string[] = []
      const bindings = {
        ...env,
        ...vars,
        POST_ROOM: new Proxy(env.POST_ROOM, {
          get(ns, prop) {
            if (prop !== 'getByName') return Reflect.get(ns, prop)
            return (name: string) =>
              new Proxy(ns.getByName(name), {
                get(stub, p) {
                  const value = Reflect.get(stub, p)
                  if (typeof p !== 'string' || typeof value !== 'function') return value
                  return (...args: unknown[]) => (
                    calls.push(`room.${p}`),
                    (stub as unknown as Record<string, (...a: unknown[]) => unknown>)[p]!(...args)
                  )
                },
              })
          },
        }),
        POSTS: new Proxy(env.POSTS, {
          get(kv, prop) {
            const value = Reflect.get(kv, prop)
            if (typeof prop !== 'string' || typeof value !== 'function') return value
            return (...args: unknown[]) => (calls.push(`kv.${prop}`), (value as (...a: unknown[]) => unknown).apply(kv, args))
          },
        }),
      } as Cloudflare.Env
      return { calls, bindings }
    }
    const pageCalls = async (id: string, vars: Record<string, string>, ip: string) => {
      const { calls, bindings } = counted(vars)
      const res = await request(`/archives/${id}`, { headers: reader(ip) }, bindings)
      expect(res.status, await res.clone().text()).toBe(200)
      await res.text()
      return calls
    }
    // Warm (the isolate holds the record and the thread), then a view of each.
    await pageCalls('react-calls', {}, '203.0.113.110')
    await pageCalls('react-calls-off', { REACTIONS: '' }, '203.0.113.110')
    const withReactions = await pageCalls('react-calls', {}, '203.0.113.111')
    const without = await pageCalls('react-calls-off', { REACTIONS: '' }, '203.0.113.111')
    expect(withReactions.filter((c) => c.startsWith('room.'))).toEqual(['room.open'])
    expect(withReactions).toEqual(without)
    // Right after a reaction too: the counts come with the comments, in the same call.
    await answered(await react('react-calls', 'love', reader('198.51.100.3')))
    const after = await pageCalls('react-calls', {}, '203.0.113.112')
    expect(after.filter((c) => c.startsWith('room.'))).toEqual(['room.open'])
    expect((await section('react-calls')).counts).toMatchObject({ insightful: '1', love: '1' })
  })
})

describe('reactions in backups and renames', () => {
  interface ExportedPost {
    id: string
    reactions?: Record<string, number>
  }
  const exported = (id: string) => exportedPost<ExportedPost>(id)
  const restore = restorePost

  it('exports the counts (not who chose which) and restores them; a backup without reactions restores none', async () => {
    await putPost('react-backup', { title: 'React backup' })
    const one = reader('198.51.100.91')
    await answered(await react('react-backup', 'insightful', one))
    await answered(await react('react-backup', 'insightful', reader('198.51.100.92')))
    await answered(await react('react-backup', 'love', reader('198.51.100.93')))
    const entry = await exported('react-backup')
    expect(entry.reactions).toEqual({ insightful: 2, love: 1 })
    expect(JSON.stringify(entry)).not.toContain('reader')

    await answered(await react('react-backup', 'insightful', one))
    expect(await stored('react-backup')).toEqual({ readers: 2, counts: { insightful: 1, love: 1 } })
    const report = await restore(entry)
    expect(report.status).toBe(200)
    expect(await report.json()).toMatchObject({ updated: 1, failed: [] })
    expect(await stored('react-backup')).toEqual({ readers: 0, counts: { insightful: 2, love: 1 } })
    expect((await section('react-backup')).counts).toMatchObject({ insightful: '2', love: '1' })
    // The readers are not restored: one may react once more, and the count follows.
    expect(await answered(await react('react-backup', 'insightful', one))).toMatchObject({ counts: { insightful: 3 } })

    const { reactions: _, ...older } = entry
    expect((await restore(older)).status).toBe(200)
    expect(await stored('react-backup')).toEqual({ readers: 0, counts: {} })

    for (const bad of [{ insightful: -1 }, { angry: 1 }, { like: 1.5 }]) {
      const res = await restore({ ...entry, reactions: bad })
      expect(((await res.json()) as { failed: unknown[] }).failed, JSON.stringify(bad)).toHaveLength(1)
    }
  })

  it('keeps the counts and each reader’s reaction when the post is renamed', async () => {
    await putPost('react-old-name', { title: 'React rename' })
    const one = reader('198.51.100.95')
    await answered(await react('react-old-name', 'mindblown', one))
    const renamed = await renamePost('react-old-name', 'react-new-name')
    expect(renamed.status).toBe(200)
    expect((await section('react-new-name')).counts.mindblown).toBe('1')
    expect(await answered(await react('react-new-name', 'mindblown', one))).toEqual({ reaction: null, counts: ZERO })
  })
})
