/** Shapes shared by the Worker, the Durable Objects and the KV read model. */

export type PostStatus = 'published' | 'draft' | 'deleted'

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
  body: string
}

export type { TocEntry } from './render/render-markdown'
import type { TocEntry } from './render/render-markdown'

/** The KV record of a post (`v1:post:<id>`): metadata plus HTML rendered at publish time. */
export interface PostRecord {
  v: 1
  id: string
  title: string
  author: string
  date: number
  updated: number | null
  category: string | null
  tags: string[]
  summary: string | null
  draft: boolean
  html: string
  excerptHtml: string
  description: string
  toc: TocEntry[]
  renderVersion: string
  modifiedAt: number
}

/** A KV tombstone left where a deleted post was. */
export interface DeletedRecord {
  v: 1
  id: string
  deleted: true
  deletedAt: number
}

/** One post in a list chunk: what a list page shows. */
export interface ListEntry {
  id: string
  title: string
  author: string
  date: number
  category: string | null
  tags: string[]
  excerptHtml: string
}

/** A comment as readers and the JSON API see it (never the e-mail address). */
export interface PublicComment {
  id: number
  parent: number | null
  author: string
  url: string | null
  body: string
  html: string
  createdAt: number
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
}
