import type { FC } from 'hono/jsx'
import type { Strings } from '../i18n'
import type { SiteSnapshot } from '../model'

/** How many posts the 热门文章 widget lists (/popular lists them all). */
const POPULAR_IN_SIDEBAR = 10

/**
 * The sidebar of every page, from the site snapshot: 热门文章 (most read) and 最近评论 (author,
 * post title and a short excerpt, each linked to the comment).
 */
export const Sidebar: FC<{ t: Strings; snapshot: SiteSnapshot | null }> = ({ t, snapshot }) => {
  const recent = snapshot?.recent ?? []
  const popular = (snapshot?.popular ?? []).slice(0, POPULAR_IN_SIDEBAR)
  return (
    <>
      {popular.length > 0 ? (
        <section class="widget popular-posts">
          <h2 class="widget-title">{t.popularPosts}</h2>
          <ol>
            {popular.map((p) => (
              <li>
                <a href={`/archives/${p.id}`}>{p.title}</a> <span class="pp-views">{t.readers(p.views)}</span>
              </li>
            ))}
          </ol>
          <p class="widget-more">
            <a href="/popular">{t.morePopular} »</a>
          </p>
        </section>
      ) : null}
      <section class="widget recent-comments">
        <h2 class="widget-title">{t.recentComments}</h2>
        {recent.length === 0 ? (
          <p class="widget-empty">{t.noRecentComments}</p>
        ) : (
          <ul>
            {recent.map((c) => (
              <li>
                <a href={`/archives/${c.postId}/comments/${c.commentId}`}>
                  <span class="rc-author">{c.author}</span>
                  <span class="rc-sep">: </span>
                  <span class="rc-excerpt">{c.excerpt}</span>
                </a>
                <span class="rc-post">
                  {' '}
                  « <a href={`/archives/${c.postId}`}>{c.postTitle}</a>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}
