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

  it('refuses a comment form whose bytes are not UTF-8 (URL-encoded or multipart), as the API does, giving the text back; stores nothing', async () => {
    await putPost('refusal-bytes', { title: 'Bytes' })
    const enc = new TextEncoder()
    const join = (...xs: (string | number[])[]) => new Uint8Array(xs.flatMap((x) => (typeof x === 'string' ? [...enc.encode(x)] : x)))
    const send = (body: Uint8Array<ArrayBuffer>, type: string, vars: Record<string, string> = {}) =>
      request(
        '/archives/refusal-bytes/comments',
        { method: 'POST', headers: { origin: ORIGIN, 'content-type': type }, body, redirect: 'manual' },
        { ...env, ...vars },
      )
    const URLENC = 'application/x-www-form-urlencoded'
    const boundary = 'XyZzy42'
    const multipart = (value: (string | number[])[], file?: number[]) =>
      join(
        `--${boundary}\r\nContent-Disposition: form-data; name="author"\r\n\r\n读者\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\n`,
        ...value,
        '\r\n',
        ...(file ? [`--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n`, file, '\r\n'] : []),
        `--${boundary}--\r\n`,
      )
    const MULTI = `multipart/form-data; boundary=${boundary}`
    const refused = [
      // A percent-encoded byte that is not UTF-8, an encoded surrogate, and a raw 0xFF byte.
      send(join('author=%E8%AF%BB%E8%80%85&body=caf%FF+au+lait'), URLENC),
      send(join('author=%E8%AF%BB%E8%80%85&body=x%ED%A0%80y'), URLENC),
      send(join('author=%E8%AF%BB%E8%80%85&body=caf', [0xff], '+au+lait'), URLENC),
      send(multipart(['caf', [0xff], ' au lait']), MULTI),
    ]
    for (const res of await Promise.all(refused)) {
      expect(res.status).toBe(400)
      const page = parseHtml(await res.text())
      expect(page.text(page.byClass('form-problem')[0]!)).toContain('不是有效 UTF-8 编码的字符')
      // The reader's text comes back, the bad bytes as U+FFFD (a boolean: the reporter cannot print it).
      const typed = page.text(page.tags('textarea')[0]!)
      expect(typed.startsWith('caf\uFFFD') || typed === 'x\uFFFD\uFFFD\uFFFDy').toBe(true)
    }
    const en = await send(join('author=A&body=caf%FF'), URLENC, { LANGUAGE: 'en' })
    expect(en.status).toBe(400)
    const enPage = parseHtml(await en.text())
    expect(enPage.text(enPage.byClass('form-problem')[0]!)).toContain('not valid UTF-8')
    expect((await roomStats('refusal-bytes')).comments).toBe(0)
    // UTF-8 is taken: a U+FFFD typed as such, a lone % as typed, a file's bytes (a part with a filename) are not text.
    const ok = [
      send(join('author=%E8%AF%BB%E8%80%85&body=%EF%BF%BD+is+a+character'), URLENC),
      send(join('author=A&body=100%+sure'), URLENC),
      send(multipart(['multipart and a file']), MULTI),
      send(multipart(['with a binary file'], [0xff, 0xfe, 0x00, 0xc0]), MULTI),
    ]
    for (const res of await Promise.all(ok)) expect(res.status, await res.clone().text()).toBe(303)
    expect((await roomStats('refusal-bytes')).comments).toBe(4)
  })

  it('gives a page the site-language reason of a body that is not UTF-8, by its code', () => {
    // (A page that reads a body as text gives this reason; the API's stays English. The comment form's
    // own refusal of bytes that are not UTF-8 is its form problem above, with the text given back.)
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
