/**
 * Shared by the load benchmarks: runs wrk (one thread, bounded time, 127.0.0.1 only) and parses
 * its report, plus the Lua scripts for distinct simulated readers and commenters, and the
 * resident memory of the workerd processes under this Node process.
 */
import { execFile, spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36'

export interface WrkResult {
  route: string
  path: string
  method: string
  connections: number
  seconds: number
  requests: number
  rps: number
  p50ms: number
  p99ms: number
  /** wrk socket errors: connect, read, write, timeout. */
  socketErrors: number
  errorKinds: string
  /** Answers that were not 2xx or 3xx, as wrk counts them. */
  non2xx3xx: number
  /** Scripts with a status table (the comment POST): status → count. */
  statuses?: Record<string, number>
  /** Answers whose status was not the expected one (from `statuses`, else `non2xx3xx`). */
  unexpected: number
  expected: string
}

export function requireWrk(): void {
  if (spawnSync('wrk', ['--version']).error) {
    console.error('wrk is not installed. On Debian: apt-get install -y wrk')
    process.exit(2)
  }
}

function durationMs(text: string): number {
  const m = /([\d.]+)(us|ms|s|m)\b/.exec(text)
  if (!m) return NaN
  const v = Number(m[1])
  return m[2] === 'us' ? v / 1000 : m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : v * 60_000
}

/**
 * What every browser sends in Accept-Encoding (Chrome's value): the blog sends the pages it keeps
 * gzip-compressed to such a client (src/lib/compressed.ts), as it would to any reader.
 */
export const BROWSER_ENCODINGS = 'gzip, deflate, br, zstd'

/**
 * GET with every request from a different reader: a browser user agent and Accept-Encoding, and a
 * distinct CF-Connecting-IP (10.x.y.z from a per-run offset), so none is a reload inside the reader window.
 */
export const READER_LUA = `
local ua = "${BROWSER_UA}"
local n = 0
function init(args)
  n = tonumber(args[1]) or 0
end
request = function()
  n = n + 1
  local ip = "10." .. (math.floor(n / 65536) % 256) .. "." .. (math.floor(n / 256) % 256) .. "." .. (n % 256)
  return wrk.format("GET", nil, { ["User-Agent"] = ua, ["Accept-Encoding"] = "${BROWSER_ENCODINGS}", ["CF-Connecting-IP"] = ip })
end
`

/** A plain browser GET (user agent and Accept-Encoding): list pages, search, feed. */
export const BROWSER_LUA = `
local ua = "${BROWSER_UA}"
request = function()
  return wrk.format("GET", nil, { ["User-Agent"] = ua, ["Accept-Encoding"] = "${BROWSER_ENCODINGS}" })
end
`

/**
 * The comment form's POST, as a browser sends it: same-origin (Origin, Sec-Fetch-Site), the form's
 * hidden fields (its signed render time ts, an empty honeypot, a fresh idempotency key), and each
 * request from a distinct visitor (own CF-Connecting-IP) with distinct text (the post's object
 * refuses a writer's same text twice). Args: origin, ts, first visitor number. Counts statuses.
 */
export const COMMENT_LUA = `
local ua = "${BROWSER_UA}"
local origin, ts, n = "", "", 0
local statuses = {}
function setup(thread)
  thread:set("statuses", statuses)
end
function init(args)
  origin = args[1]
  ts = args[2]
  n = tonumber(args[3]) or 0
end
local function enc(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
request = function()
  n = n + 1
  local ip = "100." .. (64 + math.floor(n / 65536) % 64) .. "." .. (math.floor(n / 256) % 256) .. "." .. (n % 256)
  local body = "key=bench-" .. ts:sub(1, 13) .. "-" .. n
    .. "&ts=" .. enc(ts)
    .. "&author=" .. enc("读者" .. n)
    .. "&email=&url=&website="
    .. "&body=" .. enc("第" .. n .. "条测试评论：$\\\\alpha_" .. (n % 10) .. " + \\\\beta$ 的取值范围是什么？谢谢分享。")
  return wrk.format("POST", nil, {
    ["User-Agent"] = ua,
    ["CF-Connecting-IP"] = ip,
    ["Origin"] = origin,
    ["Sec-Fetch-Site"] = "same-origin",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
response = function(status, headers, body)
  local k = tostring(status)
  statuses[k] = (statuses[k] or 0) + 1
end
done = function(summary, latency, requests)
  local parts = {}
  for k, v in pairs(statuses) do parts[#parts + 1] = k .. "=" .. v end
  io.write("STATUSES " .. table.concat(parts, ",") .. "\\n")
end
`

export interface WrkRun {
  route: string
  url: string
  connections: number
  seconds: number
  /** Lua script text (written to .bench/) and its arguments. */
  lua?: string
  args?: string[]
  method?: string
  /** The status every answer should have (only checked exactly when the script counts statuses). */
  expected?: string
}

let scripts = 0
let prelude = ''

/** Lua run at the top of every wrk script from now on (BENCH_DIRECT's `cf` header: bench-state.ts). */
export function setLuaPrelude(lua: string): void {
  prelude = lua
}

export async function wrk(r: WrkRun): Promise<WrkResult> {
  const url = new URL(r.url)
  if (url.hostname !== '127.0.0.1') throw new Error(`load goes to 127.0.0.1 only, not ${url.hostname}`)
  const args = ['-t1', `-c${r.connections}`, `-d${r.seconds}s`, '--latency', '--timeout', '10s']
  // The script is a file for the length of the run only.
  const lua = prelude + (r.lua ?? '')
  const file = lua ? join('.bench', `wrk-${process.pid}-${++scripts}.lua`) : null
  if (file) {
    mkdirSync('.bench', { recursive: true })
    writeFileSync(file, lua)
    args.push('-s', file)
  }
  args.push(r.url)
  if (r.args) args.push('--', ...r.args)
  let out: string
  try {
    out = (await run('wrk', args, { encoding: 'utf8', timeout: (r.seconds + 30) * 1000 })).stdout
  } finally {
    if (file) rmSync(file, { force: true })
  }
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const non2xx3xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
  const statusLine = /STATUSES (.*)/.exec(out)?.[1]
  const statuses =
    statusLine !== undefined
      ? Object.fromEntries(
          statusLine
            .split(',')
            .filter(Boolean)
            .map((kv) => kv.split('=') as [string, string]),
        )
      : undefined
  const statusCounts = statuses ? Object.fromEntries(Object.entries(statuses).map(([k, v]) => [k, Number(v)])) : undefined
  const expected = r.expected ?? '200'
  const unexpected = statusCounts ? Object.entries(statusCounts).reduce((sum, [k, v]) => (k === expected ? sum : sum + v), 0) : non2xx3xx
  return {
    route: r.route,
    path: url.pathname + url.search,
    method: r.method ?? 'GET',
    connections: r.connections,
    seconds: r.seconds,
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50ms: durationMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ''),
    p99ms: durationMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ''),
    socketErrors: errors ? errors.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    errorKinds: errors ? `connect ${errors[1]}, read ${errors[2]}, write ${errors[3]}, timeout ${errors[4]}` : '',
    non2xx3xx,
    statuses: statusCounts,
    unexpected,
    expected,
  }
}

