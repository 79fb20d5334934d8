/**
 * `npm run bench`: the site's pages under load, against a bare "hello" Worker on the same runtime
 * in the same run (the floor), on a realistic seeded site.
 *
 * 1. builds the Worker exactly as `wrangler deploy` would (`--dry-run --outdir .bench/build-bench`);
 * 2. seeds the site of scripts/bench-site.ts (BENCH_POSTS = 1,000 math posts, BENCH_COMMENTS =
 *    10,000 comments, the hot post exactly 200) through the public API of the built Worker, in
 *    /dev/shm when it has room (then copied into the cache):
 *    `PUT /api/posts/:id?prerendered=1` (rendered here as `npm run render -- --publish` does,
 *    stored and flushed through the Site object by the Worker, 8 in flight),
 *    the hot post's 200 comments one by one through `POST /api/posts/:id/comments` from distinct
 *    visitors, the others through the comment importer (`POST /api/import/comments`, a Waline
 *    export). Seeding takes about 80 s of a run's 5 minutes on a 2-core machine, so the seeded
 *    state (Miniflare's KV and Durable Object files) is kept in `.bench/site-cache/<key>/`, keyed by
 *    the generated site itself and the code that decides what is stored (src/render, src/objects,
 *    src/search, src/storage/keys.ts, src/storage/records.ts, src/model.ts, package-lock.json);
 *    each run starts from a copy of it. BENCH_RESEED=1 seeds again;
 * 3. serves the Worker with the Miniflare API on 127.0.0.1 (not `wrangler dev`, whose proxy caps
 *    throughput; through Miniflare's entry Worker, or with BENCH_DIRECT=1 by workerd on a socket of
 *    the Worker's own, as are the floor and brycedorn/blog: scripts/bench-state.ts) on that copy,
 *    with the default settings (anti-spam included), next to the floor and, when prepared
 *    (COMPARE_DIR), brycedorn/blog (scripts/bench-compare.ts); waits until the blog's workerd
 *    process is idle (a kept state first deletes the chunks retired while seeding) and again
 *    before each route (the comment POSTs leave snapshot work behind);
 * 4. drives each route with wrk (one thread) at concurrency 50 and 1, in BENCH_ROUNDS rounds
 *    (default 3) of BENCH_SECONDS each (default 2): each round runs the floor and then every
 *    route, and a closing floor run follows the last round; each route is warmed up once, before
 *    its first run (c=50, round 1), unrecorded, for BENCH_WARMUP_SECONDS (default 1; not the
 *    comment POST): the same processes then serve c=1 (BENCH_ROUTES=feed,search measures only the routes
 *    whose names contain these); every request carries a browser user agent and Accept-Encoding
 *    (BROWSER_ENCODINGS, as Chrome sends it): the floor, /api/health, /, /page/20, the hot post (browser user agent, a distinct
 *    reader per request: every request is a counted view, checked against the exact count, and
 *    how many went through view shards is reported), the
 *    biggest category, search (a common Chinese word, an English prefix), the feed and the comment
 *    form's POST (distinct visitors, the form's signed time, expected 303). A route the Worker does
 *    not have yet (404 before the run) is skipped with a message;
 * 5. samples the resident memory (VmRSS) of the blog's workerd process (found through this
 *    process's children) during the c=50 runs;
 * 6. prints each run, then per route the median over the rounds of req/s, p50, p99 and the ratio
 *    to the floor (in each round, to the higher of the floor runs just before and just after it),
 *    errors (socket errors plus unexpected statuses, summed), the comparison, and writes everything
 *    (each round too) to bench/results/<time>.json (its path is the last line).
 *
 * Only 127.0.0.1 is contacted; every phase is bounded in time.
 */
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { siteConfig } from '../src/config'
import { postRenderOptions } from '../src/lib/render-options'
import { parseFrontMatter } from '../src/render/front-matter'
import { compareAvailable, measureCompare, startCompare, type CompareServer } from './bench-compare'
import { generateSite, SEED_REQUEST_TIMEOUT_MS, seedSite, ServerStoppedAnswering, type BenchSite, type SeedTimings } from './bench-site'
import {
  BROWSER_LUA,
  COMMENT_LUA,
  descendants,
  lpad,
  median,
  pad,
  processName,
  READER_LUA,
  requireWrk,
  cpuMs,
  machineTicks,
  waitUntilIdle,
  inspectIsolate,
  type IsolateHeap,
  rssKiB,
  sampleRss,
  wrk,
  type WrkResult,
} from './bench-wrk'
import { judgeTargets } from './bench-targets'
import { prerenderedPost } from './prerendered'
import {
  BINDINGS,
  CACHE,
  dirBytes,
  DIRECT_SOCKETS,
  miniflareFor,
  originOf,
  reportCutOff,
  runtimeStdioShown,
  runParent,
  SERVED,
  TOKEN,
} from './bench-state'
import { buildWorker, compatibilityDate } from './serve-built'
import { freePort } from './wrangler-dev'

