import { describe, expect, it } from 'vitest'
import { fillDays, sparklineSvg, type Point } from '../src/views/charts'

/** The trend line's points as the chart defines them: x evenly spread, y from the top, each written with toFixed(1). */
function expectedPoints(views: readonly number[], width = 120, height = 24): string {
  const max = Math.max(1, ...views)
  const step = views.length > 1 ? width / (views.length - 1) : width
  return views.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`).join(' ')
}

const pointsOf = (svg: string) => /points="([^"]*)"/.exec(svg)?.[1]
const series = (views: readonly number[]): Point[] => views.map((v, i) => ({ day: `2026-01-${String(i + 1).padStart(2, '0')}`, views: v }))

describe('the trend line', () => {
  it('writes every coordinate as toFixed(1) would, half-way tenths included', () => {
    // Every count from 0 to max against max, for each max up to 400: the tenths a post page can show,
    // among them the half-way ones (such as 22.95) that toFixed rounds by their exact value.
    let lines = 0
    for (let max = 1; max <= 400; max++) {
      for (let from = 0; from <= max; from += 29) {
        const views = [...Array.from({ length: Math.min(29, max + 1 - from) }, (_, i) => from + i), max]
        expect(pointsOf(sparklineSvg(series(views), 't'))).toBe(expectedPoints(views))
        lines++
      }
    }
    expect(lines).toBeGreaterThan(2900)
    for (const views of [[0], [5], [0, 0, 0], [3, 1_000_000, 7], [12, 12]])
      expect(pointsOf(sparklineSvg(series(views), 't'))).toBe(expectedPoints(views))
    expect(pointsOf(sparklineSvg(series([1, 2, 3]), 't', 90, 30))).toBe(expectedPoints([1, 2, 3], 90, 30))
  })

  it('escapes its title, and draws a different title or size as asked after drawing another', () => {
    const a = sparklineSvg(series([1, 2]), '近30天 <阅读>')
    expect(a).toContain('aria-label="近30天 &lt;阅读&gt;"')
    expect(a).toContain('<title>近30天 &lt;阅读&gt;</title>')
    const b = sparklineSvg(series([1, 2]), 'Last 30 days')
    expect(b).toContain('aria-label="Last 30 days"')
    expect(b).not.toContain('阅读')
    expect(sparklineSvg(series([1, 2]), 'Last 30 days', 60, 10)).toContain('width="60" height="10" viewBox="0 0 60 10"')
  })

  it('fills the days without views with 0, whatever the order of the points', () => {
    const points = [
      { day: '2026-02-26', views: 4 },
      { day: '2026-03-01', views: 9 },
      { day: '2026-02-20', views: 1 },
    ]
    const expected = [
      { day: '2026-02-25', views: 0 },
      { day: '2026-02-26', views: 4 },
      { day: '2026-02-27', views: 0 },
      { day: '2026-02-28', views: 0 },
      { day: '2026-03-01', views: 9 },
    ]
    expect(fillDays(points, 5, '2026-03-01')).toEqual(expected)
    expect(
      fillDays(
        [...points].sort((x, y) => (x.day < y.day ? -1 : 1)),
        5,
        '2026-03-01',
      ),
    ).toEqual(expected)
    // Days after the last one asked for are left out; an empty series is all zeros.
    expect(fillDays([{ day: '2026-03-02', views: 3 }], 2, '2026-03-01')).toEqual([
      { day: '2026-02-28', views: 0 },
      { day: '2026-03-01', views: 0 },
    ])
    expect(fillDays([], 1, '2026-03-01')).toEqual([{ day: '2026-03-01', views: 0 }])
  })
})
