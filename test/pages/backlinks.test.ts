import { describe, expect, it } from 'vitest'
import { putPost, request, TOKEN, view } from '../helpers'
import { parseHtml } from '../html'

async function citedBy(id: string): Promise<string[]> {
  const page = parseHtml(await (await view(`/archives/${id}`)).text())
  const section = page.byClass('cited-by')[0]
  return section
    ? page
        .tags('a')
        .filter((a) => section && isInside(a, section))
        .map((a) => page.attr(a, 'href')!)
    : []
}

function isInside(node: { parent: unknown }, ancestor: unknown): boolean {
  for (let p = node.parent as { parent: unknown } | null; p; p = p.parent as { parent: unknown } | null) if (p === ancestor) return true
  return false
}

describe('被引用 (cited by)', () => {
  it('lists the posts that link to a post, and follows edits, deletes and late targets', async () => {
    await putPost('target', { title: 'Target', date: '2024-01-01' }, 'The original.')
    await putPost('cites-relative', { title: 'Relative', date: '2024-02-01' }, 'See [the target](/archives/target#section).')
    await putPost(
      'cites-absolute',
      { title: 'Absolute', date: '2024-03-01' },
      'See https://blog.example/archives/target and [again](/archives/target).',
    )
    await putPost('cites-other-site', { title: 'Other site', date: '2024-04-01' }, 'See https://other.example/archives/target.')
    expect(await citedBy('target')).toEqual(['/archives/cites-relative', '/archives/cites-absolute'])
    const section = parseHtml(await (await view('/archives/target')).text()).byClass('cited-by')
    expect(section).toHaveLength(1)

    await putPost('cites-relative', { title: 'Relative, link removed', date: '2024-02-01' }, 'No link any more.')
    expect(await citedBy('target')).toEqual(['/archives/cites-absolute'])
    await request('/api/posts/cites-absolute', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(await citedBy('target')).toEqual([])
    expect(parseHtml(await (await view('/archives/target')).text()).byClass('cited-by')).toHaveLength(0)

    await putPost('early', { title: 'Early', date: '2024-05-01' }, 'Links ahead to [a later post](/archives/later).')
    await putPost('later', { title: 'Later', date: '2024-06-01' }, 'Published after the link to it.')
    expect(await citedBy('later')).toEqual(['/archives/early'])
  })
})