const POSTS = Number(process.env.BENCH_POSTS ?? 1000)
const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 10_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2)
const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS ?? 3)))
/** An unrecorded run of each read route (and the floor) before its measured one; 0 turns it off. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1)
const SEED_CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 8)
const BUILD = join('.bench', 'build-bench')
const started = performance.now()

/**
 * Seeding's settings: the same, except that counts and the snapshot are pushed after 1 s instead of
 * 30 (neither is stored), so the seeded site settles (settled()) soon after the last comment.
 */
const SEED_BINDINGS = { ...BINDINGS, COUNT_PUSH_SECONDS: '1', SNAPSHOT_SECONDS: '1' }
/** Room asked of /dev/shm for seeding there (the seeded state is about 0.85 GB). */
const SEED_ROOM_BYTES = 1.5e9
const seedRenderOptions = postRenderOptions(siteConfig(SEED_BINDINGS))

/**
 * A bench post rendered here, as `npm run render -- <file> --publish` does (the `?prerendered=1`
 * body): the same renderer and options as the Worker's, so the stored post is the same, while the
 * rendering (about a quarter of the Worker's publishing work) runs on this process's core alongside
 * workerd's instead of on workerd's one thread.
 */
function prerender(markdown: string): unknown {
  return prerenderedPost(parseFrontMatter(markdown), seedRenderOptions).body
}

interface Row extends WrkResult {
  ratioToFloor?: number
  /** Post page only: how much the exact reader count rose during the run. */
  viewsCounted?: number
  /** Post page only: how many of those views went through view shards (the post was over SHARD_ABOVE_VIEWS_PER_SECOND). */
  viewsThroughShards?: number
  /** The blog isolate's heap right after the run (null: not measurable here). */
  heap?: IsolateHeap | null
  /** CPU time of the serving workerd process per completed request (all threads, from /proc), ms. */
  cpuMsPerRequest?: number
  /** Of the machine's CPU time during the run, the share the hypervisor gave to other machines (steal), %. */
  stealPercent?: number
  /** The runs behind a combined row (rps, p50 and p99 of each round, and its ratio to its floor). */
  rounds?: { rps: number; p50ms: number; p99ms: number; ratioToFloor: number; stealPercent?: number }[]
}

/**
 * One route's rounds as one row: the median req/s, p50, p99 and ratio to the floor; requests,
 * errors and counted views summed; CPU per request over all of them; the largest heap and steal seen.
 */
function combine(runs: Row[], ratios: number[]): Row {
  const first = runs[0]!
  const sum = (pick: (r: Row) => number | undefined) => runs.reduce((a, r) => a + (pick(r) ?? 0), 0)
  const requests = sum((r) => r.requests)
  const statuses: Record<string, number> = {}
  for (const r of runs) for (const [k, v] of Object.entries(r.statuses ?? {})) statuses[k] = (statuses[k] ?? 0) + v
  const heaps = runs.flatMap((r) => (r.heap ? [r.heap] : []))
  return {
    ...first,
    seconds: sum((r) => r.seconds),
    requests,
    rps: median(runs.map((r) => r.rps)),
    p50ms: median(runs.map((r) => r.p50ms)),
    p99ms: median(runs.map((r) => r.p99ms)),
    socketErrors: sum((r) => r.socketErrors),
    errorKinds: runs
      .map((r) => r.errorKinds)
      .filter((k) => k && !/^connect 0, read 0, write 0, timeout 0$/.test(k))
      .join('; '),
    non2xx3xx: sum((r) => r.non2xx3xx),
    statuses: first.statuses ? statuses : undefined,
    unexpected: sum((r) => r.unexpected),
    ratioToFloor: median(ratios),
    viewsCounted: first.viewsCounted !== undefined ? sum((r) => r.viewsCounted) : undefined,
    viewsThroughShards: first.viewsThroughShards !== undefined ? sum((r) => r.viewsThroughShards) : undefined,
    heap: heaps.length ? heaps.reduce((a, b) => (b.usedMiB > a.usedMiB ? b : a)) : first.heap,
    cpuMsPerRequest:
      runs.every((r) => r.cpuMsPerRequest !== undefined) && requests > 0
        ? sum((r) => (r.cpuMsPerRequest ?? 0) * r.requests) / requests
        : undefined,
    // (The highest of the rounds: a round the hypervisor slowed is what it explains.)
    stealPercent: runs.some((r) => r.stealPercent !== undefined) ? Math.max(...runs.map((r) => r.stealPercent ?? 0)) : undefined,
    rounds: runs.map((r, i) => ({ rps: r.rps, p50ms: r.p50ms, p99ms: r.p99ms, ratioToFloor: ratios[i]!, stealPercent: r.stealPercent })),
  }
}

const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  if (statSync(dir).isFile()) return [dir]
  return readdirSync(dir)
    .sort()
    .flatMap((f) => filesUnder(join(dir, f)))
}

