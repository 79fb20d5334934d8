/**
 * The comparison blog: brycedorn/blog (https://github.com/brycedorn/blog), a Hono + KV blog that
 * renders every page per request (nano-jsx SSR), served the same way as ours (Miniflare API,
 * 127.0.0.1, same workerd) so both are measured on the same machine in the same run.
 *
 * Nothing of it is in this repository: prepare a checkout outside the repo (docs/PERFORMANCE.md,
 * "Issue 8 benchmark") and pass its path as COMPARE_DIR (default /tmp/brycedorn-blog). Without a
 * built `dist/index.js` there, the comparison is skipped with a message.
 *
 * Its data lives in two KV namespaces in dev.to's format: POSTS holds `INDEX` (every post's summary,
 * newest first), one key per post slug (the article with its `body_html`) and `favicon`; THUMBS one
 * thumbhash data URL per post id. We seed COMPARE_POSTS (default 40) posts of ~8 KB of HTML each,
 * about the size of our posts' text without KaTeX markup. Its pages: `/` (4 posts per page) and
 * `/:slug`.
 *
 *   COMPARE_DIR=/tmp/brycedorn-blog npx tsx scripts/bench-compare.ts   # alone: its two pages at c=50 and c=1
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Log, LogLevel, Miniflare } from 'miniflare'
import { prng } from './bench-site'
import { DIRECT_SOCKETS, originOf, runtimeStdioShown } from './bench-state'
import { BROWSER_LUA, lpad, pad, requireWrk, wrk, type WrkResult } from './bench-wrk'

export const COMPARE_DIR = process.env.COMPARE_DIR ?? '/tmp/brycedorn-blog'
const POSTS = Number(process.env.COMPARE_POSTS ?? 40)

export interface CompareServer {
  url: string
  /** A post page's path. */
  postPath: string
  dispose: () => Promise<void>
}

const SENTENCES = [
  'Edge workers run close to the reader, so the first byte arrives quickly.',
  'The index is cached in KV and every page is rendered on request.',
  'Thumbhash placeholders keep the layout stable while images load.',
  'A small framework keeps the bundle and the cold start small.',
  'Caching the article body avoids a round trip to the origin API.',
]

function article(i: number, rand: () => number) {
  const slug = `post-number-${i + 1}`
  const paragraphs = Array.from({ length: 24 }, (_, k) => {
    const text = Array.from({ length: 4 }, () => SENTENCES[Math.floor(rand() * SENTENCES.length)]).join(' ')
    return `<p>${text} <code>example_${k}()</code> and <a href="https://example.com/${i}/${k}">a link</a>.</p>`
  })
  const body = paragraphs.map((p, k) => (k % 6 === 0 ? `<h2>Section ${k / 6 + 1}</h2>\n${p}` : p)).join('\n')
  const date = new Date(Date.UTC(2023, 0, 1) + i * 86_400_000).toISOString()
  const user = {
    name: 'Bench Author',
    username: 'bench',
    twitter_username: 'bench',
    github_username: 'bench',
    user_id: 1,
    website_url: 'https://example.com',
    profile_image: 'https://example.com/p.png',
    profile_image_90: 'https://example.com/p90.png',
  }
  const summary = {
    type_of: 'article',
    id: 1000 + i,
    title: `Post number ${i + 1}: notes from the edge`,
    description: SENTENCES[i % SENTENCES.length]!,
    readable_publish_date: date.slice(0, 10),
    slug: `${slug}-abcd`,
    path: `/bench/${slug}-abcd`,
    url: `https://dev.to/bench/${slug}-abcd`,
    comments_count: '3',
    public_reactions_count: '10',
    collection_id: '',
    published_timestamp: date,
    positive_reactions_count: '10',
    cover_image: '',
    social_image: 'https://example.com/social.png',
    canonical_url: `https://example.com/${slug}`,
    created_at: date,
    edited_at: date,
    crossposted_at: '',
    published_at: date,
    last_comment_at: date,
    reading_time_minutes: '5',
    tag_list: 'webdev, javascript',
    tags: 'webdev, javascript',
    user,
    flare_tag: '',
    cached_slug: slug,
  }
  const detail = { ...summary, slug, tags: ['webdev', 'javascript'], body_html: body, body_markdown: '' }
  return { slug, summary, detail }
}

