import { DurableObject } from 'cloudflare:workers'
import { siteConfig } from '../config'
import type { Backlink, PostStatus, PublicComment } from '../model'
import { commentRenderOptions } from '../lib/render-options'
import { COMMENT_RENDER_VERSION, renderComment } from '../render/render-comment'
import { hasSchema, migrate, type Migration } from './migrations'
import {
  addDaily,
  DAILY_MIGRATION,
  dailyViews,
  forgetReaders,
  RateMeter,
  seenRecently,
  VIEW_COUNTER_MIGRATION,
  type DayCount,
  type ViewRequest,
} from './view-counter'

/** How long a post stays sharded after its rate last justified it. */
const SHARD_HOLD_MS = 60_000

const MIGRATIONS: readonly Migration[] = [
  {
    name: '001-views-comments',
    sql: `
      CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO counters (name, value) VALUES ('views', 0), ('pushed_views', -1), ('pushed_comment', 0);
      CREATE TABLE comments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        parent INTEGER,
        author TEXT NOT NULL,
        email TEXT,
        url TEXT,
        body TEXT NOT NULL,
        html TEXT NOT NULL,
        excerpt TEXT NOT NULL,
        status TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        idem_key TEXT UNIQUE,
        request_hash TEXT NOT NULL
      );
    `,
  },
  {
    // Lets a Worker keep a rendered thread and fetch comments only when they changed.
    name: '002-comments-version',
    sql: `INSERT INTO counters (name, value) VALUES ('comments_version', 0)`,
  },
  {
    // Which renderer made each stored comment, so a new one re-renders the older comments.
    name: '003-comment-render-version',
    sql: `ALTER TABLE comments ADD COLUMN render_version TEXT NOT NULL DEFAULT ''`,
  },
  {
    // The reload window (who was counted recently, by a daily-rotated key) and views per day.
    name: '004-readers-daily',
    sql: VIEW_COUNTER_MIGRATION + DAILY_MIGRATION,
  },
]

/** The status as this object knows it; `unknown` until the Site object has told it anything. */
export type RoomStatus = PostStatus | 'unknown'

/** A post page's call: the view (if it counts) and what the page needs. */
export interface OpenRequest extends ViewRequest {
  /** The comments version the caller already holds (-1: none). */
  knownVersion?: number
  /** Views per second above which this post's views go through shards (SHARD_ABOVE_VIEWS_PER_SECOND). */
  shardAbove?: number
}

/** A post's totals (admin statistics, the views API). */
export interface RoomStats {
  status: RoomStatus
  views: number
  comments: number
  /** Views per day of the latest days that had views, oldest first. */
  daily: DayCount[]
  /** Batches and views that arrived through view shards, all time. */
  shardBatches: number
  shardViews: number
}

export interface OpenResult {
  status: RoomStatus
  views: number
  /** Whether this call recorded a view (false for a reload within the window, a bot, …). */
  counted: boolean
  /** Views per day, the last 30 days with views (for the trend line). */
  daily: DayCount[]
  /** While set and in the future, views of this post should go through its shards (ViewShard). */
  shardedUntil: number | null
  /** Changes whenever the set of shown comments changes. */
  commentsVersion: number
  /** The approved comments, or null when the caller already holds `commentsVersion`. */
  comments: PublicComment[] | null
  /** Published posts that link to this one (被引用), oldest first. */
  backlinks: Backlink[]
}

/** A comment as the Worker hands it over: validated, rendered, hashed. */
export interface NewComment {
  postId: string
  key: string | null
  /** sha-256 of the submitted fields: a reused key with different content is refused. */
  requestHash: string
  author: string
  email: string | null
  url: string | null
  body: string
  html: string
  excerpt: string
  parent: number | null
  /** The COMMENT_RENDER_VERSION the html was made with. */
  renderVersion: string
}

export type AddCommentResult =
  { ok: true; replayed: boolean; comment: PublicComment } | { ok: false; status: 400 | 404 | 410 | 422; code: string; message: string }

interface CommentRow extends Record<string, SqlStorageValue> {
  id: number
  parent: number | null
  author: string
  url: string | null
  body: string
  html: string
  excerpt: string
  created_ms: number
  request_hash: string
}

const PUBLIC_COLUMNS = 'id, parent, author, url, body, html, excerpt, created_ms, request_hash'

