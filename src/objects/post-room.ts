import { DurableObject } from 'cloudflare:workers'
import { siteConfig } from '../config'
import {
  MAX_PINNED_COMMENTS,
  type Backlink,
  type CommentStatus,
  type DayCount,
  type PostNav,
  type PostStatus,
  type PublicComment,
  type ReactionCounts,
} from '../model'
import { timingSafeEqual } from 'hono/utils/buffer'
import { commentSecret, editToken } from '../lib/tokens'
import { commentRenderOptions } from '../lib/render-options'
import { loadRenderer } from '../render/load'
import { COMMENT_RENDER_VERSION } from '../render/versions'
import type { RenderedComment } from '../render/render-comment'
import { hasSchema, migrate, type Migration } from './migrations'
import type { BackupComment, RoomBackup } from '../backup/types'
import {
  addDaily,
  DAILY_MIGRATION,
  dailyViews,
  forgetReaders,
  packDays,
  RateMeter,
  seenRecently,
  VIEW_COUNTER_MIGRATION,
  type ViewRequest,
} from './view-counter'

/** How long a post stays sharded after its rate last justified it. */
const SHARD_HOLD_MS = 60_000
/**
 * How many of a post's earlier ids its object remembers, the latest: the edit tokens made under them
 * (issuedHere) live COMMENT_EDIT_MINUTES, and each is one more HMAC for a token that fails.
 */
const MAX_FORMER_IDS = 5

