/**
 * `npm start`: the local blog at http://127.0.0.1:8787 with the sample posts from content/.
 * 1. creates .dev.vars from .dev.vars.example when it is missing (the local admin token);
 * 2. runs `wrangler dev` (local KV and Durable Objects under .wrangler/state);
 * 3. once it answers, publishes the content/ files that are new or changed (scripts/sync-content.ts),
 *    and again whenever a file in content/ changes while it runs;
 * 4. keeps running until wrangler exits or you press Ctrl-C.
 */
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, watch } from 'node:fs'
import { join } from 'node:path'
import { readDevVars } from './cli/context'
import { syncContent } from './sync-content'

const HOST = '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8787)
const URL = `http://${HOST}:${PORT}`

if (!existsSync('.dev.vars')) {
  copyFileSync('.dev.vars.example', '.dev.vars')
  console.log('Created .dev.vars from .dev.vars.example (local admin token: see README).')
}
const token = readDevVars('.dev.vars').ADMIN_TOKEN
if (!token) {
  console.error('.dev.vars has no ADMIN_TOKEN line; copy it from .dev.vars.example.')
  process.exit(2)
}

const wrangler = spawn(
  join('node_modules', '.bin', 'wrangler'),
  ['dev', '--ip', HOST, '--port', String(PORT), '--show-interactive-dev-session=false', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    // No telemetry, and no fetch of Cloudflare's request.cf sample: the dev server talks to nobody.
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? 'false',
    },
  },
)
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    stopping = true
    wrangler.kill(signal)
  })
}
wrangler.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))

async function waitForServer(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`${URL}/api/health`)
      if (res.ok) return true
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  return false
}

/** Re-publishes content/ a moment after the last change (editors write files in several steps). */
function watchContent(): void {
  let timer: NodeJS.Timeout | undefined
  let running = Promise.resolve()
  watch('content', (_event, file) => {
    if (!file?.endsWith('.md')) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      running = running.then(() => syncContent({ url: URL, token: token!, dir: 'content' }).then(() => undefined))
    }, 300)
  })
}

if (await waitForServer(120_000)) {
  const summary = await syncContent({ url: URL, token, dir: 'content' })
  console.log(
    `\nBlog: ${URL}/  ·  admin token: ${token === 'dev-admin-token' ? 'dev-admin-token (from .dev.vars)' : 'see .dev.vars'}` +
      (summary.failed ? `  ·  ${summary.failed} content file(s) failed to publish (see above)` : '') +
      '\nEditing a file in content/ publishes it again.',
  )
  watchContent()
} else if (!stopping) {
  console.error(`wrangler dev did not answer on ${URL} within 2 minutes.`)
}
