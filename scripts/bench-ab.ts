/**
 * `npm run bench:ab -- <name>=<build dir> [<name>=<build dir> …]`: two or more builds of the Worker
 * side by side, for judging a change to a hot path by more than a run's noise. Each build is a
 * `npx wrangler deploy --dry-run --outdir <dir>` output (one of them usually HEAD's); each serves its
 * own copy of the state `npm run bench` seeded and kept (.bench/site-cache: run `npm run bench`
 * once first), in its own workerd process, with the bench's settings. Once every process is idle,
 * each route is warmed up on every build, then the builds take turns: BENCH_AB_ROUNDS rounds
 * (default 6) of BENCH_SECONDS (default 3) with wrk (one thread) at BENCH_AB_CONNECTIONS (default
 * 1), the order reversed every other round. It prints each run and then, per build and route, the
 * median req/s, p50 and workerd CPU per request (the process's, every thread), with each round's
 * req/s and the ratio to the first build's median.
 *
 * - BENCH_AB_PATHS: the routes, comma-separated (default `/archives/1000`, the hot post: a distinct
 *   reader per request, so every request is a counted view; other paths get a plain browser GET).
 * - BENCH_AB_COMPARE=1: brycedorn/blog's post page too, in the same rounds, when it is prepared at
 *   COMPARE_DIR (scripts/bench-compare.ts), and every build's ratio to it.
 * - Views go to the post's object, not to view shards: SHARD_ABOVE_VIEWS_PER_SECOND is raised to
 *   100000, because back-to-back rounds at c=1 run above the default threshold, which the bench's
 *   c=1 rounds (with their idle waits) stay below. BENCH_AB_SHARD_ABOVE sets it.
 *
 * - BENCH_DIRECT=1: every build (and brycedorn/blog) served by workerd on a socket of its own instead
 *   of through Miniflare's entry Worker, as in `npm run bench` (scripts/bench-state.ts).
 *
 * Only 127.0.0.1 is contacted; each run is bounded by its seconds, each idle wait by three minutes.
 */
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Miniflare } from 'miniflare'
import { compareAvailable, startCompare, type CompareServer } from './bench-compare'
import { BINDINGS, CACHE, dirBytes, miniflareFor, originOf, reportCutOff, runParent, SERVED } from './bench-state'
import { BROWSER_LUA, cpuMs, descendants, lpad, median, pad, processName, READER_LUA, requireWrk, waitUntilIdle, wrk } from './bench-wrk'

const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_AB_ROUNDS ?? 6)))
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const CONNECTIONS = Math.max(1, Math.floor(Number(process.env.BENCH_AB_CONNECTIONS ?? 1)))
const PATHS = (process.env.BENCH_AB_PATHS ?? '/archives/1000').split(',').filter(Boolean)
const SHARD_ABOVE = process.env.BENCH_AB_SHARD_ABOVE ?? '100000'

/** The builds named on the command line, `name=dir`; exits with the usage on anything else. */
function parseBuilds(args: readonly string[]): { name: string; dir: string }[] {
  const builds = args.map((arg) => {
    const at = arg.indexOf('=')
    // (A name is part of its state copy's directory name.)
    return at > 0 && /^[A-Za-z0-9_-]+$/.test(arg.slice(0, at)) ? { name: arg.slice(0, at), dir: arg.slice(at + 1) } : null
  })
  const names = new Set(builds.map((b) => b?.name))
  if (builds.length === 0 || builds.some((b) => b === null || !b.dir) || names.size !== builds.length) {
    throw new Error(
      'usage: npm run bench:ab -- <name>=<build dir> [<name>=<build dir> …] (distinct names of letters, digits, - and _; a build dir is `npx wrangler deploy --dry-run --outdir <dir>` output)',
    )
  }
  return builds as { name: string; dir: string }[]
}

interface Server {
  name: string
  url: string
  pid: number | undefined
  /** The paths it is measured on. */
  paths: string[]
  stop: () => Promise<void>
}

const workerds = () => new Set(descendants().filter((pid) => processName(pid) === 'workerd'))

async function startBuild(name: string, dir: string, stateDir: string, parent: string): Promise<Server> {
  const run = join(parent, `ab-${process.pid}-${name}`)
  rmSync(run, { recursive: true, force: true })
  cpSync(stateDir, run, { recursive: true })
  const before = workerds()
  let mf: Miniflare | null = null
  try {
    mf = miniflareFor(run, { ...BINDINGS, SHARD_ABOVE_VIEWS_PER_SECOND: SHARD_ABOVE }, dir)
    const url = await originOf(mf)
    const pid = [...workerds()].find((p) => !before.has(p))
    const started = mf
    return {
      name,
      url,
      pid,
      paths: PATHS,
      stop: async () => {
        await started.dispose()
        rmSync(run, { recursive: true, force: true })
      },
    }
  } catch (err) {
    await mf?.dispose()
    rmSync(run, { recursive: true, force: true })
    throw err
  }
}

