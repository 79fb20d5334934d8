import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import {
  eventually,
  ORIGIN,
  postComment,
  putPost,
  request,
  roomStats,
  siteKvRefusesFirstWrite,
  siteRoomCalls,
  TOKEN,
  view,
} from '../helpers'
import { parseHtml } from '../html'

const ADMIN = { authorization: `Bearer ${TOKEN}` }

interface ExportPage {
  format: string
  version: number
  posts: {
    id: string
    status: string
    revision: number
    revisions: { revision: number }[]
    comments: { id: number; status: string; parent: number | null; pinned?: number | null }[]
    views: number
    movedFrom: { id: string }[]
    markdown: string
  }[]
  next: string | null
}

interface Report {
  created: number
  updated: number
  unchanged: number
  skipped: string[]
  failed: { id: string | null; reason: string }[]
}

async function exportPage(query = ''): Promise<ExportPage> {
  const res = await request(`/api/export${query}`, { headers: ADMIN })
  expect(res.status).toBe(200)
  return res.json()
}

/** Follows the cursor to the end; returns every post. */
async function exportAll(limit = 50): Promise<ExportPage['posts']> {
  const posts: ExportPage['posts'] = []
  let cursor: string | null = null
  do {
    const page: ExportPage = await exportPage(`?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    posts.push(...page.posts)
    cursor = page.next
  } while (cursor)
  return posts
}

function importPage(posts: unknown[], query = '', extra: Record<string, unknown> = {}, bindings: Cloudflare.Env = env): Promise<Response> {
  return request(
    `/api/import${query}`,
    {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'edge-science-blog-export', version: 1, posts, next: null, ...extra }),
    },
    bindings,
  )
}

async function importOk(posts: unknown[], query = ''): Promise<Report> {
  const res = await importPage(posts, query)
  expect(res.status).toBe(200)
  return res.json()
}

/** Posts of an export in pages of at most 20 (the import's limit per request). */
async function importAll(posts: unknown[], query = ''): Promise<Report> {
  const total: Report = { created: 0, updated: 0, unchanged: 0, skipped: [], failed: [] }
  for (let i = 0; i < posts.length; i += 20) {
    const r = await importOk(posts.slice(i, i + 20), query)
    total.created += r.created
    total.updated += r.updated
    total.unchanged += r.unchanged
    total.skipped.push(...r.skipped)
    total.failed.push(...r.failed)
  }
  return total
}

const adminComment = (id: string, body: string, parent?: number) =>
  postComment(id, { author: '博主', body, ...(parent ? { parent } : {}) }, ADMIN).then(async (r) => {
    expect(r.status).toBe(201)
    return ((await r.json()) as { comment: { id: number } }).comment.id
  })

describe('GET /api/export and POST /api/import: authentication and bad input', () => {
  it('needs the admin token for both', async () => {
    expect((await request('/api/export')).status).toBe(401)
    const res = await request('/api/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(res.status).toBe(401)
  })

  it('refuses a bad cursor or limit with 400', async () => {
    for (const q of ['?limit=0', '?limit=51', '?limit=x', '?cursor=Bad_Id']) {
      const res = await request(`/api/export${q}`, { headers: ADMIN })
      expect(res.status, q).toBe(400)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_query')
    }
  })

  it('refuses a wrong format or version, malformed JSON, a wrong type and an unknown mode', async () => {
    const wrongFormat = await importPage([], '', { format: 'wordpress' })
    expect(wrongFormat.status).toBe(400)
    expect(((await wrongFormat.json()) as { error: { code: string; message: string } }).error.message).toContain('format')
    const wrongVersion = await importPage([], '', { version: 2 })
    expect(wrongVersion.status).toBe(400)
    expect(((await wrongVersion.json()) as { error: { message: string } }).error.message).toContain('version')
    const malformed = await request('/api/import', { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: '{' })
    expect(malformed.status).toBe(400)
    const text = await request('/api/import', { method: 'POST', headers: { ...ADMIN, 'content-type': 'text/plain' }, body: '{}' })
    expect(text.status).toBe(415)
    expect((await importPage([], '?mode=merge')).status).toBe(400)
    expect((await importPage(new Array(21).fill({}))).status).toBe(400)
  })

  it('refuses a body over 32 MiB with 413 and stores nothing', async () => {
    const res = await request('/api/import', {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: 'x'.repeat(32 * 1024 * 1024 + 1),
    })
    expect(res.status).toBe(413)
  })

  it('answers 405 for other methods', async () => {
    expect((await request('/api/export', { method: 'POST', headers: ADMIN })).status).toBe(405)
    expect((await request('/api/import', { headers: ADMIN })).status).toBe(405)
  })
})

describe('GET /api/export paging', () => {
  it('pages through every post in id order with a cursor, reading no KV', async () => {
    for (let i = 0; i < 45; i++)
      expect((await putPost(`page-${String(i).padStart(2, '0')}`, { title: `P${i}`, date: '2024-01-01' })).ok).toBe(true)
    // Count the KV operations of one export invocation through a wrapped binding.
    let kvOps = 0
    const counted = new Proxy(env.POSTS, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          kvOps++
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    const ctx = createExecutionContext()
    const res = await worker.fetch(new Request(`${ORIGIN}/api/export?limit=20`, { headers: ADMIN }), { ...env, POSTS: counted }, ctx)
    await waitOnExecutionContext(ctx)
    const first = (await res.json()) as ExportPage
    expect(kvOps).toBe(0)
    expect(first.format).toBe('edge-science-blog-export')
    expect(first.version).toBe(1)
    expect(first.posts).toHaveLength(20)
    expect(first.next).toBe(first.posts[19]!.id)
    const ids = [...first.posts.map((p) => p.id)]
    let cursor = first.next
    let pages = 1
    while (cursor) {
      const page = await exportPage(`?limit=20&cursor=${cursor}`)
      expect(page.posts.length).toBeLessThanOrEqual(20)
      ids.push(...page.posts.map((p) => p.id))
      cursor = page.next
      pages++
    }
    const pageIds = ids.filter((id) => id.startsWith('page-'))
    expect(pageIds).toEqual(Array.from({ length: 45 }, (_, i) => `page-${String(i).padStart(2, '0')}`))
    expect(new Set(ids).size).toBe(ids.length)
    expect(pages).toBeGreaterThanOrEqual(3)
    expect([...ids].sort()).toEqual(ids)
  })
})

describe('export → change → import round trip', () => {
  it('restores posts, versions, comments of every status, counts and a rename; a repeated import changes nothing', async () => {
    // A post with three versions, a threaded conversation (one reply held back, one spam) and readers.
    await putPost('rt-main', { title: 'Main v1', date: '2024-03-01 10:00', tags: ['熵'] }, 'first $x$')
    await putPost('rt-main', { title: 'Main v2', date: '2024-03-01 10:00', tags: ['熵'] }, 'second $x^2$')
    await putPost('rt-main', { title: 'Main v3', date: '2024-03-01 10:00', tags: ['熵', '编码'] }, 'third $x^3$')
    const top = await adminComment('rt-main', 'top level')
    const reply = await adminComment('rt-main', 'a reply', top)
    const spam = await adminComment('rt-main', 'buy now', reply)
    expect((await request(`/api/comments/rt-main/${spam}/spam`, { method: 'POST', headers: ADMIN })).status).toBe(200)
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) expect((await view('/archives/rt-main', ip)).status).toBe(200)
    await putPost('rt-draft', { title: 'A draft', draft: true }, 'not yet')
    await putPost('rt-later', { title: 'Scheduled', date: '2099-01-01' }, 'future')
    await putPost('rt-old-name', { title: 'Renamed', date: '2024-02-01' }, 'moved')
    await adminComment('rt-old-name', 'comment before the rename')
    const renamed = await request('/api/posts/rt-old-name/rename', {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'rt-new-name' }),
    })
    expect(renamed.status).toBe(200)
    await putPost('rt-gone', { title: 'Deleted later', date: '2024-01-05' }, 'gone')
    await request('/api/posts/rt-gone', { method: 'DELETE', headers: ADMIN })
    await eventually(async () => expect((await roomStats('rt-main')).views).toBe(3))

    const original = (await exportAll()).filter((p) => p.id.startsWith('rt-'))
    const byId = new Map(original.map((p) => [p.id, p]))
    expect([...byId.keys()].sort()).toEqual(['rt-draft', 'rt-gone', 'rt-later', 'rt-main', 'rt-new-name'])
    const main = byId.get('rt-main')!
    expect(main.revision).toBe(3)
    expect(main.revisions.map((r) => r.revision)).toEqual([2, 1])
    expect(main.markdown).toContain('title: "Main v3"')
    expect(main.views).toBe(3)
    expect(main.comments.map((c) => [c.id, c.parent, c.status])).toEqual([
      [top, null, 'approved'],
      [reply, top, 'approved'],
      [spam, reply, 'spam'],
    ])
    expect(byId.get('rt-draft')!.status).toBe('draft')
    expect(byId.get('rt-later')!.status).toBe('scheduled')
    expect(byId.get('rt-gone')!.status).toBe('deleted')
    expect(byId.get('rt-new-name')!.movedFrom.map((m) => m.id)).toEqual(['rt-old-name'])
    expect(byId.get('rt-new-name')!.comments).toHaveLength(1)

    // Importing what the site holds changes nothing.
    const again = await importAll(original)
    expect(again).toEqual({ created: 0, updated: 0, unchanged: 5, skipped: [], failed: [] })

    // Change the site: edit, delete, comment, read.
    await putPost('rt-main', { title: 'Main v4' }, 'edited after the backup')
    await adminComment('rt-main', 'new after backup')
    await view('/archives/rt-main', '198.51.100.9')
    await request('/api/posts/rt-draft', { method: 'DELETE', headers: ADMIN })

    // Default mode skips posts that differ and writes nothing.
    const skipped = await importAll(original)
    expect(skipped.skipped.sort()).toEqual(['rt-draft', 'rt-main'])
    expect(skipped.unchanged).toBe(3)
    expect(await (await request('/api/posts/rt-main', { headers: ADMIN })).json()).toMatchObject({ title: 'Main v4' })

    // mode=replace brings the backup back exactly.
    const replaced = await importAll(original, '?mode=replace')
    expect(replaced).toEqual({ created: 0, updated: 2, unchanged: 3, skipped: [], failed: [] })
    const restored = (await exportAll()).filter((p) => p.id.startsWith('rt-'))
    // Everything as it was, but a replaced post's revision number: above the one it replaced (4 and
    // 2), so no number names two versions of a post.
    const withoutRevision = (posts: ExportPage['posts']) => posts.map(({ revision: _, ...rest }) => rest)
    expect(withoutRevision(restored)).toEqual(withoutRevision(original))
    expect(restored.map((p) => [p.id, p.revision])).toEqual(
      original.map((p) => [p.id, p.id === 'rt-main' ? 5 : p.id === 'rt-draft' ? 3 : p.revision]),
    )
    expect(await importAll(original, '?mode=replace')).toEqual({ created: 0, updated: 0, unchanged: 5, skipped: [], failed: [] })

    // The site serves what was restored: the page, the count, the comments, the versions.
    const page = await (await request('/archives/rt-main')).text()
    expect(page).toContain('Main v3')
    expect(page).not.toContain('edited after the backup')
    expect(await (await request('/api/posts/rt-main/views')).json()).toMatchObject({ views: 3 })
    const comments = (await (await request('/api/posts/rt-main/comments')).json()) as { comments: { id: number }[] }
    expect(comments.comments.map((c) => c.id)).toEqual([top, reply])
    const revisions = (await (await request('/api/posts/rt-main/revisions', { headers: ADMIN })).json()) as {
      current: number
      revisions: { revision: number }[]
    }
    expect(revisions.current).toBe(5)
    expect(revisions.revisions.map((r) => r.revision)).toEqual([5, 2, 1])
    expect((await request('/api/posts/rt-draft', { headers: ADMIN })).status).toBe(200)
    expect((await request('/archives/rt-old-name')).status).toBe(301)
  })

  it('never gives a number to two versions of a post: an edit after a restore shows its own text', async () => {
    await putPost('rt-numbers', { title: 'Numbers' }, 'version one')
    const backup = (await exportAll()).filter((p) => p.id === 'rt-numbers')
    await putPost('rt-numbers', { title: 'Numbers' }, 'version two')
    // This isolate now holds the post's record of revision 2.
    expect(await (await view('/archives/rt-numbers', '198.51.100.20')).text()).toContain('version two')
    expect(await importAll(backup, '?mode=replace')).toMatchObject({ updated: 1 })
    const restored = (await (await request('/api/posts/rt-numbers', { headers: ADMIN })).json()) as { revision: number; body: string }
    expect(restored.revision).toBe(3)
    expect(restored.body.trim()).toBe('version one')
    // The next edit is revision 4. With the backup's revision 1 restored it was 2 again, and the page
    // showed the record of the old revision 2 the isolate held.
    const edit = await putPost('rt-numbers', { title: 'Numbers' }, 'version three')
    expect(edit.headers.get('etag')).toBe('"r4"')
    const page = await (await view('/archives/rt-numbers', '198.51.100.21')).text()
    expect(page).toContain('version three')
    expect(page).not.toContain('version two')
  })

  it('keeps pinned comments and their order; a backup made before pins imports them unpinned', async () => {
    await putPost('bk-pins', { title: 'Pins' })
    const a = await adminComment('bk-pins', 'first')
    const b = await adminComment('bk-pins', 'second')
    const r = await adminComment('bk-pins', 'a reply', a)
    const pin = (id: number, action = 'pin') => request(`/api/comments/bk-pins/${id}/${action}`, { method: 'POST', headers: ADMIN })
    // b pinned first, then a: b first on the page.
    expect((await pin(b)).status).toBe(200)
    expect((await pin(a)).status).toBe(200)
    const entry = (await exportAll()).find((p) => p.id === 'bk-pins')!
    expect(entry.comments.map((c) => [c.id, c.pinned])).toEqual([
      [a, 2],
      [b, 1],
      [r, null],
    ])
    expect(await importOk([entry])).toMatchObject({ unchanged: 1 })
    const roots = async () => {
      const html = parseHtml(await (await request('/archives/bk-pins')).text())
      return html.byClass('depth-0').map((e) => Number(html.attr(e, 'id')!.slice('comment-'.length)))
    }
    expect(await roots()).toEqual([b, a])

    // Unpinned on the blog; the backup puts the pins back, in their order.
    expect((await pin(a, 'unpin')).status).toBe(200)
    expect((await pin(b, 'unpin')).status).toBe(200)
    expect(await roots()).toEqual([a, b])
    expect(await importOk([entry], '?mode=replace')).toMatchObject({ updated: 1 })
    expect(await roots()).toEqual([b, a])
    const listed = (await (await request('/api/posts/bk-pins/comments')).json()) as { comments: { id: number; pinned: boolean }[] }
    expect(listed.comments.map((c) => [c.id, c.pinned])).toEqual([
      [a, true],
      [b, true],
      [r, false],
    ])

    // A backup without the field (made before pins): every comment unpinned.
    const older = { ...entry, comments: entry.comments.map(({ pinned: _, ...c }) => c) }
    expect(await importOk([older], '?mode=replace')).toMatchObject({ updated: 1 })
    expect((await exportAll()).find((p) => p.id === 'bk-pins')!.comments.map((c) => c.pinned)).toEqual([null, null, null])
    expect(await roots()).toEqual([a, b])

    // A pinned reply, or two comments in one place of the pin order, is not a backup this blog made.
    for (const bad of [
      { ...entry, comments: entry.comments.map((c) => (c.id === r ? { ...c, pinned: 3 } : c)) },
      { ...entry, comments: entry.comments.map((c) => (c.id === a ? { ...c, pinned: 1 } : c)) },
    ]) {
      const report = await importOk([bad], '?mode=replace')
      expect(report.failed).toHaveLength(1)
      expect(report.failed[0]!.reason).toContain('pin')
    }
  })

  it('creates a post from a page: its versions, held comment (in the moderation queue), count and old id', async () => {
    const entry = {
      id: 'from-backup',
      status: 'published',
      revision: 7,
      origin: 'api',
      createdAt: '2023-05-01T00:00:00.000Z',
      modifiedAt: '2023-06-01T00:00:00.000Z',
      syncHash: null,
      markdown: '---\nid: "from-backup"\ntitle: "Restored post"\ndate: "2023-05-01T08:00:00+08:00"\n---\n\nRestored $E=mc^2$ body.\n',
      revisions: [
        {
          revision: 5,
          status: 'published',
          origin: 'api',
          modifiedAt: '2023-05-15T00:00:00.000Z',
          markdown: '---\ntitle: "Older"\ndate: "2023-05-01T08:00:00+08:00"\n---\n\nolder body\n',
        },
      ],
      movedFrom: [{ id: 'backup-old-id', movedAt: '2023-05-20T00:00:00.000Z' }],
      views: 42,
      daily: [
        { day: '2023-05-02', views: 40 },
        { day: '2023-05-03', views: 2 },
      ],
      comments: [
        {
          id: 3,
          parent: null,
          replyTo: null,
          depth: 0,
          author: 'Ada',
          email: 'ada@example.com',
          url: null,
          body: 'shown',
          html: '<p>shown</p>',
          excerpt: 'shown',
          status: 'approved',
          createdAt: '2023-05-02T00:00:00.000Z',
          editedAt: null,
          admin: false,
          avatar: 'a1',
          notify: false,
          bodyHash: '',
          importKey: null,
          renderVersion: '',
        },
        {
          id: 8,
          parent: 3,
          replyTo: 3,
          depth: 1,
          author: 'Bob',
          email: 'bob@example.com',
          url: null,
          body: 'held back',
          html: '<p>held back</p>',
          excerpt: 'held back',
          status: 'pending',
          createdAt: '2023-05-03T00:00:00.000Z',
          editedAt: null,
          admin: false,
          avatar: 'b1',
          notify: true,
          bodyHash: '',
          importKey: null,
          renderVersion: '',
        },
      ],
    }
    const report = await importOk([entry])
    expect(report).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: [], failed: [] })
    const html = await (await request('/archives/from-backup')).text()
    expect(html).toContain('Restored post')
    expect(html).toContain('class="katex"')
    expect(await (await request('/api/posts/from-backup/views')).json()).toMatchObject({ views: 42 })
    const shown = (await (await request('/api/posts/from-backup/comments')).json()) as { comments: { id: number }[] }
    expect(shown.comments.map((c) => c.id)).toEqual([3])
    await eventually(async () => {
      const queue = (await (await request('/api/comments?status=pending', { headers: ADMIN })).json()) as {
        comments: { postId: string; commentId: number }[]
      }
      expect(queue.comments).toContainEqual(expect.objectContaining({ postId: 'from-backup', commentId: 8 }))
    })
    const revisions = (await (await request('/api/posts/from-backup/revisions', { headers: ADMIN })).json()) as {
      revisions: { revision: number }[]
    }
    expect(revisions.revisions.map((r) => r.revision)).toEqual([7, 5])
    expect((await request('/archives/backup-old-id')).status).toBe(301)
    // A new comment continues after the restored ids.
    expect(await adminComment('from-backup', 'after restore')).toBeGreaterThan(8)
    expect(await importOk([entry])).toMatchObject({ created: 0, skipped: ['from-backup'] })
  })

  /**
   * The Worker's bindings with the Site object's restorePost running `before` first: what happens
   * between the import's own checks and the Site object's restore.
   */
  function beforeRestore(before: () => Promise<void>): Cloudflare.Env {
    const site = new Proxy(env.SITE, {
      get(ns, prop) {
        if (prop !== 'getByName') return Reflect.get(ns, prop)
        return (name: string) =>
          new Proxy(env.SITE.getByName(name), {
            get: (stub, p) =>
              p === 'restorePost'
                ? async (...args: Parameters<typeof stub.restorePost>) => {
                    await before()
                    return stub.restorePost(...args)
                  }
                : Reflect.get(stub, p),
          })
      },
    })
    return { ...env, SITE: site }
  }

  const commentBodies = async (id: string) =>
    ((await (await request(`/api/posts/${id}/comments`)).json()) as { comments: { body: string }[] }).comments.map((c) => c.body)

  it('a post created at the id while the import runs is skipped whole: its comments stay its own', async () => {
    const backup = [
      backupEntry('race-new', 'In the backup', {
        views: 5,
        daily: [{ day: '2023-05-02', views: 5 }],
        comments: [{ ...fakeComment(1), body: 'from the backup', html: '<p>from the backup</p>' }],
      }),
    ]
    // The import finds no post "race-new"; before the Site object restores it, an author publishes one.
    const bindings = beforeRestore(async () => {
      expect((await putPost('race-new', { title: 'Written meanwhile' }, 'new text')).status).toBe(201)
      await adminComment('race-new', 'written meanwhile')
    })
    const res = await importPage(backup, '', {}, bindings)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ created: 0, updated: 0, skipped: ['race-new'], failed: [] })
    // The new post is untouched: its title and its comment, none of the backup's.
    expect(await (await request('/api/posts/race-new', { headers: ADMIN })).json()).toMatchObject({ title: 'Written meanwhile' })
    expect(await commentBodies('race-new')).toEqual(['written meanwhile'])
  })

  it('a post renamed while the import replaces it keeps its comments under the new id', async () => {
    await putPost('race-old', { title: 'Renamed meanwhile' }, 'text')
    await adminComment('race-old', 'before the backup')
    const backup = (await exportAll()).filter((p) => p.id === 'race-old')
    await putPost('race-old', { title: 'Renamed meanwhile, edited' }, 'text')
    await adminComment('race-old', 'after the backup')
    // The import checks "race-old"; before the Site object restores it, the post is renamed.
    const bindings = beforeRestore(async () => {
      const moved = await request('/api/posts/race-old/rename', {
        method: 'POST',
        headers: { ...ADMIN, 'content-type': 'application/json' },
        body: JSON.stringify({ to: 'race-new-name' }),
      })
      expect(moved.status).toBe(200)
    })
    const res = await importPage(backup, '?mode=replace', {}, bindings)
    expect(res.status).toBe(200)
    const report = (await res.json()) as Report
    expect(report.failed.map((f) => f.id)).toEqual(['race-old'])
    expect(report.failed[0]!.reason).toContain('old id of "race-new-name"')
    // The renamed post has both its comments (a restore of the old id's object would have been
    // copied over with the backup's one comment).
    expect(await commentBodies('race-new-name')).toEqual(['before the backup', 'after the backup'])
    expect(await (await request('/api/posts/race-new-name', { headers: ADMIN })).json()).toMatchObject({
      title: 'Renamed meanwhile, edited',
    })
  })

  it("a restored post whose old id's redirect cannot be written at once is restored, and the redirect is written after", async () => {
    const entry = backupEntry('import-redirect', 'Moved once', {
      revision: 2,
      movedFrom: [{ id: 'import-redirect-old', movedAt: '2023-05-20T00:00:00.000Z' }],
    })
    // KV refuses the Site object's first write of the old id's key (the redirect).
    const kv = await siteKvRefusesFirstWrite('v1:post:import-redirect-old')
    try {
      expect(await importOk([entry])).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: [], failed: [] })
      await eventually(async () => {
        expect(await env.POSTS.get('v1:post:import-redirect-old', 'json')).toMatchObject({ movedTo: 'import-redirect' })
      })
    } finally {
      await kv.restore()
    }
    expect(kv.refused()).toBeGreaterThanOrEqual(2)
    const old = await request('/archives/import-redirect-old')
    expect(old.status).toBe(301)
    expect(old.headers.get('location')).toBe('/archives/import-redirect')
  })

  it('a post whose object cannot be restored is reported failed, and nothing of it is stored', async () => {
    const entry = backupEntry('import-room-down', 'Object down', {
      movedFrom: [{ id: 'import-room-down-old', movedAt: '2023-05-20T00:00:00.000Z' }],
      views: 3,
      comments: [fakeComment(1)],
    })
    // The post's object refuses the restore (as an object that is down would).
    const restore = await siteRoomCalls(null, 'restoreBackup', () => () => Promise.reject(new Error('object unavailable')))
    let report: Report
    try {
      report = await importOk([entry])
    } finally {
      await restore()
    }
    expect(report.failed).toEqual([{ id: 'import-room-down', reason: "the post's object could not be restored just now; try again" }])
    expect((await request('/api/posts/import-room-down', { headers: ADMIN })).status).toBe(404)
    expect((await request('/archives/import-room-down-old')).status).toBe(404)
    // Once the object answers, the same page imports.
    expect(await importOk([entry])).toMatchObject({ created: 1, failed: [] })
    expect(await (await request('/api/posts/import-room-down/views')).json()).toMatchObject({ views: 3 })
  })

  it('reports a bad post as failed and imports the others', async () => {
    const good = (await exportAll()).find((p) => p.id === 'page-00')!
    const noTitle = { ...good, id: 'bad-title', markdown: '---\nid: "bad-title"\n---\n\nbody\n', revisions: [], movedFrom: [] }
    const orphan = {
      ...good,
      id: 'bad-thread',
      markdown: '---\ntitle: "x"\n---\n\nbody\n',
      revisions: [],
      movedFrom: [],
      comments: [{ ...fakeComment(2), parent: 1 }],
    }
    const loop = {
      ...orphan,
      id: 'bad-loop',
      comments: [
        { ...fakeComment(1), parent: 2, replyTo: 2, depth: 1 },
        { ...fakeComment(2), parent: 1, replyTo: 1, depth: 1 },
      ],
    }
    const report = await importOk([noTitle, orphan, loop, good, { nonsense: true }])
    expect(report.unchanged).toBe(1)
    expect(report.failed.map((f) => f.id)).toEqual(['bad-title', 'bad-thread', 'bad-loop', null])
    expect(report.failed[0]!.reason).toContain('title')
    expect(report.failed[1]!.reason).toContain('not in the post')
    expect(report.failed[2]!.reason).toContain('numbered after it')
    expect((await request('/api/posts/bad-title', { headers: ADMIN })).status).toBe(404)
  })

  it('restores a comment holding half a surrogate pair (escaped in the file) with U+FFFD in its place, as the comment importers do', async () => {
    const good = (await exportAll()).find((p) => p.id === 'page-00')!
    const entry = {
      ...good,
      id: 'half-pair',
      markdown: '---\ntitle: "x"\n---\n\nbody\n',
      revisions: [],
      movedFrom: [],
      comments: [{ ...fakeComment(1), author: 'a\ud800b', excerpt: `${'y'.repeat(10)}\ud83d…` }],
    }
    expect(await importOk([entry])).toMatchObject({ created: 1, failed: [] })
    const restored = (await exportAll()).find((p) => p.id === 'half-pair')! as unknown as {
      comments: { author: string; excerpt: string }[]
    }
    // (Compared as booleans and code points: a failure message holding a lone surrogate would break the runner's channel.)
    expect(restored.comments.map((c) => [...c.author].map((ch) => ch.codePointAt(0)))).toEqual([[0x61, 0xfffd, 0x62]])
    expect(restored.comments[0]!.excerpt === `${'y'.repeat(10)}\ufffd…`).toBe(true)
  })

  it('reports a post whose daily views name a day twice as failed, saying so (not "try again"), and stores nothing of it', async () => {
    const daily = [
      { day: '2023-05-02', views: 1 },
      { day: '2023-05-03', views: 1 },
      { day: '2023-05-02', views: 2 },
    ]
    const twice = backupEntry('import-day-twice', 'Day twice', { views: 4, daily })
    const report = await importOk([twice])
    expect(report.created).toBe(0)
    expect(report.failed).toEqual([{ id: 'import-day-twice', reason: 'daily: the day 2023-05-02 is given twice' }])
    expect((await request('/api/posts/import-day-twice', { headers: ADMIN })).status).toBe(404)
    // Over a post the blog holds (mode=replace): refused the same way, the post as it was.
    await putPost('import-day-twice', { title: 'Kept' }, 'kept text')
    const before = (await exportAll()).find((p) => p.id === 'import-day-twice')
    const replaced = await importPage([twice], '?mode=replace')
    expect(replaced.status).toBe(200)
    expect(((await replaced.json()) as Report).failed).toEqual([
      { id: 'import-day-twice', reason: 'daily: the day 2023-05-02 is given twice' },
    ])
    expect((await exportAll()).find((p) => p.id === 'import-day-twice')).toEqual(before)
  })

  it('reports a post with a day not on the calendar, more views by day than in all, or a control character in a comment’s address as failed, storing none of it', async () => {
    const leap = backupEntry('import-leap-day', 'Leap', { views: 3, daily: [{ day: '2024-02-29', views: 3 }] })
    const bad = [
      backupEntry('import-day-30', 'Feb 30', { views: 3, daily: [{ day: '2024-02-30', views: 3 }] }),
      backupEntry('import-day-13', 'Month 13', { views: 3, daily: [{ day: '2023-13-01', views: 3 }] }),
      backupEntry('import-days-over', 'Over', {
        views: 4,
        daily: [
          { day: '2023-05-02', views: 3 },
          { day: '2023-05-03', views: 2 },
        ],
      }),
      backupEntry('import-nul-mail', 'NUL', { comments: [{ ...fakeComment(1), email: 'a\u0000@example.com' }] }),
      backupEntry('import-tab-name', 'Tab', { comments: [{ ...fakeComment(1), author: 'a\tb' }] }),
      backupEntry('import-esc-url', 'Esc', { comments: [{ ...fakeComment(1), url: 'https://example.com/\u001b[31m' }] }),
    ]
    const report = await importOk([leap, ...bad])
    expect(report.created).toBe(1)
    expect(report.failed).toEqual([
      { id: 'import-day-30', reason: 'daily.0.day: day must be a date of the calendar, YYYY-MM-DD' },
      { id: 'import-day-13', reason: 'daily.0.day: day must be a date of the calendar, YYYY-MM-DD' },
      { id: 'import-days-over', reason: "daily: the days' views (5) are more than views (4)" },
      { id: 'import-nul-mail', reason: 'comments.0.email: email holds a control character' },
      { id: 'import-tab-name', reason: 'comments.0.author: author holds a control character' },
      { id: 'import-esc-url', reason: 'comments.0.url: url holds a control character' },
    ])
    for (const entry of bad) expect((await request(`/api/posts/${entry.id}`, { headers: ADMIN })).status).toBe(404)
    const restored = (await exportAll()).find((p) => p.id === 'import-leap-day') as unknown as { views: number; daily: unknown[] }
    expect([restored.views, restored.daily]).toEqual([3, [{ day: '2024-02-29', views: 3 }]])
  })

  it('reports a post whose old ids include its own id as failed: its address would redirect to itself', async () => {
    const loop = backupEntry('import-self-moved', 'Loop', { movedFrom: [{ id: 'import-self-moved', movedAt: '2023-05-20T00:00:00.000Z' }] })
    const report = await importOk([loop])
    expect(report.created).toBe(0)
    expect(report.failed).toEqual([{ id: 'import-self-moved', reason: expect.stringContaining('its own id') }])
    expect((await request('/archives/import-self-moved')).status).toBe(404)
  })
})

/** A post of an export page, made by hand: one version, published in 2023. */
function backupEntry(id: string, title: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    status: 'published',
    revision: 1,
    origin: 'api',
    createdAt: '2023-05-01T00:00:00.000Z',
    modifiedAt: '2023-05-01T00:00:00.000Z',
    syncHash: null,
    markdown: `---\ntitle: "${title}"\ndate: "2023-05-01T08:00:00+08:00"\n---\n\nbody\n`,
    revisions: [],
    movedFrom: [],
    views: 0,
    daily: [],
    comments: [],
    ...extra,
  }
}

function fakeComment(id: number) {
  return {
    id,
    parent: null,
    replyTo: null,
    depth: 0,
    author: 'X',
    email: null,
    url: null,
    body: 'b',
    html: '<p>b</p>',
    excerpt: 'b',
    status: 'approved',
    createdAt: '2023-05-02T00:00:00.000Z',
    editedAt: null,
    admin: false,
    avatar: '',
    notify: false,
    bodyHash: '',
    importKey: null,
    renderVersion: '',
  }
}
