import { setNewest } from '../lib/bounded'
import { escapeHtml } from '../render/escape'

export interface Point {
  day: string
  views: number
}

const DAY_MS = 86_400_000

/** The day names of the last `days` days up to `lastDay`, kept for the latest few requests (a post page draws one per view). */
const dayLists = new Map<string, readonly string[]>()

function lastDays(days: number, lastDay: string): readonly string[] {
  const key = `${days}|${lastDay}`
  let list = dayLists.get(key)
  if (!list) {
    const end = Date.parse(`${lastDay}T00:00:00Z`)
    list = Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10))
    setNewest(dayLists, key, list, 8)
  }
  return list
}

/** The last `days` days up to `lastDay` (YYYY-MM-DD), with 0 for days without views. */
export function fillDays(points: readonly Point[], days: number, lastDay: string): Point[] {
  const list = lastDays(days, lastDay)
  // Points in day order (as the post's object sends them) are matched in one pass; others through a map.
  let ordered = true
  for (let i = 1; i < points.length && ordered; i++) ordered = points[i - 1]!.day < points[i]!.day
  if (!ordered) {
    const byDay = new Map(points.map((p) => [p.day, p.views]))
    return list.map((day) => ({ day, views: byDay.get(day) ?? 0 }))
  }
  let at = 0
  return list.map((day) => {
    while (at < points.length && points[at]!.day < day) at++
    return { day, views: at < points.length && points[at]!.day === day ? points[at]!.views : 0 }
  })
}

/** A non-negative number with one decimal, as toFixed(1) writes it, without toFixed's cost but at a half-way tenth. */
function tenths(value: number): string {
  const scaled = value * 10
  const n = Math.round(scaled)
  // (Half-way after the multiplication: toFixed rounds the exact value, which may lie just below.)
  if (Math.abs(scaled - n) === 0.5) return value.toFixed(1)
  return `${Math.floor(n / 10)}.${n % 10}`
}

/** The markup around a trend line's points and its x coordinates, per size, count and title. */
const sparkParts = new Map<string, { open: string; xs: readonly string[]; close: string }>()

function sparkFrame(count: number, title: string, width: number, height: number) {
  const key = `${count}|${width}|${height}|${title}`
  let parts = sparkParts.get(key)
  if (!parts) {
    const step = count > 1 ? width / (count - 1) : width
    const label = escapeHtml(title)
    parts = {
      open:
        `<svg class="sparkline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}">` +
        `<title>${label}</title><polyline points="`,
      xs: Array.from({ length: count }, (_, i) => `${tenths(i * step)},`),
      close: '" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"></polyline></svg>',
    }
    setNewest(sparkParts, key, parts, 8)
  }
  return parts
}

/**
 * A small trend line of views per day, drawn on the server (no chart script in the page), as markup:
 * a post page draws one per view, so it is built as a string rather than rendered as JSX, from parts
 * made once per size and title.
 */
export function sparklineSvg(points: readonly Point[], title: string, width = 120, height = 24): string {
  let max = 1
  for (const p of points) if (p.views > max) max = p.views
  const { open, xs, close } = sparkFrame(points.length, title, width, height)
  let coords = ''
  for (let i = 0; i < points.length; i++) {
    coords += `${i > 0 ? ' ' : ''}${xs[i]}${tenths(height - 1 - (Math.max(points[i]!.views, 0) / max) * (height - 2))}`
  }
  return open + coords + close
}

/** Views per day as a bar chart with a labelled axis, as a standalone SVG document. */
/**
 * A bar chart of views per day, one bar per point, each bar's `<title>` its day and views. Standalone
 * (`GET /api/stats.svg`) it is a file with its own size and colours; `inline` (the admin's 统计 page)
 * it scales to its box and takes its colours from the page's theme (the classes in admin.css).
 */
export function barChartSvg(points: readonly Point[], title: string, inline = false): string {
  const width = 720
  const height = 260
  const left = 48
  const bottom = 36
  const top = 32
  const plotW = width - left - 16
  const plotH = height - top - bottom
  const max = Math.max(1, ...points.map((p) => p.views))
  const barW = points.length > 0 ? plotW / points.length : plotW
  const bars = points
    .map((p, i) => {
      const h = (p.views / max) * plotH
      const x = left + i * barW
      return `<rect x="${(x + 1).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${Math.max(1, barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="#b5442d" class="chart-bar"><title>${escapeHtml(p.day)}: ${p.views}</title></rect>`
    })
    .join('')
  const ticks = [0, 0.5, 1]
    .map((f) => {
      const y = top + plotH - f * plotH
      return `<line x1="${left}" x2="${width - 16}" y1="${y}" y2="${y}" stroke="#e4e4e4" class="chart-grid"/><text x="${left - 6}" y="${y + 4}" text-anchor="end">${Math.round(f * max)}</text>`
    })
    .join('')
  const labels = points.length
    ? [points[0]!, points[points.length - 1]!]
        .map(
          (p, i) =>
            `<text x="${i === 0 ? left : width - 16}" y="${height - 12}" text-anchor="${i === 0 ? 'start' : 'end'}">${escapeHtml(p.day)}</text>`,
        )
        .join('')
    : ''
  const root = inline
    ? `<svg class="admin-chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" font-size="11" fill="#555">`
    : `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" fill="#555">`
  return `${root}<title>${escapeHtml(title)}</title><text x="${left}" y="18" font-size="13" fill="#222" class="chart-title">${escapeHtml(title)}</text>${ticks}${bars}${labels}</svg>`
}