/** True if a built checkout is at COMPARE_DIR; otherwise prints why the comparison is skipped. */
export function compareAvailable(): boolean {
  if (existsSync(join(COMPARE_DIR, 'dist', 'index.js'))) return true
  console.log(
    `comparison skipped: no built brycedorn/blog at ${COMPARE_DIR} (dist/index.js); see docs/PERFORMANCE.md, "Issue 8 benchmark", to prepare it`,
  )
  return false
}

/** Serves the prepared checkout with Miniflare on 127.0.0.1 and seeds its KV. */
export async function startCompare(): Promise<CompareServer> {
  const mf = new Miniflare({
    log: new Log(LogLevel.WARN),
    cf: false,
    logRequests: false,
    handleRuntimeStdio: runtimeStdioShown,
    host: '127.0.0.1',
    port: 0,
    // A service-worker script (it calls app.fire()): its KV namespaces are globals.
    modules: false,
    scriptPath: join(COMPARE_DIR, 'dist', 'index.js'),
    compatibilityDate: '2022-05-07',
    kvNamespaces: ['POSTS', 'THUMBS'],
    ...DIRECT_SOCKETS,
  })
  const url = await originOf(mf)
  // (Miniflare's KV type needs the Workers types, which the scripts do not load.)
  type Kv = { put(key: string, value: string): Promise<void> }
  const posts = (await mf.getKVNamespace('POSTS')) as unknown as Kv
  const thumbs = (await mf.getKVNamespace('THUMBS')) as unknown as Kv
  const rand = prng(8)
  const articles = Array.from({ length: POSTS }, (_, i) => article(i, rand)).reverse()
  await posts.put('INDEX', JSON.stringify(articles.map((a) => a.summary)))
  await posts.put('favicon', 'data:image/png;base64,iVBORw0KGgo=')
  for (const a of articles) {
    await posts.put(a.slug, JSON.stringify(a.detail))
    await thumbs.put(String(a.summary.id), '')
  }
  const postPath = `/${articles[Math.floor(POSTS / 2)]!.slug}`
  for (const path of ['/', postPath]) {
    const res = await fetch(url + path)
    const body = await res.text()
    if (res.status !== 200) throw new Error(`brycedorn/blog ${path}: HTTP ${res.status} ${body.slice(0, 200)}`)
  }
  return { url, postPath, dispose: () => mf.dispose() }
}

/** Its front page and a post page with wrk, like ours. */
export async function measureCompare(server: CompareServer, connections: number, seconds: number): Promise<WrkResult[]> {
  const out: WrkResult[] = []
  for (const [route, path] of [
    ['brycedorn/blog front page', '/'],
    ['brycedorn/blog post page', server.postPath],
  ] as const) {
    out.push(await wrk({ route, url: server.url + path, connections, seconds, lua: BROWSER_LUA }))
  }
  return out
}

async function main(): Promise<void> {
  requireWrk()
  if (!compareAvailable()) return
  const seconds = Number(process.env.BENCH_SECONDS ?? 5)
  const server = await startCompare()
  try {
    for (const c of [50, 1]) {
      for (const r of await measureCompare(server, c, seconds)) {
        console.log(
          `${pad(r.route, 28)} c=${lpad(String(c), 2)} ${lpad(r.rps.toFixed(0), 7)} req/s  p50 ${r.p50ms.toFixed(2)} ms  p99 ${r.p99ms.toFixed(2)} ms  errors ${r.socketErrors + r.unexpected}`,
        )
      }
    }
  } finally {
    await server.dispose()
  }
}

if (process.argv[1] && /bench-compare\.ts$/.test(process.argv[1])) {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
