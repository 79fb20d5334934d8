import { aliasKvKey, type AliasRecord } from '../lib/aliases'
import { SLUG_PATTERN } from '../lib/slug'

/**
 * The Site object's part of permalink redirects (README: Redirects): the `aliases` table (normalised
 * path → post id, one owner per path) and the KV keys `v1:alias:<hash>` the Worker's 404 path reads.
 * Changed paths are queued in `alias_pending` and written by the flush (an outbox like the posts').
 */

/** The post that already holds one of these paths (not `id`), or null. */
export function aliasConflict(sql: SqlStorage, id: string, paths: readonly string[]): { path: string; owner: string } | null {
  for (const path of paths) {
    const owner = sql.exec<{ post_id: string }>('SELECT post_id FROM aliases WHERE path = ?', path).toArray()[0]?.post_id
    if (owner !== undefined && owner !== id) return { path, owner }
  }
  return null
}

const PAGE_ADDRESS_RE = new RegExp(`^/(${SLUG_PATTERN})$`)

/**
 * A page (not `id`, not deleted; a draft's too, it will take it when published) whose short address
 * `/<page id>` is one of these paths, or null. That address answers before any alias (routes/redirects.ts).
 */
export function pageAddressConflict(sql: SqlStorage, id: string, paths: readonly string[]): { path: string; page: string } | null {
  for (const path of paths) {
    const page = PAGE_ADDRESS_RE.exec(path)?.[1]
    if (page === undefined || page === id) continue
    const found = sql.exec("SELECT id FROM posts WHERE id = ? AND kind = 'page' AND status != 'deleted'", page).toArray()
    if (found.length > 0) return { path, page }
  }
  return null
}

/** Makes `paths` the post's aliases (synchronous SQL; call after aliasConflict found none). */
export function setAliases(sql: SqlStorage, id: string, paths: readonly string[]): void {
  const old = sql
    .exec<{ path: string }>('SELECT path FROM aliases WHERE post_id = ?', id)
    .toArray()
    .map((r) => r.path)
  for (const path of old) {
    if (paths.includes(path)) continue
    sql.exec('DELETE FROM aliases WHERE path = ?', path)
    sql.exec('INSERT OR IGNORE INTO alias_pending (path) VALUES (?)', path)
  }
  for (const path of paths) {
    if (old.includes(path)) continue
    sql.exec('INSERT INTO aliases (path, post_id) VALUES (?, ?)', path, id)
    sql.exec('INSERT OR IGNORE INTO alias_pending (path) VALUES (?)', path)
  }
}

/** A renamed post keeps its aliases; their KV values are rewritten with the new id. */
export function moveAliases(sql: SqlStorage, from: string, to: string): void {
  sql.exec('UPDATE aliases SET post_id = ? WHERE post_id = ?', to, from)
  sql.exec('INSERT OR IGNORE INTO alias_pending (path) SELECT path FROM aliases WHERE post_id = ?', to)
}

/** Writes (or deletes) the KV key of every queued path; a failed write leaves it queued. */
export async function writeAliasKeys(sql: SqlStorage, kv: KVNamespace, limit = 100): Promise<boolean> {
  const due = sql
    .exec<{ path: string; post_id: string | null }>(
      'SELECT q.path AS path, a.post_id AS post_id FROM alias_pending q LEFT JOIN aliases a ON a.path = q.path LIMIT ?',
      limit,
    )
    .toArray()
  for (const { path, post_id } of due) {
    const key = await aliasKvKey(path)
    if (post_id === null) await kv.delete(key)
    else await kv.put(key, JSON.stringify({ path, id: post_id } satisfies AliasRecord))
    // Only if the path was not changed again while the write was in flight.
    const now = sql.exec<{ post_id: string }>('SELECT post_id FROM aliases WHERE path = ?', path).toArray()[0]?.post_id ?? null
    if (now === post_id) sql.exec('DELETE FROM alias_pending WHERE path = ?', path)
  }
  return due.length === limit
}

/** Paths whose KV key is still to be written. */
export const pendingAliasCount = (sql: SqlStorage) => sql.exec<{ n: number }>('SELECT count(*) AS n FROM alias_pending').one().n
