import { setNewest } from './bounded'

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

/** The months' English names (citations, RSS dates, the English archive's headings, import paths). */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

/** A month's English abbreviation, `Jan` … `Dec` (month 1–12). */
export const monthAbbr = (month: number): string => MONTH_NAMES[month - 1]!.slice(0, 3)

/** A date and time of day as a clock shows it (no zone). */
export interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** The zone's UTC offset at `ms`, from Intl (about 10 µs a call). */
function intlOffset(ms: number, timeZone: string): number {
  const out: Record<string, number> = {}
  for (const p of partsFormatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value)
  }
  const asUtc = Date.UTC(out.year ?? 1970, (out.month ?? 1) - 1, out.day ?? 1, out.hour ?? 0, out.minute ?? 0, out.second ?? 0)
  return asUtc - Math.floor(ms / 1000) * 1000
}

const DAY_MS = 86_400_000
/** `zone|utc-day` → the offset in force all that day, or null on a day with a transition. */
const dayOffsets = new Map<string, number | null>()
const DAY_OFFSETS_LIMIT = 4096

/**
 * The zone's UTC offset at `ms`. A page shows dozens of dates (every comment has two), and Intl is
 * slow enough to matter, so offsets are cached per UTC day: on the few days when a zone changes its
 * offset, the exact Intl answer is used instead.
 */
function offsetAt(ms: number, timeZone: string): number {
  const day = Math.floor(ms / DAY_MS)
  const key = `${timeZone}|${day}`
  let cached = dayOffsets.get(key)
  if (cached === undefined) {
    const start = intlOffset(day * DAY_MS, timeZone)
    const end = intlOffset(day * DAY_MS + DAY_MS - 1000, timeZone)
    cached = start === end ? start : null
    setNewest(dayOffsets, key, cached, DAY_OFFSETS_LIMIT)
  }
  return cached ?? intlOffset(ms, timeZone)
}

/** The wall-clock time in `timeZone` at instant `ms`. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const d = new Date(ms + offsetAt(ms, timeZone))
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  }
}

/**
 * Parses `2024-05-01`, `2024-05-01 08:30`, `2024-05-01T08:30:00+08:00`, `…Z` into epoch ms (years 1000 to 9999
 * in the site's time zone too).
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
  // Years before 1000 are refused: Date.UTC reads 0–99 as 1900–1999, and no post is that old.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis)
  const check = new Date(wallAsUtc)
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null
  if (tz) {
    let ms = wallAsUtc
    if (tz.toUpperCase() !== 'Z') {
      const sign = tz[0] === '-' ? -1 : 1
      const digits = tz.slice(1).replace(':', '')
      const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))
      if (offsetMin > 18 * 60 || Number(digits.slice(2)) > 59) return null
      ms = wallAsUtc - sign * offsetMin * 60_000
    }
    // An offset may carry the instant out of the years 1000–9999 in the site's zone (1000-01-01
    // 00:00+18:00), where formatIsoLocal would write it back as a date this refuses (its year, as it writes it).
    const localYear = new Date(ms + Math.round(offsetAt(ms, timeZone) / 60_000) * 60_000).getUTCFullYear()
    return localYear < 1000 || localYear > 9999 ? null : ms
  }
  // Two passes find the offset that was in force at that wall-clock time (DST-safe except in the
  // skipped hour, where any nearby instant is acceptable).
  let guess = wallAsUtc - offsetAt(wallAsUtc, timeZone)
  guess = wallAsUtc - offsetAt(guess, timeZone)
  return guess
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** formatDay's last answer. */
let lastDay = { ms: NaN, timeZone: '', day: '' }

/** `YYYY-MM-DD` in the site's time zone. */
export function formatDay(ms: number, timeZone: string): string {
  // (A request asks for the day of its own, frozen, Date.now() several times: the last answer is kept.)
  if (lastDay.ms === ms && lastDay.timeZone === timeZone) return lastDay.day
  const w = wallClock(ms, timeZone)
  const day = `${w.year}-${pad(w.month)}-${pad(w.day)}`
  lastDay = { ms, timeZone, day }
  return day
}

/** `YYYY-MM-DD HH:mm` in the site's time zone. */
export function formatDateTime(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone)
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`
}

/** ISO 8601 with the site's offset, e.g. `2024-05-01T08:30:00+08:00` (for `datetime` attributes). */
export function formatIsoLocal(ms: number, timeZone: string): string {
  const off = Math.round(offsetAt(ms, timeZone) / 60_000)
  // The clock time under the offset as written (whole minutes): an offset of seconds, a zone's local
  // mean time before its standard time (Shanghai's +08:05:43 before 1901), is written +08:06 with the
  // clock time 17 seconds on, so the string is still the instant (read back, the post keeps its date).
  const w = new Date(ms + off * 60_000)
  const sign = off < 0 ? '-' : '+'
  const abs = Math.abs(off)
  return `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}T${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}
