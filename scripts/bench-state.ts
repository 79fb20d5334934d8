/**
 * What `npm run bench` (scripts/bench.ts) and `npm run bench:ab` (scripts/bench-ab.ts) share: the
 * blog's settings under load, where the seeded state is kept and where a run's copy of it goes, and
 * how a built Worker is served on such a copy.
 */
import { readdirSync, statfsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { Log, LogLevel, Miniflare } from 'miniflare'
import { setLuaPrelude } from './bench-wrk'
import { blogWorker, compatibilityDate } from './serve-built'

export const TOKEN = 'bench-admin-token'

/** The seeded state, kept between runs (one at a time: seeding again replaces it). */
export const CACHE = join('.bench', 'site-cache')

/** The blog's settings: the defaults of wrangler.toml's [vars], anti-spam included; only names differ. */
export const BINDINGS: Readonly<Record<string, string>> = {
  ADMIN_TOKEN: TOKEN,
  SITE_TITLE: '基准站点',
  SITE_AUTHOR: '基准',
  CITE_KEY: 'bench',
  PAGE_SIZE: '10',
  COMMENT_MIN_SECONDS: '3',
  COMMENT_RATE_LIMIT: '5/60',
}

/**
 * Where each run's copy of the seeded state goes: /dev/shm (memory) when it is there with room for
 * the copy, else .bench (the disk); BENCH_RUN_DIR chooses (BENCH_RUN_DIR=.bench measures on the disk).
 * In memory a Durable Object's SQLite commit costs no disk fsync. Locally workerd fsyncs every commit
 * on its one thread, the thread that serves every request, so on the disk a counted view waits for
 * this machine's disk; on Cloudflare a commit is made durable by replicating its WAL to other machines
 * while the object's thread goes on (the output gate holds the answer until then). docs/PERFORMANCE.md
 * has runs of both.
 */
export function runParent(stateBytes: number): { dir: string; why: string } {
  if (process.env.BENCH_RUN_DIR) return { dir: process.env.BENCH_RUN_DIR, why: 'BENCH_RUN_DIR' }
  try {
    const fs = statfsSync('/dev/shm')
    if (fs.bavail * fs.bsize > stateBytes * 1.5)
      return { dir: '/dev/shm', why: 'in memory: no disk fsync per commit; BENCH_RUN_DIR=.bench for the disk' }
  } catch {
    // No /dev/shm here.
  }
  return { dir: '.bench', why: 'on the disk: /dev/shm is missing or has no room for the copy' }
}

/** The bytes of the files under `dir`. */
export function dirBytes(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size
  }
  return total
}

let cutOff = 0

/**
 * Copies a workerd's stderr to ours, except its errors for an answer it could not finish writing
 * because the client had closed the connection ("disconnected: ::write(…): Broken pipe" or
 * "Connection reset by peer", each with a stack line): wrk closes its connections at the end of every
 * run with answers still on their way, and dozens of these a run buried the report. They are counted
 * instead, and reportCutOff prints the count at the end. Every other line still shows.
 */
function passCutOffAnswersOver(stderr: Readable): void {
  let skipStack = false
  createInterface({ input: stderr, crlfDelay: Infinity }).on('line', (line) => {
    if (skipStack && line.startsWith('stack:')) {
      skipStack = false
      return
    }
    skipStack = line.includes('disconnected: ::write(') && (line.endsWith('Broken pipe') || line.endsWith('Connection reset by peer'))
    if (skipStack) cutOff++
    else process.stderr.write(line + '\n')
  })
}

/** Miniflare's handleRuntimeStdio for the floor and brycedorn/blog: stdout shown, stderr without cut-off answers' errors. */
export function runtimeStdioShown(stdout: Readable, stderr: Readable): void {
  stdout.pipe(process.stdout)
  passCutOffAnswersOver(stderr)
}

/** At the end of a report (npm run bench, bench:ab): how many lines passCutOffAnswersOver left out, if any. */
export function reportCutOff(): void {
  if (cutOff > 0)
    console.log(
      `\nnot shown: ${cutOff} workerd errors for answers cut off when wrk closed its connections (Broken pipe, Connection reset by peer)`,
    )
}