/** Child process ids of `pid` (from /proc; Linux only). */
function children(pid: number): number[] {
  const out: number[] = []
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim()
      if (text) out.push(...text.split(/\s+/).map(Number))
    }
  } catch {
    // not Linux, or the process is gone
  }
  return out
}

/** Every process below `pid` in the process tree. */
export function descendants(pid = process.pid): number[] {
  const out: number[] = []
  const queue = [pid]
  while (queue.length) {
    for (const c of children(queue.shift()!)) {
      out.push(c)
      queue.push(c)
    }
  }
  return out
}

/** Resident memory of a process in KiB (VmRSS), or NaN. */
export function rssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : NaN
  } catch {
    return NaN
  }
}

/** Peak VmHWM (the kernel's own high-water mark of resident memory) in KiB, or NaN. */
export function peakRssKiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : NaN
  } catch {
    return NaN
  }
}

/** CPU time (user + system) a process has used so far, in ms (from /proc/<pid>/stat; clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return NaN
  }
}

/**
 * The machine's CPU time so far, in ticks (/proc/stat's first line): all of it, and the part "stolen"
 * by the hypervisor for other virtual machines (time this machine wanted to run and could not).
 */
export function machineTicks(): { total: number; steal: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number)
    return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 }
  } catch {
    return { total: NaN, steal: NaN }
  }
}

/** The executable name of a process (to tell workerd from Node helpers in the tree). */
export function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return ''
  }
}

/** Samples a process's VmRSS every `everyMs` until stopped; returns the peak and the last value. */
export function sampleRss(pid: number, everyMs = 100): { stop: () => { peakKiB: number; lastKiB: number; samples: number } } {
  let peak = 0
  let last = NaN
  let samples = 0
  const timer = setInterval(() => {
    last = rssKiB(pid)
    if (last > peak) peak = last
    samples++
  }, everyMs)
  return {
    stop: () => {
      clearInterval(timer)
      return { peakKiB: peak, lastKiB: last, samples }
    },
  }
}

