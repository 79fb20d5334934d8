import { abortAllDurableObjects, createExecutionContext, listDurableObjectIds, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { readerKeys } from '../src/lib/views'
import type { Backlink, PostNav } from '../src/model'
import type { PostRoom } from '../src/objects/post-room'
import { packDays, RateMeter, seenRecently, unpackDays } from '../src/objects/view-counter'
import worker from '../src/index'
import { BROWSER_UA, eventually, ORIGIN, putPost, request, roomStats, TOKEN, view } from './helpers'
import { parseHtml } from './html'

const shown = async (res: Response) => Number(/(\d+)位读者/.exec(await res.text())?.[1])

describe('the reload window', () => {
  it('counts a reader who reloads once, and a different reader or browser again', async () => {
    await putPost('window', { title: 'Window' })
    expect(await shown(await view('/archives/window', '192.0.2.50'))).toBe(1)
    expect(await shown(await view('/archives/window', '192.0.2.50'))).toBe(1)
    expect(await shown(await view('/archives/window', '192.0.2.50'))).toBe(1)
    expect(await shown(await view('/archives/window', '192.0.2.51'))).toBe(2)
    const otherBrowser = await request('/archives/window', {
      headers: { 'user-agent': `${BROWSER_UA} Edg/126`, 'cf-connecting-ip': '192.0.2.50' },
    })
    expect(await shown(otherBrowser)).toBe(3)
    expect((await roomStats('window')).views).toBe(3)
  })

  it('counts the same reader again once the window has passed', async () => {
    await putPost('window-expiry', { title: 'Expiry' })
    await view('/archives/window-expiry', '192.0.2.60')
    // Move the reader's counted view back beyond the 30-minute window.
    await runInDurableObject(env.POST_ROOM.getByName('window-expiry'), (_, state) => {
      state.storage.sql.exec('UPDATE readers SET seen_ms = seen_ms - 31 * 60 * 1000')
    })
    expect(await shown(await view('/archives/window-expiry', '192.0.2.60'))).toBe(2)
  })

  it("just after midnight, recognises a reader counted under yesterday's key", async () => {
    await putPost('window-midnight', { title: 'Midnight' })
    const window = 30 * 60_000
    const now = Date.UTC(2025, 0, 1, 16, 10)
    await runInDurableObject(env.POST_ROOM.getByName('window-midnight'), (_, state) => {
      const sql = state.storage.sql
      const at = (key: string) => sql.exec<{ seen_ms: number }>('SELECT seen_ms FROM readers WHERE key = ?', key).toArray()[0]?.seen_ms
      const seen = (today: string, yesterday: string) =>
        seenRecently(sql, { countView: true, readers: [today, yesterday], windowMs: window }, now)
      sql.exec(
        'INSERT INTO readers (key, seen_ms) VALUES (?, ?), (?, ?), (?, ?)',
        'y-recent',
        now - 5 * 60_000,
        'y-old',
        now - 40 * 60_000,
        't-recent',
        now - 60_000,
      )
      // Counted 5 minutes ago under yesterday's key: seen, and today's key is not written.
      expect(seen('t-a', 'y-recent')).toBe(true)
      expect(at('t-a')).toBeUndefined()
      // Yesterday's key outside the window, or none: a new view, remembered under today's key.
      expect(seen('t-b', 'y-old')).toBe(false)
      expect(at('t-b')).toBe(now)
      expect(seen('t-c', 'y-none')).toBe(false)
      expect(at('t-c')).toBe(now)
      // Today's key inside the window: seen, its time kept (a reload does not extend the window).
      expect(seen('t-recent', 'y-none')).toBe(true)
      expect(at('t-recent')).toBe(now - 60_000)
      // Today's key outside the window: counted again, from now.
      sql.exec('UPDATE readers SET seen_ms = ? WHERE key = ?', now - 31 * 60_000, 't-c')
      expect(seen('t-c', 'y-none')).toBe(false)
      expect(at('t-c')).toBe(now)
    })
  })

  it('keeps nothing personal: keys are HMACs that rotate daily and still match across midnight', async () => {
    const req = new Request(`${ORIGIN}/`, { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': '203.0.113.77' } })
    const window = 30 * 60_000
    // 2025-01-01 20:00 and 2025-01-02 00:10 in Shanghai (UTC+8).
    const evening = Date.UTC(2025, 0, 1, 12)
    const afterMidnight = Date.UTC(2025, 0, 1, 16, 10)
    const [today1, ...rest1] = await readerKeys(req, 'secret', 'Asia/Shanghai', window, evening)
    // Twenty hours into the day no reader counted yesterday is still inside a 30-minute window.
    expect(rest1).toEqual([])
    const [today2, yesterday2] = await readerKeys(req, 'secret', 'Asia/Shanghai', window, afterMidnight)
    expect(yesterday2).toBe(today1)
    expect(today2).not.toBe(today1)
    expect(today1).toMatch(/^[0-9a-f]{32}$/)
    expect(today1).not.toContain('203')
    // Two hours after midnight the window (30 minutes, and an hour's margin for daylight saving) no
    // longer reaches back into yesterday.
    expect(await readerKeys(req, 'secret', 'Asia/Shanghai', window, afterMidnight + 110 * 60_000)).toEqual([today2])
    const [other] = await readerKeys(req, 'another secret', 'Asia/Shanghai', window, evening)
    expect(other).not.toBe(today1)
  })

  it('has nothing stored on a reader beyond the key and the time', async () => {
    await putPost('window-store', { title: 'Store' })
    await view('/archives/window-store', '198.51.100.99')
    const rows = await runInDurableObject(env.POST_ROOM.getByName('window-store'), (_, state) =>
      state.storage.sql.exec('SELECT * FROM readers').toArray(),
    )
    expect(rows).toHaveLength(1)
    expect(Object.keys(rows[0]!).sort()).toEqual(['key', 'seen_ms'])
    expect(JSON.stringify(rows)).not.toContain('198.51.100.99')
  })
})

describe('who is not a reader', () => {
  it('does not count verified bots (request.cf) or the admin', async () => {
    await putPost('not-readers', { title: 'Not readers' })
    const bot = new Request(`${ORIGIN}/archives/not-readers`, {
      headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': '192.0.2.70' },
      cf: { verifiedBotCategory: 'Search Engine Crawler' },
    })
    expect((await worker.fetch(bot, env, createExecutionContext())).status).toBe(200)
    const managed = new Request(`${ORIGIN}/archives/not-readers`, {
      headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': '192.0.2.71' },
      cf: { botManagement: { verifiedBot: true } },
    })
    expect((await worker.fetch(managed, env, createExecutionContext())).status).toBe(200)
    expect((await view('/archives/not-readers', '192.0.2.72', { authorization: `Bearer ${TOKEN}` })).status).toBe(200)
    expect((await roomStats('not-readers')).views).toBe(0)
    // A wrong token is just a reader.
    expect(await shown(await view('/archives/not-readers', '192.0.2.73', { authorization: 'Bearer not-the-token' }))).toBe(1)
  })
})

describe('GET /api/posts/:id/views', () => {
  it('returns the exact count, formatted too, without counting', async () => {
    await putPost('views-api', { title: 'Views API' })
    await view('/archives/views-api', '192.0.2.80')
    for (let i = 0; i < 3; i++) {
      const res = await request('/api/posts/views-api/views', {
        headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': `192.0.2.8${i + 1}` },
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(await res.json()).toEqual({ views: 1, label: '1位读者' })
    }
    expect((await request('/api/posts/no-such/views')).status).toBe(404)
    await putPost('views-gone', { title: 'Gone' })
    await request('/api/posts/views-gone', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
    expect((await request('/api/posts/views-gone/views')).status).toBe(410)
  })
})

describe('热门文章 and history', () => {
  it('lists the most read posts in the sidebar and at /popular, from the snapshot', async () => {
    await putPost('pop-a', { title: 'Popular A' })
    await putPost('pop-b', { title: 'Popular B' })
    for (let i = 0; i < 3; i++) await view('/archives/pop-b', `198.51.100.${110 + i}`)
    await view('/archives/pop-a', '198.51.100.120')
    await eventually(async () => {
      const page = parseHtml(await (await request('/popular')).text())
      const list = page.byClass('popular-list')[0]!
      const titles = page
        .tags('a')
        .filter((a) => isInside(a, list))
        .map((a) => page.text(a))
      expect(titles.indexOf('Popular B')).toBeGreaterThanOrEqual(0)
      expect(titles.indexOf('Popular B')).toBeLessThan(titles.indexOf('Popular A'))
      const home = parseHtml(await (await request('/')).text())
      expect(home.text(home.byClass('popular-posts')[0]!)).toContain('Popular B')
      expect(home.text(home.byClass('popular-posts')[0]!)).toContain('3位读者')
    })
  })

  it('keeps views per day, shows a trend line on the post, and a chart of the site for the admin', async () => {
    await putPost('history', { title: 'History' })
    for (let i = 0; i < 4; i++) await view('/archives/history', `198.51.100.${130 + i}`)
    const page = parseHtml(await (await view('/archives/history', '198.51.100.140')).text())
    expect(page.byClass('sparkline')).toHaveLength(1)
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    expect((await roomStats('history')).views).toBe(5)
    await eventually(async () => {
      const res = await request('/api/stats?days=7', { headers: { authorization: `Bearer ${TOKEN}` } })
      expect(res.status).toBe(200)
      const stats = (await res.json()) as {
        site: { day: string; views: number }[]
        posts: { id: string; daily: { day: string; views: number }[] }[]
      }
      const post = stats.posts.find((p) => p.id === 'history')
      expect(post?.daily).toContainEqual({ day: today, views: 5 })
      expect(stats.site.find((d) => d.day === today)?.views).toBeGreaterThanOrEqual(5)
    })
    const svg = await request('/api/stats.svg?days=14', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(svg.headers.get('content-type')).toContain('image/svg+xml')
    const chart = parseHtml(await svg.text())
    expect(chart.tags('rect')).toHaveLength(14)
    const postSvg = await request('/api/stats.svg?post=history', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(await postSvg.text()).toContain(`${today}: 5`)
    expect((await request('/api/stats')).status).toBe(401)
    expect((await request('/api/stats?days=0', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(400)
    // A parameter given twice is said to be so (not "rank must be period or all" for rank=all&rank=all).
    for (const [q, message] of [
      ['rank=all&rank=all', 'rank must be given once'],
      ['days=7&days=7', 'days must be given once'],
      ['rank=best', 'rank must be period or all'],
    ]) {
      const bad = await request(`/api/stats?${q}`, { headers: { authorization: `Bearer ${TOKEN}` } })
      expect(bad.status, q).toBe(400)
      expect(await bad.json(), q).toEqual({ error: { code: 'invalid_query', message } })
    }
    expect((await request('/api/stats.svg?post=nope', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404)
  })

  it('survives a restart of the objects: counts live in storage', async () => {
    await putPost('restart', { title: 'Restart' })
    await view('/archives/restart', '198.51.100.150')
    await view('/archives/restart', '198.51.100.151')
    // Let the pushes to the site finish before the objects are torn down.
    await eventually(async () => {
      const snapshot = await env.POSTS.get<{ counts: Record<string, [number, number]> }>('v1:site', 'json')
      expect(snapshot?.counts.restart?.[0]).toBe(2)
    })
    await abortAllDurableObjects()
    expect((await roomStats('restart')).views).toBe(2)
    expect(await shown(await view('/archives/restart', '198.51.100.152'))).toBe(3)
  })
})

describe('a post that goes viral', () => {
  it('switches to sharded counting above the threshold and every shown count stays exact', async () => {
    await putPost('viral', { title: 'Viral' })
    // A threshold of 5 views per second (the default is 300): the burst below crosses it at once.
    const lowThreshold = { ...env, SHARD_ABOVE_VIEWS_PER_SECOND: '5', VIEW_SHARDS: '4' }
    const hit = (i: number) =>
      worker.fetch(
        new Request(`${ORIGIN}/archives/viral`, { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': `10.9.${i >> 8}.${i & 255}` } }),
        lowThreshold,
        createExecutionContext(),
      )
    const warmup = await Promise.all(Array.from({ length: 80 }, (_, i) => hit(i)))
    expect(warmup.every((r) => r.status === 200)).toBe(true)
    const burst = await Promise.all(Array.from({ length: 600 }, (_, i) => hit(1000 + i)))
    const counts = await Promise.all(burst.map(shown))
    // The burst went through shards...
    expect((await listDurableObjectIds(env.VIEW_SHARD)).length).toBeGreaterThan(0)
    // ...and still every reader saw a different, exact number, with none lost or doubled.
    expect(new Set(counts).size).toBe(600)
    expect((await roomStats('viral')).views).toBe(680)
    expect(Math.max(...counts)).toBeLessThanOrEqual(680)
    // The post's object took the sharded views in batches: fewer calls than views.
    const res = await request('/api/stats?post=viral', { headers: { authorization: `Bearer ${TOKEN}` } })
    const stats = (await res.json()) as { views: number; shardViews: number; shardBatches: number }
    expect(stats.views).toBe(680)
    expect(stats.shardViews).toBeGreaterThan(0)
    expect(stats.shardBatches).toBeLessThan(stats.shardViews)
    // The reload window holds in sharded mode too (a reader always lands on the same shard).
    const again = await Promise.all([hit(1000), hit(1000), hit(1001)])
    expect(again.every((r) => r.status === 200)).toBe(true)
    expect((await roomStats('viral')).views).toBe(680)
  })

  it('loses no view of a sharded post renamed in the middle of a burst: each reader is counted once, at one address or the other', async () => {
    await putPost('viral-old', { title: 'Viral, renamed' })
    const lowThreshold = { ...env, SHARD_ABOVE_VIEWS_PER_SECOND: '5', VIEW_SHARDS: '4' }
    const hit = (path: string, i: number) =>
      worker.fetch(
        new Request(`${ORIGIN}${path}`, { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': `10.8.${i >> 8}.${i & 255}` } }),
        lowThreshold,
        createExecutionContext(),
      )
    const warmup = await Promise.all(Array.from({ length: 80 }, (_, i) => hit('/archives/viral-old', i)))
    expect(warmup.every((r) => r.status === 200)).toBe(true)
    const rename = () =>
      request('/api/posts/viral-old/rename', {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: 'viral-new' }),
      })
    // The rename starts while the burst's views are on their way through the shards.
    const [burst, renamed] = await Promise.all([
      Promise.all(Array.from({ length: 400 }, (_, i) => hit('/archives/viral-old', 1000 + i))),
      new Promise((r) => setTimeout(r, 2)).then(rename),
    ])
    expect(renamed.status).toBe(200)
    // Each reader got the page (counted before the copy) or a redirect to the new address (302 from the
    // old post's object, 301 once KV's redirect is read), never a 410.
    expect(burst.filter((r) => r.status !== 200 && r.status !== 301 && r.status !== 302).map((r) => r.status)).toEqual([])
    const redirected = burst.flatMap((r, i) => (r.status === 301 || r.status === 302 ? [i] : []))
    for (const i of redirected) expect(burst[i]!.headers.get('location')).toBe('/archives/viral-new')
    // The redirected readers follow it, and are counted there: no view is lost, none is counted twice.
    const followed = await Promise.all(redirected.map((i) => hit('/archives/viral-new', 1000 + i)))
    expect(followed.every((r) => r.status === 200)).toBe(true)
    expect((await roomStats('viral-new')).views).toBe(480)
    expect((await roomStats('viral-old')).status).toBe('deleted')
  })

  it('sends a quiet shard’s lone view at once and gathers the views that arrive while one is on its way', async () => {
    await putPost('group', { title: 'Group commit' })
    const shard = env.VIEW_SHARD.getByName('group#0')
    const open = (reader: string) =>
      shard.open('group', { countView: true, readers: [reader], windowMs: 60_000, day: '2026-01-01', knownVersion: -1 })
    // One reader at a time: each view is its own batch, numbered exactly.
    for (const n of [1, 2, 3]) expect((await open(`lone-${n}`)).views).toBe(n)
    expect(await roomStats('group')).toMatchObject({ views: 3, shardBatches: 3, shardViews: 3 })
    // 60 at once: the first leaves alone, the others gather (5 ms) while it is on its way.
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => open(`burst-${i}`)))
    expect(results.map((r) => r.views).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => 4 + i))
    const stats = await roomStats('group')
    expect(stats.views).toBe(63)
    expect(stats.shardViews).toBe(63)
    // How many 5 ms windows the 60 calls span depends on how fast they reach the shard (and how soon
    // each batch's answer comes back): what matters is that they gather, two views a batch at least.
    // (Usually 5–12 batches; 14 with another test file running beside this one on two cores.)
    expect(stats.shardBatches).toBeGreaterThanOrEqual(3 + 2)
    expect(stats.shardBatches).toBeLessThanOrEqual(3 + 30)
  })

  it('keeps a shard’s reload window per batch: a reader twice in one batch counts once, and the table gets every counted reader', async () => {
    await putPost('shard-window', { title: 'Shard window' })
    const shard = env.VIEW_SHARD.getByName('shard-window#0')
    const open = (reader: string) =>
      shard.open('shard-window', { countView: true, readers: [reader], windowMs: 60_000, day: '2026-01-01', knownVersion: -1 })
    expect((await open('first')).counted).toBe(true)
    // 30 readers, each twice in a row, at once: the two loads of a reader gather into the same batch, before its readers are written.
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => open(`reader-${i >> 1}`)))
    expect(results.filter((r) => r.counted)).toHaveLength(30)
    expect(new Set(results.filter((r) => r.counted).map((r) => r.views)).size).toBe(30)
    expect((await roomStats('shard-window')).views).toBe(31)
    const keys = await runInDurableObject(shard, (_, state) =>
      state.storage.sql
        .exec<{ key: string }>('SELECT key FROM readers ORDER BY key')
        .toArray()
        .map((r) => r.key),
    )
    expect(keys).toEqual(['first', ...Array.from({ length: 30 }, (_, i) => `reader-${i}`)].sort())
    // A later load by any of them is a reload.
    expect((await open('reader-7')).counted).toBe(false)
    expect((await open('first')).counted).toBe(false)
    expect((await roomStats('shard-window')).views).toBe(31)
  })

  it('counts the direct views that arrive together in one group: each reader once, each counted view its own number', async () => {
    await putPost('room-group', { title: 'Room group' })
    const views = () => env.POST_ROOM.getByName('room-group').stats(30)
    await runInDurableObject(env.POST_ROOM.getByName('room-group'), async (room: PostRoom, state) => {
      const total = () => state.storage.sql.exec<{ value: number }>("SELECT value FROM counters WHERE name = 'views'").one().value
      const open = (reader: string, day = '2026-01-01') =>
        room.open({ countView: true, readers: [reader], windowMs: 60_000, day, knownVersion: -1 })
      // A view that finds no commit under way is counted at once: a group of one, no turn waited.
      const first = open('first')
      expect(total()).toBe(1)
      // 20 readers, each twice, and one on the next day, all while that commit is under way.
      const pending = [...Array.from({ length: 40 }, (_, i) => open(`reader-${i >> 1}`)), open('late', '2026-01-02')]
      // Nothing of theirs is written yet: the group waits for its turn, then goes in one run of statements.
      expect(total()).toBe(1)
      expect(await first).toMatchObject({ counted: true, views: 1 })
      const results = await Promise.all(pending)
      const counted = results.filter((r) => r.counted)
      expect(counted).toHaveLength(21)
      expect(counted.map((r) => r.views).sort((a, b) => a - b)).toEqual(Array.from({ length: 21 }, (_, i) => i + 2))
      // The second load of a reader is a reload: it shows the group's total.
      expect(results.filter((r) => !r.counted).every((r) => r.views === 22)).toBe(true)
      expect(total()).toBe(22)
      expect(state.storage.sql.exec('SELECT day, views FROM daily ORDER BY day').toArray()).toEqual([
        { day: '2026-01-01', views: 21 },
        { day: '2026-01-02', views: 1 },
      ])
      // Once the group's writes are confirmed, a lone view is counted at once again.
      await state.storage.sync()
      const alone = open('alone')
      expect(total()).toBe(23)
      // A view waiting in a group (behind that commit) while the post is unpublished is not counted,
      // and its page has the new status.
      const waiting = open('too-late')
      await room.setStatus('room-group', 'draft')
      expect(await alone).toMatchObject({ counted: true, views: 23 })
      expect(await waiting).toMatchObject({ counted: false, views: 23, status: 'draft', comments: [] })
    })
    expect((await views()).views).toBe(23)
  })

  it('keeps nothing of a group in which a statement fails, and every view of it gets the error', async () => {
    await putPost('room-group-fail', { title: 'Room group fail' })
    await runInDurableObject(env.POST_ROOM.getByName('room-group-fail'), async (room: PostRoom, state) => {
      const open = (reader: unknown) =>
        room.open({ countView: true, readers: [reader as string], windowMs: 60_000, day: '2026-01-01', knownVersion: -1 })
      // The first view is counted at once; the next three come while its commit is under way: one group.
      // The third reader's key of that group is no SQL value: its statement throws after the first two readers were written.
      const results = await Promise.allSettled([open('lead'), open('first'), open('second'), open(Symbol('not a key'))])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected'])
      expect(state.storage.sql.exec('SELECT key FROM readers').toArray()).toHaveLength(1)
      expect(state.storage.sql.exec('SELECT * FROM daily').toArray()).toEqual([{ day: '2026-01-01', views: 1 }])
      expect(state.storage.sql.exec<{ value: number }>("SELECT value FROM counters WHERE name = 'views'").one().value).toBe(1)
      // The same readers count afterwards.
      expect(await Promise.all([open('first'), open('second')])).toMatchObject([
        { counted: true, views: 2 },
        { counted: true, views: 3 },
      ])
      expect((await room.stats(30)).daily).toEqual([{ day: '2026-01-01', views: 3 }])
    })
  })

  it('measures the rate over the last ten seconds', () => {
    const meter = new RateMeter()
    const t = 1_700_000_000_000
    for (let i = 0; i < 100; i++) meter.add(1, t + i * 10)
    expect(meter.perSecond(t + 1000)).toBe(10)
    expect(meter.perSecond(t + 20_000)).toBe(0)
  })
})

function isInside(node: { parent: unknown }, ancestor: unknown): boolean {
  for (let p = node.parent as { parent: unknown } | null; p; p = p.parent as { parent: unknown } | null) if (p === ancestor) return true
  return false
}

describe("a post's daily views kept in its object", () => {
  it('match the daily table through views, take-backs and a restore, and never go below zero', async () => {
    await putPost('daily-kept', { title: 'Daily kept' })
    for (const ip of ['192.0.2.140', '192.0.2.141', '192.0.2.142']) await view('/archives/daily-kept', ip)
    const room = env.POST_ROOM.getByName('daily-kept')
    const table = () =>
      runInDurableObject(room, (_, state) =>
        state.storage.sql.exec<{ day: string; views: number }>('SELECT day, views FROM daily ORDER BY day').toArray(),
      )
    const kept = async () => (await room.stats(30)).daily
    const [today] = await table()
    expect(today?.views).toBe(3)
    expect(await kept()).toEqual(await table())
    // A take-back on a day with no row leaves that day at zero, not below.
    await room.retractView('2020-01-01')
    await room.retractView(today!.day)
    expect(await table()).toEqual([
      { day: '2020-01-01', views: 0 },
      { day: today!.day, views: 2 },
    ])
    expect(await kept()).toEqual(await table())
    await view('/archives/daily-kept', '192.0.2.143')
    expect(await kept()).toEqual(await table())
    // A restore replaces the table; what the object keeps follows.
    const backup = await room.backupState()
    await room.restoreBackup('daily-kept', { ...backup, daily: [{ day: '2024-02-29', views: 7 }] })
    expect(await kept()).toEqual([{ day: '2024-02-29', views: 7 }])
    expect(await table()).toEqual([{ day: '2024-02-29', views: 7 }])
  })

  it('go to the page packed in one string, and come back as they were', async () => {
    const days = [
      { day: '2026-10-31', views: 0 },
      { day: '2026-11-01', views: 12 },
      { day: '2026-11-27', views: 1234567 },
    ]
    expect(packDays(days)).toBe('2026-10-31:0,2026-11-01:12,2026-11-27:1234567')
    expect(unpackDays(packDays(days))).toEqual(days)
    expect(unpackDays(packDays([]))).toEqual([])
    await putPost('daily-packed', { title: 'Daily packed' })
    for (const ip of ['192.0.2.150', '192.0.2.151']) await view('/archives/daily-packed', ip)
    const room = env.POST_ROOM.getByName('daily-packed')
    const opened = await room.open({ countView: false })
    expect(unpackDays(opened.dailyPacked)).toEqual((await room.stats(30)).daily)
    expect(unpackDays(opened.dailyPacked)[0]?.views).toBe(2)
    // The neighbours and backlinks come as the object stores them: JSON.
    expect(JSON.parse(opened.backlinksJson)).toEqual([])
    const nav: PostNav = { prev: { id: 'older', title: '更早的一篇' } as Backlink, next: null, series: null }
    await room.setNav('daily-packed', nav)
    expect(JSON.parse((await room.open({ countView: false })).navJson!)).toEqual(nav)
  })
})
