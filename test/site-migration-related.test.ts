import { abortAllDurableObjects, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { PostNav } from '../src/model'
import type { Site } from '../src/objects/site'
import { eventually, putPost, view } from './helpers'
import { parseHtml } from './html'

// Its own file: it takes the one Site object back to before related posts (migration 013).
describe('upgrading a deployed site to related posts (相关文章)', () => {
  it('works them out for every post and sends them to the posts’ objects in the background', async () => {
    for (const [id, date] of [
      ['up-1', '2024-01-01'],
      ['up-2', '2024-02-01'],
      ['up-3', '2024-03-01'],
    ] as const) {
      expect((await putPost(id, { title: `升级 ${id}`, date, tags: ['升级测试'] }, '正文。')).status).toBe(201)
    }
    // (A tag on every post of the site relates none of them: one post without it.)
    expect((await putPost('up-other', { title: '升级 other', date: '2023-01-01', tags: ['别的'] }, '正文。')).status).toBe(201)
    // As the code before left them: navs without related posts, in the Site object and the posts' objects.
    const oldNav = (id: string): PostNav => {
      const n = ['up-1', 'up-2', 'up-3'].indexOf(id)
      const link = (i: number) => ({ id: `up-${i + 1}`, title: `升级 up-${i + 1}`, date: Date.parse(`2024-0${i + 1}-01T00:00:00+08:00`) })
      return { prev: n > 0 ? link(n - 1) : null, next: n < 2 ? link(n + 1) : null, series: null }
    }
    for (const id of ['up-1', 'up-2', 'up-3']) await env.POST_ROOM.getByName(id).setNav(id, oldNav(id))
    await runInDurableObject(env.SITE.getByName('site'), (_: Site, state) => {
      const sql = state.storage.sql
      sql.exec("DELETE FROM _migrations WHERE name = '013-related-posts'")
      sql.exec("UPDATE flags SET value = 0 WHERE name = 'list_dirty'")
      for (const id of ['up-1', 'up-2', 'up-3'])
        sql.exec('UPDATE nav SET json = ?, sent = 1 WHERE post_id = ?', JSON.stringify(oldNav(id)), id)
    })
    const before = parseHtml(await (await view('/archives/up-2')).text())
    expect(before.byClass('related-posts')).toHaveLength(0)

    // A deploy: the object starts with the new code, migrates and catches up by alarm, with no publish.
    await abortAllDurableObjects()
    await env.SITE.getByName('site').getPost('up-1')
    await eventually(async () => {
      const page = parseHtml(await (await view('/archives/up-2')).text())
      const section = page.byClass('related-posts')[0]
      expect(section).toBeDefined()
      expect(
        page
          .tags('a')
          .filter((a) => page.isInside(a, section!))
          .map((a) => page.attr(a, 'href')),
      ).toEqual(['/archives/up-3', '/archives/up-1'])
    })
  })
})
