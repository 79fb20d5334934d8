import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { formTime } from '../src/lib/tokens'
import { eventually, ORIGIN, postComment, putPost, request, roomStats, TOKEN, view } from './helpers'
import { dangers, parseHtml } from './html'

/** Posts the comment form; `vars` changes settings for this request (the objects keep the test's). */
function postForm(
  id: string,
  fields: Record<string, string>,
  headers: Record<string, string> = { origin: ORIGIN },
  vars: Record<string, string> = {},
) {
  return request(
    `/archives/${id}/comments`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    },
    { ...env, ...vars },
  )
}

/** A JSON API error's code and message. */
async function apiError(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error
}

interface CommentJson {
  id: number
  parent: number | null
  author: string
  url: string | null
  body: string
  html: string
  createdAt: string
}

async function listComments(id: string): Promise<CommentJson[]> {
  const res = await request(`/api/posts/${id}/comments`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { comments: CommentJson[] }).comments
}

describe('the comment form (no JavaScript)', () => {
  it('stores the comment and redirects to its anchor; replies are threaded under their parent', async () => {
    await putPost('form-post', { title: 'Form' })
    const first = await postForm('form-post', {
      author: '张三',
      email: 'zs@example.com',
      url: 'https://zs.example',
      body: '第一条，$a^2+b^2=c^2$',
      key: 'form-key-1',
    })
    expect(first.status).toBe(303)
    // To the comment's permanent address, which leads to the comment page that holds it.
    expect(first.headers.get('location')).toBe('/archives/form-post/comments/1')
    const permalink = await request('/archives/form-post/comments/1')
    expect(permalink.status).toBe(302)
    expect(permalink.headers.get('location')).toBe('/archives/form-post#comment-1')
    // The writer's browser gets the edit cookie (HttpOnly, for COMMENT_EDIT_MINUTES).
    expect(first.headers.get('set-cookie')).toMatch(
      /^ce_form-post_1=[A-Za-z0-9_-]{32}; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax/,
    )
    const reply = await postForm('form-post', { author: '李四', body: '回复第一条', parent: '1', key: 'form-key-2' })
    expect(reply.headers.get('location')).toBe('/archives/form-post/comments/2')

    const page = parseHtml(await (await view('/archives/form-post')).text())
    const c1 = page.byId('comment-1')!
    const c2 = page.byId('comment-2')!
    expect(page.text(c1)).toContain('张三')
    expect(page.byClass('katex').length).toBeGreaterThan(0)
    // The reply sits inside the parent's list of children and names the parent.
    let ancestor = c2.parent
    while (ancestor && ancestor !== c1) ancestor = ancestor.parent
    expect(ancestor).toBe(c1)
    expect(page.text(c2)).toContain('@张三')
    const authorLink = page.tags('a').find((a) => page.attr(a, 'href') === 'https://zs.example')!
    expect(page.attr(authorLink, 'rel')).toContain('nofollow')
    expect(page.text(page.byId('comments')!)).toContain('2条评论')
  })

  it('offers a reply form for ?replyto=N that posts the parent id', async () => {
    await putPost('form-reply', { title: 'Reply' })
    await postComment('form-reply', { author: 'A', body: 'parent' })
    const page = parseHtml(await (await view('/archives/form-reply?replyto=1')).text())
    const parent = page.tags('input').find((i) => page.attr(i, 'name') === 'parent')
    expect(parent && page.attr(parent, 'value')).toBe('1')
    expect(page.text(page.byId('respond')!)).toContain('回复 A')
  })

  it('refuses a cross-site form post (CSRF) and stores nothing', async () => {
    await putPost('form-csrf', { title: 'CSRF' })
    const res = await postForm('form-csrf', { author: 'x', body: 'y' }, { origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    const page = parseHtml(await res.text())
    expect(page.text(page.byClass('message')[0]!)).toContain('本站只接受从本站页面提交的评论，请回到评论所在的页面重新提交')
    expect((await roomStats('form-csrf')).comments).toBe(0)
  })

  it('shows the reason and gives the text back when a form post is invalid', async () => {
    await putPost('form-invalid', { title: 'Invalid' })
    const res = await postForm('form-invalid', { author: '', body: '我写了很长一段$\\alpha$' })
    expect(res.status).toBe(400)
    const page = parseHtml(await res.text())
    expect(page.text(page.byClass('form-problem')[0]!)).toContain('请填写昵称。')
    expect(page.text(page.byClass('form-problem')[0]!)).not.toMatch(/[A-Za-z]/)
    expect(page.text(page.tags('textarea')[0]!)).toBe('我写了很长一段$\\alpha$')
    expect((await roomStats('form-invalid')).comments).toBe(0)
  })

  it('shows a no-JavaScript preview or refusal at the form, and its address leads back to the form', async () => {
    await putPost('form-anchor', { title: 'Anchor' })
    const page = parseHtml(await (await request('/archives/form-anchor')).text())
    expect(page.byId('respond')!.attribs.action).toBe('/archives/form-anchor/comments#respond')
    for (const method of ['GET', 'HEAD']) {
      const res = await request('/archives/form-anchor/comments', { method, redirect: 'manual' })
      expect(res.status, method).toBe(302)
      expect(res.headers.get('location')).toBe('/archives/form-anchor#respond')
    }
  })

  it('says why a form posted too fast was refused, in the site language (English with LANGUAGE=en), and gives the text back', async () => {
    await putPost('form-fast', { title: 'Fast' })
    const fields = { author: '王五', body: '沙发！$e^{i\\pi}$', ts: await formTime('test-comment-secret') }
    const res = await postForm('form-fast', fields, undefined, { COMMENT_MIN_SECONDS: '3' })
    expect(res.status).toBe(400)
    const page = parseHtml(await res.text())
    expect(page.text(page.byClass('form-problem')[0]!)).toContain('提交得太快了，请至少用 3 秒填写后再提交。')
    expect(page.text(page.tags('textarea')[0]!)).toBe('沙发！$e^{i\\pi}$')
    const en = await postForm('form-fast', fields, undefined, { COMMENT_MIN_SECONDS: '3', LANGUAGE: 'en' })
    const enPage = parseHtml(await en.text())
    expect(enPage.text(enPage.byClass('form-problem')[0]!)).toContain('That was very fast: please take at least 3 seconds and post again.')
    // One second is "1 second", not "1 seconds".
    const one = await postForm('form-fast', { ...fields, ts: await formTime('test-comment-secret') }, undefined, {
      COMMENT_MIN_SECONDS: '1',
      LANGUAGE: 'en',
    })
    const onePage = parseHtml(await one.text())
    expect(onePage.text(onePage.byClass('form-problem')[0]!)).toContain('That was very fast: please take at least 1 second and post again.')
    expect((await roomStats('form-fast')).comments).toBe(0)
  })

  it('says in the site language why a form post is refused by the post (too many links, a duplicate)', async () => {
    await putPost('form-refused', { title: 'Refused' })
    const links = Array.from({ length: 6 }, (_, i) => `[l${i}](https://e${i}.example)`).join(' ')
    const tooMany = await postForm('form-refused', { author: '赵六', body: links })
    expect(tooMany.status).toBe(422)
    const page = parseHtml(await tooMany.text())
    expect(page.text(page.byClass('form-problem')[0]!)).toContain('一条评论最多只能有 5 个链接（这条有 6 个）。')
    expect((await postForm('form-refused', { author: '赵六', body: '谢谢分享！' })).status).toBe(303)
    const again = await postForm('form-refused', { author: '赵六', body: '谢谢分享！' })
    expect(again.status).toBe(409)
    const dup = parseHtml(await again.text())
    expect(dup.text(dup.byClass('form-problem')[0]!)).toContain('您已经在这里发表过同样的评论了。')
    // A form too large to read: the error page says why, in Chinese.
    const huge = await postForm('form-refused', { author: '赵六', body: '长'.repeat(30_000) })
    expect(huge.status).toBe(413)
    const hugePage = parseHtml(await huge.text())
    expect(hugePage.text(hugePage.byClass('message')[0]!)).toContain('提交的内容超过了服务器接收的上限（128 KB），请缩短评论后再试。')
    expect((await roomStats('form-refused')).comments).toBe(1)
    // The longest comment a reader may write, in Chinese, fits through the form (~90 KB form-encoded).
    expect((await postForm('form-refused', { author: '赵六', body: '长'.repeat(10_000) })).status).toBe(303)
    expect((await roomStats('form-refused')).comments).toBe(2)
  })

  it('stores a double-submitted form once (same form key)', async () => {
    await putPost('form-double', { title: 'Double' })
    const fields = { author: 'A', body: 'once', key: 'double-submit-key' }
    const [a, b] = await Promise.all([postForm('form-double', fields), postForm('form-double', fields)])
    expect(a.headers.get('location')).toBe(b.headers.get('location'))
    expect(await listComments('form-double')).toHaveLength(1)
  })
})

describe('the comments API', () => {
  it('keeps the indentation of a comment that opens with a code block (only blank lines and trailing space go)', async () => {
    await putPost('indented-comment', { title: 'Indented' })
    const body = '\n\n    def f(x):\n        return x * x\n\nA function.  \n\n'
    const res = await postComment('indented-comment', { author: 'Coder', body })
    expect(res.status).toBe(201)
    const { comment } = (await res.json()) as { comment: { body: string; html: string } }
    expect(comment.body).toBe('    def f(x):\n        return x * x\n\nA function.')
    expect(comment.html).toContain('<pre tabindex="0"><code>def f(x):\n    return x * x')
    expect((await postComment('indented-comment', { author: 'Coder', body: ' \n  \t\n ' })).status).toBe(400)
  })

  it('creates a comment (201) and lists comments flat, each with its parent, never the e-mail', async () => {
    await putPost('api-comments', { title: 'API comments' })
    const a = await postComment('api-comments', { author: 'Ada', email: 'ada@example.com', body: 'Top **level**' })
    expect(a.status).toBe(201)
    const created = ((await a.json()) as { comment: CommentJson }).comment
    expect(created).toMatchObject({ id: 1, parent: null, author: 'Ada', body: 'Top **level**' })
    expect(created.html).toContain('<strong>level</strong>')
    expect(JSON.stringify(created)).not.toContain('ada@example.com')
    await postComment('api-comments', { author: 'Bob', body: 'reply', parent: 1 })
    await postComment('api-comments', { author: 'Cy', body: 'reply to reply', parent: 2 })
    const list = await listComments('api-comments')
    expect(list.map((c) => [c.id, c.parent])).toEqual([
      [1, null],
      [2, 1],
      [3, 2],
    ])
    expect(JSON.stringify(list)).not.toContain('ada@example.com')
    expect(await (await view('/archives/api-comments')).text()).not.toContain('ada@example.com')
  })

  it('returns the original response for a retry with the same key and stores nothing twice', async () => {
    await putPost('idem', { title: 'Idempotent' })
    const body = { author: 'Retry', body: 'only once', key: 'client-key-123' }
    const first = await postComment('idem', body)
    const again = await postComment('idem', body)
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await again.json()).toEqual(await first.json())
    // The header form of the key works too, and agrees with the field.
    const h1 = await postComment('idem', { author: 'H', body: 'header key' }, { 'idempotency-key': 'header-key-1' })
    const h2 = await postComment('idem', { author: 'H', body: 'header key' }, { 'idempotency-key': 'header-key-1' })
    expect(((await h2.json()) as { comment: CommentJson }).comment.id).toBe(((await h1.json()) as { comment: CommentJson }).comment.id)
    expect(await listComments('idem')).toHaveLength(2)
    // A key reused for different content is refused.
    const reused = await postComment('idem', { ...body, body: 'something else' })
    expect(reused.status).toBe(422)
    const mismatch = await postComment('idem', { ...body, key: 'a-key-1' }, { 'idempotency-key': 'b-key-2' })
    expect(mismatch.status).toBe(400)
    expect(await listComments('idem')).toHaveLength(2)
  })

  it('stores 200 comments posted at once exactly once each, and 50 retries of one key once', async () => {
    await putPost('burst-comments', { title: 'Burst' })
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => postComment('burst-comments', { author: `R${i}`, body: `comment ${i}`, key: `burst-${i}` })),
    )
    expect(responses.every((r) => r.status === 201)).toBe(true)
    const retries = await Promise.all(
      Array.from({ length: 50 }, () => postComment('burst-comments', { author: 'Same', body: 'same', key: 'same-key' })),
    )
    expect(retries.every((r) => r.status === 201)).toBe(true)
    const ids = new Set(await Promise.all(retries.map(async (r) => ((await r.json()) as { comment: CommentJson }).comment.id)))
    expect(ids.size).toBe(1)
    const list = await listComments('burst-comments')
    expect(list).toHaveLength(201)
    expect(new Set(list.map((c) => c.body)).size).toBe(201)
    expect(list.map((c) => c.id)).toEqual(Array.from({ length: 201 }, (_, i) => i + 1))
  })

  it('rejects invalid comments with a clear 4xx and stores nothing', async () => {
    await putPost('bad-comments', { title: 'Bad' })
    const cases: [Record<string, unknown> | string, number, string][] = [
      [{ body: 'no author' }, 400, 'invalid_comment'],
      [{ author: '', body: 'x' }, 400, 'invalid_comment'],
      [{ author: 'x'.repeat(51), body: 'x' }, 400, 'invalid_comment'],
      [{ author: 'a', body: '' }, 400, 'invalid_comment'],
      [{ author: 'a', body: 'x'.repeat(10_001) }, 400, 'invalid_comment'],
      [{ author: 'a', body: 'x', email: 'not-an-email' }, 400, 'invalid_comment'],
      [{ author: 'a', body: 'x', url: 'javascript:alert(1)' }, 400, 'invalid_comment'],
      [{ author: 'a', body: 'x', url: 'ftp://files.example' }, 400, 'invalid_comment'],
      [{ author: 'a', body: 'x', parent: 99 }, 400, 'parent_not_found'],
      [{ author: 'a', body: 'x', parent: 'abc' }, 400, 'invalid_comment'],
      [{ author: 'a', body: 'x', key: 'bad key with spaces' }, 400, 'invalid_comment'],
      [{ author: 42, body: 'x' }, 400, 'invalid_comment'],
      ['[]', 400, 'invalid_comment'],
      ['{"author": "a", "body":', 400, 'malformed_json'],
    ]
    for (const [input, status, code] of cases) {
      const res = await request('/api/posts/bad-comments/comments', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof input === 'string' ? input : JSON.stringify(input),
      })
      expect(res.status, JSON.stringify(input)).toBe(status)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code)
    }
    const form = await request('/api/posts/bad-comments/comments', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'author=a&body=b',
    })
    expect(form.status).toBe(415)
    const huge = await postComment('bad-comments', { author: 'a', body: 'x'.repeat(140_000) })
    expect(huge.status).toBe(413)
    expect((await roomStats('bad-comments')).comments).toBe(0)
  })

  it('refuses a lone surrogate (JSON \\ud800) or a control character in any text field, the address included, and stores nothing', async () => {
    await putPost('surrogate-comments', { title: 'Surrogates' })
    const cases: [Record<string, unknown>, string][] = [
      [{ author: 'a\ud800b' }, 'author'],
      [{ body: 'x\udc00y' }, 'body'],
      [{ url: 'https://reader.example/\ud800' }, 'url'],
      [{ url: 'https://reader.example/?q=\udfff' }, 'url'],
      [{ url: 'https://reader.example/\u0001' }, 'url'],
      [{ email: 'a\ud800@reader.example' }, 'email'],
    ]
    for (const [fields, field] of cases) {
      const res = await postComment('surrogate-comments', { author: 'Reader', body: 'Fine.', ...fields })
      expect(res.status, field).toBe(400)
      expect((await apiError(res)).code, field).toBe('invalid_comment')
    }
    expect((await roomStats('surrogate-comments')).comments).toBe(0)
    // A character outside the BMP is a pair, and fine.
    const ok = await postComment('surrogate-comments', { author: 'Reader 😀', body: 'Fine 😀.', url: 'https://reader.example/😀' })
    expect(ok.status).toBe(201)
  })

  it("gives a refusal's reason in the site language (English with LANGUAGE=en) and keeps its code", async () => {
    await putPost('api-language', { title: 'Language' })
    const en = { ...env, LANGUAGE: 'en' }
    const send = (body: Record<string, unknown>, bindings: Cloudflare.Env = env) =>
      request(
        '/api/posts/api-language/comments',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        bindings,
      )
    expect(await apiError(await send({ author: 'a', body: 'x', url: 'ftp://files.example' }))).toEqual({
      code: 'invalid_comment',
      message: '网址须以 http:// 或 https:// 开头。',
    })
    expect(await apiError(await send({ author: '', body: '' }))).toEqual({
      code: 'invalid_comment',
      message: '请填写昵称。请填写评论内容。',
    })
    expect(await apiError(await send({ author: 'a', body: 'x', url: 'ftp://files.example' }, en))).toEqual({
      code: 'invalid_comment',
      message: 'The website address must start with http:// or https://.',
    })
    // (In words a reader knows, naming the form's fields, as the Chinese do: not the API's field names.)
    expect(await apiError(await send({ author: '', body: '', email: 'no' }, en))).toEqual({
      code: 'invalid_comment',
      message: 'Please enter your name. The e-mail address is not valid. Please write a comment.',
    })
    const links = Array.from({ length: 6 }, (_, i) => `https://l${i}.example`).join(' ')
    expect(await apiError(await send({ author: 'a', body: links }))).toEqual({
      code: 'too_many_links',
      message: '一条评论最多只能有 5 个链接（这条有 6 个）。',
    })
    expect(await apiError(await send({ author: 'a', body: 'x', parent: 7 }))).toEqual({
      code: 'parent_not_found',
      message: '要回复的评论 #7 不存在或尚未显示。',
    })
    expect(
      await apiError(await send({ author: 'a', body: 'https://one.example https://two.example' }, { ...en, COMMENT_MAX_LINKS: '1' })),
    ).toEqual({
      code: 'too_many_links',
      message: 'A comment may contain at most 1 link (this one has 2).',
    })
    expect(await apiError(await send({ author: 'a', body: 'x', parent: 7 }, en))).toEqual({
      code: 'parent_not_found',
      message: 'There is no comment 7 to reply to.',
    })
    expect(await apiError(await postComment('no-such-post', { author: 'a', body: 'b' }))).toEqual({
      code: 'post_not_found',
      message: '没有找到已发布的文章“no-such-post”。',
    })
    // The live preview (comments.js shows its message in the preview box).
    const preview = (body: string) =>
      request('/api/comments/preview', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body }) })
    expect(await apiError(await preview(links))).toEqual({
      code: 'too_many_links',
      message: '一条评论最多只能有 5 个链接（这条有 6 个）。',
    })
    expect(await apiError(await preview(' '))).toEqual({ code: 'invalid_comment', message: '请填写评论内容。' })
    // The same text from the same writer, twice: 409, its reason in Chinese.
    expect((await send({ author: 'a', email: 'a@example.com', body: '同问' })).status).toBe(201)
    expect(await apiError(await send({ author: 'a', email: 'A@Example.com', body: '同问' }))).toEqual({
      code: 'duplicate_comment',
      message: '您已经在这里发表过同样的评论了。',
    })
    // The admin API keeps English.
    const queue = await request('/api/comments?limit=0', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(await apiError(queue)).toEqual({ code: 'invalid_query', message: 'limit must be 1 to 500' })
    const missing = await request('/api/comments/api-language/99/approve', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect(await apiError(missing)).toEqual({ code: 'comment_not_found', message: 'There is no comment 99.' })
  })

  it('answers 404 for unknown and draft posts and 410 for deleted ones', async () => {
    expect((await postComment('no-such-post', { author: 'a', body: 'b' })).status).toBe(404)
    expect((await request('/api/posts/no-such-post/comments')).status).toBe(404)
    await putPost('draft-comments', { title: 'Draft', draft: true })
    expect((await postComment('draft-comments', { author: 'a', body: 'b' })).status).toBe(404)
    await putPost('deleted-comments', { title: 'Deleted' })
    await request('/api/posts/deleted-comments', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
    expect((await postComment('deleted-comments', { author: 'a', body: 'b' })).status).toBe(410)
  })
})

