import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import type { PublicComment } from '../model'
import { CommentThread } from '../views/comments'

/**
 * A post's visible comments as of one version of the post's object, split into comment pages:
 * a page holds COMMENTS_PER_PAGE top-level comments (in COMMENT_ORDER) with all their replies.
 * Pinned threads (置顶) come first on page 1, in pin order, whatever COMMENT_ORDER says, and on no
 * other page; the other threads are paged as if they were not there.
 */
export interface Thread {
  postId: string
  version: number
  comments: PublicComment[]
  /** How many comment pages (at least 1). */
  pages: number
  /** Comment id → its page. */
  pageOf: Map<number, number>
  /** Comment id → the top-level comment it hangs under (itself for a top-level one). */
  rootOf: Map<number, number>
  /** Top-level comment id → its place among the threads (pinned ones first, then COMMENT_ORDER). */
  rank: Map<number, number>
  /** How many threads are pinned (the first `pinned` ranks). */
  pinned: number
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
  const rootIds = new Map(comments.map((c) => [c.id, rootOf(c, byId)]))
  const tops = comments.filter((c) => rootIds.get(c.id) === c.id)
  const pinned = tops.filter((c) => c.pinned !== undefined).sort((a, b) => a.pinned! - b.pinned!)
  const others = tops.filter((c) => c.pinned === undefined).map((c) => c.id)
  if (order === 'newest') others.reverse()
  const rootPage = new Map<number, number>(others.map((id, i) => [id, Math.floor(i / perPage) + 1]))
  for (const c of pinned) rootPage.set(c.id, 1)
  const rank = new Map([...pinned.map((c) => c.id), ...others].map((id, i) => [id, i]))
  const pageOf = new Map(comments.map((c) => [c.id, rootPage.get(rootIds.get(c.id)!) ?? 1]))
  const thread: Thread = {
    postId,
    version,
    comments,
    pages: Math.max(1, Math.ceil(others.length / perPage)),
    pageOf,
    rootOf: rootIds,
    rank,
    pinned: pinned.length,
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
  const comments = inThreadOrder(
    thread,
    thread.comments.filter((c) => thread.pageOf.get(c.id) === page),
  )
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

/**
 * Comments in the order a page shows them: thread by thread (pinned threads first, then
 * COMMENT_ORDER), and inside a thread in the order they were written. A comment the thread does
 * not hold (a writer's own held comment) goes with the thread it answers; a held top-level one
 * where a new thread would be: after the pinned ones when the newest come first, else last.
 */
export function inThreadOrder(thread: Thread, comments: PublicComment[]): PublicComment[] {
  const fresh = thread.order === 'newest' ? thread.pinned - 0.5 : Number.POSITIVE_INFINITY
  const rankOf = (c: PublicComment) => {
    const root = thread.rootOf.get(c.id) ?? (c.parent === null ? undefined : thread.rootOf.get(c.parent))
    return root === undefined ? fresh : (thread.rank.get(root) ?? fresh)
  }
  const ranks = new Map(comments.map((c) => [c.id, rankOf(c)]))
  return [...comments].sort((a, b) => ranks.get(a.id)! - ranks.get(b.id)! || a.id - b.id)
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
