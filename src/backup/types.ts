/** Shapes of a site backup as the Site and PostRoom objects hand it over (GET/POST /api/export|import). */
import type { CommentStatus, PostFields, PostOrigin, PostStatus, ReactionCounts } from '../model'
import type { RenderedPost } from '../render/render-post'

/** One kept previous version of a post. */
export interface BackupRevision {
  revision: number
  status: PostStatus
  origin: PostOrigin
  modifiedAt: number
  fields: PostFields
}

/** What the Site object holds about a post: its registry row, kept versions and old ids. */
export interface SitePostBackup {
  id: string
  status: PostStatus
  revision: number
  origin: PostOrigin
  createdAt: number
  modifiedAt: number
  /** sha-256 of the content file of its last sync (content sync stays idempotent after a restore). */
  syncHash: string | null
  fields: PostFields
  /** Kept previous versions, newest first. */
  revisions: BackupRevision[]
  /** Ids this post was renamed from (their addresses redirect here). */
  movedFrom: { id: string; movedAt: number }[]
}

/** One comment with everything its post's object stores but the transient idempotency key. */
export interface BackupComment {
  id: number
  parent: number | null
  replyTo: number | null
  depth: number
  author: string
  email: string | null
  url: string | null
  body: string
  html: string
  excerpt: string
  status: CommentStatus
  createdAt: number
  editedAt: number | null
  admin: boolean
  avatar: string
  notify: boolean
  bodyHash: string
  importKey: string | null
  renderVersion: string
  /** Pinned (置顶): its place in the post's pin order, 1 for the earliest pinned; null if not pinned. */
  pinned: number | null
  /** How many readers like it (赞); who they are (the liker keys) is not exported. */
  likes: number
}

/** What a post's object holds: its exact reader count, views per day and every comment. */
export interface RoomBackup {
  views: number
  daily: { day: string; views: number }[]
  comments: BackupComment[]
  /** Post reactions (文章反应): each reaction's count; who chose which is not exported. Absent: none. */
  reactions?: ReactionCounts
  /**
   * Views imported from another system's page counters (POST /api/import/comments), by counter key
   * (`waline:/archives/x/`): already part of `views`; kept so that importing the same file again adds
   * nothing. Absent: none.
   */
  importedViews?: Record<string, number>
}

/** A post to restore, as the Worker hands it to the Site object (the current version rendered). */
export interface ImportPostRequest extends SitePostBackup {
  /** skip: leave an existing post alone; replace: overwrite it. */
  mode: 'skip' | 'replace'
  rendered: RenderedPost
  /**
   * The post object's rows (count, daily views, comments): the Site object restores them in the
   * post's object itself, after its checks and before its own rows, with nothing of the post's
   * changing in between.
   */
  room: RoomBackup
}

export type ImportPostOutcome = { ok: true; result: 'created' | 'updated' | 'skipped' } | { ok: false; reason: string }
