import { DurableObject } from 'cloudflare:workers'
import type { PublicComment, ReactionCounts } from '../model'
import { migrate } from './migrations'
import type { OpenRequest, OpenResult } from './post-room'
import { forgetReaders, rememberReaders, seenSince, VIEW_COUNTER_MIGRATION } from './view-counter'

/** How long a batch gathers views while the shard is busy (see join). */
const BATCH_MS = 5
/** A batch is sent at once when it reaches this size. */
const BATCH_MAX = 200
/** How old the shard's copy of the page data may be for a view that does not count. */
const CACHE_MS = 1000

interface Batch {
  size: number
  request: OpenRequest
  /** Its counted readers (key, time of the view): written to the reload window when it goes, in one statement. */
  readers: [key: string, seenMs: number][]
  /** Sends the batch now (at once, on the timer, or when it is full). */
  release: () => void
  result: Promise<OpenResult>
}

/**
 * A shard of a post that has gone viral (README: A post that goes viral). While the post's
 * object reports its views per second above SHARD_ABOVE_VIEWS_PER_SECOND, the Worker sends its
 * views to one of VIEW_SHARDS shards, chosen by the reader's key (so the reload window still
 * works). A shard adds its views to the post's object in batches, one call each; the object
 * answers with the new total T, and the shard gives the batch's n waiting readers T−n+1 … T. Every
 * count shown is still exact: it is the number of views recorded up to and including that
 * reader's, and nothing is acknowledged before the post's object has stored it.
 *
 * A busy shard gathers the views of BATCH_MS (at most BATCH_MAX) into one batch, so the post's
 * object sees one call per batch instead of one per view. A quiet shard does not make a lone reader
 * wait: a view that finds no batch on its way, when the shard's last batch was a single view, leaves
 * at once. (Views that arrive while one is on its way gather on the timer, and the shard counts as
 * busy until a batch of one goes again.)
 *
 * The shard's reload window is written per batch too: a view's reader is checked against the table
 * and the batch that is gathering, and the batch's readers go into the table in one statement as it
 * leaves. A batch is then one write to the shard's storage, not one per view (locally each write is
 * a commit with its own fsync, on the one thread that serves everything).
 */
export class ViewShard extends DurableObject<Cloudflare.Env> {
  private readonly sql: SqlStorage
  /** The batch that views join now. */
  private batch: Batch | null = null
  /** Batches sent to the post's object and not yet answered. */
  private inFlight = 0
  /** The size of the last batch sent: above 1, the shard is busy and batches gather on the timer. */
  private lastSize = 0
  private cache: { at: number; result: OpenResult; comments: PublicComment[] | null; reactions: ReactionCounts | null } | null = null
  private flushes = 0

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    void ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, [{ name: '001-readers', sql: VIEW_COUNTER_MIGRATION }])
    })
  }

  /** The same contract as PostRoom.open, for a post whose views are sharded. */
  async open(postId: string, req: OpenRequest): Promise<OpenResult> {
    const now = Date.now()
    if (req.countView && !this.seen(req, now)) {
      const { batch, index } = this.join(postId, req)
      const key = req.readers?.[0]
      if (key !== undefined && req.windowMs) {
        batch.readers.push([key, now])
        this.gathering.add(key)
      }
      const result = await batch.result
      // Readers of one batch get consecutive numbers ending at the new total.
      return this.answer(result, req, result.views - batch.size + index + 1, true)
    }
    if (!this.cache || now - this.cache.at > CACHE_MS || this.cache.result.status !== 'published') {
      await this.refresh(postId, req)
    }
    return this.answer(this.cache!.result, req, this.cache!.result.views, false)
  }

  /** Readers in the batch that is gathering (not yet in the table). */
  private readonly gathering = new Set<string>()

  /** Whether this reader was counted inside the reload window: in the table, or in the gathering batch. */
  private seen(req: OpenRequest, now: number): boolean {
    const keys = req.readers ?? []
    if (keys.length === 0 || !req.windowMs || req.windowMs <= 0) return false
    return keys.some((k) => this.gathering.has(k)) || seenSince(this.sql, keys, now - req.windowMs)
  }

  private join(postId: string, req: OpenRequest): { batch: Batch; index: number } {
    if (!this.batch) {
      let release!: () => void
      const due = new Promise<void>((resolve) => (release = resolve))
      const batch: Batch = { size: 0, request: req, readers: [], release, result: Promise.resolve(null as unknown as OpenResult) }
      const quiet = this.inFlight === 0 && this.lastSize <= 1
      // A quiet shard sends at once (with any view that joins in this same turn); a busy one gathers.
      const timer = quiet ? null : setTimeout(release, BATCH_MS)
      if (quiet) queueMicrotask(release)
      batch.result = due.then(async () => {
        if (timer !== null) clearTimeout(timer)
        // Views arriving from now on go into the next batch, and find this one's readers in the table.
        if (this.batch === batch) this.batch = null
        try {
          rememberReaders(this.sql, batch.readers)
        } finally {
          for (const [key] of batch.readers) this.gathering.delete(key)
        }
        this.lastSize = batch.size
        this.inFlight++
        try {
          return await this.send(postId, batch)
        } finally {
          this.inFlight--
        }
      })
      this.batch = batch
    }
    const batch = this.batch
    const index = batch.size++
    if (batch.size >= BATCH_MAX) batch.release()
    return { batch, index }
  }

  private async send(postId: string, batch: Batch): Promise<OpenResult> {
    const room = this.env.POST_ROOM.getByName(postId)
    const result = await room.recordBatch(batch.size, { ...batch.request, knownVersion: this.knownVersion() })
    this.remember(result)
    if (++this.flushes % 100 === 0 && batch.request.windowMs) forgetReaders(this.sql, Date.now() - batch.request.windowMs)
    return this.cache!.result
  }

  private async refresh(postId: string, req: OpenRequest): Promise<void> {
    const room = this.env.POST_ROOM.getByName(postId)
    this.remember(await room.open({ ...req, countView: false, knownVersion: this.knownVersion() }))
  }

  private knownVersion(): number {
    return this.cache?.comments ? this.cache.result.commentsVersion : -1
  }

  /** Keeps the latest page data, including the comments of the latest version. */
  private remember(result: OpenResult): void {
    // (The reaction counts come with the comments, of the same version.)
    const comments = result.comments ?? this.cache?.comments ?? null
    const reactions = result.comments ? result.reactions : (this.cache?.reactions ?? null)
    this.cache = { at: Date.now(), result: { ...result, comments, reactions }, comments, reactions }
  }

  /** The page data for one reader: comments only if that reader's Worker lacks this version. */
  private answer(result: OpenResult, req: OpenRequest, views: number, counted: boolean): OpenResult {
    const current = result.commentsVersion === (req.knownVersion ?? -1)
    return {
      ...result,
      views,
      counted,
      comments: current ? null : (this.cache?.comments ?? result.comments ?? []),
      reactions: current ? null : (this.cache?.reactions ?? result.reactions ?? {}),
    }
  }
}
