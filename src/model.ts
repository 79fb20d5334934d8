/** Shapes shared by the Worker, the Durable Objects and the KV read model. */

/** `scheduled`: not a draft, but its date is still in the future (the Site object's alarm publishes it then). */
export type PostStatus = 'published' | 'draft' | 'scheduled' | 'deleted'

/** How the last write of a post arrived: the API, `npm start`'s content sync, or a KV repair. */
export type PostOrigin = 'api' | 'sync' | 'kv'

/** Validated post fields, with dates resolved to epoch ms. */
export interface PostFields {
  title: string
  author?: string
  date?: number
  updated?: number
  category?: string
  tags: string[]
  summary?: string
  draft: boolean
  /** Front matter `comments: false`: the post takes no comments. */
  commentsClosed?: boolean
  /** Front matter `reactions: false`: the post shows no reactions and takes none. */
  reactionsOff?: boolean
  /** Front matter `series`: posts sharing it are listed in order on each member. */
  series?: string
  /** Front matter `category_slug`: the category's URL slug (the site's CATEGORY_SLUGS mapping wins). */
  categorySlug?: string
  /** Front matter `tag_slugs` ({name: slug}): tag URL slugs (the site's TAG_SLUGS mapping wins). */
  tagSlugs?: Record<string, string>
  /** Front matter `type: page`: a standalone page, in no list, feed or archive (README: Pages). */
  type?: 'page'
  /** Front matter `nav: true` on a page: linked from the header. */
  nav?: boolean
  /** Front matter `aliases`: old addresses (normalised, src/lib/aliases.ts) that answer 301 to the post. */
  aliases?: string[]
  body: string
}

export type { TocEntry } from './render/render-markdown'
import type { TocEntry } from './render/render-markdown'

/**
 * A post's metadata as the Site object keeps it: what its KV record (storage/records.ts), its API
 * summary (objects/site.ts) and its list entries are made from.
 */
export interface PostMeta {
  id: string
  title: string
  author: string
  date: number
  updated: number | null
  category: string | null
  tags: string[]
  summary: string | null
  draft: boolean
  /** True when the post takes no comments. */
  commentsClosed: boolean
  /** True when the post shows no reactions (front matter `reactions: false`). */
  reactionsOff: boolean
  /** The series the post belongs to (front matter `series`). */
  series: string | null
  /** URL slugs of the category and of each tag (parallel to tags). */
  categorySlug: string | null
  tagSlugs: string[]
  /** 'page' for a standalone page (README: Pages), shown without date line, citation, series or neighbours; absent for a post. */
  type?: 'page'
}

/**
 * The metadata fields a KV record may lack: records stored before they existed (or, for
 * commentsClosed and reactionsOff, a post open to comments and reactions).
 */
type LaterRecordFields = 'commentsClosed' | 'reactionsOff' | 'categorySlug' | 'tagSlugs' | 'series'

/**
 * The KV record of a post (`v1:post:<id>`): metadata plus HTML rendered at publish time. commentsClosed
 * and reactionsOff are set only when true; categorySlug, tagSlugs and series are absent in records stored before they existed.
 */
export interface PostRecord extends Omit<PostMeta, LaterRecordFields>, Partial<Pick<PostMeta, LaterRecordFields>> {
  v: 1
  html: string
  excerptHtml: string
  description: string
  toc: TocEntry[]
  renderVersion: string
  modifiedAt: number
  /** The Site object's revision of the post when this record was written (absent in older records). */
  revision?: number
}

/** A KV tombstone left where a deleted post was. */
export interface DeletedRecord {
  v: 1
  id: string
  deleted: true
  deletedAt: number
}

/** A KV redirect left where a renamed post was: its pages answer 301 to `movedTo`. */
export interface MovedRecord {
  v: 1
  id: string
  movedTo: string
  movedAt: number
}

/** One post in a list chunk: what a list page shows. */
export interface ListEntry {
  id: string
  title: string
  author: string
  date: number
  category: string | null
  tags: string[]
  /** URL slugs of the category and tags (tagSlugs parallel to tags); absent in chunks written before they existed. */
  categorySlug?: string | null
  tagSlugs?: string[]
  excerptHtml: string
  /**
   * The post's revision (its KV record's): a chunk's key names its content, so an edit that leaves
   * the entry's other fields as they were still gives the chunk a new key (and the feeds, kept by
   * their chunks' keys, are made again); a feed checks each record it reads against it. Absent in
   * chunks written before it existed.
   */
  revision?: number
}

/** At most this many comments of a post are pinned (置顶) at once. */
export const MAX_PINNED_COMMENTS = 3

/**
 * The orders a reader may sort a post's comments in (the post page's 最早 / 最新 / 最热 links,
 * `?order=`): the two of COMMENT_ORDER, and `hot` (最热): the threads whose top-level comment has the
 * most likes (赞) first; among equally liked ones, the thread with more replies, then the older one.
 * Pinned threads come first on page 1 in every order (services/comment-thread.tsx).
 */
export const COMMENT_ORDERS = ['oldest', 'newest', 'hot'] as const
export type CommentOrder = (typeof COMMENT_ORDERS)[number]

/**
 * Post reactions (文章反应, "你认为这篇文章怎么样？"): the fixed catalogue, in its default order, each
 * key with its emoji (the labels are in i18n.ts). The keys are stored in a post's object and in
 * backups, so they never change; REACTIONS picks which are shown, and in which order (config.ts).
 */
