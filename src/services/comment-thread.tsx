import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import { COMMENT_ORDERS, type CommentOrder, type PublicComment, type ReactionCounts } from '../model'
import { CommentThread } from '../views/comments'

/**
 * A post's visible comments as of one version of the post's object, split into comment pages:
 * a page holds COMMENTS_PER_PAGE top-level comments (in `order`: COMMENT_ORDER, or the one a reader
 * asked for) with all their replies. Pinned threads (置顶) come first on page 1, in pin order,
 * whatever the order, and on no other page; the other threads are paged as if they were not there.
 */
export interface Thread {
  postId: string
  version: number
  comments: PublicComment[]
  /** The post's reaction counts (文章反应) of the same version: a reaction is a new comments version. */
  reactions: ReactionCounts
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
  order: CommentOrder
  /** Its key in the isolate's cache: the post's id for COMMENT_ORDER's thread, else the id and the order (threadKey). */
  key: string
}

/**
 * Threads kept in the isolate, keyed by post and checked against the object's
 * `commentsVersion` on every view: a post with hundreds of comments is rendered once per change,
 * not once per reader. A post read in another order than COMMENT_ORDER has that order's thread
 * besides, under its own key (threadKey). Bounded by the size of their rendered pages, all orders
 * together; the least recently used thread goes first.
 */
const threads = new Map<string, Thread>()
const sizes = new Map<string, number>()
let cachedChars = 0
const CACHE_CHARS = 8_000_000

/** A thread's key in the cache: COMMENT_ORDER's thread under the post's id (as before readers could sort), another order's beside it. */
function threadKey(postId: string, order: CommentOrder | undefined, config: SiteConfig): string {
  return order === undefined || order === config.comments.order ? postId : `${postId} ${order}`
}

/** The kept thread of a post, in COMMENT_ORDER or (`order`) in the order a reader asked for. */
export function cachedThread(postId: string, config: SiteConfig, order?: CommentOrder): Thread | undefined {
  const key = order === undefined ? postId : threadKey(postId, order, config)
  const hit = threads.get(key)
  if (!hit || hit.perPage !== config.comments.perPage || hit.order !== (order ?? config.comments.order)) return undefined
  threads.delete(key)
  threads.set(key, hit)
  return hit
}

/** Forgets a kept thread (and the size of its pages). */
function forget(key: string): void {
  if (!threads.delete(key)) return
  cachedChars -= sizes.get(key) ?? 0
  sizes.delete(key)
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

/**
 * The top-level comments of the hot order (最热): most likes first; among equally liked ones, the
 * thread with more visible replies, then the older one (the smaller id).
 */
function hotFirst(tops: PublicComment[], rootIds: Map<number, number>, comments: PublicComment[]): number[] {
  const replies = new Map<number, number>()
  for (const c of comments) {
    const root = rootIds.get(c.id)!
    if (root !== c.id && c.status === 'approved') replies.set(root, (replies.get(root) ?? 0) + 1)
  }
  return [...tops]
    .sort((a, b) => (b.likes ?? 0) - (a.likes ?? 0) || (replies.get(b.id) ?? 0) - (replies.get(a.id) ?? 0) || a.id - b.id)
    .map((c) => c.id)
}

/**
 * Builds (and keeps) a post's thread in COMMENT_ORDER, or in `order` when a reader asked for one.
 * Building a post's thread for a newer version forgets its threads in the other orders made for an
 * older one (they would never be used again).
 */
export function buildThread(
  postId: string,
  version: number,
  comments: PublicComment[],
  reactions: ReactionCounts,
  config: SiteConfig,
  asked?: CommentOrder,
): Thread {
  const { perPage } = config.comments
  const order = asked ?? config.comments.order
  const byId = new Map(comments.map((c) => [c.id, c]))
  const rootIds = new Map(comments.map((c) => [c.id, rootOf(c, byId)]))
  const tops = comments.filter((c) => rootIds.get(c.id) === c.id)
  const pinned = tops.filter((c) => c.pinned !== undefined).sort((a, b) => a.pinned! - b.pinned!)
  const unpinned = tops.filter((c) => c.pinned === undefined)
  const others = order === 'hot' ? hotFirst(unpinned, rootIds, comments) : unpinned.map((c) => c.id)
  if (order === 'newest') others.reverse()
  const rootPage = new Map<number, number>(others.map((id, i) => [id, Math.floor(i / perPage) + 1]))
  for (const c of pinned) rootPage.set(c.id, 1)
  const rank = new Map([...pinned.map((c) => c.id), ...others].map((id, i) => [id, i]))
  const pageOf = new Map(comments.map((c) => [c.id, rootPage.get(rootIds.get(c.id)!) ?? 1]))
  const thread: Thread = {
    postId,
    version,
    comments,
    reactions,
    pages: Math.max(1, Math.ceil(others.length / perPage)),
    pageOf,
    rootOf: rootIds,
    rank,
    pinned: pinned.length,
    rendered: new Map(),
    perPage,
    order,
    key: threadKey(postId, order, config),
  }
  forget(thread.key)
  for (const other of COMMENT_ORDERS) {
    const key = threadKey(postId, other, config)
    if (key !== thread.key && (threads.get(key)?.version ?? version) < version) forget(key)
  }
  threads.set(thread.key, thread)
  sizes.set(thread.key, 0)
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
  // (A thread in a reader's order keeps it in its reply links.)
  const order = thread.order === config.comments.order ? undefined : thread.order
  const html = String(
    await (<CommentThread comments={comments} postId={thread.postId} config={config} t={t} closed={closed} order={order} />).toString(),
  )
  const rendered = { html, comments }
  if (threads.get(thread.key) === thread) {
    thread.rendered.set(key, rendered)
    sizes.set(thread.key, (sizes.get(thread.key) ?? 0) + html.length)
    cachedChars += html.length
    while (cachedChars > CACHE_CHARS && threads.size > 1) {
      const [oldestKey] = threads.keys()
      if (oldestKey === undefined || oldestKey === thread.key) break
      forget(oldestKey)
    }
  }
  return rendered
}

/**
 * Comments in the order a page shows them: thread by thread (pinned threads first, then the
 * thread's order), and inside a thread in the order they were written. A comment the thread does
 * not hold (a writer's own held comment) goes with the thread it answers; a held top-level one
 * where a new thread would be: after the pinned ones when the newest come first, else last (in
 * the hot order too: no like, no reply, the newest).
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
