/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * `npm run bench:cpu`: CPU time of the Worker's compose and render code, in Node, on the realistic
 * site of scripts/bench-site.ts (workerd freezes `performance.now()` and `Date.now()` while code
 * runs, so CPU cannot be timed inside the Worker; both run V8).
 *
 *   1. the front page's composition: Layout + the list of 10 entries (real excerpts rendered by the
 *      Worker's renderer from generated posts) + the sidebar (categories, tags, 热门文章, 最近评论),
 *      from a snapshot of the 1,000-post site;
 *   2. a post page's comment section for the hot post's 200 comments (rendered comment HTML, 50
 *      threads on page 1), uncached: what one view pays right after the comments changed (a
 *      cached thread costs nothing);
 *   3. a feed of the site's 10 newest posts (RSS, full content) made in an isolate that has made
 *      none before: from the posts' KV records (parse each record, make its HTML fit for feeds),
 *      as before feed items existed and as a feed still does for a post without one, and from
 *      their feed items (storage/feed-items.ts: parse the item, make its links absolute); the XML
 *      either way (the Worker then compresses it: not timed here);
 *   4. publishing: renderPost (body, excerpt, description) of a typical post of the site (median
 *      size) and of a 30 KB post with ~200 formulas.
 *
 * Each is run WARMUP times, then up to CPU_RUNS times within a time budget; p50 of wall-clock
 * (performance.now) and of process CPU (process.cpuUsage: user + system, which is what Workers bill,
 * GC included). The reads are compared with the Free plan's 10 ms CPU limit per request.
 * `npm run bench` also reports the workerd process's CPU per request for every route (from /proc).
 */
import type { Child } from 'hono/jsx'
import { siteConfig } from '../src/config'
import { strings } from '../src/i18n'
import type { ListEntry, PostRecord, PublicComment, SiteSnapshot } from '../src/model'
import { parseFrontMatter } from '../src/render/front-matter'
import { renderComment } from '../src/render/render-comment'
import { renderPost } from '../src/render/render-post'
import { feedFormHtml, feedHtml } from '../src/render/feed-html'
import { buildThread, threadPage } from '../src/services/comment-thread'
import { buildFeedItem, type FeedItemRecord } from '../src/storage/feed-items'
import { buildPostRecord } from '../src/storage/records'
import { feedItemOf, rssXml, type FeedPost } from '../src/views/feed-xml'
import { PostList } from '../src/views/front-page'
import { Layout } from '../src/views/layout'
import { Sidebar } from '../src/views/sidebar'
import { templatedPostPage, type PostPageView } from '../src/views/post-page-template'
import { formatDay } from '../src/lib/dates'
import { CATEGORIES, generateSite, heavyPost, TAGS } from './bench-site'

const RUNS = Math.max(1, Number(process.env.CPU_RUNS ?? 200))
const WARMUP = 5
const FREE_PLAN_CPU_MS = 10

const config = siteConfig({ SITE_TITLE: '基准站点', SITE_AUTHOR: '基准', LANGUAGE: 'zh', TIMEZONE: 'Asia/Shanghai' })
const t = strings('zh')

interface Timing {
  wallP50: number
  cpuP50: number
  cpuP99: number
  runs: number
}

