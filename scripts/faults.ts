/**
 * `npm run test:faults`: kill-and-restart test of the blog's durable state (docs/RELIABILITY.md).
 *
 * Starts `wrangler dev` on a free 127.0.0.1 port with a fresh temporary --persist-to folder,
 * publishes a post, then FAULT_CYCLES times (default 10):
 *   1. runs FAULT_WRITERS comment posters and FAULT_READERS readers (default 8 + 8) against it, each
 *      request with its own idempotency key (comments) or its own CF-Connecting-IP (views), for a
 *      random 1–4 s;
 *   2. at that random moment, mid-stream, SIGKILLs wrangler's whole process group (wrangler, its
 *      workerd, esbuild), and notes which requests were answered and which were still in flight;
 *   3. starts `wrangler dev` again on the same state folder and the same port (a new port only if
 *      the old one is not released), and measures the time until /api/health answers;
 *   4. checks that every comment answered 201 is stored exactly once (with the id it was given),
 *      before any retry; then re-sends every comment that got no answer with its same key until it
 *      is answered (as a real client would) and checks that no comment exists twice;
 *   5. checks the stored reader count: never lower than before the kill, never lower than the
 *      number of 200 pages (each distinct reader shown a count) nor than the highest count any page
 *      showed, never higher than the views sent (answered + in flight), and that no two pages
 *      showed the same number (a count shown and then lost would be shown again).
 * Exits 1 at the first start that fails, or after the summary if any check failed.
 *
 * Bounded: every request times out after 10 s; each client lane sends at most
 * FAULT_MAX_PER_LANE (default 400) requests per cycle; the whole run stops with a failure after
 * FAULT_DEADLINE_SECONDS (default 420). Only 127.0.0.1 is contacted. The state folder and the
 * process group are removed at the end, also after an error or Ctrl-C (FAULT_KEEP_STATE=1 keeps
 * the folder for inspection). FAULT_SEED makes the kill moments repeatable.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, spawnWranglerDev, waitForHealth, type WranglerDev } from './wrangler-dev'

function intEnv(name: string, fallback: number, min = 0): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}`)
  return n
}

const CYCLES = intEnv('FAULT_CYCLES', 10, 1)
const WRITERS = intEnv('FAULT_WRITERS', 8, 1)
const READERS = intEnv('FAULT_READERS', 8, 1)
const MAX_PER_LANE = intEnv('FAULT_MAX_PER_LANE', 400, 1)
const DEADLINE_MS = intEnv('FAULT_DEADLINE_SECONDS', 420, 30) * 1000
const SEED = intEnv('FAULT_SEED', Math.floor(Math.random() * 2 ** 31))
const KEEP_STATE = process.env.FAULT_KEEP_STATE === '1'
const REQUEST_TIMEOUT_MS = 10_000
const START_TIMEOUT_MS = 90_000
/** How long a killed process group may take to vanish, and its port to be free again. */
const RELEASE_TIMEOUT_MS = 10_000
/** Attempts to get an answer for a comment that was not acknowledged before the kill. */
const RESEND_ATTEMPTS = 5
const TOKEN = 'fault-admin-token'
const POST_ID = 'fault-test'
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'

/** mulberry32: a small seeded generator, so that a run's kill moments can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = seeded(SEED)
const runId = SEED.toString(36)
const started = Date.now()
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
const seconds = (ms: number) => (ms / 1000).toFixed(2)

// ---------------------------------------------------------------------------------------------
// Processes and ports

/** True if 127.0.0.1:port can be listened on now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

interface ProcInfo {
  pid: number
  ppid: number
  pgrp: number
  state: string
  comm: string
}

/** Every process on the machine, from /proc (Linux). */
function processes(): ProcInfo[] {
  const out: ProcInfo[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const comm = stat.slice(stat.indexOf('(') + 1, close)
      const [state, ppid, pgrp] = stat
        .slice(close + 2)
        .split(' ')
        .slice(0, 3)
      out.push({ pid: Number(name), ppid: Number(ppid), pgrp: Number(pgrp), state: state!, comm })
    } catch {
      // gone meanwhile
    }
  }
  return out
}

/** The live (not zombie) descendants of pid, and pid itself. */
function tree(pid: number): ProcInfo[] {
  const all = processes().filter((p) => p.state !== 'Z')
  const found = all.filter((p) => p.pid === pid)
  for (let i = 0; i < found.length; i++) found.push(...all.filter((p) => p.ppid === found[i]!.pid))
  return found
}