/** What the seeded state depends on: the generated site itself and the code that writes storage. */
function stateKey(site: BenchSite): string {
  const h = createHash('sha256')
  h.update(JSON.stringify({ v: 1, posts: site.posts.map((p) => p.markdown), comments: site.comments }))
  const inputs = [
    'src/render',
    'src/objects',
    'src/search',
    'src/storage/keys.ts',
    'src/storage/records.ts',
    'src/storage/feed-items.ts',
    'src/model.ts',
    'package-lock.json',
  ]
  for (const file of inputs.flatMap(filesUnder)) h.update(file).update(readFileSync(file))
  return h.digest('hex').slice(0, 16)
}

/** Waits until the site snapshot shows every post and the hot post's comments (alarms have run). */
async function settled(mf: Miniflare, site: BenchSite, limitMs: number): Promise<boolean> {
  // (Miniflare's KV type needs the Workers types, which the scripts do not load.)
  const kv = (await mf.getKVNamespace('POSTS')) as unknown as { get(key: string, type: 'json'): Promise<unknown> }
  const hotComments = site.comments.filter((c) => c.postId === site.hot).length
  const until = Date.now() + limitMs
  while (Date.now() < until) {
    // Each read gets as long as a seeding request (retryingFetch): a workerd stuck in its loop never answers.
    let timer: NodeJS.Timeout | undefined
    const stuck = new Promise<never>((_, reject) => {
      const why = `reading the site snapshot: no answer within ${SEED_REQUEST_TIMEOUT_MS / 1000} s`
      timer = setTimeout(() => reject(new ServerStoppedAnswering(why)), SEED_REQUEST_TIMEOUT_MS)
    })
    const snap = (await Promise.race([kv.get('v1:site', 'json'), stuck]).finally(() => clearTimeout(timer))) as {
      total?: number
      counts?: Record<string, [number, number]>
    } | null
    if (snap?.total === site.posts.length && snap.counts?.[site.hot]?.[1] === hotComments) return true
    await new Promise((r) => setTimeout(r, 1000))
  }
  return false
}

interface SeedMeta {
  key: string
  date: string
  posts: number
  comments: number
  timings: SeedTimings
}

/** The seeded state's directory: from the cache, or seeded now (and cached). */
async function seededState(site: BenchSite): Promise<{ dir: string; meta: SeedMeta; cached: boolean }> {
  const key = stateKey(site)
  const dir = join(CACHE, key)
  const metaFile = join(dir, 'meta.json')
  if (existsSync(metaFile) && !process.env.BENCH_RESEED) {
    return { dir, meta: JSON.parse(readFileSync(metaFile, 'utf8')) as SeedMeta, cached: true }
  }
  // A workerd that stops answering while seeding (ServerStoppedAnswering) is killed. Stopped while
  // publishing, a new one goes on from the posts the state already holds (SeedProgress); stopped
  // later (the comments, the snapshot), the site is seeded again from the start. Twice at most.
  const progress: SeedProgress = { published: new Set(), resume: false }
  for (let attempt = 1; ; attempt++) {
    try {
      return await seedState(site, key, dir, metaFile, progress)
    } catch (err) {
      const stopped = err instanceof ServerStoppedAnswering && attempt < 3
      if (!stopped || progress.published.size === site.posts.length) {
        rmSync(dir, { recursive: true, force: true })
        if (progress.seedDir) rmSync(progress.seedDir, { recursive: true, force: true })
      }
      if (!stopped) throw err
      progress.resume = progress.published.size < site.posts.length
      if (!progress.resume) progress.published.clear()
      const next = progress.resume ? `going on from the ${progress.published.size} posts it had published` : 'seeding again'
      console.log(`  the seeding workerd stopped answering (${err.message}): killed it; ${next}`)
    }
  }
}

/** What a seeding cut short leaves for the next try. */
interface SeedProgress {
  /** The posts the seeding state holds (their PUT was answered). */
  published: Set<string>
  /** Go on with the last try's state (it stopped while publishing) instead of starting afresh. */
  resume: boolean
  /** That state's directory. */
  seedDir?: string
}

