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
  const byDay = new Map(points.map((p) => [p.day, p.views]))
  return lastDays(days, lastDay).map((day) => ({ day, views: byDay.get(day) ?? 0 }))
}

/**
 * A small trend line of views per day, drawn on the server (no chart script in the page), as markup:
 * a post page draws one per view, so it is built as a string rather than rendered as JSX.
 */
export function sparklineSvg(points: readonly Point[], title: string, width = 120, height = 24): string {
  let max = 1
  for (const p of points) if (p.views > max) max = p.views
  const step = points.length > 1 ? width / (points.length - 1) : width
  const coords = points.map((p, i) => `${(i * step).toFixed(1)},${(height - 1 - (p.views / max) * (height - 2)).toFixed(1)}`).join(' ')
  const label = escapeHtml(title)
  return (
    `<svg class="sparkline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}">` +
    `<title>${label}</title><polyline points="${coords}" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"></polyline></svg>`
  )
}

/** Views per day as a bar chart with a labelled axis, as a standalone SVG document. */
export function barChartSvg(points: readonly Point[], title: string): string {
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
      return `<rect x="${(x + 1).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${Math.max(1, barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="#b5442d"><title>${escapeHtml(p.day)}: ${p.views}</title></rect>`
    })
    .join('')
  const ticks = [0, 0.5, 1]
    .map((f) => {
      const y = top + plotH - f * plotH
      return `<line x1="${left}" x2="${width - 16}" y1="${y}" y2="${y}" stroke="#e4e4e4"/><text x="${left - 6}" y="${y + 4}" text-anchor="end">${Math.round(f * max)}</text>`
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
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" fill="#555"><title>${escapeHtml(title)}</title><text x="${left}" y="18" font-size="13" fill="#222">${escapeHtml(title)}</text>${ticks}${bars}${labels}</svg>`
}
