/**
 * `npm run bench`: the hot pages under load, against a bare "hello" Worker on the same runtime in
 * the same run (the floor).
 *
 * 1. builds the Worker exactly as `wrangler deploy` would (`--dry-run --outdir`);
 * 2. serves it with the Miniflare API on 127.0.0.1 (not `wrangler dev`, whose proxy caps throughput),
 *    in memory, next to the floor;
 * 3. seeds a site through the public API: BENCH_POSTS posts with math (default 250) and
 *    BENCH_COMMENTS comments on one post (default 200);
 * 4. drives each route with wrk (one thread; Debian: `apt-get install -y wrk`) at concurrency 50 and 1,
 *    BENCH_SECONDS each (default 8), post-page requests carrying a browser user agent and a random
 *    CF-Connecting-IP so that every request is a distinct reader's counted view;
 * 5. prints req/s, p50 and p99 and the ratio to the floor, checks the reader count against the number
 *    of requests sent, and writes everything to bench/results/<time>.json (its path is the last line).
 *
 * Only 127.0.0.1 is contacted; every phase is bounded in time.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { blogWorker, buildWorker, compatibilityDate } from './serve-built'

const POSTS = Number(process.env.BENCH_POSTS ?? 250)
const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 200)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const TOKEN = 'bench-admin-token'

interface Result {
  route: string
  path: string
  connections: number
  requests: number
  rps: number
  p50ms: number
  p99ms: number
  /** wrk socket errors: connect, read, write, timeout. */
  errors: number
  errorKinds: string
  non2xx: number
  ratioToFloor?: number
  /** Post page only: how much the exact reader count rose during the run. */
  viewsCounted?: number
}

function requireWrk(): void {
  if (spawnSync('wrk', ['--version']).error) {
    console.error('wrk is not installed. On Debian: apt-get install -y wrk')
    process.exit(2)
  }
}

function durationMs(text: string): number {
  const m = /([\d.]+)(us|ms|s|m)/.exec(text)
  if (!m) return NaN
  const v = Number(m[1])
  return m[2] === 'us' ? v / 1000 : m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : v * 60_000
}

const READER_SCRIPT = `
-- Every request is a different reader (a distinct address), so every one is a counted view.
local ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
local n = 0
-- The first address comes from the command line, so that two runs never share readers.
function init(args)
  n = tonumber(args[1]) or 0
end
request = function()
  n = n + 1
  local ip = "10." .. (math.floor(n / 65536) % 256) .. "." .. (math.floor(n / 256) % 256) .. "." .. (n % 256)
  return wrk.format("GET", nil, { ["User-Agent"] = ua, ["CF-Connecting-IP"] = ip })
end
`

let runs = 0

function wrk(route: string, url: string, connections: number, reader: boolean): Result {
  const args = ['-t1', `-c${connections}`, `-d${SECONDS}s`, '--latency', '--timeout', '10s']
  if (reader) {
    mkdirSync('.bench', { recursive: true })
    writeFileSync(join('.bench', 'reader.lua'), READER_SCRIPT)
    args.push('-s', join('.bench', 'reader.lua'))
  }
  const extra = reader ? ['--', String(++runs * 4_000_000)] : []
  const out = execFileSync('wrk', [...args, url, ...extra], { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 })
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0)
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  return {
    route,
    path: new URL(url).pathname,
    connections,
    requests,
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50ms: durationMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ''),
    p99ms: durationMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ''),
    errors: errors ? errors.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    errorKinds: errors ? `connect ${errors[1]}, read ${errors[2]}, write ${errors[3]}, timeout ${errors[4]}` : '',
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
  }
}

function postBody(i: number): string {
  const paragraphs = Array.from(
    { length: 12 },
    (_, k) =>
      `第${k + 1}段：设$x_${k}>0$且$\\sum_{i=1}^{n} x_i = ${k + 1}$，由柯西不等式得$\\left(\\sum_i x_i\\right)^2 \\le n\\sum_i x_i^2$。这一段用来模拟真实文章的长度，约一百个汉字左右，含有若干行内公式和一些普通的中文叙述，读起来像一篇数学笔记。`,
  )
  const display =
    '$$\n\\begin{aligned}\nf(x) &= \\int_0^\\infty \\frac{e^{-t x}}{1+t^2}\\,dt \\\\\n&= \\sum_{k=0}^\\infty \\frac{(-1)^k (2k)!}{x^{2k+1}}\n\\end{aligned}\n$$'
  return `---\ntitle: "基准文章 ${i}：不等式与积分"\ndate: 2020-01-01T00:00:00+08:00\ncategory: 数学研究\ntags: [bench, 不等式]\n---\n\n${paragraphs.slice(0, 2).join('\n\n')}\n\n## 推导\n\n${display}\n\n${paragraphs.slice(2).join('\n\n')}\n`
}

