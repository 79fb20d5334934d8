import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { hasSchema } from '../src/objects/migrations'
import { COMMENT_RENDER_VERSION } from '../src/render/render-comment'
import { RENDER_VERSION } from '../src/render/render-post'
import { LISTED, PENDING_POSTS, STALE_POSTS, type Site } from '../src/objects/site'
import { eventually, putPost, realPut, request, roomStats, siteKvPuts, TOKEN, view, withSiteBindings } from './helpers'

describe('the post object', () => {
  it('creates no storage for an id nobody published (a 404 costs nothing durable)', async () => {
    expect((await view('/archives/never-published')).status).toBe(404)
    const stub = env.POST_ROOM.getByName('never-published')
    expect(await runInDurableObject(stub, (_, state) => hasSchema(state.storage))).toBe(false)
  })

  it('records its schema migrations by name', async () => {
    await putPost('migrated', { title: 'Migrated' })
    const names = await runInDurableObject(env.POST_ROOM.getByName('migrated'), (_, state) =>
      state.storage.sql
        .exec<{ name: string }>('SELECT name FROM _migrations ORDER BY name')
        .toArray()
        .map((r) => r.name),
    )
    expect(names).toEqual([
      '001-views-comments',
      '002-comments-version',
      '003-comment-render-version',
      '004-readers-daily',
      '005-moderation',
      '006-reindex-comments',
      '007-pinned-comments',
      '008-comment-likes',
      '009-reactions',
      '010-imported-views',
    ])
  })

  it('pushes the same totals twice without double counting (alarms may run twice)', async () => {
    await putPost('replayed-alarm', { title: 'Replay' })
    await view('/archives/replayed-alarm', '198.51.100.7')
    const report = { postId: 'replayed-alarm', views: 1, comments: 0, newComments: [] }
    const site = env.SITE.getByName('site')
    await site.reportActivity(report)
    await site.reportActivity(report)
    const snapshot = await env.POSTS.get<{ counts: Record<string, [number, number]> }>('v1:site', 'json')
    expect(snapshot?.counts['replayed-alarm']).toEqual([1, 0])
    expect((await roomStats('replayed-alarm')).views).toBe(1)
  })

  it('writes the snapshot only when a report changes something', async () => {
    await putPost('quiet-report', { title: 'Quiet' })
    const site = env.SITE.getByName('site')
    const generatedAt = async () => (await env.POSTS.get<{ generatedAt: number }>('v1:site', 'json'))?.generatedAt
    await site.reportActivity({ postId: 'quiet-report', views: 3, comments: 0, newComments: [] })
    const first = await generatedAt()
    await new Promise((resolve) => setTimeout(resolve, 20))
    // The same totals again (a retried alarm): no KV write.
    await site.reportActivity({ postId: 'quiet-report', views: 3, comments: 0, newComments: [] })
    expect(await generatedAt()).toBe(first)
    // A changed count: written (SNAPSHOT_SECONDS is 0 in the tests).
    await site.reportActivity({ postId: 'quiet-report', views: 4, comments: 0, newComments: [] })
    expect(await generatedAt()).not.toBe(first)
  })
})

