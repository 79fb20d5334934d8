import { abortAllDurableObjects, createExecutionContext, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../src/index'
import { migrate } from '../src/objects/migrations'
import { POST_ROOM_MIGRATIONS, type PostRoom } from '../src/objects/post-room'
import type { Site } from '../src/objects/site'
import { BROWSER_UA, eventually, ORIGIN, putPost, request, roomStats, TOKEN } from './helpers'

/** A request to the Worker with some bindings or settings replaced. */
async function call(path: string, init: RequestInit, bindings: Record<string, unknown>): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), { ...env, ...bindings } as Cloudflare.Env, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

/** A namespace whose stubs fail `method` the way the runtime does: `times` times, then work. */
function failing<T extends Rpc.DurableObjectBranded | undefined>(
  ns: DurableObjectNamespace<T>,
  method: string,
  error: { overloaded?: boolean; retryable?: boolean },
  times = Infinity,
) {
  let failures = 0
  return new Proxy(ns, {
    get(target, prop) {
      if (prop !== 'getByName') {
        const v = Reflect.get(target, prop)
        return typeof v === 'function' ? v.bind(target) : v
      }
      return (name: string) => {
        const stub = target.getByName(name)
        return new Proxy(stub, {
          get(s, p) {
            if (p === method && failures < times) {
              return () => {
                failures++
                return Promise.reject(Object.assign(new Error(`injected: ${JSON.stringify(error)}`), error))
              }
            }
            const v = Reflect.get(s, p)
            // RPC methods are called on the stub itself (a bound copy would not serialise).
            return typeof v === 'function'
              ? (...args: unknown[]) => (s as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>)[p]!(...args)
              : v
          },
        })
      }
    },
  })
}

describe('admin sign-in attempts', () => {
  it('limits failed attempts per client (ADMIN_AUTH_LIMIT), a missing header is not an attempt', async () => {
    const vars = { ADMIN_AUTH_LIMIT: '3/300' }
    const attempt = (token: string | null, ip = '198.51.100.200') =>
      call('/api/posts/anything', { headers: { 'cf-connecting-ip': ip, ...(token ? { authorization: `Bearer ${token}` } : {}) } }, vars)
    expect((await attempt(null)).status).toBe(401)
    for (let i = 0; i < 3; i++) expect((await attempt(`wrong-${i}`)).status).toBe(401)
    const blocked = await attempt(TOKEN)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await blocked.text()).not.toContain(TOKEN)
    // Another client is not affected.
    expect((await attempt(TOKEN, '198.51.100.201')).status).toBe(404)
    // The comment endpoint cannot be used to test tokens: a wrong token is a 401 there, and counts.
    await putPost('auth-comments', { title: 'Auth' })
    const viaComment = await call(
      '/api/posts/auth-comments/comments',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer guess', 'cf-connecting-ip': '198.51.100.202' },
        body: JSON.stringify({ author: 'x', body: 'y' }),
      },
      vars,
    )
    expect(viaComment.status).toBe(401)
    expect((await roomStats('auth-comments')).comments).toBe(0)
  })
})

describe('admin sign-in attempts in parallel', () => {
  it('never refuse the right token for being busy, and count every parallel wrong one', async () => {
    const vars = { ADMIN_AUTH_LIMIT: '3/300' }
    const attempt = (token: string, ip: string) =>
      call('/api/posts/anything', { headers: { 'cf-connecting-ip': ip, authorization: `Bearer ${token}` } }, vars)
    // The author's own tool sends 20 requests at once from one address: all pass the gate.
    const right = await Promise.all(Array.from({ length: 20 }, () => attempt(TOKEN, '198.51.100.210')))
    expect(right.map((r) => r.status)).toEqual(Array(20).fill(404))
    // 12 guesses at once: exactly 3 are judged (401), the rest refused (429), and then the right token too.
    const wrong = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(`guess-${i}`, '198.51.100.211')))
    const statuses = wrong.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 401)).toHaveLength(3)
    expect(statuses.filter((s) => s === 429)).toHaveLength(9)
    expect((await attempt(TOKEN, '198.51.100.211')).status).toBe(429)
  })
})

