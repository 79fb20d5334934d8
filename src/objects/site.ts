import { DurableObject } from 'cloudflare:workers'
import { siteConfig, type SiteConfig } from '../config'
import { resolveSlug } from '../lib/slug'
import { own } from '../lib/own'
import { isReservedPageId } from '../lib/aliases'
import { concatBytes } from '../lib/bytes'
import { sha256Hex, sha256HexOf } from '../lib/hash'
import type {
  ArchiveEntry,
  CommentStatus,
  QueueStatus,
  PostNav,
  RecentCommentFull,
  TermIndex,
  TermKind,
  TermSummary,
  Backlink,
  DeletedRecord,
  ListEntry,
  MovedRecord,
  PostFields,
  PostMeta,
  PostOrigin,
  PostRecord,
  PostStatus,
  RecentComment,
  SiteSnapshot,
} from '../model'
import { loadRenderer } from '../render/load'
import type { RenderedPost } from '../render/render-post'
import { RENDER_VERSION } from '../render/versions'
import { CHUNK_SIZE, KV_KEYS } from '../storage/keys'
import { buildPostRecord } from '../storage/records'
import { buildFeedItem } from '../storage/feed-items'
import { readPost, type StoredPost } from '../storage/read-model'
import { postRenderOptions } from '../lib/render-options'
import { MEDIA_REF, type ImageUse } from '../services/images'
import { migrate } from './migrations'
import { SITE_MIGRATIONS } from './site-schema'
import { relatedPosts } from './site-related'
import { aliasConflict, moveAliases, pageAddressConflict, pendingAliasCount, setAliases, writeAliasKeys } from './site-aliases'
import type { BackupRevision, ImportPostOutcome, ImportPostRequest, SitePostBackup } from '../backup/types'

/** A publish as the Worker hands it over: validated fields, HTML rendered by the Worker. */
export interface PublishRequest {
  /** null: assign the next free number. */
  id: string | null
  fields: PostFields
  rendered: RenderedPost
  origin: PostOrigin
  /** sha-256 of the file as sent, for content sync. */
  syncHash: string | null
  /** The request's If-Match: `*` (the post must exist) or the revisions it names; checked atomically with the write. */
  ifMatch?: IfMatch
  /** `If-None-Match: *`: create only; any post under the id (deleted ones too) makes it a 412, atomically. */
  createOnly?: boolean
}

/** An If-Match header, parsed: `*`, or the revisions named by its `"rN"` entity tags (others match nothing). */
export type IfMatch = '*' | number[]

/**
 * `If-Match` against the post's current revision: a 412 when it names none of it (`then` says what
 * follows for the client), null when it matches, is `*`, or is absent.
 */
function staleRevision(id: string, revision: number, ifMatch: IfMatch | undefined, then = ''): PublishRefusal | null {
  if (ifMatch === undefined || ifMatch === '*' || ifMatch.includes(revision)) return null
  return {
    ok: false,
    status: 412,
    code: 'precondition_failed',
    message: `Post "${id}" was changed since you read it: it is now at revision "r${revision}".${then}`,
  }
}

/** One kept version of a post (GET /api/posts/:id/revisions). */
export interface RevisionInfo {
  revision: number
  /** True for the post as it is now (the registry row), false for a kept previous version. */
  current: boolean
  status: PostStatus
  title: string
  date: number
  /** When this version was stored. */
  modifiedAt: number
  origin: PostOrigin
  /** Bytes of markdown. */
  size: number
}

/** A version of a post with everything needed to publish it again. */
export interface RevisionDetail extends RevisionInfo {
  fields: PostFields
}

/** A post's metadata as the API returns it. */
export interface PostSummary extends PostMeta {
  status: PostStatus
  /** A page linked from the header. */
  nav?: boolean
  /** Old addresses answering 301 to the post (README: Redirects). */
  aliases: string[]
  origin: PostOrigin
  createdAt: number
  modifiedAt: number
  revision: number
}

export interface PostDetail extends PostSummary {
  body: string
  /** The slugs the post's front matter declares (category_slug, tag_slugs). */
  declaredSlugs: { category: string | null; tags: Record<string, string> }
  /** The post as the fields a publish takes (GET /api/posts/:id as a markdown file writes these). */
  fields: PostFields
}

export type PublishResult = 'created' | 'updated' | 'restored' | 'unchanged' | 'skipped'

export type RenameOutcome =
  { ok: true; post: PostSummary } | { ok: false; status: 400 | 404 | 409 | 410 | 412 | 503; code: string; message: string }

export type PublishOutcome = { ok: true; result: PublishResult; reason?: string; post: PostSummary } | PublishRefusal

/** A publish refused, with the HTTP status and error code the API answers. */
export interface PublishRefusal {
  ok: false
  status: 404 | 409 | 412
  code: string
  message: string
}

/** The site's view history (GET /api/stats). */
export interface SiteStats {
  latestDay: string | null
  totalViews: number
  site: { day: string; views: number }[]
  /** The most read published posts: all-time readers, visible comments, views per day in the window. */
  posts: { id: string; title: string; views: number; comments: number; daily: { day: string; views: number }[] }[]
}

/** A post as the admin's list shows it: its summary and the totals its object last pushed. */
export type ListedPost = PostSummary & { views: number; commentCount: number }

/** What a post's object pushes: its exact totals and the comments the site has not seen yet. */
export interface ActivityReport {
  postId: string
  views: number
  comments: number
  /** Views per day of the latest days (absolute). */
  daily?: { day: string; views: number }[]
  /** Comments added or changed since the last report (any status; the e-mail for the author's tools only). */
  newComments: (Omit<RecentComment, 'postTitle' | 'postId'> & {
    status?: CommentStatus
    email?: string | null
    html?: string
    /** A top-level comment (not a reply): only such a comment can be pinned. */
    topLevel?: boolean
    /** Pinned by the blog's author (置顶). */
    pinned?: boolean
  })[]
}

/** Where a page of the moderation queue ends: the last comment's time, post and number. */
export interface QueuePlace {
  createdAt: number
  postId: string
  commentId: number
}

/** Which comments the moderation queue lists: one post's, and/or those holding a text. */
export interface QueueFilter {
  postId?: string
  q?: string
}

/** One entry of the moderation queue (GET /api/comments). */
export interface QueueItem {
  postId: string
  postTitle: string
  /** The post's status now (a comment's post may have gone back to a draft since); null: no post in the registry. */
  postStatus: PostStatus | null
  commentId: number
  status: CommentStatus
  author: string
  email: string | null
  excerpt: string
  createdAt: number
  /** A top-level comment (only such a one can be pinned); null: not known (not reported since pins came). */
  topLevel: boolean | null
  /** Pinned on its post (置顶). */
  pinned: boolean
}

/** Rows a write statement changed (the count is final once the cursor is consumed). */
function written(cursor: SqlStorageCursor<Record<string, SqlStorageValue>>): number {
  cursor.toArray()
  return cursor.rowsWritten
}

interface PostRow extends Record<string, SqlStorageValue> {
  id: string
  status: string
  title: string
  author: string
  date_ms: number
  updated_ms: number | null
  category: string | null
  tags: string
  summary: string | null
  draft: number
  body: string
  excerpt_html: string
  origin: string
  sync_hash: string | null
  created_ms: number
  modified_ms: number
  revision: number
  kv_pending: number
  room_pending: number
  render_version: string
  /** The post's yes/no front matter settings as bits (POST_FLAGS). */
  flags: number
  series: string | null
  /** Slugs the post's front matter declares: the category's, and {tag name: slug}. */
  category_slug: string | null
  tag_slugs: string
  search_pending: number
  /** 'post', or 'page' for a standalone page (in no list: LISTED). */
  kind: string
  /** A page linked from the header (front matter `nav: true`). */
  in_nav: number
  /** The post's aliases as JSON (normalised paths; the `aliases` table says who owns each). */
  aliases: string
}

/** The columns a post's summary is made from (toSummary): every one but the markdown and the sync bookkeeping. */
const SUMMARY_KEYS = [
  'id',
  'status',
  'title',
  'author',
  'date_ms',
  'updated_ms',
  'category',
  'tags',
  'summary',
  'draft',
  'flags',
  'series',
  'category_slug',
  'tag_slugs',
  'kind',
  'in_nav',
  'aliases',
  'origin',
  'created_ms',
  'modified_ms',
  'revision',
] as const satisfies readonly (keyof PostRow)[]

type SummaryRow = Pick<PostRow, (typeof SUMMARY_KEYS)[number]>

/**
 * SummaryRow's columns and the list entry's excerpt: what lists read instead of `*`, which would copy
 * every post's markdown (tens of KB each) out of SQLite with them.
 */
const SUMMARY_COLUMNS = [...SUMMARY_KEYS, 'excerpt_html'].join(', ')

/** A LIKE pattern (with `ESCAPE '\\'`) for values holding `text` as typed: its `%`, `_` and `\\` are escaped. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`

/** The SQL condition of a post that lists show: published, and not a standalone page. */
export const LISTED = "status = 'published' AND kind = 'post'"

const RECENT_COMMENTS = 10
/** The 热门文章 list (/popular shows all of them, the sidebar the first ten). */
const POPULAR_POSTS = 50
const RECENT_KEEP = 50
/** Old chunk keys stay readable this long for readers holding an older snapshot. */
const GARBAGE_DELAY_MS = 10 * 60_000
/** Posts with a write still to do: exactly the partial index posts_pending's condition (migration 011), so SQLite uses it. */
export const PENDING_POSTS = 'kv_pending = 1 OR room_pending = 1 OR search_pending = 1'
/** Posts by an older renderer (staleCount), as two ranges taking RENDER_VERSION twice: SQLite then searches posts_render_version; `!=` would read every row. */
export const STALE_POSTS = "(render_version < ? OR render_version > ?) AND status != 'deleted' AND body != ''"
/** Retry delay after a failed KV or Durable Object write (KV allows one write per key per second). */
const RETRY_MS = 2_000
/** Posts re-rendered per alarm run: a heavy post takes tens of milliseconds of CPU. */
const RERENDER_BATCH = 5
/** Bump when list entries change shape: every chunk is written again once (signatures carry it). */
const CHUNK_FORMAT = 'v2'
/** Navs sent to post objects per flush, and posts synced per flush (an invocation may make 1,000 KV operations). */
const NAV_BATCH = 100
const SYNC_BATCH = 100
/**
 * List entries kept as JSON, in bytes (Site.chunkJson): the newest chunk of every list of the bench's
 * site is 39 lists of 16 entries, 12 KB an entry at the median, 7.5 MB.
 */
const ENTRY_JSON_BYTES = 16 * 1024 * 1024
/** `[`, `,` and `]` in UTF-8: what a chunk's JSON puts around and between its entries (Site.chunkJson). */
const JSON_OPEN = Uint8Array.of(0x5b)
const JSON_COMMA = Uint8Array.of(0x2c)
const JSON_CLOSE = Uint8Array.of(0x5d)
/** A post's list entry as UTF-8 JSON, made at its `revision`, and the SHA-256 of those bytes (Site.chunkJson). */
interface KeptEntry {
  revision: number
  json: Uint8Array<ArrayBuffer>
  hash: string
}
/** Tags in the snapshot's tag cloud (/tags lists them all). */
const SNAPSHOT_TAGS = 40
/** Comments in the comments feed's KV value. */
const FEED_COMMENTS = 30
/**
 * The least time between two writes of the snapshot (and of the recent comments' key, written with
 * it): KV takes one write per key per second and refuses more with 429. Also how soon a comment that
 * left the recent comments is written. (Capped by SNAPSHOT_SECONDS: 0 in the tests.)
 */
const SNAPSHOT_SOON_MS = 1_100
/** Previous versions kept per post (older ones are dropped as new ones arrive). */
export const REVISIONS_KEPT = 50

/** The bits of a post's `flags` column (migration 014): its yes/no front matter settings. */
const POST_FLAGS = { commentsClosed: 1, reactionsOff: 2 } as const

/** A post's `flags` column from its fields (or a KV record's). */
function postFlags(f: { commentsClosed?: boolean; reactionsOff?: boolean }): number {
  return (f.commentsClosed ? POST_FLAGS.commentsClosed : 0) | (f.reactionsOff ? POST_FLAGS.reactionsOff : 0)
}