describe('the site object', () => {
  it('takes a comment off the sidebar about a second after the admin removes it, not after SNAPSHOT_SECONDS', async () => {
    await putPost('spam-lag', { title: 'Spam lag' })
    const site = env.SITE.getByName('site')
    type Snapshot = { recent: { postId: string; commentId: number }[]; counts: Record<string, [number, number]> }
    const snapshot = async () => (await env.POSTS.get<Snapshot>('v1:site', 'json'))!
    const shown = async () => (await snapshot()).recent.some((r) => r.postId === 'spam-lag' && r.commentId === 1)
    const comment = { commentId: 1, author: 'Spammer', excerpt: 'buy now', createdAt: Date.now() }
    await site.reportActivity({ postId: 'spam-lag', views: 0, comments: 1, newComments: [{ ...comment, status: 'approved' }] })
    expect(await shown()).toBe(true)
    // From here the site runs with the default period: a view's new count waits for it...
    const restore = await withSiteBindings(() => ({ SNAPSHOT_SECONDS: '30' }))
    try {
      await site.reportActivity({ postId: 'spam-lag', views: 1, comments: 1, newComments: [] })
      expect((await snapshot()).counts['spam-lag']).toEqual([0, 1])
      // ... but a comment marked as spam leaves the sidebar a second after the last write, by the alarm.
      await site.reportActivity({ postId: 'spam-lag', views: 1, comments: 0, newComments: [{ ...comment, status: 'spam' }] })
      expect(await shown()).toBe(true)
      const alarm = await runInDurableObject(site, (_, state) => state.storage.getAlarm())
      expect(alarm).not.toBeNull()
      expect(alarm! - Date.now()).toBeLessThan(2_000)
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, alarm! - Date.now()) + 50))
      await runDurableObjectAlarm(site)
      expect(await shown()).toBe(false)
      expect((await snapshot()).counts['spam-lag']).toEqual([1, 0])
      // The next count waits for the period again.
      await site.reportActivity({ postId: 'spam-lag', views: 2, comments: 0, newComments: [] })
      expect((await snapshot()).counts['spam-lag']).toEqual([1, 0])
    } finally {
      await restore()
    }
  })

  it('keeps a publish whose KV write failed and completes it from its alarm', async () => {
    const stub = env.SITE.getByName('site')
    // Make this object's KV writes fail, as a rate-limited or unavailable KV would.
    await runInDurableObject(stub, (instance: Site) => {
      const target = instance as unknown as { env: Cloudflare.Env }
      const real = target.env.POSTS
      target.env = {
        ...target.env,
        POSTS: new Proxy(real, {
          get(kv, prop) {
            if (prop === 'put') return () => Promise.reject(new Error('KV PUT failed: 429 Too Many Requests'))
            const value = Reflect.get(kv, prop)
            return typeof value === 'function' ? value.bind(kv) : value
          },
        }),
      }
      ;(instance as unknown as { restore: () => void }).restore = () => {
        target.env = { ...target.env, POSTS: real }
      }
    })
    const res = await putPost('outbox', { title: 'Outbox' }, 'survives a failed write')
    expect(res.status).toBe(201)
    expect(await env.POSTS.get('v1:post:outbox')).toBeNull()
    const pending = await runInDurableObject(
      stub,
      (_, state) => state.storage.sql.exec<{ kv_pending: number }>("SELECT kv_pending FROM posts WHERE id = 'outbox'").one().kv_pending,
    )
    expect(pending).toBe(1)
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).not.toBeNull()

    await runInDurableObject(stub, (instance) => (instance as unknown as { restore: () => void }).restore())
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const record = await env.POSTS.get<{ html: string }>('v1:post:outbox', 'json')
    expect(record?.html).toContain('survives a failed write')
    expect(await (await request('/')).text()).toContain('Outbox')
  })
})