describe('Durable Object errors', () => {
  it('answers an overloaded post object with 503 and Retry-After, never 500, and counts nothing', async () => {
    await putPost('overloaded', { title: 'Overloaded' })
    const before = (await roomStats('overloaded')).views
    const POST_ROOM = failing(env.POST_ROOM, 'open', { overloaded: true })
    const page = await call(
      '/archives/overloaded',
      { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': '203.0.113.50' } },
      { POST_ROOM },
    )
    expect(page.status).toBe(503)
    expect(page.headers.get('retry-after')).toBe('2')
    const api = await call('/api/posts/overloaded/views', {}, { POST_ROOM: failing(env.POST_ROOM, 'stats', { overloaded: true }) })
    expect(api.status).toBe(503)
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('overloaded')
    expect((await roomStats('overloaded')).views).toBe(before)
  })

  it('retries a retryable failure of an idempotent call: a keyed comment is stored once; a counted view is not retried', async () => {
    await putPost('retryable', { title: 'Retryable' })
    const res = await call(
      '/api/posts/retryable/comments',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ author: 'R', body: 'once', key: 'retry-key-1' }),
      },
      { POST_ROOM: failing(env.POST_ROOM, 'addComment', { retryable: true }, 2) },
    )
    expect(res.status).toBe(201)
    expect((await roomStats('retryable')).comments).toBe(1)
    // A counted view is not retried (it may have been recorded): the reader gets a 503, the count stays exact.
    const viewed = await call(
      '/archives/retryable',
      { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': '203.0.113.51' } },
      { POST_ROOM: failing(env.POST_ROOM, 'open', { retryable: true, overloaded: true }, 1) },
    )
    expect(viewed.status).toBe(503)
    expect((await roomStats('retryable')).views).toBe(0)
  })
})

describe('schema migrations', () => {
  it('upgrades a post object written by an older version in place, keeping its comments and count', async () => {
    await putPost('old-schema', { title: 'Old schema' })
    // Rebuild the object's storage as version 004 left it, with data.
    const stub = env.POST_ROOM.getByName('legacy-room')
    await runInDurableObject(stub, (_: PostRoom, state) => {
      migrate(state.storage, POST_ROOM_MIGRATIONS.slice(0, 4))
      const sql = state.storage.sql
      sql.exec("INSERT INTO meta (name, value) VALUES ('post_id', 'old-schema'), ('status', 'published')")
      sql.exec("UPDATE counters SET value = 41 WHERE name = 'views'")
      sql.exec(
        `INSERT INTO comments (parent, author, email, url, body, html, excerpt, status, created_ms, idem_key, request_hash, render_version)
         VALUES (NULL, 'Old', 'old@example.com', NULL, 'old $x$', '<p>old</p>', 'old', 'approved', 1700000000000, 'k1', 'h1', ''),
                (1, 'Reply', NULL, NULL, 'reply', '<p>reply</p>', 'reply', 'approved', 1700000001000, NULL, 'h2', '')`,
      )
    })
    // A deploy: the object starts again with the new code and upgrades its schema.
    await abortAllDurableObjects()
    const stats = await env.POST_ROOM.getByName('legacy-room').stats()
    expect(stats).toMatchObject({ status: 'published', views: 41, comments: 2 })
    const after = await runInDurableObject(env.POST_ROOM.getByName('legacy-room'), (_: PostRoom, state) => ({
      migrations: state.storage.sql
        .exec<{ name: string }>('SELECT name FROM _migrations ORDER BY name')
        .toArray()
        .map((r) => r.name),
      rows: state.storage.sql.exec('SELECT id, parent, reply_to, depth, mod_seq FROM comments ORDER BY id').toArray(),
    }))
    expect(after.migrations).toContain('005-moderation')
    expect(after.rows).toEqual([
      { id: 1, parent: null, reply_to: null, depth: 0, mod_seq: 1 },
      { id: 2, parent: 1, reply_to: 1, depth: 0, mod_seq: 2 },
    ])
    const { comments } = await env.POST_ROOM.getByName('legacy-room').listComments()
    expect(comments.map((c) => [c.id, c.parent, c.replyTo, c.status])).toEqual([
      [1, null, null, 'approved'],
      [2, 1, 1, 'approved'],
    ])
  })
})

