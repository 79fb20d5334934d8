import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { strings } from '../../src/i18n'
import { pageReason } from '../../src/lib/request'
import { ORIGIN, putPost, request, roomStats } from '../helpers'
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
    // The admin's sign-in form, a page too, says it in the site language.
    const signIn = await badLength('/admin/login')
    expect(signIn.status).toBe(400)
    expect(await message(signIn)).toContain('请求的 Content-Length 不是字节数')
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
