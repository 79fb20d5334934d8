import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import worker from '../src/index'
import type { PostRoom } from '../src/objects/post-room'
import type { Site } from '../src/objects/site'

export const TOKEN = 'test-admin-token'
export const ORIGIN = 'https://blog.example'
export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'

/**
 * Sends a request to the Worker under test, with the real KV and Durable Object bindings.
 * It calls the Worker's fetch handler in this isolate rather than `exports.default.fetch`: under
 * vitest-pool-workers every `exports.default.fetch` gets slower as a test file sends more requests
 * (cloudflare/workers-sdk#15446, ~6 ms → ~370 ms per request after 1,500), which would turn the
 * 1,000-reader test into minutes. A few tests still go through `exports.default.fetch` on purpose.
 * `bindings` replaces the test settings (e.g. LIST_CACHE_SECONDS on, or a failing KV).
 */
export async function request(path: string, init: RequestInit = {}, bindings: Cloudflare.Env = env): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), bindings, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

/**
 * `request` with some settings changed (`vars` over the test's own; the objects keep the test's
 * settings) and redirects answered, not followed.
 */
export function call(path: string, init: RequestInit = {}, vars: Record<string, string> = {}): Promise<Response> {
  return request(path, { redirect: 'manual', ...init }, { ...env, ...vars } as Cloudflare.Env)
}

/** A markdown post with front matter. */
export function markdownPost(fields: Record<string, unknown>, body: string): string {
  const front = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n')
  return `---\n${front}\n---\n\n${body}\n`
}

/** PUT /api/posts/:id with a markdown body and the admin token. */
export function putPost(id: string, fields: Record<string, unknown>, body = 'Some text.', query = ''): Promise<Response> {
  return request(`/api/posts/${id}${query}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown; charset=utf-8' },
    body: markdownPost(fields, body),
  })
}

/** GET a page as a browser would (counted as a reader's view). */
export function view(path: string, ip = '203.0.113.1', extra: Record<string, string> = {}): Promise<Response> {
  return request(path, { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': ip, ...extra } })
}

/** Posts a comment as JSON. */
export function postComment(id: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return request(`/api/posts/${id}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

/** The exact totals held by a post's object. */
export function roomStats(id: string) {
  return env.POST_ROOM.getByName(id).stats()
}

/** Waits until `check` passes (for the snapshot, which is written by alarm). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const start = Date.now()
  for (;;) {
    try {
      return await check()
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

/** A small seeded generator (a linear congruential one): the same seed gives the same numbers, run after run. */
export function seededRandom(seed: number): { rnd: () => number; pick: <T>(xs: readonly T[]) => T } {
  let state = seed
  const rnd = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648
  return { rnd, pick: (xs) => xs[Math.floor(rnd() * xs.length)]! }
}

/** Gives the Site object other bindings (made from its own) until `restore` is called. */
export async function withSiteBindings(change: (real: Cloudflare.Env) => Partial<Cloudflare.Env>): Promise<() => Promise<void>> {
  const site = env.SITE.getByName('site')
  let real: Cloudflare.Env | undefined
  await runInDurableObject(site, (instance: Site) => {
    const target = instance as unknown as { env: Cloudflare.Env }
    real = target.env
    target.env = { ...real, ...change(real) }
  })
  return () =>
    runInDurableObject(site, (instance: Site) => {
      ;(instance as unknown as { env: Cloudflare.Env }).env = real!
    })
}

/**
 * Until `restore` is called, the Site object's KV writes go to `put` (given the real namespace and the
 * write's arguments) instead; every other KV call goes to the real namespace.
 */
export function siteKvPuts(put: (kv: KVNamespace, key: string, ...rest: unknown[]) => Promise<void>): Promise<() => Promise<void>> {
  return withSiteBindings((real) => ({
    POSTS: new Proxy(real.POSTS, {
      get(kv, prop) {
        const v = Reflect.get(kv, prop) as unknown
        if (prop !== 'put') return typeof v === 'function' ? v.bind(kv) : v
        return (key: string, ...rest: unknown[]) => put(kv, key, ...rest)
      },
    }),
  }))
}

/** The real namespace's `put`, for siteKvPuts' replacements. */
export function realPut(kv: KVNamespace, key: string, ...rest: unknown[]): Promise<void> {
  return (kv.put as (...a: unknown[]) => Promise<void>)(key, ...rest)
}

/**
 * Until `restore` is called, the Site object's KV refuses the first write of `key` (as KV does when it
 * fails); `refused` counts the writes of that key it was asked for.
 */
export async function siteKvRefusesFirstWrite(key: string): Promise<{ refused: () => number; restore: () => Promise<void> }> {
  let refused = 0
  const restore = await siteKvPuts((kv, k, ...rest) =>
    k === key && refused++ === 0 ? Promise.reject(new Error('KV PUT failed: 500')) : realPut(kv, k, ...rest),
  )
  return { refused: () => refused, restore }
}

/**
 * Until `restore` is called, the Site object's calls of `method` on the object of post `postId` (of
 * every post: null) go to what `replace` makes from that object's real stub instead.
 */
export function siteRoomCalls(
  postId: string | null,
  method: keyof PostRoom,
  replace: (real: DurableObjectStub<PostRoom>) => (...args: never[]) => unknown,
): Promise<() => Promise<void>> {
  return withSiteBindings((real) => ({
    POST_ROOM: new Proxy(real.POST_ROOM, {
      get(ns, prop) {
        if (prop !== 'getByName') return Reflect.get(ns, prop)
        return (name: string) => {
          const stub = real.POST_ROOM.getByName(name)
          if (postId !== null && name !== postId) return stub
          return new Proxy(stub, { get: (st, p) => (p === method ? replace(stub) : Reflect.get(st, p)) })
        }
      },
    }),
  }))
}

/** A post's entry in the site's backup (GET /api/export, page by page until it is found). */
export async function exportedPost<T extends { id: string }>(id: string): Promise<T> {
  const admin = { authorization: `Bearer ${TOKEN}` }
  let res = await request('/api/export?limit=50', { headers: admin })
  for (;;) {
    if (res.status !== 200) throw new Error(`export answered ${res.status}`)
    const page = (await res.json()) as { posts: T[]; next: string | null }
    const found = page.posts.find((p) => p.id === id)
    if (found) return found
    if (page.next === null) throw new Error(`no post ${id} in the export`)
    res = await request(`/api/export?limit=50&cursor=${page.next}`, { headers: admin })
  }
}

/** Restores one backup entry over the post (POST /api/import?mode=replace). */
export function restorePost(post: unknown): Promise<Response> {
  return request('/api/import?mode=replace', {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ format: 'edge-science-blog-export', version: 1, posts: [post], next: null }),
  })
}

/** Gives a post a new id (POST /api/posts/:id/rename with the admin token). */
export function renamePost(from: string, to: string): Promise<Response> {
  return request(`/api/posts/${from}/rename`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to }),
  })
}

/**
 * The allowed methods of a reader's click (a like, a reaction): its API address (`api`) answers
 * another method 405 with `Allow: POST`, its form's address (`form`) 405 with `Allow: GET, HEAD, POST`.
 */
export async function clickMethods(api: string, form: string): Promise<{ api: [number, string | null]; form: [number, string | null] }> {
  const a = await request(api)
  const f = await call(form, { method: 'PUT', headers: { origin: ORIGIN } })
  return { api: [a.status, a.headers.get('allow')], form: [f.status, f.headers.get('allow')] }
}