describe('KV staleness and rate limits', () => {
  it('serves one consistent version of a list while KV still returns an old snapshot, never a mix or a 500', async () => {
    await putPost('stale-a', { title: 'Stale A' })
    const old = await env.POSTS.get('v1:site')
    await putPost('stale-b', { title: 'Stale B' })
    // A location whose KV still serves the old snapshot (KV is eventually consistent, up to a minute).
    const POSTS = new Proxy(env.POSTS, {
      get(kv, prop) {
        if (prop === 'get') {
          return (key: string, type?: unknown) =>
            key === 'v1:site' ? Promise.resolve(type === 'json' ? JSON.parse(old!) : old) : kv.get(key, type as 'text')
        }
        const v = Reflect.get(kv, prop)
        return typeof v === 'function' ? v.bind(kv) : v
      },
    })
    const stale = await call('/', {}, { POSTS })
    expect(stale.status).toBe(200)
    const html = await stale.text()
    expect(html).toContain('Stale A')
    expect(html).not.toContain('Stale B')
    const fresh = await (await request('/')).text()
    expect(fresh).toContain('Stale B')
  })

  it('loses no write when KV refuses a second write to a key within a second (429)', async () => {
    const site = env.SITE.getByName('site')
    // KV's limit: one write per key per second. Make the Site object's KV behave so.
    await runInDurableObject(site, (instance: Site) => {
      const target = instance as unknown as { env: Cloudflare.Env }
      const real = target.env.POSTS
      const lastWrite = new Map<string, number>()
      target.env = {
        ...target.env,
        POSTS: new Proxy(real, {
          get(kv, prop) {
            if (prop === 'put') {
              return (key: string, ...rest: unknown[]) => {
                const now = Date.now()
                if (now - (lastWrite.get(key) ?? 0) < 1000) return Promise.reject(new Error('KV PUT failed: 429 Too Many Requests'))
                lastWrite.set(key, now)
                return (kv.put as (...a: unknown[]) => Promise<void>)(key, ...rest)
              }
            }
            const v = Reflect.get(kv, prop)
            return typeof v === 'function' ? v.bind(kv) : v
          },
        }),
      }
    })
    // Three publishes in quick succession all write the snapshot and the post key.
    for (const [i, title] of ['One', 'Two', 'Three'].entries()) {
      expect((await putPost(`burst-${i}`, { title })).status).toBe(201)
    }
    expect((await putPost('burst-0', { title: 'One, edited' })).status).toBe(200)
    await eventually(async () => {
      const home = await (await request('/')).text()
      for (const title of ['One, edited', 'Two', 'Three']) expect(home).toContain(title)
      const record = await env.POSTS.get<{ title: string }>('v1:post:burst-0', 'json')
      expect(record?.title).toBe('One, edited')
    }, 20_000)
  })
})

describe('the page view under load', () => {
  it('keeps exact counts when page views and comments interleave', async () => {
    await putPost('mixed', { title: 'Mixed' })
    const jobs: Promise<Response>[] = []
    for (let i = 0; i < 60; i++) {
      jobs.push(request('/archives/mixed', { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': `10.77.0.${i}` } }))
      if (i % 3 === 0) {
        jobs.push(
          request('/api/posts/mixed/comments', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ author: `M${i}`, body: `comment ${i}`, key: `mixed-${i}` }),
          }),
        )
      }
    }
    const answers = await Promise.all(jobs)
    expect(answers.every((r) => r.status === 200 || r.status === 201)).toBe(true)
    expect(await roomStats('mixed')).toMatchObject({ views: 60, comments: 20 })
  })
})