describe('the list chunks', () => {
  async function chunkKeys(): Promise<string[]> {
    return (await env.POSTS.get<{ chunks: string[] }>('v1:site', 'json'))!.chunks
  }

  it('rewrites only the chunks whose posts changed', async () => {
    for (let i = 0; i < 40; i++) {
      await putPost(`chunk-${i}`, { title: `Chunk post ${i}`, date: `2022-01-01 00:${String(i).padStart(2, '0')}` })
    }
    const before = await chunkKeys()
    // 16 + 16 + the rest (posts published by earlier tests in this file are newer and come last).
    expect(before).toHaveLength(3)

    await putPost('chunk-newest', { title: 'Newest' })
    const afterNew = await chunkKeys()
    expect(afterNew.slice(0, -1)).toEqual(before.slice(0, -1))
    expect(afterNew.at(-1)).not.toBe(before.at(-1))

    const firstChunk = await env.POSTS.get<{ id: string; title: string }[]>(afterNew[0]!, 'json')
    const target = firstChunk![3]!.id
    await putPost(target, { title: 'Retitled' })
    const afterEdit = await chunkKeys()
    expect(afterEdit[0]).not.toBe(afterNew[0])
    expect(afterEdit.slice(1)).toEqual(afterNew.slice(1))
    const edited = await env.POSTS.get<{ id: string; title: string }[]>(afterEdit[0]!, 'json')
    expect(edited!.find((e) => e.id === target)?.title).toBe('Retitled')
  })

  it("puts a chunk together from its posts' kept entries as serialising them would, after a rename and an edit too", async () => {
    const tag = '拼接测试'
    const tagChunk = async () => {
      const termsKey = (await env.POSTS.get<{ termsKey: string }>('v1:site', 'json'))!.termsKey
      const index = (await env.POSTS.get<{ tag: { name: string; chunks: string[] }[] }>(termsKey, 'json'))!
      return (await env.POSTS.get(index.tag.find((t) => t.name === tag)!.chunks[0]!))!
    }
    const site = env.SITE.getByName('site')
    const fromSqlite = (ids: string[]) =>
      runInDurableObject(site, (instance: Site) =>
        JSON.stringify((instance as unknown as { listEntries(ids: string[]): unknown }).listEntries(ids)),
      )
    for (let i = 0; i < 3; i++) {
      const fields = { title: `拼接 ${i}`, tags: [tag], date: `2021-05-0${i + 1} 08:00` }
      expect((await putPost(`joined-${i}`, fields, `第 ${i} 篇：$x^${i}$ 与 "引号"。`)).status).toBe(201)
    }
    expect(await tagChunk()).toBe(await fromSqlite(['joined-0', 'joined-1', 'joined-2']))

    // A rename and an edit: the moved post is listed under its new id, the edited one as it is now.
    const moved = await request('/api/posts/joined-1/rename', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'joined-moved' }),
    })
    expect(moved.status).toBe(200)
    const edited = { title: '改过的标题', tags: [tag], date: '2021-05-03 08:00' }
    expect((await putPost('joined-2', edited, '改过的正文。')).status).toBe(200)
    const chunk = await tagChunk()
    expect(chunk).toBe(await fromSqlite(['joined-0', 'joined-moved', 'joined-2']))
    expect(JSON.parse(chunk).map((e: { id: string; title: string }) => `${e.id} ${e.title}`)).toEqual([
      'joined-0 拼接 0',
      'joined-moved 拼接 1',
      'joined-2 改过的标题',
    ])
  })

  it('writes a chunk that two lists share once (KV takes one write of a key a second)', async () => {
    const written: string[] = []
    const restore = await siteKvPuts((kv, key, ...rest) => {
      written.push(key)
      return realPut(kv, key, ...rest)
    })
    try {
      // Two new tags: each list's one chunk holds this post alone, the same content, so the same key.
      expect((await putPost('shared-chunk', { title: 'Shared chunk', tags: ['独有甲', '独有乙'] })).status).toBe(201)
    } finally {
      await restore()
    }
    const chunks = written.filter((key) => key.startsWith('v1:tchunk:'))
    expect(chunks).toHaveLength(1)
    expect(new Set(written).size).toBe(written.length)
    const tagPage = async (tag: string) => (await request(`/tag/${encodeURIComponent(tag)}`)).text()
    for (const tag of ['独有甲', '独有乙']) expect(await tagPage(tag)).toContain('Shared chunk')

    // One list moves on and retires the key; the other still names it, so it is not deleted.
    expect((await putPost('shared-chunk-2', { title: 'Second of 甲', tags: ['独有甲'] })).status).toBe(201)
    const site = env.SITE.getByName('site')
    await runInDurableObject(site, (_, state) => {
      const garbage = state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM garbage WHERE kv_key = ?', chunks[0]!).one().n
      expect(garbage).toBe(1)
      state.storage.sql.exec('UPDATE garbage SET delete_after_ms = 1')
    })
    const pending = () =>
      runInDurableObject(
        site,
        (_, state) => state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM garbage WHERE kv_key = ?', chunks[0]!).one().n,
      )
    // (Garbage goes 50 keys an alarm run: until this one has been looked at.)
    for (let run = 0; run < 20 && (await pending()) > 0; run++) await runDurableObjectAlarm(site)
    expect(await pending()).toBe(0)
    expect(await env.POSTS.get(chunks[0]!)).not.toBeNull()
    expect(await tagPage('独有乙')).toContain('Shared chunk')
    expect(await tagPage('独有甲')).toContain('Second of 甲')
  })
})

