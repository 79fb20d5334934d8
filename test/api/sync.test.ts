import { describe, expect, it } from 'vitest'
import { markdownPost, putPost, request, TOKEN } from '../helpers'

function sync(id: string, text: string) {
  return request(`/api/posts/${id}?sync=1`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown' },
    body: text,
  })
}

async function result(res: Response): Promise<{ result: string; reason?: string }> {
  expect(res.ok).toBe(true)
  return res.json()
}

describe('content sync (PUT ?sync=1, used by npm start)', () => {
  it('publishes a new file, skips an unchanged one and updates a changed one', async () => {
    const v1 = markdownPost({ title: 'Synced', date: '2024-02-02' }, 'first')
    expect((await result(await sync('synced', v1))).result).toBe('created')
    expect((await result(await sync('synced', v1))).result).toBe('unchanged')
    const v2 = markdownPost({ title: 'Synced again', date: '2024-02-02' }, 'second')
    expect((await result(await sync('synced', v2))).result).toBe('updated')
    expect(await (await request('/archives/synced')).text()).toContain('second')
  })

  it('never overwrites a post edited through the API since its last sync', async () => {
    await sync('edited', markdownPost({ title: 'From file' }, 'file text'))
    await putPost('edited', { title: 'Edited online' }, 'online text')
    const r = await result(await sync('edited', markdownPost({ title: 'From file, changed' }, 'new file text')))
    expect(r.result).toBe('skipped')
    expect(r.reason).toContain('edited through the API')
    const html = await (await request('/archives/edited')).text()
    expect(html).toContain('online text')
    expect(html).not.toContain('file text')
  })

  it('does not bring back a post deleted through the API', async () => {
    await sync('removed', markdownPost({ title: 'Removed later' }, 'x'))
    await request('/api/posts/removed', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
    const r = await result(await sync('removed', markdownPost({ title: 'Removed later' }, 'x')))
    expect(r.result).toBe('skipped')
    expect((await request('/archives/removed')).status).toBe(410)
  })

  it('rejects a sync value other than 1 or 0', async () => {
    const res = await request('/api/posts/x?sync=yes', {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown' },
      body: markdownPost({ title: 'x' }, ''),
    })
    expect(res.status).toBe(400)
  })
})
