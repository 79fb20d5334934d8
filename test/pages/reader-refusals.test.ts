import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { strings } from '../../src/i18n'
import { pageReason } from '../../src/lib/request'
import { commentSecret, unsubscribeToken } from '../../src/lib/tokens'
import { ORIGIN, postComment, putPost, request, roomStats } from '../helpers'
import { parseHtml } from '../html'

/** A POST with a form body and a non-numeric Content-Length; `vars` changes settings for this request. */
function badLength(path: string, headers: Record<string, string> = { origin: ORIGIN }, vars: Record<string, string> = {}) {
  return request(
    path,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': 'abc', ...headers },
      body: new URLSearchParams({ author: '读者', body: '一条评论' }).toString(),
      redirect: 'manual',
    },
    { ...env, ...vars },
  )
}

/** The text of an error page's message. */
async function message(res: Response): Promise<string> {
  const page = parseHtml(await res.text())
  return page.text(page.byClass('message')[0]!)
}

describe("lib/request.ts's refusals of a body, on a reader's page", () => {
  it('says in the site language (English with LANGUAGE=en) that a Content-Length is not a number; the API stays English', async () => {
    await putPost('refusal-length', { title: 'Length' })
    const zh = await badLength('/archives/refusal-length/comments')
    expect(zh.status).toBe(400)
    const zhText = await message(zh)
    expect(zhText).toContain('请求的 Content-Length 不是字节数')
    expect(zhText).not.toContain('must be a number')
    const en = await badLength('/archives/refusal-length/comments', undefined, { LANGUAGE: 'en' })
    expect(en.status).toBe(400)
    expect(await message(en)).toContain("The request's Content-Length is not a number of bytes")
    // The JSON API keeps its English message and its code.
    const api = await request('/api/posts/refusal-length/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': 'abc' },
      body: JSON.stringify({ author: '读者', body: '一条评论' }),
    })
    expect(api.status).toBe(400)
    expect(await api.json()).toEqual({ error: { code: 'bad_content_length', message: 'Content-Length must be a number of bytes.' } })
    expect((await roomStats('refusal-length')).comments).toBe(0)
    // The admin's sign-in form, a page too (the admin's own error page), says it in the site language.
    const signIn = await badLength('/admin/login')
    expect(signIn.status).toBe(400)
    const signInText = await signIn.text()
    expect(signInText).toContain('请求的 Content-Length 不是字节数')
    expect(signInText).not.toContain('must be a number')
  })

  it('gives a page the site-language reason of a body that is not UTF-8, by its code', () => {
    // (No reader's page reads a body as text today: the forms are decoded by the runtime, which
    // reads bad bytes as U+FFFD. A page that did would give this reason; the API's stays English.)
    expect(pageReason(strings('zh').commentErrors, 'invalid_encoding')).toContain('不是有效的 UTF-8')
    expect(pageReason(strings('en').commentErrors, 'invalid_encoding')).toContain('not valid UTF-8')
    expect(pageReason(strings('zh').commentErrors, 'bad_content_length')).toBe(strings('zh').commentErrors.badContentLength)
    expect(pageReason(strings('zh').commentErrors, 'invalid_comment')).toBeUndefined()
  })
})

describe('a form from another site (403), on each page that takes one', () => {
  it("says so in the unsubscribe page's own words (English with LANGUAGE=en), not the comment form's, and unsubscribes nothing", async () => {
    await putPost('refusal-unsub', { title: 'Unsubscribe' })
    const posted = await postComment('refusal-unsub', {
      author: '提问者',
      email: 'asker@example.com',
      body: '有人回复时告诉我',
      notify: '1',
    })
    const cid = ((await posted.json()) as { comment: { id: number } }).comment.id
    const link = `/comments/unsubscribe?post=refusal-unsub&comment=${cid}&sig=${await unsubscribeToken(commentSecret(env), 'refusal-unsub', cid)}`
    const unsubscribe = (origin: string, vars: Record<string, string> = {}) =>
      request(
        link,
        { method: 'POST', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }, body: '' },
        { ...env, ...vars },
      )
    const zh = await unsubscribe('https://evil.example')
    expect(zh.status).toBe(403)
    const zhText = await message(zh)
    expect(zhText).toContain('请重新打开通知邮件中的退订链接')
    expect(zhText).not.toContain('文章页面')
    const en = await unsubscribe('https://evil.example', { LANGUAGE: 'en' })
    expect(en.status).toBe(403)
    expect(await message(en)).toContain('open the unsubscribe link in the notification e-mail again')
    const notify = () =>
      runInDurableObject(
        env.POST_ROOM.getByName('refusal-unsub'),
        (_, state) => state.storage.sql.exec<{ notify: number }>('SELECT notify FROM comments WHERE id = ?', cid).one().notify,
      )
    expect(await notify()).toBe(1)
    // From the site's own page it works.
    expect((await unsubscribe(ORIGIN)).status).toBe(200)
    expect(await notify()).toBe(0)
  })

  it("keeps the comment form's own words (back to the post), in both languages", async () => {
    await putPost('refusal-csrf', { title: 'CSRF' })
    const post = (vars: Record<string, string> = {}) =>
      request(
        '/archives/refusal-csrf/comments',
        {
          method: 'POST',
          headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ author: '读者', body: '一条评论' }).toString(),
        },
        { ...env, ...vars },
      )
    const zh = await post()
    expect(zh.status).toBe(403)
    expect(await message(zh)).toBe('无法提交' + strings('zh').commentErrors.crossSite)
    const en = await post({ LANGUAGE: 'en' })
    expect(en.status).toBe(403)
    expect(await message(en)).toContain(strings('en').commentErrors.crossSite)
    expect((await roomStats('refusal-csrf')).comments).toBe(0)
  })
})
