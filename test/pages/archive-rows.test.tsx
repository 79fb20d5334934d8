import { describe, expect, it } from 'vitest'
import { siteConfig } from '../../src/config'
import { strings } from '../../src/i18n'
import { formatDay, formatIsoLocal } from '../../src/lib/dates'
import type { ArchiveEntry } from '../../src/model'
import { archiveRows } from '../../src/views/finding'
import { parseHtml } from '../html'

const t = strings('zh')
const en = strings('en')

/** The archive's rows as they were written in JSX before archiveRows: what it must still send. */
const JsxRows = ({
  posts,
  counts,
  timeZone,
  t,
}: {
  posts: ArchiveEntry[]
  counts: Record<string, [number, number]>
  timeZone: string
  t: typeof en
}) => (
  <ul>
    {posts.map((p) => (
      <li>
        <time datetime={formatIsoLocal(p.date, timeZone)}>{formatDay(p.date, timeZone)}</time> <a href={`/archives/${p.id}`}>{p.title}</a>{' '}
        <a class="archive-comments" href={`/archives/${p.id}#comments`}>
          {t.comments(counts[p.id]?.[1] ?? 0)}
        </a>
      </li>
    ))}
  </ul>
)

const entry = (id: string, title: string, date: number): ArchiveEntry => ({
  id,
  title,
  date,
  updated: null,
  modifiedAt: date,
  category: null,
})

const posts = [
  entry('plain', '熵的几种解释', Date.UTC(2024, 2, 12, 13, 30)),
  entry('x&y', `<script>alert("x")</script> & 'quotes' > "double"`, Date.UTC(2023, 11, 31, 16, 0)),
  entry('late-night', 'Just before midnight UTC', Date.UTC(2024, 0, 1, 15, 59, 59)),
  entry('no-count', '&amp; already an entity', Date.UTC(1999, 0, 1)),
]
const counts: Record<string, [number, number]> = { plain: [10, 3], 'x&y': [0, 1], 'late-night': [5, 0] }

describe('the archive’s rows', () => {
  it.each([
    ['zh', t, siteConfig({}).timezone],
    ['en', en, 'America/New_York'],
    ['en', en, 'UTC'],
  ])('are the HTML the JSX made, escaped alike (%s, %s)', async (_, strings, timeZone) => {
    const jsx = String(await (<JsxRows posts={posts} counts={counts} timeZone={timeZone} t={strings} />).toString())
    expect(`<ul>${archiveRows(posts, counts, timeZone, strings)}</ul>`).toBe(jsx)
  })

  it('show the title as text, never as markup', () => {
    const page = parseHtml(`<ul>${archiveRows(posts, counts, 'Asia/Shanghai', t)}</ul>`)
    expect(page.tags('script')).toHaveLength(0)
    const links = page.tags('a').filter((a) => !page.attr(a, 'class'))
    expect(links.map((a) => page.text(a))).toEqual(posts.map((p) => p.title))
    expect(links.map((a) => page.attr(a, 'href'))).toEqual(posts.map((p) => `/archives/${p.id}`))
    expect(page.tags('time').map((x) => page.text(x))).toEqual(['2024-03-12', '2024-01-01', '2024-01-01', '1999-01-01'])
  })
})
