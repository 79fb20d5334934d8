import { describe, expect, it } from 'vitest'
import { eventually, putPost, request, roomStats, seededRandom, TOKEN, view } from '../helpers'

const auth = { authorization: `Bearer ${TOKEN}` }

interface ApiComment {
  id: number
  parent: number | null
  status: string
  author: string
  body: string
}

/**
 * Many comment requests at once on one post: posts, replies, admin edits, deletes, spam and approve,
 * erasures and views. None may fail with a 5xx, and once the writes settle the thread holds together
 * (every listed reply's parent is listed, hidden ones as placeholders), the page's count is the
 * number of shown comments and no comment marked spam is on the page. (Found: a reply to a comment
 * marked spam afterwards lost its parent, and was listed and shown as a top-level comment.)
 */
describe('comments and moderation at once', () => {
  it.each([5, 17])(
    'posts, replies, edits, moderation and views on one post (seed %i)',
    async (s) => {
      // Each seed is the same sequence of requests and delays, run after run.
      const { rnd, pick } = seededRandom(s)
      const id = `cc${s}`
      expect((await putPost(id, { title: `Comments ${s}` })).status).toBe(201)
      const post = (body: Record<string, unknown>, k: number) =>
        request(`/api/posts/${id}/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'cf-connecting-ip': `10.6.${k % 250}.${Math.floor(k / 250) + 1}` },
          body: JSON.stringify(body),
        })
      for (let k = 0; k < 10; k++) expect((await post({ author: `A${k}`, body: `first ${k} $a_${k}$` }, 1000 + k)).status).toBe(201)
      const results: { op: string; status: number; body: string }[] = []
      const jobs: Promise<void>[] = []
      for (let k = 0; k < 150; k++) {
        const target = 1 + Math.floor(rnd() * (10 + k / 3))
        const kind = pick(['post', 'post', 'reply', 'reply', 'edit', 'delete', 'spam', 'approve', 'view', 'view', 'erase'])
        const op = `${kind} ${target} #${k}`
        const run = (): Promise<Response> => {
          switch (kind) {
            case 'post':
              return post({ author: `R${k}`, body: `comment ${k}: $\\int_0^${k} x\\,dx$` }, k)
            case 'reply':
              return post({ author: `R${k}`, body: `reply ${k} to ${target}`, parent: target }, k)
            case 'edit':
              return request(`/api/posts/${id}/comments/${target}`, {
                method: 'PATCH',
                headers: { ...auth, 'content-type': 'application/json' },
                body: JSON.stringify({ body: `edited ${k} $e^{${k}}$` }),
              })
            case 'delete':
              return request(`/api/comments/${id}/${target}`, { method: 'DELETE', headers: auth })
            case 'spam':
              return request(`/api/comments/${id}/${target}/spam`, { method: 'POST', headers: auth })
            case 'approve':
              return request(`/api/comments/${id}/${target}/approve`, { method: 'POST', headers: auth })
            case 'erase':
              return request('/api/comments/erase', {
                method: 'POST',
                headers: { ...auth, 'content-type': 'application/json' },
                body: JSON.stringify({ name: `R${Math.max(0, k - 5)}` }),
              })
            default:
              return view(`/archives/${id}`, `10.5.${k}.1`)
          }
        }
        jobs.push(
          new Promise((r) => setTimeout(r, Math.floor(rnd() * 40)))
            .then(run)
            .then(async (res) => void results.push({ op, status: res.status, body: res.status >= 500 ? await res.text() : '' })),
        )
      }
      await Promise.all(jobs)
      expect(results.filter((r) => r.status >= 500)).toEqual([])
      for (const kind of ['post', 'reply', 'edit', 'delete', 'spam', 'approve', 'view'])
        expect(
          results.some((r) => r.op.startsWith(kind) && r.status < 300),
          kind,
        ).toBe(true)

      await eventually(async () => {
        const listed = (await (await request(`/api/posts/${id}/comments`)).json()) as { total: number; comments: ApiComment[] }
        const ids = new Set(listed.comments.map((c) => c.id))
        // The thread holds together: every reply's parent is listed (a deleted one as a placeholder).
        for (const c of listed.comments) if (c.parent !== null) expect(ids.has(c.parent), `${c.id} -> ${c.parent}`).toBe(true)
        for (const c of listed.comments) expect(['approved', 'deleted'], String(c.id)).toContain(c.status)
        const shown = listed.comments.filter((c) => c.status === 'approved')
        const page = await (await view(`/archives/${id}`, '10.4.0.1')).text()
        expect(page).toContain(`${shown.length}条评论`)
        // Hidden comments are nowhere on the page or in the sidebar's recent comments.
        const queue = (await (await request('/api/comments?status=spam&limit=100', { headers: auth })).json()) as {
          comments: { postId: string; commentId: number; excerpt: string }[]
        }
        // (Each body starts with a marker of its own: "comment 12:", "reply 12 to", "first 3 ", "edited 12 ".)
        const spam = queue.comments.filter((q) => q.postId === id)
        expect(spam.length).toBeGreaterThan(0)
        for (const c of spam) {
          const marker = /^(comment \d+:|reply \d+ to|first \d+ |edited \d+ )/.exec(c.excerpt)?.[0]
          expect(marker, c.excerpt).toBeTruthy()
          expect(page, `spam ${c.commentId}`).not.toContain(marker)
        }
        const home = await (await request('/')).text()
        expect(home).toContain(`/archives/${id}`)
        // The front page's counts are the post object's: the comments shown, and its readers.
        expect(home, 'front page comments').toContain(`href="/archives/${id}#comments">${shown.length}条评论</a>`)
        const stats = await roomStats(id)
        expect(stats.comments, "the object's comment count").toBe(shown.length)
        const entry = home.slice(home.indexOf(`href="/archives/${id}"`))
        expect(entry.slice(0, entry.indexOf('</article>')), 'front page readers').toContain(`${stats.views}位读者`)
      }, 20_000)
    },
    120_000,
  )
})
