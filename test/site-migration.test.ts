import { abortAllDurableObjects, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { migrate } from '../src/objects/migrations'
import type { Site } from '../src/objects/site'
import { SITE_MIGRATIONS } from '../src/objects/site-schema'
import type { SiteSnapshot } from '../src/model'
import { eventually, request, TOKEN, view } from './helpers'
import { parseHtml } from './html'

// Its own file: it rebuilds the one Site object's storage as an older version left it.
describe('upgrading a deployed site to categories, tags, archive, series and search', () => {
  it('builds the term lists, the archive, every post’s neighbours and the search index in the background', async () => {
    await runInDurableObject(env.SITE.getByName('site'), (_: Site, state) => {
      // Version 007's schema (the object migrated on start: drop everything and build 007 again)
      // with three posts whose KV records were never written.
      const sql = state.storage.sql
      const tables = sql
        .exec<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%'",
        )
        .toArray()
      for (const { name } of tables) sql.exec(`DROP TABLE ${name}`)
      migrate(state.storage, SITE_MIGRATIONS.slice(0, 7))
      const insert = (id: string, date: string, category: string | null, tags: string[], closed = 0) =>
        sql.exec(
          `INSERT INTO posts (id, status, title, author, date_ms, updated_ms, category, tags, summary, draft, body, excerpt_html,
             origin, sync_hash, created_ms, modified_ms, revision, kv_pending, room_pending, render_version, comments_closed)
           VALUES (?, 'published', ?, '作者', ?, NULL, ?, ?, NULL, 0, ?, '<p>x</p>', 'api', NULL, 1, 1, 1, 1, 1, '', ?)`,
          id,
          `旧文章 ${id}`,
          Date.parse(date),
          category,
          JSON.stringify(tags),
          `旧文章正文，关于拉普拉斯变换 ${id}。`,
          closed,
        )
      insert('old-1', '2022-01-05T00:00:00Z', '数学研究', ['变换'])
      insert('old-2', '2022-03-05T00:00:00Z', '数学研究', ['变换', 'Laplace'])
      insert('old-3', '2023-01-05T00:00:00Z', null, [], 1)
      sql.exec("INSERT INTO chunks (idx, kv_key, signature) VALUES (0, 'v1:chunk:0:stale', 'old-1@1,old-2@1,old-3@1')")
    })
    // A deploy: the object starts with the new code, migrates and catches up by alarm.
    await abortAllDurableObjects()
    await env.SITE.getByName('site').getPost('old-1')
    const snapshot = await eventually(async () => {
      const s = (await env.POSTS.get<SiteSnapshot>('v1:site', 'json'))!
      expect(s.categories).toEqual([{ slug: '数学研究', name: '数学研究', count: 2 }])
      return s
    })
    expect(snapshot.total).toBe(3)
    expect(snapshot.chunks).toHaveLength(1)
    expect(snapshot.chunks[0]).not.toBe('v1:chunk:0:stale')

    const category = parseHtml(await (await request(`/category/${encodeURIComponent('数学研究')}`)).text())
    expect(category.byClass('entry-title').map((e) => category.text(e).trim())).toEqual(['旧文章 old-2', '旧文章 old-1'])
    const archive = await (await request('/archives')).text()
    expect(archive).toContain('旧文章 old-3')
    await eventually(async () => {
      const page = parseHtml(await (await view('/archives/old-2')).text())
      const nav = page.byClass('post-nav')[0]
      expect(nav).toBeDefined()
      expect(
        page
          .tags('a')
          .filter((a) => page.attr(a, 'rel') === 'prev' || page.attr(a, 'rel') === 'next')
          .map((a) => page.attr(a, 'href')),
      ).toEqual(['/archives/old-1', '/archives/old-3'])
    })
    // A post's comments_closed became a bit of its flags (014): closed stays closed, and reactions are on.
    const admin = { authorization: `Bearer ${TOKEN}` }
    const fields = async (id: string) => (await (await request(`/api/posts/${id}`, { headers: admin })).json()) as Record<string, unknown>
    expect(await fields('old-3')).toMatchObject({ comments: false, reactions: true })
    expect(await fields('old-1')).toMatchObject({ comments: true, reactions: true })
    await eventually(async () => {
      const found = await (await request(`/search?q=${encodeURIComponent('拉普拉斯')}`)).text()
      for (const id of ['old-1', 'old-2', 'old-3']) expect(found).toContain(`/archives/${id}`)
    })
  })
})
