/**
 * `npm run bench:bundle`: what the deploy uploads and how fast it starts.
 *
 * 1. Size: builds with `wrangler deploy --dry-run --outdir .bench/build-bundle` and gzips every file
 *    of the output with node:zlib (level 9 and the default level 6). Cloudflare's limit (3 MiB on
 *    Free, 10 MiB on Paid, gzipped) applies to the script; the budget is 1 MiB gzipped. The
 *    source map is uploaded beside the script and does not count towards it; both are reported.
 * 2. Cold start: BUNDLE_RUNS (default 5) times, starts a fresh Miniflare (a new workerd process)
 *    with the built script and its bindings and times until the first response to
 *    `GET /api/health`, and separately until the first `GET /` on the empty site (which also opens
 *    KV); the same for a bare "hello" Worker with the same KV binding, so the bundle's own share is
 *    the difference. Medians. The script is handed to Miniflare as its one module, with its text:
 *    given a `scriptPath` and `modules: true`, Miniflare first parses the script in Node to find its
 *    imports (~0.55 s for this 1 MB bundle here), which is Miniflare's start, not the runtime's, and
 *    was counted as the bundle's until 2026-11-27.
 * 3. Startup CPU: `wrangler check startup` (Wrangler's own profiler: it evaluates the bundle in
 *    workerd with the inspector on and writes a .cpuprofile); we sum the profile's non-idle
 *    samples, BUNDLE_RUNS times, and print the median. Cloudflare rejects a Worker whose startup
 *    exceeds 1 s of CPU (400 ms before 2025).
 *
 * Everything runs on 127.0.0.1; bounded (a start that takes more than 30 s fails).
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { Log, LogLevel, Miniflare } from 'miniflare'
import { median } from './bench-wrk'
import { blogWorker, buildWorker, compatibilityDate } from './serve-built'

const DIR = join('.bench', 'build-bundle')
const RUNS = Math.max(1, Number(process.env.BUNDLE_RUNS ?? 5))
const LIMIT = 1024 * 1024

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`

async function coldStart(options: () => ConstructorParameters<typeof Miniflare>[0], path: string, anyStatus = false): Promise<number> {
  const t0 = performance.now()
  const mf = new Miniflare(options())
  try {
    const url = (await mf.ready).origin.replace(/\/$/, '')
    const res = await fetch(url + path, { signal: AbortSignal.timeout(30_000) })
    await res.arrayBuffer()
    if (res.status !== 200 && !anyStatus) throw new Error(`GET ${path}: HTTP ${res.status}`)
    return performance.now() - t0
  } finally {
    await mf.dispose()
  }
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string }
}

/** Non-idle CPU time of a V8 .cpuprofile, in ms. */
function profileCpuMs(file: string): { cpu: number; wall: number } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[]
    samples: number[]
    timeDeltas: number[]
    startTime: number
    endTime: number
  }
  const names = new Map(p.nodes.map((n) => [n.id, n.callFrame.functionName]))
  let cpu = 0
  p.samples.forEach((id, i) => {
    if (names.get(id) !== '(idle)') cpu += p.timeDeltas[i + 1] ?? 0
  })
  return { cpu: cpu / 1000, wall: (p.endTime - p.startTime) / 1000 }
}

