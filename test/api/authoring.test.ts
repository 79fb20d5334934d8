import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { commentSecret, previewToken, unsubscribeToken } from '../../src/lib/tokens'
import type { Site } from '../../src/objects/site'
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

const auth = { authorization: `Bearer ${TOKEN}` }

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string } }
  expect(typeof body.error.code).toBe('string')
  expect(body.error.message.length).toBeGreaterThan(0)
  return body.error
}

function putWith(id: string, headers: Record<string, string>, title: string, body = 'Text.', query = '') {
  return request(`/api/posts/${id}${query}`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ title, body }),
  })
}

const getPost = (id: string) => request(`/api/posts/${id}`, { headers: auth })

describe('ETag and If-Match', () => {
  it('a DELETE with a stale If-Match gets 412 and deletes nothing; with the current one it deletes', async () => {
    expect((await putPost('etag-delete', { title: 'Keep me' }, 'one')).status).toBe(201)
    const etag = (await getPost('etag-delete')).headers.get('etag')!
    expect((await putPost('etag-delete', { title: 'Keep me' }, 'two')).status).toBe(200)
    const del = (headers: Record<string, string>, id = 'etag-delete') =>
      request(`/api/posts/${id}`, { method: 'DELETE', headers: { ...auth, ...headers } })
    const stale = await del({ 'if-match': etag })
    expect(stale.status).toBe(412)
    expect((await errorOf(stale)).code).toBe('precondition_failed')
    expect((await del({ 'if-match': '"r999"' })).status).toBe(412)
    expect((await view('/archives/etag-delete', '198.51.100.140')).status).toBe(200)
    const current = (await getPost('etag-delete')).headers.get('etag')!
    expect((await del({ 'if-match': current })).status).toBe(200)
    expect((await view('/archives/etag-delete', '198.51.100.140')).status).toBe(410)
    expect((await del({ 'if-match': '*' }, 'etag-delete-none')).status).toBe(412)
  })

  it('GET carries the revision as ETag; a PUT with a stale If-Match gets 412 and changes nothing', async () => {
    expect((await putPost('etag-post', { title: 'First' }, 'one')).status).toBe(201)
    const first = await getPost('etag-post')
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^"r\d+"$/)

    const ok = await putWith('etag-post', { 'if-match': etag }, 'Second', 'two')
    expect(ok.status).toBe(200)
    const newEtag = ok.headers.get('etag')!
    expect(newEtag).not.toBe(etag)
    expect((await getPost('etag-post')).headers.get('etag')).toBe(newEtag)

    // Someone else's edit was made from the first version: refused.
    const stale = await putWith('etag-post', { 'if-match': etag }, 'Lost update', 'three')
    expect(stale.status).toBe(412)
    const err = await errorOf(stale)
    expect(err.code).toBe('precondition_failed')
    expect(err.message).toContain(newEtag)
    const after = (await (await getPost('etag-post')).json()) as { title: string; body: string }
    expect(after).toMatchObject({ title: 'Second', body: 'two' })
    const record = await env.POSTS.get<{ title: string }>('v1:post:etag-post', 'json')
    expect(record?.title).toBe('Second')

    // An entity tag that is not ours never matches; a list may name the current one.
    expect((await putWith('etag-post', { 'if-match': '"abc"' }, 'Nope')).status).toBe(412)
    expect((await putWith('etag-post', { 'if-match': `"r999", ${newEtag}` }, 'Third')).status).toBe(200)
  })

  it('If-Match: * requires the post to exist; nothing is created otherwise', async () => {
    const res = await putWith('etag-missing', { 'if-match': '*' }, 'Should not exist')
    expect(res.status).toBe(412)
    expect((await errorOf(res)).code).toBe('precondition_failed')
    expect(await env.POSTS.get('v1:post:etag-missing')).toBeNull()
    expect((await getPost('etag-missing')).status).toBe(404)
    await putPost('etag-star', { title: 'Exists' })
    expect((await putWith('etag-star', { 'if-match': '*' }, 'Replaced')).status).toBe(200)
  })

  it('a PUT of the post exactly as stored answers unchanged and keeps the revision; any change makes a new one', async () => {
    const first = await putWith('same-again', {}, 'Same', 'Body $x$.')
    expect(first.status).toBe(201)
    const again = await putWith('same-again', {}, 'Same', 'Body $x$.')
    expect(again.status).toBe(200)
    const body = (await again.json()) as { result: string; post: { revision: number } }
    expect(body.result).toBe('unchanged')
    expect(body.post.revision).toBe(1)
    expect(again.headers.get('etag')).toBe('"r1"')
    const list = (await (await request('/api/posts/same-again/revisions', { headers: auth })).json()) as { revisions: unknown[] }
    expect(list.revisions).toHaveLength(1)
    const changed = (await (await putWith('same-again', {}, 'Same', 'Body $y$.')).json()) as { result: string; post: { revision: number } }
    expect(changed).toMatchObject({ result: 'updated', post: { revision: 2 } })
    const retitled = (await (await putWith('same-again', {}, 'Other', 'Body $y$.')).json()) as { result: string }
    expect(retitled.result).toBe('updated')
  })

  it('If-None-Match: * creates only: of two concurrent creates of one id exactly one lands; a deleted id is refused too', async () => {
    const [a, b] = await Promise.all([
      putWith('create-once', { 'if-none-match': '*' }, 'First writer'),
      putWith('create-once', { 'if-none-match': '*' }, 'Second writer'),
    ])
    expect([a.status, b.status].sort()).toEqual([201, 412])
    const loser = a.status === 412 ? a : b
    expect((await errorOf(loser)).message).toContain('already exists')
    const kept = (await (await getPost('create-once')).json()) as { title: string; revision: number }
    expect(kept.revision).toBe(1)
    expect(['First writer', 'Second writer']).toContain(kept.title)
    expect((await request('/api/posts/create-once', { method: 'DELETE', headers: auth })).status).toBe(200)
    const deleted = await putWith('create-once', { 'if-none-match': '*' }, 'Over a deleted post')
    expect(deleted.status).toBe(412)
    expect((await errorOf(deleted)).message).toContain('deleted')
    expect((await getPost('create-once')).status).toBe(410)
    const other = await putWith('create-other', { 'if-none-match': '"r1"' }, 'Bad header')
    expect(other.status).toBe(400)
    expect((await getPost('create-other')).status).toBe(404)
  })

  it('lets exactly one of two concurrent edits from the same version land', async () => {
    await putPost('etag-race', { title: 'Base' })
    const etag = (await getPost('etag-race')).headers.get('etag')!
    const results = await Promise.all(['A', 'B', 'C'].map((t) => putWith('etag-race', { 'if-match': etag }, `Edit ${t}`)))
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412])
  })
})

