/**
 * `npm run bench:search`: the full-text search at SEARCH_POSTS posts (default 2,000).
 *
 * 1. generates the posts with a fixed-seed PRNG: mixed Chinese and English science prose with inline
 *    and display formulas, a few KB each, rendered in Node with the Worker's renderer (KaTeX);
 * 2. builds the Worker as `wrangler deploy` would and serves it with the Miniflare API on 127.0.0.1,
 *    with a driver Worker bound to the same SearchIndex object and KV namespace;
 * 3. indexes the posts by calling `SearchIndex.upsert` directly (the call the Site object makes on
 *    publish; publishing 2,000 posts through `PUT /api/posts/:id` would spend minutes rendering and
 *    writing list chunks, which is not what this measures), writes a site snapshot naming them as
 *    published, and rebuilds the main segment; SEARCH_API_POSTS (default 50) more posts go through
 *    the real `PUT /api/posts/:id` path to time a publish with its indexing;
 * 4. sends SEARCH_QUERIES mixed queries (default 400: Chinese words of 2–4 characters, single
 *    characters, English words and prefixes, mixed, tags, rare words) to `GET /search` one at a time,
 *    bounded by SEARCH_SECONDS (default 60), first with the main segment only and then with a delta of
 *    40 changed posts; prints p50/p99 and the index size, and writes bench/results/search-<time>.json
 *    (its path is the last line).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderPost } from '../src/render/render-post'
import { searchDocOf, type SearchDoc } from '../src/search/doc'
import type { PostRecord } from '../src/model'
import { readDocs, search, type KvReader } from '../src/search/query'
import { highlight, snippet } from '../src/search/snippet'
import { parseQuery } from '../src/search/tokenize'
import { blogWorker, buildWorker, compatibilityDate, LOAD_TOKEN, serve } from './serve-built'

const POSTS = Number(process.env.SEARCH_POSTS ?? 2000)
const API_POSTS = Number(process.env.SEARCH_API_POSTS ?? 50)
const QUERIES = Number(process.env.SEARCH_QUERIES ?? 400)
const SECONDS = Number(process.env.SEARCH_SECONDS ?? 60)

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ZH_WORDS = (
  '量子 纠缠 不等式 傅里叶 级数 收敛 发散 黎曼 猜想 素数 分布 概率 随机 过程 马尔可夫 链 平稳 分布 熵 信息 编码 ' +
  '黑洞 视界 辐射 温度 热力学 统计 物理 能量 守恒 对称 群论 表示 拉格朗日 哈密顿 动量 角动量 波函数 薛定谔 方程 ' +
  '扩散 热核 偏微分 边界 条件 特征值 矩阵 行列式 线性 代数 梯度 下降 优化 凸函数 神经 网络 注意力 机制 深度 学习 ' +
  '贝叶斯 后验 先验 似然 估计 方差 期望 极限 积分 微分 导数 连续 光滑 流形 曲率 张量 广义 相对论 引力 宇宙 膨胀 ' +
  '暗物质 星系 光谱 红移 粒子 散射 截面 规范 场论 重整化 对偶 拓扑 同调 复分析 留数 解析 延拓 函数 证明 定理 引理'
).split(' ')
const ZH_GLUE = '的 是 在 和 与 可以 通过 因此 然而 其中 我们 考虑 得到 满足 表明 注意到 于是 这里 一个 这个'.split(' ')
const EN_WORDS = (
  'quantum entanglement inequality fourier series convergence converges divergent riemann hypothesis prime ' +
  'distribution probability random process markov chain stationary entropy information coding black hole ' +
  'horizon radiation temperature thermodynamics statistical physics energy conservation symmetry lagrangian ' +
  'hamiltonian momentum wavefunction schrodinger equation diffusion kernel boundary eigenvalue matrix determinant ' +
  'gradient descent optimization convex network attention transformer bayesian posterior prior likelihood ' +
  'estimator variance expectation limit integral derivative manifold curvature tensor relativity gravitation ' +
  'cosmology galaxy spectrum redshift particle scattering gauge renormalization duality topology homology'
).split(' ')
const TAGS = [
  '量子力学',
  '数学分析',
  '数论',
  '机器学习',
  '概率论',
  '热力学',
  '宇宙学',
  'optimization',
  'statistics',
  'topology',
  'physics',
  '信息论',
]
const FORMULAS = [
  'E = mc^2',
  '\\int_0^\\infty e^{-x^2}\\,dx = \\frac{\\sqrt{\\pi}}{2}',
  '\\sum_{n=1}^\\infty \\frac{1}{n^2} = \\frac{\\pi^2}{6}',
  'H(X) = -\\sum_x p(x)\\log p(x)',
  '\\nabla \\cdot \\mathbf{E} = \\frac{\\rho}{\\varepsilon_0}',
  'i\\hbar \\frac{\\partial}{\\partial t}\\psi = \\hat H \\psi',
  'P(A\\mid B) = \\frac{P(B\\mid A)P(A)}{P(B)}',
  'x_{k+1} = x_k - \\eta \\nabla f(x_k)',
  '\\zeta(s) = \\prod_p (1-p^{-s})^{-1}',
  'u_t = k\\Delta u',
]

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!
}

function zhSentence(rand: () => number): string {
  const parts: string[] = []
  const n = 6 + Math.floor(rand() * 8)
  for (let i = 0; i < n; i++) parts.push(rand() < 0.6 ? pick(rand, ZH_WORDS) : pick(rand, ZH_GLUE))
  if (rand() < 0.3) parts.push(`$${pick(rand, FORMULAS)}$`)
  return parts.join('') + '。'
}

function enSentence(rand: () => number): string {
  const words: string[] = []
  const n = 8 + Math.floor(rand() * 10)
  for (let i = 0; i < n; i++)
    words.push(rand() < 0.5 ? pick(rand, EN_WORDS) : pick(rand, ['the', 'of', 'and', 'a', 'is', 'we', 'with', 'for']))
  const s = words.join(' ')
  return s[0]!.toUpperCase() + s.slice(1) + (rand() < 0.3 ? ` $${pick(rand, FORMULAS)}$.` : '.')
}

interface GeneratedPost {
  id: string
  title: string
  tags: string[]
  date: number
  markdown: string
}

function generate(i: number): GeneratedPost {
  const rand = prng(1000 + i)
  const english = rand() < 0.3
  const title = english
    ? `${pick(rand, EN_WORDS)} and ${pick(rand, EN_WORDS)}: notes ${i}`.replace(/^./, (c) => c.toUpperCase())
    : `${pick(rand, ZH_WORDS)}${pick(rand, ZH_WORDS)}与${pick(rand, ZH_WORDS)}（${i}）`
  const paragraphs: string[] = []
  const count = 5 + Math.floor(rand() * 6)
  for (let p = 0; p < count; p++) {
    const sentences = Array.from({ length: 3 + Math.floor(rand() * 4) }, () =>
      english || rand() < 0.15 ? enSentence(rand) : zhSentence(rand),
    )
    paragraphs.push(sentences.join(english ? ' ' : ''))
    if (rand() < 0.3) paragraphs.push(`$$\n${pick(rand, FORMULAS)}\n$$`)
  }
  return {
    id: `s-${i}`,
    title,
    tags: [pick(rand, TAGS), pick(rand, TAGS)].filter((t, k, a) => a.indexOf(t) === k),
    date: Date.UTC(2015, 0, 1) + i * 3_600_000 * 30,
    markdown: paragraphs.join('\n\n'),
  }
}

function docOf(post: GeneratedPost): SearchDoc {
  const rendered = renderPost(post.markdown, undefined, {})
  return searchDocOf({
    id: post.id,
    title: post.title,
    tags: post.tags,
    category: null,
    date: post.date,
    html: rendered.html,
  } as PostRecord)
}

const DRIVER = `
export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    const index = env.SEARCH.getByName('site')
    if (url.pathname === '/upsert') {
      const docs = await request.json()
      const start = Date.now()
      for (const doc of docs) await index.upsert(doc)
      return Response.json({ ms: Date.now() - start })
    }
    if (url.pathname === '/snapshot') {
      const ids = await request.json()
      const counts = {}
      for (const id of ids) counts[id] = [0, 0]
      await env.POSTS.put('v1:site', JSON.stringify({ v: 1, generatedAt: Date.now(), total: ids.length, chunkSize: 16, chunks: [], counts, recent: [], popular: [] }))
      return Response.json({ ok: true })
    }
    if (url.pathname === '/rebuild') {
      const start = Date.now()
      await index.rebuild()
      return Response.json({ ms: Date.now() - start })
    }
    if (url.pathname === '/tune') return Response.json(await index.tune(await request.json()))
    if (url.pathname === '/stats') return Response.json(await index.stats())
    return new Response('?', { status: 404 })
  },
}`

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

function queries(rand: () => number): { kind: string; q: string }[] {
  const out: { kind: string; q: string }[] = []
  const kinds: [string, () => string][] = [
    [
      'zh 2 chars',
      () =>
        pick(
          rand,
          ZH_WORDS.filter((w) => w.length === 2),
        ),
    ],
    [
      'zh 3-4 chars',
      () =>
        pick(
          rand,
          ZH_WORDS.filter((w) => w.length >= 3),
        ),
    ],
    ['zh 2 words', () => `${pick(rand, ZH_WORDS)}${pick(rand, ZH_WORDS)}`],
    ['zh 1 char', () => pick(rand, [...'熵量子场论群链'])],
    ['en word', () => pick(rand, EN_WORDS)],
    ['en prefix', () => pick(rand, EN_WORDS).slice(0, 4)],
    ['en 2 words', () => `${pick(rand, EN_WORDS)} ${pick(rand, EN_WORDS)}`],
    ['mixed', () => `${pick(rand, EN_WORDS)} ${pick(rand, ZH_WORDS)}`],
    ['tag', () => pick(rand, TAGS)],
    ['tex', () => pick(rand, ['hbar', 'frac', 'nabla', 'zeta', 'partial'])],
    ['no match', () => `zq${Math.floor(rand() * 1e6)}`],
  ]
  for (let i = 0; i < QUERIES; i++) {
    const [kind, make] = kinds[i % kinds.length]!
    out.push({ kind, q: make() })
  }
  return out
}

interface Timing {
  phase: string
  queries: number
  p50ms: number
  p90ms: number
  p99ms: number
  maxms: number
  meanResults: number
  byKind: Record<string, { n: number; p50ms: number; p99ms: number }>
}

async function measure(url: string, phase: string, list: { kind: string; q: string }[], deadline: number): Promise<Timing> {
  const times: number[] = []
  const byKind = new Map<string, number[]>()
  let results = 0
  for (const [i, { kind, q }] of list.entries()) {
    if (Date.now() > deadline) break
    // Every fifth query asks for its second page (a 404 when there is none).
    const page = i % 5 === 4 ? '&page=2' : ''
    const start = performance.now()
    const res = await fetch(`${url}/search?q=${encodeURIComponent(q)}${page}`)
    const html = await res.text()
    const ms = performance.now() - start
    if (res.status !== 200 && res.status !== 404) throw new Error(`/search?q=${q}: HTTP ${res.status}`)
    results += Number(/找到 (\d+) 篇文章/.exec(html)?.[1] ?? 0)
    times.push(ms)
    if (!byKind.has(kind)) byKind.set(kind, [])
    byKind.get(kind)!.push(ms)
  }
  const sorted = [...times].sort((a, b) => a - b)
  return {
    phase,
    queries: times.length,
    p50ms: percentile(sorted, 50),
    p90ms: percentile(sorted, 90),
    p99ms: percentile(sorted, 99),
    maxms: sorted[sorted.length - 1] ?? NaN,
    meanResults: results / Math.max(1, times.length),
    byKind: Object.fromEntries(
      [...byKind].map(([k, v]) => {
        const s = [...v].sort((a, b) => a - b)
        return [k, { n: v.length, p50ms: percentile(s, 50), p99ms: percentile(s, 99) }]
      }),
    ),
  }
}

/**
 * The query path's own work (parse, shards, rank, the page's documents, snippets) timed in Node
 * against an in-memory copy of the index's KV values: no HTTP, no page rendering, no KV latency.
 */