async function main(): Promise<void> {
  console.log('building (wrangler deploy --dry-run --outdir .bench/build-bundle)…')
  buildWorker(DIR)
  let script = 0
  let scriptGz = 0
  let all = 0
  let allGz = 0
  for (const f of readdirSync(DIR).sort()) {
    const path = join(DIR, f)
    if (!statSync(path).isFile()) continue
    const data = readFileSync(path)
    const gz9 = gzipSync(data, { level: 9 }).length
    const gz6 = gzipSync(data).length
    console.log(`  ${f.padEnd(14)} ${kib(data.length).padStart(11)}  gzip -9 ${kib(gz9).padStart(10)}  gzip -6 ${kib(gz6).padStart(10)}`)
    all += data.length
    allGz += gz9
    if (f.endsWith('.js')) {
      script += data.length
      scriptGz += gz9
    }
  }
  console.log(
    `script: ${kib(script)}, ${kib(scriptGz)} gzipped (${((scriptGz / LIMIT) * 100).toFixed(0)}% of the 1 MiB budget: ${scriptGz < LIMIT ? 'under' : 'OVER'}); ` +
      `with the source map and the rest of the output: ${kib(all)}, ${kib(allGz)} gzipped`,
  )

  const base = {
    cf: false,
    host: '127.0.0.1',
    port: 0,
    log: new Log(LogLevel.WARN),
    // The Worker's error lines for the 500s of the variant without objects are expected: not shown.
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      stdout.resume()
      stderr.resume()
    },
  } as const
  // The built script as the Worker's one module (not a scriptPath for Miniflare to parse: above).
  const scriptPath = join(DIR, 'index.js')
  const modules = [{ type: 'ESModule' as const, path: scriptPath, contents: readFileSync(scriptPath, 'utf8') }]
  const blog = () => ({ ...base, ...blogWorker({ ADMIN_TOKEN: 'bundle-token' }, DIR), scriptPath: undefined, modules })
  const hello = () => ({
    ...base,
    modules: true,
    compatibilityDate: compatibilityDate(),
    script: 'export default { fetch() { return new Response("hello") } }',
    kvNamespaces: ['POSTS'],
  })
  // The same bundle without its Durable Object namespaces: Miniflare sets up no SQLite object
  // storage, so the difference to the floor is mostly the bundle's own load. (Its answer is a 500:
  // every request asks the Site object first; only the time to the first answer counts here.)
  const bare = () => ({
    ...base,
    modules,
    compatibilityDate: compatibilityDate(),
    kvNamespaces: ['POSTS'],
    bindings: { ADMIN_TOKEN: 'bundle-token' },
  })
  const health: number[] = []
  const front: number[] = []
  const floor: number[] = []
  const bundleOnly: number[] = []
  for (let i = 0; i < RUNS; i++) {
    floor.push(await coldStart(hello, '/'))
    bundleOnly.push(await coldStart(bare, '/api/health', true))
    health.push(await coldStart(blog, '/api/health'))
    front.push(await coldStart(blog, '/'))
  }
  const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`
  console.log(`cold start, new workerd process to first response (${RUNS} runs each):`)
  console.log(`  bare "hello" Worker (with the KV binding), GET /      ${fmt(floor)}`)
  console.log(
    `  blog without objects (answers 500), first answer  ${fmt(bundleOnly)}  → the bundle adds ${(median(bundleOnly) - median(floor)).toFixed(0)} ms`,
  )
  console.log(`  blog with KV + 5 Durable Object namespaces (SQLite), GET /api/health  ${fmt(health)}`)
  console.log(`  blog, GET / (empty site)        ${fmt(front)}`)

  // The profile's samples move by tens of ms from one run to the next here: the median of RUNS.
  const profile = join('.bench', 'startup.cpuprofile')
  try {
    const cpus: number[] = []
    const walls: number[] = []
    for (let i = 0; i < RUNS; i++) {
      execFileSync(join('node_modules', '.bin', 'wrangler'), ['check', 'startup', '--outfile', profile], {
        stdio: ['ignore', 'ignore', 'ignore'],
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
        timeout: 120_000,
      })
      const { cpu, wall } = profileCpuMs(profile)
      cpus.push(cpu)
      walls.push(wall)
    }
    console.log(
      `startup CPU (wrangler check startup, profiled in local workerd, ${RUNS} runs): median ${median(cpus).toFixed(0)} ms of non-idle samples ` +
        `(runs: ${cpus.map((c) => c.toFixed(0)).join(', ')}) over ${median(walls).toFixed(0)} ms; the last profile is in ${profile} ` +
        `(the profiler slows code down; Cloudflare's limit is 1 s)`,
    )
  } catch (err) {
    console.log(`startup CPU: wrangler check startup failed (${(err as Error).message.split('\n')[0]})`)
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