/** The built Worker in `build` (wrangler deploy --dry-run --outdir), served on 127.0.0.1 with its KV and objects in `persist`. */
export function miniflareFor(persist: string, bindings: Record<string, string>, build: string, inspectorPort?: number): Miniflare {
  return new Miniflare({
    inspectorPort,
    log: new Log(LogLevel.WARN),
    // The Worker's own structured log lines (one per publish) would bury the report; errors still show.
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      stdout.resume()
      passCutOffAnswersOver(stderr)
    },
    cf: false,
    // (On by default, Miniflare's request logger has its entry Worker copy every answer into a new
    // Response to log a line that the WARN level never prints. The floor and brycedorn/blog's
    // Miniflares turn it off too.)
    logRequests: false,
    host: '127.0.0.1',
    port: 0,
    kvPersist: join(persist, 'kv'),
    durableObjectsPersist: join(persist, 'do'),
    ...blogWorker(bindings, build),
    ...DIRECT_SOCKETS,
  })
}

/**
 * BENCH_DIRECT=1: every Worker of a run (the blog, the floor, brycedorn/blog) is served by workerd
 * on a socket of its own (Miniflare's `unsafeDirectSockets`), not through Miniflare's entry Worker,
 * which otherwise takes every request first (it rebuilds the request with its `cf` object, checks
 * the path and hands it on through a service binding: a JS Worker's hop on each request). The
 * issue allows either ("through the Miniflare API or workerd directly"); the default stays
 * Miniflare's entry, which the targets were measured through. Since nothing then sets
 * `request.cf`, wrk sends Miniflare's own `cf` object in the `MF-CF-Blob` header, which workerd
 * parses into `request.cf` as on Cloudflare (`directCfLua`), so the blog still reads it (verified
 * bots, the client's Accept-Encoding).
 */
export const DIRECT = process.env.BENCH_DIRECT === '1'

/** How a run's Workers are reached, as the bench prints it and keeps it in its JSON. */
export const SERVED = DIRECT
  ? "each Worker directly by workerd on its own socket (BENCH_DIRECT=1; request.cf from Miniflare's cf object in MF-CF-Blob)"
  : "each Worker through Miniflare's entry Worker"

/** Miniflare options that open the direct socket (spread into a Worker's options). */
export const DIRECT_SOCKETS = DIRECT ? { unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }] } : {}

/** Where wrk sends a Miniflare's requests: its entry Worker's address, or under BENCH_DIRECT=1 its Worker's own socket. */
export async function originOf(mf: Miniflare): Promise<string> {
  // (A URL's origin has no trailing slash.)
  const entry = (await mf.ready).origin
  if (!DIRECT) return entry
  setLuaPrelude(await directCfLua())
  return (await mf.unsafeGetDirectURL()).origin
}

let cfLua: Promise<string> | null = null

/**
 * A Lua prelude for wrk's scripts: every request carries `MF-CF-Blob`, the `cf` object Miniflare's
 * entry Worker would have given it (Miniflare's fallback with `cf: false`, read from a throwaway
 * Worker that echoes it), its `clientAcceptEncoding` the request's own Accept-Encoding as the entry
 * Worker sets it.
 */
function directCfLua(): Promise<string> {
  cfLua ??= (async () => {
    const echo = new Miniflare({
      log: new Log(LogLevel.WARN),
      cf: false,
      host: '127.0.0.1',
      port: 0,
      modules: true,
      compatibilityDate: compatibilityDate(),
      script: 'export default { fetch(request) { return Response.json(request.cf) } }',
    })
    try {
      const cf = (await (await echo.dispatchFetch('http://127.0.0.1/')).json()) as Record<string, unknown>
      delete cf.clientAcceptEncoding
      const rest = JSON.stringify(cf).slice(1)
      if (rest.includes(']==]')) throw new Error('the cf object cannot be quoted in Lua')
      return `
local __cf_rest = [==[${rest}]==]
local __format = wrk.format
local function __cf(h)
  h["MF-CF-Blob"] = '{"clientAcceptEncoding":"' .. (h["Accept-Encoding"] or "") .. '",' .. __cf_rest
  return h
end
wrk.format = function(method, path, headers, body)
  return __format(method, path, __cf(headers or wrk.headers), body)
end
__cf(wrk.headers)
`
    } finally {
      await echo.dispose()
    }
  })()
  return cfLua
}