/** Every dangerous scheme, spelled every way, in every markdown and HTML form that carries a URL. */
function SCHEME_VECTORS(): string[] {
  const schemes = [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
    'java\\nscript:alert(1)',
    'jav&#x09;ascript:alert(1)',
    '&#x6A;avascript:alert(1)',
    'javascript&colon;alert(1)',
    '&#0000106&#0000097vascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+',
    '\u00a0javascript:alert(1)',
    '\u3000javascript:alert(1)',
  ]
  const forms = [
    (u: string) => `[inline](${u})`,
    (u: string) => `![image](${u})`,
    (u: string) => `[ref][r]\n\n[r]: ${u}`,
    (u: string) => `<${u}>`,
    (u: string) => `<a href="${u}">html link</a>`,
    (u: string) => `<img src="${u}">`,
  ]
  // (A scheme behind a control character, e.g. \u0001javascript:, is refused as a whole: control characters are not accepted.)
  return schemes.flatMap((u, i) => forms.map((f, j) => `${f(u)} (${i}.${j})`))
}

describe('hostile comments', () => {
  const VECTORS = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](javascript&#58;alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](vbscript:msgbox(1))',
    '<javascript:alert(1)>',
    '![x](javascript:alert(1))',
    '[x]: javascript:alert(1)\n\n[link][x]',
    '<a href="javascript:alert(1)">a</a>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<iframe src="https://evil.example"></iframe>',
    '<form action="https://evil.example"><button>go</button></form>',
    '$\\href{javascript:alert(1)}{click}$',
    '$\\htmlStyle{background:url(x)}{y}$',
    '$\\includegraphics{https://evil.example/x.png}$',
    '"><script>alert(1)</script>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    ...SCHEME_VECTORS(),
    '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
    '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
    '<svg><use href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"/></svg>',
    '<math href="javascript:alert(1)">x</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<details open ontoggle=alert(1)>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<style>@import "https://evil.example/x.css"</style>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<template><script>alert(1)</script></template>',
    '$\\url{javascript:alert(1)}$',
    '$\\htmlClass{x" onmouseover="alert(1)}{y}$',
    '$\\htmlId{x" onmouseover="alert(1)}{y}$',
    '$\\htmlData{onclick=alert(1)}{y}$',
    '$$\\href{javascript:alert(1)}{\\text{display}}$$',
    '$\\text{<img src=x onerror=alert(1)>}$',
    '`<script>alert(1)</script>`',
    '```html\n<script>alert(1)</script>\n```',
    '> <img src=x onerror=alert(1)>',
    '* [x](javascript:alert(1))',
    '| a |\n| - |\n| <script>alert(1)</script> |',
    '[x](<javascript:alert(1)>)',
    '[x](javascript://%0aalert(1))',
    '[x](//evil.example/%2F..)',
  ]

  it('renders no script, no handler and no dangerous URL on the post page, in any vector', async () => {
    await putPost('hostile', { title: 'Hostile' })
    for (const [i, body] of VECTORS.entries()) {
      const res = await postComment('hostile', {
        author: `"><img src=x onerror=alert(${i})>`,
        url: `https://x.example/"onmouseover="alert(${i})`,
        body,
      })
      expect(res.status, body).toBe(201)
      const { comment } = (await res.json()) as { comment: CommentJson }
      expect(dangers(comment.html), body).toEqual([])
    }
    expect(VECTORS.length).toBeGreaterThanOrEqual(100)
    // Every comment page (50 threads a page), checked with a real HTML parser.
    let pagesSeen = 0
    for (let n = 1; ; n++) {
      const res = await view(n === 1 ? '/archives/hostile' : `/archives/hostile/comment-page-${n}`)
      if (res.status === 404) break
      const html = await res.text()
      expect(dangers(html, 'page')).toEqual([])
      expect(html).not.toContain('<img src=x onerror')
      pagesSeen++
    }
    expect(pagesSeen).toBe(Math.ceil(VECTORS.length / 50))
    await eventually(async () => {
      const home = await (await request('/')).text()
      expect(home).toContain('&quot;&gt;&lt;img src=x onerror=alert(')
      expect(dangers(home, 'page')).toEqual([])
    })
    const snapshot = await env.POSTS.get('v1:site')
    expect(snapshot).toContain('onerror') // stored as text; escaped when shown
  })
})

describe('the comment thread on the post page', () => {
  it('is fetched from the post object only when its version changed, and shows new comments at once', async () => {
    await putPost('thread-cache', { title: 'Thread cache' })
    await postComment('thread-cache', { author: 'A', body: 'first' })
    const room = env.POST_ROOM.getByName('thread-cache')
    const first = await room.open({ countView: false })
    expect(first.comments).toHaveLength(1)
    const again = await room.open({ countView: false, knownVersion: first.commentsVersion })
    expect(again.comments).toBeNull()
    expect((await view('/archives/thread-cache')).status).toBe(200)
    await postComment('thread-cache', { author: 'B', body: 'second, after the page was rendered' })
    const changed = await room.open({ countView: false, knownVersion: first.commentsVersion })
    expect(changed.comments).toHaveLength(2)
    const html = await (await view('/archives/thread-cache')).text()
    expect(html).toContain('second, after the page was rendered')
    expect(html).toContain('2条评论')
  })
})