describe('pending work', () => {
  it('is found through an index, not by reading every row (a search document is tens of KB)', async () => {
    expect((await putPost('indexed-work', { title: 'Indexed work', tags: ['索引'] })).status).toBe(201)
    const plan = (state: DurableObjectState, query: string) =>
      state.storage.sql
        .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`)
        .toArray()
        .map((r) => r.detail)
        .join('; ')
    const site = await runInDurableObject(env.SITE.getByName('site'), (_, state) => [
      plan(state, 'SELECT post_id, json FROM nav WHERE sent = 0 LIMIT 100'),
      plan(
        state,
        "SELECT (SELECT count(*) FROM list_chunks WHERE kv_key = 'k') + (SELECT count(*) FROM current_keys WHERE kv_key = 'k') AS n",
      ),
    ])
    expect(site[0]).toContain('USING INDEX nav_unsent')
    expect(site[1]).toContain('USING COVERING INDEX list_chunks_kv_key')
    const search = await runInDurableObject(env.SEARCH_INDEX.getByName('site'), (_, state) =>
      plan(state, 'SELECT id, seq, doc_json FROM docs WHERE kv_pending = 1 LIMIT 20'),
    )
    expect(search).toContain('USING INDEX docs_kv_pending')
  })
})

describe('re-rendering', () => {
  it('renders posts made by an older renderer again, from their markdown, in the background', async () => {
    await putPost('old-render', { title: 'Old render' }, '$$\\begin{equation} a \\label{x} \\end{equation}$$ 见\\eqref{x}')
    const site = env.SITE.getByName('site')
    // Pretend an older renderer stored it.
    await runInDurableObject(site, (_, state) => {
      state.storage.sql.exec("UPDATE posts SET render_version = '1+katex-0.16.0' WHERE id = 'old-render'")
    })
    await env.POSTS.put(
      'v1:post:old-render',
      JSON.stringify({
        ...(await env.POSTS.get<Record<string, unknown>>('v1:post:old-render', 'json')),
        html: '<p>stale</p>',
        renderVersion: '1+katex-0.16.0',
      }),
    )
    const res = await request('/api/rerender', { method: 'POST', headers: { authorization: 'Bearer test-admin-token' } })
    expect(res.status).toBe(202)
    expect(((await res.json()) as { posts: number }).posts).toBeGreaterThan(0)
    // The Site object works through the queue from its alarm, in batches.
    const record = await eventually(async () => {
      await runDurableObjectAlarm(site)
      const r = await env.POSTS.get<{ html: string; renderVersion: string }>('v1:post:old-render', 'json')
      expect(r?.renderVersion).toBe(RENDER_VERSION)
      return r
    })
    expect(record?.renderVersion).toBe(RENDER_VERSION)
    expect(record?.html).toContain('href="#eq-x"')
    expect(record?.html).not.toContain('stale')
    // The post's feed item is written again with it (a site upgraded to feed items gets them so).
    const item = await env.POSTS.get<{ revision: number; html: string[] }>('v1:feed-item:old-render', 'json')
    expect(item?.revision).toBe((record as { revision?: number } | null)?.revision)
    expect(item?.html.join('')).toContain('#eq-x')
  })

  it('renders comments made by an older renderer again on the next view', async () => {
    await putPost('old-comments', { title: 'Old comments' })
    await request('/api/posts/old-comments/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ author: 'A', body: 'formula $\\frac{1}{2}$' }),
    })
    const room = env.POST_ROOM.getByName('old-comments')
    await runInDurableObject(room, (instance, state) => {
      state.storage.sql.exec("UPDATE comments SET html = '<p>stale</p>', render_version = '1+katex-0.16.0'")
      ;(instance as unknown as { commentsChecked: boolean }).commentsChecked = false
    })
    const html = await (await view('/archives/old-comments')).text()
    expect(html).not.toContain('stale')
    expect(html).toContain('class="katex"')
    const version = await runInDurableObject(
      room,
      (_, state) => state.storage.sql.exec<{ v: string }>('SELECT render_version AS v FROM comments').one().v,
    )
    expect(version).toBe(COMMENT_RENDER_VERSION)
  })

  it('a comment or post the new renderer cannot make keeps its stored HTML and holds nothing up', async () => {
    // Text an older renderer took (its HTML is stored) that this one refuses: nested too deeply.
    const deep = '- '.repeat(3000) + 'x'
    await putPost('unrenderable-old', { title: 'Kept as it was' }, 'Fine body.')
    await request('/api/posts/unrenderable-old/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ author: 'A', body: 'a fine comment' }),
    })
    const room = env.POST_ROOM.getByName('unrenderable-old')
    await runInDurableObject(room, (instance, state) => {
      state.storage.sql.exec("UPDATE comments SET body = ?, html = '<p>kept comment</p>', render_version = '1+katex-0.16.0'", deep)
      ;(instance as unknown as { commentsChecked: boolean }).commentsChecked = false
    })
    for (let i = 0; i < 2; i++) {
      const res = await view('/archives/unrenderable-old', `198.51.100.${150 + i}`)
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('kept comment')
    }
    const version = await runInDurableObject(
      room,
      (_, state) => state.storage.sql.exec<{ v: string }>('SELECT render_version AS v FROM comments').one().v,
    )
    expect(version).toBe(COMMENT_RENDER_VERSION)

    // A post: the background re-render passes over it (keeping its page) and finishes the others.
    const site = env.SITE.getByName('site')
    await putPost('renderable-other', { title: 'Other' }, 'Other body.')
    await runInDurableObject(site, (_, state) => {
      state.storage.sql.exec("UPDATE posts SET body = ?, render_version = '1+katex-0.16.0' WHERE id = 'unrenderable-old'", deep)
      state.storage.sql.exec("UPDATE posts SET render_version = '1+katex-0.16.0' WHERE id = 'renderable-other'")
    })
    expect((await request('/api/rerender', { method: 'POST', headers: { authorization: 'Bearer test-admin-token' } })).status).toBe(202)
    await eventually(async () => {
      await runDurableObjectAlarm(site)
      const stale = await runInDurableObject(
        site,
        (_, state) =>
          state.storage.sql
            .exec<{ n: number }>(
              "SELECT count(*) AS n FROM posts WHERE id IN ('unrenderable-old', 'renderable-other') AND render_version != ?",
              RENDER_VERSION,
            )
            .one().n,
      )
      expect(stale).toBe(0)
    })
    expect((await view('/archives/unrenderable-old', '198.51.100.160')).status).toBe(200)
  })

  it('needs the admin token to re-render', async () => {
    expect((await request('/api/rerender', { method: 'POST' })).status).toBe(401)
  })
})

describe('the Site object’s alarm checks', () => {
  it('search indexes instead of reading every post (the columns sit after each post’s markdown)', async () => {
    await putPost('plan-check', { title: 'Plan check' }, 'body $x$')
    await runInDurableObject(env.SITE.getByName('site'), (_, state) => {
      const plan = (query: string, ...args: unknown[]) =>
        state.storage.sql
          .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`, ...args)
          .toArray()
          .map((r) => r.detail)
          .join(' | ')
      expect(plan(`SELECT count(*) FROM posts WHERE ${PENDING_POSTS}`)).toMatch(/USING INDEX posts_pending/)
      expect(plan(`SELECT * FROM posts WHERE ${PENDING_POSTS} LIMIT 10`)).toMatch(/USING INDEX posts_pending/)
      const stale = plan(`SELECT count(*) FROM posts WHERE ${STALE_POSTS}`, 'v', 'v')
      expect(stale).toMatch(/SEARCH posts USING (COVERING )?INDEX posts_render_version \(render_version<\?\)/)
      expect(stale).toMatch(/SEARCH posts USING (COVERING )?INDEX posts_render_version \(render_version>\?\)/)
      expect(stale).not.toMatch(/SCAN posts(?! USING)/)
      // The snapshot's count of listed posts reads an index only.
      expect(plan(`SELECT count(*) FROM posts WHERE ${LISTED}`)).toMatch(/USING COVERING INDEX posts_listed/)
    })
  })

  it('keeps each post’s text in the last columns, so the small ones are read without it (migration 011)', async () => {
    await putPost('column-order', { title: 'Column order' }, 'body')
    await runInDurableObject(env.SITE.getByName('site'), (_, state) => {
      const row = state.storage.sql.exec("SELECT * FROM posts WHERE id = 'column-order'").one()
      expect(Object.keys(row).slice(-2)).toEqual(['excerpt_html', 'body'])
    })
  })
})