describe('revisions', () => {
  it('keeps every replaced version: list, view (JSON and markdown), restore as a new revision', async () => {
    await putPost('rev-post', { title: 'Version one', date: '2024-02-01', tags: ['a'] }, 'Body one')
    await putPost('rev-post', { title: 'Version two', date: '2024-02-01' }, 'Body two')
    await putPost('rev-post', { title: 'Version three', date: '2024-02-01' }, 'Body three')

    const list = await request('/api/posts/rev-post/revisions', { headers: auth })
    expect(list.status).toBe(200)
    const { current, revisions } = (await list.json()) as {
      current: number
      revisions: { revision: number; current: boolean; title: string; size: number; date: string; etag: string }[]
    }
    expect(revisions.map((r) => r.title)).toEqual(['Version three', 'Version two', 'Version one'])
    expect(revisions[0]).toMatchObject({ current: true, revision: current, etag: `"r${current}"` })
    const oldest = revisions[2]!.revision

    const one = await request(`/api/posts/rev-post/revisions/${oldest}`, { headers: auth })
    expect(one.status).toBe(200)
    const detail = (await one.json()) as { revision: number; post: { title: string; body: string; tags: string[] } }
    expect(detail).toMatchObject({ revision: oldest, post: { title: 'Version one', tags: ['a'] } })
    expect(detail.post.body.trim()).toBe('Body one')
    expect(revisions[2]!.size).toBe(new TextEncoder().encode(detail.post.body).length)
    const md = await request(`/api/posts/rev-post/revisions/${oldest}`, { headers: { ...auth, accept: 'text/markdown' } })
    expect(md.headers.get('content-type')).toContain('text/markdown')
    const file = await md.text()
    expect(file).toContain('title: "Version one"')
    expect(file).toContain('Body one')

    // Restoring goes through the normal publish path: a new revision, lists and the page follow.
    const restore = await request(`/api/posts/rev-post/revisions/${oldest}/restore`, { method: 'POST', headers: auth })
    expect(restore.status).toBe(200)
    const restored = (await restore.json()) as { result: string; restoredFrom: number; post: { revision: number; title: string } }
    expect(restored).toMatchObject({ result: 'updated', restoredFrom: oldest, post: { title: 'Version one' } })
    expect(restored.post.revision).toBeGreaterThan(current)
    expect(restore.headers.get('etag')).toBe(`"r${restored.post.revision}"`)
    const page = await view('/archives/rev-post', '198.51.100.70')
    expect(await page.text()).toContain('Body one')
    const after = (await (await request('/api/posts/rev-post/revisions', { headers: auth })).json()) as {
      revisions: { title: string }[]
    }
    expect(after.revisions.map((r) => r.title)).toEqual(['Version one', 'Version three', 'Version two', 'Version one'])

    // A restore with a stale If-Match is refused like a PUT.
    const stale = await request(`/api/posts/rev-post/revisions/${oldest}/restore`, {
      method: 'POST',
      headers: { ...auth, 'if-match': `"r${current}"` },
    })
    expect(stale.status).toBe(412)
  })

  it('answers 404 for an unknown post or revision, 400 for a bad number, 401 without the token', async () => {
    await putPost('rev-errors', { title: 'Only one' })
    expect((await request('/api/posts/rev-nothing/revisions', { headers: auth })).status).toBe(404)
    const missing = await request('/api/posts/rev-errors/revisions/999', { headers: auth })
    expect(missing.status).toBe(404)
    expect((await errorOf(missing)).code).toBe('no_such_revision')
    expect((await request('/api/posts/rev-errors/revisions/abc', { headers: auth })).status).toBe(400)
    expect((await request('/api/posts/rev-errors/revisions/999/restore', { method: 'POST', headers: auth })).status).toBe(404)
    expect((await request('/api/posts/rev-errors/revisions')).status).toBe(401)
    expect((await request('/api/posts/rev-errors/revisions', { method: 'DELETE', headers: auth })).status).toBe(405)
  })

  it('keeps at most 50 previous versions per post', async () => {
    for (let i = 1; i <= 53; i++) await putWith('rev-many', {}, `Take ${i}`)
    const { revisions } = (await (await request('/api/posts/rev-many/revisions', { headers: auth })).json()) as {
      revisions: { title: string }[]
    }
    expect(revisions).toHaveLength(51)
    expect(revisions[0]!.title).toBe('Take 53')
    expect(revisions.at(-1)!.title).toBe('Take 3')
  })
})

