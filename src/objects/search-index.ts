import { DurableObject } from 'cloudflare:workers'
import { sha256Hex } from '../lib/hash'
import type { SearchDoc } from '../search/doc'
import {
  encodePostings,
  IN_TAGS,
  IN_TITLE,
  postingValue,
  SEARCH_KEYS,
  type DeltaSegment,
  type MainDocs,
  type SearchPointer,
  type Shard,
} from '../search/format'
import { bucketOf, BUCKETS, spans, termCounts } from '../search/tokenize'
import { migrate, type Migration } from './migrations'

const MIGRATIONS: readonly Migration[] = [
  {
    name: '001_search',
    sql: `
      CREATE TABLE docs (
        num INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        seq INTEGER NOT NULL,
        date_ms INTEGER NOT NULL,
        len INTEGER NOT NULL,
        hash TEXT NOT NULL,
        terms TEXT NOT NULL,
        doc_json TEXT NOT NULL,
        kv_pending INTEGER NOT NULL
      );
      CREATE INDEX docs_seq ON docs (seq);
      CREATE TABLE postings (
        bucket INTEGER NOT NULL,
        term TEXT NOT NULL,
        num INTEGER NOT NULL,
        tf INTEGER NOT NULL,
        flags INTEGER NOT NULL,
        PRIMARY KEY (bucket, term, num)
      ) WITHOUT ROWID;
      CREATE TABLE removed (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kv_pending INTEGER NOT NULL);
      CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE build_docs (num INTEGER PRIMARY KEY, dense INTEGER NOT NULL, id TEXT NOT NULL, date_ms INTEGER NOT NULL, len INTEGER NOT NULL);
      CREATE TABLE build_shards (shard INTEGER PRIMARY KEY, hash TEXT NOT NULL, bytes INTEGER NOT NULL);
      CREATE TABLE garbage (kv_key TEXT PRIMARY KEY, delete_after_ms INTEGER NOT NULL);
    `,
  },
  {
    // The documents still to copy to KV (flush, after every upsert) were found by reading every
    // document: kv_pending comes after the terms and the text, so SQLite read through both, tens
    // of KB a document.
    name: '002_docs_kv_pending',
    sql: `CREATE INDEX docs_kv_pending ON docs (kv_pending) WHERE kv_pending = 1`,
  },
]

/** Tunables (defaults below; `tune` changes them for tests and the benchmark). */
export interface SearchTuning {
  /** Rebuild the main segment when the delta holds this many documents… */
  deltaDocs: number
  /** …or this many bytes. */
  deltaBytes: number
  /** Shards written per alarm run of a rebuild (each is one KV write). */
  batchShards: number
  /** Minimum milliseconds between two writes of the pointer (KV: one write per key per second). */
  pointerIntervalMs: number
  /** How long after the delta passed its limit the rebuild starts (more changes join it). */
  rebuildDelayMs: number
}

const DEFAULTS: SearchTuning = {
  deltaDocs: 64,
  deltaBytes: 256 * 1024,
  batchShards: 64,
  pointerIntervalMs: 1000,
  rebuildDelayMs: 30_000,
}

/** Retired segment keys stay readable this long for readers holding an older pointer. */
const GARBAGE_DELAY_MS = 10 * 60_000
const RETRY_MS = 2_000
/** KV writes of post texts per flush (one invocation may make at most 1,000 KV operations). */
const DOC_WRITES_PER_FLUSH = 200
const GARBAGE_PER_RUN = 200
/** Target postings per main shard (about 60 KB of JSON, ~1 ms to parse). */
const POSTINGS_PER_SHARD = 8_000
const MIN_SHARDS = 16
const MAX_SHARDS = 512

interface MainState {
  /** Changes up to this sequence number are in the main segment. */
  seq: number
  shards: string[]
  docs: string
  avgLen: number
  builtAt: number
}

interface BuildState {
  seq: number
  shards: number
  next: number
  avgLen: number
}

/** A term of a document: body frequency and title/tags flags. */
type DocTerm = [term: string, tf: number, flags: number]

/**
 * Postings written by one statement: their JSON stays far under SQLite's 2 MB limit for a bound
 * value (a term is at most a few dozen bytes).
 */
const POSTINGS_PER_STATEMENT = 2000

