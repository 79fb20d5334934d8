import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { collectProblems, launch, READER_UA, readerContext, visit } from './browser'
import { ASSETS } from '../../src/views/asset-manifest'
import { KATEX_COPY_TEX_JS } from '../../src/views/assets'

const base = inject('baseUrl')
let browser: Browser

beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

describe('a reader in Chromium', () => {
  it('opens a post from the front page and sees the math typeset with KaTeX fonts, with no errors', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    const problems = collectProblems(page)
    await visit(page, `${base}/`)
    // The nine sample posts (other e2e files may publish more).
    expect(await page.locator('.entry').count()).toBeGreaterThanOrEqual(9)
    await expect.poll(() => page.locator('.entry-excerpt .katex').count()).toBeGreaterThan(0)
    // Other test files publish posts dated now: the sample post may have moved to a later page of the list.
    const link = page.locator('.entry-title a', { hasText: 'Softmax的温度' })
    for (let older = 0; older < 5 && (await link.count()) === 0; older++) {
      await Promise.all([page.waitForURL(/\/page\/\d+$/), page.locator('a.older[rel="next"]').click()])
    }
    await link.click()
    await page.waitForURL(/\/archives\/softmax-temperature$/)
    await page.evaluate(() => document.fonts.ready)
    const math = await page.evaluate(() => {
      const el = document.querySelector('.post-body .katex-display .katex-html') as HTMLElement | null
      return el ? { width: el.getBoundingClientRect().width, font: getComputedStyle(el.querySelector('.mord') ?? el).fontFamily } : null
    })
    expect(math).not.toBeNull()
    expect(math!.width).toBeGreaterThan(50)
    expect(math!.font).toContain('KaTeX')
    expect(await page.evaluate(() => document.fonts.check('16px KaTeX_Main'))).toBe(true)
    // No math script: the only scripts are the theme's, the scroll boxes' tab stops, the citation copy buttons', the
    // bfcache count refresh, the comment tools and KaTeX's copy-tex (the clipboard only), plus the JSON-LD data block
    // (not executed).
    expect(await page.locator('script:not([type="application/ld+json"])').count()).toBe(6)
    expect(await page.locator('script[type="application/ld+json"]').count()).toBe(1)
    expect(await page.locator(`script[src="${ASSETS['theme.js']}"]`).count()).toBe(1)
    expect(await page.locator(`script[src="${ASSETS['scrollers.js']}"]`).count()).toBe(1)
    expect(await page.locator(`script[src="${ASSETS['comments.js']}"]`).count()).toBe(1)
    expect(await page.locator(`script[src="${ASSETS['cite.js']}"]`).count()).toBe(1)
    expect(await page.locator(`script[src="${ASSETS['views.js']}"]`).count()).toBe(1)
    expect(await page.locator(`script[src="${KATEX_COPY_TEX_JS}"]`).count()).toBe(1)
    expect(await page.locator('#cite .cite-bibtex').textContent()).toContain('@online{gongshi-softmax-temperature,')
    expect(problems).toEqual([])
    await context.close()
  })

  it('copies a selection holding formulas as their TeX source (KaTeX copy-tex), inline and display', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    const problems = collectProblems(page)
    await visit(page, `${base}/archives/softmax-temperature`)
    // The deferred script has run once the document is loaded.
    await page.waitForFunction(() => document.readyState === 'complete')
    const copied = await page.evaluate(() => {
      const copy = (from: Element, to: Element) => {
        const range = document.createRange()
        range.setStartBefore(from)
        range.setEndAfter(to)
        getSelection()!.removeAllRanges()
        getSelection()!.addRange(range)
        const data = new DataTransfer()
        document.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }))
        return { text: data.getData('text/plain'), html: data.getData('text/html') }
      }
      const inline = Array.from(document.querySelectorAll('.post-body p')).find(
        (p) => p.querySelector('.katex') && !p.querySelector('.katex-display'),
      )!
      const display = document.querySelector('.post-body .katex-display')!
      const tex = (el: Element) => el.querySelector('annotation')!.textContent!
      return {
        inline: copy(inline, inline),
        inlineTex: tex(inline.querySelector('.katex')!),
        display: copy(display, display),
        displayTex: tex(display),
      }
    })
    expect(copied.inline.text).toContain(`$${copied.inlineTex}$`)
    // The rendered glyphs are not in the plain text, the HTML copy keeps them.
    expect(copied.inline.text).not.toContain('katex')
    expect(copied.inline.html).toContain('class="katex')
    expect(copied.display.text.trim()).toBe(`$$${copied.displayTex}$$`)
    // A numbered formula copies as the author wrote it (its \label), not as numbered for KaTeX (\tag{1}, equation*).
    await visit(page, `${base}/archives/pendulum-large-amplitude`)
    const numbered = await page.evaluate(() => document.querySelector('.post-body .katex-display:has(.katex-tag) annotation')!.textContent)
    expect(numbered).toMatch(/^\\begin\{equation\}[\s\S]*\\label\{eq:energy\}\s*\\end\{equation\}$/)
    expect(problems).toEqual([])
    await context.close()
  })

  it('posts a comment with the plain form, JavaScript off, and lands on it with its math typeset', async () => {
    const context = await readerContext(browser, { javaScriptEnabled: false })
    const page = await context.newPage()
    await visit(page, `${base}/archives/kl-divergence-gaussians`)
    await page.fill('#comment-author', '无脚本读者')
    await page.fill('#comment-email', 'reader@example.com')
    await page.fill('#comment-body', '第二项里的 $\\log\\frac{\\sigma_2}{\\sigma_1}$ 写得很清楚。<b>不是粗体</b>')
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.click('.comment-form button[type=submit]')])
    const id = new URL(page.url()).hash
    const comment = page.locator(id)
    await expect.poll(() => comment.locator('.comment-author').textContent()).toBe('无脚本读者')
    expect(await comment.locator('.comment-body .katex').count()).toBe(1)
    expect(await comment.locator('.comment-body b').count()).toBe(0)
    expect(await comment.locator('.comment-body').textContent()).toContain('<b>不是粗体</b>')
    expect(await page.content()).not.toContain('reader@example.com')
    await context.close()
  })

  it('posts a reply with JavaScript on and sees it threaded under its parent', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    await visit(page, `${base}/archives/attention-scaling-factor`)
    await page.fill('#comment-author', '甲')
    await page.fill('#comment-body', '第一条评论')
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.click('.comment-form button[type=submit]')])
    const parentId = new URL(page.url()).hash.slice(1)
    await page.click(`#${parentId} > .comment-inner .comment-reply`)
    await expect.poll(() => page.locator('.comment-form-title').textContent()).toContain('回复 甲')
    await page.fill('#comment-author', '乙')
    await page.fill('#comment-body', '回复：$\\sqrt{d}$')
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.click('.comment-form button[type=submit]')])
    const replyId = new URL(page.url()).hash.slice(1)
    expect(await page.locator(`#${parentId} .children #${replyId}`).count()).toBe(1)
    await context.close()
  })

  it('counts a reader once however often they reload, counts the next reader, and the front page catches up', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    const count = async (p = page) => Number(/(\d+)位读者/.exec((await p.locator('.post-views').textContent()) ?? '')?.[1])
    await visit(page, `${base}/archives/pendulum-large-amplitude`)
    const first = await count()
    await page.reload()
    expect(await count()).toBe(first)
    await visit(page, `${base}/archives/pendulum-large-amplitude`)
    expect(await count()).toBe(first)
    const other = await readerContext(browser)
    const otherPage = await other.newPage()
    await visit(otherPage, `${base}/archives/pendulum-large-amplitude`)
    expect(await count(otherPage)).toBe(first + 1)
    await other.close()
    await expect
      .poll(
        async () => {
          await visit(page, `${base}/`)
          const meta = await page.locator('.entry', { hasText: '单摆周期' }).locator('.entry-views').textContent()
          return meta
        },
        { timeout: 15_000 },
      )
      .toBe(`${first + 1}位读者`)
    await context.close()
  })

  it('shows the current count on a page restored from the back-forward cache, without counting a view', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    const count = async (p = page) => Number(/(\d+)位读者/.exec((await p.locator('.post-views').textContent()) ?? '')?.[1])
    await visit(page, `${base}/archives/kl-divergence-gaussians`)
    const first = await count()
    const other = await readerContext(browser)
    await visit(await other.newPage(), `${base}/archives/kl-divergence-gaussians`)
    await other.close()
    // What the browser does when it restores a page from the back-forward cache; /assets/views.js
    // asks the views API for the count.
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/posts/kl-divergence-gaussians/views') && r.status() === 200)
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })))
    await refreshed
    await expect.poll(() => count()).toBe(first + 1)
    // Reading the count was not a view.
    const api = await page.request.get(`${base}/api/posts/kl-divergence-gaussians/views`)
    expect(((await api.json()) as { views: number }).views).toBe(first + 1)
    // A real back navigation shows the current count too (restored and refreshed, or reloaded inside the window).
    await visit(page, `${base}/`)
    await page.goBack()
    await expect.poll(() => count()).toBe(first + 1)
    await context.close()
  })

  it('copies the BibTeX entry with the copy button, the same text as the page and the .bib download', async () => {
    const context = await browser.newContext({ userAgent: READER_UA, permissions: ['clipboard-read', 'clipboard-write'] })
    const page = await context.newPage()
    const problems = collectProblems(page)
    await visit(page, `${base}/archives/softmax-temperature`)
    // The buttons are rendered hidden; /assets/cite.js shows them.
    const button = page.locator('#cite button[data-cite-copy="cite-bibtex"]')
    await expect.poll(() => button.isVisible()).toBe(true)
    expect(await page.locator('#cite button.cite-copy:visible').count()).toBe(2)
    await button.click()
    await expect.poll(() => button.textContent()).toBe('已复制')
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toMatch(/^@online\{gongshi-softmax-temperature,\n/)
    expect(copied).toBe(await page.locator('#cite .cite-bibtex').textContent())
    const download = await fetch(`${base}/archives/softmax-temperature/cite.bib`)
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="gongshi-softmax-temperature.bib"')
    expect(await download.text()).toBe(`${copied}\n`)
    // The label comes back.
    await expect.poll(() => button.textContent(), { timeout: 5_000 }).toBe('复制')
    expect(problems).toEqual([])
    await context.close()
  })

  it('keeps long display formulas inside a narrow screen (they scroll sideways)', async () => {
    const context = await readerContext(browser, { width: 360 })
    const page = await context.newPage()
    await visit(page, `${base}/archives/newton-method-quadratic-convergence`)
    await page.evaluate(() => document.fonts.ready)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    const scrollable = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.math-display')).some((el) => el.scrollWidth > el.clientWidth),
    )
    expect(scrollable).toBe(true)
    await context.close()
  })
})