async function seedState(
  site: BenchSite,
  key: string,
  dir: string,
  metaFile: string,
  progress: SeedProgress,
): Promise<{ dir: string; meta: SeedMeta; cached: boolean }> {
  let seedDir = progress.seedDir
  if (!progress.resume || !seedDir) {
    rmSync(CACHE, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    // Seeded in memory when there is room (no disk fsync per commit), then copied into the cache.
    const parent = runParent(SEED_ROOM_BYTES)
    seedDir = parent.dir === '.bench' ? dir : join(parent.dir, `seed-${process.pid}`)
    if (seedDir !== dir) rmSync(seedDir, { recursive: true, force: true })
    progress.seedDir = seedDir
    progress.published.clear()
    console.log(`seeding ${site.posts.length} posts and ${site.comments.length} comments (state key ${key}) in ${seedDir}…`)
  }
  const before = workerds()
  const mf = miniflareFor(seedDir, SEED_BINDINGS, BUILD)
  let pid: number | undefined
  try {
    const base = (await mf.ready).origin.replace(/\/$/, '')
    pid = [...workerds()].find((p) => !before.has(p))
    const { published } = progress
    const already = published.size
    const timings = await seedSite(base, TOKEN, site, { concurrency: SEED_CONCURRENCY, log: console.log, prerender, published })
    const now = site.posts.length - already
    console.log(
      `  posts: ${timings.postsSeconds.toFixed(1)} s (${(now / timings.postsSeconds).toFixed(1)} publishes/s with ${SEED_CONCURRENCY} in flight` +
        `${already ? ` for the ${now} after the ${already} of the last try` : ''}; ` +
        `one PUT p50 ${timings.publishP50ms.toFixed(0)} ms, max ${timings.publishMaxms.toFixed(0)} ms)`,
    )
    console.log(
      `  comments: ${timings.commentsSeconds.toFixed(1)} s (${timings.importedComments} imported in ${timings.importSeconds.toFixed(1)} s, ` +
        `${timings.postedComments} posted through the API)`,
    )
    if (!(await settled(mf, site, 90_000))) throw new Error('the site snapshot did not settle within 90 s of seeding')
    const meta: SeedMeta = { key, date: new Date().toISOString(), posts: site.posts.length, comments: site.comments.length, timings }
    await mf.dispose()
    if (seedDir !== dir) {
      cpSync(seedDir, dir, { recursive: true })
      rmSync(seedDir, { recursive: true, force: true })
    }
    writeFileSync(metaFile, JSON.stringify(meta, null, 2))
    return { dir, meta, cached: false }
  } catch (err) {
    // (A workerd stuck in its loop does not handle the signal Miniflare stops it with.) The state
    // stays for the caller, who goes on with it or removes it.
    if (err instanceof ServerStoppedAnswering && pid !== undefined) process.kill(pid, 'SIGKILL')
    await mf.dispose()
    throw err
  }
}

/** The workerd processes under this process now. */
function workerds(): Set<number> {
  return new Set(descendants().filter((pid) => processName(pid) === 'workerd'))
}

let checks = 0

/** Views of the post that came through view shards, all time (GET /api/stats?post=…). */
async function shardViews(base: string, id: string): Promise<number> {
  const res = await fetch(`${base}/api/stats?post=${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${TOKEN}` } })
  if (!res.ok) throw new Error(`GET /api/stats?post=${id}: HTTP ${res.status}`)
  return ((await res.json()) as { shardViews: number }).shardViews
}

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

interface Route {
  name: string
  path: string
  kind: 'floor' | 'read' | 'reader' | 'comment'
  lua?: string
}

