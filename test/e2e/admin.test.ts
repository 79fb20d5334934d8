/**
 * The web admin in Chromium: sign in (a wrong token first), the session cookie's flags, a new post
 * with display math and its live preview (and the preview's header: the front matter's title as text,
 * date, category, tags), publishing it to the front page, an edit and its revision,
 * approving a held comment, unpublishing, deleting, signing out; axe-core on the sign-in page and
 * the signed-in pages in the light and the dark theme.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { axeViolations } from './axe'
import { launch, READER_UA, readerContext, visit } from './browser'

const base = inject('baseUrl')
const token = inject('adminToken')
const ID = `e2e-admin-${process.pid}`
const TITLE = `管理后台的积分 ${process.pid}`
let browser: Browser

beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

async function signIn(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  await visit(page, `${base}/admin`)
  await page.getByLabel('管理令牌').fill('certainly-not-the-token')
  await page.getByRole('button', { name: '登录' }).click()
  await expect.poll(() => page.locator('.admin-notice-error').textContent()).toContain('令牌不正确')
  await page.getByLabel('管理令牌').fill(token)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL(`${base}/admin/posts`)
  return page
}

/** The API with the token, for what the test sets up around the admin (a comment to hold). */
async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${base}/api${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } })
}

describe('web admin', () => {
  it('signs in, writes a post with math (live preview), publishes it to the front page, edits, moderates, unpublishes, deletes, signs out', async () => {
    const context = await readerContext(browser)
    const problems: string[] = []
    try {
      const page = await signIn(context)
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`)
      })

      // The session cookie: HttpOnly, Secure (Chromium keeps Secure cookies from http://127.0.0.1,
      // a potentially trustworthy origin), SameSite=Strict, for /admin only, expiring in 12 hours.
      // (All the context's cookies: Playwright's cookies(url) leaves out Secure cookies for an http URL.)
      const cookie = (await context.cookies()).find((c) => c.name === 'blog_admin')
      expect(cookie).toBeDefined()
      expect(cookie!.httpOnly).toBe(true)
      expect(cookie!.secure).toBe(true)
      expect(cookie!.sameSite).toBe('Strict')
      expect(cookie!.path).toBe('/admin')
      const hours = (cookie!.expires - Date.now() / 1000) / 3600
      expect(hours).toBeGreaterThan(11.9)
      expect(hours).toBeLessThanOrEqual(12)
      expect(cookie!.value).not.toContain(token)
      expect(await page.content()).not.toContain(token)
      expect(await page.evaluate(() => document.cookie)).not.toContain('blog_admin')

      // A new post with a display formula: the live preview typesets it before anything is saved.
      await page.getByRole('link', { name: '写文章' }).click()
      await page.waitForURL(`${base}/admin/new`)
      await page.getByLabel('文章 ID').fill(ID)
      const source = page.locator('#admin-source')
      await source.fill(`---\ntitle: "${TITLE}"\n---\n\n$$\\int_0^1 x^2\\,dx = \\tfrac13$$\n\n正文第二段。\n`)
      await page.locator('[data-preview] .katex-display').waitFor()
      expect(await page.locator('[data-preview] annotation').first().textContent()).toContain('\\int_0^1')
      expect((await api(`/posts/${ID}`)).status).toBe(404)
      expect(await page.content()).not.toContain(token)

      // An image chosen in the editor is uploaded and its markdown inserted at the cursor.
      await source.press('End')
      await page.getByLabel('上传图片').setInputFiles({
        name: 'dot.png',
        mimeType: 'image/png',
        buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'),
      })
      await expect.poll(() => source.inputValue()).toMatch(/!\[dot\]\([^)]+\.png\)/)
      // A file whose name is longer than the 150 characters the API keeps is uploaded all the same (its name cut).
      const longName = `${'长'.repeat(120)}${'n'.repeat(40)}`
      await source.press('End')
      await page.getByLabel('上传图片').setInputFiles({
        name: `${longName}.png`,
        mimeType: 'image/png',
        buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
      })
      await expect.poll(() => source.inputValue()).toContain(`![${longName}](/media/`)
      expect(await page.locator('[data-upload-status]').textContent()).toBe('')

      await page.getByRole('button', { name: '发布', exact: true }).click()
      await page.waitForURL(`${base}/admin/edit/${ID}?done=published`)
      await expect.poll(() => page.locator('.admin-notice').textContent()).toContain('已发布')

      // On the front page: the title and the typeset formula in its excerpt.
      const front = await context.newPage()
      await visit(front, `${base}/`)
      const entry = front.locator('article.entry', { hasText: TITLE })
      await entry.waitFor()
      expect(await entry.locator('.entry-excerpt .katex-display').count()).toBe(1)
      await front.close()

      // An edit makes a revision; the revisions page lists both.
      await source.fill(`---\ntitle: "${TITLE}（修订）"\n---\n\n$$\\int_0^1 x^2\\,dx = \\tfrac13$$\n\n正文第二段，改过。\n`)
      await page.getByRole('button', { name: '发布', exact: true }).click()
      await page.waitForURL(`${base}/admin/edit/${ID}?done=published`)
      await page.getByRole('link', { name: '修订版本' }).click()
      await page.waitForURL(`${base}/admin/edit/${ID}/revisions`)
      expect(await page.locator('tr[data-revision]').count()).toBeGreaterThanOrEqual(2)

      // A held comment (marked spam through the API) shows in the queue; approving it publishes it.
      const posted = await fetch(`${base}/api/posts/${ID}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.18.200.1' },
        body: JSON.stringify({
          author: '读者乙',
          email: 'a.rather.long.address.for.wrapping@physics.example-university.edu.cn',
          body: `被拦下的评论 ${process.pid}`,
        }),
      })
      expect(posted.status).toBe(201)
      const { comment } = (await posted.json()) as { comment: { id: number } }
      expect((await api(`/comments/${ID}/${comment.id}/spam`, { method: 'POST' })).status).toBe(200)
      const row = page.locator(`tr[data-comment="${ID}/${comment.id}"]`)
      await expect
        .poll(async () => {
          await visit(page, `${base}/admin/comments?status=spam`)
          return row.count()
        })
        .toBe(1)
      // The row links to the comment itself, and the queue fits a phone's width (a long address wraps).
      expect(await row.locator('a').first().getAttribute('href')).toBe(`/archives/${ID}/comments/${comment.id}`)
      await page.setViewportSize({ width: 390, height: 900 })
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
      await page.setViewportSize({ width: 1280, height: 900 })
      await row.getByRole('button', { name: '通过' }).click()
      await page.waitForURL(`${base}/admin/comments?status=spam&done=1`)
      const approved = (await (await fetch(`${base}/api/posts/${ID}/comments`)).json()) as { comments: { id: number }[] }
      expect(approved.comments.map((c) => c.id)).toContain(comment.id)

      // Unpublish: back to a draft, gone from the front page.
      await visit(page, `${base}/admin/edit/${ID}`)
      await page.getByRole('button', { name: '撤回为草稿' }).click()
      await page.waitForURL(`${base}/admin/edit/${ID}?done=draft`)
      expect((await fetch(`${base}/archives/${ID}`)).status).toBe(404)

      // Delete, after the confirmation.
      page.once('dialog', (d) => void d.accept())
      await page.getByRole('button', { name: '删除文章' }).click()
      await page.waitForURL(`${base}/admin/posts?deleted=${ID}`)
      expect((await api(`/posts/${ID}`)).status).toBe(410)

      // Sign out: the cookie is gone and the admin asks to sign in again.
      await page.getByRole('button', { name: '退出登录' }).click()
      await page.waitForURL(`${base}/admin`)
      expect((await context.cookies()).find((c) => c.name === 'blog_admin')).toBeUndefined()
      await visit(page, `${base}/admin/posts`)
      expect(page.url()).toBe(`${base}/admin`)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })

  it("the live preview shows the post's header from its front matter: the title as text, author, date, category and tags", async () => {
    const context = await readerContext(browser)
    try {
      const page = await signIn(context)
      await visit(page, `${base}/admin/new`)
      const title = '<b>粗体</b> & <img src=x> 标题'
      await page
        .locator('#admin-source')
        .fill(`---\ntitle: ${JSON.stringify(title)}\ndate: 2024-05-01 08:30\ncategory: 数学\ntags: [积分, 极限]\n---\n\n正文，$x^2$。\n`)
      const header = page.locator('[data-preview-header]')
      await header.waitFor({ state: 'visible' })
      // The title as typed: text, not markup.
      expect(await header.locator('.post-title').textContent()).toBe(title)
      expect(await header.locator('.post-title b, .post-title img').count()).toBe(0)
      expect(await header.locator('.post-meta').textContent()).toMatch(/^By .+ \| 2024-05-01$/)
      expect(await header.locator('.post-meta time').getAttribute('datetime')).toBe('2024-05-01T08:30:00+08:00')
      expect(await header.locator('.post-category').textContent()).toBe('分类: 数学')
      expect(await header.locator('.post-tags .tag').allTextContents()).toEqual(['积分', '极限'])
      // It follows the text: a new title replaces the old one.
      await page.locator('#admin-source').fill('---\ntitle: "第二个标题"\n---\n\n正文。\n')
      await expect.poll(() => header.locator('.post-title').textContent()).toBe('第二个标题')
      expect(await header.locator('.post-taxonomy').isVisible()).toBe(false)
    } finally {
      await context.close()
    }
  })

  it('the nav counts held comments; bulk moderation: the select-all box ticks every row, deleting the ticked rows asks first, and the page says how many', async () => {
    const post = `e2e-bulk-${process.pid}`
    expect(
      (await api(`/posts/${post}`, { method: 'PUT', headers: { 'content-type': 'text/markdown' }, body: '---\ntitle: Bulk\n---\n\nx\n' }))
        .status,
    ).toBe(201)
    const ids: number[] = []
    for (const n of [1, 2, 3]) {
      const res = await fetch(`${base}/api/posts/${post}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': `198.18.201.${n}` },
        body: JSON.stringify({ author: `读者${n}`, body: `批量处理的评论 ${n}` }),
      })
      expect(res.status).toBe(201)
      const { comment } = (await res.json()) as { comment: { id: number } }
      expect((await api(`/comments/${post}/${comment.id}/spam`, { method: 'POST' })).status).toBe(200)
      ids.push(comment.id)
    }
    const context = await readerContext(browser)
    const problems: string[] = []
    try {
      const page = await signIn(context)
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
      // The nav shows how many comments wait (the script reads the queue's counts; none: no badge).
      const nav = page.locator('a[data-pending-count]')
      await page.route('**/admin/api/comments?status=pending&limit=1', (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({ status: 'pending', comments: [], next: null, counts: { pending: 4, spam: 0, approved: 0 } }),
        }),
      )
      await visit(page, `${base}/admin/posts`)
      await expect.poll(() => nav.locator('.admin-count').textContent()).toBe('4')
      expect(await nav.locator('.admin-count').getAttribute('title')).toBe('4 条评论待审核')
      await page.unroute('**/admin/api/comments?status=pending&limit=1')
      await page.route('**/admin/api/comments?status=pending&limit=1', (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({ status: 'pending', comments: [], next: null, counts: { pending: 0, spam: 0, approved: 0 } }),
        }),
      )
      await visit(page, `${base}/admin/posts`)
      await page.waitForLoadState('networkidle')
      expect(await nav.locator('.admin-count').count()).toBe(0)
      await page.unroute('**/admin/api/comments?status=pending&limit=1')
      const box = (id: number) => page.locator(`tr[data-comment="${post}/${id}"] input[name="item"]`)
      await expect
        .poll(async () => {
          await visit(page, `${base}/admin/comments?status=spam`)
          return page.locator(`tr[data-comment^="${post}/"]`).count()
        })
        .toBe(3)
      // The script shows the select-all box; it ticks and unticks every row.
      const all = page.getByLabel('全选')
      expect(await all.isVisible()).toBe(true)
      await all.check()
      for (const id of ids) expect(await box(id).isChecked()).toBe(true)
      await all.uncheck()
      for (const id of ids) expect(await box(id).isChecked()).toBe(false)
      await box(ids[0]!).check()
      await box(ids[2]!).check()
      const bulk = page.locator('form#bulk')
      // Deleting asks first: declined, nothing happens.
      let asked = ''
      page.once('dialog', (d) => {
        asked = d.message()
        void d.dismiss()
      })
      await bulk.getByRole('button', { name: '删除' }).click()
      await expect.poll(() => asked).toBe('确定删除所选的评论吗？')
      expect(page.url()).toBe(`${base}/admin/comments?status=spam`)
      // Accepted: the two ticked comments are deleted, the third stays in the list.
      page.once('dialog', (d) => void d.accept())
      await bulk.getByRole('button', { name: '删除' }).click()
      await page.waitForURL(`${base}/admin/comments?status=spam&n=2`)
      expect(await page.locator('.admin-notice').textContent()).toContain('已处理 2 条评论。')
      // (The queue is the site's index, one push of the post's object behind.)
      await expect
        .poll(async () => {
          const queue = (await (await api('/comments?status=spam&limit=500')).json()) as {
            comments: { postId: string; commentId: number }[]
          }
          return queue.comments.filter((c) => c.postId === post).map((c) => c.commentId)
        })
        .toEqual([ids[1]])
      // Approving asks nothing.
      await box(ids[1]!).check()
      await bulk.getByRole('button', { name: '通过' }).click()
      await page.waitForURL(`${base}/admin/comments?status=spam&n=1`)
      const shown = (await (await fetch(`${base}/api/posts/${post}/comments`)).json()) as { comments: { id: number }[] }
      expect(shown.comments.map((c) => c.id)).toEqual([ids[1]])
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })

  // The pages the blog's author works in, signed in: lists, editor, revisions, the moderation list
  // (tabs, filters, bulk form) with the sample comments, the reply and edit pages of one, and 统计.
  const ADMIN_PAGES = [
    '/admin/posts',
    '/admin/new',
    '/admin/edit/kl-divergence-gaussians',
    '/admin/edit/kl-divergence-gaussians/revisions',
    '/admin/comments?status=approved',
    '/admin/comments?status=approved&post=kl-divergence-gaussians',
    '/admin/comments/kl-divergence-gaussians/1/reply',
    '/admin/comments/kl-divergence-gaussians/1/edit',
    '/admin/stats',
    '/admin/stats?post=kl-divergence-gaussians&days=7',
    '/admin/images',
  ]
  for (const scheme of ['light', 'dark'] as const) {
    it(`the signed-in pages have no axe-core violations (${scheme})`, async () => {
      const context = await browser.newContext({ userAgent: READER_UA, bypassCSP: true, viewport: { width: 1280, height: 900 } })
      try {
        const page = await signIn(context)
        await page.emulateMedia({ colorScheme: scheme })
        for (const path of ADMIN_PAGES) {
          const res = await visit(page, `${base}${path}`, { waitUntil: 'domcontentloaded' })
          expect(res?.status(), path).toBe(200)
          await page.evaluate(() => document.fonts.ready)
          // The editor's live preview is dimmed while it renders (aria-busy): judged once it is done.
          await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'))
          expect(await axeViolations(page), path).toEqual([])
        }
      } finally {
        await context.close()
      }
    })
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`the sign-in page has no axe-core violations (${scheme})`, async () => {
      // axe is injected as an inline script, which the site's CSP forbids (as theme.test.ts does).
      const context = await browser.newContext({ userAgent: READER_UA, bypassCSP: true, viewport: { width: 1280, height: 900 } })
      try {
        const page = await context.newPage()
        await page.emulateMedia({ colorScheme: scheme })
        const res = await visit(page, `${base}/admin`, { waitUntil: 'domcontentloaded' })
        expect(res?.status()).toBe(200)
        await page.evaluate(() => document.fonts.ready)
        await page.locator('.theme-toggle').waitFor({ state: 'visible' })
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
          scheme === 'dark' ? 'rgb(23, 24, 26)' : 'rgb(255, 255, 255)',
        )
        expect(await axeViolations(page)).toEqual([])
      } finally {
        await context.close()
      }
    })
  }
})