function p(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

async function time(fn: () => unknown | Promise<unknown>, budgetMs: number): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await fn()
  const wall: number[] = []
  const cpu: number[] = []
  const started = performance.now()
  for (let i = 0; i < RUNS && performance.now() - started < budgetMs; i++) {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    await fn()
    wall.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  wall.sort((a, b) => a - b)
  cpu.sort((a, b) => a - b)
  return { wallP50: p(wall, 0.5), cpuP50: p(cpu, 0.5), cpuP99: p(cpu, 0.99), runs: wall.length }
}

const toHtml = async (node: Child): Promise<string> => String(await (node as { toString(): string | Promise<string> }).toString())
const macros = { macros: config.mathMacros }

async function main(): Promise<void> {
  console.log('generating the site (1,000 posts, 10,000 comments)…')
  const site = generateSite()
  const newest = site.posts.slice(-10).reverse()

  /** A generated post's list fields and its markdown body, as publishing stores them. */
  const listFields = (post: (typeof site.posts)[number]) => {
    const { data, body } = parseFrontMatter(post.markdown)
    const fields = {
      id: post.id,
      title: post.title,
      author: '基准',
      date: Date.parse(String(data.date).replace(' ', 'T') + ':00+08:00'),
      category: post.category,
      categorySlug: post.categorySlug,
      tags: post.tags,
      tagSlugs: post.tags.map((tag) => encodeURIComponent(tag)),
    }
    return { fields, body }
  }

  // 1. The front page: entries as the list chunks hold them (excerpts rendered at publish time).
  const entries: ListEntry[] = newest.map((post) => {
    const { fields, body } = listFields(post)
    return {
      ...fields,
      excerptHtml: renderPost(body, undefined, macros).excerptHtml,
    }
  })
  const counts: Record<string, [number, number]> = {}
  for (const post of site.posts) counts[post.id] = [1000 + Number(post.id), 10]
  const snapshot: SiteSnapshot = {
    v: 1,
    generatedAt: Date.now(),
    total: site.posts.length,
    chunkSize: 16,
    chunks: [],
    counts,
    recent: site.comments.slice(-10).map((c, i) => ({
      postId: c.postId,
      postTitle: site.posts[Number(c.postId) - 1]!.title,
      commentId: i + 1,
      author: c.author,
      excerpt: c.body.slice(0, 60),
      createdAt: Date.now() - i * 60_000,
    })),
    popular: site.posts.slice(0, 50).map((post, i) => ({ id: post.id, title: post.title, views: 5000 - i })),
    categories: CATEGORIES.map(([name, slug], i) => ({ slug, name, count: 200 - i * 20 })),
    tags: TAGS.map((name, i) => ({ slug: encodeURIComponent(name), name, count: 100 - i })),
  }
  const list = { entries, page: 1, pages: Math.ceil(site.posts.length / 10), total: site.posts.length }
  const frontPage = () =>
    toHtml(
      <Layout
        config={config}
        t={t}
        description={config.description}
        canonical="https://blog.example/"
        sidebar={<Sidebar t={t} snapshot={snapshot} links={config.links} />}
      >
        <PostList list={list} counts={snapshot.counts} config={config} t={t} />
      </Layout>,
    )
  const frontHtml = await frontPage()
  const front = await time(frontPage, 10_000)

  // 2. The hot post's 200 comments, rendered as posting renders them, threaded as the object stores them.
  const hotComments = site.comments.filter((c) => c.postId === site.hot)
  const comments: PublicComment[] = []
  hotComments.forEach((c, i) => {
    const parent = c.parentIndex !== undefined ? comments[c.parentIndex]! : undefined
    const depth = parent ? Math.min(parent.depth + 1, config.comments.maxDepth - 1) : 0
    const { html } = renderComment(c.body, macros)
    comments.push({
      id: i + 1,
      parent: parent ? (depth > parent.depth ? parent.id : parent.parent) : null,
      replyTo: parent?.id ?? null,
      depth,
      author: c.author,
      url: null,
      body: c.body,
      html,
      createdAt: Date.now() - (200 - i) * 60_000,
      editedAt: null,
      admin: false,
      avatar: `a${i}`,
      status: 'approved',
    })
  })
  let version = 0
  const commentSection = async () =>
    (await threadPage(buildThread(site.hot, ++version, comments, { like: 12, insightful: 3 }, config), 1, config, t)).html
  const sectionHtml = await commentSection()
  const thread = await time(commentSection, 10_000)

  // 2b. The hot post's page: its first view in an isolate (the thread built, its first comment page
  // rendered, the page's markup made into a template, filled and sent as it is: routes/pages.tsx),
  // and a later view of the same page (the kept template filled, gzip-compressed).
  const hot = listFields(site.posts.find((post) => post.id === site.hot)!)
  const hotRecord = buildPostRecord(
    {
      ...hot.fields,
      updated: null,
      summary: null,
      draft: false,
      commentsClosed: false,
      reactionsOff: false,
      series: null,
      modifiedAt: Date.now(),
      revision: 1,
    },
    renderPost(hot.body, undefined, macros),
  )
  const today = Date.now()
  const daily = Array.from({ length: 30 }, (_, i) => ({
    day: formatDay(today - (29 - i) * 86_400_000, config.timezone),
    views: 100 + i * 7,
  }))
  const hotView = async (threadVersion: number): Promise<PostPageView> => {
    const hotThread = buildThread(site.hot, threadVersion, comments, { like: 12, insightful: 3 }, config)
    const page = { number: 1, ...(await threadPage(hotThread, 1, config, t)) }
    return {
      config,
      t,
      id: site.hot,
      countable: true,
      url: `https://blog.example/archives/${site.hot}`,
      data: { kind: 'ok', record: hotRecord, views: 123_456, thread: hotThread, page, backlinks: [], nav: null, daily },
      snapshot,
      html: page.html,
      replyTo: undefined,
      ownOpen: [],
      closed: false,
      extras: {},
    }
  }
  const formTimeValue = `${today}.${'x'.repeat(32)}`
  // (Each first view has a new comments version, so neither its thread nor its template is kept.)
  const firstView = async () => (await templatedPostPage(await hotView(++version), formTimeValue, false)).bytes
  const firstBytes = await firstView()
  const postFirst = await time(firstView, 15_000)
  const keptView = await hotView(++version)
  const laterView = async () => {
    const filled = await templatedPostPage(keptView, formTimeValue, true)
    if (!filled.gzip) throw new Error('the kept template did not answer gzip-compressed')
    return filled.bytes
  }
  // Its first request is answered as it is; the second compresses the end.
  await templatedPostPage(keptView, formTimeValue, true)
  const laterBytes = await laterView()
  const postLater = await time(laterView, 10_000)

  // 3. A feed of the 10 newest posts, from the values KV holds for them: records and feed items.
  const recordTexts: string[] = []
  const itemTexts: string[] = []
  for (const [i, post] of newest.entries()) {
    const { body } = parseFrontMatter(post.markdown)
    const meta = {
      ...entries[i]!,
      updated: null,
      summary: null,
      draft: false,
      commentsClosed: false,
      reactionsOff: false,
      series: null,
      categorySlug: null,
      tagSlugs: [],
    }
    const record = buildPostRecord({ ...meta, modifiedAt: meta.date, revision: 1 }, renderPost(body, undefined, macros))
    recordTexts.push(JSON.stringify(record))
    itemTexts.push(JSON.stringify(buildFeedItem(record)))
  }
  const feedOf = (posts: FeedPost[]) => {
    const items = posts.map((post) => feedItemOf(post, `https://blog.example/archives/${post.id}`))
    const info = { title: config.title, description: config.description, link: 'https://blog.example/', self: 'https://blog.example/feed' }
    return rssXml({ ...info, language: t.htmlLang, author: config.author, timeZone: config.timezone, updated: items[0]!.updated }, items)
  }
  const fromRecords = () =>
    feedOf(
      recordTexts.map((text) => {
        const record = JSON.parse(text) as PostRecord
        return { ...record, html: (url: string) => feedHtml(record.html, url) }
      }),
    )
  const fromItems = () =>
    feedOf(
      itemTexts.map((text) => {
        const item = JSON.parse(text) as FeedItemRecord
        return { ...item, html: (url: string) => feedFormHtml(item.html, url) }
      }),
    )
  const feedXml = fromItems()
  if (fromRecords() !== feedXml) throw new Error('the feed made from feed items differs from the one made from records')
  const feedRecords = await time(fromRecords, 10_000)
  const feedItems = await time(fromItems, 10_000)
  const total = (texts: string[]) => texts.reduce((n, x) => n + Buffer.byteLength(x), 0)

  // 4. Publishing.
  const typical = [...site.posts].sort((a, b) => a.bytes - b.bytes)[Math.floor(site.posts.length / 2)]!
  const heavy = heavyPost()
  const bodyOf = (markdown: string) => parseFrontMatter(markdown).body
  const typicalBody = bodyOf(typical.markdown)
  const heavyBody = bodyOf(heavy.markdown)
  const heavyOut = renderPost(heavyBody, undefined, macros)
  const formulas = (html: string) => html.split('class="katex"').length - 1
  const typicalOut = renderPost(typicalBody, undefined, macros)
  const publishTypical = await time(() => renderPost(typicalBody, undefined, macros), 15_000)
  const publishHeavy = await time(() => renderPost(heavyBody, undefined, macros), 20_000)

  const kb = (s: string | number) => `${((typeof s === 'string' ? Buffer.byteLength(s) : s) / 1024).toFixed(1)} KB`
  const line = (name: string, x: Timing, note: string) =>
    console.log(
      `${name.padEnd(44)} CPU p50 ${x.cpuP50.toFixed(2).padStart(7)} ms  p99 ${x.cpuP99.toFixed(2).padStart(7)} ms  (wall p50 ${x.wallP50.toFixed(2)} ms, ${x.runs} runs)  ${note}`,
    )
  const budget = (x: Timing) => `${((x.cpuP50 / FREE_PLAN_CPU_MS) * 100).toFixed(0)}% of the Free plan's ${FREE_PLAN_CPU_MS} ms`
  console.log('')
  line('front page composition (10 entries)', front, `${kb(frontHtml)} of HTML; ${budget(front)}`)
  line('200-comment section, uncached (page 1)', thread, `${kb(sectionHtml)} of HTML; ${budget(thread)}`)
  line(
    'post page (200 comments), first view',
    postFirst,
    `thread, comment page, markup, template made and filled: ${kb(firstBytes.length)} of HTML; ${budget(postFirst)}`,
  )
  line(
    'post page (200 comments), later view',
    postLater,
    `the kept template filled: ${kb(laterBytes.length)} gzip-compressed; ${budget(postLater)}`,
  )
  line(
    'feed of 10 posts, from their records',
    feedRecords,
    `${kb(total(recordTexts))} of records read; ${kb(feedXml)} of XML; ${budget(feedRecords)}`,
  )
  line('feed of 10 posts, from their feed items', feedItems, `${kb(total(itemTexts))} of feed items read; ${budget(feedItems)}`)
  line(`publish: typical post (${kb(typical.bytes)})`, publishTypical, `${formulas(typicalOut.html)} formulas`)
  line(
    `publish: ${kb(heavy.bytes)} post`,
    publishHeavy,
    `${formulas(heavyOut.html)} formulas, ${heavyOut.mathErrors} errors; ${budget(publishHeavy)}`,
  )
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
