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

  it('normalises paths as documented', () => {
    expect(normaliseAlias('/2019/05/old-slug/')).toEqual({ path: '/2019/05/old-slug' })
    expect(normaliseAlias('/index.php?p=7')).toEqual({ path: '/?p=7' })
    expect(normaliseAlias('//a//b//')).toHaveProperty('error')
    expect(normaliseAlias('/a//b//')).toEqual({ path: '/a/b' })
  })
})
