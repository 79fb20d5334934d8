/** A named schema change; applied once, in order, and recorded in `_migrations`. */
export interface Migration {
  name: string
  sql: string
}

/**
 * Applies the migrations this object has not seen yet, each in its own transaction.
 * Durable Object SQLite has no `PRAGMA user_version`, so the applied names live in a table.
 */
export function migrate(storage: DurableObjectStorage, migrations: readonly Migration[]): void {
  const sql = storage.sql
  sql.exec('CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)')
  const applied = new Set(
    sql
      .exec<{ name: string }>('SELECT name FROM _migrations')
      .toArray()
      .map((r) => r.name),
  )
  for (const m of migrations) {
    if (applied.has(m.name)) continue
    storage.transactionSync(() => {
      sql.exec(m.sql)
      sql.exec('INSERT INTO _migrations (name, applied_at) VALUES (?, ?)', m.name, Date.now())
    })
  }
}

/** True once `migrate` has run in this object's storage (reads never create storage). */
export function hasSchema(storage: DurableObjectStorage): boolean {
  return (
    storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '_migrations'").one().n > 0
  )
}