describe('dry run', () => {
  it('renders without storing: nothing in KV, the registry or the lists changes', async () => {
    const snapshotBefore = await env.POSTS.get('v1:site')
    const res = await putPost('dry-new', { title: 'Dry', tags: ['x'] }, '# Heading\n\n$E=mc^2$ and **bold**', '?dry_run=1')
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      dryRun: boolean
      html: string
      excerptHtml: string
      description: string
      toc: unknown[]
      mathErrors: number
    }
    expect(body.dryRun).toBe(true)
    expect(body.html).toContain('class="katex"')
    expect(body.html).toContain('<strong>bold</strong>')
    expect(body.toc).toHaveLength(1)
    expect(body.mathErrors).toBe(0)
    expect(typeof body.description).toBe('string')
    expect(await env.POSTS.get('v1:post:dry-new')).toBeNull()
    expect((await getPost('dry-new')).status).toBe(404)
    expect(await env.POSTS.get('v1:site')).toBe(snapshotBefore)

    // On an existing post: the stored version stays.
    await putPost('dry-existing', { title: 'Kept' }, 'kept body')
    const etag = (await getPost('dry-existing')).headers.get('etag')
    expect((await putPost('dry-existing', { title: 'Changed' }, 'changed body', '?dry_run=1')).status).toBe(200)
    const after = await getPost('dry-existing')
    expect(after.headers.get('etag')).toBe(etag)
    expect(((await after.json()) as { title: string }).title).toBe('Kept')

    // POST too, without using up a number.
    const post = await request('/api/posts?dry_run=1', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Dry post', body: 'hello' }),
    })
    expect(post.status).toBe(200)
    expect(((await post.json()) as { html: string }).html).toContain('hello')
  })

  it('answers the refusals a publish would get from what is stored: an alias another post holds, If-Match, If-None-Match', async () => {
    await putPost('dry-owner', { title: 'Owner', aliases: ['/dry-contested'] })
    const taken = await putPost('dry-thief', { title: 'Thief', aliases: ['/dry-contested'] }, 'x', '?dry_run=1')
    expect(taken.status).toBe(409)
    expect(await errorOf(taken)).toMatchObject({ code: 'alias_taken', message: expect.stringContaining('"dry-owner"') })
    const takenNew = await request('/api/posts?dry_run=1', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'New thief', body: 'x', aliases: ['/dry-contested'] }),
    })
    expect(takenNew.status).toBe(409)
    expect((await errorOf(takenNew)).code).toBe('alias_taken')
    // The owner itself may keep its alias in a dry run.
    expect((await putPost('dry-owner', { title: 'Owner again', aliases: ['/dry-contested'] }, 'x', '?dry_run=1')).status).toBe(200)

    const etag = (await getPost('dry-owner')).headers.get('etag')!
    expect((await putWith('dry-owner', { 'if-match': etag }, 'Fresh', 'x', '?dry_run=1')).status).toBe(200)
    await putPost('dry-owner', { title: 'Changed meanwhile', aliases: ['/dry-contested'] })
    const stale = await putWith('dry-owner', { 'if-match': etag }, 'Stale', 'x', '?dry_run=1')
    expect(stale.status).toBe(412)
    expect((await errorOf(stale)).code).toBe('precondition_failed')
    expect((await putWith('dry-owner', { 'if-none-match': '*' }, 'Create only', 'x', '?dry_run=1')).status).toBe(412)
    expect((await putWith('dry-unused', { 'if-none-match': '*' }, 'Create only', 'x', '?dry_run=1')).status).toBe(200)
    // Nothing was stored by any of them.
    expect(await env.POSTS.get('v1:post:dry-thief')).toBeNull()
    expect(await env.POSTS.get('v1:post:dry-unused')).toBeNull()
    expect(((await (await getPost('dry-owner')).json()) as { title: string }).title).toBe('Changed meanwhile')
  })

  it('still rejects bad input with a 4xx', async () => {
    expect((await putPost('dry-bad', { title: '' }, 'x', '?dry_run=1')).status).toBe(400)
    expect((await putPost('dry-bad', { title: 't' }, 'x', '?dry_run=yes')).status).toBe(400)
    expect(await env.POSTS.get('v1:post:dry-bad')).toBeNull()
  })
})

describe('GET /api/posts', () => {
  it('lists posts newest first with drafts, filters by status and pages', async () => {
    await putPost('list-old', { title: 'List old', date: '2001-01-01' })
    await putPost('list-draft', { title: 'List draft', date: '2001-01-02', draft: true })
    await putPost('list-new', { title: 'List new', date: '2001-01-03' })

    const all = await request('/api/posts?limit=200', { headers: auth })
    expect(all.status).toBe(200)
    const body = (await all.json()) as { total: number; posts: { id: string; status: string }[] }
    const ids = body.posts.map((p) => p.id)
    expect(ids.indexOf('list-new')).toBeLessThan(ids.indexOf('list-draft'))
    expect(ids.indexOf('list-draft')).toBeLessThan(ids.indexOf('list-old'))
    expect(body.posts.find((p) => p.id === 'list-draft')?.status).toBe('draft')

    const drafts = (await (await request('/api/posts?status=draft', { headers: auth })).json()) as { posts: { status: string }[] }
    expect(drafts.posts.length).toBeGreaterThan(0)
    expect(drafts.posts.every((p) => p.status === 'draft')).toBe(true)

    const page1 = (await (await request('/api/posts?limit=1', { headers: auth })).json()) as {
      page: number
      pages: number
      next: string | null
      posts: unknown[]
    }
    expect(page1.posts).toHaveLength(1)
    expect(page1.pages).toBe(body.total)
    expect(page1.next).toContain('page=2')
    const page2 = (await (await request(page1.next!, { headers: auth })).json()) as { page: number; posts: unknown[] }
    expect(page2.page).toBe(2)
    expect(page2.posts).toHaveLength(1)
  })

  it('needs the token and answers 400 for a bad query', async () => {
    expect((await request('/api/posts')).status).toBe(401)
    expect((await request('/api/posts?status=secret', { headers: auth })).status).toBe(400)
    expect((await request('/api/posts?limit=0', { headers: auth })).status).toBe(400)
    expect((await request('/api/posts?page=-1', { headers: auth })).status).toBe(400)
  })
})

