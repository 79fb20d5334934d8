/**
 * Dates in front matter come with or without an offset. Without one they are wall-clock time in
 * the site's time zone (default Asia/Shanghai), which needs the zone's offset at that moment.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i

const partsFormatters = new Map<string, Intl.DateTimeFormat>()

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    partsFormatters.set(timeZone, f)
  }
  return f
}

interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** The wall-clock time in `timeZone` at instant `ms`. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const out: Record<string, number> = {}
  for (const p of partsFormatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value)
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  }
}

function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return asUtc - Math.floor(ms / 1000) * 1000
}

/**
 * Parses `2024-05-01`, `2024-05-01 08:30`, `2024-05-01T08:30:00+08:00`, `…Z` into epoch ms.
 * Returns null for anything else, including impossible dates such as 2024-02-30.
 */
export function parseDate(input: string, timeZone: string): number | null {
  const m = DATE_RE.exec(input.trim())
  if (!m) return null
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', tz] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  const millis = Number(frac.padEnd(3, '0').slice(0, 3))
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis)
  const check = new Date(wallAsUtc)
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null
  if (tz) {
    if (tz.toUpperCase() === 'Z') return wallAsUtc
    const sign = tz[0] === '-' ? -1 : 1
    const digits = tz.slice(1).replace(':', '')
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))
    if (offsetMin > 18 * 60) return null
    return wallAsUtc - sign * offsetMin * 60_000
  }
  // Two passes find the offset that was in force at that wall-clock time (DST-safe except in the
  // skipped hour, where any nearby instant is acceptable).
  let guess = wallAsUtc - offsetAt(wallAsUtc, timeZone)
  guess = wallAsUtc - offsetAt(guess, timeZone)
  return guess
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** `YYYY-MM-DD` in the site's time zone. */
export function formatDay(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone)
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`
}

/** `YYYY-MM-DD HH:mm` in the site's time zone. */
export function formatDateTime(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone)
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`
}

/** ISO 8601 with the site's offset, e.g. `2024-05-01T08:30:00+08:00` (for `datetime` attributes). */
export function formatIsoLocal(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone)
  const off = Math.round(offsetAt(ms, timeZone) / 60_000)
  const sign = off < 0 ? '-' : '+'
  const abs = Math.abs(off)
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}
