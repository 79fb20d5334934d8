/**
 * Starts `wrangler dev` for the browser tests on a free port, with its own throw-away state folder
 * (never the developer's .wrangler/state) and its own admin token, and stops it afterwards by its
 * process group. Publishes content/ through the API, as `npm start` does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { syncContent } from '../../scripts/sync-content'
import { freePort, spawnWranglerDev, waitForHealth } from '../../scripts/wrangler-dev'

export const E2E_TOKEN = 'e2e-admin-token'

/**
 * A local stand-in for an HTTP e-mail API and a webhook receiver (these machines reach no outside
 * service): records every POST; GET /log returns them, DELETE /log forgets them.
 */
async function startMailStub(): Promise<{ url: string; close: () => Promise<void> }> {
  const received: { path: string; headers: Record<string, unknown>; body: string }[] = []
  const server = createHttpServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      if (req.url === '/log') {
        if (req.method === 'DELETE') received.length = 0
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received))
        return
      }
      if (req.method === 'POST') received.push({ path: req.url ?? '', headers: req.headers, body })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"stub"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/**
 * After the run: wrangler's log lines worth a look when a browser test failed (errors, 5xx answers,
 * requests that took a second or more); the routine request lines are left out.
 */
function printNotable(logFile: string): void {
  let text = ''
  try {
    text = readFileSync(logFile, 'utf8')
  } catch {
    return
  }
  const notable = text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => /✘|\bERROR\b|Uncaught|exception/i.test(line) || / 5\d\d [A-Z]/.test(line) || /\((\d{4,})ms\)/.test(line))
  if (notable.length > 0) console.log(`wrangler dev (browser tests), notable lines:\n${notable.slice(-40).join('\n')}`)
}

export default async function setup(project: TestProject) {
  const mail = await startMailStub()
  const port = await freePort()
  const state = mkdtempSync(join(tmpdir(), 'blog-e2e-'))
  const url = `http://127.0.0.1:${port}`
  const logFile = join(state, 'wrangler-dev.log')
  const dev = await spawnWranglerDev({
    port,
    state,
    logFile,
    vars: {
      ADMIN_TOKEN: E2E_TOKEN,
      COUNT_PUSH_SECONDS: '0',
      SNAPSHOT_SECONDS: '0',
      // A browser test fills the form faster than a person; the minimum fill time has its own tests.
      COMMENT_MIN_SECONDS: '0',
      // Notifications go to the local stub above.
      EMAIL_API_URL: `${mail.url}/mail`,
      EMAIL_API_KEY: 'e2e-mail-key',
      EMAIL_FROM: 'blog@e2e.test',
      AUTHOR_EMAIL: 'author@e2e.test',
      NOTIFY_WEBHOOK_URL: `${mail.url}/hook`,
      BASE_URL: url,
    },
  })
  const stop = () => dev.signal('SIGTERM')
  try {
    await waitForHealth(dev, { timeoutMs: 120_000 })
    const summary = await syncContent({ url, token: E2E_TOKEN, dir: 'content', log: () => undefined })
    if (summary.failed > 0) throw new Error('content sync failed')
  } catch (err) {
    stop()
    await mail.close()
    throw dev.withOutput(err)
  }
  project.provide('baseUrl', url)
  project.provide('adminToken', E2E_TOKEN)
  project.provide('mailStubUrl', mail.url)
  return async () => {
    stop()
    await mail.close()
    await new Promise((r) => setTimeout(r, 500))
    dev.signal('SIGKILL')
    printNotable(logFile)
    rmSync(state, { recursive: true, force: true })
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
    adminToken: string
    mailStubUrl: string
  }
}