async function cpuPerQuery(values: Map<string, string>, list: { kind: string; q: string }[]): Promise<{ p50ms: number; p99ms: number }> {
  const kv = {
    async get(key: string, type?: string) {
      const v = values.get(key) ?? null
      return v !== null && type === 'json' ? JSON.parse(v) : v
    },
  } as KvReader
  const once = async (q: string) => {
    const terms = parseQuery(q)
    const hits = await search(kv, terms)
    const docs = await readDocs(
      kv,
      hits.slice(0, 10).map((h) => h.id),
    )
    for (const d of docs) if (d) void (highlight(d.title, terms) + snippet(d.text, terms))
  }
  for (const { q } of list) await once(q)
  const times: number[] = []
  for (const { q } of list) {
    const start = performance.now()
    await once(q)
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return { p50ms: percentile(times, 50), p99ms: percentile(times, 99) }
}

function printTiming(t: Timing): void {
  console.log(
    `  ${t.phase}: ${t.queries} queries, p50 ${t.p50ms.toFixed(2)} ms, p90 ${t.p90ms.toFixed(2)} ms, p99 ${t.p99ms.toFixed(2)} ms, max ${t.maxms.toFixed(1)} ms (mean ${t.meanResults.toFixed(0)} results)`,
  )
  for (const [kind, k] of Object.entries(t.byKind)) {
    console.log(
      `    ${kind.padEnd(14)} n=${String(k.n).padStart(3)}  p50 ${k.p50ms.toFixed(2).padStart(6)} ms  p99 ${k.p99ms.toFixed(2).padStart(6)} ms`,
    )
  }
}

async function main(): Promise<void> {
  const started = Date.now()
  console.log(`generating and rendering ${POSTS} posts…`)
  const posts = Array.from({ length: POSTS }, (_, i) => generate(i))
  const docs = posts.map(docOf)
  const textBytes = docs.reduce((a, d) => a + Buffer.byteLength(JSON.stringify(d)), 0)
  console.log(
    `  ${((Date.now() - started) / 1000).toFixed(1)} s; mean plain text ${(docs.reduce((a, d) => a + d.text.length, 0) / docs.length).toFixed(0)} characters a post`,
  )

  console.log('building the Worker (wrangler deploy --dry-run)…')
  buildWorker()
  const { mf, url } = await serve([
    blogWorker({ PAGE_SIZE: '10' }),
    {
      name: 'driver',
      modules: true,
      compatibilityDate: compatibilityDate(),
      script: DRIVER,
      kvNamespaces: ['POSTS'],
      durableObjects: { SEARCH: { className: 'SearchIndex', scriptName: 'blog', useSQLite: true } },
    },
  ])
  try {
    const driver = (await mf.getWorker('driver')) as unknown as { fetch(url: string, init?: RequestInit): Promise<Response> }
    const call = async <T>(path: string, body?: unknown): Promise<T> => {
      const res = await driver.fetch(
        `http://driver${path}`,
        body === undefined ? undefined : { method: 'POST', body: JSON.stringify(body) },
      )
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`)
      return (await res.json()) as T
    }

    console.log(`indexing ${POSTS} posts through SearchIndex.upsert…`)
    const indexStart = Date.now()
    let upsertMs = 0
    for (let i = 0; i < docs.length; i += 100) upsertMs += (await call<{ ms: number }>('/upsert', docs.slice(i, i + 100))).ms
    const rebuildMs = (await call<{ ms: number }>('/rebuild', {})).ms
    const indexSeconds = (Date.now() - indexStart) / 1000
    await call(
      '/snapshot',
      docs.map((d) => d.id),
    )
    const stats = await call<Record<string, unknown>>('/stats')
    console.log(
      `  ${indexSeconds.toFixed(1)} s: upserts ${(upsertMs / 1000).toFixed(1)} s (${(upsertMs / POSTS).toFixed(1)} ms a post), final rebuild ${(rebuildMs / 1000).toFixed(1)} s`,
    )
    console.log(`  index: ${JSON.stringify(stats)}`)
    console.log(`  post texts for snippets (v1:search:doc:*): ${(textBytes / 1024 / 1024).toFixed(1)} MiB`)

    const list = queries(prng(7))
    const deadline = Date.now() + SECONDS * 1000
    console.log('querying GET /search (main segment, empty delta)…')
    const warmup = await measure(url, 'first pass (cold isolate caches)', list.slice(0, 50), deadline)
    const main = await measure(url, 'main segment', list, deadline)
    // The same page frame without a search: GET /search with no query reads the snapshot only.
    const floor = await measure(
      url,
      'floor: /search without a query',
      list.slice(0, 100).map((x) => ({ kind: 'form only', q: '' })),
      deadline + 10_000,
    )
    printTiming(warmup)
    printTiming(main)
    printTiming(floor)

    const kv = (await mf.getKVNamespace('POSTS', 'blog')) as unknown as KvReader
    const values = new Map<string, string>()
    const pointer = (await kv.get('v1:search', 'text'))!
    values.set('v1:search', pointer)
    const p = JSON.parse(pointer) as { main: { shards: string[]; docs: string } | null; delta: string }
    const keys = [p.delta, ...(p.main ? [p.main.docs, ...p.main.shards.map((h, n) => `v1:search:shard:${n}:${h}`)] : [])]
    for (const key of keys) values.set(key, (await kv.get(key, 'text'))!)
    for (const d of docs) values.set(`v1:search:doc:${d.id}`, JSON.stringify(d))
    const cpu = await cpuPerQuery(values, list)
    console.log(`  query work alone (Node, in-memory KV, warm caches): p50 ${cpu.p50ms.toFixed(2)} ms, p99 ${cpu.p99ms.toFixed(2)} ms`)

    console.log('changing 40 posts (they move to the delta)…')
    const changed = docs.slice(0, 40).map((d) => ({ ...d, text: d.text + ' 补充说明 addendum' }))
    await call('/upsert', changed)
    const deltaStats = await call<Record<string, unknown>>('/stats')
    console.log(`  index: ${JSON.stringify(deltaStats)}`)
    const withDelta = await measure(url, 'main + delta of 40', list, deadline + 30_000)
    printTiming(withDelta)

    console.log(`publishing ${API_POSTS} more posts through PUT /api/posts/:id (render, KV, lists, search index)…`)
    const publishTimes: number[] = []
    for (let i = 0; i < API_POSTS; i++) {
      const p = generate(POSTS + i)
      const start = performance.now()
      const res = await fetch(`${url}/api/posts/${p.id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${LOAD_TOKEN}`, 'content-type': 'text/markdown' },
        body: `---\ntitle: ${JSON.stringify(p.title)}\ndate: ${new Date(p.date).toISOString()}\ntags: ${JSON.stringify(p.tags)}\n---\n\n${p.markdown}\n`,
      })
      if (!res.ok) throw new Error(`publishing ${p.id}: HTTP ${res.status} ${await res.text()}`)
      publishTimes.push(performance.now() - start)
    }
    const sortedPublish = [...publishTimes].sort((a, b) => a - b)
    const probe = generate(POSTS + API_POSTS - 1)
    // The pointer is written at most once a second (KV's per-key rate): allow a few seconds.
    let publishFound = false
    for (let i = 0; i < 50 && !publishFound; i++) {
      const found = await (await fetch(`${url}/search?q=${encodeURIComponent(probe.title)}`)).text()
      publishFound = found.includes(`/archives/${probe.id}"`)
      if (!publishFound) await new Promise((r) => setTimeout(r, 100))
    }
    console.log(
      `  publish p50 ${percentile(sortedPublish, 50).toFixed(1)} ms, p99 ${percentile(sortedPublish, 99).toFixed(1)} ms; last one found by its title: ${publishFound}`,
    )

    const dir = join('bench', 'results')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `search-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
    writeFileSync(
      file,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          posts: POSTS,
          index: { seconds: indexSeconds, upsertMsPerPost: upsertMs / POSTS, rebuildMs, stats, textBytes },
          timings: [warmup, main, floor, withDelta],
          queryWorkNode: cpu,
          deltaStats,
          publish: { posts: API_POSTS, p50ms: percentile(sortedPublish, 50), p99ms: percentile(sortedPublish, 99), found: publishFound },
          totalSeconds: (Date.now() - started) / 1000,
        },
        null,
        2,
      ),
    )
    console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s\n${file}`)
    if (!publishFound) process.exitCode = 1
  } finally {
    await mf.dispose()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
