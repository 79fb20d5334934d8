import type { Browser, ConsoleMessage, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launch, readerContext, visit } from './browser'

const base = inject('baseUrl')
let browser: Browser

beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
  // The posts made here are dated now: left published, they would push the sample posts off the
  // front page's first page, which the reader test opens a post from.
  for (const id of ['e2e-likes', 'e2e-order', 'e2e-rename-to', 'e2e-edit-to', 'e2e-drafts', 'e2e-tools', 'e2e-mathml']) {
    await fetch(`${base}/api/posts/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${inject('adminToken')}` } })
  }
})

/** An admin API call: PUT a post, or POST its rename. */
function api(path: string, body: unknown): Promise<Response> {
  return fetch(`${base}/api${path}`, {
    method: path.endsWith('/rename') ? 'POST' : 'PUT',
    headers: { authorization: `Bearer ${inject('adminToken')}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** A comment posted with the admin token (as the blog's author); its number. */
async function authorComment(postId: string, body: string): Promise<number> {
  const posted = await fetch(`${base}/api/posts/${postId}/comments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${inject('adminToken')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ author: '博主', body }),
  })
  expect(posted.status).toBe(201)
  return ((await posted.json()) as { comment: { id: number } }).comment.id
}

function problemsOf(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') problems.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  return problems
}

