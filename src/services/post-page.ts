import type { SiteConfig } from '../config'
import { strings } from '../i18n'
import { setNewest } from '../lib/bounded'
import { formatDay } from '../lib/dates'
import { AppError } from '../lib/errors'
import { retrying, siteObject, roomObject } from '../lib/stubs'
import type { Backlink, CommentOrder, PostNav, PostRecord, PublicComment } from '../model'
import type { OpenRequest, OpenResult } from '../objects/post-room'
import { unpackDays } from '../objects/view-counter'
import { readPost, type StoredPost } from '../storage/read-model'
import { buildPostRecord } from '../storage/records'
import { buildThread, cachedThread, threadPage } from './comment-thread'
import { commentsClosed } from './comments'
import { openPost } from './view-route'
import type { PostCommentsData, PostPageData } from './post-page-data'

/** Post records by id, kept while the post's object reports the same revision (a hot post skips its KV read). */
const heldRecords = new Map<string, PostRecord>()
/** Posts kept: at ~50–100 KB a record, a few MB of the isolate's 128 MB. */
const HELD_LIMIT = 64

function holdRecord(record: PostRecord): void {
  setNewest(heldRecords, record.id, record, HELD_LIMIT)
}

/**
 * The post's stored record and its object's answer, asked in parallel. A record this isolate holds
 * stands in for the KV read when the object confirms its revision; otherwise (another revision, or
 * a record without one) KV is read after all. The record is then held, or forgotten, by what the
 * object said. Post pages and the post's comments feed both read a post this way.
 */
async function recordAndObject(env: Cloudflare.Env, id: string, open: () => Promise<OpenResult>): Promise<[StoredPost, OpenResult]> {
  const held = heldRecords.get(id)
  let [stored, opened] = await Promise.all([
    held ? Promise.resolve<StoredPost>({ kind: 'post', record: held }) : readPost(env.POSTS, id),
    open(),
  ])
  if (held && (opened.revision === null || held.revision !== opened.revision)) stored = await readPost(env.POSTS, id)
  if (stored.kind === 'post' && stored.record.revision !== undefined && stored.record.revision === opened.revision)
    holdRecord(stored.record)
  else heldRecords.delete(id)
  return [stored, opened]
}

/**
 * A post's neighbours and backlinks as the object sends them (JSON, as it stores them), parsed once
 * per distinct text: every view of a post then gets the same objects, which the page's template
 * compares by identity. Shared between requests, so never changed.
 */
const parsedMeta = new Map<string, unknown>()
const PARSED_META_LIMIT = 256

function parsedOnce<T>(json: string): T {
  let value = parsedMeta.get(json)
  if (value === undefined) {
    value = JSON.parse(json) as unknown
    setNewest(parsedMeta, json, value, PARSED_META_LIMIT)
  }
  return value as T
}

/**
 * Loads a post page: the KV record and the post object's call (which records the view and
 * returns the exact count and the comments) run in parallel. The object is the authority on
 * whether the post exists; KV holds its HTML. Two rare repairs happen here: a markdown-only KV
 * record is rendered and registered (the only rendering a read ever does), and a rendered record
 * whose object was reset is registered again.
 *
 * `order`: the comments in an order a reader asked for (`?order=`), when it is not COMMENT_ORDER.
 * That order's thread is kept beside COMMENT_ORDER's (services/comment-thread.ts); when only
 * COMMENT_ORDER's is at hand and still current, the other order is made from its comments, with no
 * further call to the post's object.
 */
