/**
 * Hostile requests against the real Worker (KV and Durable Objects): bad credentials, wrong methods
 * and content types, malformed and oversized bodies, hostile field values, ids and query
 * parameters, cross-site form posts and bursts of concurrent rejected requests. The cases are in
 * ./cases.ts. For every answer: the expected 4xx (never a 5xx), the API's JSON error shape, no
 * reflected input, the security headers on HTML, no CORS grant; and after every category, the
 * watched state (posts' markdown and comments, their objects' counts, the moderation queue, the
 * site snapshot's counts and the set of post records in KV) is exactly what it was.
 */
import { env } from 'cloudflare:workers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteSnapshot } from '../../src/model'
import { unsubscribeToken } from '../../src/lib/tokens'
import { BROWSER_UA, eventually, postComment, putPost, request, roomStats, TOKEN, view } from '../helpers'
import { dangers } from '../html'
import {
  CONTROL,
  csrfCases,
  DELETED,
  DRAFT,
  FOREIGN,
  MARKER,
  OTHER,
  OTHER_ONLY_COMMENT,
  SEED,
  SEED_AUTHOR,
  SEED_COMMENT_BODY,
  SEED_COMMENT_KEY,
  SEED_EMAIL,
  staticCases,
  validComment,
  walineExport,
  type Case,
} from './cases'

const ADMIN = { authorization: `Bearer ${TOKEN}` }
const COMMENT_SECRET = 'test-comment-secret'
const WATCHED = [SEED, OTHER, DRAFT, DELETED]

// ---- the watched state ---------------------------------------------------------------------------

async function stateOf() {
  const posts: Record<string, unknown> = {}
  for (const id of WATCHED) {
    const md = await request(`/api/posts/${id}`, { headers: { ...ADMIN, accept: 'text/markdown' } })
    const comments = await request(`/api/posts/${id}/comments`)
    const room = await roomStats(id)
    posts[id] = {
      markdown: `${md.status} ${await md.text()}`,
      comments: `${comments.status} ${await comments.text()}`,
      room: { status: room.status, views: room.views, comments: room.comments },
    }
  }
  const queue: Record<string, string> = {}
  for (const status of ['pending', 'spam']) {
    const page = (await (await request(`/api/comments?status=${status}&limit=500`, { headers: ADMIN })).json()) as {
      counts: { approved?: number }
    }
    // (The approved count moves with the control post's comments, which the legitimate requests add.)
    delete page.counts.approved
    queue[status] = JSON.stringify(page)
  }
  const site = await env.POSTS.get<SiteSnapshot>('v1:site', 'json')
  const counts = Object.fromEntries(Object.entries(site?.counts ?? {}).filter(([id]) => id !== CONTROL))
  const keys = (await env.POSTS.list({ prefix: 'v1:post:' })).keys.map((k) => k.name).sort()
  return { posts, queue, site: { total: site?.total, counts }, postKeys: keys }
}
type State = Awaited<ReturnType<typeof stateOf>>

/** The parts of the state that differ, by name. */
function diff(a: State, b: State): string[] {
  const out: string[] = []
  for (const id of WATCHED) {
    const x = a.posts[id] as Record<string, unknown>
    const y = b.posts[id] as Record<string, unknown>
    for (const k of Object.keys(x)) if (JSON.stringify(x[k]) !== JSON.stringify(y[k])) out.push(`${id}.${k}`)
  }
  for (const k of ['queue', 'site', 'postKeys'] as const) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push(k)
  return out
}

let baseline: State

// ---- one request and its checks ------------------------------------------------------------------

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map((d) => [d[0]!.toLowerCase(), d.slice(1)]),
  )
}

