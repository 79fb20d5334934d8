import { isReservedPageId } from '../lib/aliases'
import { isPostId } from '../lib/slug'
import { htmlToMarkdown } from './html-to-markdown'
import { ImportFormatError, parseComments, parseUtcDateTime, type ImportedComment } from './formats'
import { cleanAliases, offsetText, reportOf, type Conversion, type ConvertedPost, type ImportReport, type PostFrontMatter } from './convert'
import { wordpressContent } from './wp-content'
import { readWxr, WxrReadError, type WxrDocument, type WxrItem } from './wxr'

export { folderPosts, type FolderFile, type FolderFormat } from './folder-posts'
export { postMarkdown, type Conversion, type ConvertedPost, type ImportReport, type PostFrontMatter } from './convert'

/**
 * Converts a WordPress export (WXR 1.x) into this blog's posts: pure, runs in Node (the CLI,
 * `npm run blog -- import-wordpress`) and in workerd (the tests).
 *
 * | WXR | here |
 * | --- | --- |
 * | `title` | `title` |
 * | `content:encoded` (HTML, shortcodes) | the markdown body (wp-content.ts) |
 * | `excerpt:encoded` | `summary` |
 * | `dc:creator` | `author`: the `wp:author`'s display name |
 * | `wp:post_date` + `wp:post_date_gmt` | `date` with the blog's offset then (`2024-03-05T16:00:00+08:00`) |
 * | `wp:post_modified(_gmt)` | `updated`, when a minute or more after the date |
 * | `category domain="category"` | the first: `category` (+ `category_slug` from its nicename); the others become tags |
 * | `category domain="post_tag"` | `tags` (+ `tag_slugs` from the nicenames) |
 * | `wp:post_name` | the id (wxr.ts: a slug that is not an id is normalised, else the post number; the number when the permalink was `/archives/<n>`) |
 * | `wp:status` | publish → published; draft, pending → `draft: true`; future → published at its date (scheduled); private or with a password → `draft: true` |
 * | `wp:comment_status` closed | `comments: false` |
 * | `link`, `wp:post_id` | `aliases`: the old permalink's path and `/?p=<n>` (pages `/?page_id=<n>`) |
 * | `wp:comment` | the post's comments (formats.ts, the comment importer's own parser) |
 *
 * Pages become `type: page` posts, with their comments (a guestbook page keeps its guestbook);
 * attachments, menu items, revisions and other post types are skipped, each with its reason in the
 * report.
 */
export interface WxrPostOptions {
  /** Import pages as `type: page` posts (default); false leaves them out. */
  pages?: boolean
}

const IMPORTED_STATUSES = new Set(['publish', 'draft', 'pending', 'future', 'private'])
/** WordPress's default category, which a post gets when it has none. */
const DEFAULT_CATEGORY = 'uncategorized'

function wxrWhen(local: string, gmt: string): string | null {
  const l = parseUtcDateTime(local)
  if (l === null) return null
  const text = local.trim().replace(' ', 'T')
  const g = /^0000-00-00/.test(gmt) ? null : parseUtcDateTime(gmt)
  if (g === null) return text.replace('T', ' ')
  return text + offsetText(Math.round((l - g) / 60_000))
}

function slugOrNull(nicename: string): string | null {
  return isPostId(nicename) ? nicename : null
}