export async function loadPostPage(
  env: Cloudflare.Env,
  config: SiteConfig,
  id: string,
  view: OpenRequest,
  commentPage = 1,
  order?: CommentOrder,
): Promise<PostPageData> {
  const room = roomObject(env, id)
  const known = order === undefined ? cachedThread(id, config) : (cachedThread(id, config, order) ?? cachedThread(id, config))
  const open = (count: boolean): Promise<OpenResult> => {
    const req = { ...view, countView: view.countView && count, knownVersion: known?.version ?? -1 }
    // A call that records a view is not retried (it may have been counted); one that only reads is.
    return req.countView ? openPost(env, config, id, req) : retrying(() => openPost(env, config, id, req))
  }
  let [stored, opened] = await recordAndObject(env, id, () => open(true))
  let counted = opened.counted

  if (stored.kind === 'moved') return { kind: 'moved', to: stored.to }
  // Renamed away: the object knows where to, even while KV (here) still holds the old record.
  if (opened.status === 'deleted')
    return opened.movedTo === undefined ? { kind: 'gone' } : { kind: 'moved', to: opened.movedTo, temporary: true }
  if (opened.status === 'draft' || opened.status === 'scheduled') return { kind: 'missing' }

  if (stored.kind === 'markdown') {
    // Publishing is loaded for the repair only (render/load.ts).
    const { parseMarkdownPost, publishPost } = await import('./publish')
    let post
    try {
      post = parseMarkdownPost(stored.text, config.timezone)
    } catch (err) {
      console.error(JSON.stringify({ event: 'post.repair_failed', id, error: String(err) }))
      return opened.status === 'published' ? { kind: 'unavailable' } : { kind: 'missing' }
    }
    let published
    try {
      published = await publishPost(env, config, { id, post, origin: 'kv', source: stored.text })
    } catch (err) {
      // A post the API would refuse (a tag with no address, a page under a reserved id) is, to a
      // reader, like one that does not parse; the author hears of it from the log and from a PUT.
      if (!(err instanceof AppError) || err.status >= 500) throw err
      console.error(JSON.stringify({ event: 'post.repair_failed', id, error: err.message }))
      return opened.status === 'published' ? { kind: 'unavailable' } : { kind: 'missing' }
    }
    const { outcome, rendered } = published
    if (!outcome.ok) return { kind: 'missing' }
    console.log(JSON.stringify({ event: 'post.repaired', id }))
    stored = { kind: 'post', record: buildPostRecord(outcome.post, rendered) }
    opened = await open(!counted)
    counted ||= opened.counted
  } else if (opened.status === 'unknown') {
    if (stored.kind === 'deleted') return { kind: 'gone' }
    if (stored.kind !== 'post') return { kind: 'missing' }
    const status = await siteObject(env).adopt(stored.record)
    if (status !== 'published') return status === 'deleted' ? { kind: 'gone' } : { kind: 'missing' }
    opened = await open(true)
    counted = opened.counted
  }

  if (opened.status !== 'published') return { kind: 'missing' }
  if (stored.kind !== 'post') {
    // Counted for a page we cannot serve: take the view back so the count stays exact.
    if (counted) await room.retractView(view.day)
    return { kind: 'unavailable' }
  }
  // (The reaction counts come with the comments, of the same version: kept in the thread, they cost a view nothing more.)
  const thread =
    opened.comments === null && known && known.version === opened.commentsVersion
      ? order === undefined || known.order === order
        ? known
        : buildThread(id, known.version, known.comments, known.reactions, config, order)
      : opened.comments !== null
        ? buildThread(id, opened.commentsVersion, opened.comments, opened.reactions ?? {}, config, order)
        : await retrying(() => room.listComments()).then((l) =>
            buildThread(id, opened.commentsVersion, l.comments, l.reactions, config, order),
          )
  if (commentPage > thread.pages) return { kind: 'no-such-page' }
  const closed = commentsClosed(stored.record, config)
  const page = { number: commentPage, ...(await threadPage(thread, commentPage, config, strings(config.language), closed)) }
  return {
    kind: 'ok',
    record: stored.record,
    views: opened.views,
    thread,
    page,
    backlinks: parsedOnce<Backlink[]>(opened.backlinksJson),
    nav: opened.navJson === null ? null : parsedOnce<PostNav>(opened.navJson),
    daily: unpackDays(opened.dailyPacked),
  }
}

/**
 * A post's comments as readers see them, for the post's comments feed (routes/feeds.ts): the same
 * call a comment page makes (the post's object, or its shard while it is sharded, asked without
 * counting a view and with the comments version this isolate's kept thread holds) and the post's
 * KV record (none when this isolate holds the record of the revision the object names), in
 * parallel: one object call and at most one KV read. Unlike loadPostPage it repairs nothing (a
 * markdown-only record, an object that does not know its post): the post's page does that on its
 * next view, and until then the feed answers as the citation files do (404). The comments it gets
 * are kept as the post's thread (no comment page is rendered), for the post page and the next read.
 */
export async function loadPostComments(env: Cloudflare.Env, config: SiteConfig, id: string): Promise<PostCommentsData> {
  const known = cachedThread(id, config)
  const req: OpenRequest = {
    countView: false,
    day: formatDay(Date.now(), config.timezone),
    shardAbove: config.shardAboveViewsPerSecond,
    knownVersion: known?.version ?? -1,
  }
  const [stored, opened] = await recordAndObject(env, id, () => retrying(() => openPost(env, config, id, req)))
  if (stored.kind === 'moved') return { kind: 'moved', to: stored.to }
  if (opened.status === 'deleted')
    return opened.movedTo === undefined ? { kind: 'gone' } : { kind: 'moved', to: opened.movedTo, temporary: true }
  if (opened.status === 'unknown') return stored.kind === 'deleted' ? { kind: 'gone' } : { kind: 'missing' }
  if (opened.status !== 'published') return { kind: 'missing' }
  if (stored.kind === 'markdown') return { kind: 'missing' }
  if (stored.kind !== 'post') return { kind: 'unavailable' }
  // (`comments: null`: the object's version is the one asked with, the kept thread's. The last way,
  // a second call, is for safety only: it is not reached.)
  let comments: PublicComment[]
  if (opened.comments !== null) comments = buildThread(id, opened.commentsVersion, opened.comments, opened.reactions ?? {}, config).comments
  else if (known && known.version === opened.commentsVersion) comments = known.comments
  else comments = (await retrying(() => roomObject(env, id).listComments())).comments
  return { kind: 'ok', record: stored.record, comments }
}