describe('draft previews', () => {
  it('shows a draft through a signed link, without counting, indexing or a comment form', async () => {
    const res = await putPost('preview-draft', { title: 'Secret draft', draft: true }, 'Draft body text')
    expect(res.status).toBe(201)
    const { preview } = (await res.json()) as { preview: { url: string; expiresAt: string } }
    expect(preview.url).toMatch(/\/preview\/preview-draft\?token=/)
    expect((await view('/archives/preview-draft', '198.51.100.80')).status).toBe(404)

    const path = new URL(preview.url).pathname + new URL(preview.url).search
    const page = await view(path, '198.51.100.81')
    expect(page.status).toBe(200)
    expect(page.headers.get('x-robots-tag')).toContain('noindex')
    expect(page.headers.get('cache-control')).toContain('no-store')
    // The token in the address is not sent on to any link the draft contains (the site's other pages
    // keep the global strict-origin-when-cross-origin).
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect((await request('/')).headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    const html = await page.text()
    expect(html).toContain('Secret draft')
    expect(html).toContain('Draft body text')
    expect(html).toContain('name="robots" content="noindex')
    // No comment form (the header's search form is a GET form).
    expect(html).not.toContain('method="post"')
    expect(html).not.toContain('/archives/preview-draft/comments')
    expect((await roomStats('preview-draft')).views).toBe(0)

    // A fresh link from the API works too.
    const link = await request('/api/posts/preview-draft/preview-link?days=1', { method: 'POST', headers: auth })
    expect(link.status).toBe(200)
    const fresh = (await link.json()) as { url: string }
    expect((await request(new URL(fresh.url).pathname + new URL(fresh.url).search)).status).toBe(200)
  })

  it('refuses a bad, foreign or expired token', async () => {
    await putPost('preview-a', { title: 'Draft A', draft: true })
    await putPost('preview-b', { title: 'Draft B', draft: true })
    expect((await request('/preview/preview-a')).status).toBe(403)
    expect((await request('/preview/preview-a?token=nonsense')).status).toBe(403)
    const tokenB = await previewToken(env.COMMENT_SECRET!, 'preview-b', Date.now() + 60_000)
    expect((await request(`/preview/preview-b?token=${tokenB}`)).status).toBe(200)
    expect((await request(`/preview/preview-a?token=${tokenB}`)).status).toBe(403)
    const forged = await previewToken('another-secret', 'preview-a', Date.now() + 60_000)
    expect((await request(`/preview/preview-a?token=${forged}`)).status).toBe(403)
    const expired = await previewToken(env.COMMENT_SECRET!, 'preview-a', Date.now() - 1000)
    expect((await request(`/preview/preview-a?token=${expired}`)).status).toBe(410)
    const unknown = await previewToken(env.COMMENT_SECRET!, 'preview-none', Date.now() + 60_000)
    expect((await request(`/preview/preview-none?token=${unknown}`)).status).toBe(404)
    expect((await request('/api/posts/preview-none/preview-link', { method: 'POST', headers: auth })).status).toBe(404)
    expect((await request('/api/posts/preview-a/preview-link', { method: 'POST' })).status).toBe(401)
  })
})

describe('scheduled posts', () => {
  it('a post that comes due while its object is being told it is scheduled is published there too', async () => {
    const at = Date.now() + 300
    let raced = false
    // The Site object's flush tells the post's object "scheduled"; before that call arrives, the post
    // comes due and the Site object's alarm publishes it.
    const restore = await siteRoomCalls('sched-race', 'setStatus', (real) => async (...args: Parameters<typeof real.setStatus>) => {
      if (args[1] === 'scheduled' && !raced) {
        raced = true
        await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now() + 20)))
        void runInDurableObject(env.SITE.getByName('site'), (site: Site) => site.alarm())
        await new Promise((r) => setTimeout(r, 100))
      }
      return real.setStatus(...args)
    })
    try {
      const res = await putPost('sched-race', { title: 'Due at once', date: new Date(at).toISOString() }, 'Zephyrine comes due')
      expect(res.status).toBe(201)
      expect(raced).toBe(true)
    } finally {
      await restore()
    }
    expect((await (await getPost('sched-race')).json()) as { status: string }).toMatchObject({ status: 'published' })
    // The post's object was told "published" after "scheduled", so the page is there.
    await eventually(async () => {
      expect((await view('/archives/sched-race', '198.51.100.92')).status).toBe(200)
    })
    expect(await roomStats('sched-race')).toMatchObject({ status: 'published' })
    // And search finds it.
    await eventually(async () => {
      expect(await (await request('/search?q=Zephyrine')).text()).toContain('/archives/sched-race"')
    })
  })

  it('never answers 503, nor shows a draft, while a post is hidden (the object hears before KV changes)', async () => {
    // A view arrives while the Site object's flush tells the post's object the new status.
    const seen: { id: string; status: number; html: string }[] = []
    const restore = await siteRoomCalls(null, 'setStatus', (real) => async (...args: Parameters<typeof real.setStatus>) => {
      const [id, status] = args
      if ((id === 'hide-deleted' || id === 'hide-draft') && status !== 'published') {
        const res = await view(`/archives/${id}`, '198.51.100.93')
        seen.push({ id, status: res.status, html: await res.text() })
      }
      return real.setStatus(...args)
    })
    try {
      expect((await putPost('hide-deleted', { title: 'Soon deleted' }, 'Gone soon')).status).toBe(201)
      expect((await putPost('hide-draft', { title: 'Public title' }, 'Public words')).status).toBe(201)
      expect((await request('/api/posts/hide-deleted', { method: 'DELETE', headers: auth })).status).toBe(200)
      // (Not viewed before: no isolate holds its published record.)
      expect((await putPost('hide-draft', { title: 'Secret draft title', draft: true }, 'Unfinished')).status).toBe(200)
    } finally {
      await restore()
    }
    expect(seen.map((s) => s.id).sort()).toEqual(['hide-deleted', 'hide-draft'])
    for (const s of seen) {
      expect(s.status, s.id).toBe(200)
      expect(s.html, s.id).not.toContain('Secret draft title')
    }
    expect((await view('/archives/hide-deleted', '198.51.100.94')).status).toBe(410)
    expect((await view('/archives/hide-draft', '198.51.100.94')).status).toBe(404)
  })

  it('holds a post with a future date until the Site object alarm publishes it', async () => {
    const at = Date.now() + 1500
    const res = await putPost('sched-post', { title: 'From the future', date: new Date(at).toISOString() }, 'Scheduled body')
    expect(res.status).toBe(201)
    const { post, preview } = (await res.json()) as { post: { status: string }; preview?: { url: string } }
    expect(post.status).toBe('scheduled')
    expect(preview?.url).toContain('/preview/sched-post?token=')

    expect(await (await request('/')).text()).not.toContain('From the future')
    expect((await view('/archives/sched-post', '198.51.100.90')).status).toBe(404)
    const scheduled = (await (await request('/api/posts?status=scheduled', { headers: auth })).json()) as { posts: { id: string }[] }
    expect(scheduled.posts.map((p) => p.id)).toContain('sched-post')
    const search = await request('/search?q=Scheduled')
    expect(await search.text()).not.toContain('From the future')
    const path = new URL(preview!.url).pathname + new URL(preview!.url).search
    const previewed = await request(path)
    expect(previewed.status).toBe(200)
    // It says when, as a reader reads a time (the site's zone, to the minute).
    const when = new Date(at + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
    expect(await previewed.text()).toContain(`定时发布预览：将于 ${when} 发布。`)

    await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now() + 50)))
    await runDurableObjectAlarm(env.SITE.getByName('site'))
    await eventually(async () => {
      expect(await (await request('/')).text()).toContain('From the future')
    })
    expect((await view('/archives/sched-post', '198.51.100.91')).status).toBe(200)
    const now = (await (await getPost('sched-post')).json()) as { status: string }
    expect(now.status).toBe('published')
    await eventually(async () => {
      expect(await (await request('/search?q=Scheduled')).text()).toContain('From the future')
    })
  })
})

