import type { FC } from 'hono/jsx'
import type { SiteLink } from '../config'
import type { Strings } from '../i18n'
import type { SiteSnapshot } from '../model'
import { termPath } from '../lib/slug'
import { TagCloud } from './finding'

/** How many posts the 热门文章 widget lists (/popular lists them all). */
const POPULAR_IN_SIDEBAR = 10
/** Categories in the sidebar, most posts first (/categories lists them all). */
const CATEGORIES_IN_SIDEBAR = 30

/**
 * The sidebar of every page, from the site snapshot: 热门文章 (most read, with 随机一篇: /random),
 * 分类 (categories with their post counts), 标签 (the most used tags as a cloud) and 最近评论
 * (author, post title and a short excerpt, each linked to the comment); then, from the settings,
 * 友情链接 (SITE_LINKS).
 */
export const Sidebar: FC<{ t: Strings; snapshot: SiteSnapshot | null; links: SiteLink[] }> = ({ t, snapshot, links }) => {
  const recent = snapshot?.recent ?? []
  const popular = (snapshot?.popular ?? []).slice(0, POPULAR_IN_SIDEBAR)
  const categories = (snapshot?.categories ?? []).slice(0, CATEGORIES_IN_SIDEBAR)
  const tags = [...(snapshot?.tags ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const pages = (snapshot?.pages ?? []).filter((p) => p.nav)
  return (
    <>
      {pages.length > 0 ? (
        <section class="widget site-pages">
          <h2 class="widget-title">{t.sitePages}</h2>
          <ul>
            {pages.map((p) => (
              <li>
                <a href={`/archives/${p.id}`}>{p.title}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
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
            <a href="/popular">{t.morePopular} »</a> ·{' '}
            <a href="/random" rel="nofollow">
              {t.randomPost} »
            </a>
          </p>
        </section>
      ) : null}
      {categories.length > 0 ? (
        <section class="widget categories">
          <h2 class="widget-title">{t.category}</h2>
          <ul>
            {categories.map((x) => (
              <li>
                <a href={termPath('category', x.slug)}>{x.name}</a> <span class="term-count">({x.count})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {tags.length > 0 ? (
        <section class="widget tags">
          <h2 class="widget-title">{t.tags}</h2>
          <TagCloud tags={tags} max={Math.max(1, ...tags.map((x) => x.count))} t={t} />
          <p class="widget-more">
            <a href="/tags">{t.moreTags} »</a>
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
      {links.length > 0 ? (
        <section class="widget site-links">
          <h2 class="widget-title">{t.siteLinks}</h2>
          <ul>
            {links.map((l) => (
              <li>
                <a href={l.url} title={l.description || undefined}>
                  {l.name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}