async function main(): Promise<void> {
  requireWrk()
  console.log('building the Worker (wrangler deploy --dry-run)…')
  buildWorker(BUILD)
  const site = generateSite({ posts: POSTS, comments: COMMENTS })
  const state = await seededState(site)
  const t = state.meta.timings
  console.log(
    `site: ${state.meta.posts} posts, ${state.meta.comments} comments (hot post ${site.hot}: 200), ` +
      (state.cached ? `seeded ${state.meta.date} (cached state ${state.meta.key}; ` : 'seeded now (') +
      `publishing took ${t.postsSeconds.toFixed(0)} s, comments ${t.commentsSeconds.toFixed(0)} s)`,
  )
  const parent = runParent(dirBytes(state.dir))
  const run = join(parent.dir, `run-${process.pid}`)
  rmSync(run, { recursive: true, force: true })
  cpSync(state.dir, run, { recursive: true })
  console.log(`serving a copy of it from ${run} (${parent.why}), ${SERVED}`)

  const floor = new Miniflare({
    cf: false,
    logRequests: false,
    handleRuntimeStdio: runtimeStdioShown,
    host: '127.0.0.1',
    port: 0,
    modules: true,
    compatibilityDate: compatibilityDate(),
    script: 'export default { fetch() { return new Response("hello") } }',
    ...DIRECT_SOCKETS,
  })
  // Each Miniflare runs its own workerd process; the blog's is the one that appears after the floor's is up.
  const floorUrl = await originOf(floor)
  const before = workerds()
  // The inspector answers the blog isolate's heap size between routes (inspectIsolate).
  const inspectorPort = await freePort()
  const blog = miniflareFor(run, BINDINGS, BUILD, inspectorPort)
  let compare: CompareServer | null = null
  let blogPid: number | undefined
  try {
    const base = await originOf(blog)
    const blogPids = [...workerds()].filter((pid) => !before.has(pid))
    blogPid = blogPids.length === 1 ? blogPids[0] : undefined
    const floorPid = before.size === 1 ? [...before][0] : undefined
    if (blogPid === undefined) console.log('note: could not find the blog\u2019s workerd process; memory is not reported')
    if (!(await settled(blog, site, 60_000))) console.log('note: the site snapshot has not settled; counts on list pages may lag')
    if (blogPid !== undefined) {
      // Wakes the Site object (its alarm deletes the chunks retired while seeding) and lets it finish.
      await fetch(`${base}/api/health`)
      console.log(`background work finished after ${(await waitUntilIdle(blogPid)).toFixed(0)} s (measuring an idle site)`)
    }
    if (compareAvailable()) compare = await startCompare()

    const routes: Route[] = [
      { name: 'floor (bare hello)', path: '/', kind: 'floor' },
      { name: '/api/health', path: '/api/health', kind: 'read' },
      { name: '/ front page', path: '/', kind: 'read' },
      { name: '/page/20', path: '/page/20', kind: 'read' },
      { name: `/archives/${site.hot} (200 comments, counted)`, path: `/archives/${site.hot}`, kind: 'reader', lua: READER_LUA },
      { name: `/category/${site.category}`, path: `/category/${site.category}`, kind: 'read' },
      { name: `/search?q=${site.searchZh}`, path: `/search?q=${encodeURIComponent(site.searchZh)}`, kind: 'read' },
      { name: `/search?q=${site.searchEn}`, path: `/search?q=${site.searchEn}`, kind: 'read' },
      { name: '/feed', path: '/feed', kind: 'read' },
      { name: `POST /archives/${site.commentTarget}/comments`, path: `/archives/${site.commentTarget}/comments`, kind: 'comment' },
    ]
    // A route the Worker does not serve yet (search and feeds are being added) is skipped, not failed.
    const skipped: { route: string; status: number }[] = []
    const active: Route[] = []
    // BENCH_ROUTES=feed,search: only the routes whose name contains one of these (and the floor).
    const only = (process.env.BENCH_ROUTES ?? '').split(',').filter(Boolean)
    for (const r of routes) {
      if (only.length > 0 && r.kind !== 'floor' && !only.some((part) => r.name.includes(part))) continue
      if (r.kind === 'floor' || r.kind === 'comment') {
        active.push(r)
        continue
      }
      const res = await fetch(base + r.path, { headers: { 'user-agent': 'Mozilla/5.0 Chrome/156.0', 'cf-connecting-ip': '192.0.2.250' } })
      await res.arrayBuffer()
      if (res.status === 200) active.push(r)
      else {
        skipped.push({ route: r.path, status: res.status })
        console.log(
          `skipped ${r.path}: HTTP ${res.status} before the run (${res.status === 404 ? 'not in this build yet' : 'unexpected status'})`,
        )
      }
    }

    // The comment form's signed render time, as the post page embeds it (GET /api/comments/form
    // gives the same value to API clients); posting needs it to be COMMENT_MIN_SECONDS old, which it
    // is by the time the POST runs (the read routes come first).
    const form = (await (await fetch(`${base}/api/comments/form`)).json()) as { ts: string; minSeconds: number }

    const rows: Row[] = []
    const inspector = await inspectIsolate(inspectorPort, 'blog').catch((err: unknown) => {
      console.log(`note: the blog isolate's heap is not measured (${String(err)})`)
      return null
    })
    let memory = { peakKiB: NaN, lastKiB: NaN, samples: 0 }
    const idleKiB = blogPid !== undefined ? rssKiB(blogPid) : NaN
    let visitors = 0
    let runs = 0
    /** Routes (and brycedorn/blog) already warmed up: at c=50, which runs first; c=1 then finds them warm. */
    const warmed = new Set<string>()
    /** One wrk run of route `r` at `connections` (round `round`, 1-based), with its checks and counters. */
    const measure = async (r: Route, connections: number, round: number): Promise<Row> => {
      const url = (r.kind === 'floor' ? floorUrl : base) + r.path
      // Work an earlier route left in the blog's objects (snapshots after the comment POSTs) would
      // run during this one: each run starts on an idle process.
      if (blogPid !== undefined) {
        const waited = await waitUntilIdle(blogPid, 60_000)
        if (waited >= 2) console.log(`  (waited ${waited.toFixed(1)} s for the blog's background work to finish)`)
      }
      const readers = ++runs * 4_000_000
      // A read route (or the floor) for `seconds`; post-page readers numbered from `first`.
      const readRun = (seconds: number, first: number) =>
        wrk({
          route: r.name,
          url,
          connections,
          seconds,
          lua: r.kind === 'reader' ? READER_LUA : BROWSER_LUA,
          args: r.kind === 'reader' ? [String(first)] : undefined,
        })
      if (r.kind !== 'comment' && WARMUP_SECONDS > 0 && !warmed.has(r.name)) {
        // Not recorded: V8 optimises the route's code and the isolate keeps what it reuses (a list
        // page's rendering, a post's template), as for any page that is hot in production; the
        // floor is warmed alike. (The comment POST is left out: each one stores a comment.)
        // Readers of its own, so the measured run's readers are all new. Once per route: the
        // same processes serve both concurrencies.
        warmed.add(r.name)
        const warm = await readRun(WARMUP_SECONDS, readers + 2_000_000)
        if (warm.socketErrors || warm.unexpected)
          console.log(`  (warm-up of ${r.name}: socket errors ${warm.errorKinds}; unexpected statuses ${warm.unexpected})`)
      }
      let result: WrkResult
      let viewsBefore = 0
      let shardViewsBefore = 0
      if (r.kind === 'reader') {
        viewsBefore = await readerCount(base, site.hot)
        shardViewsBefore = await shardViews(base, site.hot)
      }
      const servingPid = r.kind === 'floor' ? floorPid : blogPid
      const cpuBefore = servingPid !== undefined ? cpuMs(servingPid) : NaN
      const ticksBefore = machineTicks()
      const startedAt = Date.now()
      if (r.kind === 'comment') {
        const age = Date.now() - Number(form.ts.split('.')[0])
        if (age < form.minSeconds * 1000) await new Promise((res) => setTimeout(res, form.minSeconds * 1000 - age + 50))
        visitors += 1_000_000
        result = await wrk({
          route: r.name,
          url,
          connections,
          seconds: SECONDS,
          lua: COMMENT_LUA,
          args: [base, form.ts, String(visitors)],
          method: 'POST',
          expected: '303',
        })
      } else {
        result = await readRun(SECONDS, readers)
      }
      const row: Row = result
      if (row.requests === 0) {
        // No answer at all in the whole run: the requests in flight count as errors, and a server
        // that no longer answers ends the run here, saying so (nothing after it could be measured).
        row.socketErrors += connections
        row.errorKinds += `; no answer to ${connections} requests in ${SECONDS} s`
        const answers = await fetch(url, { signal: AbortSignal.timeout(10_000) }).then(
          (res) => res.arrayBuffer().then(() => true),
          () => false,
        )
        if (!answers) {
          const busy =
            servingPid !== undefined
              ? `; its workerd process (pid ${servingPid}) used ${((100 * (cpuMs(servingPid) - cpuBefore)) / (Date.now() - startedAt)).toFixed(0)}% of a core meanwhile`
              : ''
          throw new Error(
            `${r.name} did not answer in ${SECONDS} s nor within 10 s after${busy}: the server stopped answering, so the run stops here`,
          )
        }
      }
      if (servingPid !== undefined && row.requests > 0) row.cpuMsPerRequest = (cpuMs(servingPid) - cpuBefore) / row.requests
      const ticksAfter = machineTicks()
      if (ticksAfter.total > ticksBefore.total)
        row.stealPercent = (100 * (ticksAfter.steal - ticksBefore.steal)) / (ticksAfter.total - ticksBefore.total)
      if (r.kind !== 'floor' && inspector) row.heap = await inspector.heap().catch(() => null)
      if (r.kind === 'reader') {
        const after = await readerCount(base, site.hot)
        row.viewsCounted = after - viewsBefore - 1
        row.viewsThroughShards = (await shardViews(base, site.hot)) - shardViewsBefore
      }
      console.log(
        `  c=${connections} round ${round} ${pad(r.name, 44)} ${lpad(row.rps.toFixed(0), 6)} req/s  p50 ${row.p50ms.toFixed(2)} ms  p99 ${row.p99ms.toFixed(2)} ms` +
          (row.cpuMsPerRequest !== undefined ? `  workerd CPU ${row.cpuMsPerRequest.toFixed(2)} ms/req` : '') +
          (row.stealPercent !== undefined ? `  steal ${row.stealPercent.toFixed(1)}%` : '') +
          (row.socketErrors || row.unexpected
            ? `  (socket errors: ${row.errorKinds}; unexpected statuses: ${row.unexpected}${row.statuses ? ` ${JSON.stringify(row.statuses)}` : ''})`
            : '') +
          (row.viewsCounted !== undefined
            ? `  [count rose by ${row.viewsCounted} for ${row.requests} completed requests; up to ${connections} more were in flight when wrk stopped;` +
              ` ${row.viewsThroughShards} of the views went through view shards]`
            : ''),
      )
      return row
    }

    const floorRoute = active.find((r) => r.kind === 'floor')!
    for (const connections of [50, 1]) {
      const sampler = connections === 50 && blogPid !== undefined ? sampleRss(blogPid) : null
      // BENCH_ROUNDS rounds, each the floor and then every route; a closing floor run after the last.
      // A route's ratio in a round is to the higher of the floor runs just before and just after it,
      // and each figure reported is the median over the rounds: the machine's speed drifts over a
      // run (the floor alone has moved by 2x between runs), and a route measured next to its own
      // floor, several times, is compared with what the machine could do at that moment.
      const floors: Row[] = []
      const byRoute = new Map<Route, Row[]>()
      // brycedorn/blog's two pages, in every round too (after ours), so their figures are the same
      // medians as ours; warmed up in the first round as our routes are.
      const theirs = new Map<string, Row[]>()
      for (let round = 1; round <= ROUNDS; round++) {
        floors.push(await measure(floorRoute, connections, round))
        for (const r of active) {
          if (r.kind === 'floor') continue
          const list = byRoute.get(r) ?? []
          list.push(await measure(r, connections, round))
          byRoute.set(r, list)
        }
        if (compare) {
          if (WARMUP_SECONDS > 0 && !warmed.has('brycedorn/blog')) {
            warmed.add('brycedorn/blog')
            await measureCompare(compare, connections, WARMUP_SECONDS)
          }
          for (const r of await measureCompare(compare, connections, SECONDS)) {
            theirs.set(r.route, [...(theirs.get(r.route) ?? []), r])
            console.log(
              `  c=${connections} round ${round} ${pad(r.route, 44)} ${lpad(r.rps.toFixed(0), 6)} req/s  p50 ${r.p50ms.toFixed(2)} ms  p99 ${r.p99ms.toFixed(2)} ms`,
            )
          }
        }
      }
      floors.push(await measure(floorRoute, connections, ROUNDS + 1))
      if (sampler) memory = sampler.stop()
      rows.push(
        combine(
          floors,
          floors.map((f) => f.rps / Math.max(...floors.map((x) => x.rps))),
        ),
      )
      for (const list of byRoute.values()) {
        rows.push(
          combine(
            list,
            list.map((row, i) => row.rps / Math.max(floors[i]!.rps, floors[i + 1]!.rps)),
          ),
        )
      }
      for (const list of theirs.values()) {
        // (No ratio to our floor: it is another blog, compared with ours below.)
        rows.push({
          ...combine(
            list,
            list.map(() => NaN),
          ),
          ratioToFloor: undefined,
        })
      }
    }
    const endKiB = blogPid !== undefined ? rssKiB(blogPid) : NaN
    // Once, at the end: a full collection shows what the isolate keeps after all the load. The
    // inspector has left this unanswered for 30 s in some runs, with the isolate idle; a request
    // every half second while it waits keeps the isolate's thread turning (its answers are not used).
    let poking = inspector !== null
    const poke = (async () => {
      while (poking) {
        await fetch(`${base}/api/health`)
          .then((res) => res.arrayBuffer())
          .catch(() => undefined)
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
    })()
    const kept = inspector
      ? await inspector.heap(true).catch((err: unknown) => {
          console.log(`note: the isolate's heap after a full collection is not measured (${String(err)})`)
          return null
        })
      : null
    poking = false
    await poke
    inspector?.close()

    // Our read routes against the comparison blog's pages at the same concurrency.
    const comparison: { route: string; connections: number; rps: number; vsFront: number; vsPost: number }[] = []
    if (compare) {
      for (const connections of [50, 1]) {
        const theirs = rows.filter((r) => r.connections === connections && r.route.startsWith('brycedorn'))
        const front = theirs.find((r) => r.route.includes('front'))?.rps ?? NaN
        const post = theirs.find((r) => r.route.includes('post'))?.rps ?? NaN
        for (const r of rows.filter(
          (x) => x.connections === connections && x.method === 'GET' && !x.route.startsWith('floor') && !x.route.startsWith('brycedorn'),
        )) {
          comparison.push({ route: r.route, connections, rps: r.rps, vsFront: r.rps / front, vsPost: r.rps / post })
        }
      }
    }

    console.log(
      `\nmedians of ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} of ${SECONDS} s per route (the floor: ${ROUNDS + 1} runs; "vs floor" is the median of each round's ratio to the floor runs around it; errors are summed; brycedorn/blog's pages too, each round after ours)`,
    )
    console.log(
      `${pad('route', 46)} ${lpad('c', 3)} ${lpad('req/s', 8)} ${lpad('p50 ms', 9)} ${lpad('p99 ms', 9)} ${lpad('vs floor', 9)} ${lpad('errors', 7)} ${lpad('CPU ms/req', 11)} ${lpad('steal', 6)}`,
    )
    for (const r of rows) {
      console.log(
        `${pad(r.route, 46)} ${lpad(String(r.connections), 3)} ${lpad(r.rps.toFixed(0), 8)} ${lpad(r.p50ms.toFixed(2), 9)} ${lpad(r.p99ms.toFixed(2), 9)} ` +
          `${lpad(r.ratioToFloor !== undefined ? `${(r.ratioToFloor * 100).toFixed(0)}%` : '', 9)} ${lpad(String(r.socketErrors + r.unexpected), 7)} ` +
          `${lpad(r.cpuMsPerRequest !== undefined ? r.cpuMsPerRequest.toFixed(2) : '', 11)} ` +
          `${lpad(r.stealPercent !== undefined ? `${r.stealPercent.toFixed(1)}%` : '', 6)}`,
      )
    }
    console.log(
      'CPU ms/req: CPU time of the serving workerd process (every thread: the Worker, its Durable Objects, Miniflare\u2019s KV simulator, HTTP) per completed request; ' +
        'the floor\u2019s is the runtime\u2019s own share. workerd freezes the clocks inside the Worker, so this is measured from outside (/proc). ' +
        'steal: the highest share of the machine\u2019s CPU time in any of the rounds that the hypervisor gave to other virtual machines (/proc/stat).',
    )
    const errors = rows.filter((r) => r.unexpected > 0)
    for (const r of errors) {
      console.log(
        `unexpected statuses on ${r.method} ${r.path} at c=${r.connections}: ${r.statuses ? JSON.stringify(r.statuses) : `${r.unexpected} non-2xx/3xx`} (expected ${r.expected})`,
      )
    }
    if (skipped.length) console.log(`skipped (not served by this build): ${skipped.map((s) => `${s.route} (${s.status})`).join(', ')}`)
    console.log(
      `relaxed: nothing. The blog runs with the default anti-spam settings (COMMENT_MIN_SECONDS=3, COMMENT_RATE_LIMIT=5/60): ` +
        `every comment comes from a distinct visitor address with the form's signed time, aged past 3 s; seeding imports all but the hot post's comments (admin import, no per-visitor checks).`,
    )
    const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`
    if (blogPid !== undefined) {
      console.log(
        `memory (workerd VmRSS, pid ${blogPid}): ${mib(idleKiB)} before the load, peak ${mib(memory.peakKiB)} during the c=50 runs (${memory.samples} samples), ${mib(endKiB)} at the end. ` +
          `One process holds every isolate and object of the site, so this bounds what one isolate uses (the limit is 128 MB per isolate).`,
      )
    }
    const heaps = rows.flatMap((r) => (r.heap ? [r.heap] : []))
    const heapPeak = heaps.length
      ? {
          usedMiB: Math.max(...heaps.map((h) => h.usedMiB)),
          totalMiB: Math.max(...heaps.map((h) => h.totalMiB)),
          backingMiB: Math.max(...heaps.map((h) => h.backingMiB)),
          samples: heaps.length,
        }
      : null
    console.log(
      heapPeak
        ? `isolate heap (the blog's isolate: the Worker and its Durable Objects, through the inspector; the limit is 128 MB): right after the routes at most ` +
            `${heapPeak.usedMiB.toFixed(1)} MiB used (garbage included: V8 collects lazily), ${heapPeak.backingMiB.toFixed(1)} MiB of ArrayBuffers, ` +
            `${heapPeak.totalMiB.toFixed(1)} MiB reserved (${heapPeak.samples} samples)` +
            (kept
              ? `; after a full collection at the end ${kept.usedMiB.toFixed(1)} MiB used, ${kept.backingMiB.toFixed(1)} MiB of ArrayBuffers.`
              : '.')
        : 'isolate heap: not measured (it needs a global WebSocket: Node 22, or Node 20 with --experimental-websocket as npm run bench sets; and the blog isolate among the inspector targets).',
    )
    if (compare && comparison.length) {
      console.log('\nvs brycedorn/blog (same machine, same run):')
      for (const c of comparison) {
        console.log(
          `  c=${c.connections} ${pad(c.route, 44)} ${lpad(c.vsFront.toFixed(1), 6)}× its front page  ${lpad(c.vsPost.toFixed(1), 6)}× its post page`,
        )
      }
    }
    const targets = judgeTargets({
      rows,
      heapPeakMiB: heapPeak?.usedMiB ?? null,
      heapKeptMiB: kept?.usedMiB ?? null,
      wallSeconds: (performance.now() - started) / 1000,
    })
    console.log(`\nissue 8's targets in this run: ${targets.filter((t) => t.met).length} of ${targets.length} met`)
    for (const t of targets) console.log(`  ${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${t.detail}`)
    const dir = join('bench', 'results')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
    writeFileSync(
      file,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          seconds: SECONDS,
          rounds: ROUNDS,
          site: {
            posts: state.meta.posts,
            comments: state.meta.comments,
            hot: site.hot,
            category: site.category,
            commentTarget: site.commentTarget,
            seededAt: state.meta.date,
            cachedState: state.cached,
            seeding: state.meta.timings,
          },
          settings: BINDINGS,
          stateCopy: run,
          stateCopyWhere: parent.why,
          served: SERVED,
          relaxed: [],
          skipped,
          memory: {
            pid: blogPid,
            idleKiB,
            peakKiBDuringC50: memory.peakKiB,
            endKiB,
            samples: memory.samples,
            isolateHeapPeak: heapPeak,
            isolateHeapKept: kept,
          },
          results: rows,
          comparison,
          targets,
          wallSeconds: (performance.now() - started) / 1000,
        },
        null,
        2,
      ),
    )
    reportCutOff()
    console.log(`\ntotal ${elapsed()}`)
    console.log(file)
  } finally {
    if (compare) await compare.dispose()
    // A workerd stuck in its loop (see seededState) does not handle the signal Miniflare stops it with.
    const stopped = await Promise.race([
      blog.dispose().then(
        () => true,
        () => true,
      ),
      // (unref: a normal stop does not wait for this timer.)
      new Promise<false>((r) => setTimeout(() => r(false), 10_000).unref()),
    ])
    if (!stopped && blogPid !== undefined) {
      console.log(`the blog's workerd (pid ${blogPid}) did not stop within 10 s: killed it`)
      try {
        process.kill(blogPid, 'SIGKILL')
      } catch {
        // (It stopped meanwhile.)
      }
    }
    await floor.dispose()
    rmSync(run, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