/** What `stats` reports (tests, benchmark). */
export interface SearchStats {
  docs: number
  postings: number
  deltaDocs: number
  superseded: number
  mainShards: number
  building: boolean
  /** Bytes of every current KV value of the index (pointer, shards, docs, delta; not post texts). */
  indexBytes: number
  shardBytes: { min: number; max: number; mean: number }
  deltaBytes: number
}

function isDoc(doc: unknown): doc is SearchDoc {
  const d = doc as SearchDoc
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.id === 'string' &&
    typeof d.title === 'string' &&
    typeof d.text === 'string' &&
    typeof d.date === 'number' &&
    Array.isArray(d.tags) &&
    d.tags.every((t) => typeof t === 'string')
  )
}

/**
 * The site's full-text index (one object, named `site`). The Site object calls `upsert` for every
 * published post and `remove` for a deleted or drafted one, repeating them until they succeed;
 * both are idempotent. Postings live here in SQLite; KV gets a segmented copy (format.ts): a main
 * segment sharded by token, rebuilt in batches by alarm when the delta grows past its limits, and a
 * small delta segment rewritten on every change, so a publish writes the post's text, the delta and
 * the pointer, never the whole index.
 */
export class SearchIndex extends DurableObject<Cloudflare.Env> {
  private readonly sql: SqlStorage
  private queue: Promise<void> = Promise.resolve()
  private lastPointerWrite = 0

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS))
  }

  // ---- state --------------------------------------------------------------------------------

  private get<T>(name: string): T | null {
    const row = this.sql.exec<{ value: string }>('SELECT value FROM state WHERE name = ?', name).toArray()[0]
    return row ? (JSON.parse(row.value) as T) : null
  }

  private set(name: string, value: unknown): void {
    if (value === null) this.sql.exec('DELETE FROM state WHERE name = ?', name)
    else
      this.sql.exec(
        'INSERT INTO state (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
        name,
        JSON.stringify(value),
      )
  }

  private tuning(): SearchTuning {
    return { ...DEFAULTS, ...(this.get<Partial<SearchTuning>>('tuning') ?? {}) }
  }

  private nextSeq(): number {
    const seq = (this.get<number>('seq') ?? 0) + 1
    this.set('seq', seq)
    return seq
  }

  // ---- writes -------------------------------------------------------------------------------

  /** Adds or replaces a post's document. Repeating it with the same document changes nothing. */
  async upsert(doc: SearchDoc): Promise<void> {
    if (!isDoc(doc)) throw new TypeError('upsert: not a SearchDoc')
    const stored: SearchDoc = { id: doc.id, title: doc.title, tags: doc.tags, date: doc.date, text: doc.text }
    const json = JSON.stringify(stored)
    const hash = await sha256Hex(json)
    const old = this.sql
      .exec<{ num: number; hash: string; terms: string }>('SELECT num, hash, terms FROM docs WHERE id = ?', doc.id)
      .toArray()[0]
    if (old?.hash !== hash) {
      const terms = docTerms(stored)
      const len = spans(stored.text).length
      this.ctx.storage.transactionSync(() => {
        if (old) this.deletePostings(old.num, old.terms)
        const seq = this.nextSeq()
        const num = old
          ? old.num
          : this.sql
              .exec<{ num: number }>(
                `INSERT INTO docs (id, seq, date_ms, len, hash, terms, doc_json, kv_pending) VALUES (?, ?, ?, ?, ?, '[]', '', 1) RETURNING num`,
                doc.id,
                seq,
                stored.date,
                len,
                hash,
              )
              .one().num
        this.sql.exec(
          'UPDATE docs SET seq = ?, date_ms = ?, len = ?, hash = ?, terms = ?, doc_json = ?, kv_pending = 1 WHERE num = ?',
          seq,
          stored.date,
          len,
          hash,
          JSON.stringify(terms),
          json,
          num,
        )
        this.insertPostings(num, terms)
        this.sql.exec('DELETE FROM removed WHERE id = ?', doc.id)
        this.set('pointer_dirty', 1)
      })
    }
    await this.flushNow()
  }

  /** Removes a post's document (deleted, or a draft again). Repeating it changes nothing. */
  async remove(id: string): Promise<void> {
    if (typeof id !== 'string') throw new TypeError('remove: not an id')
    const old = this.sql.exec<{ num: number; terms: string }>('SELECT num, terms FROM docs WHERE id = ?', id).toArray()[0]
    if (old) {
      this.ctx.storage.transactionSync(() => {
        this.deletePostings(old.num, old.terms)
        this.sql.exec('DELETE FROM docs WHERE num = ?', old.num)
        this.sql.exec(
          `INSERT INTO removed (id, seq, kv_pending) VALUES (?, ?, 1)
           ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, kv_pending = 1`,
          id,
          this.nextSeq(),
        )
        this.set('pointer_dirty', 1)
      })
    }
    await this.flushNow()
  }

  /**
   * A document's postings, POSTINGS_PER_STATEMENT to a statement (its terms as one bound JSON text,
   * read by json_each): a long post has thousands of terms, and a statement per term made them most
   * of a publish's time in this object.
   */
  private insertPostings(num: number, terms: readonly DocTerm[]): void {
    // In the table's key order: SQLite then adds each row next to the one before it.
    const all = terms
      .map(([term, tf, flags]) => [bucketOf(term), term, tf, flags] as const)
      .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    for (let at = 0; at < all.length; at += POSTINGS_PER_STATEMENT) {
      const rows = all.slice(at, at + POSTINGS_PER_STATEMENT)
      this.sql.exec(
        `INSERT INTO postings (bucket, term, num, tf, flags)
         SELECT value ->> 0, value ->> 1, ?, value ->> 2, value ->> 3 FROM json_each(?)`,
        num,
        JSON.stringify(rows),
      )
    }
  }

  private deletePostings(num: number, termsJson: string): void {
    for (const [term] of JSON.parse(termsJson) as DocTerm[]) {
      this.sql.exec('DELETE FROM postings WHERE bucket = ? AND term = ? AND num = ?', bucketOf(term), term, num)
    }
  }

  /** Changes the tunables (tests and the benchmark); returns them. */
  tune(changes: Partial<SearchTuning>): SearchTuning {
    this.set('tuning', { ...(this.get<Partial<SearchTuning>>('tuning') ?? {}), ...changes })
    return this.tuning()
  }

  /** Rebuilds the main segment now, to the end (tests, benchmark); alarms do it in batches. */
  async rebuild(): Promise<void> {
    await this.enqueue(async () => {
      if (!this.get<BuildState>('build')) this.startBuild()
      while (this.get<BuildState>('build')) await this.buildStep(Number.MAX_SAFE_INTEGER)
      await this.flush()
    })
  }

  // ---- the KV copy --------------------------------------------------------------------------

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task)
    this.queue = run.catch(() => undefined)
    return run
  }

  /** Runs the pending KV writes; a failure leaves them pending for the alarm (never thrown). */
  private flushNow(): Promise<void> {
    return this.enqueue(() => this.flush()).catch(async (err) => {
      console.error(JSON.stringify({ event: 'search.flush_failed', error: String(err) }))
      await this.scheduleAlarm(Date.now() + RETRY_MS)
    })
  }

  private async flush(): Promise<void> {
    const docs = this.sql
      .exec<{ id: string; seq: number; doc_json: string }>(
        'SELECT id, seq, doc_json FROM docs WHERE kv_pending = 1 LIMIT ?',
        DOC_WRITES_PER_FLUSH,
      )
      .toArray()
    for (const d of docs) {
      await this.env.POSTS.put(SEARCH_KEYS.doc(d.id), d.doc_json)
      this.sql.exec('UPDATE docs SET kv_pending = 0 WHERE id = ? AND seq = ?', d.id, d.seq)
    }
    const gone = this.sql
      .exec<{ id: string; seq: number }>('SELECT id, seq FROM removed WHERE kv_pending = 1 LIMIT ?', DOC_WRITES_PER_FLUSH)
      .toArray()
    for (const r of gone) {
      await this.env.POSTS.delete(SEARCH_KEYS.doc(r.id))
      this.sql.exec('UPDATE removed SET kv_pending = 0 WHERE id = ? AND seq = ?', r.id, r.seq)
    }
    if (docs.length === DOC_WRITES_PER_FLUSH || gone.length === DOC_WRITES_PER_FLUSH) await this.scheduleAlarm(Date.now())
    if (this.get<number>('pointer_dirty')) {
      const tuning = this.tuning()
      const due = this.lastPointerWrite + tuning.pointerIntervalMs
      if (Date.now() < due) {
        await this.scheduleAlarm(due)
      } else {
        this.set('pointer_dirty', 0)
        try {
          await this.writePointer(tuning)
        } catch (err) {
          this.set('pointer_dirty', 1)
          throw err
        }
      }
    }
    await this.collectGarbage()
  }

  /** Writes the delta segment (if it changed) and the pointer; asks for a rebuild when the delta is too big. */
  private async writePointer(tuning: SearchTuning): Promise<void> {
    const main = this.get<MainState>('main')
    const delta = this.deltaSegment(main)
    const deltaJson = JSON.stringify(delta)
    const deltaKey = SEARCH_KEYS.delta((await sha256Hex(deltaJson)).slice(0, 16))
    const oldDelta = this.get<string>('delta_key')
    if (deltaKey !== oldDelta) {
      await this.env.POSTS.put(deltaKey, deltaJson)
      this.set('delta_key', deltaKey)
      if (oldDelta) this.retire(oldDelta)
    }
    const total = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM docs').one().n
    const pointer: SearchPointer = {
      v: 1,
      total,
      writtenAt: Date.now(),
      main: main ? { shards: main.shards, docs: main.docs, builtAt: main.builtAt } : null,
      delta: deltaKey,
    }
    this.lastPointerWrite = Date.now()
    await this.env.POSTS.put(SEARCH_KEYS.pointer, JSON.stringify(pointer))
    this.set('delta_bytes', deltaJson.length)
    const docs = delta.ids.length
    if (!this.get<BuildState>('build') && (docs >= tuning.deltaDocs || deltaJson.length >= tuning.deltaBytes)) {
      const urgent = docs >= 4 * tuning.deltaDocs || deltaJson.length >= 4 * tuning.deltaBytes
      const at = urgent ? Date.now() : Date.now() + tuning.rebuildDelayMs
      const requested = this.get<number>('build_at')
      if (requested === null || requested > at) this.set('build_at', at)
      await this.scheduleAlarm(at)
    }
  }

  /** Every document changed since the main segment was built, scored with the main segment's average length. */
  private deltaSegment(main: MainState | null): DeltaSegment {
    const since = main?.seq ?? 0
    const rows = this.sql
      .exec<{ id: string; date_ms: number; len: number; terms: string }>(
        'SELECT id, date_ms, len, terms FROM docs WHERE seq > ? ORDER BY date_ms, id',
        since,
      )
      .toArray()
    const avgLen = main?.avgLen ?? this.averageLength()
    const byTerm = new Map<string, [number, number][]>()
    rows.forEach((row, i) => {
      for (const [term, tf, flags] of JSON.parse(row.terms) as DocTerm[]) {
        let list = byTerm.get(term)
        if (!list) byTerm.set(term, (list = []))
        list.push([i, postingValue(tf, row.len, avgLen, flags)])
      }
    })
    const terms = [...byTerm.keys()].sort()
    const superseded = main
      ? [
          ...rows.map((r) => r.id),
          ...this.sql
            .exec<{ id: string }>('SELECT id FROM removed WHERE seq > ?', since)
            .toArray()
            .map((r) => r.id),
        ].sort()
      : []
    return {
      ids: rows.map((r) => r.id),
      dates: rows.map((r) => Math.floor(r.date_ms / 1000)),
      superseded,
      terms,
      postings: terms.map((t) => encodePostings(byTerm.get(t)!)),
    }
  }

  private averageLength(): number {
    return this.sql.exec<{ a: number | null }>('SELECT avg(len) AS a FROM docs').one().a ?? 1
  }

  // ---- rebuilding the main segment ----------------------------------------------------------

  /** Freezes the document numbering of the new main segment and picks its shard count. */
  private startBuild(): void {
    const seq = this.get<number>('seq') ?? 0
    this.sql.exec('DELETE FROM build_docs')
    this.sql.exec('DELETE FROM build_shards')
    this.sql.exec(
      `INSERT INTO build_docs (num, dense, id, date_ms, len)
       SELECT num, row_number() OVER (ORDER BY date_ms, id) - 1, id, date_ms, len FROM docs`,
    )
    const postings = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM postings').one().n
    let shards = MIN_SHARDS
    while (shards < MAX_SHARDS && shards * POSTINGS_PER_SHARD < postings) shards *= 2
    this.set('build', { seq, shards, next: 0, avgLen: this.averageLength() } satisfies BuildState)
    this.set('build_at', null)
  }

  /**
   * Writes up to `limit` shards of the build in progress; after the last one, the documents table
   * and the pointer, and retires the old segment. Changes that arrive during a build have a
   * sequence number above the build's, so they stay in the delta, which overrides the main segment.
   */
  private async buildStep(limit: number): Promise<void> {
    const build = this.get<BuildState>('build')
    if (!build) return
    const main = this.get<MainState>('main')
    const end = Math.min(build.shards, build.next + limit)
    for (let n = build.next; n < end; n++) {
      const shard = this.buildShard(n, build)
      const json = JSON.stringify(shard)
      const hash = (await sha256Hex(json)).slice(0, 16)
      // The same content under the same shard count is the same key: nothing to write.
      if (!(main && main.shards.length === build.shards && main.shards[n] === hash)) {
        await this.env.POSTS.put(SEARCH_KEYS.shard(n, hash), json)
      }
      this.sql.exec(
        'INSERT INTO build_shards (shard, hash, bytes) VALUES (?, ?, ?) ON CONFLICT(shard) DO UPDATE SET hash = excluded.hash, bytes = excluded.bytes',
        n,
        hash,
        json.length,
      )
      this.set('build', { ...build, next: n + 1 } satisfies BuildState)
    }
    if (end < build.shards) return

    const docs = this.sql.exec<{ id: string; date_ms: number }>('SELECT id, date_ms FROM build_docs ORDER BY dense').toArray()
    const mainDocs: MainDocs = { ids: docs.map((d) => d.id), dates: docs.map((d) => Math.floor(d.date_ms / 1000)) }
    const docsJson = JSON.stringify(mainDocs)
    const docsKey = SEARCH_KEYS.docs((await sha256Hex(docsJson)).slice(0, 16))
    if (docsKey !== main?.docs) await this.env.POSTS.put(docsKey, docsJson)
    const shards = this.sql
      .exec<{ hash: string }>('SELECT hash FROM build_shards ORDER BY shard')
      .toArray()
      .map((r) => r.hash)
    const next: MainState = { seq: build.seq, shards, docs: docsKey, avgLen: build.avgLen, builtAt: Date.now() }
    this.ctx.storage.transactionSync(() => {
      this.set('main', next)
      this.set('build', null)
      this.set('pointer_dirty', 1)
      this.sql.exec('DELETE FROM removed WHERE seq <= ? AND kv_pending = 0', build.seq)
      this.sql.exec('DELETE FROM build_docs')
      this.sql.exec('DELETE FROM build_shards')
      if (main) {
        const keep = new Set(shards.map((h, n) => SEARCH_KEYS.shard(n, h)))
        for (const [n, h] of main.shards.entries()) {
          const key = SEARCH_KEYS.shard(n, h)
          if (!keep.has(key)) this.retire(key)
        }
        if (main.docs !== docsKey) this.retire(main.docs)
      }
    })
    // The pointer (with the new, smaller delta) goes out with this run's flush.
    this.lastPointerWrite = 0
  }

  /** The terms of shard n (buckets [n·B/shards, (n+1)·B/shards)) with their postings. */
  private buildShard(n: number, build: BuildState): Shard {
    const lo = (n * BUCKETS) / build.shards
    const hi = ((n + 1) * BUCKETS) / build.shards
    const byTerm = new Map<string, [number, number][]>()
    for (const r of this.sql.exec<{ term: string; dense: number; len: number; tf: number; flags: number }>(
      `SELECT p.term AS term, b.dense AS dense, b.len AS len, p.tf AS tf, p.flags AS flags
       FROM postings p JOIN build_docs b ON b.num = p.num
       WHERE p.bucket >= ? AND p.bucket < ?`,
      lo,
      hi,
    )) {
      let list = byTerm.get(r.term)
      if (!list) byTerm.set(r.term, (list = []))
      list.push([r.dense, postingValue(r.tf, r.len, build.avgLen, r.flags)])
    }
    const terms = [...byTerm.keys()].sort()
    return {
      terms,
      postings: terms.map((t) => encodePostings(byTerm.get(t)!.sort((a, b) => a[0] - b[0]))),
    }
  }

  // ---- garbage and alarm --------------------------------------------------------------------

  private retire(key: string): void {
    this.sql.exec(
      'INSERT INTO garbage (kv_key, delete_after_ms) VALUES (?, ?) ON CONFLICT(kv_key) DO NOTHING',
      key,
      Date.now() + GARBAGE_DELAY_MS,
    )
  }

  private inUse(key: string): boolean {
    const main = this.get<MainState>('main')
    if (this.get<string>('delta_key') === key || main?.docs === key) return true
    return !!main?.shards.some((h, n) => SEARCH_KEYS.shard(n, h) === key)
  }

  private async collectGarbage(): Promise<void> {
    const due = this.sql
      .exec<{ kv_key: string }>('SELECT kv_key FROM garbage WHERE delete_after_ms <= ? LIMIT ?', Date.now(), GARBAGE_PER_RUN)
      .toArray()
    for (const { kv_key } of due) {
      if (!this.inUse(kv_key)) await this.env.POSTS.delete(kv_key)
      this.sql.exec('DELETE FROM garbage WHERE kv_key = ?', kv_key)
    }
    const next = this.sql.exec<{ t: number | null }>('SELECT min(delete_after_ms) AS t FROM garbage').one().t
    if (next !== null) await this.scheduleAlarm(next)
  }

  private async scheduleAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > at) await this.ctx.storage.setAlarm(at)
  }

  /** Retries pending writes, runs a batch of a rebuild (or starts one that is due), deletes retired keys. */
  override async alarm(): Promise<void> {
    await this.enqueue(async () => {
      const at = this.get<number>('build_at')
      if (!this.get<BuildState>('build') && at !== null) {
        if (at <= Date.now()) this.startBuild()
        else await this.scheduleAlarm(at)
      }
      if (this.get<BuildState>('build')) {
        await this.buildStep(this.tuning().batchShards)
        if (this.get<BuildState>('build')) await this.scheduleAlarm(Date.now())
      }
      await this.flush()
    })
  }

  /** Sizes and counts (tests, benchmark). */
  async stats(): Promise<SearchStats> {
    const main = this.get<MainState>('main')
    const bytes = (s: string | null | undefined) => (s ? new TextEncoder().encode(s).length : 0)
    const read = (key: string | null | undefined) => (key ? this.env.POSTS.get(key, 'text') : Promise.resolve(null))
    const [shardValues, pointer, docs, deltaValue] = await Promise.all([
      Promise.all((main?.shards ?? []).map((h, n) => read(SEARCH_KEYS.shard(n, h)))),
      read(SEARCH_KEYS.pointer),
      read(main?.docs),
      read(this.get<string>('delta_key')),
    ])
    const sizes = shardValues.map(bytes)
    const shardTotal = sizes.reduce((a, b) => a + b, 0)
    const delta = this.deltaSegment(main)
    return {
      docs: this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM docs').one().n,
      postings: this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM postings').one().n,
      deltaDocs: delta.ids.length,
      superseded: delta.superseded.length,
      mainShards: main?.shards.length ?? 0,
      building: this.get<BuildState>('build') !== null,
      indexBytes: shardTotal + bytes(pointer) + bytes(docs) + bytes(deltaValue),
      shardBytes: {
        min: sizes.length ? Math.min(...sizes) : 0,
        max: sizes.length ? Math.max(...sizes) : 0,
        mean: sizes.length ? Math.round(shardTotal / sizes.length) : 0,
      },
      deltaBytes: bytes(deltaValue),
    }
  }
}

/** A document's terms: body frequency, and whether the term is in the title or the tags. */
function docTerms(doc: SearchDoc): DocTerm[] {
  const body = termCounts(doc.text)
  const title = termCounts(doc.title)
  const tags = termCounts(doc.tags.join('\n'))
  const all = new Set([...body.keys(), ...title.keys(), ...tags.keys()])
  return [...all].map((term): DocTerm => [term, body.get(term) ?? 0, (title.has(term) ? IN_TITLE : 0) | (tags.has(term) ? IN_TAGS : 0)])
}
