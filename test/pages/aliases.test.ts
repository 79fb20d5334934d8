import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { putPost, request, TOKEN } from '../helpers'
import { aliasKvKey, normaliseAlias } from '../../src/lib/aliases'

const auth = { authorization: `Bearer ${TOKEN}` }

async function expectRedirect(path: string, to: string) {
  const res = await request(path)
  expect(res.status, path).toBe(301)
  expect(res.headers.get('location'), path).toBe(to)
}

describe('permalink aliases', () => {
  it('answers every alias form with a 301 to the post', async () => {
    const res = await putPost('new-home', {
      title: '搬家后的文章',
      aliases: ['/?p=123', '/2019/05/old-slug/', '/old-slug.html', '/?page_id=45', '/%E6%97%A7%E6%96%87'],
    })
    expect(res.status).toBe(201)
    for (const path of [
      '/?p=123',
      '/index.php?p=123',
      '/?page_id=45',
      '/2019/05/old-slug/',
      '/2019/05/old-slug',
      '/old-slug.html',
      '/old-slug.html/',
      '/旧文',
      '/%E6%97%A7%E6%96%87/',
    ]) {
      await expectRedirect(path, '/archives/new-home')
    }
    // Other numbers and paths are not redirected; the front page without ?p= is the front page.
    expect((await request('/?p=124')).status).toBe(200)
    expect((await request('/?p=124')).headers.get('location')).toBeNull()
    expect((await request('/2019/05/other')).status).toBe(404)
    expect((await request('/')).status).toBe(200)
  })

  it('stores aliases normalised and gives them back in the API and the markdown', async () => {
    await putPost('norm', { title: 'n', aliases: ['/a/b/', '/a/b', '/c%20d'] })
    const json = (await (await request('/api/posts/norm', { headers: auth })).json()) as { aliases: string[] }
    expect(json.aliases).toEqual(['/a/b', '/c d'])
    const md = await (await request('/api/posts/norm', { headers: { ...auth, accept: 'text/markdown' } })).text()
    expect(md).toContain('aliases: ["/a/b","/c d"]')
    await expectRedirect('/c%20d', '/archives/norm')
  })

  it('stops redirecting an alias removed from the front matter', async () => {
    await putPost('shrink', { title: 's', aliases: ['/keep-me', '/drop-me'] })
    await expectRedirect('/drop-me', '/archives/shrink')
    await putPost('shrink', { title: 's', aliases: ['/keep-me'] })
    expect((await request('/drop-me')).status).toBe(404)
    expect(await env.POSTS.get(await aliasKvKey('/drop-me'))).toBeNull()
    await expectRedirect('/keep-me', '/archives/shrink')
    await putPost('shrink', { title: 's' })
    expect((await request('/keep-me')).status).toBe(404)
  })

  it('refuses an alias another post holds (409) and changes nothing; it is free once that post lets go', async () => {
    await putPost('owner', { title: 'o', aliases: ['/contested'] })
    const res = await putPost('thief', { title: 't', aliases: ['/contested'] })
    expect(res.status).toBe(409)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('alias_taken')
    expect(body.error.message).toContain('"owner"')
    expect((await request('/api/posts/thief', { headers: auth })).status).toBe(404)
    await expectRedirect('/contested', '/archives/owner')
    await putPost('owner', { title: 'o' })
    expect((await putPost('thief', { title: 't', aliases: ['/contested'] })).status).toBe(201)
    await expectRedirect('/contested', '/archives/thief')
  })

  it('refuses aliases that are not paths, or that a route of the site answers (400)', async () => {
    for (const bad of [
      'old.html',
      'https://old.example/x',
      '//old.example/x',
      '/',
      '/archives/12',
      '/category/x',
      '/feed',
      '/api/posts',
      '/x?y=1',
      '/?p=abc',
      '/a#frag',
      '/a/../b',
      '/%E0%A4%A',
      `/${'x'.repeat(400)}`,
    ]) {
      const res = await putPost('bad-alias', { title: 'b', aliases: [bad] })
      expect(res.status, bad).toBe(400)
      expect(((await res.json()) as { error: { code: string } }).error.code, bad).toBe('invalid_post')
    }
    const many = await putPost('bad-alias', { title: 'b', aliases: Array.from({ length: 21 }, (_, i) => `/n${i}`) })
    expect(many.status).toBe(400)
  })

  it('releases the aliases of a deleted post', async () => {
    await putPost('doomed', { title: 'd', aliases: ['/doomed-old'] })
    await expectRedirect('/doomed-old', '/archives/doomed')
    expect((await request('/api/posts/doomed', { method: 'DELETE', headers: auth })).status).toBe(200)
    expect((await request('/doomed-old')).status).toBe(404)
    expect((await putPost('heir', { title: 'h', aliases: ['/doomed-old'] })).status).toBe(201)
    await expectRedirect('/doomed-old', '/archives/heir')
  })

  it('keeps the aliases of a renamed post, pointing at its new id', async () => {
    await putPost('before', { title: 'r', aliases: ['/renamed-old'] })
    const res = await request('/api/posts/before/rename', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'after' }),
    })
    expect(res.status).toBe(200)
    await expectRedirect('/renamed-old', '/archives/after')
    await expectRedirect('/archives/before', '/archives/after')
  })

  it("refuses an alias that is a page's short address (409), and a page (or a rename to an id) whose short address is another post's alias", async () => {
    const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error
    const rename = (from: string, to: string) =>
      request(`/api/posts/${from}/rename`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ to }),
      })
    expect((await putPost('colophon', { title: '版权页', type: 'page' })).status).toBe(201)
    expect((await putPost('colophon-draft', { title: '草稿页', type: 'page', draft: true })).status).toBe(201)
    await expectRedirect('/colophon', '/archives/colophon')
    // /colophon (and /colophon/, the same once normalised) is the page's: the alias would never answer.
    for (const [alias, page] of [
      ['/colophon', 'colophon'],
      ['/colophon/', 'colophon'],
      ['/colophon-draft', 'colophon-draft'],
    ]) {
      for (const query of ['', '?dry_run=1']) {
        const res = await putPost('shadowed', { title: 's', aliases: ['/fine-old', alias] }, 'x', query)
        expect(res.status, alias + query).toBe(409)
        const error = await errorOf(res)
        expect(error.code).toBe('alias_taken')
        expect(error.message).toContain(`page "${page}"`)
      }
    }
    expect((await request('/api/posts/shadowed', { headers: auth })).status).toBe(404)
    expect((await request('/fine-old')).status).toBe(404)
    await expectRedirect('/colophon', '/archives/colophon')
    // A reserved route stays a 400, as before.
    expect((await putPost('shadowed', { title: 's', aliases: ['/feed'] })).status).toBe(400)
    // A page may list its own short address; another path not a page's is fine for a post.
    expect((await putPost('colophon', { title: '版权页', type: 'page', aliases: ['/colophon', '/about-old'] })).status).toBe(200)
    expect((await putPost('shadowed', { title: 's', aliases: ['/colophon-x'] })).status).toBe(201)

    // The other way round: /imprint is a post's alias, so a page "imprint" would take its address.
    expect((await putPost('imprint-holder', { title: 'h', aliases: ['/imprint'] })).status).toBe(201)
    for (const query of ['', '?dry_run=1']) {
      const page = await putPost('imprint', { title: '页', type: 'page' }, 'x', query)
      expect(page.status, query).toBe(409)
      expect(await errorOf(page)).toMatchObject({ code: 'alias_taken', message: expect.stringContaining('"imprint-holder"') })
    }
    expect((await request('/api/posts/imprint', { headers: auth })).status).toBe(404)
    // A post (no short address) may have that id; making it a page may not.
    expect((await putPost('imprint', { title: 'post' })).status).toBe(201)
    expect((await putPost('imprint', { title: 'page', type: 'page' })).status).toBe(409)
    expect(((await (await request('/api/posts/imprint', { headers: auth })).json()) as { type: string }).type).toBe('post')
    await expectRedirect('/imprint', '/archives/imprint-holder')
    // Renaming a page to that id is refused too, and nothing moves.
    const moved = await rename('colophon', 'imprint-2')
    expect(moved.status).toBe(200)
    expect((await putPost('imprint-2-holder', { title: 'h', aliases: ['/imprint-3'] })).status).toBe(201)
    const refused = await rename('imprint-2', 'imprint-3')
    expect(refused.status).toBe(409)
    expect(await errorOf(refused)).toMatchObject({ code: 'alias_taken', message: expect.stringContaining('"imprint-2-holder"') })
    expect((await request('/api/posts/imprint-2', { headers: auth })).status).toBe(200)
    expect((await request('/api/posts/imprint-3', { headers: auth })).status).toBe(404)
    // A deleted page lets its address go; publishing it again while an alias holds it is refused.
    expect((await request('/api/posts/colophon-draft', { method: 'DELETE', headers: auth })).status).toBe(200)
    expect((await putPost('draft-heir', { title: 'h', aliases: ['/colophon-draft'] })).status).toBe(201)
    expect((await putPost('colophon-draft', { title: '草稿页', type: 'page' })).status).toBe(409)
    await expectRedirect('/colophon-draft', '/archives/draft-heir')
  })

  it('normalises paths as documented', () => {
    expect(normaliseAlias('/2019/05/old-slug/')).toEqual({ path: '/2019/05/old-slug' })
    expect(normaliseAlias('/index.php?p=7')).toEqual({ path: '/?p=7' })
    expect(normaliseAlias('//a//b//')).toHaveProperty('error')
    expect(normaliseAlias('/a//b//')).toEqual({ path: '/a/b' })
  })
})
