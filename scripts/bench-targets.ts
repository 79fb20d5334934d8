/**
 * Issue 8's targets, judged on one `npm run bench` run (docs/PERFORMANCE.md, "Issue 8 benchmark"):
 * each target with whether the run met it and the figure that decided it. Pure (no Node APIs), so
 * `test/bench-targets.test.ts` runs it in workerd.
 */

/** What the verdicts read of a result row (scripts/bench.ts `Row`). */
export interface TargetRow {
  route: string
  method: string
  path: string
  connections: number
  rps: number
  p50ms: number
  ratioToFloor?: number
  socketErrors: number
  unexpected: number
  /** Completed requests (summed over the rounds). */
  requests: number
  /** Post page only: how much the exact reader count rose (summed over the rounds). */
  viewsCounted?: number
  /** The runs behind a combined row. */
  rounds?: unknown[]
}

export interface TargetInput {
  rows: TargetRow[]
  /** The blog isolate's heap: the most seen right after a route (garbage included) and what a full collection left at the end. */
  heapPeakMiB: number | null
  heapKeptMiB: number | null
  wallSeconds: number
}

export interface Verdict {
  target: string
  met: boolean
  /** The figure that decided it (the worst cell), or why it could not be judged. */
  detail: string
}

export const TARGETS = {
  listRatio: 0.6,
  postRatio: 0.25,
  p50ms: 1.5,
  timesComparison: 10,
  isolateMiB: 128,
  wallSeconds: 300,
} as const

const pct = (x: number) => `${(x * 100).toFixed(0)}%`

/** Our GET routes by kind: the post page (counted), the list pages (front, list, category, search, feed), the rest (health). */
function kindOf(r: TargetRow): 'floor' | 'theirs' | 'post' | 'list' | 'health' | 'write' {
  if (r.route.startsWith('floor')) return 'floor'
  if (r.route.startsWith('brycedorn')) return 'theirs'
  if (r.method !== 'GET') return 'write'
  if (r.path.startsWith('/archives/')) return 'post'
  if (r.path.startsWith('/api/')) return 'health'
  return 'list'
}

/** The cell with the lowest value of `value` among `rows`, as "route at c=N: text", or null if there are none. */
function worst(rows: TargetRow[], value: (r: TargetRow) => number, text: (v: number) => string): { v: number; at: string } | null {
  let found: { v: number; at: string } | null = null
  for (const r of rows) {
    const v = value(r)
    if (Number.isNaN(v)) continue
    if (!found || v < found.v) found = { v, at: `${r.route} at c=${r.connections}: ${text(v)}` }
  }
  return found
}

export function judgeTargets(input: TargetInput): Verdict[] {
  const ours = input.rows.filter((r) => !['floor', 'theirs'].includes(kindOf(r)))
  const lists = ours.filter((r) => kindOf(r) === 'list')
  const posts = ours.filter((r) => kindOf(r) === 'post')
  const reads = ours.filter((r) => kindOf(r) !== 'write')
  const verdicts: Verdict[] = []
  const ratioVerdict = (target: string, rows: TargetRow[], min: number) => {
    const w = worst(rows, (r) => r.ratioToFloor ?? NaN, pct)
    verdicts.push(w ? { target, met: w.v >= min, detail: `lowest ${w.at}` } : { target, met: false, detail: 'not measured' })
  }
  ratioVerdict(
    `front, list, category, search and feed pages ≥ ${pct(TARGETS.listRatio)} of the floor (c=50 and c=1)`,
    lists,
    TARGETS.listRatio,
  )
  ratioVerdict(`post page (counted) ≥ ${pct(TARGETS.postRatio)} of the floor (c=50 and c=1)`, posts, TARGETS.postRatio)

  const c1 = reads.filter((r) => r.connections === 1)
  const slowest = c1.reduce<TargetRow | null>((a, r) => (a === null || r.p50ms > a.p50ms ? r : a), null)
  verdicts.push(
    slowest
      ? {
          target: `every read route's p50 at c=1 ≤ ${TARGETS.p50ms} ms`,
          met: slowest.p50ms <= TARGETS.p50ms,
          detail: `highest ${slowest.route}: ${slowest.p50ms.toFixed(2)} ms`,
        }
      : { target: `every read route's p50 at c=1 ≤ ${TARGETS.p50ms} ms`, met: false, detail: 'not measured' },
  )

  // Every completed view counted once; the requests still in flight when wrk stopped (at most one
  // per connection and round) may have been counted too.
  const counted = posts.filter((r) => r.viewsCounted !== undefined)
  const inexact = counted.filter(
    (r) => r.viewsCounted! < r.requests || r.viewsCounted! > r.requests + r.connections * (r.rounds?.length ?? 1),
  )
  verdicts.push({
    target: "the post page's reader count exact",
    met: counted.length > 0 && inexact.length === 0,
    detail: counted.length
      ? counted.map((r) => `c=${r.connections}: rose by ${r.viewsCounted} for ${r.requests} completed requests`).join('; ')
      : 'not measured',
  })

  const failed = ours.filter((r) => r.socketErrors + r.unexpected > 0)
  verdicts.push({
    target: 'zero errors, every response the expected status',
    met: failed.length === 0,
    detail:
      failed.length === 0
        ? `${ours.length} rows`
        : failed.map((r) => `${r.route} at c=${r.connections}: ${r.socketErrors + r.unexpected}`).join('; '),
  })

  // Pages against their counterpart: the post page against theirs, every other page against their front page.
  const theirs = input.rows.filter((r) => kindOf(r) === 'theirs')
  const times = (r: TargetRow) => {
    const page = theirs.find((t) => t.connections === r.connections && t.route.includes(kindOf(r) === 'post' ? 'post' : 'front'))
    return page ? r.rps / page.rps : NaN
  }
  const compared = [...lists, ...posts]
  const w = theirs.length ? worst(compared, times, (x) => `${x.toFixed(1)}×`) : null
  verdicts.push(
    w
      ? {
          target: `every page ≥ ${TARGETS.timesComparison}× brycedorn/blog's (post page against its post page, the others against its front page)`,
          met: w.v >= TARGETS.timesComparison,
          detail: `lowest ${w.at}`,
        }
      : { target: `every page ≥ ${TARGETS.timesComparison}× brycedorn/blog's`, met: false, detail: 'not measured (no COMPARE_DIR)' },
  )

  // What the isolate keeps (after a full collection) under half the limit, and never the limit itself
  // with the garbage of the load included.
  const { heapPeakMiB: peak, heapKeptMiB: kept } = input
  const measured = peak !== null || kept !== null
  verdicts.push({
    target: `the blog isolate's heap far under its ${TARGETS.isolateMiB} MB limit`,
    met: measured && (kept ?? peak!) < TARGETS.isolateMiB / 2 && (peak ?? 0) < TARGETS.isolateMiB,
    detail: measured
      ? `${kept?.toFixed(1) ?? '?'} MiB after a full collection; at most ${peak?.toFixed(1) ?? '?'} MiB right after a route (garbage included)`
      : 'not measured',
  })

  verdicts.push({
    target: `the run under ${TARGETS.wallSeconds / 60} minutes`,
    met: input.wallSeconds < TARGETS.wallSeconds,
    detail: `${input.wallSeconds.toFixed(0)} s`,
  })
  return verdicts
}
