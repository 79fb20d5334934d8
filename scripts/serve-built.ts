/**
 * Shared by the load scripts: builds the Worker as `wrangler deploy` would and serves it with the
 * Miniflare API on 127.0.0.1, in memory (not `wrangler dev`, whose proxy caps throughput).
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Miniflare, type WorkerOptions } from 'miniflare'

export const BUILD_DIR = join('.bench', 'build')
export const LOAD_TOKEN = 'load-admin-token'

/** Builds into `outdir` (default BUILD_DIR; a script may use its own, so that two builds never mix). */
export function buildWorker(outdir = BUILD_DIR): void {
  execFileSync(join('node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  })
}

export function compatibilityDate(): string {
  return /compatibility_date\s*=\s*"([^"]+)"/.exec(readFileSync('wrangler.toml', 'utf8'))![1]!
}

/** The blog Worker's options: its bindings, with settings suited to a load test. */
export function blogWorker(bindings: Record<string, string> = {}, outdir = BUILD_DIR): WorkerOptions {
  return {
    name: 'blog',
    modules: true,
    compatibilityDate: compatibilityDate(),
    scriptPath: join(outdir, 'index.js'),
    kvNamespaces: ['POSTS'],
    durableObjects: {
      SITE: { className: 'Site', useSQLite: true },
      POST_ROOM: { className: 'PostRoom', useSQLite: true },
      VIEW_SHARD: { className: 'ViewShard', useSQLite: true },
      COMMENT_GATE: { className: 'CommentGate', useSQLite: true },
      SEARCH_INDEX: { className: 'SearchIndex', useSQLite: true },
    },
    bindings: {
      ADMIN_TOKEN: LOAD_TOKEN,
      SITE_TITLE: '负载测试',
      SITE_AUTHOR: '测试',
      LANGUAGE: 'zh',
      TIMEZONE: 'Asia/Shanghai',
      COUNT_PUSH_SECONDS: '30',
      SNAPSHOT_SECONDS: '30',
      ...bindings,
    },
  }
}

/** Starts Miniflare with these workers on 127.0.0.1 (the first one answers the returned URL). */
export async function serve(workers: WorkerOptions[]): Promise<{ mf: Miniflare; url: string }> {
  const mf = new Miniflare({ cf: false, host: '127.0.0.1', port: 0, workers })
  const url = (await mf.ready).origin
  return { mf, url }
}

/** Publishes a small post with math through the API. */
export async function publish(url: string, id: string, title: string): Promise<void> {
  const res = await fetch(`${url}/api/posts/${id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${LOAD_TOKEN}`, 'content-type': 'text/markdown' },
    body: `---\ntitle: "${title}"\ndate: 2025-01-01\n---\n\n一个被很多人读的帖子：$e^{i\\pi}+1=0$。\n`,
  })
  if (!res.ok) throw new Error(`publishing ${id}: HTTP ${res.status} ${await res.text()}`)
}
