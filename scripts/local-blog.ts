/**
 * A throw-away local blog with the sample content, for the manual tools (`npm run screenshots`,
 * `npm run lighthouse`): the site's own settings from wrangler.toml, a fresh state every time (never
 * the developer's .wrangler/state), content/ published through the API as `npm start` does, and the
 * snapshot pushed at once (COUNT_PUSH_SECONDS and SNAPSHOT_SECONDS 0, as in the browser tests).
 *
 * - `startBuiltBlog()` builds the Worker as `wrangler deploy` would and serves it with the Miniflare
 *   API, with the static assets of public/ (and their `_headers`) in front of it, as Cloudflare does.
 *   Faster than `wrangler dev` and closer to production (minified bundle, no dev proxy).
 * - `startWranglerDev()` runs `wrangler dev` on a free port with a temporary state folder, as the
 *   browser tests' global setup does.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unstable_readConfig } from 'wrangler'
import { blogWorker, buildWorker, serve } from './serve-built'
import { syncContent } from './sync-content'

export const LOCAL_TOKEN = 'local-tools-admin-token'

/** A desktop Chrome user agent: headless Chromium's own is counted as a bot. */
export const READER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

export interface LocalBlog {
  url: string
  token: string
  /** How it is served, for reports: "built Worker (Miniflare)" or "wrangler dev". */
  mode: string
  stop: () => Promise<void>
}

/** The settings the tools override: the token, and counts and comments that show up at once. */
const OVERRIDES: Record<string, string> = {
  ADMIN_TOKEN: LOCAL_TOKEN,
  COUNT_PUSH_SECONDS: '0',
  SNAPSHOT_SECONDS: '0',
  COMMENT_MIN_SECONDS: '0',
}

async function publishContent(url: string): Promise<void> {
  const lines: string[] = []
  const summary = await syncContent({ url, token: LOCAL_TOKEN, dir: 'content', log: (line) => lines.push(line) })
  if (summary.failed > 0) throw new Error(`content sync failed:\n${lines.join('\n')}`)
}

/** The [vars] of wrangler.toml, as strings (what `wrangler deploy` would set). */
function siteVars(): Record<string, string> {
  const config = unstable_readConfig({ config: 'wrangler.toml' })
  return Object.fromEntries(Object.entries(config.vars).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
}

export async function startBuiltBlog(): Promise<LocalBlog> {
  const outdir = join('.bench', 'build-local')
  buildWorker(outdir)
  const worker = blogWorker({ ...siteVars(), ...OVERRIDES }, outdir)
  const { mf, url } = await serve([
    { ...worker, assets: { directory: 'public', binding: 'ASSETS', routerConfig: { has_user_worker: true } } },
  ])
  try {
    await publishContent(url)
  } catch (err) {
    await mf.dispose()
    throw err
  }
  return { url, token: LOCAL_TOKEN, mode: 'built Worker (Miniflare)', stop: () => mf.dispose() }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export async function startWranglerDev(): Promise<LocalBlog> {
  const port = await freePort()
  const inspector = await freePort()
  const state = mkdtempSync(join(tmpdir(), 'blog-local-'))
  const url = `http://127.0.0.1:${port}`
  const vars = Object.entries({ ...OVERRIDES, BASE_URL: url }).flatMap(([k, v]) => ['--var', `${k}:${v}`])
  const child = spawn(
    join('node_modules', '.bin', 'wrangler'),
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspector),
      '--persist-to',
      state,
      '--show-interactive-dev-session=false',
      ...vars,
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    },
  )
  let log = ''
  child.stdout?.on('data', (d) => (log += d))
  child.stderr?.on('data', (d) => (log += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig) // wrangler and its workerd, by process group
    } catch {
      // already gone
    }
  }
  const stop = async () => {
    signal('SIGTERM')
    const timer = setTimeout(() => signal('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
    rmSync(state, { recursive: true, force: true })
  }
  try {
    const deadline = Date.now() + 120_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`)
      if (Date.now() > deadline) throw new Error(`wrangler dev did not answer on ${url}`)
      const ok = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) }).then(
        (r) => r.ok,
        () => false,
      )
      if (ok) break
      await new Promise((r) => setTimeout(r, 300))
    }
    await publishContent(url)
  } catch (err) {
    await stop()
    throw new Error(`${err instanceof Error ? err.message : err}\n--- wrangler dev output ---\n${log.slice(-4000)}`)
  }
  return { url, token: LOCAL_TOKEN, mode: 'wrangler dev', stop }
}

/** Posts a comment through the public form endpoint, as a reader's browser would (no JavaScript). */
export async function postComment(url: string, postId: string, fields: { author: string; body: string; ip: string }): Promise<void> {
  const page = await fetch(`${url}/archives/${postId}`, {
    headers: { 'user-agent': READER_UA, 'cf-connecting-ip': fields.ip },
    signal: AbortSignal.timeout(30_000),
  })
  const html = await page.text()
  const form = /<form[^>]*class="[^"]*comment-form[^"]*"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1]
  if (!form) throw new Error(`no comment form on /archives/${postId}`)
  const data = new URLSearchParams()
  for (const m of form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(m[0])?.[1]
    const value = /value="([^"]*)"/.exec(m[0])?.[1]
    if (name) data.set(name, (value ?? '').replace(/&amp;/g, '&').replace(/&quot;/g, '"'))
  }
  data.set('author', fields.author)
  data.set('body', fields.body)
  data.set('intent', 'post')
  const res = await fetch(`${url}/archives/${postId}/comments`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'user-agent': READER_UA,
      'cf-connecting-ip': fields.ip,
      origin: url,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: data,
    signal: AbortSignal.timeout(30_000),
  })
  if (res.status !== 303) throw new Error(`posting a comment on ${postId}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`)
}
