import { describe, expect, it } from 'vitest'
import walineText from './fixtures/import/waline.json?raw'
import twikooText from './fixtures/import/twikoo.json?raw'
import artalkText from './fixtures/import/artalk.artrans?raw'
import wxrText from './fixtures/import/wordpress.xml?raw'
import { parseComments, postIdFromRef } from '../src/import/formats'
import { putPost, request, TOKEN } from './helpers'
import { parseHtml } from './html'

const ADMIN = { authorization: `Bearer ${TOKEN}` }

function importFile(format: string, body: string, headers: Record<string, string> = ADMIN) {
  return request(`/api/import/comments?format=${format}`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body })
}

interface ImportAnswer {
  imported: number
  posts: { id: string; imported: number; skipped: number }[]
  skipped: { sourceId: string; reason: string }[]
}

describe('importing comments from Waline, Twikoo, Artalk and WordPress', () => {
  it('imports each format into the right posts, keeping threads, dates, authors and statuses, once', async () => {
    await putPost('entropy-notes', { title: '熵' })
    await putPost('fourier-series', { title: 'Fourier' })
    for (const [format, text] of [
      ['waline', walineText],
      ['twikoo', twikooText],
      ['artalk', artalkText],
      ['wxr', wxrText],
    ] as const) {
      const expected = parseComments(format, text).comments.filter((c) =>
        ['entropy-notes', 'fourier-series'].includes(postIdFromRef(c.postRef) ?? ''),
      )
      expect(expected.length, format).toBeGreaterThan(0)
      const res = await importFile(format, text)
      expect(res.status, format).toBe(200)
      const answer = (await res.json()) as ImportAnswer
      expect(answer.imported, format).toBe(expected.length)
      // A second import of the same file adds nothing.
      const again = (await (await importFile(format, text)).json()) as ImportAnswer
      expect(again.imported, format).toBe(0)
    }
    const listed = (await (await request('/api/posts/entropy-notes/comments')).json()) as {
      comments: { id: number; parent: number | null; author: string; body: string; createdAt: string; html: string }[]
    }
    // Threads survive: every imported reply hangs under a comment of the same post.
    const ids = new Set(listed.comments.map((c) => c.id))
    expect(listed.comments.some((c) => c.parent !== null)).toBe(true)
    for (const c of listed.comments) if (c.parent !== null) expect(ids.has(c.parent)).toBe(true)
    // Dates and authors are the source's.
    const waline = parseComments('waline', walineText).comments.find(
      (c) => c.status === 'approved' && postIdFromRef(c.postRef) === 'entropy-notes',
    )!
    const mine = listed.comments.find((c) => c.author === waline.author && c.body === waline.body)!
    expect(new Date(mine.createdAt).getTime()).toBe(waline.createdAt)
    // Artalk's pinned comment is pinned here (置顶).
    expect(
      (listed.comments as unknown as { body: string; pinned: boolean }[]).filter((c) => c.pinned).map((c) => c.body.slice(0, 7)),
    ).toEqual(['熵的定义 $S'])
    // Likes come along as counts (Waline's like: 3; Artalk's vote_up: 3).
    const liked = listed.comments as unknown as { author: string; body: string; likes: number }[]
    expect(liked.find((c) => c.author === waline.author && c.body === waline.body)!.likes).toBe(waline.likes ?? 0)
    expect(waline.likes).toBe(3)
    expect(liked.find((c) => c.body.startsWith('因为独立系统的熵要相加'))!.likes).toBe(3)
    // Artalk: a reply by the admin (badge 管理员) keeps its place and its badge; Go's dates keep their offsets.
    const artalkReply = listed.comments.find((c) => c.body.startsWith('因为独立系统的熵要相加'))! as (typeof listed.comments)[number] & {
      admin: boolean
    }
    expect(artalkReply.admin).toBe(true)
    expect(listed.comments.find((c) => c.id === artalkReply.parent)!.author).toBe('张三')
    expect(new Date(artalkReply.createdAt).getTime()).toBe(Date.UTC(2023, 2, 15, 0, 0, 0))
    // Held and spam comments come in held and spam: not shown.
    const hidden = parseComments('waline', walineText).comments.filter((c) => c.status !== 'approved')
    for (const h of hidden) expect(listed.comments.some((c) => c.body === h.body)).toBe(false)
    const page = parseHtml(await (await request('/archives/entropy-notes')).text())
    expect(page.byClass('katex').length).toBeGreaterThan(0)
  })

  it('refuses a wrong format, a file that is not the named format, and a missing token, importing nothing', async () => {
    expect((await importFile('disqus', '{}')).status).toBe(400)
    const wrong = await importFile('waline', '<rss></rss>')
    expect(wrong.status).toBe(400)
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_import')
    expect((await importFile('wxr', '{"not":"xml"}')).status).toBe(400)
    expect((await importFile('waline', walineText, {})).status).toBe(401)
  })

  it('skips a comment that renders larger than a comment may, before storing anything, and drops control characters', async () => {
    await putPost('import-limits', { title: 'Import limits' })
    const comment = (objectId: string, nick: string, body: string, at: string) => ({
      comment: body,
      insertedAt: at,
      createdAt: at,
      nick,
      status: 'approved',
      url: '/archives/import-limits/',
      objectId,
    })
    const file = JSON.stringify({
      type: 'waline',
      version: 1,
      time: 1710230400000,
      tables: ['Comment'],
      data: {
        Comment: [
          comment('limit-1', 'Bell\u0007 Reader', 'Fine\u0000 text\u0007 with $x$.', '2024-03-05T08:00:00.000Z'),
          comment('limit-2', 'Huge', '$x$ '.repeat(8000), '2024-03-05T09:00:00.000Z'),
          comment('limit-3', 'Only controls', '\u0001\u0002', '2024-03-05T10:00:00.000Z'),
        ],
      },
    })
    const res = await importFile('waline', file)
    expect(res.status).toBe(200)
    const answer = (await res.json()) as ImportAnswer
    expect(answer.imported).toBe(1)
    expect(answer.skipped).toEqual([
      { sourceId: 'limit-3', reason: 'empty body' },
      { sourceId: 'limit-2', reason: expect.stringContaining('renders larger than a comment may') },
    ])
    const list = (await (await request('/api/posts/import-limits/comments')).json()) as { comments: { author: string; body: string }[] }
    expect(list.comments).toMatchObject([{ author: 'Bell Reader', body: 'Fine text with $x$.' }])
    const page = await (await request('/archives/import-limits')).text()
    expect(page).not.toMatch(/[\u0000\u0007]/)
  })

  it('pins what the source pinned, up to three per post, oldest first, approved top-level comments only', async () => {
    await putPost('pins-in', { title: 'Pins' })
    const rows = [1, 2, 3, 4, 5, 6].map((n) => ({
      id: String(n),
      rid: n === 5 ? '1' : '0',
      content: `pinned ${n}`,
      date: `2023-05-0${n} 10:00:00 +0800 +0800`,
      nick: `R${n}`,
      page_key: '/archives/pins-in',
      is_pinned: 'true',
      is_pending: n === 6 ? 'true' : 'false',
    }))
    const res = await importFile('artalk', JSON.stringify(rows))
    expect(res.status).toBe(200)
    const listed = (await (await request('/api/posts/pins-in/comments')).json()) as { comments: { body: string; pinned: boolean }[] }
    expect(listed.comments.filter((c) => c.pinned).map((c) => c.body)).toEqual(['pinned 1', 'pinned 2', 'pinned 3'])
    // The page shows them first, in that order.
    const page = parseHtml(await (await request('/archives/pins-in')).text())
    expect(page.byClass('comment-pinned').length).toBe(3)
  })

  it('reports comments whose post does not exist here', async () => {
    const res = await importFile('twikoo', twikooText.replaceAll('/posts/fourier-series.html', '/posts/not-here.html'))
    const answer = (await res.json()) as ImportAnswer
    expect(answer.imported).toBe(0)
    expect(answer.skipped.some((s) => s.reason.includes('there is no post'))).toBe(true)
  })
})
