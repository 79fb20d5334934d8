/**
 * The reader count of one post, kept in its object's SQLite: the exact total, views per day, and
 * the reload window. Used by PostRoom (every view) and ViewShard (the reload window of the readers
 * routed to it while a post is sharded).
 */

import type { DayCount } from '../model'

/** What the Worker knows about a view. */
export interface ViewRequest {
  /** A reader's full page load, not a bot, prefetch, HEAD or admin (src/lib/views.ts). */
  countView: boolean
  /** Today's and yesterday's keys of the reader (a daily-rotated HMAC; nothing personal). */
  readers?: readonly string[]
  /** The reload window in milliseconds (0: every load counts). */
  windowMs?: number
  /** The day in the site's time zone, `YYYY-MM-DD`. */
  day?: string
}

/**
 * Days packed into one string for an RPC answer, `2026-11-27:12,2026-11-26:3`: workerd's RPC copies
 * an array of 30 small objects at several times the cost of the rest of a post page's answer
 * (docs/PERFORMANCE.md, "The object's answer"), a string at almost nothing.
 */
export function packDays(days: readonly DayCount[]): string {
  let out = ''
  for (const d of days) out += (out ? ',' : '') + d.day + ':' + d.views
  return out
}

export function unpackDays(packed: string): DayCount[] {
  if (!packed) return []
  return packed.split(',').map((entry) => {
    const at = entry.indexOf(':')
    return { day: entry.slice(0, at), views: Number(entry.slice(at + 1)) }
  })
}

export const VIEW_COUNTER_MIGRATION = `
  CREATE TABLE readers (key TEXT PRIMARY KEY, seen_ms INTEGER NOT NULL);
  CREATE INDEX readers_seen ON readers (seen_ms);
`

export const DAILY_MIGRATION = `CREATE TABLE daily (day TEXT PRIMARY KEY, views INTEGER NOT NULL);`

/**
 * True if this reader was counted within the window; otherwise remembers them now. A reader who
 * reloads keeps the window from their counted view (reloads do not extend it).
 */
export function seenRecently(sql: SqlStorage, req: ViewRequest, now: number): boolean {
  const [today, ...earlier] = req.readers ?? []
  const windowMs = req.windowMs ?? 0
  if (today === undefined || windowMs <= 0) return false
  const since = now - windowMs
  // One statement: a new reader, or one whose window has passed, is written (and a row comes back);
  // a reader inside the window is left as is (no row). Just after midnight the reader's key of
  // yesterday is asked about too: counted inside the window under it, nothing is written.
  const values =
    earlier.length > 0
      ? `SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM readers WHERE key IN (${earlier.map((_, i) => `?${i + 4}`).join(', ')}) AND seen_ms > ?3)`
      : 'VALUES (?1, ?2)'
  const written = sql
    .exec(
      `INSERT INTO readers (key, seen_ms) ${values}
       ON CONFLICT(key) DO UPDATE SET seen_ms = excluded.seen_ms WHERE readers.seen_ms <= ?3 RETURNING 1 AS n`,
      today,
      now,
      since,
      ...earlier,
    )
    .toArray().length
  return written === 0
}

/** True if one of `keys` (a reader's key of today, and of yesterday) was counted after `since`. Reads only. */
export function seenSince(sql: SqlStorage, keys: readonly string[], since: number): boolean {
  return (
    sql
      .exec<{ n: number }>(
        `SELECT count(*) AS n FROM readers WHERE key IN (${keys.map(() => '?').join(', ')}) AND seen_ms > ?`,
        ...keys,
        since,
      )
      .one().n > 0
  )
}

/**
 * Remembers readers as counted at the given times, in one statement however many (one bound value:
 * a Durable Object's SQL takes at most 100 per statement).
 */
export function rememberReaders(sql: SqlStorage, readers: readonly (readonly [key: string, seenMs: number])[]): void {
  if (readers.length === 0) return
  sql.exec(
    `INSERT INTO readers (key, seen_ms) SELECT value ->> 0, value ->> 1 FROM json_each(?) WHERE true
     ON CONFLICT(key) DO UPDATE SET seen_ms = excluded.seen_ms`,
    JSON.stringify(readers),
  )
}

/** Forgets readers whose window has passed (run from the alarm; keys rotate daily anyway). */
export function forgetReaders(sql: SqlStorage, olderThanMs: number): void {
  sql.exec('DELETE FROM readers WHERE seen_ms < ?', olderThanMs)
}

/** Adds `n` views to the day's total. */
export function addDaily(sql: SqlStorage, day: string | undefined, n: number): void {
  if (!day || n === 0) return
  // Never below zero, also for a view taken back on a day that has no row yet.
  sql.exec('INSERT INTO daily (day, views) VALUES (?1, max(?2, 0)) ON CONFLICT(day) DO UPDATE SET views = max(views + ?2, 0)', day, n)
}

/** Views per day, the most recent `days` days that have any, oldest first. */
export function dailyViews(sql: SqlStorage, days: number): DayCount[] {
  return sql.exec<{ day: string; views: number }>('SELECT day, views FROM daily ORDER BY day DESC LIMIT ?', days).toArray().reverse()
}

/**
 * Views per second over the last ten seconds, kept in memory: a post's object decides from it
 * when its views should go through shards (a fresh object starts from zero, which is fine: a
 * viral post fills the window again within seconds).
 */
export class RateMeter {
  private readonly buckets = new Array<number>(10).fill(0)
  private second = 0

  add(n: number, now: number): void {
    this.roll(now)
    this.buckets[this.second % 10]! += n
  }

  perSecond(now: number): number {
    this.roll(now)
    return this.buckets.reduce((a, b) => a + b, 0) / 10
  }

  private roll(now: number): void {
    const s = Math.floor(now / 1000)
    if (this.second === 0) this.second = s
    for (; this.second < s;) {
      this.second++
      this.buckets[this.second % 10] = 0
      if (s - this.second > 10) this.second = s - 10
    }
  }
}
