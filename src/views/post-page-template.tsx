/**
 * A post page's markup (`postPageMarkup`) and the kept template it is sent from
 * (`templatedPostPage`): what routes/pages.tsx composes for a loaded post, kept apart from the route
 * so that the CPU harness (`npm run bench:cpu`) times the same code in Node.
 */
import type { Child } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import { formatDay } from '../lib/dates'
import { fromTemplate, slot } from '../lib/page-template'
import type { CommentOrder, PublicComment, SiteSnapshot } from '../model'
import type { PostPageData } from '../services/post-page-data'
import type { CommentFormValues } from './comments'
import { Layout } from './layout'
import { PostHead, PostPage, trendHtml } from './post-page'
import { RSS_TYPE } from './seo'
import { Sidebar } from './sidebar'

export interface PostPageExtras {
  /** The form as the reader left it (after a refused comment, or for a preview). */
  values?: CommentFormValues
  previewHtml?: string
  /** Shown above the form: why a comment was refused. */
  problem?: string
  status?: ContentfulStatusCode
}

/** Everything a post page's markup depends on, besides the four per-request slots. */
export interface PostPageView {
  config: SiteConfig
  t: Strings
  id: string
  countable: boolean
  /** The post's address. */
  url: string
  data: Extract<PostPageData, { kind: 'ok' }>
  snapshot: SiteSnapshot | null
  /** The comment page's markup (with the writer's held comments, if any). */
  html: string
  replyTo: PublicComment | undefined
  ownOpen: { id: number; until: number }[]
  /** Whether the post takes no more comments. */
  closed: boolean
  extras: PostPageExtras
  /**
   * The comment order the reader asked for (`?order=`), even COMMENT_ORDER; absent at the post's own
   * addresses. Such a page names the post's address as its canonical one.
   */
  order?: CommentOrder
}

/** The four values that differ from reader to reader: the count, the trend line and the form's two fields. */
export interface PostPageSlots {
  viewsText: Child
  trend: Child
  formKey: string
  formTime: string
}

export function postPageMarkup(v: PostPageView, s: PostPageSlots) {
  const { config, t, data, extras } = v
  const { record, views, thread, page, backlinks, nav, daily } = data
  const canonical = v.order === undefined && (page.number > 1 || !v.countable) ? `${v.url}/comment-page-${page.number}` : v.url
  const asked = v.order === config.comments.order ? undefined : v.order
  return (
    <Layout
      config={config}
      t={t}
      title={page.number > 1 ? `${record.title} – ${t.commentPage(page.number)}` : record.title}
      description={record.description}
      canonical={canonical}
      sidebar={<Sidebar t={t} snapshot={v.snapshot} links={config.links} />}
      head={<PostHead post={record} config={config} t={t} url={v.url} />}
      // The post's own comments feed (routes/feeds.ts), before the site's: part of the kept template, as the title is.
      feeds={[{ title: t.postCommentsFeedTitle(record.title), href: `/archives/${v.id}/comments/feed`, type: RSS_TYPE }]}
      ogType={record.type === 'page' ? 'website' : 'article'}
    >
      {extras.problem ? (
        <p class="form-problem" role="alert">
          {extras.problem}
        </p>
      ) : null}
      <PostPage
        post={record}
        views={views}
        viewsText={s.viewsText}
        trend={s.trend}
        backlinks={backlinks}
        nav={nav}
        daily={daily}
        comments={{
          total: thread.comments.filter((x) => x.status === 'approved').length,
          html: v.html,
          page: page.number,
          pages: thread.pages,
          sort: thread.rank.size - thread.pinned >= 2 ? { order: thread.order, defaultOrder: config.comments.order } : undefined,
          order: asked,
          own: v.ownOpen,
          problem: extras.problem,
          form: {
            formKey: s.formKey,
            formTime: s.formTime,
            replyTo: v.replyTo,
            closed: v.closed,
            turnstileSiteKey: config.comments.turnstileSiteKey ?? undefined,
            moderation: config.comments.moderation,
            values: extras.values,
            previewHtml: extras.previewHtml,
          },
        }}
        reactions={{ keys: config.reactions, counts: thread.reactions }}
        config={config}
        t={t}
        url={v.url}
      />
    </Layout>
  )
}

/**
 * The same page for every reader but for its count, trend line and form fields: a template kept per
 * post, comment page, comment order and day (citations carry the date), made again when the record, the comments,
 * the closed state, the snapshot (sidebar), the neighbours or the 被引用 list change. Every slot is in
 * the post's header (the form's two per-request fields too: they sit there with form="respond"), so
 * all that follows is sent as compressed once to a client that accepts gzip.
 */
export async function templatedPostPage(v: PostPageView, formTimeValue: string, gzip: boolean) {
  const { config, t, data } = v
  const { record, views, thread, page, backlinks, nav, daily } = data
  const key = [
    v.id,
    page.number,
    v.countable,
    record.revision,
    record.modifiedAt,
    thread.version,
    thread.order,
    v.closed,
    formatDay(Date.now(), config.timezone),
    v.url,
    v.order,
  ].join('|')
  // (The object's neighbours and backlinks arrive parsed once per text, so the same content is the same object: services/post-page.ts.)
  const sources = [v.snapshot, nav, backlinks]
  return fromTemplate(
    key,
    sources,
    async () =>
      String(await postPageMarkup(v, { viewsText: slot('V'), trend: slot('T'), formKey: slot('K'), formTime: slot('F') }).toString()),
    { V: t.readers(views), T: trendHtml(daily, config, t), K: crypto.randomUUID(), F: formTimeValue },
    gzip,
  )
}
