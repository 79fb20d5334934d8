import type { FC } from 'hono/jsx'
import type { Strings } from '../i18n'
import type { RecentComment } from '../model'

/** The 最近评论 list: author, post title and a short excerpt, each linked to the comment. */
export const Sidebar: FC<{ t: Strings; recent: RecentComment[] }> = ({ t, recent }) => (
  <section class="widget recent-comments">
    <h2 class="widget-title">{t.recentComments}</h2>
    {recent.length === 0 ? (
      <p class="widget-empty">{t.noRecentComments}</p>
    ) : (
      <ul>
        {recent.map((c) => (
          <li>
            <a href={`/archives/${c.postId}#comment-${c.commentId}`}>
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
)