/** A registry row as the fields a publish takes (what a revision keeps, and restores). */
function postFields(row: PostRow): PostFields {
  const declared = JSON.parse(row.tag_slugs) as Record<string, string>
  return {
    title: row.title,
    author: row.author,
    date: row.date_ms,
    ...(row.updated_ms !== null ? { updated: row.updated_ms } : {}),
    ...(row.category !== null ? { category: row.category } : {}),
    tags: JSON.parse(row.tags) as string[],
    ...(row.summary !== null ? { summary: row.summary } : {}),
    draft: row.draft === 1,
    ...(row.flags & POST_FLAGS.commentsClosed ? { commentsClosed: true } : {}),
    ...(row.flags & POST_FLAGS.reactionsOff ? { reactionsOff: true } : {}),
    ...(row.series !== null ? { series: row.series } : {}),
    ...(row.category_slug !== null ? { categorySlug: row.category_slug } : {}),
    ...(Object.keys(declared).length > 0 ? { tagSlugs: declared } : {}),
    ...(row.kind === 'page' ? { type: 'page' as const, ...(row.in_nav ? { nav: true } : {}) } : {}),
    ...(row.aliases !== '[]' ? { aliases: JSON.parse(row.aliases) as string[] } : {}),
    body: row.body,
  }
}

/**
 * The registry columns that come straight from a post's fields (postFields reads them back); the
 * date, aliases and bookkeeping columns are each caller's.
 */
function fieldColumns(f: PostFields, defaultAuthor: string) {
  return {
    title: f.title,
    author: f.author ?? defaultAuthor,
    updated_ms: f.updated ?? null,
    category: f.category ?? null,
    tags: JSON.stringify(f.tags),
    summary: f.summary ?? null,
    draft: f.draft ? 1 : 0,
    body: f.body,
    flags: postFlags(f),
    series: f.series ?? null,
    category_slug: f.categorySlug ?? null,
    tag_slugs: JSON.stringify(f.tagSlugs ?? {}),
    kind: f.type === 'page' ? 'page' : 'post',
    in_nav: f.type === 'page' && f.nav ? 1 : 0,
  }
}

/** PostFields without the keys that mean "not set" (undefined, false flags, empty lists and maps), keys sorted. */
function canonicalFields(f: PostFields): string {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(f).sort()) {
    const value = (f as unknown as Record<string, unknown>)[key]
    if (value === undefined || value === null) continue
    if ((key === 'commentsClosed' || key === 'reactionsOff' || key === 'nav') && value === false) continue
    if (key === 'aliases' && Array.isArray(value) && value.length === 0) continue
    if (key === 'tagSlugs' && Object.keys(value as object).length === 0) continue
    out[key] = key === 'tagSlugs' ? Object.fromEntries(Object.entries(value as object).sort(([a], [b]) => (a < b ? -1 : 1))) : value
  }
  return JSON.stringify(out)
}

/** Whether a post as sent is the post as stored (every field, body included). */
function sameFields(stored: PostFields, sent: PostFields): boolean {
  return canonicalFields(stored) === canonicalFields(sent)
}

type SlugMaps = SiteConfig['slugs']

function toSummary(row: SummaryRow, slugs: SlugMaps): PostSummary {
  const tags = JSON.parse(row.tags) as string[]
  const declared = JSON.parse(row.tag_slugs) as Record<string, string>
  return {
    id: row.id,
    status: row.status as PostStatus,
    title: row.title,
    author: row.author,
    date: row.date_ms,
    updated: row.updated_ms,
    category: row.category,
    tags,
    summary: row.summary,
    draft: row.draft === 1,
    commentsClosed: (row.flags & POST_FLAGS.commentsClosed) !== 0,
    reactionsOff: (row.flags & POST_FLAGS.reactionsOff) !== 0,
    series: row.series,
    categorySlug: row.category === null ? null : resolveSlug(row.category, slugs.category, row.category_slug),
    tagSlugs: tags.map((t) => resolveSlug(t, slugs.tag, own(declared, t))),
    ...(row.kind === 'page' ? { type: 'page' as const, nav: row.in_nav === 1 } : {}),
    aliases: JSON.parse(row.aliases) as string[],
    origin: row.origin as PostOrigin,
    createdAt: row.created_ms,
    modifiedAt: row.modified_ms,
    revision: row.revision,
  }
}

function isNumericId(id: string): boolean {
  return /^[0-9]{1,15}$/.test(id)
}

/**
 * The single writer of the site: the post registry (ids, status, metadata, markdown), the list
 * index and the site snapshot in KV. Every publish and delete goes through here, so two publishes
 * at the same moment both land. KV writes follow the registry (an outbox: `kv_pending` and
 * `room_pending` flags, retried by alarm), so a failed KV write is repeated, never lost.
 */