describe('POST /api/posts/:id/rename', () => {
  const rename = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    request(`/api/posts/${id}/rename`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })

  it('moves the post with its comments, count and revisions; the old URL answers 301', async () => {
    await putPost('old-name', { title: 'Renamed post', date: '2024-03-03' }, 'first')
    await putPost('old-name', { title: 'Renamed post', date: '2024-03-03' }, 'second')
    await view('/archives/old-name', '198.51.100.100')
    await view('/archives/old-name', '198.51.100.101')
    const posted = await postComment('old-name', { author: 'Reader', body: 'travels along' })
    expect(posted.status).toBe(201)

    const res = await rename('old-name', { to: 'new-name' })
    expect(res.status).toBe(200)
    expect(res.headers.get('location')).toBe('/archives/new-name')
    const body = (await res.json()) as { result: string; post: { id: string; status: string } }
    expect(body).toMatchObject({ result: 'renamed', post: { id: 'new-name', status: 'published' } })

    const old = await view('/archives/old-name', '198.51.100.102')
    expect(old.status).toBe(301)
    expect(old.headers.get('location')).toBe('/archives/new-name')
    expect((await view('/archives/old-name/comment-page-2', '198.51.100.102')).headers.get('location')).toBe(
      '/archives/new-name/comment-page-2',
    )
    const page = await view('/archives/new-name', '198.51.100.103')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('second')
    expect(html).toContain('travels along')
    expect(html).toContain('3位读者')
    expect((await roomStats('new-name')).views).toBe(3)

    const comments = (await (await request('/api/posts/new-name/comments')).json()) as { total: number }
    expect(comments.total).toBe(1)
    const revisions = (await (await request('/api/posts/new-name/revisions', { headers: auth })).json()) as { revisions: unknown[] }
    expect(revisions.revisions).toHaveLength(2)
    const home = await (await request('/')).text()
    expect(home).toContain('/archives/new-name')
    expect(home).not.toContain('/archives/old-name')
    // The old id leads to the post (308, as its count and comments do).
    const oldApi = await getPost('old-name')
    expect([oldApi.status, oldApi.headers.get('location')]).toEqual([308, '/api/posts/new-name'])

    // The old id is not reused: a PUT there is refused (the redirect stays).
    const put = await putPost('old-name', { title: 'Squatter' })
    expect(put.status).toBe(409)
    expect((await errorOf(put)).code).toBe('id_moved')
    expect((await view('/archives/old-name', '198.51.100.104')).status).toBe(301)

    // Renaming back works, and the count and comments come along again.
    expect((await rename('new-name', { to: 'old-name' })).status).toBe(200)
    expect((await view('/archives/new-name', '198.51.100.105')).headers.get('location')).toBe('/archives/old-name')
    const back = await view('/archives/old-name', '198.51.100.106')
    expect(back.status).toBe(200)
    expect(await back.text()).toContain('travels along')
    expect((await roomStats('old-name')).views).toBe(4)
  })

  it('refuses bad input with a 4xx and changes nothing', async () => {
    await putPost('rename-a', { title: 'A' })
    await putPost('rename-b', { title: 'B' })
    expect((await rename('rename-a', { to: 'rename-b' })).status).toBe(409)
    expect((await rename('rename-a', { to: 'Not An Id' })).status).toBe(400)
    expect((await rename('rename-a', { to: 'rename-a' })).status).toBe(400)
    expect((await rename('rename-a', {})).status).toBe(400)
    expect((await rename('rename-none', { to: 'rename-c' })).status).toBe(404)
    expect((await rename('rename-a', { to: 'rename-c' }, { 'if-match': '"r999"' })).status).toBe(412)
    expect(
      (
        await request('/api/posts/rename-a/rename', {
          method: 'POST',
          headers: { ...auth, 'content-type': 'text/plain' },
          body: 'rename-c',
        })
      ).status,
    ).toBe(415)
    expect((await request('/api/posts/rename-a/rename', { method: 'POST', body: '{"to":"x"}' })).status).toBe(401)
    expect((await view('/archives/rename-a', '198.51.100.110')).status).toBe(200)
    expect((await view('/archives/rename-c', '198.51.100.110')).status).toBe(404)
  })

  it("refuses another post's former id and, for a page, an address of the site's own; a post may take back its own former id", async () => {
    await putPost('former-a', { title: 'Former A' })
    await putPost('intruder', { title: 'Intruder' })
    await postComment('former-a', { author: 'Reader', body: 'on A' })
    expect((await rename('former-a', { to: 'former-b' })).status).toBe(200)
    const taken = await rename('intruder', { to: 'former-a' })
    expect(taken.status).toBe(409)
    expect(((await taken.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'id_moved',
      message: expect.stringContaining('former-b'),
    })
    // The old address still redirects to the post that had it, with its comment links.
    const old = await request('/archives/former-a')
    expect(old.status).toBe(301)
    expect(old.headers.get('location')).toBe('/archives/former-b')
    expect((await request('/archives/intruder')).status).toBe(200)
    // The post itself may go back to its former id.
    expect((await rename('former-b', { to: 'former-a' })).status).toBe(200)
    expect((await request('/archives/former-a')).status).toBe(200)
    // Its citation files follow it too.
    for (const ext of ['bib', 'ris', 'json']) {
      const cite = await request(`/archives/former-b/cite.${ext}`, { redirect: 'manual' })
      expect(cite.status, ext).toBe(301)
      expect(cite.headers.get('location')).toBe(`/archives/former-a/cite.${ext}`)
    }

    await putPost('page-to-rename', { title: 'A page', type: 'page' })
    const reserved = await rename('page-to-rename', { to: 'feed' })
    expect(reserved.status).toBe(400)
    expect(((await reserved.json()) as { error: { message: string } }).error.message).toContain('cannot be a page')
    expect((await request('/api/posts/page-to-rename', { headers: auth })).status).toBe(200)
    expect((await request('/api/posts/feed', { headers: auth })).status).toBe(404)
    // A post (not a page) has no short address, so the same id is fine for it.
    await putPost('post-to-rename', { title: 'A post' })
    expect((await rename('post-to-rename', { to: 'feed' })).status).toBe(200)
    // The schema's message names the field once.
    const bad = await rename('intruder', { to: 'Not An Id' })
    expect(((await bad.json()) as { error: { message: string } }).error.message).not.toMatch(/^to: to:/)
  })

  it("retires the old post's object in the same call that copies it, so nothing lands there after the copy", async () => {
    await putPost('retire-me', { title: 'Retire me' })
    expect((await view('/archives/retire-me', '198.51.100.130')).status).toBe(200)
    const room = env.POST_ROOM.getByName('retire-me')
    const state = await room.exportState({ postId: 'retire-me', revision: 99 })
    // The copy is of the post as it was (published, one view) ...
    const value = (table: string, name: string) => {
      const { columns, rows } = state.tables[table]!
      return rows.find((row) => row[columns.indexOf('name')] === name)?.[columns.indexOf('value')]
    }
    expect(value('meta', 'status')).toBe('published')
    expect(value('counters', 'views')).toBe(1)
    // ... and the object itself counts and takes nothing from then on.
    expect(await roomStats('retire-me')).toMatchObject({ status: 'deleted', views: 1 })
    const opened = await room.open({ countView: true, readers: ['a-reader'], windowMs: 60_000 })
    expect(opened).toMatchObject({ status: 'deleted', counted: false })
    const comment = await postComment('retire-me', { author: 'Late', body: 'after the copy' })
    expect(comment.status).toBe(410)
    expect((await roomStats('retire-me')).comments).toBe(0)
  })

  it("the old address redirects where KV still holds the post's record, and its comment links follow the post", async () => {
    await putPost('stale-a', { title: 'Stale copy' })
    const posted = await postComment('stale-a', { author: 'Reader', body: 'linked from a mail' })
    expect(posted.status).toBe(201)
    const cid = ((await posted.json()) as { comment: { id: number } }).comment.id
    const before = await env.POSTS.get('v1:post:stale-a')
    expect((await rename('stale-a', { to: 'stale-b' })).status).toBe(200)
    expect(await env.POSTS.get('v1:post:stale-a', 'json')).toMatchObject({ movedTo: 'stale-b' })
    // A copy of the old record where the redirect has not arrived yet (KV's cache elsewhere, or the
    // redirect's write still being retried): the post's object knows where the post went. (302: only
    // KV's redirect, written once the rename is confirmed, is the permanent word.)
    await env.POSTS.put('v1:post:stale-a', before!)
    try {
      const old = await view('/archives/stale-a', '198.51.100.150')
      expect(old.status).toBe(302)
      expect(old.headers.get('location')).toBe('/archives/stale-b')
      const page2 = await view('/archives/stale-a/comment-page-2', '198.51.100.150')
      expect(page2.status).toBe(302)
      expect(page2.headers.get('location')).toBe('/archives/stale-b/comment-page-2')
    } finally {
      await env.POSTS.put('v1:post:stale-a', JSON.stringify({ id: 'stale-a', movedTo: 'stale-b', movedAt: Date.now() }))
    }
    // A comment's link (in a reply notification, a feed, another site) follows the post too.
    const link = await request(`/archives/stale-a/comments/${cid}`)
    expect(link.status).toBe(302)
    expect(link.headers.get('location')).toBe(`/archives/stale-b/comments/${cid}`)
    const followed = await request(link.headers.get('location')!)
    expect(followed.status).toBe(302)
    expect(followed.headers.get('location')).toBe(`/archives/stale-b#comment-${cid}`)
    // The old object counted nothing; the reader who followed the redirect is counted at the new address.
    expect(await roomStats('stale-a')).toMatchObject({ status: 'deleted', views: 0 })
    const moved = await view('/archives/stale-b', '198.51.100.150')
    expect(await moved.text()).toContain('1位读者')
    // Renamed back, the post answers at its first address again, and the other one redirects.
    expect((await rename('stale-b', { to: 'stale-a' })).status).toBe(200)
    expect((await view('/archives/stale-a', '198.51.100.151')).status).toBe(200)
    expect((await request(`/archives/stale-a/comments/${cid}`)).status).toBe(302)
    expect((await request(`/archives/stale-b/comments/${cid}`)).headers.get('location')).toBe(`/archives/stale-a/comments/${cid}`)
  })

  it('the API at a renamed post’s old id answers 308 to the new id (count, comments, a comment’s edit and moderation, stats); what changes the post itself does not follow', async () => {
    await putPost('amove-a', { title: 'API on the move' })
    const cid = await postComment('amove-a', { author: 'Reader', body: 'before the rename' }, auth).then(
      async (r) => ((await r.json()) as { comment: { id: number } }).comment.id,
    )
    await view('/archives/amove-a', '198.51.100.160')
    expect((await rename('amove-a', { to: 'amove-b' })).status).toBe(200)
    const manual = (path: string, init: RequestInit = {}) => request(path, { ...init, redirect: 'manual' })
    const moved = async (res: Response, location: string) => {
      expect([res.status, res.headers.get('location')]).toEqual([308, location])
      expect(await errorOf(res)).toEqual({ code: 'post_moved', message: 'Post "amove-a" was renamed to "amove-b".' })
    }
    await moved(await manual('/api/posts/amove-a/views'), '/api/posts/amove-b/views')
    await moved(await manual('/api/posts/amove-a/comments'), '/api/posts/amove-b/comments')
    await moved(await manual(`/api/posts/amove-a/comments/${cid}`), `/api/posts/amove-b/comments/${cid}`)
    await moved(await manual('/api/posts/amove-a', { headers: auth }), '/api/posts/amove-b')
    await moved(await manual('/api/stats?post=amove-a&days=7', { headers: auth }), '/api/stats?post=amove-b&days=7')
    await moved(await manual('/api/stats.svg?post=amove-a', { headers: auth }), '/api/stats.svg?post=amove-b')
    const edit = { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ body: 'edited' }) }
    await moved(await manual(`/api/posts/amove-a/comments/${cid}`, edit), `/api/posts/amove-b/comments/${cid}`)
    await moved(await manual(`/api/comments/amove-a/${cid}/pin`, { method: 'POST', headers: auth }), `/api/comments/amove-b/${cid}/pin`)
    // Followed (the test's fetch goes to the Worker, which follows nothing), they reach the post and its comment at the new id.
    const follow = async (path: string, init: RequestInit = {}) => request((await manual(path, init)).headers.get('location')!, init)
    expect(await (await follow('/api/posts/amove-a/views')).json()).toMatchObject({ views: 1 })
    expect((await follow(`/api/posts/amove-a/comments/${cid}`, edit)).status).toBe(200)
    expect(((await (await request('/api/posts/amove-b/comments')).json()) as { comments: { body: string }[] }).comments[0]!.body).toBe(
      'edited',
    )
    // Deleting, renaming or restoring the old id is not sent on to the renamed post.
    expect((await manual('/api/posts/amove-a', { method: 'DELETE', headers: auth })).status).toBe(404)
    expect(
      (
        await manual('/api/posts/amove-a/rename', {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: '{"to":"amove-c"}',
        })
      ).status,
    ).not.toBe(308)
    expect((await request('/api/posts/amove-b', { headers: auth })).status).toBe(200)
    // A post deleted, not renamed, stays 410.
    await putPost('amove-gone', { title: 'Gone' })
    expect((await request('/api/posts/amove-gone', { method: 'DELETE', headers: auth })).status).toBe(200)
    const gone = await manual('/api/posts/amove-gone/views')
    expect([gone.status, (await errorOf(gone)).code]).toEqual([410, 'post_deleted'])
  })

  it('a comment sent to the old address (from a page opened before the rename) is redirected to the new one and stored there', async () => {
    await putPost('cmove-a', { title: 'Comment on the move' })
    const before = await env.POSTS.get('v1:post:cmove-a')
    expect((await rename('cmove-a', { to: 'cmove-b' })).status).toBe(200)
    const send = (body: Record<string, string>, path = '/api/posts/cmove-a/comments') =>
      request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), redirect: 'manual' })
    const typed = { author: 'Late reader', body: 'typed before the rename', key: 'cmove-key-1' }
    const refused = await send(typed)
    expect(refused.status).toBe(308)
    expect(refused.headers.get('location')).toBe('/api/posts/cmove-b/comments')
    expect((await errorOf(refused)).code).toBe('post_moved')
    // The form without JavaScript: the browser posts it again to the new address (308 keeps the method
    // and body). So is its preview, and a comment refused with its text given back (here: no name),
    // which a GET redirect would lose.
    const formPost = (fields: Record<string, string>) =>
      request('/archives/cmove-a/comments', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      })
    for (const fields of [
      { author: 'Form reader', body: 'from the form' } as Record<string, string>,
      { author: 'Previewer', body: 'what does $x^2$ look like', intent: 'preview' },
      { author: '', body: 'sent without a name' },
    ]) {
      const res = await formPost(fields)
      expect(res.status).toBe(308)
      expect(res.headers.get('location')).toBe('/archives/cmove-b/comments')
    }
    // Where KV still holds the old record, the old post's object gives the new address (307: see above).
    await env.POSTS.put('v1:post:cmove-a', before!)
    try {
      const stale = await send({ ...typed, key: 'cmove-key-2' })
      expect(stale.status).toBe(307)
      expect(stale.headers.get('location')).toBe('/api/posts/cmove-b/comments')
      const preview = await formPost({ author: 'Previewer', body: 'and now $y$', intent: 'preview' })
      expect(preview.status).toBe(307)
      expect(preview.headers.get('location')).toBe('/archives/cmove-b/comments')
    } finally {
      await env.POSTS.put('v1:post:cmove-a', JSON.stringify({ id: 'cmove-a', movedTo: 'cmove-b', movedAt: Date.now() }))
    }
    // Sent again where the redirect points (as fetch and browsers do): stored once, at the new address.
    const stored = await send(typed, refused.headers.get('location')!)
    expect(stored.status).toBe(201)
    expect((await roomStats('cmove-b')).comments).toBe(1)
    expect((await roomStats('cmove-a')).comments).toBe(0)
  })

  it('an unsubscribe link mailed before the post was renamed (twice) still stops the mails, at its new id', async () => {
    await putPost('unsub-a', { title: 'Unsubscribe on the move' })
    const posted = await postComment('unsub-a', { author: 'Asker', email: 'asker@example.com', body: 'tell me', notify: '1' })
    const cid = ((await posted.json()) as { comment: { id: number } }).comment.id
    const link = `/comments/unsubscribe?post=unsub-a&comment=${cid}&sig=${await unsubscribeToken(commentSecret(env), 'unsub-a', cid)}`
    expect((await rename('unsub-a', { to: 'unsub-b' })).status).toBe(200)
    expect((await rename('unsub-b', { to: 'unsub-c' })).status).toBe(200)
    const notify = (id: string) =>
      runInDurableObject(
        env.POST_ROOM.getByName(id),
        (_, state) => state.storage.sql.exec<{ notify: number }>('SELECT notify FROM comments WHERE id = ?', cid).one().notify,
      )
    expect(await notify('unsub-c')).toBe(1)
    const done = await request(link, { method: 'POST', headers: { origin: ORIGIN } })
    expect(done.status).toBe(200)
    expect(await notify('unsub-c')).toBe(0)
  })

  it("a rename whose copy of the post's object fails answers 503 and changes nothing", async () => {
    await putPost('move-fail', { title: 'Move fail' })
    expect((await view('/archives/move-fail', '198.51.100.131')).status).toBe(200)
    // The new id's object refuses the copy (as an object that is down would).
    const restore = await siteRoomCalls('move-target', 'importState', () => () => Promise.reject(new Error('object unavailable')))
    try {
      const res = await rename('move-fail', { to: 'move-target' })
      expect(res.status).toBe(503)
      expect(await errorOf(res)).toMatchObject({ code: 'unavailable' })
    } finally {
      await restore()
    }
    // The old post is as it was: published, counting, at its old address; the new id is free.
    const page = await view('/archives/move-fail', '198.51.100.132')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('2位读者')
    expect((await roomStats('move-fail')).status).toBe('published')
    expect((await view('/archives/move-target', '198.51.100.132')).status).toBe(404)
    expect((await getPost('move-fail')).status).toBe(200)
    // Once the object answers again, the rename goes through.
    expect((await rename('move-fail', { to: 'move-target' })).status).toBe(200)
    const moved = await view('/archives/move-target', '198.51.100.133')
    expect(await moved.text()).toContain('3位读者')
  })

  it('a rename whose copy was stored but not confirmed leaves the new id free and empty', async () => {
    await putPost('lost-answer', { title: 'Lost answer' })
    expect((await view('/archives/lost-answer', '198.51.100.140')).status).toBe(200)
    const posted = await postComment('lost-answer', { author: 'Reader', body: 'a comment of the old post' })
    expect(posted.status).toBe(201)
    // The new id's object stores the copy, but its answer is lost (the first time only).
    let lost = 0
    const restore = await siteRoomCalls('lost-target', 'importState', (real) => async (...args: Parameters<typeof real.importState>) => {
      await real.importState(...args)
      if (lost++ === 0) throw new Error('the answer was lost')
    })
    try {
      expect((await rename('lost-answer', { to: 'lost-target' })).status).toBe(503)
    } finally {
      await restore()
    }
    expect(lost).toBe(1)
    // The old post is as it was; a new post published at the new id starts with no readers or comments.
    expect(await (await view('/archives/lost-answer', '198.51.100.141')).text()).toContain('2位读者')
    expect((await putPost('lost-target', { title: 'A new post there' })).status).toBe(201)
    const page = await (await view('/archives/lost-target', '198.51.100.142')).text()
    expect(page).toContain('1位读者')
    const comments = (await (await request('/api/posts/lost-target/comments')).json()) as { comments: unknown[] }
    expect(comments.comments).toEqual([])
    expect(await roomStats('lost-target')).toMatchObject({ status: 'published', views: 1, comments: 0 })
  })

  it('a rename whose redirect cannot be written at once stands, and the redirect is written after', async () => {
    await putPost('redirect-fail', { title: 'Redirect fail' })
    // KV refuses the first write of the old key (the redirect).
    const kv = await siteKvRefusesFirstWrite('v1:post:redirect-fail')
    try {
      expect((await rename('redirect-fail', { to: 'redirect-done' })).status).toBe(200)
      await eventually(async () => {
        expect(await env.POSTS.get('v1:post:redirect-fail', 'json')).toMatchObject({ movedTo: 'redirect-done' })
      })
    } finally {
      await kv.restore()
    }
    expect(kv.refused()).toBeGreaterThanOrEqual(2)
    const old = await view('/archives/redirect-fail', '198.51.100.134')
    expect(old.status).toBe(301)
    expect(old.headers.get('location')).toBe('/archives/redirect-done')
  })

  it('a rename right after an edit whose KV write failed moves the edit, not the older record', async () => {
    await putPost('lag-a', { title: 'Lag' }, 'the old text')
    // KV refuses the edit's write of the post's key: KV still holds the old text when the rename comes.
    const kv = await siteKvRefusesFirstWrite('v1:post:lag-a')
    try {
      expect((await putPost('lag-a', { title: 'Lag' }, 'the new text')).status).toBe(200)
      expect(kv.refused()).toBe(1)
      expect(((await env.POSTS.get('v1:post:lag-a', 'json')) as { html: string }).html).toContain('the old text')
      expect((await rename('lag-a', { to: 'lag-b' })).status).toBe(200)
    } finally {
      await kv.restore()
    }
    await eventually(async () => {
      const page = await (await view('/archives/lag-b', '198.51.100.140')).text()
      expect(page).toContain('the new text')
      expect(page).not.toContain('the old text')
    })
  })

  it('a rename that arrives while publishes are being written completes, and nothing is lost', async () => {
    await putPost('race-a', { title: 'Race A' })
    const later = (ms: number, f: () => Promise<Response>) => new Promise((r) => setTimeout(r, ms)).then(f)
    // The rename reaches the site object while the first publish waits on its KV writes, and the
    // second publish while the rename runs. Before the rename took its turn in the queue, its flush
    // waited behind the first publish's I/O, which its gate held back: both timed out with 503.
    const [first, renamed, second] = await Promise.all([
      putPost('race-b', { title: 'Race B' }, 'With $x^2$.'),
      later(5, () => rename('race-a', { to: 'race-c' })),
      later(10, () => putPost('race-d', { title: 'Race D' })),
    ])
    expect([first.status, renamed.status, second.status]).toEqual([201, 200, 201])

    const old = await view('/archives/race-a', '198.51.100.120')
    expect(old.status).toBe(301)
    expect(old.headers.get('location')).toBe('/archives/race-c')
    expect(await env.POSTS.get('v1:post:race-a', 'json')).toMatchObject({ movedTo: 'race-c' })
    for (const id of ['race-b', 'race-c', 'race-d']) expect((await view(`/archives/${id}`, '198.51.100.121')).status).toBe(200)
    const home = await (await request('/')).text()
    for (const id of ['race-b', 'race-c', 'race-d']) expect(home).toContain(`/archives/${id}`)
    expect(home).not.toContain('/archives/race-a"')
  })
})

describe('GET /api/health', () => {
  it('reads KV and calls the Site object', async () => {
    const res = await request('/api/health')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { status: string; site: string; kv: string; published: number }
    expect(body).toMatchObject({ status: 'ok', site: 'ok' })
    expect(['ok', 'empty']).toContain(body.kv)
    expect(typeof body.published).toBe('number')
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('answers 503 degraded when KV fails (read through the snapshot copy, which keeps no failed read)', async () => {
    const keeping = { ...env, LIST_CACHE_SECONDS: '60' }
    const failing = {
      ...keeping,
      POSTS: new Proxy(env.POSTS, {
        get: (target, prop) => (prop === 'get' ? () => Promise.reject(new Error('KV unavailable')) : Reflect.get(target, prop, target)),
      }),
    }
    expect((await request('/api/health', {}, keeping)).status).toBe(200)
    const res = await request('/api/health', {}, failing)
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ status: 'degraded', kv: 'error', site: 'ok' })
  })
})