function convertItem(
  item: WxrItem,
  doc: WxrDocument,
  warn: (m: string) => void,
): { post?: PostFrontMatter & { body: string }; skip?: string } {
  const id = item.id!
  const title = item.title || ''
  if (!title.trim()) return { skip: 'no title' }
  const date = wxrWhen(item.postDate, item.postDateGmt)
  if (date === null) return { skip: `no readable date (wp:post_date "${item.postDate}")` }
  if (date.length <= 19) warn('no GMT date (a draft): the date is read in the blog’s TIMEZONE')
  const { markdown, warnings } = wordpressContent(item.content)
  for (const w of warnings) warn(w)
  if (!markdown.trim()) return { skip: 'empty content' }

  const fm: PostFrontMatter & { body: string } = { id, title: title.trim(), date, body: markdown }
  const author = doc.authors.find((a) => a.login === item.creator)
  if (item.creator) fm.author = author?.displayName || item.creator
  // Both local times are the blog's wall clock, so they compare without their offsets.
  const modified = wxrWhen(item.modified, item.modifiedGmt)
  const edited = (parseUtcDateTime(item.modified) ?? 0) - (parseUtcDateTime(item.postDate) ?? 0)
  if (modified && edited >= 60_000) fm.updated = modified

  const categories = item.terms.filter((t) => t.domain === 'category' && t.name && t.nicename !== DEFAULT_CATEGORY)
  const tags = item.terms.filter((t) => t.domain === 'post_tag' && t.name)
  const first = categories[0]
  if (first) {
    fm.category = first.name
    const slug = slugOrNull(first.nicename)
    if (slug) fm.category_slug = slug
  }
  const asTags = [...categories.slice(1), ...tags]
  if (categories.length > 1)
    warn(
      `one category per post here: ${categories
        .slice(1)
        .map((c) => `"${c.name}"`)
        .join(', ')} kept as tags`,
    )
  const tagNames = [...new Set(asTags.map((t) => t.name))]
  if (tagNames.length) fm.tags = tagNames
  // A Map, not an object: a tag may be called `constructor` or `__proto__`.
  const tagSlugs = new Map<string, string>()
  for (const t of asTags) {
    const slug = slugOrNull(t.nicename)
    if (slug && !tagSlugs.has(t.name)) tagSlugs.set(t.name, slug)
  }
  if (tagSlugs.size) fm.tag_slugs = Object.fromEntries(tagSlugs)

  const excerpt = htmlToMarkdown(item.excerpt, { newlines: true }).trim()
  if (excerpt) fm.summary = excerpt.slice(0, 2000)
  if (item.status === 'draft' || item.status === 'pending') fm.draft = true
  if (item.status === 'private') {
    fm.draft = true
    warn('a private post: imported as a draft (nobody but you sees it)')
  } else if (item.password) {
    fm.draft = true
    warn('password-protected: imported as a draft (this blog has no post passwords)')
  }
  if (item.commentStatus === 'closed') fm.comments = false
  if (item.postType === 'page') fm.type = 'page'
  fm.aliases = cleanAliases(
    id,
    [item.link, item.postType === 'page' ? `/?page_id=${item.postId}` : `/?p=${item.postId}`],
    warn,
    item.postType === 'page',
  )
  return { post: fm }
}

/** Converts a WXR file; throws ImportFormatError for a file that is not one. */
export function wxrPosts(xml: string, options: WxrPostOptions = {}): Conversion {
  let doc: WxrDocument
  try {
    doc = readWxr(xml)
  } catch (e) {
    if (e instanceof WxrReadError) throw new ImportFormatError(`WordPress export (WXR): ${e.message}`)
    throw e
  }
  const byPost = new Map<string, ImportedComment[]>()
  for (const c of parseComments('wxr', xml).comments) byPost.set(c.postRef, [...(byPost.get(c.postRef) ?? []), c])

  const posts: ConvertedPost[] = []
  const skipped: ImportReport['skipped'] = []
  const warnings: ImportReport['warnings'] = []
  for (const item of doc.items) {
    const source = `wordpress ${item.postType} ${item.postId}${item.title ? ` (${item.title})` : ''}`
    const skip = (reason: string) => skipped.push({ source, reason })
    if (item.postType === 'attachment') skip(`an attachment (${item.link || 'media file'}): media files are not imported`)
    else if (item.postType === 'page' && options.pages === false) skip('a page: pages were left out (--no-pages)')
    else if (item.postType === 'page' && item.id && isReservedPageId(item.id))
      skip(`a page whose id "${item.id}" is one of this blog's own addresses (/${item.id})`)
    else if (item.postType !== 'post' && item.postType !== 'page') skip(`post type ${item.postType} is not a post`)
    else if (!IMPORTED_STATUSES.has(item.status)) skip(`status ${item.status || '(none)'}`)
    else if (!item.id) skip(`no usable id (slug "${item.postName}", post number "${item.postId}")`)
    else {
      const local: string[] = []
      const result = convertItem(item, doc, (m) => local.push(m))
      if (result.skip) {
        skip(result.skip)
        continue
      }
      const { body, ...frontMatter } = result.post!
      if (item.idNote) warnings.push({ source, message: item.idNote })
      for (const message of local) warnings.push({ source, message })
      posts.push({ id: item.id, from: source, frontMatter, body, comments: byPost.get(item.id) ?? [] })
    }
  }
  return { posts, report: reportOf(posts, skipped, warnings) }
}