export const POST_ROOM_MIGRATIONS: readonly Migration[] = [
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
  {
    // Moderation, threads with a depth limit, edits, the author badge, avatars, reply
    // notifications, duplicate detection, imports; mod_seq orders the changes pushed to the site.
    name: '005-moderation',
    sql: `
      ALTER TABLE comments ADD COLUMN reply_to INTEGER;
      ALTER TABLE comments ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE comments ADD COLUMN edited_ms INTEGER;
      ALTER TABLE comments ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE comments ADD COLUMN avatar TEXT NOT NULL DEFAULT '';
      ALTER TABLE comments ADD COLUMN notify INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE comments ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';
      ALTER TABLE comments ADD COLUMN mod_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE comments ADD COLUMN import_key TEXT;
      UPDATE comments SET reply_to = parent, mod_seq = id;
      CREATE UNIQUE INDEX comments_import_key ON comments (import_key);
      CREATE INDEX comments_body_hash ON comments (body_hash);
      CREATE INDEX comments_mod_seq ON comments (mod_seq);
      INSERT INTO counters (name, value) SELECT 'mod_seq', coalesce(max(id), 0) FROM comments;
      INSERT INTO counters (name, value) SELECT 'pushed_mod_seq', value FROM counters WHERE name = 'pushed_comment';
    `,
  },
  {
    // Send every comment to the site's comment index once (005 started after the comments already
    // pushed, so older ones were missing from the moderation queue, "first" mode and erase).
    name: '006-reindex-comments',
    sql: `UPDATE counters SET value = 0 WHERE name = 'pushed_mod_seq'`,
  },
  {
    // Pinned comments (置顶): NULL, or the comment's place in the post's pin order (the next number
    // each time one is pinned, so the earliest pinned comes first). Only an approved top-level
    // comment is pinned; hiding, deleting or holding it again clears this. Every comment goes to the
    // site's comment index once more, now with whether it is top-level and pinned (the admin's buttons).
    name: '007-pinned-comments',
    sql: `
      ALTER TABLE comments ADD COLUMN pinned INTEGER;
      UPDATE counters SET value = 0 WHERE name = 'pushed_mod_seq';
    `,
  },
  {
    // Comment likes (赞): who liked which comment (a liker key the Worker makes, an HMAC of the
    // reader's address and user agent: nothing personal), and each comment's count kept in its row,
    // so the thread is read with its counts as before and no page view reads comment_likes.
    name: '008-comment-likes',
    sql: `
      CREATE TABLE comment_likes (
        comment_id INTEGER NOT NULL,
        liker TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (comment_id, liker)
      ) WITHOUT ROWID;
      ALTER TABLE comments ADD COLUMN likes INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    // Post reactions (文章反应): each reader's one reaction (by the liker key, as comment likes), and
    // the count of each reaction kept beside, so the page's read takes a few rows and scans nothing.
    name: '009-reactions',
    sql: `
      CREATE TABLE reactions (
        reader TEXT PRIMARY KEY,
        reaction TEXT NOT NULL,
        created_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE reaction_counts (reaction TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
    `,
  },
  {
    // Views brought from another comment system's page counters (POST /api/import/comments): each
    // counter's figure, by its source key (format and page URL), so an import repeated adds nothing.
    // The figures are also in counters.views (the total the page reads, with no other query) and on
    // no day of `daily`: they are all-time only.
    name: '010-imported-views',
    sql: `CREATE TABLE imported_views (source TEXT PRIMARY KEY, views INTEGER NOT NULL) WITHOUT ROWID;`,
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
  /** Reaction counts (文章反应; keys nobody holds left out). */
  reactions: ReactionCounts
  /** Of `views`, those imported from another system's page counters (on no day of `daily`). */
  importedViews: number
}

/** One page counter of an imported file, for its post (POST /api/import/comments). */
export interface ImportViews {
  /** The counter's key: the format and the page URL (`waline:/archives/entropy-notes/`). */
  source: string
  views: number
}

export interface OpenResult {
  status: RoomStatus
  views: number
  /** Whether this call recorded a view (false for a reload within the window, a bot, …). */
  counted: boolean
  /**
   * Views per day, the last 30 days with views (for the trend line), packed (packDays). This answer
   * crosses an RPC call on every view, and workerd copies small objects there at a price: the
   * object's stored JSON and a packed string cost almost nothing (docs/PERFORMANCE.md, "The object's answer").
   */
  dailyPacked: string
  /** While set and in the future, views of this post should go through its shards (ViewShard). */
  shardedUntil: number | null
  /** Changes whenever the set of shown comments changes. */
  commentsVersion: number
  /** The approved comments, or null when the caller already holds `commentsVersion`. */
  comments: PublicComment[] | null
  /**
   * The post's reaction counts, sent with the comments (null exactly when `comments` is): a reaction
   * is a new comments version, so a caller holding the version holds the counts too.
   */
  reactions: ReactionCounts | null
  /** Published posts that link to this one (被引用), oldest first: JSON of Backlink[]. */
  backlinksJson: string
  /** Previous/next posts and the post's series, as the Site object last sent them: JSON of PostNav. */
  navJson: string | null
  /** The revision of the post's KV record, as the Site object last said (null: not known). */
  revision: number | null
  /**
   * Where the post went, on the object of an id it was renamed away from (status `deleted`): the
   * post's pages redirect there even where KV still holds the old record (the redirect not yet
   * written, or KV's copy elsewhere not yet refreshed). Absent otherwise.
   */
  movedTo?: string
}

/** A post object's rows, table by table (a post being renamed). */
export interface RoomState {
  tables: Record<string, RoomTable>
}

/** One table's rows as PostRoom copies them: the column names and each row's values in that order. */
type RoomTable = { columns: string[]; rows: SqlStorageValue[][] }

/** A table's rows as objects keyed by column name. */
function records<T>(table: RoomTable): T[] {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i]])) as T)
}

/** What `open` answers for an id no post was ever published under. */
function unknownPost(): OpenResult {
  return {
    status: 'unknown',
    views: 0,
    counted: false,
    dailyPacked: '',
    shardedUntil: null,
    commentsVersion: 0,
    comments: [],
    reactions: {},
    backlinksJson: '[]',
    navJson: null,
    revision: null,
  }
}

/** A comment as the Worker hands it over: validated, rendered, hashed, judged by the spam checks. */
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
  /** approved, or pending (moderation) or spam (blocked words) as the Worker decided. */
  status: 'approved' | 'pending' | 'spam'
  /** Written with the admin token: author badge, and no duplicate check. */
  admin: boolean
  avatar: string
  /** The writer asked to be told of replies (needs an e-mail address). */
  notify: boolean
  /** sha-256 of the normalised body, for duplicate detection (with the writer and the comment answered: isDuplicate). */
  bodyHash: string
  /** COMMENT_MAX_DEPTH: replies deeper than this attach to the deepest allowed level. */
  maxDepth: number
}

/** Who may be told about a comment that has just become visible: the author of the comment it answers. */
export interface ReplyNotice {
  commentId: number
  parent: { id: number; author: string; email: string } | null
}

export type AddCommentResult =
  | { ok: true; replayed: boolean; comment: PublicComment; notice: ReplyNotice | null }
  | { ok: false; status: 400 | 404 | 409 | 410 | 422; code: string; message: string; movedTo?: string }

/**
 * How a change to an existing comment is authorised: the admin token, or the writer's edit token.
 * `more`: further tokens the browser holds for a comment of that number under other post ids (the
 * cookies are named with the id the post had when the comment was written; README, Redirects).
 */
export type CommentAuth = { admin: true } | { admin: false; token: string; more?: string[]; windowMs: number }

/** The tokens a writer's request carries for a comment: its own, and at most four from cookies of the post's former ids. */
function writerTokens(auth: Extract<CommentAuth, { admin: false }>): string[] {
  return [auth.token, ...(auth.more ?? []).slice(0, 4)]
}

export type ChangeResult<T> = { ok: true; value: T } | { ok: false; status: 403 | 404 | 409 | 410; code: string; message: string }

/** A comment as the moderation queue shows it (the e-mail address is for the blog's author only). */
export interface ModerationItem extends PublicComment {
  email: string | null
}

/** One comment of an import (already mapped to this post and rendered by the Worker). */
export interface ImportComment {
  importKey: string
  parentImportKey: string | null
  author: string
  email: string | null
  url: string | null
  body: string
  html: string
  excerpt: string
  createdAt: number
  status: 'approved' | 'pending' | 'spam'
  admin: boolean
  avatar: string
  /** Its likes in the source (the count only: who liked is not known, so a reader may like it once more here). */
  likes?: number
  /** Pinned in the source: pinned here too (an approved top-level comment, while the post has fewer than MAX_PINNED_COMMENTS). */
  pinned?: boolean
}

interface CommentRow extends Record<string, SqlStorageValue> {
  id: number
  parent: number | null
  reply_to: number | null
  depth: number
  author: string
  email: string | null
  url: string | null
  body: string
  html: string
  excerpt: string
  status: string
  created_ms: number
  edited_ms: number | null
  is_admin: number
  avatar: string
  notify: number
  request_hash: string
  /** The place in the post's pin order, or null (not pinned). */
  pinned: number | null
  /** How many readers like it (rows of comment_likes). */
  likes: number
}

const PUBLIC_COLUMNS =
  'id, parent, reply_to, depth, author, email, url, body, html, excerpt, status, created_ms, edited_ms, is_admin, avatar, notify, request_hash, pinned, likes'

function toPublic(r: CommentRow): PublicComment {
  const c: PublicComment = {
    id: r.id,
    parent: r.parent,
    replyTo: r.reply_to,
    depth: r.depth,
    author: r.author,
    url: r.url,
    body: r.body,
    html: r.html,
    createdAt: r.created_ms,
    editedAt: r.edited_ms,
    admin: r.is_admin === 1,
    avatar: r.avatar,
    status: r.status as CommentStatus,
  }
  // (Only a pinned comment carries the field: the answer of every other comment keeps its shape.)
  if (r.pinned !== null && r.status === 'approved' && r.parent === null) c.pinned = r.pinned
  if (r.likes > 0 && r.status === 'approved') c.likes = r.likes
  return c
}

/**
 * Where a reply to `target` goes in the thread: under it, or, when that would be deeper than
 * `maxDepth` levels, beside it at the deepest allowed level. A comment without target is top level.
 */
function threadPlace(target: CommentRow | undefined, maxDepth: number): { parent: number | null; depth: number } {
  if (!target) return { parent: null, depth: 0 }
  return target.depth + 1 < Math.max(1, maxDepth)
    ? { parent: target.id, depth: target.depth + 1 }
    : { parent: target.parent, depth: target.depth }
}

/**
 * The comments readers see, oldest first: approved ones, and deleted ones (as placeholders) only
 * where a visible reply hangs under them.
 */
function visible(rows: CommentRow[]): PublicComment[] {
  const shown = new Set<number>()
  // Children have larger ids than their parents: walk newest first, so a placeholder is kept
  // exactly when something below it is shown.
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i]!
    if (r.status === 'approved' || shown.has(-r.id)) {
      shown.add(r.id)
      if (r.parent !== null) shown.add(-r.parent)
    }
  }
  return rows.filter((r) => shown.has(r.id)).map((r) => (r.status === 'approved' ? toPublic(r) : placeholder(r)))
}

/**
 * A comment readers may not see (deleted, or held or marked spam after it was answered) that keeps
 * its shown replies in place: where it was, nothing of what it said or who said it.
 */
function placeholder(r: CommentRow): PublicComment {
  return { ...toPublic(r), author: '', url: null, body: '', html: '', editedAt: null, admin: false, avatar: '', status: 'deleted' }
}

/** A view waiting in PostRoom's group commit. */
interface GroupedView {
  req: OpenRequest
  resolve: (result: { views: number; counted: boolean }) => void
  reject: (err: unknown) => void
}

/** How many of the latest days of views a post's object keeps in memory (the trend line shows 30). */
const DAILY_KEPT = 30

/**
 * One per post: the truth for its reader count and its comments. The views that arrive together
 * are counted as one group, one statement for the count (atomic inside the object, so concurrent
 * views are all counted, each with its own number), and the same call returns the count and the
 * comments the page shows. Totals reach the site snapshot by alarm, batched.
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
      // Changes not yet in the site's index (after an upgrade, or a push that never ran) go out now.
      if (this.ready && this.alarmAt === null && this.counter('pushed_mod_seq') < this.counter('mod_seq')) {
        await this.scheduleAlarm(Date.now())
      }
    })
  }

  private ensureSchema(): void {
    if (this.ready) return
    migrate(this.ctx.storage, POST_ROOM_MIGRATIONS)
    this.ready = true
  }

  /** Comments stored by an older renderer are rendered again on the first view after a deploy. */
  private commentsChecked = false

  /** This post's comments to render again: all of them with `force`, else those made by an older renderer. */
  private commentsToRender(force: boolean): { id: number; body: string }[] {
    return this.sql
      .exec<{ id: number; body: string }>(
        'SELECT id, body FROM comments WHERE ? OR render_version != ?',
        force ? 1 : 0,
        COMMENT_RENDER_VERSION,
      )
      .toArray()
  }

  /**
   * Renders this post's comments again from their markdown: all of them with `force` (after a
   * change of MATH_MACROS), else those made by an older renderer. Returns how many changed.
   */
  async rerenderComments(force = false): Promise<number> {
    if (!this.ready) return 0
    // `open` calls this only when a comment is stale, the Site object to force it. The renderer is
    // loaded (render/load.ts) before the comments are read, so that reading them and writing them
    // again happen with no await in between.
    const { renderComment } = await loadRenderer()
    const rows = this.commentsToRender(force)
    if (rows.length > 0) {
      const options = commentRenderOptions(siteConfig(this.env))
      for (const row of rows) {
        let rendered: RenderedComment
        try {
          rendered = renderComment(row.body, options)
        } catch (err) {
          // A comment this renderer cannot make keeps its stored HTML and is not tried again: the
          // post's page must not fail on it at every view.
          console.error(JSON.stringify({ event: 'comment.rerender_failed', id: row.id, error: String(err) }))
          this.sql.exec('UPDATE comments SET render_version = ? WHERE id = ?', COMMENT_RENDER_VERSION, row.id)
          continue
        }
        this.sql.exec(
          'UPDATE comments SET html = ?, excerpt = ?, render_version = ? WHERE id = ?',
          rendered.html,
          rendered.excerpt,
          COMMENT_RENDER_VERSION,
          row.id,
        )
      }
      this.bumpCommentsVersion()
    }
    this.commentsChecked = true
    return rows.length
  }

  private meta(name: string): string | null {
    return this.sql.exec<{ value: string }>('SELECT value FROM meta WHERE name = ?', name).toArray()[0]?.value ?? null
  }

  private setMeta(name: string, value: string): void {
    this.sql.exec('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value', name, value)
    if (name === 'status') this.statusCache = undefined
  }

  private counter(name: string): number {
    return this.sql.exec<{ value: number }>('SELECT value FROM counters WHERE name = ?', name).one().value
  }

  /**
   * The post's status and its comments version as last read from SQLite (every view needs both):
   * undefined until read again. Every write of either forgets the copy (setMeta, bumpCommentsVersion,
   * writeTable), and only a read refills it, so a write that a transaction rolled back is never kept.
   */
  private statusCache: RoomStatus | undefined
  private commentsVersionCache: number | undefined

  private status(): RoomStatus {
    if (!this.ready) return 'unknown'
    return (this.statusCache ??= (this.meta('status') as PostStatus | null) ?? 'unknown')
  }

  private commentsVersion(): number {
    return (this.commentsVersionCache ??= this.counter('comments_version'))
  }

  /** A new comments version: every thread kept by a Worker or a view shard is made again. */
  private bumpCommentsVersion(): void {
    this.commentsVersionCache = undefined
    this.sql.exec("UPDATE counters SET value = value + 1 WHERE name = 'comments_version'")
  }

  private approvedComments(): PublicComment[] {
    // Every status: a hidden comment with shown replies is listed as a placeholder (visible).
    return visible(this.sql.exec<CommentRow>(`SELECT ${PUBLIC_COLUMNS} FROM comments ORDER BY id`).toArray())
  }

  private row(id: number): CommentRow | undefined {
    return this.sql.exec<CommentRow>(`SELECT ${PUBLIC_COLUMNS} FROM comments WHERE id = ?`, id).toArray()[0]
  }

  /** Marks a change for the site's comment index and the thread caches, and schedules the push. */
  private async changed(id: number): Promise<void> {
    const seq = this.sql.exec<{ value: number }>("UPDATE counters SET value = value + 1 WHERE name = 'mod_seq' RETURNING value").one().value
    this.sql.exec('UPDATE comments SET mod_seq = ? WHERE id = ?', seq, id)
    this.bumpCommentsVersion()
    await this.scheduleAlarm(Date.now())
  }

  /** The parent's author, if they asked to be told of replies and this reply is not their own. */
  private replyNotice(c: CommentRow): ReplyNotice {
    const target = c.reply_to !== null ? this.row(c.reply_to) : undefined
    const wants = target && target.notify === 1 && target.email && target.status === 'approved' && target.email !== c.email
    return { commentId: c.id, parent: wants ? { id: target.id, author: target.author, email: target.email! } : null }
  }

  /** After views: the new total goes to the site COUNT_PUSH_SECONDS from now (or with an earlier push). */
  private schedulePush(now: number): Promise<void> {
    return this.scheduleAlarm(now + siteConfig(this.env).countPushSeconds * 1000)
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
      return unknownPost()
    }
    if (!this.commentsChecked && this.ready) {
      // Without an await when there is nothing to render: a lone view is still counted at once.
      if (this.commentsToRender(false).length > 0) await this.rerenderComments()
      else this.commentsChecked = true
    }
    if (req.windowMs) this.windowMs = req.windowMs
    if (req.countView && status === 'published') {
      const { views, counted } = await this.countTogether(req)
      // The status is read again: a change made while the view waited for its group shows at once.
      const current = this.status()
      if (current === 'unknown') return unknownPost()
      return this.page(current, views, counted, req.knownVersion ?? -1, req.shardAbove, Date.now())
    }
    return this.page(status, this.counter('views'), false, req.knownVersion ?? -1, req.shardAbove, Date.now())
  }

  /** Views waiting for their group's write (null: none; the next view starts a group). */
  private group: GroupedView[] | null = null
  /** A group's writes are not yet confirmed (storage.sync has not resolved since the last group). */
  private committing = false

  /**
   * Group commit: while a commit of this object is under way (a burst), a view joins the views that
   * reach the object before its event loop's next turn, and the group is checked and counted together
   * (countGroup), so a burst costs one storage commit instead of one per view. A view that finds no
   * commit under way and no group waiting (a quiet post, or one reader after another) is counted at
   * once, a group of one, instead of waiting a turn for views that are not coming. Either way the
   * answers leave only once their commit is confirmed (the output gate).
   */
  private countTogether(req: OpenRequest): Promise<{ views: number; counted: boolean }> {
    return new Promise((resolve, reject) => {
      if (this.group === null && !this.committing) {
        this.group = [{ req, resolve, reject }]
        void this.countGroup()
        return
      }
      if (this.group === null) {
        this.group = []
        setTimeout(() => void this.countGroup(), 0)
      }
      this.group.push({ req, resolve, reject })
    })
  }

  /**
   * Counts a group in one synchronous run of statements (one implicit transaction, one commit): each
   * reader is checked in turn (a reader twice in the group counts once), the counted views are added
   * per day, and each counted view gets its own number of total−n+1 … total. The answers leave the
   * object only once the commit is confirmed (the output gate), so no reader sees a number that
   * could be lost. The statements run as one transaction: if one fails, none of the group's readers
   * or counts is kept, and every view of the group gets the error.
   */
  private async countGroup(): Promise<void> {
    const group = this.group ?? []
    this.group = null
    const now = Date.now()
    let counted: boolean[]
    let total: number
    try {
      // All or nothing: a failed statement takes back the group's readers and counts alike.
      ;({ counted, total } = this.ctx.storage.transactionSync(() => {
        const published = this.status() === 'published'
        const counted = group.map((v) => published && !seenRecently(this.sql, v.req, now))
        const byDay = new Map<string | undefined, number>()
        group.forEach((v, i) => counted[i] && byDay.set(v.req.day, (byDay.get(v.req.day) ?? 0) + 1))
        let total = byDay.size === 0 ? this.counter('views') : 0
        for (const [day, n] of byDay) total = this.addViews(n, day, now)
        return { counted, total }
      }))
      // The views that come until these writes are confirmed form the next group.
      this.committing = true
      const done = () => (this.committing = false)
      this.ctx.storage.sync().then(done, done)
      if (counted.includes(true)) await this.schedulePush(now)
    } catch (err) {
      // The kept days may hold a day whose row was taken back.
      this.dailyCache = null
      for (const v of group) v.reject(err)
      return
    }
    let number = total - counted.filter(Boolean).length
    group.forEach((v, i) => v.resolve({ views: counted[i] ? ++number : total, counted: counted[i]! }))
  }

  /**
   * A batch of `n` views collected by one of this post's shards while it is sharded: added at
   * once, so the shard can hand out the exact numbers total−n+1 … total to its waiting readers.
   */
  async recordBatch(n: number, req: OpenRequest): Promise<OpenResult> {
    const status = this.status()
    const now = Date.now()
    const counted = n > 0 && status === 'published'
    const views = counted ? this.addViews(n, req.day, now, true) : this.ready ? this.counter('views') : 0
    if (counted) await this.schedulePush(now)
    if (status === 'unknown') {
      return unknownPost()
    }
    return this.page(status, views, n > 0, req.knownVersion ?? -1, req.shardAbove, now)
  }

  /**
   * The latest DAILY_KEPT days of views, as read from the daily table and then kept up to date by
   * addDay (every view reads them for the trend line); null: read them again. Its entries are never
   * changed in place (a new entry replaces one), so what a call returned stays as it was.
   */
  private dailyCache: DayCount[] | null = null

  private recentDaily(days: number): DayCount[] {
    if (days > DAILY_KEPT) return dailyViews(this.sql, days)
    this.dailyCache ??= dailyViews(this.sql, DAILY_KEPT)
    return this.dailyCache.slice(-days)
  }

  /** Adds n views to the day's row, and to the kept days. */
  private addDay(day: string | undefined, n: number): void {
    if (!day || n === 0) return
    try {
      addDaily(this.sql, day, n)
    } catch (err) {
      this.dailyCache = null
      throw err
    }
    const kept = this.dailyCache
    if (!kept) return
    const at = kept.findIndex((d) => d.day === day)
    if (at >= 0) kept[at] = { day, views: Math.max(kept[at]!.views + n, 0) }
    else if (kept.length === 0 || day > kept[kept.length - 1]!.day) {
      kept.push({ day, views: Math.max(n, 0) })
      if (kept.length > DAILY_KEPT) kept.shift()
    } else this.dailyCache = null
  }

  private windowMs = 0
  private readonly rate = new RateMeter()
  private shardedUntil: number | null = null

  /**
   * Adds views; returns the new total. One statement for the count: exact under any concurrency. A
   * shard's batch also adds to how much of the count came through shards (GET /api/stats?post=…),
   * in the same statement. The caller schedules the push of the new total (schedulePush).
   */
  private addViews(n: number, day: string | undefined, now: number, sharded = false): number {
    const total = sharded
      ? this.sql
          .exec<{ name: string; value: number }>(
            `INSERT INTO counters (name, value) VALUES ('views', ?1), ('shard_batches', 1), ('shard_views', ?1)
             ON CONFLICT (name) DO UPDATE SET value = value + excluded.value RETURNING name, value`,
            n,
          )
          .toArray()
          .find((row) => row.name === 'views')!.value
      : this.sql.exec<{ value: number }>("UPDATE counters SET value = value + ? WHERE name = 'views' RETURNING value", n).one().value
    this.addDay(day, n)
    this.rate.add(n, now)
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
    const commentsVersion = this.commentsVersion()
    const comments = status !== 'published' ? [] : commentsVersion === knownVersion ? null : this.approvedComments()
    const result: OpenResult = {
      status,
      views,
      counted,
      dailyPacked: packDays(this.recentDaily(30)),
      shardedUntil: this.shardedUntil !== null && this.shardedUntil > now ? this.shardedUntil : null,
      commentsVersion,
      comments,
      reactions: comments === null ? null : status === 'published' ? this.reactionCounts() : {},
      backlinksJson: this.backlinksJson(),
      navJson: this.navJson(),
      revision: this.revision(),
    }
    // (Added here, not spread into the literal above: a published post's answer, made on every view, keeps its plain shape.)
    if (status === 'deleted') this.addMovedTo(result)
    return result
  }

  /** Sets `movedTo` if this post was renamed away (exportState with `retire.movedTo`). */
  private addMovedTo(into: { movedTo?: string }): void {
    const to = this.meta('moved_to')
    if (to !== null) into.movedTo = to
  }

  /** Read once per object instance; replaced by setBacklinks. */
  private backlinksText: string | null = null

  private backlinksJson(): string {
    return (this.backlinksText ??= this.meta('backlinks') ?? '[]')
  }

  /** Set by the Site object whenever a post linking here is published, changed or deleted. */
  setBacklinks(postId: string, backlinks: Backlink[]): void {
    this.ensureSchema()
    this.setMeta('post_id', postId)
    const text = JSON.stringify(backlinks)
    this.setMeta('backlinks', text)
    this.backlinksText = text
  }

  private revisionCache: number | null | undefined = undefined

  private revision(): number | null {
    if (this.revisionCache === undefined) {
      const stored = this.meta('revision')
      this.revisionCache = stored === null ? null : Number(stored)
    }
    return this.revisionCache
  }

  /** Read once per object instance; replaced by setNav. */
  private navText: string | null | undefined = undefined

  private navJson(): string | null {
    if (this.navText === undefined) this.navText = this.meta('nav') || null
    return this.navText
  }

  /** Set by the Site object whenever this post's neighbours in time or its series change. */
  setNav(postId: string, nav: PostNav): void {
    this.ensureSchema()
    this.setMeta('post_id', postId)
    const text = JSON.stringify(nav)
    this.setMeta('nav', text)
    this.navText = text
  }

  /** Takes back a view that was counted for a page that could not be served. */
  async retractView(day?: string): Promise<void> {
    if (!this.ready) return
    this.sql.exec("UPDATE counters SET value = max(value - 1, 0) WHERE name = 'views'")
    this.addDay(day, -1)
  }

  /** The exact totals. */
  stats(days = 0): RoomStats {
    if (!this.ready)
      return { status: 'unknown', views: 0, comments: 0, daily: [], shardBatches: 0, shardViews: 0, reactions: {}, importedViews: 0 }
    const comments = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM comments WHERE status = 'approved'").one().n
    const optional = (name: string) =>
      this.sql.exec<{ value: number }>('SELECT value FROM counters WHERE name = ?', name).toArray()[0]?.value ?? 0
    return {
      status: this.status(),
      views: this.counter('views'),
      comments,
      daily: days > 0 ? this.recentDaily(days) : [],
      shardBatches: optional('shard_batches'),
      shardViews: optional('shard_views'),
      reactions: this.reactionCounts(),
      importedViews: this.sql.exec<{ n: number | null }>('SELECT sum(views) AS n FROM imported_views').one().n ?? 0,
    }
  }

  /**
   * Set by the Site object on every publish and delete. `movedTo` (with `deleted`, from a rename's
   * exportState) is where the post went; any other status forgets it.
   */
  async setStatus(postId: string, status: PostStatus, revision?: number, movedTo?: string): Promise<void> {
    this.ensureSchema()
    this.setMeta('post_id', postId)
    this.setMeta('status', status)
    if (status === 'deleted' && movedTo !== undefined) this.setMeta('moved_to', movedTo)
    else this.sql.exec("DELETE FROM meta WHERE name = 'moved_to'")
    if (revision !== undefined) {
      this.setMeta('revision', String(revision))
      this.revisionCache = revision
    }
    // Readers of a draft or deleted post got no comments for the current version; a new version
    // makes every cache (isolates, view shards) fetch them again when the post is back.
    this.bumpCommentsVersion()
    // A post restored after a delete (or a site object rebuilt) gets its totals pushed again.
    const { views, comments } = this.stats()
    if (views > 0 || comments > 0) {
      this.sql.exec("UPDATE counters SET value = -1 WHERE name = 'pushed_views'")
      await this.scheduleAlarm(Date.now())
    }
  }

  /** The comments readers see, oldest first (flat; each carries its parent). */
  listComments(): { status: RoomStatus; comments: PublicComment[]; reactions: ReactionCounts } {
    const status = this.status()
    const published = status === 'published'
    return { status, comments: published ? this.approvedComments() : [], reactions: published ? this.reactionCounts() : {} }
  }

  /** The post's reaction counts (the kept counts: a few rows; keys nobody holds are left out). */
  private reactionCounts(): ReactionCounts {
    if (!this.ready) return {}
    const counts: Record<string, number> = {}
    for (const r of this.sql.exec<{ reaction: string; n: number }>('SELECT reaction, n FROM reaction_counts WHERE n > 0'))
      counts[r.reaction] = r.n
    return counts as ReactionCounts
  }

  /**
   * A reader's reaction to the post (文章反应): `reaction` becomes the reader's one reaction (their
   * earlier one, if any, moves to it), or, when it already is theirs, it is taken back (`reaction:
   * null`). `reader` is the Worker's liker key (an HMAC of address and user agent); the Worker has
   * checked that REACTIONS offers the key. The check and the writes run in one transaction without
   * an await, so concurrent readers are each counted exactly once. A reaction is a new comments
   * version (as a like: the kept thread and pages are composed again, now with the counts). A draft
   * or unknown post answers 404; a deleted one 410, with `movedTo` on a renamed post's old object.
   */
  react(reader: string, reaction: string): ChangeResult<{ reaction: string | null; counts: ReactionCounts }> & { movedTo?: string } {
    const status = this.status()
    if (status === 'deleted') {
      const refused: ChangeResult<never> & { movedTo?: string } = {
        ok: false,
        status: 410,
        code: 'post_deleted',
        message: 'This post has been deleted.',
      }
      this.addMovedTo(refused)
      return refused
    }
    if (status !== 'published') return { ok: false, status: 404, code: 'post_not_found', message: 'No published post.' }
    const chosen = this.ctx.storage.transactionSync(() => {
      const now = Date.now()
      const before = this.sql.exec<{ reaction: string }>('SELECT reaction FROM reactions WHERE reader = ?', reader).toArray()[0]?.reaction
      const add = (key: string, n: number) =>
        this.sql.exec(
          'INSERT INTO reaction_counts (reaction, n) VALUES (?1, max(?2, 0)) ON CONFLICT (reaction) DO UPDATE SET n = max(n + ?2, 0)',
          key,
          n,
        )
      if (before !== undefined) add(before, -1)
      if (before === reaction) {
        this.sql.exec('DELETE FROM reactions WHERE reader = ?', reader)
      } else {
        this.sql.exec(
          'INSERT INTO reactions (reader, reaction, created_ms) VALUES (?, ?, ?) ON CONFLICT (reader) DO UPDATE SET reaction = excluded.reaction, created_ms = excluded.created_ms',
          reader,
          reaction,
          now,
        )
        add(reaction, 1)
      }
      this.bumpCommentsVersion()
      return before === reaction ? null : reaction
    })
    return { ok: true, value: { reaction: chosen, counts: this.reactionCounts() } }
  }

  /**
   * Stores a comment once. A retry with the same key returns the stored comment (`replayed`),
   * whatever happened to the first response; all checks and the insert run without an await, so
   * they are atomic against concurrent requests.
   */
  async addComment(c: NewComment): Promise<AddCommentResult> {
    const status = this.status()
    if (status === 'deleted') {
      const refused: AddCommentResult = { ok: false, status: 410, code: 'post_deleted', message: 'This post has been deleted.' }
      this.addMovedTo(refused)
      return refused
    }
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
        return { ok: true, replayed: true, comment: toPublic(prior), notice: null }
      }
    }
    if (!c.admin && this.isDuplicate(c)) {
      return { ok: false, status: 409, code: 'duplicate_comment', message: 'You have already posted this comment here.' }
    }
    const target = c.parent !== null ? this.row(c.parent) : undefined
    if (c.parent !== null && (!target || target.status !== 'approved')) {
      return { ok: false, status: 400, code: 'parent_not_found', message: `There is no comment ${c.parent} to reply to.` }
    }
    const { parent, depth } = threadPlace(target, c.maxDepth)
    const row = this.sql
      .exec<CommentRow>(
        `INSERT INTO comments (parent, reply_to, depth, author, email, url, body, html, excerpt, status, created_ms, idem_key,
           request_hash, render_version, is_admin, avatar, notify, body_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${PUBLIC_COLUMNS}`,
        parent,
        c.parent,
        depth,
        c.author,
        c.email,
        c.url,
        c.body,
        c.html,
        c.excerpt,
        c.status,
        Date.now(),
        c.key,
        c.requestHash,
        c.renderVersion,
        c.admin ? 1 : 0,
        c.avatar,
        c.notify && c.email ? 1 : 0,
        c.bodyHash,
      )
      .one()
    await this.changed(row.id)
    return { ok: true, replayed: false, comment: toPublic(row), notice: row.status === 'approved' ? this.replyNotice(row) : null }
  }

  /**
   * Whether the same writer already said the same thing in the same place: a comment of this post
   * (not deleted) with the same name, the same e-mail address (ignoring case; none matches none),
   * the same text (body_hash: Unicode forms and runs of white space aside) and answering the same
   * comment (or none), at any time. So a double submit or a retry without a key stores nothing
   * twice, while another reader's "谢谢！" (or the same reader's, to another comment) is theirs
   * to post. (WordPress and Waline check the writer too.)
   */
  private isDuplicate(c: NewComment): boolean {
    return (
      this.sql
        .exec<{ n: number }>(
          `SELECT count(*) AS n FROM comments WHERE body_hash = ? AND status != 'deleted' AND author = ?
             AND coalesce(lower(email), '') = coalesce(lower(?), '') AND reply_to IS ?`,
          c.bodyHash,
          c.author,
          c.email,
          c.parent,
        )
        .one().n > 0
    )
  }

  /**
   * One comment: an approved one for anyone; one held for moderation only for its writer (the
   * browser's edit token, which the editor needs to load the text) and the admin.
   */
  async getComment(id: number, auth: CommentAuth | null = null): Promise<ChangeResult<PublicComment>> {
    const found = this.find(id, auth?.admin === true)
    if (!found.ok) return found
    const row = found.value
    const shown =
      row.status === 'approved' ||
      (row.status === 'pending' && auth !== null && (auth.admin || (await this.issuedHere(row, writerTokens(auth)))))
    if (!shown) return { ok: false, status: 404, code: 'comment_not_found', message: `There is no comment ${id}.` }
    return { ok: true, value: toPublic(row) }
  }

  private find(id: number, admin = false): ChangeResult<CommentRow> {
    const status = this.status()
    if (status === 'deleted') return { ok: false, status: 410, code: 'post_deleted', message: 'This post has been deleted.' }
    // Comments of a draft are the author's business only.
    const row = status === 'published' || (admin && status === 'draft') ? this.row(id) : undefined
    if (!row || row.status === 'deleted')
      return { ok: false, status: 404, code: 'comment_not_found', message: `There is no comment ${id}.` }
    return { ok: true, value: row }
  }

  /**
   * The comment if `auth` may change it: the admin always; the writer with the token their
   * browser got when posting, within the edit window.
   */
  private async authorised(id: number, auth: CommentAuth | null): Promise<ChangeResult<CommentRow>> {
    const found = this.find(id, auth?.admin === true)
    if (!found.ok || auth?.admin) return found
    if (!auth) {
      return {
        ok: false,
        status: 403,
        code: 'not_your_comment',
        message:
          "Only the writer of a comment (from the browser it was posted with, for a few minutes) or the blog's author can change it.",
      }
    }
    const row = found.value
    if (!(await this.issuedHere(row, writerTokens(auth)))) {
      return { ok: false, status: 403, code: 'not_your_comment', message: 'This browser did not write that comment.' }
    }
    if (Date.now() > row.created_ms + auth.windowMs) {
      return { ok: false, status: 403, code: 'edit_window_closed', message: 'The time for changing this comment is over.' }
    }
    return found
  }

  /**
   * The comment page that shows a comment (its top-level ancestor's place among the visible
   * threads), without copying the thread out of the object. Null if readers cannot see it.
   */
  pageOf(
    id: number,
    perPage: number,
    order: 'oldest' | 'newest',
  ): { status: RoomStatus; page: number | null; movedTo?: string; missing?: true } {
    const status = this.status()
    if (status !== 'published') {
      const answer: { status: RoomStatus; page: null; movedTo?: string } = { status, page: null }
      if (status === 'deleted') this.addMovedTo(answer)
      return answer
    }
    let row = this.row(id)
    // (No such comment, ever: the link is wrong. One readers cannot see leads to the post.)
    if (!row) return { status, page: null, missing: true }
    if (row.status !== 'approved') return { status, page: null }
    for (let guard = 0; row.parent !== null && guard < 100; guard++) {
      const up = this.row(row.parent)
      if (!up) break
      row = up
    }
    // A pinned thread is on page 1, ahead of the others; the others are paged as if it were not there.
    if (row.pinned !== null && row.status === 'approved') return { status, page: 1 }
    const visibleRoot = `parent IS NULL AND pinned IS NULL AND (status = 'approved' OR (status = 'deleted' AND EXISTS
      (SELECT 1 FROM comments c2 WHERE c2.parent = comments.id AND c2.status IN ('approved', 'deleted'))))`
    const before = this.sql
      .exec<{ n: number }>(`SELECT count(*) AS n FROM comments WHERE ${visibleRoot} AND id ${order === 'oldest' ? '<' : '>'} ?`, row.id)
      .one().n
    return { status, page: Math.floor(before / Math.max(1, perPage)) + 1 }
  }

  /** Replaces a comment's text (its writer within the window, or the admin to fix its LaTeX). */
  async editComment(
    id: number,
    change: {
      body: string
      html: string
      excerpt: string
      renderVersion: string
      bodyHash: string
      /** A writer's edit goes back to moderation (pending) or to spam (blocked words), as the Worker decided. */
      status?: 'pending' | 'spam'
    },
    auth: CommentAuth | null,
  ): Promise<ChangeResult<PublicComment>> {
    const found = await this.authorised(id, auth)
    if (!found.ok) return found
    // Never writes text back into a comment deleted in the meantime.
    const row = this.sql
      .exec<CommentRow>(
        // (An edit held again or judged spam is no longer shown, so no longer pinned either.)
        `UPDATE comments SET body = ?, html = ?, excerpt = ?, render_version = ?, body_hash = ?, edited_ms = ?, status = coalesce(?7, status),
           pinned = CASE WHEN ?7 IS NULL THEN pinned END
         WHERE id = ?8 AND status != 'deleted' RETURNING ${PUBLIC_COLUMNS}`,
        change.body,
        change.html,
        change.excerpt,
        change.renderVersion,
        change.bodyHash,
        Date.now(),
        change.status ?? null,
        id,
      )
      .toArray()[0]
    if (!row) return { ok: false, status: 404, code: 'comment_not_found', message: `There is no comment ${id}.` }
    await this.changed(id)
    return { ok: true, value: toPublic(row) }
  }

  /** Deletes a comment: its content is wiped; a placeholder stays where replies hang under it. */
  async deleteComment(id: number, auth: CommentAuth | null): Promise<ChangeResult<true>> {
    const found = await this.authorised(id, auth)
    if (!found.ok) return found
    this.wipe(id)
    await this.changed(id)
    return { ok: true, value: true }
  }

  private wipe(id: number): void {
    this.sql.exec(
      `UPDATE comments SET status = 'deleted', author = '', email = NULL, url = NULL, body = '', html = '', excerpt = '',
         avatar = '', notify = 0, body_hash = '', pinned = NULL, likes = 0 WHERE id = ?`,
      id,
    )
    this.sql.exec('DELETE FROM comment_likes WHERE comment_id = ?', id)
  }

  /** The blog's author approves a held comment, or takes one out of spam. */
  async approveComment(id: number): Promise<ChangeResult<{ comment: PublicComment; notice: ReplyNotice | null }>> {
    const found = this.find(id, true)
    if (!found.ok) return found
    if (found.value.status === 'approved') return { ok: true, value: { comment: toPublic(found.value), notice: null } }
    const row = this.sql.exec<CommentRow>(`UPDATE comments SET status = 'approved' WHERE id = ? RETURNING ${PUBLIC_COLUMNS}`, id).one()
    await this.changed(id)
    return { ok: true, value: { comment: toPublic(row), notice: this.replyNotice(row) } }
  }

  /** Marks a comment as spam: hidden from readers, kept for the author to review. */
  async spamComment(id: number): Promise<ChangeResult<PublicComment>> {
    const found = this.find(id, true)
    if (!found.ok) return found
    const row = this.sql
      .exec<CommentRow>(`UPDATE comments SET status = 'spam', pinned = NULL WHERE id = ? RETURNING ${PUBLIC_COLUMNS}`, id)
      .one()
    await this.changed(id)
    return { ok: true, value: toPublic(row) }
  }

  /**
   * Pins a comment (置顶: its thread is shown first, on comment page 1) or unpins it; the blog's
   * author only. Only an approved top-level comment can be pinned, and at most MAX_PINNED_COMMENTS per post;
   * pinning a pinned comment again keeps its place. Unpinning any comment that exists succeeds.
   * A change is a new comments version (every kept thread and page is made again) and goes to the
   * site's comment index (the admin's buttons); the sidebar and feeds do not show pins.
   */
  async pinComment(id: number, pin: boolean): Promise<ChangeResult<PublicComment>> {
    const status = this.status()
    if (status === 'deleted') return { ok: false, status: 410, code: 'post_deleted', message: 'This post has been deleted.' }
    const row = status === 'published' || status === 'draft' ? this.row(id) : undefined
    if (!row) return { ok: false, status: 404, code: 'comment_not_found', message: `There is no comment ${id}.` }
    if (!pin) {
      if (row.pinned === null) return { ok: true, value: toPublic(row) }
      const unpinned = this.sql.exec<CommentRow>(`UPDATE comments SET pinned = NULL WHERE id = ? RETURNING ${PUBLIC_COLUMNS}`, id).one()
      await this.changed(id)
      return { ok: true, value: toPublic(unpinned) }
    }
    if (row.status !== 'approved') {
      const what = row.status === 'deleted' ? 'was deleted' : row.status === 'spam' ? 'is marked as spam' : 'is waiting for moderation'
      return {
        ok: false,
        status: 409,
        code: 'comment_not_approved',
        message: `Comment ${id} ${what}: only an approved comment can be pinned.`,
      }
    }
    if (row.parent !== null) {
      return {
        ok: false,
        status: 409,
        code: 'comment_is_reply',
        message: `Comment ${id} is a reply: only a top-level comment can be pinned (its thread goes with it).`,
      }
    }
    if (row.pinned !== null) return { ok: true, value: toPublic(row) }
    const pinnedNow = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM comments WHERE pinned IS NOT NULL').one().n
    if (pinnedNow >= MAX_PINNED_COMMENTS) {
      return {
        ok: false,
        status: 409,
        code: 'too_many_pinned',
        message: `This post already has ${pinnedNow} pinned comments, the most it may have: unpin one first.`,
      }
    }
    const pinned = this.sql
      .exec<CommentRow>(
        `UPDATE comments SET pinned = (SELECT coalesce(max(pinned), 0) + 1 FROM comments) WHERE id = ? RETURNING ${PUBLIC_COLUMNS}`,
        id,
      )
      .one()
    await this.changed(id)
    return { ok: true, value: toPublic(pinned) }
  }

  /**
   * A reader's like (赞) of an approved comment, or, when `liker` already likes it, the like taken
   * back: one toggle, `liked` saying which. `liker` is the Worker's key for the reader (an HMAC of
   * address and user agent). The check and the writes run in one transaction without an await, so
   * concurrent likes are each counted exactly once. A like is a new comments version (the kept
   * thread and pages are composed again from the stored HTML, which a like does not change); it is
   * not a moderation change (the site's comment index does not hold likes). On a renamed post's old
   * object the refusal (410) carries `movedTo`, the post's new id.
   */
  likeComment(id: number, liker: string): ChangeResult<{ liked: boolean; likes: number }> & { movedTo?: string } {
    const found = this.find(id)
    if (!found.ok) {
      // A renamed post's old object points the way: the like follows the post (services/comment-likes.ts).
      if (found.code === 'post_deleted') {
        const refused: typeof found & { movedTo?: string } = { ...found }
        this.addMovedTo(refused)
        return refused
      }
      return found
    }
    if (found.value.status !== 'approved')
      return { ok: false, status: 404, code: 'comment_not_found', message: `There is no comment ${id}.` }
    const value = this.ctx.storage.transactionSync(() => {
      const removed = this.sql.exec('DELETE FROM comment_likes WHERE comment_id = ? AND liker = ? RETURNING liker', id, liker).toArray()
      if (removed.length === 0) {
        this.sql.exec('INSERT INTO comment_likes (comment_id, liker, created_ms) VALUES (?, ?, ?)', id, liker, Date.now())
      }
      const liked = removed.length === 0
      const likes = this.sql
        .exec<{ likes: number }>('UPDATE comments SET likes = max(likes + ?, 0) WHERE id = ? RETURNING likes', liked ? 1 : -1, id)
        .one().likes
      this.bumpCommentsVersion()
      return { liked, likes }
    })
    return { ok: true, value }
  }

  /** Erases everything one commenter left on this post (by e-mail address, or by name). */
  async eraseCommenter(who: { email?: string; name?: string }): Promise<number> {
    if (!this.ready) return 0
    const ids = this.sql
      .exec<{ id: number }>(
        "SELECT id FROM comments WHERE status != 'deleted' AND ((? IS NOT NULL AND lower(email) = ?) OR (? IS NOT NULL AND author = ?))",
        who.email ?? null,
        who.email?.toLowerCase() ?? null,
        who.name ?? null,
        who.name ?? null,
      )
      .toArray()
      .map((r) => r.id)
    for (const id of ids) {
      this.wipe(id)
      await this.changed(id)
    }
    return ids.length
  }

  /** Stops reply notifications for one comment (the link in every notification). */
  unsubscribe(id: number): { movedTo: string | null } {
    if (!this.ready) return { movedTo: null }
    // A renamed post's comments live at its new id (a link mailed before the rename names the old one).
    const movedTo = this.status() === 'deleted' ? this.meta('moved_to') : null
    if (movedTo !== null) return { movedTo }
    this.sql.exec('UPDATE comments SET notify = 0 WHERE id = ? AND notify = 1', id)
    return { movedTo: null }
  }

  /**
   * The writer's own comments still waiting for moderation (shown to them only, marked): only
   * those whose edit token the browser holds (a cookie's name alone proves nothing).
   */
  async ownPending(own: { id: number; token: string }[]): Promise<PublicComment[]> {
    if (!this.ready || own.length === 0) return []
    const shown: PublicComment[] = []
    for (const { id, token } of own.slice(0, 20)) {
      const row = this.row(id)
      if (row && row.status === 'pending' && (await this.issuedHere(row, [token]))) shown.push(toPublic(row))
    }
    return shown
  }

  /**
   * Whether one of `tokens` is the edit token issued for `row`: under the post's id, or under an
   * id it had before it was renamed (a comment's token and cookie keep the id it was written under).
   */
  private async issuedHere(row: CommentRow, tokens: string[]): Promise<boolean> {
    const secret = commentSecret(this.env)
    for (const postId of [this.meta('post_id') ?? '', ...this.formerIds()]) {
      const expected = await editToken(secret, postId, row.id, row.created_ms)
      for (const token of tokens) if (await timingSafeEqual(expected, token)) return true
    }
    return false
  }

  /** The ids this post had before it was renamed, the latest last (meta `former_ids`, kept by importState). */
  private formerIds(): string[] {
    const kept = this.meta('former_ids')
    if (kept === null) return []
    const ids: unknown = JSON.parse(kept)
    return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : []
  }

  /** Comments with a given status, newest first (the moderation queue reads the site's index; this is the truth). */
  commentsWithStatus(status: CommentStatus, limit = 100): ModerationItem[] {
    if (!this.ready) return []
    return this.sql
      .exec<CommentRow>(`SELECT ${PUBLIC_COLUMNS} FROM comments WHERE status = ? ORDER BY id DESC LIMIT ?`, status, limit)
      .toArray()
      .map((r) => ({ ...toPublic(r), email: r.email }))
  }

  /**
   * Imports comments (oldest first), keeping threads: parents are found by their import key. A
   * comment imported before (same key) is skipped, so an import can be repeated safely.
   */
  async importComments(items: ImportComment[], maxDepth: number): Promise<{ imported: number; skipped: number }> {
    const status = this.status()
    if (status !== 'published' && status !== 'draft') return { imported: 0, skipped: items.length }
    let imported = 0
    const sorted = [...items].sort((a, b) => a.createdAt - b.createdAt)
    for (const c of sorted) {
      if (this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM comments WHERE import_key = ?', c.importKey).one().n) continue
      const target =
        c.parentImportKey !== null
          ? this.sql.exec<CommentRow>(`SELECT ${PUBLIC_COLUMNS} FROM comments WHERE import_key = ?`, c.parentImportKey).toArray()[0]
          : undefined
      const { parent, depth } = threadPlace(target, maxDepth)
      const row = this.sql
        .exec<{ id: number }>(
          `INSERT INTO comments (parent, reply_to, depth, author, email, url, body, html, excerpt, status, created_ms, idem_key,
             request_hash, render_version, is_admin, avatar, notify, body_hash, import_key, likes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '', ?, ?, ?, 0, '', ?, ?) RETURNING id`,
          parent,
          target?.id ?? null,
          depth,
          c.author,
          c.email,
          c.url,
          c.body,
          c.html,
          c.excerpt,
          c.status,
          c.createdAt,
          COMMENT_RENDER_VERSION,
          c.admin ? 1 : 0,
          c.avatar,
          c.importKey,
          c.likes ?? 0,
        )
        .one()
      // (Pinned in the source, oldest pin first: as many as a post may have.)
      if (c.pinned && c.status === 'approved' && parent === null)
        this.sql.exec(
          `UPDATE comments SET pinned = (SELECT coalesce(max(pinned), 0) + 1 FROM comments)
           WHERE id = ? AND (SELECT count(*) FROM comments WHERE pinned IS NOT NULL) < ?`,
          row.id,
          MAX_PINNED_COMMENTS,
        )
      await this.changed(row.id)
      imported++
    }
    return { imported, skipped: items.length - imported }
  }

  /**
   * Views from another system's page counters: each counter's figure is kept by its key, and only
   * what it adds to the figure kept before is added to the post's total (a counter imported again
   * with the same figure adds nothing; with a larger one, the difference; with a smaller one,
   * nothing: the site's lists never take a total back). No day gets them: the daily views, the
   * trend line and the statistics' periods stay what readers here did. The total reaches the site
   * by the usual push. `known` is false for a post that does not exist (nothing is stored).
   */
  async importViews(rows: ImportViews[]): Promise<{ known: boolean; views: number; added: number }> {
    const status = this.status()
    if (status !== 'published' && status !== 'draft') return { known: false, views: 0, added: 0 }
    let views = 0
    let added = 0
    this.ctx.storage.transactionSync(() => {
      for (const row of rows) {
        const before =
          this.sql.exec<{ views: number }>('SELECT views FROM imported_views WHERE source = ?', row.source).toArray()[0]?.views ?? 0
        views += Math.max(before, row.views)
        if (row.views <= before) continue
        this.sql.exec(
          'INSERT INTO imported_views (source, views) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET views = excluded.views',
          row.source,
          row.views,
        )
        added += row.views - before
      }
      if (added > 0) this.sql.exec("UPDATE counters SET value = value + ? WHERE name = 'views'", added)
    })
    if (added > 0) await this.scheduleAlarm(Date.now())
    return { known: true, views, added }
  }

  /** Pushes totals and unseen comments to the Site object. Throws to let the runtime retry. */
  // ---- renaming ---------------------------------------------------------------------------------

  /**
   * Every row of this object's tables: a renamed post's object is copied to the new id's
   * (importState). With `retire`, the object is marked deleted at that revision in the same turn
   * as the copy is read, so no view or comment can land here after the copy and be left behind;
   * `retire.movedTo` (the new id) is kept, and the old id's pages redirect there (OpenResult.movedTo).
   */
  async exportState(retire?: { postId: string; revision: number; movedTo?: string }): Promise<RoomState> {
    const tables: RoomState['tables'] = {}
    if (!this.ready) return { tables }
    const names = this.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'",
      )
      .toArray()
    for (const { name } of names) tables[name] = this.readTable(name)
    // (setStatus writes the status before its first await: still this turn.)
    if (retire) await this.setStatus(retire.postId, 'deleted', retire.revision, retire.movedTo)
    return { tables }
  }

  /** Replaces this object's rows with another object's (exportState), now for `postId`; in-memory caches start again. */
  importState(postId: string, state: RoomState): void {
    this.ensureSchema()
    this.ctx.storage.transactionSync(() => {
      for (const [name, table] of Object.entries(state.tables)) this.writeTable(name, table)
      // The copied meta names the id the rows come from: with the ids it had itself, it is a former
      // id of this post, whose edit tokens (10 minutes) stay good here (issuedHere).
      const from = this.meta('post_id')
      const former = [...this.formerIds(), ...(from === null ? [] : [from])].filter(
        (id, i, all) => id !== postId && all.lastIndexOf(id) === i,
      )
      this.setMeta('former_ids', JSON.stringify(former.slice(-MAX_FORMER_IDS)))
      this.setMeta('post_id', postId)
    })
    this.forgetCaches()
  }

  /**
   * Forgets everything this object stores, as if it had never been used (a rename's copy that was
   * not confirmed, Site.moveTo): a post published at this id later starts with no readers and no
   * comments. The next call that writes creates the schema again.
   */
  async discard(): Promise<void> {
    await this.ctx.storage.deleteAll()
    // (Whether deleteAll takes the alarm too depends on the compatibility date: no alarm is left either way.)
    await this.ctx.storage.deleteAlarm()
    this.alarmAt = null
    this.ready = false
    this.forgetCaches()
  }

  private forgetCaches(): void {
    this.statusCache = undefined
    this.commentsVersionCache = undefined
    this.dailyCache = null
    this.backlinksText = null
    this.revisionCache = undefined
    this.navText = undefined
    this.commentsChecked = false
    this.shardedUntil = null
  }

  /** The rows of table `name` (all its columns, or the listed ones), in `order` if given. */
  private readTable(name: string, columns = '*', order?: string): RoomTable {
    const cursor = this.sql.exec(`SELECT ${columns} FROM "${name}"${order ? ` ORDER BY ${order}` : ''}`)
    const rows = [...cursor.raw()]
    return { columns: cursor.columnNames, rows }
  }

  /** Replaces every row of table `name` with `table`'s; the caller holds the transaction. */
  private writeTable(name: string, table: RoomTable): void {
    if (name === 'daily') this.dailyCache = null
    this.statusCache = undefined
    this.commentsVersionCache = undefined
    this.sql.exec(`DELETE FROM "${name}"`)
    const columns = table.columns.map((c) => `"${c}"`).join(', ')
    const marks = table.columns.map(() => '?').join(', ')
    for (const row of table.rows) this.sql.exec(`INSERT INTO "${name}" (${columns}) VALUES (${marks})`, ...row)
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null
    if (!this.ready) return
    const postId = this.meta('post_id')
    if (!postId) return
    const views = this.counter('views')
    const pushedSeq = this.counter('pushed_mod_seq')
    const fresh = this.sql
      .exec<CommentRow & { mod_seq: number }>(
        `SELECT ${PUBLIC_COLUMNS}, mod_seq FROM comments WHERE mod_seq > ? ORDER BY mod_seq LIMIT 50`,
        pushedSeq,
      )
      .toArray()
    if (this.windowMs > 0) forgetReaders(this.sql, Date.now() - this.windowMs)
    if (views === this.counter('pushed_views') && fresh.length === 0) return
    const comments = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM comments WHERE status = 'approved'").one().n
    await this.env.SITE.getByName('site').reportActivity({
      postId,
      views,
      comments,
      // Absolute totals of the two latest days: replays are harmless, yesterday gets its final value.
      daily: this.recentDaily(2),
      newComments: fresh.map((r) => ({
        commentId: r.id,
        author: r.author,
        excerpt: r.excerpt,
        createdAt: r.created_ms,
        status: r.status as CommentStatus,
        email: r.email,
        // For the moderation list's pin buttons (only an approved top-level comment can be pinned).
        topLevel: r.parent === null,
        pinned: r.pinned !== null,
        // The comments feed shows the newest approved comments in full.
        ...(r.status === 'approved' ? { html: r.html } : {}),
      })),
    })
    this.sql.exec("UPDATE counters SET value = ? WHERE name = 'pushed_views'", views)
    if (fresh.length > 0) this.sql.exec("UPDATE counters SET value = ? WHERE name = 'pushed_mod_seq'", fresh[fresh.length - 1]!.mod_seq)
    // More arrived while pushing (or more than one batch): push again.
    const more = this.counter('views') !== views || fresh.length === 50
    if (more) await this.scheduleAlarm(Date.now() + (fresh.length === 50 ? 0 : siteConfig(this.env).countPushSeconds * 1000))
  }

  // ---- backup (GET /api/export, POST /api/import: src/routes/backup.ts) ------------------------

  /** The exact count, views per day and every comment (any status, with e-mail), for a site backup. */
  backupState(): RoomBackup {
    if (!this.ready) return { views: 0, daily: [], comments: [], reactions: {}, importedViews: {} }
    const rows = records<CommentRow & { body_hash: string; import_key: string | null; render_version: string }>(
      this.readTable('comments', `${PUBLIC_COLUMNS}, body_hash, import_key, render_version`, 'id'),
    )
    // A pinned comment's place in the pin order, 1 for the earliest pinned (the stored numbers only order them).
    const pinOrder = new Map(
      rows
        .filter((r) => r.pinned !== null)
        .sort((a, b) => a.pinned! - b.pinned!)
        .map((r, i) => [r.id, i + 1]),
    )
    const comments = rows.map((r): BackupComment => ({
      id: r.id,
      parent: r.parent,
      replyTo: r.reply_to,
      depth: r.depth,
      author: r.author,
      email: r.email,
      url: r.url,
      body: r.body,
      html: r.html,
      excerpt: r.excerpt,
      status: r.status as CommentStatus,
      createdAt: r.created_ms,
      editedAt: r.edited_ms,
      admin: r.is_admin === 1,
      avatar: r.avatar,
      notify: r.notify === 1,
      bodyHash: r.body_hash,
      importKey: r.import_key,
      renderVersion: r.render_version,
      pinned: pinOrder.get(r.id) ?? null,
      likes: r.likes,
    }))
    const daily = records<{ day: string; views: number }>(this.readTable('daily', 'day, views', 'day'))
    const imported = records<{ source: string; views: number }>(this.readTable('imported_views', 'source, views', 'source'))
    return {
      views: this.counter('views'),
      daily,
      comments,
      reactions: this.reactionCounts(),
      importedViews: Object.fromEntries(imported.map((r) => [r.source, r.views])),
    }
  }

  /**
   * Replaces this object's count, daily views and comments (ids kept) with a backup's, for
   * `postId`. The reload window starts empty; every comment is pushed to the Site object again.
   */
  async restoreBackup(postId: string, backup: RoomBackup): Promise<void> {
    this.ensureSchema()
    this.ctx.storage.transactionSync(() => {
      this.writeTable('comments', {
        // The idempotency key is not kept (idem_key NULL, request_hash ''); mod_seq is the id.
        columns: (
          'id, parent, reply_to, depth, author, email, url, body, html, excerpt, status, created_ms, edited_ms, ' +
          'idem_key, request_hash, render_version, is_admin, avatar, notify, body_hash, mod_seq, import_key, pinned, likes'
        ).split(', '),
        rows: backup.comments.map((c) => [
          c.id,
          c.parent,
          c.replyTo,
          c.depth,
          c.author,
          c.email,
          c.url,
          c.body,
          c.html,
          c.excerpt,
          c.status,
          c.createdAt,
          c.editedAt,
          null,
          '',
          c.renderVersion,
          c.admin ? 1 : 0,
          c.avatar,
          c.notify ? 1 : 0,
          c.bodyHash,
          c.id,
          c.importKey,
          // (A backup made before pinning existed has no pins.)
          c.pinned ?? null,
          // (A backup made before likes has none.)
          c.likes ?? 0,
        ]),
      })
      // Who liked what is not in a backup: the counts are restored, and a reader may like a comment once more.
      this.writeTable('comment_likes', { columns: [], rows: [] })
      // So with reactions: the counts (none in a backup made before them), not who chose which.
      this.writeTable('reactions', { columns: [], rows: [] })
      this.writeTable('reaction_counts', {
        columns: ['reaction', 'n'],
        rows: Object.entries(backup.reactions ?? {}).map(([key, n]) => [key, n]),
      })
      this.writeTable('daily', { columns: ['day', 'views'], rows: backup.daily.map((d) => [d.day, d.views]) })
      // The imported counters' figures (already in `views`), so the same file imported after the
      // restore adds nothing (a backup made before them has none).
      this.writeTable('imported_views', {
        columns: ['source', 'views'],
        rows: Object.entries(backup.importedViews ?? {}).map(([source, n]) => [source, n]),
      })
      this.writeTable('readers', { columns: [], rows: [] })
      const maxId = backup.comments.reduce((m, c) => Math.max(m, c.id), 0)
      const set = (name: string, value: number) =>
        this.sql.exec(
          'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
          name,
          value,
        )
      set('views', backup.views)
      set('mod_seq', Math.max(this.counter('mod_seq'), maxId))
      // Everything goes to the Site object again (its comment index, the sidebar, the totals).
      set('pushed_mod_seq', 0)
      set('pushed_views', -1)
      set('comments_version', this.counter('comments_version') + 1)
      this.commentsVersionCache = undefined
      this.setMeta('post_id', postId)
    })
    this.commentsChecked = false
    await this.scheduleAlarm(Date.now())
  }
}
