/**
 * What `npm run bench` (scripts/bench.ts) and `npm run bench:ab` (scripts/bench-ab.ts) share: the
 * blog's settings under load, where the seeded state is kept and where a run's copy of it goes, and
 * how a built Worker is served on such a copy.
 */
import { readdirSync, statfsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { Log, LogLevel, Miniflare } from 'miniflare'
import { blogWorker } from './serve-built'

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

/** The built Worker in `build` (wrangler deploy --dry-run --outdir), served on 127.0.0.1 with its KV and objects in `persist`. */
export function miniflareFor(persist: string, bindings: Record<string, string>, build: string, inspectorPort?: number): Miniflare {
  return new Miniflare({
    inspectorPort,
    log: new Log(LogLevel.WARN),
    // The Worker's own structured log lines (one per publish) would bury the report; errors still show.
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      stdout.resume()
      stderr.pipe(process.stderr)
    },
    cf: false,
    host: '127.0.0.1',
    port: 0,
    kvPersist: join(persist, 'kv'),
    durableObjectsPersist: join(persist, 'do'),
    ...blogWorker(bindings, build),
  })
}