function toPublic(r: CommentRow): PublicComment {
  return { id: r.id, parent: r.parent, author: r.author, url: r.url, body: r.body, html: r.html, createdAt: r.created_ms }
}

/**
 * One per post: the truth for its reader count and its comments. A view is one SQL statement
 * (atomic inside the object, so concurrent views are all counted) and the same call returns the
 * count and the comments the page shows. Totals reach the site snapshot by alarm, batched.
 */
export class PostRoom extends DurableObject<Cloudflare.Env> {
  private readonly sql: SqlStorage
  private ready = false
  private alarmAt: number | null = null

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    void ctx.blockConcurrencyWhile(async () => {
      // A room nobody has written to stays empty: reads of unknown ids create no storage.
      if (hasSchema(ctx.storage)) this.ensureSchema()
      this.alarmAt = await ctx.storage.getAlarm()
    })
  }

  private ensureSchema(): void {
    if (this.ready) return
    migrate(this.ctx.storage, MIGRATIONS)
    this.ready = true
  }

  /** Comments stored by an older renderer are rendered again on the first view after a deploy. */
  private commentsChecked = false

  /**
   * Renders this post's comments again from their markdown: all of them with `force` (after a
   * change of MATH_MACROS), else those made by an older renderer. Returns how many changed.
   */
  rerenderComments(force = false): number {
    if (!this.ready) return 0
    const rows = this.sql
      .exec<{ id: number; body: string }>(
        'SELECT id, body FROM comments WHERE ? OR render_version != ?',
        force ? 1 : 0,
        COMMENT_RENDER_VERSION,
      )
      .toArray()
    const options = commentRenderOptions(siteConfig(this.env))
    for (const row of rows) {
      const rendered = renderComment(row.body, options)
      this.sql.exec(
        'UPDATE comments SET html = ?, excerpt = ?, render_version = ? WHERE id = ?',
        rendered.html,
        rendered.excerpt,
        COMMENT_RENDER_VERSION,
        row.id,
      )
    }
    if (rows.length > 0) this.sql.exec("UPDATE counters SET value = value + 1 WHERE name = 'comments_version'")
    this.commentsChecked = true
    return rows.length
  }

  private meta(name: string): string | null {
    return this.sql.exec<{ value: string }>('SELECT value FROM meta WHERE name = ?', name).toArray()[0]?.value ?? null
  }

  private setMeta(name: string, value: string): void {
    this.sql.exec('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value', name, value)
  }

  private counter(name: string): number {
    return this.sql.exec<{ value: number }>('SELECT value FROM counters WHERE name = ?', name).one().value
  }

  private status(): RoomStatus {
    return this.ready ? ((this.meta('status') as PostStatus | null) ?? 'unknown') : 'unknown'
  }

  private approvedComments(): PublicComment[] {
    return this.sql.exec<CommentRow>(`SELECT ${PUBLIC_COLUMNS} FROM comments WHERE status = 'approved' ORDER BY id`).toArray().map(toPublic)
  }

  private async scheduleAlarm(at: number): Promise<void> {
    if (this.alarmAt !== null && this.alarmAt <= at) return
    this.alarmAt = at
    await this.ctx.storage.setAlarm(at)
  }

  /**
   * What a post page needs, in one call: status, exact reader count and the comments. With
   * `countView` the view is recorded first (only for a published post), so the count includes it.
   * A caller that already holds the comments of `knownVersion` gets `comments: null` (a viral
   * post's thread is then not copied out of the object on every view).
   */
  async open(req: OpenRequest): Promise<OpenResult> {
    const status = this.status()
    if (status === 'unknown') {
      return { status, views: 0, counted: false, daily: [], shardedUntil: null, commentsVersion: 0, comments: [], backlinks: [] }
    }
    if (!this.commentsChecked) this.rerenderComments()
    const now = Date.now()
    const counted = req.countView && status === 'published' && !seenRecently(this.sql, req, now)
    const views = counted ? await this.record(1, req.day, now) : this.counter('views')
    if (req.windowMs) this.windowMs = req.windowMs
    return this.page(status, views, counted, req.knownVersion ?? -1, req.shardAbove, now)
  }

  /**
   * A batch of `n` views collected by one of this post's shards while it is sharded: added at
   * once, so the shard can hand out the exact numbers total−n+1 … total to its waiting readers.
   */
  async recordBatch(n: number, req: OpenRequest): Promise<OpenResult> {
    const status = this.status()
    const now = Date.now()
    const views = n > 0 && status === 'published' ? await this.record(n, req.day, now) : this.ready ? this.counter('views') : 0
    if (n > 0 && status === 'published') {
      // How much of the count came through shards (GET /api/stats?post=…): two rows, one statement.
      this.sql.exec(
        `INSERT INTO counters (name, value) VALUES ('shard_batches', 1), ('shard_views', ?)
         ON CONFLICT (name) DO UPDATE SET value = value + excluded.value`,
        n,
      )
    }
    if (status === 'unknown') {
      return { status, views: 0, counted: false, daily: [], shardedUntil: null, commentsVersion: 0, comments: [], backlinks: [] }
    }
    return this.page(status, views, n > 0, req.knownVersion ?? -1, req.shardAbove, now)
  }

  private windowMs = 0
  private readonly rate = new RateMeter()
  private shardedUntil: number | null = null

  /** Adds views; returns the new total. One statement each: exact under any concurrency. */
  private async record(n: number, day: string | undefined, now: number): Promise<number> {
    const total = this.sql
      .exec<{ value: number }>("UPDATE counters SET value = value + ? WHERE name = 'views' RETURNING value", n)
      .one().value
    addDaily(this.sql, day, n)
    this.rate.add(n, now)
    await this.scheduleAlarm(now + siteConfig(this.env).countPushSeconds * 1000)
    return total
  }

  private page(
    status: RoomStatus,
    views: number,
    counted: boolean,
    knownVersion: number,
    shardAbove: number | undefined,
    now: number,
  ): OpenResult {
    // Sharding switches on above the threshold and stays on while the rate is above half of it.
    if (shardAbove) {
      const rate = this.rate.perSecond(now)
      const on = this.shardedUntil !== null && this.shardedUntil > now
      if (rate >= shardAbove || (on && rate >= shardAbove / 2)) this.shardedUntil = now + SHARD_HOLD_MS
    }
    const commentsVersion = this.counter('comments_version')
    const comments = status !== 'published' ? [] : commentsVersion === knownVersion ? null : this.approvedComments()
    return {
      status,
      views,
      counted,
      daily: dailyViews(this.sql, 30),
      shardedUntil: this.shardedUntil !== null && this.shardedUntil > now ? this.shardedUntil : null,
      commentsVersion,
      comments,
      backlinks: this.backlinks(),
    }
  }

  /** Parsed once per object instance; replaced by setBacklinks. */
  private backlinkCache: Backlink[] | null = null

  private backlinks(): Backlink[] {
    this.backlinkCache ??= JSON.parse(this.meta('backlinks') ?? '[]') as Backlink[]
    return this.backlinkCache
  }

  /** Set by the Site object whenever a post linking here is published, changed or deleted. */
  setBacklinks(postId: string, backlinks: Backlink[]): void {
    this.ensureSchema()
    this.setMeta('post_id', postId)
    this.setMeta('backlinks', JSON.stringify(backlinks))
    this.backlinkCache = backlinks
  }

  /** Takes back a view that was counted for a page that could not be served. */
  async retractView(day?: string): Promise<void> {
    if (!this.ready) return
    this.sql.exec("UPDATE counters SET value = max(value - 1, 0) WHERE name = 'views'")
    addDaily(this.sql, day, -1)
  }

  /** The exact totals. */
  stats(days = 0): RoomStats {
    if (!this.ready) return { status: 'unknown', views: 0, comments: 0, daily: [], shardBatches: 0, shardViews: 0 }
    const comments = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM comments WHERE status = 'approved'").one().n
    const optional = (name: string) =>
      this.sql.exec<{ value: number }>('SELECT value FROM counters WHERE name = ?', name).toArray()[0]?.value ?? 0
    return {
      status: this.status(),
      views: this.counter('views'),
      comments,
      daily: days > 0 ? dailyViews(this.sql, days) : [],
      shardBatches: optional('shard_batches'),
      shardViews: optional('shard_views'),
    }
  }

  /** Set by the Site object on every publish and delete. */
  async setStatus(postId: string, status: PostStatus): Promise<void> {
    this.ensureSchema()
    this.setMeta('post_id', postId)
    this.setMeta('status', status)
    // A post restored after a delete (or a site object rebuilt) gets its totals pushed again.
    const { views, comments } = this.stats()
    if (views > 0 || comments > 0) {
      this.sql.exec("UPDATE counters SET value = -1 WHERE name = 'pushed_views'")
      await this.scheduleAlarm(Date.now())
    }
  }

  /** The approved comments, oldest first (flat; each carries its parent). */
  listComments(): { status: RoomStatus; comments: PublicComment[] } {
    const status = this.status()
    return { status, comments: status === 'published' ? this.approvedComments() : [] }
  }

  /**
   * Stores a comment once. A retry with the same key returns the stored comment (`replayed`),
   * whatever happened to the first response; all checks and the insert run without an await, so
   * they are atomic against concurrent requests.
   */
  async addComment(c: NewComment): Promise<AddCommentResult> {
    const status = this.status()
    if (status === 'deleted') return { ok: false, status: 410, code: 'post_deleted', message: 'This post has been deleted.' }
    if (status !== 'published') return { ok: false, status: 404, code: 'post_not_found', message: `No published post "${c.postId}".` }
    if (c.key) {
      const prior = this.sql.exec<CommentRow>(`SELECT ${PUBLIC_COLUMNS} FROM comments WHERE idem_key = ?`, c.key).toArray()[0]
      if (prior) {
        if (prior.request_hash !== c.requestHash) {
          return {
            ok: false,
            status: 422,
            code: 'idempotency_key_reused',
            message: 'This idempotency key was already used for a different comment.',
          }
        }
        return { ok: true, replayed: true, comment: toPublic(prior) }
      }
    }
    if (c.parent !== null) {
      const parent = this.sql
        .exec<{ n: number }>("SELECT count(*) AS n FROM comments WHERE id = ? AND status = 'approved'", c.parent)
        .one().n
      if (!parent) return { ok: false, status: 400, code: 'parent_not_found', message: `There is no comment ${c.parent} to reply to.` }
    }
    const row = this.sql
      .exec<CommentRow>(
        `INSERT INTO comments (parent, author, email, url, body, html, excerpt, status, created_ms, idem_key, request_hash, render_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'approved', ?, ?, ?, ?) RETURNING ${PUBLIC_COLUMNS}`,
        c.parent,
        c.author,
        c.email,
        c.url,
        c.body,
        c.html,
        c.excerpt,
        Date.now(),
        c.key,
        c.requestHash,
        c.renderVersion,
      )
      .one()
    this.sql.exec("UPDATE counters SET value = value + 1 WHERE name = 'comments_version'")
    await this.scheduleAlarm(Date.now())
    return { ok: true, replayed: false, comment: toPublic(row) }
  }

  /** Pushes totals and unseen comments to the Site object. Throws to let the runtime retry. */
  override async alarm(): Promise<void> {
    this.alarmAt = null
    if (!this.ready) return
    const postId = this.meta('post_id')
    if (!postId) return
    const views = this.counter('views')
    const pushedComment = this.counter('pushed_comment')
    const fresh = this.sql
      .exec<CommentRow>(`SELECT ${PUBLIC_COLUMNS} FROM comments WHERE status = 'approved' AND id > ? ORDER BY id LIMIT 50`, pushedComment)
      .toArray()
    if (this.windowMs > 0) forgetReaders(this.sql, Date.now() - this.windowMs)
    if (views === this.counter('pushed_views') && fresh.length === 0) return
    const comments = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM comments WHERE status = 'approved'").one().n
    await this.env.SITE.getByName('site').reportActivity({
      postId,
      views,
      comments,
      // Absolute totals of the two latest days: replays are harmless, yesterday gets its final value.
      daily: dailyViews(this.sql, 2),
      newComments: fresh.map((r) => ({ commentId: r.id, author: r.author, excerpt: r.excerpt, createdAt: r.created_ms })),
    })
    this.sql.exec("UPDATE counters SET value = ? WHERE name = 'pushed_views'", views)
    if (fresh.length > 0) this.sql.exec("UPDATE counters SET value = ? WHERE name = 'pushed_comment'", fresh[fresh.length - 1]!.id)
    // More arrived while pushing (or more than one batch): push again.
    const more = this.counter('views') !== views || fresh.length === 50
    if (more) await this.scheduleAlarm(Date.now() + (fresh.length === 50 ? 0 : siteConfig(this.env).countPushSeconds * 1000))
  }
}
