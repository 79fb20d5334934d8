import { describe, expect, it } from 'vitest'
import { judgeTargets, type TargetInput, type TargetRow } from '../scripts/bench-targets'

const row = (
  route: string,
  path: string,
  connections: number,
  rps: number,
  ratioToFloor?: number,
  extra: Partial<TargetRow> = {},
): TargetRow => ({
  route,
  method: 'GET',
  path,
  connections,
  rps,
  p50ms: connections === 1 ? 1000 / rps : 20,
  ratioToFloor,
  socketErrors: 0,
  unexpected: 0,
  requests: rps * 6,
  ...(path.startsWith('/archives/1000') ? { viewsCounted: rps * 6 + 1, rounds: [1, 2, 3] } : {}),
  ...extra,
})

/** A run that meets every target, at both concurrencies. */
function goodRun(): TargetInput {
  const rows: TargetRow[] = []
  for (const c of [50, 1]) {
    rows.push(
      row('floor (bare hello)', '/', c, 3000, 1),
      row('/api/health', '/api/health', c, 1200, 0.4),
      row('/ front page', '/', c, 2400, 0.8),
      row('/feed', '/feed', c, 2100, 0.7),
      row('/archives/1000 (200 comments, counted)', '/archives/1000', c, 900, 0.3),
      row('POST /archives/501/comments', '/archives/501/comments', c, 150, 0.05, { method: 'POST', p50ms: 7 }),
      row('brycedorn/blog front page', '/', c, 100),
      row('brycedorn/blog post page', '/post-number-21', c, 80),
    )
  }
  return { rows, heapPeakMiB: 70, heapKeptMiB: 13, wallSeconds: 250 }
}

const missed = (input: TargetInput) =>
  judgeTargets(input)
    .filter((v) => !v.met)
    .map((v) => `${v.target.split(' ')[0]} ${v.detail}`)

describe("issue 8's targets, judged on a run", () => {
  it('are all met by a run that meets them (the health route and the comment POST are not list pages)', () => {
    const verdicts = judgeTargets(goodRun())
    expect(verdicts).toHaveLength(8)
    expect(verdicts.filter((v) => !v.met)).toEqual([])
  })

  it('name the cell that missed each one', () => {
    const run = goodRun()
    const post1 = run.rows.find((r) => r.route.startsWith('/archives') && r.connections === 1)!
    post1.ratioToFloor = 0.24
    post1.rps = 790
    post1.p50ms = 1.6
    run.rows.find((r) => r.route === '/feed' && r.connections === 50)!.unexpected = 2
    run.rows.find((r) => r.route === '/feed' && r.connections === 50)!.ratioToFloor = 0.58
    run.rows.find((r) => r.route.startsWith('/archives') && r.connections === 50)!.viewsCounted = 900 * 6 - 1
    run.wallSeconds = 301
    run.heapKeptMiB = 70
    expect(missed(run)).toEqual([
      'front, lowest /feed at c=50: 58%',
      'post lowest /archives/1000 (200 comments, counted) at c=1: 24%',
      'every highest /archives/1000 (200 comments, counted): 1.60 ms',
      'the c=50: rose by 5399 for 5400 completed requests; c=1: rose by 5401 for 5400 completed requests',
      'zero /feed at c=50: 2',
      'every lowest /archives/1000 (200 comments, counted) at c=1: 9.9×',
      'the 70.0 MiB after a full collection; at most 70.0 MiB right after a route (garbage included)',
      'the 301 s',
    ])
  })

  it('count a target as missed when the run could not measure it', () => {
    const run = goodRun()
    run.rows = run.rows.filter((r) => !r.route.startsWith('brycedorn'))
    run.heapPeakMiB = null
    run.heapKeptMiB = null
    run.rows = run.rows.map(({ viewsCounted: _, ...r }) => r)
    expect(missed(run)).toEqual(['the not measured', 'every not measured (no COMPARE_DIR)', 'the not measured'])
  })
})
