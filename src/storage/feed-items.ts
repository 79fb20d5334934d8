import type { PostRecord } from '../model'
import { FEED_FORM_REVISION, feedForm, type FeedForm } from '../render/feed-html'
import { KV_KEYS } from './keys'

/**
 * A post's feed item as KV keeps it (`v1:feed-item:<id>`, docs/ARCHITECTURE.md): what a feed
 * shows of the post, with its HTML already in feed form (render/feed-html.ts). The Site object
 * writes it with the post's record, from the same record, so a feed is made from these small values
 * without parsing the records (the bench's are ~240 KB of JSON each, most of it KaTeX's glyph spans,
 * which a feed drops) or scanning their HTML: about 7 ms of a feed of ten such posts went to that.
 * A feed takes an item only when it is of the revision the post's list entry names and of this
 * code's form (FEED_FORM_REVISION); otherwise it reads the record as before.
 */
export type FeedItemRecord = FeedFields & {
  v: 1
  /** FEED_FORM_REVISION (render/feed-html.ts) of the code that made `html`. */
  form: string
  revision: number
  html: FeedForm
}

/** The fields of a post's record a feed shows (besides its HTML). */
export type FeedFields = Pick<
  PostRecord,
  'id' | 'title' | 'author' | 'date' | 'updated' | 'category' | 'tags' | 'description' | 'draft' | 'modifiedAt'
>

/** The feed item of a post's record (a record without a revision has none: its feeds read the record). */
export function buildFeedItem(record: PostRecord): FeedItemRecord | null {
  if (record.revision === undefined) return null
  return {
    v: 1,
    form: FEED_FORM_REVISION,
    id: record.id,
    revision: record.revision,
    title: record.title,
    author: record.author,
    date: record.date,
    updated: record.updated,
    category: record.category,
    tags: record.tags,
    description: record.description,
    draft: record.draft,
    modifiedAt: record.modifiedAt,
    html: feedForm(record.html),
  }
}

/** A KV value read as a feed item: null unless it is one of this code's form, for that post and revision. */
function usableFeedItem(value: unknown, id: string, revision: number): FeedItemRecord | null {
  if (value === null || typeof value !== 'object') return null
  const item = value as Partial<FeedItemRecord>
  if (item.v !== 1 || item.form !== FEED_FORM_REVISION || item.id !== id || item.revision !== revision) return null
  if (!Array.isArray(item.html) || item.html.length % 2 !== 1) return null
  return item as FeedItemRecord
}

/** The post's feed item if KV holds one of this code's form at the listed revision, else null (read the record). */
export async function readFeedItem(kv: KVNamespace, id: string, revision: number | undefined): Promise<FeedItemRecord | null> {
  if (revision === undefined) return null
  const text = await kv.get(KV_KEYS.feedItem(id), 'text')
  if (text === null) return null
  try {
    return usableFeedItem(JSON.parse(text), id, revision)
  } catch {
    return null // not JSON: read the record
  }
}
