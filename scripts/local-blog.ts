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
 *   browser tests' global setup does (both through scripts/wrangler-dev.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unstable_readConfig } from 'wrangler'
import { blogWorker, buildWorker, serve } from './serve-built'
import { syncContent } from './sync-content'
import { freePort, spawnWranglerDev, waitForHealth } from './wrangler-dev'

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

export async function startWranglerDev(): Promise<LocalBlog> {
  const port = await freePort()
  const state = mkdtempSync(join(tmpdir(), 'blog-local-'))
  const url = `http://127.0.0.1:${port}`
  const dev = await spawnWranglerDev({ port, state, vars: { ...OVERRIDES, BASE_URL: url } })
  const stop = async () => {
    dev.signal('SIGTERM') // wrangler and its workerd, by process group
    const timer = setTimeout(() => dev.signal('SIGKILL'), 3000)
    await dev.exited
    clearTimeout(timer)
    rmSync(state, { recursive: true, force: true })
  }
  try {
    await waitForHealth(dev, { timeoutMs: 120_000 })
    await publishContent(url)
  } catch (err) {
    await stop()
    throw dev.withOutput(err)
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