/** The median of the values that are numbers (the mean of the middle two for an even count); NaN if none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length))
export const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s)

/**
 * A process's CPU time in nanoseconds, summed over its threads (/proc/<pid>/task/<tid>/schedstat):
 * exact, where /proc/<pid>/stat counts whole clock ticks (10 ms here). NaN when it cannot be read.
 */
export function cpuNs(pid: number): number {
  try {
    let ns = 0
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
      } catch {
        // (A thread that ended between the listing and the read.)
      }
    }
    return ns
  } catch {
    return NaN
  }
}

/**
 * Waits until a process is idle (under 3% of a core for two tenth-of-a-second windows in a row, at
 * most `limitMs`): a site served from a kept state first finishes its background work (the Site and
 * search objects' alarms delete the list chunks retired during seeding, thousands of KV deletes), and
 * a route that wrote (the comment POST: snapshots, search updates) leaves some behind; either would
 * otherwise run during the next measured route. The CPU time is read to the nanosecond (cpuNs), so
 * short windows see light work too (clock ticks would miss a process at a few percent). Returns the
 * seconds waited.
 */
export async function waitUntilIdle(pid: number, limitMs = 180_000): Promise<number> {
  const started = Date.now()
  const windowMs = 100
  let quiet = 0
  while (quiet < 2 && Date.now() - started < limitMs) {
    const before = cpuNs(pid)
    await new Promise((r) => setTimeout(r, windowMs))
    const busyMs = (cpuNs(pid) - before) / 1e6
    // (Unreadable: the process is gone, and nothing is left to wait for.)
    quiet = Number.isNaN(busyMs) || busyMs < 0.03 * windowMs ? quiet + 1 : 0
  }
  return (Date.now() - started) / 1000
}

export interface IsolateHeap {
  /** V8's used heap (live objects, plus garbage not yet collected unless measured after a collection), MiB. */
  usedMiB: number
  /** The heap V8 has reserved, MiB. */
  totalMiB: number
  /** ArrayBuffer backing stores (response bodies; kept pages, templates, feeds), MiB. */
  backingMiB: number
}

/**
 * One isolate's heap through workerd's inspector (Miniflare's `inspectorPort`), over one DevTools
 * protocol session kept for the run (the inspector serves one session at a time): `heap()` is
 * `Runtime.getHeapUsage` as found (V8 collects lazily, so after a load run it is mostly garbage);
 * `heap(true)` runs `HeapProfiler.collectGarbage` first, which shows what the isolate keeps but
 * takes many seconds here. Needs a global WebSocket (Node 22, or Node 20 with
 * --experimental-websocket: `npm run bench` sets it); null without one or when no target's title
 * names the worker.
 */
export async function inspectIsolate(
  inspectorPort: number,
  worker: string,
): Promise<{ heap(collect?: boolean): Promise<IsolateHeap>; close(): void } | null> {
  const Socket = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket
  if (!Socket) return null
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
    title: string
    webSocketDebuggerUrl: string
  }[]
  const target = targets.find((t) => t.title.includes(`core:user:${worker}`))
  if (!target) return null
  const socket = new Socket(target.webSocketDebuggerUrl)
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve())
    socket.addEventListener('error', () => reject(new Error('inspector connection failed')))
  })
  type Usage = { usedSize: number; totalSize: number; backingStorageSize?: number }
  const answers = new Map<number, (result: unknown) => void>()
  let next = 0
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown }
    if (message.id !== undefined) answers.get(message.id)?.(message.result)
  })
  const call = <T>(method: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next
      const timer = setTimeout(() => reject(new Error(`the inspector did not answer ${method} within 30 s`)), 30_000)
      answers.set(id, (result) => {
        clearTimeout(timer)
        answers.delete(id)
        resolve(result as T)
      })
      socket.send(JSON.stringify({ id, method }))
    })
  const mib = (bytes: number) => bytes / 1_048_576
  return {
    async heap(collect = false) {
      if (collect) await call('HeapProfiler.collectGarbage')
      const usage = await call<Usage>('Runtime.getHeapUsage')
      return {
        usedMiB: mib(usage.usedSize),
        totalMiB: mib(usage.totalSize),
        backingMiB: mib(usage.backingStorageSize ?? 0),
      }
    },
    close: () => socket.close(),
  }
}