export const REACTION_EMOJI = { like: '👍', insightful: '💡', mindblown: '🤯', confused: '🤔', love: '❤️' } as const
export type ReactionKey = keyof typeof REACTION_EMOJI
export const REACTION_KEYS = Object.keys(REACTION_EMOJI) as [ReactionKey, ...ReactionKey[]]
/** A post's reaction counts by key; a key nobody chose may be absent (0). */
export type ReactionCounts = Partial<Record<ReactionKey, number>>

/** Where a comment stands: shown, held for moderation, marked as spam, or deleted (content wiped). */
export type CommentStatus = 'approved' | 'pending' | 'spam' | 'deleted'

/** The statuses the moderation queue lists (a deleted comment is in none). */
export type QueueStatus = Exclude<CommentStatus, 'deleted'>

/** A comment as readers and the JSON API see it (never the e-mail address). */
export interface PublicComment {
  id: number
  /** The comment this one hangs under in the thread (an ancestor of `replyTo` when that was too deep). */
  parent: number | null
  /** The comment the writer replied to (the "@name" link); equals `parent` unless the thread was too deep. */
  replyTo: number | null
  /** 0 for a top-level comment; at most COMMENT_MAX_DEPTH − 1. */
  depth: number
  author: string
  url: string | null
  body: string
  html: string
  createdAt: number
  /** When the comment was last edited (by its writer or the blog's author), or null. */
  editedAt: number | null
  /** Written by the blog's author (with the admin token): shown with the author badge. */
  admin: boolean
  /** Key of the commenter's identicon (`/avatars/<key>.svg`), from a salted hash of the e-mail or name. */
  avatar: string
  /** `approved` for everything readers see; a writer's own held comment is `pending`; a wiped comment with replies `deleted`. */
  status: CommentStatus
  /**
   * Pinned by the blog's author (置顶): the comment's place in the post's pin order (smaller: pinned
   * earlier). Only an approved top-level comment has it; absent for every other comment.
   */
  pinned?: number
  /** How many readers like it (赞): only an approved comment with at least one like has it; absent otherwise (0). */
  likes?: number
}

/** A post that links to this one (the 被引用 list on a post page). */
export interface Backlink {
  id: string
  title: string
  date: number
}

/** One line of the 最近评论 sidebar. */
export interface RecentComment {
  postId: string
  postTitle: string
  commentId: number
  author: string
  excerpt: string
  createdAt: number
}

/**
 * The site snapshot (`v1:site`), written only by the Site object: where the list chunks are,
 * every listed post's counts, and the recent comments. List pages read this plus one or two chunks.
 */
export interface SiteSnapshot {
  v: 1
  generatedAt: number
  total: number
  chunkSize: number
  /** KV keys of the list chunks, oldest posts first; chunk keys are immutable (content-hashed). */
  chunks: string[]
  /** post id → [views, comments] */
  counts: Record<string, [number, number]>
  recent: RecentComment[]
  /** The most read posts (热门文章), most views first. */
  popular: { id: string; title: string; views: number }[]
  /** Every category with its published posts (the sidebar's 分类), by post count. */
  categories?: TermSummary[]
  /** The most used tags (the sidebar's tag cloud); /tags lists them all. */
  tags?: TermSummary[]
  /** KV key of the full term index (TermIndex, content-hashed, immutable). */
  termsKey?: string | null
  /** KV key of the archive (ArchiveEntry[], newest first; content-hashed, immutable). */
  archiveKey?: string | null
  /** Published standalone pages (`type: page`), by id: the sitemap, the header links (`nav`) and `/<id>`. */
  pages?: { id: string; title: string; nav: boolean; modifiedAt: number }[]
}

/** A category (one per post) or a tag (many per post). */
export type TermKind = 'category' | 'tag'

/** A term as lists show it: the slug in its URL, the display name and the number of published posts. */
export interface TermSummary {
  slug: string
  name: string
  count: number
}

/** A term's paginated post list: list chunks like the front page's, plus its newest post's date. */
export interface TermEntry extends TermSummary {
  /** KV keys of the term's list chunks, oldest posts first. */
  chunks: string[]
  /** The newest date (post date, or `updated`) among its posts (sitemap lastmod). */
  lastModified: number
}

/** Every term of the site (KV `v1:terms:<hash>`), each kind sorted by slug. */
export interface TermIndex {
  category: TermEntry[]
  tag: TermEntry[]
}

/** One published post in the archive (KV `v1:archive:<hash>`), newest first. */
export interface ArchiveEntry {
  id: string
  title: string
  date: number
  updated: number | null
  /** When the post was last stored (publish, edit or re-render). */
  modifiedAt: number
  category: string | null
}

/** A recent approved comment with its rendered HTML (KV `v1:recent-comments`, the comments feed). */
export interface RecentCommentFull extends RecentComment {
  html: string
}

/** A post's neighbours, pushed by the Site object to the post's object (shown under the post). */
export interface PostNav {
  /** The previous (older) and next (newer) published posts in time. */
  prev: Backlink | null
  next: Backlink | null
  /** The post's series: every published member in order (by date), when the post names one. */
  series: { name: string; posts: Backlink[] } | null
  /** Up to five posts sharing the most tags (and the category) with this one, most related first (相关文章); absent in a nav sent before they were. */
  related?: Backlink[]
}

/** Views of one day (`YYYY-MM-DD` in the site's time zone): a post's trend line. */
export interface DayCount {
  day: string
  views: number
}
