import type { Backlink, DayCount, PostNav, PostRecord, PublicComment } from '../model'
import type { Thread } from './comment-thread'

/** What loading a post page (services/post-page.ts, loadPostPage) comes to; its own module, free of the runtime's types, for the views and the CPU harness. */
export type PostPageData =
  | {
      kind: 'ok'
      record: PostRecord
      views: number
      thread: Thread
      /** The requested comment page, rendered. */
      page: { number: number; html: string; comments: PublicComment[] }
      backlinks: Backlink[]
      nav: PostNav | null
      daily: DayCount[]
    }
  /** A comment page past the last one. */
  | { kind: 'no-such-page' }
  /**
   * The post was renamed: its pages answer 301 to the new id (KV's redirect record), or 302 while
   * only its old object says so (`temporary`: KV's redirect not written or not seen here yet, and
   * until the copy is confirmed the rename may still be undone).
   */
  | { kind: 'moved'; to: string; temporary?: true }
  | { kind: 'missing' }
  | { kind: 'gone' }
  /** The post's object says published but this location's KV has no record yet. */
  | { kind: 'unavailable' }

/** What loading a post's comments for its feed (services/post-page.ts, loadPostComments) comes to. */
export type PostCommentsData =
  | {
      kind: 'ok'
      record: PostRecord
      /** The comments readers see, oldest first (placeholders of hidden comments among them: status `deleted`). */
      comments: PublicComment[]
    }
  | Extract<PostPageData, { kind: 'moved' | 'missing' | 'gone' | 'unavailable' }>