let current: WranglerDev | null = null
let stateDir: string | null = null

/**
 * Starts `wrangler dev` (detached: its own process group) on the state folder and port, and waits
 * until /api/health answers, polled every 100 ms so that the time to ready is measured closely.
 */
async function startWrangler(state: string, port: number): Promise<WranglerDev> {
  for (let attempt = 1; ; attempt++) {
    const server = await spawnWranglerDev({
      port,
      state,
      vars: {
        ADMIN_TOKEN: TOKEN,
        // Counts reach the site snapshot at once (the post's object stays the authority either way).
        COUNT_PUSH_SECONDS: '0',
        SNAPSHOT_SECONDS: '0',
        // Anti-spam would refuse comments posted at machine speed: no minimum form time, no rate limit.
        COMMENT_MIN_SECONDS: '0',
        COMMENT_RATE_LIMIT: '0',
      },
    })
    current = server
    try {
      await waitForHealth(server, { timeoutMs: START_TIMEOUT_MS, pollMs: 100, requestTimeoutMs: 2000 })
      return server
    } catch (err) {
      // wrangler 4.86's file watcher sometimes reports a change in src/ right after a start when
      // nothing changed; the runtime it restarts for it can then fail to bind an internal port
      // ("Address already in use") and wrangler exits. That is the dev server's own start failing, before
      // it ever answered: start it once more (nothing was acknowledged by it, so no write is at stake).
      const exitedEarly = server.child.exitCode !== null && /Address already in use/.test(server.output())
      if (!exitedEarly || attempt >= 2) throw server.withOutput(err)
      console.log(`  wrangler dev exited while starting (its watcher's restart could not bind a port): starting it again`)
      // (Its whole process group, waiting until the port is free again.)
      await killGroup(server)
    }
  }
}

interface KillReport {
  /** performance.now() at the SIGKILL. */
  at: number
  /** Processes of wrangler's tree at the kill (pid, name). */
  killed: string[]
  /** Processes of that tree outside its process group (they would survive a group kill). */
  outsideGroup: string[]
  /** Milliseconds until every process of the tree was gone. */
  goneMs: number
  /** Milliseconds until the port could be listened on again (null: not within RELEASE_TIMEOUT_MS). */
  portFreeMs: number | null
}

