/**
 * `wrangler dev` for the local tools and tests: scripts/local-blog.ts (`startWranglerDev()`), the browser
 * tests' test/e2e/global-setup.ts and scripts/faults.ts. Each gives a port (`freePort()`), its own
 * --persist-to state folder (never the developer's .wrangler/state) and its --var settings;
 * `spawnWranglerDev()` starts wrangler on 127.0.0.1 in its own process group (so that wrangler, its
 * workerd and esbuild can be signalled together) and keeps the end of its output for error messages;
 * `waitForHealth()` waits until /api/health answers. Stopping is the caller's: each stops differently.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

/** How much of wrangler's output is kept (its last characters), for error messages. */
const OUTPUT_KEPT = 6000

/** A port that 127.0.0.1 can listen on now. */
export function freePort(): Promise<number> {
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

export interface WranglerDevOptions {
  port: number
  /** The --persist-to folder. */
  state: string
  /** --var settings, over wrangler.toml's [vars]. */
  vars: Record<string, string>
  /** Added to the environment (metrics and the cf fetch are always off). */
  env?: Record<string, string>
  /** A file that receives all of wrangler's output (the kept end is only for error messages). */
  logFile?: string
}

export interface WranglerDev {
  child: ChildProcess
  /** wrangler's process group: wrangler, its workerd, esbuild. */
  pgid: number
  port: number
  /** http://127.0.0.1:port */
  url: string
  /** Resolves when wrangler itself has exited (its workerd may outlive it). */
  exited: Promise<void>
  /** The last few kilobytes of wrangler's output. */
  output: () => string
  /** Sends sig to the whole process group; nothing if it is gone. */
  signal: (sig: NodeJS.Signals) => void
  /** err (an Error or anything else) as an Error whose message ends with wrangler's output. */
  withOutput: (err: unknown) => Error
}

/** Starts `wrangler dev` on 127.0.0.1:port (inspector on another free port), detached in its own process group. */
export async function spawnWranglerDev(options: WranglerDevOptions): Promise<WranglerDev> {
  const inspector = await freePort()
  const vars = Object.entries(options.vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])
  const child = spawn(
    join('node_modules', '.bin', 'wrangler'),
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--inspector-port',
      String(inspector),
      '--persist-to',
      options.state,
      '--show-interactive-dev-session=false',
      ...vars,
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', ...options.env },
    },
  )
  let log = ''
  const file = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : null
  const keep = (d: Buffer) => {
    file?.write(d)
    log = (log + d.toString()).slice(-OUTPUT_KEPT)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
  const pgid = child.pid!
  return {
    child,
    pgid,
    port: options.port,
    url: `http://127.0.0.1:${options.port}`,
    exited,
    output: () => log,
    signal: (sig) => {
      try {
        process.kill(-pgid, sig)
      } catch {
        // already gone
      }
    },
    withOutput: (err) => new Error(`${err instanceof Error ? err.message : err}\n--- wrangler dev output ---\n${log}`),
  }
}

/**
 * Polls /api/health every pollMs (each request given requestTimeoutMs) until it answers 2xx; throws
 * if wrangler exits first ("wrangler dev exited with code …") or after timeoutMs. The error does not
 * carry wrangler's output: add it with `dev.withOutput(err)`.
 */
export async function waitForHealth(
  dev: WranglerDev,
  { timeoutMs, pollMs = 300, requestTimeoutMs = 5000 }: { timeoutMs: number; pollMs?: number; requestTimeoutMs?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const { exitCode, signalCode } = dev.child
    if (exitCode !== null || signalCode !== null) {
      throw new Error(`wrangler dev exited with ${exitCode !== null ? `code ${exitCode}` : `signal ${signalCode}`}`)
    }
    try {
      const res = await fetch(`${dev.url}/api/health`, { signal: AbortSignal.timeout(requestTimeoutMs) })
      await res.arrayBuffer()
      if (res.ok) return
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, pollMs))
  }
  throw new Error(`wrangler dev did not answer on ${dev.url} within ${timeoutMs / 1000} s`)
}
