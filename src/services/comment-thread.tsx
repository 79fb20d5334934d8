import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import type { PublicComment } from '../model'
import { CommentThread } from '../views/comments'

/** A post's comments and their rendered thread, as of one version of the post's object. */
export interface Thread {
  postId: string
  version: number
  comments: PublicComment[]
  html: string
}

/**
 * Rendered threads kept in the isolate, keyed by post and checked against the object's
 * `commentsVersion` on every view: a post with hundreds of comments is rendered once per change,
 * not once per reader. Bounded by size; the least recently used thread goes first.
 */
const threads = new Map<string, Thread>()
let cachedChars = 0
const CACHE_CHARS = 8_000_000

export function cachedThread(postId: string): Thread | undefined {
  const hit = threads.get(postId)
  if (hit) {
    threads.delete(postId)
    threads.set(postId, hit)
  }
  return hit
}

export async function renderThread(
  postId: string,
  version: number,
  comments: PublicComment[],
  config: SiteConfig,
  t: Strings,
): Promise<Thread> {
  const html = String(await (<CommentThread comments={comments} config={config} t={t} />).toString())
  const thread: Thread = { postId, version, comments, html }
  const old = threads.get(postId)
  if (old) {
    cachedChars -= old.html.length
    threads.delete(postId)
  }
  if (html.length <= CACHE_CHARS / 4) {
    threads.set(postId, thread)
    cachedChars += html.length
    while (cachedChars > CACHE_CHARS) {
      const [oldestKey, oldest] = threads.entries().next().value!
      threads.delete(oldestKey)
      cachedChars -= oldest.html.length
    }
  }
  return thread
}