export class Site extends DurableObject<Cloudflare.Env> {
  private readonly sql: SqlStorage
  /** Records rendered by the Worker, kept until written to KV (saves a re-render). */
  private readonly freshRecords = new Map<string, { revision: number; record: PostRecord }>()
  /**
   * Posts' list entries as UTF-8 JSON, by id, each at the revision it was made from (a post's entry
   * changes only with its revision; the site's settings, which name its slugs, are fixed for an
   * instance), with the SHA-256 of those bytes; the ones used last, up to ENTRY_JSON_BYTES (see chunkJson).
   */
  private readonly entryJson = new Map<string, KeptEntry>()
  private entryJsonBytes = 0
  /** KV side effects (flushes, and renames: Site.rename) run one at a time, in order (queued). */
  private queue: Promise<void> = Promise.resolve()

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    void ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, SITE_MIGRATIONS)
      // A new renderer was deployed: re-render the posts stored by older ones, in the background;
      // a migration left lists to rebuild or posts to index: that too.
      if (this.staleCount() > 0 || this.hasPendingWork()) await this.scheduleAlarm(Date.now())
      await this.scheduleNextPublication()
    })
  }

  // ---- flags and counters -------------------------------------------------------------------

  private flag(name: string): number {
    return this.sql.exec<{ value: number }>('SELECT value FROM flags WHERE name = ?', name).toArray()[0]?.value ?? 0
  }

  private setFlag(name: string, value: number): void {
    this.sql.exec('INSERT INTO flags (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value', name, value)
  }

  private summary(row: SummaryRow): PostSummary {
    return toSummary(row, siteConfig(this.env).slugs)
  }

  private row(id: string): PostRow | undefined {
    return this.sql.exec<PostRow>('SELECT * FROM posts WHERE id = ?', id).toArray()[0]
  }

  private nextNumericId(): string {
    let n = this.flag('next_id') || 1
    while (this.row(String(n)) || this.movedTo(String(n)) !== null) n++
    this.setFlag('next_id', n + 1)
    return String(n)
  }

  // ---- publishing ---------------------------------------------------------------------------

  /**
   * Creates or replaces a post. With origin `sync` (content/ on `npm start`), an unchanged file
   * is a no-op and a post edited through the API since its last sync is left alone.
   */
  async publish(req: PublishRequest): Promise<PublishOutcome> {
    const decided = this.register(req)
    if (decided.ok && (decided.result === 'unchanged' || decided.result === 'skipped')) return decided
    if (decided.ok) {
      if (decided.post.status === 'scheduled') await this.scheduleNextPublication()
      await this.flushNow()
    }
    return decided
  }

  /**
   * What a publish of this request would be refused for by what is stored: a renamed id,
   * If-None-Match, If-Match, or an address another post or page holds (null: nothing). Stores
   * nothing: the check of a dry run (`?dry_run=1`), the same checks as register's.
   */
  checkPublish(
    req: Pick<PublishRequest, 'id' | 'ifMatch' | 'createOnly'> & { aliases: readonly string[]; page?: boolean },
  ): PublishRefusal | null {
    if (req.id === null) return this.aliasRefusal(null, req.aliases, false)
    return this.storedRefusal(req.id, this.row(req.id), req) ?? this.aliasRefusal(req.id, req.aliases, req.page === true)
  }

  /** A publish under `id` refused for its renamed id, If-None-Match or If-Match (null: none of these). */
  private storedRefusal(
    id: string,
    existing: ReturnType<Site['row']>,
    req: Pick<PublishRequest, 'ifMatch' | 'createOnly'>,
  ): PublishRefusal | null {
    const movedTo = existing ? null : this.movedTo(id)
    if (movedTo !== null)
      return {
        ok: false,
        status: 409,
        code: 'id_moved',
        message: `Post "${id}" was renamed to "${movedTo}" and its old address redirects there; publish under "${movedTo}" or another id.`,
      }

    if (req.createOnly && existing)
      return {
        ok: false,
        status: 412,
        code: 'precondition_failed',
        message:
          existing.status === 'deleted'
            ? `If-None-Match: post "${id}" exists (deleted; its comments and count are kept). Publish without If-None-Match to restore it, or choose another id.`
            : `If-None-Match: post "${id}" already exists; choose another id.`,
      }
    if (req.ifMatch !== undefined) {
      // Checked here, in the synchronous step, so no other write can land between the check and this one.
      const current = existing && existing.status !== 'deleted' ? existing.revision : null
      if (current === null)
        return { ok: false, status: 412, code: 'precondition_failed', message: `If-Match: there is no post "${id}" to replace.` }
      return staleRevision(id, current, req.ifMatch, ' Read it again and merge your edit.')
    }
    return null
  }

  /**
   * A publish of post `id` (null: a number not yet assigned) refused because an address it would
   * take is another's: one of its aliases is another post's alias or a page's short address, or,
   * for a page, its short address `/<id>` is another post's alias (null: none of these).
   */
  private aliasRefusal(id: string | null, aliases: readonly string[], page: boolean): PublishRefusal | null {
    const taken = aliasConflict(this.sql, id ?? '', aliases)
    if (taken)
      return {
        ok: false,
        status: 409,
        code: 'alias_taken',
        message: `The alias "${taken.path}" already redirects to post "${taken.owner}"; remove it there first.`,
      }
    const shadowed = pageAddressConflict(this.sql, id ?? '', aliases)
    if (shadowed)
      return {
        ok: false,
        status: 409,
        code: 'alias_taken',
        message: `The alias "${shadowed.path}" is the short address of page "${shadowed.page}", which answers it first; choose another alias.`,
      }
    return page && id !== null ? this.pageAddressRefusal(id, id) : null
  }

  /** Page `from` taking the id `to` refused because its short address `/<to>` is another post's alias (null: it is not). */
  private pageAddressRefusal(from: string, to: string): PublishRefusal | null {
    const held = aliasConflict(this.sql, from, [`/${to}`])
    return held
      ? {
          ok: false,
          status: 409,
          code: 'alias_taken',
          message: `A page's short address /${to} is an alias of post "${held.owner}" (it redirects there); remove the alias there first, or choose another id.`,
        }
      : null
  }

  /** The synchronous part of a publish: no await, so it is atomic against every other request. */
  private register(req: PublishRequest): PublishOutcome {
    const config = siteConfig(this.env)
    const now = Date.now()
    const id = req.id ?? this.nextNumericId()
    const existing = this.row(id)
    const refused = this.storedRefusal(id, existing, req)
    if (refused) return refused

    if (req.origin === 'sync' && existing) {
      if (existing.origin !== 'sync') {
        const reason =
          existing.status === 'deleted'
            ? 'deleted through the API since its last sync'
            : existing.origin === 'kv'
              ? 'replaced by a hand-written KV record since its last sync'
              : 'edited through the API since its last sync'
        return { ok: true, result: 'skipped', reason, post: this.summary(existing) }
      }
      if (existing.sync_hash === req.syncHash) return { ok: true, result: 'unchanged', post: this.summary(existing) }
    }

    const f = req.fields
    const aliasTaken = this.aliasRefusal(id, f.aliases ?? [], f.type === 'page')
    if (aliasTaken) return aliasTaken
    const date = f.date ?? existing?.date_ms ?? now
    // A future date waits for the alarm (scheduleNextPublication) unless the post is a draft.
    const status: PostStatus = f.draft ? 'draft' : date > now ? 'scheduled' : 'published'
    // The same post sent again (a PUT of an unchanged file, a save without an edit), rendered alike:
    // no new revision. (After a MATH_MACROS change, `npm run rerender` re-renders: README, Publishing.)
    if (
      existing &&
      existing.status === status &&
      existing.render_version === req.rendered.renderVersion &&
      existing.excerpt_html === req.rendered.excerptHtml &&
      sameFields(postFields(existing), { ...f, author: f.author ?? config.author, date })
    )
      return { ok: true, result: 'unchanged', post: this.summary(existing) }
    const revision = (existing?.revision ?? 0) + 1
    const result: PublishResult = !existing ? 'created' : existing.status === 'deleted' ? 'restored' : 'updated'
    const row: PostRow = {
      id,
      status,
      ...fieldColumns(f, config.author),
      date_ms: date,
      excerpt_html: req.rendered.excerptHtml,
      origin: req.origin,
      sync_hash: req.origin === 'sync' ? req.syncHash : null,
      created_ms: existing?.created_ms ?? now,
      modified_ms: now,
      revision,
      kv_pending: 1,
      room_pending: 1,
      render_version: req.rendered.renderVersion,
      search_pending: 1,
      aliases: JSON.stringify(f.aliases ?? []),
    }
    // A post adopted from KV has no markdown to keep.
    if (existing && existing.body !== '') this.keepRevision(existing)
    this.insertRow(row)
    setAliases(this.sql, id, f.aliases ?? [])
    this.setLinks(id, req.rendered.links)
    if (isNumericId(id) && Number(id) >= (this.flag('next_id') || 1)) this.setFlag('next_id', Number(id) + 1)
    this.setFlag('list_dirty', 1)
    this.setFlag('snapshot_dirty', 1)
    this.freshRecords.set(id, { revision, record: this.recordOf(row, req.rendered) })
    return { ok: true, result, post: this.summary(row) }
  }

  /** Keeps the version a publish is about to replace; only the newest REVISIONS_KEPT per post stay. */
  private keepRevision(row: PostRow): void {
    const { body: _body, ...fields } = postFields(row)
    this.sql.exec(
      `INSERT INTO revisions (post_id, revision, status, title, date_ms, modified_ms, origin, fields, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(post_id, revision) DO NOTHING`,
      row.id,
      row.revision,
      row.status,
      row.title,
      row.date_ms,
      row.modified_ms,
      row.origin,
      JSON.stringify(fields),
      row.body,
    )
    this.sql.exec(
      `DELETE FROM revisions WHERE post_id = ? AND revision <= (
         SELECT revision FROM revisions WHERE post_id = ? ORDER BY revision DESC LIMIT 1 OFFSET ?)`,
      row.id,
      row.id,
      REVISIONS_KEPT,
    )
  }

  /** The post as it is now and its kept previous versions, newest first; null if the id was never used. */
  listRevisions(id: string): RevisionInfo[] | null {
    const row = this.row(id)
    if (!row) return null
    const kept = this.sql
      .exec<{ revision: number; status: string; title: string; date_ms: number; modified_ms: number; origin: string; size: number }>(
        `SELECT revision, status, title, date_ms, modified_ms, origin, length(CAST(body AS BLOB)) AS size
         FROM revisions WHERE post_id = ? ORDER BY revision DESC`,
        id,
      )
      .toArray()
      .map((r): RevisionInfo => ({
        revision: r.revision,
        current: false,
        status: r.status as PostStatus,
        title: r.title,
        date: r.date_ms,
        modifiedAt: r.modified_ms,
        origin: r.origin as PostOrigin,
        size: r.size,
      }))
    const size = this.sql.exec<{ n: number }>('SELECT length(CAST(body AS BLOB)) AS n FROM posts WHERE id = ?', id).one().n
    const current: RevisionInfo = {
      revision: row.revision,
      current: true,
      status: row.status as PostStatus,
      title: row.title,
      date: row.date_ms,
      modifiedAt: row.modified_ms,
      origin: row.origin as PostOrigin,
      size,
    }
    return [current, ...kept]
  }

  /** One version of a post (the current one included); null if there is no such revision. */
  getRevision(id: string, revision: number): RevisionDetail | null {
    const row = this.row(id)
    if (!row) return null
    if (row.revision === revision) {
      const info = this.listRevisions(id)![0]!
      const fields = postFields(row)
      return { ...info, fields }
    }
    const r = this.sql
      .exec<{ status: string; title: string; date_ms: number; modified_ms: number; origin: string; fields: string; body: string }>(
        'SELECT status, title, date_ms, modified_ms, origin, fields, body FROM revisions WHERE post_id = ? AND revision = ?',
        id,
        revision,
      )
      .toArray()[0]
    if (!r) return null
    return {
      revision,
      current: false,
      status: r.status as PostStatus,
      title: r.title,
      date: r.date_ms,
      modifiedAt: r.modified_ms,
      origin: r.origin as PostOrigin,
      size: new TextEncoder().encode(r.body).length,
      fields: { ...(JSON.parse(r.fields) as Omit<PostFields, 'body'>), body: r.body },
    }
  }

  /**
   * Posts in a status ('all': every one not deleted), newest first, `limit` from `offset`, with
   * how many there are in all (GET /api/posts).
   */
  /**
   * A page of posts in a status (and whose title or id holds `q`), newest first, each with its readers
   * and visible comments as its object last pushed them (at most COUNT_PUSH_SECONDS behind; 0 before
   * its first push).
   */
  listPosts(status: PostStatus | 'all', offset: number, limit: number, q?: string): { total: number; posts: ListedPost[] } {
    let where = status === 'all' ? "status != 'deleted'" : 'status = ?'
    const args: SqlStorageValue[] = status === 'all' ? [] : [status]
    if (q !== undefined) {
      // Title or id holding the text (case aside for ASCII letters; LIKE's own characters found as typed).
      const pattern = likePattern(q)
      where += " AND (title LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\')"
      args.push(pattern, pattern)
    }
    const total = this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM posts WHERE ${where}`, ...args).one().n
    const posts = this.sql
      .exec<SummaryRow & { stat_views: number | null; stat_comments: number | null }>(
        `SELECT ${SUMMARY_COLUMNS},
           (SELECT views FROM stats WHERE post_id = posts.id) AS stat_views,
           (SELECT comments FROM stats WHERE post_id = posts.id) AS stat_comments
         FROM posts WHERE ${where} ORDER BY date_ms DESC, id DESC LIMIT ? OFFSET ?`,
        ...args,
        limit,
        offset,
      )
      .toArray()
      .map((r) => ({ ...this.summary(r), views: r.stat_views ?? 0, commentCount: r.stat_comments ?? 0 }))
    return { total, posts }
  }

  /**
   * Where the comment import's page addresses lead (POST /api/import/comments): the post that holds
   * each normalised path as an alias (a Hexo abbrlink's `/posts/4a17b156`, WordPress's `/?p=123`),
   * and the current id of each id that a rename left behind.
   */
  importTargets(paths: string[], ids: string[]): { aliases: Record<string, string>; moved: Record<string, string> } {
    const aliases: Record<string, string> = {}
    for (const path of new Set(paths)) {
      const owner = this.sql.exec<{ post_id: string }>('SELECT post_id FROM aliases WHERE path = ?', path).toArray()[0]?.post_id
      if (owner !== undefined) aliases[path] = owner
    }
    const moved: Record<string, string> = {}
    for (const id of new Set(ids)) {
      const to = this.movedTo(id)
      if (to !== null) moved[id] = to
    }
    return { aliases, moved }
  }

  /**
   * Which posts use each of these uploaded images (`<hash16>.<ext>` keys, as GET /api/images lists
   * them): every post, page, draft and scheduled post (not a deleted one) whose markdown names
   * `/media/<key>`, by its id, title and status, in the posts' id order. One pass over the posts
   * whose text names `/media/` at all (SQLite's instr: the other texts never leave the database),
   * for the web admin's 图片 page: a read of the whole table, fine for the author's page, not for a
   * reader's.
   */
  imageUses(keys: string[]): Record<string, ImageUse[]> {
    const wanted = new Set(keys)
    const uses: Record<string, ImageUse[]> = {}
    for (const key of wanted) uses[key] = []
    if (wanted.size === 0) return uses
    const rows = this.sql.exec<{ id: string; title: string; status: string; body: string }>(
      "SELECT id, title, status, body FROM posts WHERE status != 'deleted' AND instr(body, '/media/') > 0 ORDER BY id",
    )
    for (const row of rows) {
      const named = new Set<string>()
      for (const m of row.body.matchAll(MEDIA_REF)) if (wanted.has(m[1]!)) named.add(m[1]!)
      for (const key of named) uses[key]!.push({ id: row.id, title: row.title, status: row.status as PostStatus })
    }
    return uses
  }

  // ---- renaming -------------------------------------------------------------------------------

  /** The id a post was renamed to from `id`, or null. */
  private movedTo(id: string): string | null {
    return this.sql.exec<{ to_id: string }>('SELECT to_id FROM moves WHERE from_id = ?', id).toArray()[0]?.to_id ?? null
  }

  /**
   * Gives a post a new id. Its object's rows (reader count, comments, daily views, subscriptions)
   * are copied to the new id's object; the registry row, its revisions, links, stats and comment
   * index move; the old id's KV key becomes a redirect (post pages answer 301) and its object is
   * marked deleted (it keeps its rows as a backup but counts nothing). The old id is not reused.
   *
   * A rename takes its turn in the queue of KV side effects, so no flush is half-way through its
   * rows while the posts move (it would write the old id's record over the redirect), and other
   * requests wait while it runs (blockConcurrencyWhile: a rename is rare). The lists are written
   * after the gate opens: inside it, a flush queued behind another request's I/O would wait for an
   * answer the gate holds back, until the runtime resets the object (30 s).
   */
  async rename(from: string, to: string, ifMatch?: IfMatch): Promise<RenameOutcome> {
    const outcome = await this.queued(() => this.ctx.blockConcurrencyWhile(() => this.moveTo(from, to, ifMatch)))
    // (The post as the rename left it: while the flush runs, another request may change it again.)
    if (outcome.ok) await this.flushNow()
    return outcome
  }

  /** The rename itself (rename: in the queue, behind the gate). */
  private async moveTo(from: string, to: string, ifMatch?: IfMatch): Promise<RenameOutcome> {
    const row = this.row(from)
    if (!row) return { ok: false, status: 404, code: 'not_found', message: `There is no post "${from}".` }
    if (row.status === 'deleted') return { ok: false, status: 410, code: 'post_deleted', message: `Post "${from}" has been deleted.` }
    const stale = staleRevision(from, row.revision, ifMatch)
    if (stale) return stale
    if (this.row(to)) return { ok: false, status: 409, code: 'id_taken', message: `There is already a post "${to}".` }
    // Another post's former id keeps redirecting there (as a publish under it is refused); the post
    // itself may take back an id it had.
    const formerOf = this.movedTo(to)
    if (formerOf !== null && formerOf !== from)
      return {
        ok: false,
        status: 409,
        code: 'id_moved',
        message: `"${to}" is a former id of post "${formerOf}" and its old address redirects there; choose another id.`,
      }
    if (row.kind === 'page' && isReservedPageId(to))
      return {
        ok: false,
        status: 400,
        code: 'invalid_request',
        message: `"${to}" cannot be a page's id: its address /${to} belongs to the site (choose another id).`,
      }
    const addressTaken = row.kind === 'page' ? this.pageAddressRefusal(from, to) : null
    if (addressTaken) return addressTaken

    // The object's rows first. The old object is retired as its rows are read (nothing lands there
    // after the copy); if the copy cannot be stored, it gets its status back and nothing has changed.
    const revision = row.revision + 1
    const fromRoom = this.env.POST_ROOM.getByName(from)
    const unavailable: RenameOutcome = {
      ok: false,
      status: 503,
      code: 'unavailable',
      message: `Post "${from}" could not be moved just now; nothing was changed. Try again.`,
    }
    let stored: StoredPost
    try {
      stored = await readPost(this.env.POSTS, from)
    } catch (err) {
      console.error(JSON.stringify({ event: 'post.rename_failed', from, to, error: String(err) }))
      return unavailable
    }
    const toRoom = this.env.POST_ROOM.getByName(to)
    let copied = false
    try {
      const state = await fromRoom.exportState({ postId: from, revision, movedTo: to })
      copied = true
      await toRoom.importState(to, state)
    } catch (err) {
      // (Answered, not thrown: an error out of blockConcurrencyWhile resets this object.) Should the
      // old object not answer either, the next flush tells it its status again.
      console.error(JSON.stringify({ event: 'post.rename_failed', from, to, error: String(err) }))
      if (copied) {
        // The copy may have been stored with only its answer lost: the new id's object forgets it
        // (the id is no post's: checked above), so a post published there later starts empty.
        await toRoom.discard().catch((e: unknown) => {
          console.error(JSON.stringify({ event: 'post.rename_cleanup_failed', to, error: String(e) }))
        })
      }
      this.sql.exec('UPDATE posts SET room_pending = 1 WHERE id = ?', from)
      try {
        await fromRoom.setStatus(from, row.status as PostStatus, row.revision)
        this.sql.exec('UPDATE posts SET room_pending = 0 WHERE id = ? AND revision = ? AND status = ?', from, row.revision, row.status)
      } catch {
        await this.scheduleAlarm(Date.now() + RETRY_MS)
      }
      return unavailable
    }

    const now = Date.now()
    const redirectsPending = this.flag('moves_pending')
    const moved: PostRow = {
      ...row,
      id: to,
      revision,
      modified_ms: now,
      origin: 'api',
      sync_hash: null,
      kv_pending: 1,
      room_pending: 1,
      search_pending: 1,
    }
    this.ctx.storage.transactionSync(() => {
      this.markBacklinks(from)
      this.insertRow(moved)
      this.sql.exec('DELETE FROM posts WHERE id = ?', from)
      this.sql.exec('DELETE FROM revisions WHERE post_id = ?', to)
      this.sql.exec('UPDATE revisions SET post_id = ? WHERE post_id = ?', to, from)
      this.sql.exec('UPDATE OR REPLACE links SET from_id = ? WHERE from_id = ?', to, from)
      this.sql.exec('UPDATE OR REPLACE links SET to_id = ? WHERE to_id = ?', to, from)
      this.sql.exec('DELETE FROM backlinks_pending WHERE to_id = ?', from)
      this.sql.exec('INSERT OR IGNORE INTO backlinks_pending (to_id) VALUES (?)', to)
      this.markBacklinks(to)
      for (const table of ['stats', 'daily_views', 'comment_index', 'recent_comments']) {
        this.sql.exec(`DELETE FROM ${table} WHERE post_id = ?`, to)
        this.sql.exec(`UPDATE ${table} SET post_id = ? WHERE post_id = ?`, to, from)
      }
      this.sql.exec('DELETE FROM nav WHERE post_id = ?', from)
      moveAliases(this.sql, from, to)
      this.sql.exec('DELETE FROM moves WHERE from_id = ?', to)
      this.sql.exec('UPDATE moves SET to_id = ? WHERE to_id = ?', to, from)
      this.sql.exec(
        'INSERT INTO moves (from_id, to_id, moved_ms) VALUES (?, ?, ?) ON CONFLICT(from_id) DO UPDATE SET to_id = excluded.to_id',
        from,
        to,
        now,
      )
      this.setFlag('list_dirty', 1)
      this.setFlag('snapshot_dirty', 1)
      // Until the old key's redirect is written (below, or by a flush: writeRedirects).
      this.setFlag('moves_pending', 1)
    })
    // The old id's record for the new one (not rendered again): the one not yet written if there is
    // one, else KV's, if it is of the current revision; otherwise the flush renders the post.
    const fresh = this.freshRecords.get(from)
    const current =
      fresh?.revision === row.revision
        ? fresh.record
        : stored.kind === 'post' && stored.record.revision === row.revision
          ? stored.record
          : null
    this.freshRecords.delete(from)
    if (current) {
      const summary = this.summary(moved)
      this.freshRecords.set(to, { revision, record: { ...current, id: to, revision, modifiedAt: summary.modifiedAt } })
    }
    // The old object counts nothing (retired above, at a new revision: isolates drop the record they
    // hold); the old key answers with a redirect; the search index forgets the old id. The rename
    // stands if these fail: the flush after it (or the alarm's) writes them again.
    try {
      await this.writeRedirect(from, to, now)
      if (!redirectsPending) this.setFlag('moves_pending', 0)
    } catch (err) {
      console.error(JSON.stringify({ event: 'post.redirect_failed', from, to, error: String(err) }))
    }
    return { ok: true, post: this.summary(this.row(to)!) }
  }

  /** The old id's KV key becomes a redirect to the new one, and the search index forgets the old id. */
  private async writeRedirect(from: string, to: string, movedAt: number): Promise<void> {
    const redirect: MovedRecord = { v: 1, id: from, movedTo: to, movedAt }
    await this.env.POSTS.put(KV_KEYS.post(from), JSON.stringify(redirect))
    await this.env.POSTS.delete(KV_KEYS.feedItem(from))
    await this.env.SEARCH_INDEX.getByName('site').remove(from)
  }

  /** Every old id's redirect again, after one was not written (the flag `moves_pending`). */
  private async writeRedirects(): Promise<void> {
    if (!this.flag('moves_pending')) return
    this.setFlag('moves_pending', 0)
    try {
      const moves = this.sql
        .exec<{ from_id: string; to_id: string; moved_ms: number }>('SELECT from_id, to_id, moved_ms FROM moves')
        .toArray()
      for (const m of moves) await this.writeRedirect(m.from_id, m.to_id, m.moved_ms)
    } catch (err) {
      this.setFlag('moves_pending', 1)
      throw err
    }
  }

  // ---- scheduled posts ------------------------------------------------------------------------

  /**
   * Publishes the scheduled posts whose date has come: same revision (the KV record is already
   * written), so only the post's object, the search index, the lists and the snapshot change,
   * through the usual flush. Returns how many were published.
   */
  private publishDue(): number {
    const due = this.sql
      .exec<{ id: string; revision: number }>("SELECT id, revision FROM posts WHERE status = 'scheduled' AND date_ms <= ?", Date.now())
      .toArray()
    for (const { id, revision } of due) {
      this.sql.exec("UPDATE posts SET status = 'published', room_pending = 1, search_pending = 1 WHERE id = ?", id)
      this.markBacklinks(id)
      console.log(JSON.stringify({ event: 'post.published_scheduled', id, revision }))
    }
    if (due.length > 0) {
      this.setFlag('list_dirty', 1)
      this.setFlag('snapshot_dirty', 1)
    }
    return due.length
  }

  /** Sets the alarm for the earliest scheduled post (scheduleAlarm keeps an earlier alarm). */
  private async scheduleNextPublication(): Promise<void> {
    const next = this.sql.exec<{ t: number | null }>("SELECT min(date_ms) AS t FROM posts WHERE status = 'scheduled'").one().t
    if (next !== null) await this.scheduleAlarm(next)
  }

  /** Records which posts `from` links to; every post whose 被引用 list changes gets it sent again. */
  private setLinks(from: string, targets: readonly string[]): void {
    this.markBacklinks(from)
    this.sql.exec('DELETE FROM links WHERE from_id = ?', from)
    for (const to of new Set(targets)) {
      if (to !== from) this.sql.exec('INSERT INTO links (from_id, to_id) VALUES (?, ?)', from, to)
    }
    this.markBacklinks(from)
  }

  /** Queues the 被引用 lists of every post `from` links to (its title, date or status changed). */
  private markBacklinks(from: string): void {
    this.sql.exec('INSERT OR IGNORE INTO backlinks_pending (to_id) SELECT to_id FROM links WHERE from_id = ?', from)
  }

  /** Sends each queued 被引用 list to its post's object, which returns it with every page view. */
  private async sendBacklinks(): Promise<void> {
    // Links to ids that are not posts stay queued until such a post is published.
    const targets = this.sql
      .exec<{ to_id: string }>('SELECT b.to_id AS to_id FROM backlinks_pending b JOIN posts p ON p.id = b.to_id')
      .toArray()
    for (const { to_id } of targets) {
      const list = this.sql
        .exec<{ id: string; title: string; date_ms: number }>(
          `SELECT p.id AS id, p.title AS title, p.date_ms AS date_ms FROM links l JOIN posts p ON p.id = l.from_id
           WHERE l.to_id = ? AND p.status = 'published' ORDER BY p.date_ms ASC, p.id ASC LIMIT 200`,
          to_id,
        )
        .toArray()
        .map((r): Backlink => ({ id: r.id, title: r.title, date: r.date_ms }))
      await this.env.POST_ROOM.getByName(to_id).setBacklinks(to_id, list)
      this.sql.exec('DELETE FROM backlinks_pending WHERE to_id = ?', to_id)
    }
  }

  private insertRow(row: PostRow): void {
    // (An id used again, by a rename or a restore, may come back at a revision it had before.)
    this.forgetEntry(row.id)
    const columns = Object.keys(row)
    this.sql.exec(
      `INSERT INTO posts (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
       ON CONFLICT(id) DO UPDATE SET ${columns
         .filter((c) => c !== 'id')
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')}`,
      ...Object.values(row),
    )
  }

  /** Removes a post from the site; its comments and count stay in its object. */
  async deletePost(id: string, ifMatch?: IfMatch): Promise<PostSummary | null | PublishRefusal> {
    const existing = this.row(id)
    if (!existing || existing.status === 'deleted') return null
    const stale = staleRevision(id, existing.revision, ifMatch, ' Nothing was deleted.')
    if (stale) return stale
    this.sql.exec(
      `UPDATE posts SET status = 'deleted', origin = 'api', modified_ms = ?, revision = revision + 1,
       kv_pending = 1, room_pending = 1, search_pending = 1 WHERE id = ?`,
      Date.now(),
      id,
    )
    this.freshRecords.delete(id)
    this.markBacklinks(id)
    // A deleted post's old addresses are released (and stop redirecting); a later PUT may claim them again.
    setAliases(this.sql, id, [])
    this.sql.exec("UPDATE posts SET aliases = '[]' WHERE id = ?", id)
    this.setFlag('list_dirty', 1)
    this.setFlag('snapshot_dirty', 1)
    // The post as this delete left it: while the flush runs, another request may rename or restore it.
    const deleted = this.summary(this.row(id)!)
    await this.flushNow()
    return deleted
  }

  /** For GET /api/health: the object answers, with its posts counted by status. */
  health(): { posts: Record<string, number> } {
    const posts: Record<string, number> = {}
    for (const r of this.sql.exec<{ status: string; n: number }>('SELECT status, count(*) AS n FROM posts GROUP BY status').toArray())
      posts[r.status] = r.n
    return { posts }
  }

  /** A post with its markdown, in any status; null if the id was never used. */
  getPost(id: string): PostDetail | null {
    const row = this.row(id)
    if (!row) return null
    const fields = postFields(row)
    return { ...this.summary(row), body: row.body, declaredSlugs: { category: row.category_slug, tags: fields.tagSlugs ?? {} }, fields }
  }

  /**
   * A post page found a rendered record in KV that the post's object does not know (the object
   * was reset, or a reader arrived between the KV write and the status update of a publish).
   * Known ids just get their status pushed again; an unknown id is registered from the record,
   * without its markdown (which KV does not hold), so it is listed and counted again.
   */
  async adopt(record: PostRecord): Promise<PostStatus> {
    const { internalLinks } = await loadRenderer()
    let row = this.row(record.id)
    if (row) {
      this.sql.exec('UPDATE posts SET room_pending = 1 WHERE id = ?', row.id)
    } else {
      const now = Date.now()
      row = {
        id: record.id,
        status: record.draft ? 'draft' : 'published',
        title: record.title,
        author: record.author,
        date_ms: record.date,
        updated_ms: record.updated,
        category: record.category,
        tags: JSON.stringify(record.tags),
        summary: record.summary,
        draft: record.draft ? 1 : 0,
        body: '',
        excerpt_html: record.excerptHtml,
        origin: 'kv',
        sync_hash: null,
        created_ms: now,
        modified_ms: now,
        revision: 1,
        kv_pending: 0,
        room_pending: 1,
        render_version: record.renderVersion,
        flags: postFlags(record),
        series: record.series ?? null,
        category_slug: record.categorySlug ?? null,
        tag_slugs: JSON.stringify(Object.fromEntries(record.tags.map((t, i) => [t, record.tagSlugs?.[i]]).filter(([, v]) => v))),
        search_pending: 1,
        kind: record.type === 'page' ? 'page' : 'post',
        in_nav: 0,
        aliases: '[]',
      }
      this.insertRow(row)
      this.setLinks(row.id, internalLinks(record.html, siteConfig(this.env).baseUrl))
      this.setFlag('list_dirty', 1)
      this.setFlag('snapshot_dirty', 1)
    }
    await this.flushNow()
    return row.status as PostStatus
  }

  // ---- activity from post objects -----------------------------------------------------------

  /** Exact totals and new comments pushed by a post's object; idempotent (replays are harmless). */
  async reportActivity(report: ActivityReport): Promise<void> {
    // The object of a post renamed away: its totals now belong to the new id (moved with the rows).
    if (!this.row(report.postId) && this.movedTo(report.postId) !== null) return
    // rowsWritten counts only real changes (the upserts skip equal values), so a repeated report
    // (an alarm retried after a lost answer) leaves the snapshot alone: KV is written only when
    // counts or recent comments changed.
    let changed = written(
      this.sql.exec(
        `INSERT INTO stats (post_id, views, comments) VALUES (?, ?, ?)
       ON CONFLICT(post_id) DO UPDATE SET views = max(views, excluded.views), comments = excluded.comments
       WHERE excluded.views > views OR excluded.comments != comments`,
        report.postId,
        report.views,
        report.comments,
      ),
    )
    for (const d of report.daily ?? []) {
      this.sql.exec(
        `INSERT INTO daily_views (post_id, day, views) VALUES (?, ?, ?)
         ON CONFLICT(post_id, day) DO UPDATE SET views = excluded.views WHERE excluded.views != views`,
        report.postId,
        d.day,
        d.views,
      )
    }
    for (const c of report.newComments) {
      const status = c.status ?? 'approved'
      this.sql.exec(
        `INSERT INTO comment_index (post_id, comment_id, status, author, email, excerpt, created_ms, top_level, pinned)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(post_id, comment_id) DO UPDATE SET status = excluded.status, author = excluded.author, email = excluded.email,
           excerpt = excluded.excerpt, top_level = coalesce(excluded.top_level, top_level), pinned = excluded.pinned`,
        report.postId,
        c.commentId,
        status,
        c.author,
        c.email?.toLowerCase() ?? null,
        c.excerpt,
        c.createdAt,
        c.topLevel === undefined ? null : c.topLevel ? 1 : 0,
        c.pinned ? 1 : 0,
      )
      // The sidebar shows approved comments only: a comment held, marked as spam or deleted leaves it.
      if (status === 'approved')
        changed += written(
          this.sql.exec(
            `INSERT INTO recent_comments (post_id, comment_id, author, excerpt, html, created_ms) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT(post_id, comment_id) DO UPDATE SET author = excluded.author, excerpt = excluded.excerpt, html = excluded.html
             WHERE author != excluded.author OR excerpt != excluded.excerpt OR html != excluded.html`,
            report.postId,
            c.commentId,
            c.author,
            c.excerpt,
            c.html ?? '',
            c.createdAt,
          ),
        )
      else if (written(this.sql.exec('DELETE FROM recent_comments WHERE post_id = ? AND comment_id = ?', report.postId, c.commentId)) > 0) {
        // One the sidebar or the comments feed may show (the admin took it off: spam, deleted, held):
        // it leaves them within about a second, not after the snapshot's period.
        changed++
        this.setFlag('snapshot_soon', 1)
      }
    }
    if (changed === 0) return
    this.sql.exec(
      `DELETE FROM recent_comments WHERE rowid NOT IN (SELECT rowid FROM recent_comments ORDER BY created_ms DESC LIMIT ?)`,
      RECENT_KEEP,
    )
    this.setFlag('snapshot_dirty', 1)
    const due = this.snapshotDue()
    if (Date.now() >= due) await this.flushNow()
    else await this.scheduleAlarm(due)
  }

  /**
   * Views per day for the site and for its most read posts, over the last `days` days, as pushed
   * by the post objects (at most COUNT_PUSH_SECONDS behind). The posts are those with the most
   * views from the day `rankSince` on (all time breaking ties), or of all time when it is null.
   */
  stats(days: number, top = 10, rankSince: string | null = null): SiteStats {
    const since = this.sql.exec<{ day: string | null }>('SELECT max(day) AS day FROM daily_views').one().day
    const site = this.sql
      .exec<{ day: string; views: number }>('SELECT day, sum(views) AS views FROM daily_views GROUP BY day ORDER BY day DESC LIMIT ?', days)
      .toArray()
      .reverse()
    const ranked = (
      rankSince === null
        ? this.sql.exec<{ id: string; title: string; views: number; comments: number }>(
            `SELECT p.id AS id, p.title AS title, s.views AS views, s.comments AS comments FROM posts p JOIN stats s ON s.post_id = p.id
             WHERE p.status = 'published' ORDER BY s.views DESC LIMIT ?`,
            top,
          )
        : this.sql.exec<{ id: string; title: string; views: number; comments: number }>(
            `SELECT p.id AS id, p.title AS title, s.views AS views, s.comments AS comments FROM posts p JOIN stats s ON s.post_id = p.id
             LEFT JOIN (SELECT post_id, sum(views) AS recent FROM daily_views WHERE day >= ? GROUP BY post_id) r ON r.post_id = p.id
             WHERE p.status = 'published' ORDER BY coalesce(r.recent, 0) DESC, s.views DESC LIMIT ?`,
            rankSince,
            top,
          )
    ).toArray()
    const posts = ranked.map((p) => ({
      ...p,
      daily: this.sql
        .exec<{ day: string; views: number }>('SELECT day, views FROM daily_views WHERE post_id = ? ORDER BY day DESC LIMIT ?', p.id, days)
        .toArray()
        .reverse(),
    }))
    const totalViews = this.sql.exec<{ n: number | null }>('SELECT sum(views) AS n FROM stats').one().n ?? 0
    return { latestDay: since, totalViews, site, posts }
  }

  /**
   * The comments with a status, newest first, from the index the post objects keep current: at most
   * `limit`, those after `before` (the place of the last one of the previous page: ordered by time,
   * then post id, then comment number, so a page never repeats or skips a comment), with how many
   * comments each status holds. `filter`: only one post's, and/or only those whose author, e-mail
   * address or excerpt holds a text (case aside for ASCII letters); the counts are of the same.
   */
  commentQueue(
    status: CommentStatus,
    limit: number,
    before?: QueuePlace,
    filter: QueueFilter = {},
  ): { items: QueueItem[]; counts: Record<QueueStatus, number> } {
    const where: string[] = []
    const args: SqlStorageValue[] = []
    if (filter.postId !== undefined) {
      where.push('c.post_id = ?')
      args.push(filter.postId)
    }
    if (filter.q !== undefined) {
      // (LIKE's own characters in the text are escaped: it is found as typed.)
      const pattern = likePattern(filter.q)
      where.push("(c.author LIKE ? ESCAPE '\\' OR c.email LIKE ? ESCAPE '\\' OR c.excerpt LIKE ? ESCAPE '\\')")
      args.push(pattern, pattern, pattern)
    }
    const filtered = where.map((w) => ` AND ${w}`).join('')
    const counts: Record<QueueStatus, number> = { pending: 0, spam: 0, approved: 0 }
    for (const r of this.sql.exec<{ status: string; n: number }>(
      `SELECT c.status, count(*) AS n FROM comment_index c WHERE c.status IN ('pending', 'spam', 'approved')${filtered} GROUP BY c.status`,
      ...args,
    ))
      counts[r.status as QueueStatus] = r.n
    const place = before ? ' AND (c.created_ms, c.post_id, c.comment_id) < (?, ?, ?)' : ''
    const items = this.sql
      .exec<{
        post_id: string
        title: string | null
        post_status: string | null
        comment_id: number
        status: string
        author: string
        email: string | null
        excerpt: string
        created_ms: number
        top_level: number | null
        pinned: number
      }>(
        `SELECT c.post_id, p.title, p.status AS post_status, c.comment_id, c.status, c.author, c.email, c.excerpt, c.created_ms, c.top_level, c.pinned
         FROM comment_index c LEFT JOIN posts p ON p.id = c.post_id
         WHERE c.status = ?${place}${filtered}
         ORDER BY c.created_ms DESC, c.post_id DESC, c.comment_id DESC LIMIT ?`,
        status,
        ...(before ? [before.createdAt, before.postId, before.commentId] : []),
        ...args,
        limit,
      )
      .toArray()
      .map((r) => ({
        postId: r.post_id,
        postTitle: r.title ?? r.post_id,
        postStatus: r.post_status as PostStatus | null,
        commentId: r.comment_id,
        status: r.status as CommentStatus,
        author: r.author,
        email: r.email,
        excerpt: r.excerpt,
        createdAt: r.created_ms,
        topLevel: r.top_level === null ? null : r.top_level === 1,
        pinned: r.pinned === 1,
      }))
    return { items, counts }
  }

  /** Whether this e-mail address has an approved comment anywhere (moderation mode "first"). */
  knownCommenter(email: string): boolean {
    return (
      this.sql
        .exec<{ n: number }>("SELECT count(*) AS n FROM comment_index WHERE email = ? AND status = 'approved'", email.toLowerCase())
        .one().n > 0
    )
  }

  /** The posts on which a commenter (by e-mail or name) left comments. */
  postsOfCommenter(who: { email?: string; name?: string }): string[] {
    return this.sql
      .exec<{ post_id: string }>(
        `SELECT DISTINCT post_id FROM comment_index WHERE status != 'deleted' AND ((? IS NOT NULL AND email = ?) OR (? IS NOT NULL AND author = ?))`,
        who.email ?? null,
        who.email?.toLowerCase() ?? null,
        who.name ?? null,
        who.name ?? null,
      )
      .toArray()
      .map((r) => r.post_id)
  }

  // ---- the read model -----------------------------------------------------------------------

  /** Runs `task` once everything queued before it has finished (its failure does not stop the queue). */
  private queued<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task)
    this.queue = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  /** Runs every pending KV write now (queued behind any flush in progress). */
  private flushNow(): Promise<void> {
    return this.queued(() => this.flush()).catch(async (err) => {
      console.error(JSON.stringify({ event: 'site.flush_failed', error: String(err) }))
      await this.scheduleAlarm(Date.now() + RETRY_MS)
    })
  }

  private async flush(): Promise<void> {
    const pending = this.sql.exec<PostRow>(`SELECT * FROM posts WHERE ${PENDING_POSTS} LIMIT ?`, SYNC_BATCH).toArray()
    for (const row of pending) await this.syncPost(row)
    const moreAliases = await writeAliasKeys(this.sql, this.env.POSTS)
    await this.writeRedirects()
    await this.sendBacklinks()

    let listChanged = false
    if (this.flag('list_dirty')) {
      this.setFlag('list_dirty', 0)
      try {
        listChanged = await this.writeLists()
      } catch (err) {
        this.setFlag('list_dirty', 1)
        throw err
      }
    }
    const snapshotChanged = this.flag('snapshot_dirty') === 1 || listChanged
    const spacedUntil = this.snapshotSpacedUntil()
    if (snapshotChanged && Date.now() < spacedUntil) {
      // Written less than a second ago (a burst of publishes: an import, a sync): KV would refuse
      // this write, so the alarm makes it as soon as KV takes it, with whatever else comes meanwhile.
      this.setFlag('snapshot_dirty', 1)
      this.setFlag('snapshot_soon', 1)
      await this.scheduleAlarm(spacedUntil)
    } else if (snapshotChanged) {
      this.setFlag('snapshot_dirty', 0)
      try {
        await this.env.POSTS.put(KV_KEYS.site, JSON.stringify(this.buildSnapshot()))
        await this.writeRecentComments()
        this.setFlag('snapshot_at', Date.now())
        // (Unless a report came in during the writes: it waits for the next one.)
        if (!this.flag('snapshot_dirty')) this.setFlag('snapshot_soon', 0)
      } catch (err) {
        this.setFlag('snapshot_dirty', 1)
        throw err
      }
    }
    const moreNav = await this.sendNav()
    await this.collectGarbage()
    // A large backlog (a migration, an import) continues in the next alarm run.
    if (moreNav || moreAliases || pending.length === SYNC_BATCH) await this.scheduleAlarm(Date.now() + 100)
  }

  /**
   * When activity reports may next write the snapshot: SNAPSHOT_SECONDS after the last write, or
   * SNAPSHOT_SOON_MS after it once a comment has left the recent comments (reportActivity).
   */
  private snapshotDue(): number {
    return this.flag('snapshot_soon') ? this.snapshotSpacedUntil() : this.flag('snapshot_at') + siteConfig(this.env).snapshotSeconds * 1000
  }

  /** The earliest the snapshot may be written again, whatever asks: SNAPSHOT_SOON_MS after the last write. */
  private snapshotSpacedUntil(): number {
    return this.flag('snapshot_at') + Math.min(SNAPSHOT_SOON_MS, siteConfig(this.env).snapshotSeconds * 1000)
  }

  /** The newest approved comments on published posts, newest first, with their HTML. */
  private recentComments(limit: number): RecentCommentFull[] {
    return this.sql
      .exec<{ post_id: string; title: string; comment_id: number; author: string; excerpt: string; html: string; created_ms: number }>(
        `SELECT r.post_id AS post_id, p.title AS title, r.comment_id AS comment_id, r.author AS author, r.excerpt AS excerpt,
                r.html AS html, r.created_ms AS created_ms
         FROM recent_comments r JOIN posts p ON p.id = r.post_id
         WHERE p.status = 'published' ORDER BY r.created_ms DESC LIMIT ?`,
        limit,
      )
      .toArray()
      .map((r) => ({
        postId: r.post_id,
        postTitle: r.title,
        commentId: r.comment_id,
        author: r.author,
        excerpt: r.excerpt,
        html: r.html,
        createdAt: r.created_ms,
      }))
  }

  /** The comments feed's data (KV `v1:recent-comments`), written only when it changed. */
  private async writeRecentComments(): Promise<void> {
    const list = this.recentComments(FEED_COMMENTS)
    const json = JSON.stringify(list)
    const hash = await sha256Hex(json)
    if (this.currentKey('recent_comments_hash') === hash) return
    await this.env.POSTS.put(KV_KEYS.recentComments, json)
    this.sql.exec(
      `INSERT INTO current_keys (name, kv_key) VALUES ('recent_comments_hash', ?) ON CONFLICT(name) DO UPDATE SET kv_key = excluded.kv_key`,
      hash,
    )
  }

  /**
   * Writes a post's KV record and tells its object the status; clears the flags it completed. The
   * object decides whether a post page is served and KV holds what it shows, so a post that becomes
   * readable (published) is written to KV before its object hears of it, and one that stops being
   * readable (deleted, a draft again, scheduled) is hidden by its object before KV changes: either way
   * no reader is served in between a page the object says is there but KV no longer holds (a 503),
   * or the content of a draft under the published post's address.
   */
  private async syncPost(row: PostRow): Promise<void> {
    const roomToTell = row.room_pending || row.kv_pending
    const hiding = row.status !== 'published'
    if (roomToTell && hiding) await this.tellRoom(row)
    let written: PostRecord | null = null
    if (row.kv_pending) {
      let value: PostRecord | DeletedRecord
      if (row.status === 'deleted') {
        value = { v: 1, id: row.id, deleted: true, deletedAt: row.modified_ms }
      } else {
        const fresh = this.freshRecords.get(row.id)
        value = fresh?.revision === row.revision ? fresh.record : await this.rerender(row)
      }
      // The feed item goes with the record (storage/feed-items.ts): made from it, gone with it.
      const item = 'deleted' in value ? null : buildFeedItem(value)
      await Promise.all([
        this.env.POSTS.put(KV_KEYS.post(row.id), JSON.stringify(value)),
        item ? this.env.POSTS.put(KV_KEYS.feedItem(row.id), JSON.stringify(item)) : this.env.POSTS.delete(KV_KEYS.feedItem(row.id)),
      ])
      // Only clear the flag if no newer revision arrived while the write was in flight.
      this.sql.exec('UPDATE posts SET kv_pending = 0 WHERE id = ? AND revision = ?', row.id, row.revision)
      if (this.freshRecords.get(row.id)?.revision === row.revision) this.freshRecords.delete(row.id)
      if (!('deleted' in value)) written = value
    }
    if (roomToTell && !hiding) await this.tellRoom(row)
    if (row.search_pending) {
      await this.indexForSearch(row, written)
      this.sql.exec('UPDATE posts SET search_pending = 0 WHERE id = ? AND revision = ? AND status = ?', row.id, row.revision, row.status)
    }
  }

  /**
   * The post's object learns the status, and the revision of the record in KV (the Worker keeps a
   * record in memory while the revision stays the same). The flag is cleared only if neither the
   * revision nor the status changed meanwhile (a scheduled post that comes due is published at the
   * same revision, publishDue).
   */
  private async tellRoom(row: PostRow): Promise<void> {
    await this.env.POST_ROOM.getByName(row.id).setStatus(row.id, row.status as PostStatus, row.revision)
    this.sql.exec('UPDATE posts SET room_pending = 0 WHERE id = ? AND revision = ? AND status = ?', row.id, row.revision, row.status)
  }

  /** Puts a published post into the search index (its record as just written, or as KV holds it); takes others out. */
  private async indexForSearch(row: PostRow, record: PostRecord | null): Promise<void> {
    const index = this.env.SEARCH_INDEX.getByName('site')
    if (row.status !== 'published') return index.remove(row.id)
    if (!record) {
      const stored = await readPost(this.env.POSTS, row.id)
      if (stored.kind !== 'post') return
      record = stored.record
    }
    const { searchDocOf } = await loadRenderer()
    await index.upsert(searchDocOf(record))
  }

  private async rerender(row: PostRow): Promise<PostRecord> {
    const { renderPost } = await loadRenderer()
    return this.recordOf(row, renderPost(row.body, row.summary ?? undefined, postRenderOptions(siteConfig(this.env))))
  }

  private recordOf(row: PostRow, rendered: RenderedPost): PostRecord {
    return buildPostRecord(this.summary(row), rendered)
  }

  /**
   * Rebuilds the post lists in KV: the front page's (list ''), one per category and tag, the term
   * index and the archive, then works out every post's neighbours. Each list is cut into chunks
   * (oldest first); only the order and revisions of the posts are read, and a chunk whose posts and
   * revisions are unchanged (its signature) is left alone, so a new post rewrites the newest chunk
   * of each of its lists, not the whole site. Returns whether any key the snapshot names changed.
   */
  private async writeLists(): Promise<boolean> {
    const slugs = siteConfig(this.env).slugs
    const rows = this.sql
      .exec<{
        id: string
        revision: number
        title: string
        date_ms: number
        updated_ms: number | null
        modified_ms: number
        category: string | null
        category_slug: string | null
        tags: string
        tag_slugs: string
        series: string | null
      }>(
        `SELECT id, revision, title, date_ms, updated_ms, modified_ms, category, category_slug, tags, tag_slugs, series
         FROM posts WHERE ${LISTED} ORDER BY date_ms ASC, id ASC`,
      )
      .toArray()
    const lists = new Map<string, { id: string; revision: number }[]>([['', []]])
    const terms = new Map<string, { kind: TermKind; slug: string; name: string; lastModified: number }>()
    const join = (list: string, kind: TermKind | null, slug: string, name: string, row: (typeof rows)[number]) => {
      let members = lists.get(list)
      if (!members) lists.set(list, (members = []))
      if (members[members.length - 1]?.id === row.id) return
      members.push({ id: row.id, revision: row.revision })
      if (kind) {
        // The newest post's spelling names the term (posts are in date order).
        const lastModified = Math.max(terms.get(list)?.lastModified ?? 0, row.updated_ms ?? row.date_ms, row.date_ms)
        terms.set(list, { kind, slug, name, lastModified })
      }
    }
    // Each post's lists (category:…, tag:…), for its related posts.
    const termsOf = new Map<string, string[]>()
    for (const row of rows) {
      join('', null, '', '', row)
      const postTerms: string[] = []
      if (row.category !== null) {
        const slug = resolveSlug(row.category, slugs.category, row.category_slug)
        join(`category:${slug}`, 'category', slug, row.category, row)
        postTerms.push(`category:${slug}`)
      }
      const declared = JSON.parse(row.tag_slugs) as Record<string, string>
      for (const tag of JSON.parse(row.tags) as string[]) {
        const slug = resolveSlug(tag, slugs.tag, own(declared, tag))
        join(`tag:${slug}`, 'tag', slug, tag, row)
        if (!postTerms.includes(`tag:${slug}`)) postTerms.push(`tag:${slug}`)
      }
      termsOf.set(row.id, postTerms)
    }

    let changed = false
    const chunkKeys = new Map<string, string[]>()
    for (const [list, members] of lists) {
      const result = await this.writeListChunks(list, members)
      chunkKeys.set(list, result.keys)
      changed ||= result.changed
    }
    // Lists that are gone (a term with no published post left).
    for (const { list } of this.sql.exec<{ list: string }>('SELECT DISTINCT list FROM list_chunks').toArray()) {
      if (lists.has(list)) continue
      for (const r of this.sql.exec<{ kv_key: string }>('SELECT kv_key FROM list_chunks WHERE list = ?', list).toArray())
        this.retire(r.kv_key)
      this.sql.exec('DELETE FROM list_chunks WHERE list = ?', list)
      changed = true
    }

    const index: TermIndex = { category: [], tag: [] }
    for (const [list, term] of terms) {
      index[term.kind].push({ ...term, count: lists.get(list)!.length, chunks: chunkKeys.get(list)! })
    }
    for (const kind of ['category', 'tag'] as const) index[kind].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    this.sql.exec('DELETE FROM term_summary')
    for (const kind of ['category', 'tag'] as const) {
      for (const t of index[kind]) {
        this.sql.exec('INSERT INTO term_summary (kind, slug, name, count) VALUES (?, ?, ?, ?)', kind, t.slug, t.name, t.count)
      }
    }
    changed = (await this.writeCurrent('terms', index, KV_KEYS.terms)) || changed
    const archive: ArchiveEntry[] = rows
      .map((r) => ({ id: r.id, title: r.title, date: r.date_ms, updated: r.updated_ms, modifiedAt: r.modified_ms, category: r.category }))
      .reverse()
    changed = (await this.writeCurrent('archive', archive, KV_KEYS.archive)) || changed
    this.updateNav(
      rows,
      relatedPosts(
        rows.map((r) => ({ ...r, terms: termsOf.get(r.id)! })),
        lists,
      ),
    )
    return changed
  }

  /** Writes one list's changed chunks; returns its chunk keys (oldest first) and whether any changed. */
  private async writeListChunks(list: string, members: { id: string; revision: number }[]): Promise<{ keys: string[]; changed: boolean }> {
    const stored = new Map(
      this.sql
        .exec<{ idx: number; kv_key: string; signature: string }>('SELECT idx, kv_key, signature FROM list_chunks WHERE list = ?', list)
        .toArray()
        .map((r) => [r.idx, r]),
    )
    const count = Math.ceil(members.length / CHUNK_SIZE)
    let changed = stored.size !== count
    const keys: string[] = []
    for (let k = 0; k < count; k++) {
      const part = members.slice(k * CHUNK_SIZE, (k + 1) * CHUNK_SIZE)
      const signature = `${CHUNK_FORMAT}|${part.map((m) => `${m.id}@${m.revision}`).join(',')}`
      const old = stored.get(k)
      if (old?.signature === signature) {
        keys.push(old.kv_key)
        continue
      }
      const { json, hash } = await this.chunkJson(part)
      const key = list === '' ? KV_KEYS.chunk(k, hash) : KV_KEYS.termChunk(k, hash)
      if (old?.kv_key !== key) {
        changed = true
        // Chunk keys name their content, so lists share them (two new tags' first chunks hold the
        // same post): a key another list's row names is in KV already (a row follows its write), and
        // writing it again would be a wasted write, and a second write of one key within a second,
        // which KV may refuse.
        if (!this.keyInUse(key)) await this.env.POSTS.put(key, json)
        if (old) this.retire(old.kv_key)
      }
      this.sql.exec(
        `INSERT INTO list_chunks (list, idx, kv_key, signature) VALUES (?, ?, ?, ?)
         ON CONFLICT(list, idx) DO UPDATE SET kv_key = excluded.kv_key, signature = excluded.signature`,
        list,
        k,
        key,
        signature,
      )
      keys.push(key)
    }
    for (const [k, row] of stored) {
      if (k < count) continue
      this.sql.exec('DELETE FROM list_chunks WHERE list = ? AND idx = ?', list, k)
      this.retire(row.kv_key)
    }
    return { keys, changed }
  }

  /**
   * A chunk's JSON as UTF-8 (the same bytes as `JSON.stringify(this.listEntries(ids))` encoded) and
   * its key's hash, put together from the entries' kept bytes and hashes: a publish rewrites the
   * newest chunk of each of the post's lists, whose other posts are unchanged, and reading their
   * excerpts (12 KB each in the bench's posts) out of SQLite to serialise, encode and hash them again
   * was a fifth of the Site object's time in a publish (docs/PERFORMANCE.md, "Publishing 1,000 posts
   * again"). The hash is the SHA-256 of the entries' SHA-256s in order, so it still names the content:
   * two chunks of the same entries share a key, and any change to one gives a new key. Like the
   * chunk's signature, it follows the revisions the list was worked out from: a post published or
   * renamed during the flush's KV writes has set `list_dirty`, and the next flush writes its chunks again.
   */
  private async chunkJson(part: readonly { id: string; revision: number }[]): Promise<{ json: Uint8Array<ArrayBuffer>; hash: string }> {
    // The entries are taken before any await: a publish may drop its post's kept entry meanwhile.
    const entries = new Map<string, KeptEntry>()
    for (const m of part) {
      const entry = this.entryJson.get(m.id)
      if (entry?.revision === m.revision) entries.set(m.id, entry)
    }
    const missing = part.filter((m) => !entries.has(m.id)).map((m) => m.id)
    if (missing.length > 0) {
      const encoder = new TextEncoder()
      for (const entry of this.listEntries(missing)) {
        const json = encoder.encode(JSON.stringify(entry))
        entries.set(entry.id, { revision: entry.revision, json, hash: await sha256HexOf(json) })
      }
    }
    const kept = part.map((m) => entries.get(m.id)).filter((e) => e !== undefined)
    // The entries used last stay (a Map keeps insertion order): the newest chunk of every list.
    for (const [id, entry] of entries) this.keepEntry(id, entry)
    while (this.entryJsonBytes > ENTRY_JSON_BYTES && this.entryJson.size > CHUNK_SIZE) {
      this.forgetEntry(this.entryJson.keys().next().value!)
    }
    // `[` entry `,` entry … `]`
    const listed = kept.flatMap((e, i) => (i > 0 ? [JSON_COMMA, e.json] : [e.json]))
    const json = concatBytes([JSON_OPEN, ...listed, JSON_CLOSE])
    const hash = (await sha256Hex(kept.map((e) => e.hash).join(','))).slice(0, 16)
    return { json, hash }
  }

  private keepEntry(id: string, entry: KeptEntry): void {
    this.forgetEntry(id)
    this.entryJson.set(id, entry)
    this.entryJsonBytes += entry.json.byteLength
  }

  private forgetEntry(id: string): void {
    const entry = this.entryJson.get(id)
    if (!entry) return
    this.entryJson.delete(id)
    this.entryJsonBytes -= entry.json.byteLength
  }

  /** Whether a list's chunk or a current value (the term index, the archive) names this KV key. */
  private keyInUse(key: string): boolean {
    return (
      this.sql
        .exec<{ n: number }>(
          'SELECT (SELECT count(*) FROM list_chunks WHERE kv_key = ?) + (SELECT count(*) FROM current_keys WHERE kv_key = ?) AS n',
          key,
          key,
        )
        .one().n > 0
    )
  }

  /** Writes an immutable, content-hashed value (the term index, the archive) if it changed; retires the old key. */
  private async writeCurrent(name: string, value: unknown, keyOf: (hash: string) => string): Promise<boolean> {
    const json = JSON.stringify(value)
    const key = keyOf((await sha256Hex(json)).slice(0, 16))
    const old = this.currentKey(name)
    if (old === key) return false
    await this.env.POSTS.put(key, json)
    this.sql.exec(
      'INSERT INTO current_keys (name, kv_key) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET kv_key = excluded.kv_key',
      name,
      key,
    )
    if (old) this.retire(old)
    return true
  }

  private currentKey(name: string): string | null {
    return this.sql.exec<{ kv_key: string }>('SELECT kv_key FROM current_keys WHERE name = ?', name).toArray()[0]?.kv_key ?? null
  }

  /**
   * Works out every published post's previous/next post and series, with its related posts, and
   * queues the ones that changed for their objects (sendNav). Posts that left the list are forgotten.
   */
  private updateNav(
    rows: { id: string; title: string; date_ms: number; series: string | null }[],
    related: ReadonlyMap<string, Backlink[]>,
  ): void {
    const link = (r: (typeof rows)[number]): Backlink => ({ id: r.id, title: r.title, date: r.date_ms })
    const series = new Map<string, Backlink[]>()
    for (const r of rows) {
      if (r.series === null) continue
      let members = series.get(r.series)
      if (!members) series.set(r.series, (members = []))
      members.push(link(r))
    }
    const stored = new Map(
      this.sql
        .exec<{ post_id: string; json: string }>('SELECT post_id, json FROM nav')
        .toArray()
        .map((r) => [r.post_id, r.json]),
    )
    rows.forEach((r, i) => {
      const nav: PostNav = {
        prev: i > 0 ? link(rows[i - 1]!) : null,
        next: i < rows.length - 1 ? link(rows[i + 1]!) : null,
        series: r.series !== null ? { name: r.series, posts: series.get(r.series)! } : null,
        related: related.get(r.id) ?? [],
      }
      const json = JSON.stringify(nav)
      if (stored.get(r.id) !== json) {
        this.sql.exec(
          'INSERT INTO nav (post_id, json, sent) VALUES (?, ?, 0) ON CONFLICT(post_id) DO UPDATE SET json = excluded.json, sent = 0',
          r.id,
          json,
        )
      }
      stored.delete(r.id)
    })
    for (const id of stored.keys()) this.sql.exec('DELETE FROM nav WHERE post_id = ?', id)
  }

  /** Sends queued navs to their posts' objects, at most NAV_BATCH per run; true if more remain. */
  private async sendNav(): Promise<boolean> {
    const due = this.sql
      .exec<{ post_id: string; json: string }>('SELECT post_id, json FROM nav WHERE sent = 0 LIMIT ?', NAV_BATCH)
      .toArray()
    for (const { post_id, json } of due) {
      await this.env.POST_ROOM.getByName(post_id).setNav(post_id, JSON.parse(json) as PostNav)
      this.sql.exec('UPDATE nav SET sent = 1 WHERE post_id = ? AND json = ?', post_id, json)
    }
    return due.length === NAV_BATCH
  }

  /** The list entries of these posts, in list order. */
  private listEntries(ids: string[]): (ListEntry & { revision: number })[] {
    return this.sql
      .exec<SummaryRow & { excerpt_html: string }>(
        `SELECT ${SUMMARY_COLUMNS} FROM posts WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY date_ms ASC, id ASC`,
        ...ids,
      )
      .toArray()
      .map((r) => {
        const p = this.summary(r)
        return {
          id: p.id,
          title: p.title,
          author: p.author,
          date: p.date,
          category: p.category,
          tags: p.tags,
          categorySlug: p.categorySlug,
          tagSlugs: p.tagSlugs,
          excerptHtml: r.excerpt_html,
          revision: r.revision,
        }
      })
  }

  private retire(key: string): void {
    this.sql.exec(
      'INSERT INTO garbage (kv_key, delete_after_ms) VALUES (?, ?) ON CONFLICT(kv_key) DO NOTHING',
      key,
      Date.now() + GARBAGE_DELAY_MS,
    )
  }

  private async collectGarbage(): Promise<void> {
    const now = Date.now()
    const due = this.sql.exec<{ kv_key: string }>('SELECT kv_key FROM garbage WHERE delete_after_ms <= ? LIMIT 50', now).toArray()
    for (const { kv_key } of due) {
      // A chunk that came back into use (same content again) is not deleted.
      if (!this.keyInUse(kv_key)) await this.env.POSTS.delete(kv_key)
      this.sql.exec('DELETE FROM garbage WHERE kv_key = ?', kv_key)
    }
    const next = this.sql.exec<{ t: number | null }>('SELECT min(delete_after_ms) AS t FROM garbage').one().t
    if (next !== null) await this.scheduleAlarm(next)
  }

  private buildSnapshot(): SiteSnapshot {
    const counts: SiteSnapshot['counts'] = {}
    for (const r of this.sql
      .exec<{ id: string; views: number | null; comments: number | null }>(
        `SELECT p.id AS id, s.views AS views, s.comments AS comments FROM posts p
         LEFT JOIN stats s ON s.post_id = p.id WHERE p.status = 'published'`,
      )
      .toArray()) {
      counts[r.id] = [r.views ?? 0, r.comments ?? 0]
    }
    // The sidebar's lines carry no HTML (the snapshot is read by every page).
    const recent = this.recentComments(RECENT_COMMENTS).map(({ html: _html, ...line }): RecentComment => line)
    const chunks = this.sql
      .exec<{ kv_key: string }>("SELECT kv_key FROM list_chunks WHERE list = '' ORDER BY idx")
      .toArray()
      .map((r) => r.kv_key)
    const total = this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM posts WHERE ${LISTED}`).one().n
    const popular = this.sql
      .exec<{ id: string; title: string; views: number }>(
        `SELECT p.id AS id, p.title AS title, s.views AS views FROM posts p JOIN stats s ON s.post_id = p.id
         WHERE p.status = 'published' AND p.kind = 'post' AND s.views > 0 ORDER BY s.views DESC, p.date_ms DESC LIMIT ?`,
        POPULAR_POSTS,
      )
      .toArray()
    const { categories, tags } = this.termSummaries()
    const pages = this.sql
      .exec<{ id: string; title: string; in_nav: number; modified_ms: number }>(
        "SELECT id, title, in_nav, modified_ms FROM posts WHERE status = 'published' AND kind = 'page' ORDER BY id",
      )
      .toArray()
      .map((r) => ({ id: r.id, title: r.title, nav: r.in_nav === 1, modifiedAt: r.modified_ms }))
    return {
      v: 1,
      generatedAt: Date.now(),
      total,
      chunkSize: CHUNK_SIZE,
      chunks,
      counts,
      recent,
      popular,
      categories,
      tags,
      termsKey: this.currentKey('terms'),
      archiveKey: this.currentKey('archive'),
      pages,
    }
  }

  /** Every category and the most used tags with their post counts, most posts first. */
  private termSummaries(): { categories: TermSummary[]; tags: TermSummary[] } {
    const of = (kind: TermKind, limit: number): TermSummary[] =>
      this.sql
        .exec<{ slug: string; name: string; count: number }>(
          'SELECT slug, name, count FROM term_summary WHERE kind = ? ORDER BY count DESC, slug ASC LIMIT ?',
          kind,
          limit,
        )
        .toArray()
    return { categories: of('category', 1000), tags: of('tag', SNAPSHOT_TAGS) }
  }

  private async scheduleAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > at) await this.ctx.storage.setAlarm(at)
  }

  // ---- re-rendering ---------------------------------------------------------------------------

  /** Posts stored by an older renderer that can be rendered again (a record adopted from KV has no markdown). */
  private staleCount(): number {
    return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM posts WHERE ${STALE_POSTS}`, RENDER_VERSION, RENDER_VERSION).one().n
  }

  /**
   * Re-renders every post (`npm run blog -- rerender`, or after changing MATH_MACROS) and then every
   * post's comments. The work runs from the alarm in small batches. Returns how many posts and
   * post objects are queued.
   */
  async rerenderAll(): Promise<{ posts: number; rooms: number }> {
    this.sql.exec("UPDATE posts SET render_version = '' WHERE status != 'deleted'")
    const rooms = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM posts').one().n
    this.setFlag('rerender_rooms', 1)
    this.sql.exec("INSERT INTO flags (name, value) VALUES ('rerender_room_cursor', 0) ON CONFLICT(name) DO UPDATE SET value = 0")
    await this.scheduleAlarm(Date.now())
    return { posts: this.staleCount(), rooms }
  }

  /** Renders up to `limit` stale posts again from their markdown; true if more remain. */
  private async rerenderBatch(limit: number): Promise<boolean> {
    if (this.staleCount() === 0) return false
    // The renderer is loaded (render/load.ts) before the posts are read, so that reading them and
    // writing them again happen with no await in between.
    const { renderPost } = await loadRenderer()
    const rows = this.sql.exec<PostRow>(`SELECT * FROM posts WHERE ${STALE_POSTS} LIMIT ?`, RENDER_VERSION, RENDER_VERSION, limit).toArray()
    for (const row of rows) {
      let rendered: RenderedPost
      try {
        rendered = renderPost(row.body, row.summary ?? undefined, postRenderOptions(siteConfig(this.env)))
      } catch (err) {
        // A post this renderer cannot make (one the last could): it keeps its stored HTML and is
        // not tried again, so the rest are not held up behind it. Its next edit says why.
        console.error(JSON.stringify({ event: 'post.rerender_failed', id: row.id, error: String(err) }))
        this.sql.exec('UPDATE posts SET render_version = ? WHERE id = ?', RENDER_VERSION, row.id)
        continue
      }
      // A new revision: the list chunk holding the post is rebuilt, the KV record rewritten.
      const revision = row.revision + 1
      this.sql.exec(
        'UPDATE posts SET excerpt_html = ?, render_version = ?, revision = ?, kv_pending = 1, search_pending = 1 WHERE id = ?',
        rendered.excerptHtml,
        rendered.renderVersion,
        revision,
        row.id,
      )
      this.freshRecords.set(row.id, { revision, record: this.recordOf({ ...row, revision }, rendered) })
      this.setLinks(row.id, rendered.links)
    }
    if (rows.length > 0) this.setFlag('list_dirty', 1)
    return this.staleCount() > 0
  }

  /** Asks the next posts' objects to re-render their comments; true if more remain. */
  private async rerenderRoomsBatch(limit: number): Promise<boolean> {
    if (!this.flag('rerender_rooms')) return false
    const cursor = this.flag('rerender_room_cursor')
    const ids = this.sql
      .exec<{ id: string; rowid: number }>('SELECT id, rowid FROM posts WHERE rowid > ? ORDER BY rowid LIMIT ?', cursor, limit)
      .toArray()
    for (const { id, rowid } of ids) {
      await this.env.POST_ROOM.getByName(id).rerenderComments(true)
      this.setFlag('rerender_room_cursor', rowid)
    }
    if (ids.length < limit) {
      this.setFlag('rerender_rooms', 0)
      return false
    }
    return true
  }

  private hasPendingWork(): boolean {
    const pending = this.sql
      .exec<{ n: number }>(
        `SELECT (SELECT count(*) FROM posts WHERE ${PENDING_POSTS})
              + (SELECT count(*) FROM nav WHERE sent = 0) AS n`,
      )
      .one().n
    const backlinks = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM backlinks_pending b JOIN posts p ON p.id = b.to_id').one().n
    return (
      pending > 0 || backlinks > 0 || pendingAliasCount(this.sql) > 0 || this.flag('list_dirty') === 1 || this.flag('moves_pending') === 1
    )
  }

  /** Retries pending writes, writes a due snapshot and deletes retired chunks. Idempotent. */
  override async alarm(): Promise<void> {
    // Scheduled posts whose time has come join the pending work below; the next one sets the alarm again.
    this.publishDue()
    await this.scheduleNextPublication()
    const morePosts = await this.rerenderBatch(RERENDER_BATCH)
    const moreRooms = await this.rerenderRoomsBatch(RERENDER_BATCH * 4)
    if (morePosts || moreRooms) await this.scheduleAlarm(Date.now() + 1000)
    const snapshotDue = this.snapshotDue()
    if (Date.now() < snapshotDue && !this.hasPendingWork()) {
      // Only counts changed and the period has not passed: keep the snapshot's KV write rate.
      if (this.flag('snapshot_dirty')) await this.scheduleAlarm(snapshotDue)
      await this.collectGarbage()
      return
    }
    await this.flushNow()
  }

  // ---- backup (GET /api/export, POST /api/import: src/routes/backup.ts) ----------------------

  /** A post's registry row, kept versions and old ids, in any status; null if the id was never used. */
  backupPost(id: string): SitePostBackup | null {
    const row = this.row(id)
    if (!row) return null
    const revisions = this.sql
      .exec<{ revision: number; status: string; origin: string; modified_ms: number; fields: string; body: string }>(
        'SELECT revision, status, origin, modified_ms, fields, body FROM revisions WHERE post_id = ? ORDER BY revision DESC',
        id,
      )
      .toArray()
      .map((r): BackupRevision => ({
        revision: r.revision,
        status: r.status as PostStatus,
        origin: r.origin as PostOrigin,
        modifiedAt: r.modified_ms,
        fields: { ...(JSON.parse(r.fields) as Omit<PostFields, 'body'>), body: r.body },
      }))
    const movedFrom = this.sql
      .exec<{ from_id: string; moved_ms: number }>('SELECT from_id, moved_ms FROM moves WHERE to_id = ? ORDER BY from_id', id)
      .toArray()
      .map((m) => ({ id: m.from_id, movedAt: m.moved_ms }))
    return {
      id,
      status: row.status as PostStatus,
      revision: row.revision,
      origin: row.origin as PostOrigin,
      createdAt: row.created_ms,
      modifiedAt: row.modified_ms,
      syncHash: row.sync_hash,
      fields: postFields(row),
      revisions,
      movedFrom,
    }
  }

  /**
   * Posts in id order after `after` (every status, deleted ones included), at most `limit` of them
   * and, past the first, no more than about `maxBytes` of markdown; `more` says whether any follow.
   */
  backupPosts(after: string | null, limit: number, maxBytes: number): { posts: SitePostBackup[]; more: boolean } {
    const ids = this.sql
      .exec<{ id: string }>('SELECT id FROM posts WHERE id > ? ORDER BY id LIMIT ?', after ?? '', limit + 1)
      .toArray()
      .map((r) => r.id)
    const posts: SitePostBackup[] = []
    let bytes = 0
    for (const id of ids.slice(0, limit)) {
      if (posts.length > 0 && bytes >= maxBytes) break
      const post = this.backupPost(id)!
      bytes += post.fields.body.length + post.revisions.reduce((n, r) => n + r.fields.body.length, 0)
      posts.push(post)
    }
    return { posts, more: ids.length > posts.length }
  }

  /** Why a post with these ids cannot be restored here (an id that is a renamed post's old address), or null. */
  restoreConflict(id: string, movedFrom: { id: string }[]): string | null {
    const movedTo = this.row(id) ? null : this.movedTo(id)
    if (movedTo !== null) return `"${id}" is the old id of "${movedTo}" on this site`
    for (const m of movedFrom) {
      // (Its own id among its old ids would make its address redirect to itself.)
      if (m.id === id) return `its old ids include its own id "${id}"`
      const to = this.movedTo(m.id)
      if (this.row(m.id)) return `its old id "${m.id}" is a post on this site`
      if (to !== null && to !== id) return `its old id "${m.id}" already redirects to "${to}"`
    }
    return null
  }

  /**
   * Restores a post from a backup: its kept versions as they were (not rendered again), the
   * current version (rendered by the Worker) with its revision number, times and origin, its old
   * ids (redirects), and its object's rows (count, daily views, comments); then the usual flush
   * writes KV, lists, search and the snapshot. `skip` leaves an existing post alone.
   *
   * Like a rename, a restore takes its turn in the queue of KV side effects and holds other requests
   * back while it runs (blockConcurrencyWhile: an import is rare): the id is checked, the post's
   * object restored and the registry's rows written with nothing of the post changing in between
   * (a rename or a new post at that id between the check and the object's restore would have
   * received the backup's comments while the import reported the post failed or skipped).
   */
  async restorePost(req: ImportPostRequest): Promise<ImportPostOutcome> {
    const outcome = await this.queued(() =>
      this.ctx.blockConcurrencyWhile(() =>
        // (Answered, not thrown: an error out of blockConcurrencyWhile resets this object.)
        this.restore(req).catch((err: unknown): ImportPostOutcome => {
          console.error(JSON.stringify({ event: 'post.import_failed', id: req.id, error: String(err) }))
          return { ok: false, reason: `the post could not be stored: ${err instanceof Error ? err.message : String(err)}` }
        }),
      ),
    )
    // (After the gate, as for a rename: a flush queued behind another request's I/O would wait for an answer the gate holds back.)
    if (outcome.ok && outcome.result !== 'skipped') await this.flushNow()
    return outcome
  }

  /** The restore itself (restorePost: in the queue, behind the gate). */
  private async restore(req: ImportPostRequest): Promise<ImportPostOutcome> {
    const conflict = this.restoreConflict(req.id, req.movedFrom)
    if (conflict !== null) return { ok: false, reason: conflict }
    const existing = this.row(req.id)
    if (existing && req.mode === 'skip') return { ok: true, result: 'skipped' }
    // The post's object first: its pushes then reach a Site that keeps only these comments.
    try {
      await this.env.POST_ROOM.getByName(req.id).restoreBackup(req.id, req.room)
    } catch (err) {
      // (Answered, not thrown: an error out of blockConcurrencyWhile resets this object.)
      console.error(JSON.stringify({ event: 'post.import_failed', id: req.id, error: String(err) }))
      return { ok: false, reason: "the post's object could not be restored just now; try again" }
    }
    const { room } = req
    // Revision numbers never go back for an id: an ETag names one version, and isolates keep a post's
    // record by revision (a number used again could bring back another version's page).
    const revision = existing ? Math.max(req.revision, existing.revision + 1) : req.revision
    const f = req.fields
    const date = f.date ?? req.createdAt
    // A scheduled post whose time has passed meanwhile is published now, as the alarm would have.
    const status: PostStatus = req.status === 'scheduled' && date <= Date.now() ? 'published' : req.status
    const row: PostRow = {
      id: req.id,
      status,
      ...fieldColumns(f, siteConfig(this.env).author),
      date_ms: date,
      excerpt_html: req.rendered.excerptHtml,
      origin: req.origin,
      sync_hash: req.syncHash,
      created_ms: req.createdAt,
      modified_ms: req.modifiedAt,
      revision,
      kv_pending: 1,
      room_pending: 1,
      render_version: req.rendered.renderVersion,
      search_pending: 1,
      // Aliases another post holds here stay with it; a page's short address stays the page's.
      aliases: JSON.stringify(
        status === 'deleted'
          ? []
          : (f.aliases ?? []).filter((a) => !aliasConflict(this.sql, req.id, [a]) && !pageAddressConflict(this.sql, req.id, [a])),
      ),
    }
    this.ctx.storage.transactionSync(() => {
      this.sql.exec('DELETE FROM revisions WHERE post_id = ?', req.id)
      for (const r of req.revisions) {
        const { body, ...fields } = r.fields
        this.sql.exec(
          `INSERT INTO revisions (post_id, revision, status, title, date_ms, modified_ms, origin, fields, body)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          req.id,
          r.revision,
          r.status,
          fields.title,
          fields.date ?? date,
          r.modifiedAt,
          r.origin,
          JSON.stringify(fields),
          body,
        )
      }
      this.insertRow(row)
      setAliases(this.sql, req.id, JSON.parse(row.aliases) as string[])
      this.setLinks(req.id, status === 'deleted' ? [] : req.rendered.links)
      if (status !== 'published') this.markBacklinks(req.id)
      for (const m of req.movedFrom) {
        this.sql.exec(
          'INSERT INTO moves (from_id, to_id, moved_ms) VALUES (?, ?, ?) ON CONFLICT(from_id) DO UPDATE SET to_id = excluded.to_id, moved_ms = excluded.moved_ms',
          m.id,
          req.id,
          m.movedAt,
        )
      }
      this.sql.exec(
        'INSERT INTO stats (post_id, views, comments) VALUES (?, ?, ?) ON CONFLICT(post_id) DO UPDATE SET views = excluded.views, comments = excluded.comments',
        req.id,
        room.views,
        room.comments.filter((x) => x.status === 'approved').length,
      )
      this.sql.exec('DELETE FROM daily_views WHERE post_id = ?', req.id)
      for (const d of room.daily) this.sql.exec('INSERT INTO daily_views (post_id, day, views) VALUES (?, ?, ?)', req.id, d.day, d.views)
      // Comments of a replaced post that the backup does not have leave the moderation index and the sidebar.
      const keep = JSON.stringify(room.comments.map((x) => x.id))
      for (const table of ['comment_index', 'recent_comments'])
        this.sql.exec(`DELETE FROM ${table} WHERE post_id = ? AND comment_id NOT IN (SELECT value FROM json_each(?))`, req.id, keep)
      if (isNumericId(req.id) && Number(req.id) >= (this.flag('next_id') || 1)) this.setFlag('next_id', Number(req.id) + 1)
      this.setFlag('list_dirty', 1)
      this.setFlag('snapshot_dirty', 1)
      // The old ids' redirects are written by the flush after it (writeRedirects; again if one fails).
      if (req.movedFrom.length > 0) this.setFlag('moves_pending', 1)
    })
    if (status === 'deleted') this.freshRecords.delete(req.id)
    else this.freshRecords.set(req.id, { revision, record: this.recordOf(row, req.rendered) })
    if (status === 'scheduled') await this.scheduleNextPublication()
    return { ok: true, result: existing ? 'updated' : 'created' }
  }
}
