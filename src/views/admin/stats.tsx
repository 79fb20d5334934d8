import { raw } from 'hono/html'
import type { FC } from 'hono/jsx'
import type { Strings } from '../../i18n'
import { REACTION_EMOJI, type ReactionCounts, type ReactionKey } from '../../model'
import { barChartSvg, type Point } from '../charts'
import { StatusTabs } from './lists'

/** The periods the 统计 page offers, in days. */
export const STATS_PERIODS = ['7', '30', '90', '365'] as const

/** How the 统计 page ranks its posts: by readers in the period, or in all. */
export const STATS_RANKS = ['period', 'all'] as const
export type StatsRank = (typeof STATS_RANKS)[number]

/** A post in the 统计 page's table (GET /api/stats's `posts`). */
export interface StatsPostRow {
  id: string
  title: string
  views: number
  comments: number
  daily: Point[]
}

const sum = (points: readonly Point[]) => points.reduce((n, p) => n + p.views, 0)

/** The period links (近 7 天 …), the current one marked; `query` keeps the post of a post's page. */
const Periods: FC<{ t: Strings; days: number; query: string }> = ({ t, days, query }) => (
  <StatusTabs
    label={t.admin.statsRange}
    path="/admin/stats"
    current={String(days)}
    tabs={STATS_PERIODS.map((d) => [d, t.admin.statsDays(Number(d))])}
    hrefOf={(d) => `/admin/stats?${query}days=${d}`}
  />
)

/** The chart (server-drawn SVG, the page's colours) and, for those who cannot see it, its numbers day by day. */
const Chart: FC<{ t: Strings; points: Point[]; title: string }> = ({ t, points, title }) => (
  <figure class="admin-chart-figure">
    {raw(barChartSvg(points, title, true))}
    <details>
      <summary>{t.admin.statsDayByDay}</summary>
      <table class="admin-table">
        <thead>
          <tr>
            <th scope="col">{t.admin.colDay}</th>
            <th scope="col" class="admin-number">
              {t.admin.colReaders}
            </th>
          </tr>
        </thead>
        <tbody>
          {[...points].reverse().map((p) => (
            <tr>
              <td>{p.day}</td>
              <td class="admin-number">{t.admin.figure(p.views)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  </figure>
)

/** A label and its number (the page's totals). */
const Totals: FC<{ t: Strings; items: [label: string, value: number][] }> = ({ t, items }) => (
  <dl class="admin-totals">
    {items.map(([label, value]) => (
      <div>
        <dt>{label}</dt>
        <dd>{t.admin.figure(value)}</dd>
      </div>
    ))}
  </dl>
)

/** The whole site: readers in all and in the period, readers per day, the most read posts. */
export const SiteStatsView: FC<{
  t: Strings
  days: number
  rank: StatsRank
  totalViews: number
  site: Point[]
  posts: StatsPostRow[]
  lagSeconds: number
}> = ({ t, days, rank, totalViews, site, posts, lagSeconds }) => {
  const a = t.admin
  // The period links keep an all-time ranking (the default, the period's, needs no parameter).
  const kept = rank === 'all' ? 'rank=all&' : ''
  return (
    <>
      <Periods t={t} days={days} query={kept} />
      <Totals
        t={t}
        items={[
          [a.statsAllReaders, totalViews],
          [a.statsWindowReaders(days), sum(site)],
        ]}
      />
      <Chart t={t} points={site} title={a.statsSiteChart(days)} />
      <h2>{a.statsTop}</h2>
      <StatusTabs
        label={a.statsRankLabel}
        path="/admin/stats"
        current={rank}
        tabs={[
          ['period', a.statsRankPeriod(days)],
          ['all', a.statsRankAll],
        ]}
        hrefOf={(r) => `/admin/stats?days=${days}${r === 'all' ? '&rank=all' : ''}`}
      />
      {posts.length === 0 ? (
        <p>{a.statsNoReaders}</p>
      ) : (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">{a.colTitle}</th>
              <th scope="col" class="admin-number">
                {a.colReaders}
              </th>
              <th scope="col" class="admin-number">
                {a.colWindowReaders(days)}
              </th>
              <th scope="col" class="admin-number">
                {a.colCommentCount}
              </th>
            </tr>
          </thead>
          <tbody>
            {posts.map((p) => (
              <tr data-post-id={p.id}>
                <td>
                  <a href={`/admin/stats?post=${p.id}&days=${days}`}>{p.title}</a>
                  <span class="admin-id"> ({p.id})</span>
                </td>
                <td class="admin-number">{a.figure(p.views)}</td>
                <td class="admin-number">{a.figure(sum(p.daily))}</td>
                <td class="admin-number">{a.figure(p.comments)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="admin-hint">{a.statsLag(lagSeconds)}</p>
    </>
  )
}

/** One post: its exact readers and comments (from its object), readers per day, links to it and its comments. */
export const PostStatsView: FC<{
  t: Strings
  days: number
  id: string
  title: string
  published: boolean
  views: number
  comments: number
  /** The reactions the site offers (REACTIONS, in order) and the post's counts. */
  reactions: { keys: readonly ReactionKey[]; counts: ReactionCounts }
  daily: Point[]
}> = ({ t, days, id, title, published, views, comments, reactions, daily }) => {
  const a = t.admin
  return (
    <>
      <p>
        <a href={`/admin/stats?days=${days}`}>{a.statsBack}</a>
      </p>
      <Periods t={t} days={days} query={`post=${id}&`} />
      <Totals
        t={t}
        items={[
          [a.statsAllReaders, views],
          [a.statsWindowReaders(days), sum(daily)],
          [a.colCommentCount, comments],
        ]}
      />
      {reactions.keys.length > 0 ? (
        <>
          <h2>{a.statsReactions}</h2>
          <Totals t={t} items={reactions.keys.map((k) => [`${REACTION_EMOJI[k]} ${t.reactionLabels[k]}`, reactions.counts[k] ?? 0])} />
        </>
      ) : null}
      <Chart t={t} points={daily} title={a.statsPostChart(title, days)} />
      <p class="admin-actions">
        {published ? <a href={`/archives/${id}`}>{a.view}</a> : null}
        <a href={`/admin/edit/${id}`}>{a.edit}</a>
        <a href={`/admin/comments?status=approved&post=${id}`}>{a.postComments}</a>
      </p>
      <p class="admin-hint">{a.statsExact}</p>
    </>
  )
}
