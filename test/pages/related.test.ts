import { beforeAll, describe, expect, it } from 'vitest'
import { putPost, request, TOKEN, view } from '../helpers'
import { parseHtml } from '../html'
import { RELATED_MAX_TERM_POSTS, RELATED_POSTS, relatedPosts, type RelatedInput } from '../../src/objects/site-related'

// Tags and a category only these posts use: `rel-rare` is on 4 posts, `rel-common` on 6 (so a
// shared rel-rare counts more than a shared rel-common, whatever else the site holds), RelCat on 3.
const POSTS: [id: string, date: string, meta: Record<string, unknown>][] = [
  ['rel-base', '2024-05-10', { category: 'RelCat', tags: ['rel-rare', 'rel-common'], series: 'RelSeries' }],
  ['rel-both', '2024-01-01', { category: 'RelCat', tags: ['rel-rare', 'rel-common'] }],
  ['rel-rare-only', '2024-05-01', { tags: ['rel-rare'] }],
  ['rel-common-near', '2024-05-09', { tags: ['rel-common'] }],
  ['rel-common-far', '2023-01-01', { tags: ['rel-common'] }],
  ['rel-common-far2', '2022-01-01', { tags: ['rel-common'] }],
  ['rel-cat-only', '2024-05-11', { category: 'RelCat' }],
  ['rel-series-mate', '2024-05-12', { tags: ['rel-rare', 'rel-common'], series: 'RelSeries' }],
  ['rel-alone', '2024-05-13', { tags: ['rel-alone'] }],
]

beforeAll(async () => {
  for (const [id, date, meta] of POSTS) {
    const res = await putPost(id, { title: `相关测试 ${id}`, date, ...meta }, `正文 $x^2$。`)
    expect(res.status, id).toBe(201)
  }
})

async function related(id: string): Promise<string[] | null> {
  const res = await view(`/archives/${id}`)
  expect(res.status).toBe(200)
  const page = parseHtml(await res.text())
  const section = page.byClass('related-posts')[0]
  if (!section) return null
  expect(page.text(page.tags('h2').find((h) => page.text(h) === '相关文章')!)).toBe('相关文章')
  return page
    .tags('a')
    .filter((a) => page.isInside(a, section))
    .map((a) => page.attr(a, 'href')!)
}

describe('related posts (相关文章)', () => {
  it('lists the posts sharing the most, rarer tags first, nearer in time on a tie, never the series', async () => {
    const links = await related('rel-base')
    expect(links).not.toBeNull()
    expect(links!.length).toBe(RELATED_POSTS)
    // Everything shared first; then the rarer tag; then the common tag, nearest in time first.
    expect(links!.slice(0, 2)).toEqual(['/archives/rel-both', '/archives/rel-rare-only'])
    expect(links!.indexOf('/archives/rel-common-near')).toBeLessThan(links!.indexOf('/archives/rel-common-far'))
    expect(links).not.toContain('/archives/rel-series-mate')
    expect(links).not.toContain('/archives/rel-base')
    expect(links).not.toContain('/archives/rel-alone')
  })

  it('shows no section for a post that shares nothing', async () => {
    expect(await related('rel-alone')).toBeNull()
  })

  it('follows an edit and a delete', async () => {
    expect((await putPost('rel-rare-only', { title: '相关测试 rel-rare-only', date: '2024-05-01', tags: ['rel-alone'] })).status).toBe(200)
    expect(await related('rel-base')).not.toContain('/archives/rel-rare-only')
    expect(await related('rel-alone')).toEqual(['/archives/rel-rare-only'])
    const del = await request('/api/posts/rel-both', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(del.status).toBe(200)
    expect(await related('rel-base')).not.toContain('/archives/rel-both')
  })
})

describe('relatedPosts', () => {
  const post = (id: string, day: number, terms: string[], series: string | null = null): RelatedInput => ({
    id,
    title: id,
    date_ms: Date.UTC(2024, 0, day),
    series,
    terms,
  })
  const lists = (rows: RelatedInput[]) => {
    const members = new Map<string, { id: string }[]>([['', rows.map((r) => ({ id: r.id }))]])
    for (const r of rows) for (const t of r.terms) members.set(t, [...(members.get(t) ?? []), { id: r.id }])
    return members
  }
  const ids = (m: Map<string, { id: string }[]>, id: string) => (m.get(id) ?? []).map((b) => b.id)

  it('weighs a shared tag by its rarity and a shared category by half of it', () => {
    const rows = [
      post('a', 10, ['category:c', 'tag:x', 'tag:y']),
      post('x', 1, ['tag:x']), // x: 2 posts of 8
      post('y', 2, ['tag:y']),
      post('y2', 3, ['tag:y']),
      post('y3', 4, ['tag:y']), // y: 4 posts of 8
      post('c', 5, ['category:c']), // c: 2 posts of 8, half weight
      post('n1', 6, ['tag:n']),
      post('n2', 7, ['tag:n']),
    ]
    const got = relatedPosts(rows, lists(rows))
    // ln(8/2) = 1.39 for x; ln(8/4) = 0.69 for y; 0.5 ln(8/2) = 0.69 for c: the tie goes to the nearer in time.
    expect(ids(got, 'a')).toEqual(['x', 'c', 'y3', 'y2', 'y'])
    expect(got.get('a')![0]).toEqual({ id: 'x', title: 'x', date: Date.UTC(2024, 0, 1) })
    expect(ids(got, 'n1')).toEqual(['n2'])
  })

  it('breaks a tie by nearness in time, then the newer post', () => {
    const rows = [
      post('a', 10, ['tag:t']),
      post('far-newer', 28, ['tag:t']),
      post('aa-near-older', 8, ['tag:t']),
      post('zz-near-newer', 12, ['tag:t']),
      post('other', 1, ['tag:u']),
      post('other2', 2, ['tag:u']),
    ]
    expect(ids(relatedPosts(rows, lists(rows)), 'a')).toEqual(['zz-near-newer', 'aa-near-older', 'far-newer'])
  })

  it('leaves out the series, a term on one post, and a term on too many posts to say anything', () => {
    const many = Array.from({ length: RELATED_MAX_TERM_POSTS + 1 }, (_, i) => post(`m${i}`, 1 + (i % 28), ['tag:everywhere']))
    const rows = [post('a', 10, ['tag:everywhere', 'tag:s', 'tag:solo'], 'S'), post('b', 11, ['tag:s'], 'S'), ...many]
    const got = relatedPosts(rows, lists(rows))
    expect(got.has('a')).toBe(false)
    expect(got.has('m0')).toBe(false)
  })

  it('counts a term on every post as nothing', () => {
    const rows = [post('a', 1, ['tag:all']), post('b', 2, ['tag:all'])]
    expect(relatedPosts(rows, lists(rows)).size).toBe(0)
  })
})