// (Last in the file: its posts would change the chunk layout the tests above count.)
describe('the snapshot under a burst of publishes', () => {
  it('spaces its snapshot writes a second apart (KV refuses more): a burst of publishes writes the last one by alarm', async () => {
    const site = env.SITE.getByName('site')
    const writes: number[] = []
    const restoreSettings = await withSiteBindings(() => ({ SNAPSHOT_SECONDS: '30' }))
    const restorePuts = await siteKvPuts((kv, key, ...rest) => {
      if (key === 'v1:site') writes.push(Date.now())
      return realPut(kv, key, ...rest)
    })
    const restore = async () => {
      await restorePuts()
      await restoreSettings()
    }
    const listed = async (id: string) => Boolean((await env.POSTS.get<{ counts: Record<string, unknown> }>('v1:site', 'json'))?.counts[id])
    try {
      // Spaced from whatever wrote the snapshot before this test.
      await new Promise((resolve) => setTimeout(resolve, 1_200))
      for (const id of ['burst-1', 'burst-2', 'burst-3']) expect((await putPost(id, { title: id })).status).toBe(201)
      const spaced = () => writes.slice(1).every((at, i) => at - writes[i]! >= 1_000)
      // Each write at least a second after the one before: the publishes within that second wait for the alarm.
      expect(writes.length).toBeGreaterThan(0)
      expect(spaced()).toBe(true)
      if (!(await listed('burst-3'))) {
        const alarm = await runInDurableObject(site, (_, state) => state.storage.getAlarm())
        expect(alarm! - writes.at(-1)!).toBeGreaterThanOrEqual(1_000)
        expect(alarm! - writes.at(-1)!).toBeLessThan(2_000)
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, alarm! - Date.now()) + 50))
        await runDurableObjectAlarm(site)
      }
      expect(spaced()).toBe(true)
      for (const id of ['burst-1', 'burst-2', 'burst-3']) expect(await listed(id)).toBe(true)
    } finally {
      await restore()
    }
  })
})