describe('comments in Chromium', () => {
  it('previews math live, posts, shows relative time and an identicon, then edits and deletes its own comment', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    const problems = problemsOf(page)
    await visit(page, `${base}/archives/random-walk-return-probability`)
    await page.fill('#comment-author', '预览读者')
    await page.fill('#comment-email', 'preview@example.com')
    await page.fill('#comment-body', '返回概率 $P(S_{2n}=0)\\sim \\frac{1}{\\sqrt{\\pi n}}$')
    await page.click('.comment-preview-button')
    // The preview comes from the server, typeset, without leaving the page.
    await expect.poll(() => page.locator('#comment-preview .katex').count()).toBe(1)
    expect(page.url()).toMatch(/\/archives\/random-walk-return-probability$/)
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.click('.comment-form button[value=post]')])
    const id = new URL(page.url()).hash.slice(1)
    const comment = page.locator(`#${id}`)
    await expect.poll(() => comment.locator('.comment-ago').first().textContent()).toMatch(/刚刚|分钟前/)
    const avatar = await comment
      .locator('img.avatar')
      .first()
      .evaluate((img: HTMLImageElement) => ({ ok: img.complete && img.naturalWidth > 0, src: img.src }))
    expect(avatar.ok).toBe(true)
    expect(avatar.src).toMatch(/\/avatars\/[0-9a-f]{32}\.svg$/)
    // Its writer may edit it from this browser.
    const edit = comment.locator('button', { hasText: '编辑' }).first()
    await expect.poll(() => edit.isVisible()).toBe(true)
    await edit.click()
    const editor = comment.locator('textarea')
    await expect.poll(() => editor.inputValue()).toContain('P(S_{2n}=0)')
    await editor.fill('改正：$P(S_{2n}=0)\\sim (\\pi n)^{-1/2}$')
    await comment.locator('button', { hasText: '保存' }).click()
    await expect.poll(() => comment.locator('.comment-body').first().textContent()).toContain('改正')
    expect(await comment.locator('.comment-body .katex').count()).toBe(1)
    await page.reload()
    await expect.poll(() => page.locator(`#${id}`).textContent()).toContain('已编辑')
    // The form remembers its writer in this browser.
    await expect.poll(() => page.locator('#comment-author').inputValue()).toBe('预览读者')
    expect(await page.locator('#comment-email').inputValue()).toBe('preview@example.com')
    // Another reader sees no edit button.
    const other = await readerContext(browser)
    const otherPage = await other.newPage()
    await visit(otherPage, `${base}/archives/random-walk-return-probability`)
    await expect.poll(() => otherPage.locator(`#${id} .comment-ago`).count()).toBeGreaterThan(0)
    expect(await otherPage.locator(`#${id} button`, { hasText: '编辑' }).count()).toBe(0)
    await other.close()
    // Delete (after the confirmation).
    page.once('dialog', (d) => void d.accept())
    await page.locator(`#${id} button`, { hasText: '删除' }).first().click()
    await expect.poll(() => page.locator(`#${id}`).textContent()).toContain('此评论已删除')
    await page.reload()
    expect(await page.locator(`#${id}`).count()).toBe(0)
    expect(problems).toEqual([])
    await context.close()
  })

  it("notifies the parent comment's author (opted in) and the blog's author through a local e-mail API and webhook", async () => {
    const mail = inject('mailStubUrl')
    await fetch(`${mail}/log`, { method: 'DELETE' })
    const context = await readerContext(browser, { javaScriptEnabled: false })
    const page = await context.newPage()
    await visit(page, `${base}/archives/harmonic-series-euler-gamma`)
    await page.fill('#comment-author', '提问者')
    await page.fill('#comment-email', 'asker@example.com')
    await page.check('input[name=notify]')
    await page.fill('#comment-body', '为什么 $\\gamma\\approx 0.5772$？')
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.click('.comment-form button[value=post]')])
    const parentId = new URL(page.url()).hash.slice('#comment-'.length)
    await visit(page, `${base}/archives/harmonic-series-euler-gamma?replyto=${parentId}#respond`)
    await page.fill('#comment-author', '<b>回答者</b>')
    await page.fill('#comment-body', '见 $H_n-\\ln n\\to\\gamma$ <script>alert(1)</script>')
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.click('.comment-form button[value=post]')])
    type Sent = { path: string; headers: Record<string, string>; body: string }
    const sent = await expect
      .poll(async () => ((await (await fetch(`${mail}/log`)).json()) as Sent[]).filter((s) => s.path === '/mail').length)
      .toBeGreaterThanOrEqual(3)
      .then(async () => (await (await fetch(`${mail}/log`)).json()) as Sent[])
    const mails = sent
      .filter((s) => s.path === '/mail')
      .map((s) => ({ auth: s.headers.authorization, ...(JSON.parse(s.body) as { to: string[]; subject: string; text: string }) }))
    const toAsker = mails.filter((m) => m.to[0] === 'asker@example.com')
    expect(toAsker).toHaveLength(1)
    expect(toAsker[0]!.auth).toBe('Bearer e2e-mail-key')
    expect(toAsker[0]!.text).toContain('/comments/unsubscribe?')
    expect(mails.filter((m) => m.to[0] === 'author@e2e.test').length).toBe(2)
    for (const m of mails) expect(`${m.subject}${m.text}`).not.toMatch(/<\s*(b|script)\b/i)
    expect(sent.some((s) => s.path === '/hook')).toBe(true)
    // The unsubscribe link works in the browser: a page with a button, then done.
    const link = /http:\/\/[^\s]+\/comments\/unsubscribe\?[^\s]+/.exec(toAsker[0]!.text)![0]
    await visit(page, link)
    await Promise.all([page.waitForLoadState(), page.click('main form button[type=submit]')])
    await expect.poll(() => page.locator('main').textContent()).toMatch(/不再|退订/)
    await context.close()
  })

  it('shows the sample comments that npm start imports from content/comments (Waline export), threaded, with the author badge', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    await visit(page, `${base}/archives/newton-method-quadratic-convergence`)
    const answer = page.locator('.comment', { hasText: 'restores quadratic convergence' }).first()
    await expect.poll(() => answer.locator('.comment-body .katex').count()).toBeGreaterThan(0)
    expect(await answer.textContent()).toContain('博主')
    const question = page.locator('.comment', { hasText: 'double root' }).first()
    expect(await question.locator('.children .comment', { hasText: 'restores quadratic convergence' }).count()).toBe(1)
    await context.close()
  })

  it("keeps the page after a comment whose formula has a space in an operator (KaTeX's <mspace/>) out of that formula", async () => {
    expect((await api('/posts/e2e-mathml', { title: '算子间距', body: '正文。' })).status).toBe(201)
    await authorComment('e2e-mathml', '算子 $\\mathop{x\\kern1em y}$ 的间距')
    await authorComment('e2e-mathml', '第二条评论')
    const context = await readerContext(browser)
    const page = await context.newPage()
    await visit(page, `${base}/archives/e2e-mathml`)
    expect(await page.locator('.comment-body .katex').count()).toBe(1)
    // Parsed by Chromium: the next comment, the comment form, the sidebar and the footer are where the
    // page puts them, not inside the first comment's (hidden) MathML.
    const swallowed = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.comment, form, aside, footer'))
        .filter((e) => e.closest('.katex'))
        .map((e) => e.tagName),
    )
    expect(swallowed).toEqual([])
    expect(await page.locator('.comment', { hasText: '第二条评论' }).isVisible()).toBe(true)
    expect(await page.locator('footer').last().isVisible()).toBe(true)
    await context.close()
  })

  it('keeps the comment being written in this browser, per post and per comment answered, until it is sent or emptied', async () => {
    expect((await api('/posts/e2e-drafts', { title: '草稿', body: '高斯积分 $\\int e^{-x^2}dx=\\sqrt{\\pi}$。' })).status).toBe(201)
    const comment = { id: await authorComment('e2e-drafts', '欢迎讨论') }
    const context = await readerContext(browser)
    let page = await context.newPage()
    const problems = problemsOf(page)
    const body = () => page.locator('#comment-body').inputValue()
    const saved = () => page.evaluate(() => Object.keys(JSON.parse(localStorage.getItem('comment-drafts') || '{}')).sort())
    await visit(page, `${base}/archives/e2e-drafts`)
    await page.fill('#comment-body', '还没写完：$\\Gamma(1/2)=\\sqrt{\\pi}$')
    await expect.poll(saved).toEqual(['e2e-drafts#'])
    // The tab closed and the post opened again: the text is back.
    await page.close()
    page = await context.newPage()
    problems.push(...problemsOf(page))
    await visit(page, `${base}/archives/e2e-drafts`)
    expect(await body()).toBe('还没写完：$\\Gamma(1/2)=\\sqrt{\\pi}$')
    // A reply has its own draft; the form for the post keeps its own.
    await visit(page, `${base}/archives/e2e-drafts?replyto=${comment.id}#respond`)
    expect(await body()).toBe('')
    await page.fill('#comment-body', '回复的草稿')
    await expect.poll(saved).toEqual(['e2e-drafts#', `e2e-drafts#${comment.id}`])
    await page.reload()
    expect(await body()).toBe('回复的草稿')
    // Emptying the box forgets the reply's draft.
    await page.fill('#comment-body', '')
    await expect.poll(saved).toEqual(['e2e-drafts#'])
    // Sending the comment forgets it: the form is empty afterwards.
    await visit(page, `${base}/archives/e2e-drafts`)
    await page.fill('#comment-author', '草稿读者')
    await page.fill('#comment-body', '写完了：$\\Gamma(1/2)=\\sqrt{\\pi}$')
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.click('.comment-form button[value=post]')])
    expect(await saved()).toEqual([])
    await visit(page, `${base}/archives/e2e-drafts`)
    expect(await body()).toBe('')
    expect(problems).toEqual([])
    await context.close()
  })

  it('puts emoji and formulas into the box from its toolbar, and the draft and the preview follow', async () => {
    expect((await api('/posts/e2e-tools', { title: '工具栏', body: '欧拉公式 $e^{i\\pi}+1=0$。' })).status).toBe(201)
    const context = await readerContext(browser)
    const page = await context.newPage()
    const problems = problemsOf(page)
    const body = () => page.locator('#comment-body').inputValue()
    await visit(page, `${base}/archives/e2e-tools`)
    const tools = page.locator('.comment-form .comment-tools')
    const emoji = tools.getByRole('button', { name: '😀 表情' })
    const panel = page.getByRole('group', { name: '插入表情' })
    expect(await panel.isHidden()).toBe(true)
    expect(await emoji.getAttribute('aria-expanded')).toBe('false')
    // The panel opens with the focus on its first emoji; a choice goes in at the caret, the panel stays open.
    await page.fill('#comment-body', '好题')
    await emoji.click()
    expect(await panel.isVisible()).toBe(true)
    expect(await emoji.getAttribute('aria-expanded')).toBe('true')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('😀')
    await panel.getByRole('button', { name: '🤔' }).click()
    await panel.getByRole('button', { name: '👍' }).click()
    expect(await body()).toBe('好题🤔👍')
    // Escape closes it and gives the focus back to its button.
    await page.keyboard.press('Escape')
    expect(await panel.isHidden()).toBe(true)
    expect(await emoji.getAttribute('aria-expanded')).toBe('false')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('😀 表情')
    // 行内公式 wraps the selection; 行间公式 with none puts $$ lines around the caret, which typing fills.
    await page.fill('#comment-body', '设 x^2')
    await page.locator('#comment-body').evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(2, 5))
    await tools.getByRole('button', { name: '行内公式' }).click()
    expect(await body()).toBe('设 $x^2$')
    expect(await tools.getByRole('button', { name: '行内公式' }).getAttribute('title')).toBe('插入行内公式 $…$（选中的文字放进公式）')
    await page.locator('#comment-body').evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(el.value.length, el.value.length))
    await tools.getByRole('button', { name: '行间公式' }).click()
    await page.keyboard.type('\\int_0^1 x^2\\,dx = \\frac13')
    expect(await body()).toBe('设 $x^2$\n$$\n\\int_0^1 x^2\\,dx = \\frac13\n$$')
    // The draft has the text, and the live preview typesets both formulas.
    await expect
      .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('comment-drafts') || '{}')['e2e-tools#']?.body))
      .toBe('设 $x^2$\n$$\n\\int_0^1 x^2\\,dx = \\frac13\n$$')
    await page.click('.comment-preview-button')
    await expect.poll(() => page.locator('#comment-preview .katex').count()).toBe(2)
    expect(await page.locator('#comment-preview .katex-display').count()).toBe(1)
    // A click elsewhere closes an open panel.
    await emoji.click()
    expect(await panel.isVisible()).toBe(true)
    await page.click('.comment-form-title')
    expect(await panel.isHidden()).toBe(true)
    expect(problems).toEqual([])
    await context.close()
  })

  it('likes a comment (赞) in place, shows it pressed in this browser after a reload, and takes it back', async () => {
    expect((await api('/posts/e2e-likes', { title: '点赞', body: '勾股定理 $a^2+b^2=c^2$。' })).status).toBe(201)
    const comment = { id: await authorComment('e2e-likes', '欢迎点赞') }
    const context = await readerContext(browser)
    const page = await context.newPage()
    const problems = problemsOf(page)
    await visit(page, `${base}/archives/e2e-likes`)
    const button = page.locator(`#comment-${comment.id} button.comment-like`)
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('false')
    expect(await button.locator('.comment-like-count').textContent()).toBe('')
    await button.click()
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true')
    expect(await button.locator('.comment-like-count').textContent()).toBe('1')
    // No reload: the page stayed where it was.
    expect(page.url()).toBe(`${base}/archives/e2e-likes`)
    await page.reload()
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true')
    expect(await button.locator('.comment-like-count').textContent()).toBe('1')
    // Again: taken back.
    await button.click()
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('false')
    expect(await button.locator('.comment-like-count').textContent()).toBe('')
    expect(problems).toEqual([])
    await context.close()

    // Without JavaScript the button is a form: it likes and comes back to the comment.
    const plain = await readerContext(browser, { javaScriptEnabled: false })
    const noScript = await plain.newPage()
    await visit(noScript, `${base}/archives/e2e-likes`)
    await Promise.all([
      noScript.waitForURL(new RegExp(`#comment-${comment.id}$`)),
      noScript.locator(`#comment-${comment.id} button.comment-like`).click(),
    ])
    expect(await noScript.locator(`#comment-${comment.id} .comment-like-count`).textContent()).toBe('1')
    await plain.close()
  })

  it('sorts the comments by likes (最热) with a plain link, and back to the oldest first (最早)', async () => {
    expect((await api('/posts/e2e-order', { title: '排序', body: '欧拉公式 $e^{i\\pi}+1=0$。' })).status).toBe(201)
    const ids: number[] = []
    for (const body of ['第一条', '第二条', '第三条']) {
      ids.push(await authorComment('e2e-order', body))
    }
    const context = await readerContext(browser)
    const page = await context.newPage()
    const problems = problemsOf(page)
    await visit(page, `${base}/archives/e2e-order`)
    const roots = () => page.locator('.comment-list > li.depth-0').evaluateAll((els) => els.map((e) => Number(e.id.slice(8))))
    expect(await roots()).toEqual(ids)
    const sort = page.locator('nav.comment-sort')
    expect(await sort.locator('a[aria-current="true"]').textContent()).toBe('最早')
    // The reader likes the last comment, then asks for the most liked first.
    const like = page.locator(`#comment-${ids[2]} button.comment-like`)
    await expect.poll(() => like.getAttribute('aria-pressed')).toBe('false')
    await like.click()
    await expect.poll(() => like.getAttribute('aria-pressed')).toBe('true')
    await Promise.all([page.waitForURL(/\?order=hot#comments$/), sort.getByRole('link', { name: '最热' }).click()])
    expect(await roots()).toEqual([ids[2], ids[0], ids[1]])
    expect(await sort.locator('a[aria-current="true"]').textContent()).toBe('最热')
    // The links are reachable from the keyboard: the default order's is the post's own address again.
    await sort.getByRole('link', { name: '最早' }).focus()
    await Promise.all([page.waitForURL(new RegExp(`/archives/e2e-order#comments$`)), page.keyboard.press('Enter')])
    expect(await roots()).toEqual(ids)
    expect(problems).toEqual([])
    await context.close()
  })

  it('previews without JavaScript through the form, keeping the text, and stores nothing', async () => {
    const context = await readerContext(browser, { javaScriptEnabled: false })
    const page = await context.newPage()
    await visit(page, `${base}/archives/coffee-extraction-yield`)
    const before = await page.locator('.comment').count()
    await page.fill('#comment-author', '无脚本')
    await page.fill('#comment-body', '萃取率 $E=\\frac{m_s}{m_c}$')
    await page.click('.comment-preview-button')
    await expect.poll(() => page.locator('#comment-preview .katex').count()).toBe(1)
    expect(await page.inputValue('#comment-body')).toBe('萃取率 $E=\\frac{m_s}{m_c}$')
    await visit(page, `${base}/archives/coffee-extraction-yield`)
    expect(await page.locator('.comment').count()).toBe(before)
    await context.close()
  })

  it('keeps a comment typed on a page opened before its post was renamed: the browser sends it again to the new address', async () => {
    expect((await api('/posts/e2e-rename-from', { title: '改名之前', body: '质能关系 $E=mc^2$。' })).status).toBe(201)
    const context = await readerContext(browser)
    const page = await context.newPage()
    const problems = problemsOf(page)
    await visit(page, `${base}/archives/e2e-rename-from`)
    // The post is renamed while the reader types.
    expect((await api('/posts/e2e-rename-from/rename', { to: 'e2e-rename-to' })).status).toBe(200)
    await page.fill('#comment-author', '写得慢的读者')
    await page.fill('#comment-body', '打字时文章改了地址：$\\nabla\\cdot E = \\rho/\\varepsilon_0$')
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.click('.comment-form button[value=post]')])
    expect(page.url()).toMatch(new RegExp(`^${base}/archives/e2e-rename-to#comment-\\d+$`))
    const id = new URL(page.url()).hash.slice(1)
    await expect.poll(() => page.locator(`#${id} .comment-body`).textContent()).toContain('打字时文章改了地址')
    expect(await page.locator(`#${id} .comment-body .katex`).count()).toBe(1)
    const stored = (await (await fetch(`${base}/api/posts/e2e-rename-to/comments`)).json()) as { total: number }
    expect(stored.total).toBe(1)
    expect(problems).toEqual([])
    await context.close()
  })

  it('lets the writer edit a comment posted just before its post was renamed, at the new address', async () => {
    expect((await api('/posts/e2e-edit-from', { title: '评论后改名', body: '欧拉公式 $e^{i\\pi}+1=0$。' })).status).toBe(201)
    const context = await readerContext(browser)
    const page = await context.newPage()
    const problems = problemsOf(page)
    await visit(page, `${base}/archives/e2e-edit-from`)
    await page.fill('#comment-author', '手快的读者')
    await page.fill('#comment-body', '笔误：$e^{i\\pi}=1$')
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.click('.comment-form button[value=post]')])
    const id = new URL(page.url()).hash.slice(1)
    // The author renames the post a minute later; the reader opens it again at its old address.
    expect((await api('/posts/e2e-edit-from/rename', { to: 'e2e-edit-to' })).status).toBe(200)
    await visit(page, `${base}/archives/e2e-edit-from`)
    expect(page.url()).toBe(`${base}/archives/e2e-edit-to`)
    const comment = page.locator(`#${id}`)
    const edit = comment.locator('button', { hasText: '编辑' }).first()
    await expect.poll(() => edit.isVisible()).toBe(true)
    await edit.click()
    await comment.locator('textarea').fill('改正：$e^{i\\pi}=-1$')
    await comment.locator('button', { hasText: '保存' }).click()
    await expect.poll(() => comment.locator('.comment-body').first().textContent()).toContain('改正')
    await page.reload()
    await expect.poll(() => page.locator(`#${id}`).textContent()).toContain('已编辑')
    expect(await page.locator(`#${id} .comment-body .katex`).count()).toBe(1)
    expect(problems).toEqual([])
    await context.close()
  })
})
