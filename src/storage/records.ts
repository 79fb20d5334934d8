import type { PostMeta, PostRecord } from '../model'
import type { RenderedPost } from '../render/render-post'

/** The metadata a KV post record carries. */
export interface RecordMeta extends PostMeta {
  modifiedAt: number
  revision: number
}

/** Builds the KV record of a post from its metadata and its publish-time rendering. */
export function buildPostRecord(meta: RecordMeta, rendered: RenderedPost): PostRecord {
  return {
    v: 1,
    id: meta.id,
    title: meta.title,
    author: meta.author,
    date: meta.date,
    updated: meta.updated,
    category: meta.category,
    tags: meta.tags,
    summary: meta.summary,
    draft: meta.draft,
    ...(meta.commentsClosed ? { commentsClosed: true } : {}),
    ...(meta.reactionsOff ? { reactionsOff: true } : {}),
    categorySlug: meta.categorySlug,
    tagSlugs: meta.tagSlugs,
    series: meta.series,
    ...(meta.type === 'page' ? { type: 'page' as const } : {}),
    html: rendered.html,
    excerptHtml: rendered.excerptHtml,
    description: rendered.description,
    toc: rendered.toc,
    renderVersion: rendered.renderVersion,
    modifiedAt: meta.modifiedAt,
    revision: meta.revision,
  }
}