async function main(): Promise<void> {
  const builds = parseBuilds(process.argv.slice(2))
  requireWrk()
  for (const b of builds) {
    if (!existsSync(join(b.dir, 'index.js')))
      throw new Error(`${b.name}: no ${join(b.dir, 'index.js')} (npx wrangler deploy --dry-run --outdir ${b.dir})`)
  }
  const kept = existsSync(CACHE) ? readdirSync(CACHE) : []
  if (kept.length !== 1) throw new Error(`no seeded state in ${CACHE}: run \`npm run bench\` once first`)
  const stateDir = join(CACHE, kept[0]!)
  const parent = runParent(dirBytes(stateDir) * builds.length)
  console.log(`state ${stateDir}, each build on its own copy in ${parent.dir} (${parent.why}); ${SERVED}`)

  const servers: Server[] = []
  const stopAll = async () => {
    for (const s of servers.splice(0)) await s.stop().catch((err: unknown) => console.error(`${s.name}: ${String(err)}`))
  }
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)))
  try {
    for (const b of builds) {
      const s = await startBuild(b.name, b.dir, stateDir, parent.dir)
      servers.push(s)
      console.log(`${s.name}: ${s.url}${s.pid === undefined ? ' (its workerd process not found: no CPU figures)' : ` (workerd ${s.pid})`}`)
    }
    if (process.env.BENCH_AB_COMPARE === '1' && compareAvailable()) {
      const before = workerds()
      const compare: CompareServer = await startCompare()
      servers.push({
        name: 'brycedorn/blog',
        url: compare.url,
        pid: [...workerds()].find((p) => !before.has(p)),
        paths: [compare.postPath],
        stop: compare.dispose,
      })
    }
    for (const s of servers) if (s.pid !== undefined) console.log(`${s.name}: idle after ${(await waitUntilIdle(s.pid)).toFixed(1)} s`)

    const lua = (path: string) => (path.startsWith('/archives/') ? READER_LUA : BROWSER_LUA)
    // (wrk's reader numbers start apart in every run, so no reader is seen twice: each request is a counted view.)
    let readers = 1_000_000
    const nextReaders = () => String((readers += 1_000_000))
    for (const s of servers) {
      for (const path of s.paths)
        await wrk({ route: path, url: s.url + path, connections: CONNECTIONS, seconds: 2, lua: lua(path), args: [nextReaders()] })
    }
    const results = new Map<string, { server: Server; path: string; rps: number[]; p50: number[]; cpu: number[]; errors: number }>()
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of round % 2 ? [...servers].reverse() : servers) {
        for (const path of s.paths) {
          const cpuBefore = s.pid === undefined ? NaN : cpuMs(s.pid)
          const w = await wrk({
            route: path,
            url: s.url + path,
            connections: CONNECTIONS,
            seconds: SECONDS,
            lua: lua(path),
            args: [nextReaders()],
          })
          const cpu = s.pid === undefined ? NaN : (cpuMs(s.pid) - cpuBefore) / Math.max(1, w.requests)
          const key = `${s.name} ${path}`
          const r = results.get(key) ?? { server: s, path, rps: [], p50: [], cpu: [], errors: 0 }
          r.rps.push(w.rps)
          r.p50.push(w.p50ms)
          r.cpu.push(cpu)
          r.errors += w.socketErrors + w.unexpected
          results.set(key, r)
          console.log(
            `round ${round + 1} ${pad(key, 40)} ${lpad(w.rps.toFixed(0), 6)} req/s  p50 ${w.p50ms.toFixed(2)} ms  CPU ${cpu.toFixed(3)} ms/req  errors ${w.socketErrors + w.unexpected}`,
          )
        }
      }
    }

    console.log(`\nmedians of ${ROUNDS} rounds of ${SECONDS} s at c=${CONNECTIONS}:`)
    const first = builds[0]!.name
    const theirs = [...results.values()].find((r) => r.server.name === 'brycedorn/blog')
    for (const [key, r] of results) {
      const base = results.get(`${first} ${r.path}`)
      const vsFirst =
        base && r.server.name !== first && r.server.name !== 'brycedorn/blog'
          ? `  ${(median(r.rps) / median(base.rps)).toFixed(3)}× ${first}`
          : ''
      const vsTheirs = theirs && r !== theirs ? `  ${(median(r.rps) / median(theirs.rps)).toFixed(1)}× brycedorn/blog's post page` : ''
      console.log(
        `${pad(key, 40)} ${lpad(median(r.rps).toFixed(0), 6)} req/s  p50 ${median(r.p50).toFixed(2)} ms  CPU ${median(r.cpu).toFixed(3)} ms/req  errors ${r.errors}  [${r.rps.map((x) => x.toFixed(0)).join(' ')}]${vsFirst}${vsTheirs}`,
      )
    }
    reportCutOff()
  } finally {
    await stopAll()
  }
}

if (process.argv[1] && /bench-ab\.ts$/.test(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
