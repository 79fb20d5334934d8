import { describe, expect, it } from 'vitest'
import { strings } from '../../src/i18n'
import { PostStatsView, SiteStatsView } from '../../src/views/admin/stats'
import { parseHtml } from '../html'

const daily = [
  { day: '2026-11-28', views: 1200 },
  { day: '2026-11-29', views: 34_567 },
]

/** The statistics pages' figures as the page shows them: the totals, then the table cells. */
function figures(html: string): string[] {
  const page = parseHtml(html)
  return [...page.tags('dd'), ...page.byClass('admin-number').filter((e) => e.name === 'td')].map((e) => page.text(e))
}

describe('the admin statistics pages', () => {
  it('group the digits of large figures, in both languages', () => {
    // (Both languages group by thousands with a comma.)
    for (const language of ['zh', 'en'] as const) {
      const t = strings(language)
      const site = String(
        <SiteStatsView
          t={t}
          days={7}
          rank="period"
          totalViews={1_234_567}
          site={daily}
          posts={[{ id: 'big', title: 'Big', views: 1_234_567, comments: 12_345, daily }]}
          lagSeconds={30}
        />,
      )
      // Totals (all readers, the period's), the day-by-day table (newest first), the post's row.
      expect(figures(site)).toEqual(['1,234,567', '35,767', '34,567', '1,200', '1,234,567', '35,767', '12,345'])
      const post = String(
        <PostStatsView
          t={t}
          days={7}
          id="big"
          title="Big"
          published
          views={1_234_567}
          comments={12_345}
          reactions={{ keys: ['like'], counts: { like: 2048 } }}
          daily={daily}
        />,
      )
      expect(figures(post).slice(0, 4)).toEqual(['1,234,567', '35,767', '12,345', '2,048'])
    }
  })
})