/** SIGKILL to wrangler's whole process group; waits until the tree is gone and the port is free. */
async function killGroup(server: WranglerDev): Promise<KillReport> {
  const members = tree(server.child.pid!)
  const t = performance.now()
  server.signal('SIGKILL')
  const outside = members.filter((p) => p.pgrp !== server.pgid)
  for (const p of outside) {
    try {
      process.kill(p.pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
  await Promise.race([server.exited, sleep(RELEASE_TIMEOUT_MS)])
  const pids = new Set(members.map((p) => p.pid))
  let goneMs = -1
  while (performance.now() - t < RELEASE_TIMEOUT_MS) {
    if (!processes().some((p) => pids.has(p.pid) && p.state !== 'Z')) {
      goneMs = performance.now() - t
      break
    }
    await sleep(20)
  }
  if (goneMs < 0) throw new Error(`processes of wrangler dev still alive ${RELEASE_TIMEOUT_MS / 1000} s after SIGKILL`)
  let portFreeMs: number | null = null
  while (performance.now() - t < RELEASE_TIMEOUT_MS) {
    if (await portFree(server.port)) {
      portFreeMs = performance.now() - t
      break
    }
    await sleep(50)
  }
  if (current === server) current = null
  return {
    at: t,
    killed: members.map((p) => `${p.pid} ${p.comm}`),
    outsideGroup: outside.map((p) => `${p.pid} ${p.comm}`),
    goneMs,
    portFreeMs,
  }
}

let cleaning = false
async function cleanup(): Promise<void> {
  if (cleaning) return
  cleaning = true
  const server = current
  current = null
  if (server) {
    server.signal('SIGKILL')
    await Promise.race([server.exited, sleep(3000)])
  }
  if (stateDir && !KEEP_STATE) rmSync(stateDir, { recursive: true, force: true })
  else if (stateDir) console.log(`state kept in ${stateDir}`)
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping wrangler dev and removing the state folder`)
    void cleanup().finally(() => process.exit(130))
  })
}

// ---------------------------------------------------------------------------------------------
// Clients

async function request(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
  return { status: res.status, headers: res.headers, text: await res.text() }
}

interface SentComment {
  cycle: number
  key: string
  author: string
  body: string
  /** 'pending' while a request is out. */
  state: 'pending' | 'acked' | 'failed'
  /** The request was still out when the server was killed. */
  inFlightAtKill: boolean
  /** The failure, for one that failed while the server was up. */
  error?: string
  /** The first request was answered 201 (before the kill). */
  acknowledged: boolean
  /** The id the 201 answer gave. */
  id?: number
  /** After the restart, before any retry: found stored. */
  storedBeforeRetry?: boolean
}

interface SentView {
  cycle: number
  ip: string
  state: 'pending' | 'acked' | 'failed'
  inFlightAtKill: boolean
  error?: string
  shown?: number
}

const comments: SentComment[] = []
const views: SentView[] = []
const violations: string[] = []
function violation(message: string): void {
  violations.push(message)
  console.log(`  VIOLATION: ${message}`)
}

function commentPayload(c: SentComment): string {
  return JSON.stringify({ author: c.author, body: c.body, key: c.key })
}

async function postComment(url: string, c: SentComment): Promise<{ status: number; replayed: boolean; id?: number; text: string }> {
  const res = await request(`${url}/api/posts/${POST_ID}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: commentPayload(c),
  })
  let id: number | undefined
  if (res.status === 201) id = (JSON.parse(res.text) as { comment: { id: number } }).comment.id
  return { status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true', id, text: res.text }
}

let viewSeq = 0
function nextIp(): string {
  const i = ++viewSeq
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
}

/** One cycle's stream: writer and reader lanes until `stop()`. */
function stream(url: string, cycle: number) {
  let stopped = false
  const writer = async (w: number) => {
    for (let n = 0; n < MAX_PER_LANE && !stopped; n++) {
      const c: SentComment = {
        cycle,
        key: `${runId}-c${cycle}-w${w}-n${n}`,
        author: `writer ${w}`,
        body: `Fault test ${runId}: cycle ${cycle}, writer ${w}, comment ${n}.`,
        state: 'pending',
        inFlightAtKill: false,
        acknowledged: false,
      }
      comments.push(c)
      try {
        const res = await postComment(url, c)
        if (res.status === 201 && !res.replayed) {
          c.state = 'acked'
          c.acknowledged = true
          c.id = res.id
        } else {
          c.state = 'failed'
          c.error = `HTTP ${res.status}${res.replayed ? ' (replayed)' : ''} ${res.text.slice(0, 200)}`
        }
      } catch (err) {
        c.state = 'failed'
        c.error = String(err instanceof Error ? (err.cause ?? err.message) : err)
      }
    }
  }
  const reader = async () => {
    for (let n = 0; n < MAX_PER_LANE && !stopped; n++) {
      const v: SentView = { cycle, ip: nextIp(), state: 'pending', inFlightAtKill: false }
      views.push(v)
      try {
        const res = await request(`${url}/archives/${POST_ID}`, { headers: { 'user-agent': UA, 'cf-connecting-ip': v.ip } })
        const m = /class="post-views"[^>]*>\s*(\d+)/.exec(res.text)
        if (res.status === 200 && m) {
          v.state = 'acked'
          v.shown = Number(m[1])
        } else {
          v.state = 'failed'
          v.error = `HTTP ${res.status}${m ? '' : ', no count on the page'}`
        }
      } catch (err) {
        v.state = 'failed'
        v.error = String(err instanceof Error ? (err.cause ?? err.message) : err)
      }
    }
  }
  const lanes = [...Array.from({ length: WRITERS }, (_, w) => writer(w)), ...Array.from({ length: READERS }, () => reader())]
  return {
    /** Starts no new request; marks the ones still out as in flight. */
    stop() {
      stopped = true
      for (const c of comments) if (c.cycle === cycle && c.state === 'pending') c.inFlightAtKill = true
      for (const v of views) if (v.cycle === cycle && v.state === 'pending') v.inFlightAtKill = true
    },
    done: Promise.all(lanes),
  }
}

async function listComments(url: string): Promise<{ id: number; body: string }[]> {
  const res = await request(`${url}/api/posts/${POST_ID}/comments`)
  if (res.status !== 200) throw new Error(`GET comments: HTTP ${res.status} ${res.text.slice(0, 300)}`)
  return (JSON.parse(res.text) as { comments: { id: number; body: string }[] }).comments
}

async function storedViews(url: string): Promise<number> {
  const res = await request(`${url}/api/posts/${POST_ID}/views`)
  if (res.status !== 200) throw new Error(`GET views: HTTP ${res.status} ${res.text.slice(0, 300)}`)
  return (JSON.parse(res.text) as { views: number }).views
}

/** Bodies → how many times each is stored; also checks that ids are unique. */
function census(list: { id: number; body: string }[]): Map<string, { n: number; ids: number[] }> {
  const byBody = new Map<string, { n: number; ids: number[] }>()
  const ids = new Set<number>()
  for (const c of list) {
    if (ids.has(c.id)) violation(`comment id ${c.id} is listed twice`)
    ids.add(c.id)
    const e = byBody.get(c.body) ?? { n: 0, ids: [] }
    e.n++
    e.ids.push(c.id)
    byBody.set(c.body, e)
  }
  for (const [body, e] of byBody) if (e.n > 1) violation(`"${body}" is stored ${e.n} times (ids ${e.ids.join(', ')})`)
  return byBody
}

// ---------------------------------------------------------------------------------------------
// The run

interface CycleFigures {
  cycle: number
  streamMs: number
  comments: {
    sent: number
    acked: number
    inFlight: number
    failed: number
    storedUnacked: number
    resent: number
    replayed: number
    lateAcks: number
  }
  views: { sent: number; acked: number; inFlight: number; failed: number; stored: number; maxShown: number }
  readyMs: number
  downMs: number
  portChanged: boolean
  killed: number
}

async function publish(url: string): Promise<void> {
  const res = await request(`${url}/api/posts/${POST_ID}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown' },
    body: `---\ntitle: "Fault test"\ndate: 2025-01-01\n---\n\nA post that is read and commented on while its server is killed: $e^{i\\pi}+1=0$.\n`,
  })
  if (res.status !== 201 && res.status !== 200) throw new Error(`publishing: HTTP ${res.status} ${res.text.slice(0, 300)}`)
}

async function main(): Promise<void> {
  // The last resort: whatever hangs, the run ends (and cleans up) a minute after its deadline.
  setTimeout(() => {
    console.error(`run exceeded ${DEADLINE_MS / 1000 + 60} s: stopping`)
    process.exitCode = 1
    void cleanup().finally(() => process.exit(1))
  }, DEADLINE_MS + 60_000).unref()
  stateDir = mkdtempSync(join(tmpdir(), 'blog-faults-'))
  let port = await freePort()
  console.log(
    `fault test: ${CYCLES} cycles, ${WRITERS} comment writers + ${READERS} readers, seed ${SEED}, state ${stateDir}, port ${port}`,
  )
  let t = performance.now()
  let server = await startWrangler(stateDir, port)
  console.log(`wrangler dev answered after ${seconds(performance.now() - t)} s (first start, includes the asset build)`)
  await publish(server.url)

  const figures: CycleFigures[] = []
  let lastStored = await storedViews(server.url)
  let portChanges = 0
  let escaped = 0
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    if (Date.now() - started > DEADLINE_MS) {
      violation(`run deadline of ${DEADLINE_MS / 1000} s reached before cycle ${cycle}`)
      break
    }
    const streamMs = 1000 + Math.floor(random() * 3000)
    const s = stream(server.url, cycle)
    await sleep(streamMs)
    s.stop()
    const kill = await killGroup(server)
    escaped += kill.outsideGroup.length
    if (cycle === 1) console.log(`  wrangler dev's process tree at the first kill: ${kill.killed.join(', ')}`)
    if (kill.outsideGroup.length > 0)
      console.log(`  note: outside wrangler's process group (killed one by one): ${kill.outsideGroup.join(', ')}`)
    // The lanes end quickly: their connections were reset, and nothing new is started.
    await s.done

    const cycleComments = comments.filter((c) => c.cycle === cycle)
    const cycleViews = views.filter((v) => v.cycle === cycle)
    for (const c of cycleComments) {
      if (c.state === 'failed' && !c.inFlightAtKill) violation(`comment ${c.key} failed while the server was up: ${c.error}`)
    }
    for (const v of cycleViews) {
      if (v.state === 'failed' && !v.inFlightAtKill) violation(`view from ${v.ip} failed while the server was up: ${v.error}`)
    }

    // Restart on the same state folder; on the same port unless it was not released.
    const portChanged = kill.portFreeMs === null
    if (portChanged) {
      port = await freePort()
      portChanges++
      console.log(`  port ${server.port} not released within ${RELEASE_TIMEOUT_MS / 1000} s of the kill: restarting on ${port}`)
    }
    t = performance.now()
    server = await startWrangler(stateDir, port)
    const readyMs = performance.now() - t
    const downMs = performance.now() - kill.at

    // Comments: every acknowledged one is stored exactly once, with its id, before any retry.
    const before = census(await listComments(server.url))
    for (const c of cycleComments) {
      const e = before.get(c.body)
      c.storedBeforeRetry = e !== undefined
      if (c.acknowledged) {
        if (!e) violation(`acknowledged comment ${c.key} (id ${c.id}) is missing after the restart`)
        else if (e.ids[0] !== c.id) violation(`acknowledged comment ${c.key} had id ${c.id}, is stored as ${e.ids.join(', ')}`)
      }
    }
    for (const c of comments) {
      if (c.cycle < cycle && !before.has(c.body)) violation(`comment ${c.key} from cycle ${c.cycle} is missing after the restart`)
    }
    // Then every unacknowledged one is sent again with its key until it is answered.
    const unacked = cycleComments.filter((c) => !c.acknowledged)
    let replayed = 0
    await Promise.all(
      Array.from({ length: Math.min(8, unacked.length) }, async (_, lane) => {
        for (let i = lane; i < unacked.length; i += 8) {
          const c = unacked[i]!
          for (let attempt = 1; attempt <= RESEND_ATTEMPTS; attempt++) {
            try {
              const res = await postComment(server.url, c)
              if (res.status === 201) {
                if (res.replayed !== c.storedBeforeRetry) {
                  violation(
                    `re-sent comment ${c.key}: ${res.replayed ? 'replayed, but it was not listed' : 'stored anew, but it was already stored'}`,
                  )
                }
                if (res.replayed) replayed++
                c.state = 'acked'
                c.id = res.id
                break
              }
              if (attempt === RESEND_ATTEMPTS) violation(`re-sent comment ${c.key}: HTTP ${res.status} ${res.text.slice(0, 200)}`)
            } catch (err) {
              if (attempt === RESEND_ATTEMPTS) violation(`re-sent comment ${c.key}: ${String(err)}`)
            }
            await sleep(500)
          }
        }
      }),
    )
    const after = census(await listComments(server.url))
    for (const c of comments) {
      const e = after.get(c.body)
      if (!e) violation(`comment ${c.key} is missing after its retries`)
      else if (c.id !== undefined && e.ids[0] !== c.id) violation(`comment ${c.key} was answered with id ${c.id}, is stored as ${e.ids[0]}`)
    }
    const expected = new Set(comments.map((c) => c.body))
    for (const body of after.keys()) if (!expected.has(body)) violation(`unknown comment stored: "${body}"`)

    // Views: the stored count after the restart against what the pages showed and what was sent.
    const stored = await storedViews(server.url)
    const acked = cycleViews.filter((v) => v.state === 'acked')
    const maxShown = Math.max(0, ...views.filter((v) => v.shown !== undefined).map((v) => v.shown!))
    const ackedAll = views.filter((v) => v.state === 'acked').length
    if (stored < lastStored) violation(`cycle ${cycle}: the count went back from ${lastStored} to ${stored}`)
    if (stored < maxShown) violation(`cycle ${cycle}: stored count ${stored} is below the ${maxShown} a page showed`)
    if (stored - lastStored < acked.length) {
      violation(`cycle ${cycle}: the count rose by ${stored - lastStored}, but ${acked.length} pages were shown to new readers`)
    }
    if (stored - lastStored > cycleViews.length) {
      violation(`cycle ${cycle}: the count rose by ${stored - lastStored}, but only ${cycleViews.length} views were sent`)
    }
    if (stored < ackedAll || stored > views.length) violation(`cycle ${cycle}: count ${stored} outside [${ackedAll}, ${views.length}]`)
    lastStored = stored

    const f: CycleFigures = {
      cycle,
      streamMs,
      comments: {
        sent: cycleComments.length,
        acked: cycleComments.filter((c) => c.acknowledged).length,
        inFlight: cycleComments.filter((c) => c.inFlightAtKill && !c.acknowledged).length,
        failed: cycleComments.filter((c) => !c.acknowledged && !c.inFlightAtKill).length,
        storedUnacked: unacked.filter((c) => c.storedBeforeRetry).length,
        lateAcks: cycleComments.filter((c) => c.inFlightAtKill && c.acknowledged).length,
        resent: unacked.length,
        replayed,
      },
      views: {
        sent: cycleViews.length,
        acked: acked.length,
        inFlight: cycleViews.filter((v) => v.inFlightAtKill && v.state !== 'acked').length,
        failed: cycleViews.filter((v) => v.state === 'failed' && !v.inFlightAtKill).length,
        stored,
        maxShown,
      },
      readyMs,
      downMs,
      portChanged,
      killed: kill.killed.length,
    }
    figures.push(f)
    console.log(
      `cycle ${cycle}/${CYCLES}: killed after ${seconds(streamMs)} s (${f.killed} processes${portChanged ? ', new port' : ''}); ` +
        `comments ${f.comments.acked} acknowledged (${f.comments.lateAcks} of them read after the SIGKILL), ${f.comments.inFlight} in flight (${f.comments.storedUnacked} of them stored anyway), ` +
        `${f.comments.failed} failed; ${f.comments.resent} re-sent → ${f.comments.replayed} replayed, ${f.comments.resent - f.comments.replayed} new; ` +
        `views ${f.views.acked} acknowledged, ${f.views.inFlight} in flight; stored count ${stored} (max shown ${maxShown}, ` +
        `${ackedAll} acknowledged in all, ${views.length} sent); ready ${seconds(readyMs)} s (down ${seconds(downMs)} s)`,
    )
  }

  // Every page showed its own number: a count shown and then lost would have been shown again.
  const shown = views.filter((v) => v.shown !== undefined).map((v) => v.shown!)
  const repeats = shown.length - new Set(shown).size
  if (repeats > 0) violation(`${repeats} pages showed a count another page had already shown`)

  const finalComments = await listComments(server.url)
  const totalAcked = figures.reduce((a, f) => a + f.comments.acked, 0)
  const ackedKept = comments.filter((c) => c.acknowledged && c.storedBeforeRetry).length
  const totalInFlight = figures.reduce((a, f) => a + f.comments.inFlight, 0)
  const totalStoredUnacked = figures.reduce((a, f) => a + f.comments.storedUnacked, 0)
  const totalLate = figures.reduce((a, f) => a + f.comments.lateAcks, 0)
  const ready = figures.map((f) => f.readyMs)
  const down = figures.map((f) => f.downMs)
  const viewsAcked = views.filter((v) => v.state === 'acked').length
  const viewsInFlight = views.filter((v) => v.inFlightAtKill && v.state !== 'acked').length
  console.log('\nsummary')
  console.log(`  cycles survived: ${figures.length}/${CYCLES} kills (SIGKILL to the process group mid-stream), seed ${SEED}`)
  console.log(
    `  comments: ${comments.length} sent, ${totalAcked} acknowledged (${totalLate} of them answers read after the SIGKILL), ${ackedKept} of them found after the restart before any retry; ` +
      `${totalInFlight} in flight at a kill (${totalStoredUnacked} of them had been stored), all re-sent with their key; ` +
      `${finalComments.length} stored at the end (expected ${comments.length})`,
  )
  console.log(
    `  views: ${views.length} sent from distinct readers, ${viewsAcked} pages shown, ${viewsInFlight} in flight at a kill; ` +
      `stored count ${lastStored} (allowed ${viewsAcked}…${viewsAcked + viewsInFlight}); ${shown.length} pages showed ${new Set(shown).size} different numbers`,
  )
  console.log(
    `  restart: ready (spawn → /api/health) ${seconds(Math.min(...ready))}–${seconds(Math.max(...ready))} s, ` +
      `median ${seconds([...ready].sort((a, b) => a - b)[Math.floor(ready.length / 2)]!)} s; kill → ready at most ${seconds(Math.max(...down))} s; ` +
      `port changes ${portChanges}; processes outside the group ${escaped}`,
  )
  console.log(`  run time ${seconds(Date.now() - started)} s`)
  if (finalComments.length !== comments.length) violation(`${finalComments.length} comments stored, ${comments.length} sent`)
  if (violations.length > 0) {
    console.log(`\nFAILED: ${violations.length} violation(s)`)
    process.exitCode = 1
  } else {
    console.log('\nOK: no acknowledged write lost, no duplicate, counts consistent across every kill')
  }
}

main()
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exitCode = 1
  })
  .finally(() => cleanup())
