import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import type { PublicComment } from '../model'
import { CommentThread } from '../views/comments'

/**
 * A post's visible comments as of one version of the post's object, split into comment pages:
 * a page holds COMMENTS_PER_PAGE top-level comments (in COMMENT_ORDER) with all their replies.
 */
export interface Thread {
  postId: string
  version: number
  comments: PublicComment[]
  /** How many comment pages (at least 1). */
  pages: number
  /** Comment id → its page. */
  pageOf: Map<number, number>
  /** The rendered pages, made on first use (key: page, and whether replies are closed). */
  rendered: Map<string, { html: string; comments: PublicComment[] }>
  perPage: number
  order: 'oldest' | 'newest'
}

/**
 * Threads kept in the isolate, keyed by post and checked against the object's
 * `commentsVersion` on every view: a post with hundreds of comments is rendered once per change,
 * not once per reader. Bounded by size; the least recently used thread goes first.
 */
const threads = new Map<string, Thread>()
const sizes = new Map<string, number>()
let cachedChars = 0
const CACHE_CHARS = 8_000_000

export function cachedThread(postId: string, config: SiteConfig): Thread | undefined {
  const hit = threads.get(postId)
  if (!hit || hit.perPage !== config.comments.perPage || hit.order !== config.comments.order) return undefined
  threads.delete(postId)
  threads.set(postId, hit)
  return hit
}

/** The top-level comment each comment hangs under. */
function rootOf(c: PublicComment, byId: Map<number, PublicComment>): number {
  let node = c
  for (let guard = 0; node.parent !== null && guard < 100; guard++) {
    const up = byId.get(node.parent)
    if (!up) break
    node = up
  }
  return node.id
}

export function buildThread(postId: string, version: number, comments: PublicComment[], config: SiteConfig): Thread {
  const { perPage, order } = config.comments
  const byId = new Map(comments.map((c) => [c.id, c]))
  const roots = comments.filter((c) => rootOf(c, byId) === c.id).map((c) => c.id)
  if (order === 'newest') roots.reverse()
  const rootPage = new Map(roots.map((id, i) => [id, Math.floor(i / perPage) + 1]))
  const pageOf = new Map(comments.map((c) => [c.id, rootPage.get(rootOf(c, byId)) ?? 1]))
  const thread: Thread = {
    postId,
    version,
    comments,
    pages: Math.max(1, Math.ceil(roots.length / perPage)),
    pageOf,
    rendered: new Map(),
    perPage,
    order,
  }
  const old = threads.get(postId)
  if (old) {
    cachedChars -= sizes.get(postId) ?? 0
    threads.delete(postId)
  }
  threads.set(postId, thread)
  sizes.set(postId, 0)
  return thread
}

/** One comment page, rendered once per version. */
export async function threadPage(
  thread: Thread,
  page: number,
  config: SiteConfig,
  t: Strings,
  /** Comments are closed: no reply links. */
  closed = false,
): Promise<{ html: string; comments: PublicComment[] }> {
  const key = `${page}:${closed ? 1 : 0}`
  const hit = thread.rendered.get(key)
  if (hit) return hit
  let comments = thread.comments.filter((c) => thread.pageOf.get(c.id) === page)
  if (thread.order === 'newest') {
    // Newest threads first; inside a thread, replies stay in the order they were written.
    const byId = new Map(thread.comments.map((c) => [c.id, c]))
    const rank = new Map<number, number>()
    for (const c of comments) rank.set(c.id, -rootOf(c, byId))
    comments = [...comments].sort((a, b) => rank.get(a.id)! - rank.get(b.id)! || a.id - b.id)
  }
  const html = String(await (<CommentThread comments={comments} postId={thread.postId} config={config} t={t} closed={closed} />).toString())
  const rendered = { html, comments }
  if (threads.get(thread.postId) === thread) {
    thread.rendered.set(key, rendered)
    sizes.set(thread.postId, (sizes.get(thread.postId) ?? 0) + html.length)
    cachedChars += html.length
    while (cachedChars > CACHE_CHARS && threads.size > 1) {
      const [oldestKey] = threads.keys()
      if (oldestKey === undefined || oldestKey === thread.postId) break
      threads.delete(oldestKey)
      cachedChars -= sizes.get(oldestKey) ?? 0
      sizes.delete(oldestKey)
    }
  }
  return rendered
}

/** Renders a page that is not cached: for a writer who also sees their own held comments. */
export async function renderComments(
  postId: string,
  comments: PublicComment[],
  config: SiteConfig,
  t: Strings,
  closed = false,
): Promise<string> {
  return String(await (<CommentThread comments={comments} postId={postId} config={config} t={t} closed={closed} />).toString())
}