/** The security headers every HTML answer carries. */
function htmlHeaderProblems(res: Response): string[] {
  const problems: string[] = []
  const csp = directives(res.headers.get('content-security-policy') ?? '')
  const want: [string, string][] = [
    ['script-src', "'self'"],
    ['frame-ancestors', "'none'"],
    ['base-uri', "'none'"],
    ['object-src', "'none'"],
    ['form-action', "'self'"],
  ]
  for (const [name, value] of want) {
    if (JSON.stringify(csp.get(name)) !== JSON.stringify([value])) problems.push(`CSP ${name} is ${JSON.stringify(csp.get(name))}`)
  }
  if (res.headers.get('x-content-type-options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff')
  if (!res.headers.get('referrer-policy')) problems.push('no Referrer-Policy')
  if (!/max-age=\d+/.test(res.headers.get('strict-transport-security') ?? '')) problems.push('no Strict-Transport-Security')
  // The fallback for browsers without frame-ancestors, and the cross-origin isolation pair.
  if (res.headers.get('x-frame-options') !== 'DENY') problems.push('X-Frame-Options is not DENY')
  if (res.headers.get('cross-origin-opener-policy') !== 'same-origin') problems.push('no Cross-Origin-Opener-Policy')
  // Retired headers the app leaves out (src/index.ts).
  for (const name of ['x-xss-protection', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-dns-prefetch-control']) {
    if (res.headers.has(name)) problems.push(`retired header ${name}`)
  }
  return problems
}

function headersFor(c: Case): Headers {
  const headers = new Headers({ 'user-agent': BROWSER_UA, 'cf-connecting-ip': '198.51.100.23' })
  if (Array.isArray(c.headers)) {
    for (const [k] of c.headers) headers.delete(k)
    for (const [k, v] of c.headers) headers.append(k, v)
  } else {
    for (const [k, v] of Object.entries(c.headers ?? {})) headers.set(k, v)
  }
  return headers
}

interface Outcome {
  status: number
  problems: string[]
}

async function runCase(c: Case): Promise<Outcome> {
  const method = c.method ?? 'GET'
  const body = typeof c.body === 'function' ? c.body() : c.body
  const res = await request(c.path, { method, headers: headersFor(c), body, redirect: 'manual' })
  const text = method === 'HEAD' ? '' : await res.text()
  const problems: string[] = []
  const allowed = [c.status].flat()
  if (!allowed.includes(res.status)) problems.push(`status ${res.status}, expected ${allowed.join(' or ')}: ${text.slice(0, 160)}`)
  if (!c.control && res.status < 400) problems.push(`accepted (${res.status})`)
  const type = res.headers.get('content-type') ?? ''
  if (c.path.startsWith('/api') && res.status >= 400 && method !== 'HEAD') {
    let parsed: unknown = null
    try {
      parsed = JSON.parse(text)
    } catch {
      problems.push(`error body is not JSON (${type}): ${text.slice(0, 80)}`)
    }
    const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error
    if (!type.startsWith('application/json')) problems.push(`error Content-Type ${type}`)
    if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || Object.keys(parsed as object).length !== 1) {
      problems.push(`error shape ${text.slice(0, 80)}`)
    } else if (c.code && ![c.code].flat().includes(error.code)) {
      problems.push(`code ${error.code}, expected ${[c.code].flat().join(' or ')} (${error.message})`)
    }
  }
  if (res.status === 405 && res.headers.get('allow') !== (c.allow ?? res.headers.get('allow'))) {
    problems.push(`Allow ${res.headers.get('allow')}, expected ${c.allow}`)
  }
  if (res.status === 405 && !res.headers.get('allow')) problems.push('405 without Allow')
  if (res.status === 401 && c.wwwAuthenticate !== false && !/^Bearer realm="blog"/.test(res.headers.get('www-authenticate') ?? '')) {
    problems.push(`401 with WWW-Authenticate ${res.headers.get('www-authenticate')}`)
  }
  if (res.headers.get('access-control-allow-origin') !== null) problems.push('Access-Control-Allow-Origin present')
  if (res.headers.get('access-control-allow-credentials') !== null) problems.push('Access-Control-Allow-Credentials present')
  if (res.headers.get('x-content-type-options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff')
  if (type.startsWith('text/html')) {
    problems.push(...htmlHeaderProblems(res))
    if (text) problems.push(...dangers(text, 'page').map((d) => `dangerous markup ${d}`))
  }
  for (const value of [MARKER, '<script>hostile', ...(c.reflect ?? [])]) {
    if (value && text.includes(value)) problems.push(`reflects ${JSON.stringify(value.slice(0, 40))}`)
  }
  return { status: res.status, problems }
}

// ---- the summary ---------------------------------------------------------------------------------

interface Row {
  cases: number
  requests: number
  fiveXX: number
  stateChanges: number
  failures: number
}
const summary = new Map<string, Row>()

function row(category: string): Row {
  let r = summary.get(category)
  if (!r) summary.set(category, (r = { cases: 0, requests: 0, fiveXX: 0, stateChanges: 0, failures: 0 }))
  return r
}

/** Runs a category's cases one after another, then compares the watched state with the baseline. */
async function runCategory(category: string, cases: Case[]): Promise<string[]> {
  const r = row(category)
  const problems: string[] = []
  for (const c of cases) {
    const outcome = await runCase(c)
    r.cases++
    r.requests++
    if (outcome.status >= 500) r.fiveXX++
    if (outcome.problems.length) {
      r.failures++
      problems.push(`${c.name}: ${outcome.problems.join('; ')}`)
    }
  }
  const changed = diff(baseline, await stateOf())
  r.stateChanges += changed.length
  if (changed.length) problems.push(`state changed after ${category}: ${changed.join(', ')}`)
  return problems
}

// ---- the suite -----------------------------------------------------------------------------------

const all = staticCases()
const byCategory = (category: Case['category']) => all.filter((c) => c.category === category)

describe('hostile requests', () => {
  beforeAll(async () => {
    const ok = async (res: Promise<Response>, status: number) => expect((await res).status).toBe(status)
    await ok(putPost(SEED, { title: 'Hostile seed', tags: ['熵', 'security'] }, 'Seeded text with $e^{i\\pi}+1=0$.'), 201)
    await ok(putPost(OTHER, { title: 'Hostile other' }), 201)
    await ok(putPost(CONTROL, { title: 'Hostile control' }), 201)
    await ok(putPost(DRAFT, { title: 'Hostile draft', draft: true }), 201)
    await ok(putPost(DELETED, { title: 'Hostile deleted' }), 201)
    await ok(request(`/api/posts/${DELETED}`, { method: 'DELETE', headers: ADMIN }), 200)
    await ok(
      postComment(SEED, {
        author: SEED_AUTHOR,
        email: SEED_EMAIL,
        body: SEED_COMMENT_BODY,
        key: SEED_COMMENT_KEY,
        notify: true,
      }),
      201,
    )
    await ok(postComment(SEED, { author: 'Spammer', body: 'Cheap watches, click here.' }), 201)
    await ok(request(`/api/comments/${SEED}/2/spam`, { method: 'POST', headers: ADMIN }), 200)
    await ok(postComment(SEED, { author: 'Second Reader', body: 'A reply to the first.', parent: 1 }), 201)
    for (let i = 1; i <= OTHER_ONLY_COMMENT + 1; i++)
      await ok(postComment(OTHER, { author: 'Other Reader', body: `Other comment ${i}` }), 201)
    await ok(
      postComment(CONTROL, { author: 'Control Reader', email: 'control@reader.example', body: 'Control comment', notify: true }),
      201,
    )
    await ok(view(`/archives/${SEED}`), 200)
    // The payloads the auth cases send are valid with the token (so a bypass would show as a change).
    const imported = await request('/api/import/comments?format=waline', {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: walineExport(CONTROL, 'control-import-1'),
    })
    expect(((await imported.json()) as { imported: number }).imported).toBe(1)
    const put = all.find((c) => c.category === 'auth' && c.method === 'PUT')!
    await ok(
      request(`/api/posts/${CONTROL}`, { method: 'PUT', headers: { ...ADMIN, 'content-type': 'text/markdown' }, body: put.body as string }),
      200,
    )
    // A baseline once the objects have pushed their counts into the site snapshot.
    baseline = await eventually(async () => {
      const s = await stateOf()
      const site = s.site.counts
      for (const id of [SEED, OTHER]) {
        const room = (s.posts[id] as { room: { views: number; comments: number } }).room
        expect(site[id]).toEqual([room.views, room.comments])
      }
      expect((s.posts[SEED] as { room: { views: number } }).room.views).toBe(1)
      return s
    })
  })

  afterAll(() => {
    const lines = ['category        cases  requests  5xx  state changes  failures']
    const total: Row = { cases: 0, requests: 0, fiveXX: 0, stateChanges: 0, failures: 0 }
    for (const [category, r] of summary) {
      lines.push(
        `${category.padEnd(15)} ${String(r.cases).padStart(5)}  ${String(r.requests).padStart(8)}  ${String(r.fiveXX).padStart(3)}  ${String(r.stateChanges).padStart(13)}  ${String(r.failures).padStart(8)}`,
      )
      for (const k of Object.keys(total) as (keyof Row)[]) total[k] += r[k]
    }
    lines.push(
      `${'total'.padEnd(15)} ${String(total.cases).padStart(5)}  ${String(total.requests).padStart(8)}  ${String(total.fiveXX).padStart(3)}  ${String(total.stateChanges).padStart(13)}  ${String(total.failures).padStart(8)}`,
    )
    console.log(`hostile requests:\n${lines.join('\n')}`)
  })

  it('has at least 150 cases', () => {
    expect(all.length).toBeGreaterThanOrEqual(150)
  })

  for (const category of [
    'auth',
    'methods',
    'content-types',
    'bodies',
    'field-values',
    'path-ids',
    'comment-ids',
    'query-params',
  ] as const) {
    it(`${category}: refused, no 5xx, nothing reflected, nothing changed`, async () => {
      expect(await runCategory(category, byCategory(category))).toEqual([])
    })
  }

  it('csrf: cross-site form posts are refused, same-origin ones work', async () => {
    const sig = await unsubscribeToken(COMMENT_SECRET, SEED, 1)
    const controlSig = await unsubscribeToken(COMMENT_SECRET, CONTROL, 1)
    const before = await roomStats(CONTROL)
    expect(await runCategory('csrf', csrfCases(sig, controlSig))).toEqual([])
    // The two same-origin posts were stored: the refusals above are not a broken form.
    expect((await roomStats(CONTROL)).comments).toBe(before.comments + 2)
  })

  it('concurrency: 50 identical rejected requests at once, four times over', async () => {
    const form = new URLSearchParams(validComment() as Record<string, string>).toString()
    const bursts: Case[] = [
      {
        category: 'auth',
        name: 'DELETE post without a token',
        method: 'DELETE',
        path: `/api/posts/${SEED}`,
        status: 401,
        code: 'unauthorized',
      },
      {
        category: 'csrf',
        name: 'cross-site form post',
        method: 'POST',
        path: `/archives/${SEED}/comments`,
        headers: { origin: FOREIGN, 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
        status: 403,
      },
      {
        category: 'field-values',
        name: 'duplicate of an existing comment',
        method: 'POST',
        path: `/api/posts/${SEED}/comments`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ author: SEED_AUTHOR, email: SEED_EMAIL, body: SEED_COMMENT_BODY }),
        status: 409,
        code: 'duplicate_comment',
      },
      {
        category: 'field-values',
        name: "reply to another post's comment",
        method: 'POST',
        path: `/api/posts/${SEED}/comments`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validComment({ parent: OTHER_ONLY_COMMENT })),
        status: 400,
        code: 'parent_not_found',
      },
    ]
    const r = row('concurrency')
    const problems: string[] = []
    for (const c of bursts) {
      const outcomes = await Promise.all(Array.from({ length: 50 }, () => runCase(c)))
      r.cases++
      r.requests += outcomes.length
      r.fiveXX += outcomes.filter((o) => o.status >= 500).length
      const failed = outcomes.filter((o) => o.problems.length)
      if (failed.length) {
        r.failures++
        problems.push(`${c.name}: ${failed.length}/50 failed, e.g. ${failed[0]!.problems.join('; ')}`)
      }
    }
    const changed = diff(baseline, await stateOf())
    r.stateChanges += changed.length
    if (changed.length) problems.push(`state changed after concurrency: ${changed.join(', ')}`)
    expect(problems).toEqual([])
  })
})