async function seed(base: string): Promise<string> {
  const started = Date.now()
  for (let i = 0; i < POSTS; i++) {
    const res = await fetch(`${base}/api/posts/bench-${i}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown' },
      body: postBody(i).replace(
        '2020-01-01T00:00:00',
        `2020-01-01T00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
      ),
    })
    if (!res.ok) throw new Error(`seeding post ${i}: HTTP ${res.status} ${await res.text()}`)
  }
  const hot = `bench-${POSTS - 1}`
  for (let i = 0; i < COMMENTS; i++) {
    const res = await fetch(`${base}/api/posts/${hot}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        author: `读者${i}`,
        body: `第${i}条评论：$\\alpha_${i % 10}+\\beta$ 的取值？`,
        parent: i > 0 && i % 3 === 0 ? i : undefined,
        key: `bench-${i}`,
      }),
    })
    if (!res.ok) throw new Error(`seeding comment ${i}: HTTP ${res.status} ${await res.text()}`)
  }
  console.log(`seeded ${POSTS} posts and ${COMMENTS} comments in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return hot
}

let checks = 0

/** The exact count shown on the post page (the read is itself a counted view, by a reader of its own). */
async function readerCount(base: string, id: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${base}/archives/${id}`, {
        headers: { 'user-agent': 'Mozilla/5.0 Chrome/156.0', 'cf-connecting-ip': `192.0.2.${++checks}`, connection: 'close' },
      })
      return Number(/(\d+)位读者/.exec(await res.text())?.[1])
    } catch (err) {
      // A keep-alive socket the server closed while wrk was running: try a fresh one.
      if (attempt >= 2) throw err
    }
  }
}

async function main(): Promise<void> {
  requireWrk()
  console.log('building the Worker (wrangler deploy --dry-run)…')
  buildWorker()
  const floor = new Miniflare({
    cf: false,
    host: '127.0.0.1',
    port: 0,
    modules: true,
    compatibilityDate: compatibilityDate(),
    script: 'export default { fetch() { return new Response("hello") } }',
  })
  const blog = new Miniflare({
    cf: false,
    host: '127.0.0.1',
    port: 0,
    ...blogWorker({
      ADMIN_TOKEN: TOKEN,
      SITE_TITLE: '基准站点',
      SITE_AUTHOR: '基准',
      CITE_KEY: 'bench',
      PAGE_SIZE: '10',
      // The seeding posts 200 comments in a second from one address: no fill-time or rate limit here.
      COMMENT_MIN_SECONDS: '0',
      COMMENT_RATE_LIMIT: '0',
    }),
  })
  try {
    const floorUrl = (await floor.ready).origin
    const base = (await blog.ready).origin
    const hot = await seed(base)
    const routes: [string, string, boolean][] = [
      ['floor (bare hello)', `${floorUrl}/`, false],
      ['health route', `${base}/api/health`, false],
      ['front page', `${base}/`, false],
      ['list page 20', `${base}/page/20`, false],
      [`post page (${COMMENTS} comments, counted view)`, `${base}/archives/${hot}`, true],
    ]
    const results: Result[] = []
    for (const connections of [50, 1]) {
      let floorRps = 0
      for (const [route, url, reader] of routes) {
        const before = reader ? await readerCount(base, hot) : 0
        const r = wrk(route, url, connections, reader)
        if (route.startsWith('floor')) floorRps = r.rps
        r.ratioToFloor = floorRps ? r.rps / floorRps : undefined
        results.push(r)
        console.log(
          `  ${route} c=${connections}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50ms.toFixed(2)} ms, p99 ${r.p99ms.toFixed(2)} ms` +
            (r.errors || r.non2xx ? ` (socket errors: ${r.errorKinds}; non-2xx: ${r.non2xx})` : ''),
        )
        if (reader) {
          const after = await readerCount(base, hot)
          // Both reads are views themselves; the one after the load is not wrk's.
          const counted = after - before - 1
          r.viewsCounted = counted
          console.log(
            `  reader count rose by ${counted} for ${r.requests} completed requests (up to ${connections} more were in flight when wrk stopped)`,
          )
        }
      }
    }
    console.log('\nroute                                        conns     req/s    p50 ms    p99 ms  vs floor  errors')
    for (const r of results) {
      console.log(
        `${r.route.padEnd(44)} ${String(r.connections).padStart(5)} ${r.rps.toFixed(0).padStart(9)} ${r.p50ms.toFixed(2).padStart(9)} ${r.p99ms.toFixed(2).padStart(9)} ${r.ratioToFloor !== undefined ? `${(r.ratioToFloor * 100).toFixed(0)}%`.padStart(9) : ''.padStart(9)} ${String(r.errors + r.non2xx).padStart(7)}`,
      )
    }
    const dir = join('bench', 'results')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
    writeFileSync(
      file,
      JSON.stringify({ date: new Date().toISOString(), posts: POSTS, comments: COMMENTS, seconds: SECONDS, results }, null, 2),
    )
    console.log(`\n${file}`)
  } finally {
    await blog.dispose()
    await floor.dispose()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
