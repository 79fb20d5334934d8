import { describe, expect, it } from 'vitest'
import { requestOrigin } from '../src/config'
import { formatDateTime, formatDay, formatIsoLocal, parseDate } from '../src/lib/dates'

describe('dates', () => {
  it('reads dates without an offset in the site time zone and with an offset as given', () => {
    expect(parseDate('2024-05-01', 'Asia/Shanghai')).toBe(Date.UTC(2024, 3, 30, 16))
    expect(parseDate('2024-05-01 08:30', 'Asia/Shanghai')).toBe(Date.UTC(2024, 4, 1, 0, 30))
    expect(parseDate('2024-05-01T08:30:15.5', 'UTC')).toBe(Date.UTC(2024, 4, 1, 8, 30, 15, 500))
    expect(parseDate('2024-05-01T08:30:00+02:00', 'Asia/Shanghai')).toBe(Date.UTC(2024, 4, 1, 6, 30))
    expect(parseDate('2024-05-01T08:30:00Z', 'Asia/Shanghai')).toBe(Date.UTC(2024, 4, 1, 8, 30))
    expect(parseDate('2024-05-01T08:30:00-0430', 'UTC')).toBe(Date.UTC(2024, 4, 1, 13, 0))
  })

  it('refuses impossible and malformed dates', () => {
    for (const bad of [
      '2024-02-30',
      '2023-02-29',
      '2024-13-01',
      '2024-05-01 24:00',
      'yesterday',
      '2024/05/01',
      '2024-05-01T08:30:00+25:00',
      '',
    ]) {
      expect(parseDate(bad, 'Asia/Shanghai'), bad).toBeNull()
    }
    expect(parseDate('2024-02-29', 'UTC')).not.toBeNull()
    // An offset that carries the instant out of the years 1000–9999 in the site's zone: formatIsoLocal
    // would write it back as a date parseDate refuses (0999-12-31, 10000-01-01).
    expect(parseDate('1000-01-01T00:00:00+18:00', 'Asia/Shanghai')).toBeNull()
    expect(parseDate('1000-01-01T00:00:00Z', 'America/New_York')).toBeNull()
    expect(parseDate('9999-12-31T23:59:00-18:00', 'Asia/Shanghai')).toBeNull()
    expect(parseDate('9999-12-31T23:00:00Z', 'Asia/Shanghai')).toBeNull()
    expect(parseDate('9999-12-31T23:00:00Z', 'UTC')).toBe(Date.UTC(9999, 11, 31, 23))
    expect(parseDate('1000-01-01T00:00:00Z', 'Asia/Shanghai')).toBe(Date.UTC(1000, 0, 1))
  })

  it('follows daylight saving time on both sides of a transition', () => {
    // New York moved from UTC-5 to UTC-4 at 2024-03-10 02:00 local time.
    expect(parseDate('2024-03-10 01:30', 'America/New_York')).toBe(Date.UTC(2024, 2, 10, 6, 30))
    expect(parseDate('2024-03-10 03:30', 'America/New_York')).toBe(Date.UTC(2024, 2, 10, 7, 30))
    expect(formatIsoLocal(Date.UTC(2024, 2, 10, 6, 30), 'America/New_York')).toBe('2024-03-10T01:30:00-05:00')
    expect(formatIsoLocal(Date.UTC(2024, 2, 10, 7, 30), 'America/New_York')).toBe('2024-03-10T03:30:00-04:00')
    expect(formatIsoLocal(Date.UTC(2024, 6, 1, 12), 'America/New_York')).toBe('2024-07-01T08:00:00-04:00')
  })

  it('formats in the site time zone', () => {
    const ms = Date.UTC(2024, 11, 31, 17, 5)
    expect(formatDay(ms, 'Asia/Shanghai')).toBe('2025-01-01')
    expect(formatDateTime(ms, 'Asia/Shanghai')).toBe('2025-01-01 01:05')
    expect(formatIsoLocal(ms, 'Asia/Shanghai')).toBe('2025-01-01T01:05:00+08:00')
    expect(formatDay(ms, 'UTC')).toBe('2024-12-31')
  })

  it('writes an offset of seconds (a zone’s local mean time, Shanghai’s +08:05:43 before 1901) as whole minutes, with the clock time of the same instant', () => {
    const ms = parseDate('1900-01-01', 'Asia/Shanghai')!
    expect(ms).toBe(Date.UTC(1899, 11, 31, 15, 54, 17))
    const iso = formatIsoLocal(ms, 'Asia/Shanghai')
    expect(iso).toBe('1900-01-01T00:00:17+08:06')
    // Read back, the same instant (it was 17 seconds off: 1900-01-01T00:00:00+08:06).
    expect(parseDate(iso, 'Asia/Shanghai')).toBe(ms)
    expect(formatIsoLocal(Date.UTC(2024, 4, 1), 'Asia/Shanghai')).toBe('2024-05-01T08:00:00+08:00')
  })

  it('answers a repeated question from its last answer, and a new time or zone afresh', () => {
    const ms = Date.UTC(2024, 11, 31, 17, 5)
    for (const [at, zone, day] of [
      [ms, 'Asia/Shanghai', '2025-01-01'],
      [ms, 'Asia/Shanghai', '2025-01-01'],
      [ms, 'UTC', '2024-12-31'],
      [ms, 'UTC', '2024-12-31'],
      [ms - 3_600_000, 'Asia/Shanghai', '2025-01-01'],
      [ms - 3_600_001 * 2, 'Asia/Shanghai', '2024-12-31'],
      [ms, 'Asia/Shanghai', '2025-01-01'],
    ] as const)
      expect(formatDay(at, zone)).toBe(day)
  })
})

describe('requestOrigin', () => {
  it('is the URL parser’s origin for a request’s URL (serialized, as the runtime hands it over)', () => {
    for (const url of [
      'https://blog.example/archives/1?x=/y',
      'http://127.0.0.1:8787/',
      'http://[::1]:8787/feed',
      'https://例子.测试/路径',
      'https://user:pw@blog.example/a',
      'https://blog.example',
      'ftp://files.example/a',
    ].map((url) => new URL(url).href))
      expect(requestOrigin(url)).toBe(new URL(url).origin)
    expect(requestOrigin('https://blog.example/a/b')).toBe('https://blog.example')
  })
})
