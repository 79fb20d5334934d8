/**
 * The sidebar and the front page follow new comments: a comment posted through the page in Chromium
 * shows up, on another page, first in 最近评论 (author, excerpt, link to the comment) and in the
 * post's "M条评论" on the front page. The e2e server pushes counts and the snapshot at once
 * (COUNT_PUSH_SECONDS = SNAPSHOT_SECONDS = 0, global-setup.ts); list pages may still be cached in the
 * isolate for LIST_CACHE_SECONDS, so the front page is reloaded until it shows them, within a bound.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launch, readerContext, visit } from './browser'

const base = inject('baseUrl')
const POST = 'maximum-entropy-exponential-family'
let browser: Browser

beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

/** The "M条评论" number of the post's entry on the front page (the page must be loaded). */
async function frontPageCount(page: Page): Promise<number> {
  const text = await page.locator(`.entry-meta a.entry-comments[href="/archives/${POST}#comments"]`).textContent()
  const m = /(\d+)条评论/.exec(text ?? '')
  if (!m) throw new Error(`no comment count in ${JSON.stringify(text)}`)
  return Number(m[1])
}

describe('最近评论 and the front page after a new comment', () => {
  it('shows the new comment first in the sidebar of another page, and the post count rises by one', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    await visit(page, `${base}/`)
    const before = await frontPageCount(page)
    // Unique per run, so an earlier comment (or the sample comments) cannot satisfy the checks.
    const token = `侧栏${Date.now().toString(36)}`
    const author = `读者${token}`

    await visit(page, `${base}/archives/${POST}`)
    await page.fill('#comment-author', author)
    await page.fill('#comment-body', `${token}：最大熵分布 $p(x)\\propto e^{\\lambda x}$ 就是指数族。`)
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.click('.comment-form button[value=post]')])
    const commentId = new URL(page.url()).hash.slice('#comment-'.length)

    // Another page: the front page, reloaded until its sidebar lists the comment (bounded wait).
    const first = page.locator('.widget.recent-comments li').first()
    await expect
      .poll(
        async () => {
          await visit(page, `${base}/`)
          return first.locator('.rc-author').textContent()
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(author)
    expect(await first.locator('.rc-excerpt').textContent()).toContain(`${token}：最大熵分布`)
    expect(await first.locator('a').first().getAttribute('href')).toBe(`/archives/${POST}/comments/${commentId}`)
    expect(await first.locator('.rc-post a').getAttribute('href')).toBe(`/archives/${POST}`)
    await expect
      .poll(
        async () => {
          await visit(page, `${base}/`)
          return frontPageCount(page)
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(before + 1)

    // The sidebar is the same on a post page.
    await visit(page, `${base}/archives/softmax-temperature`)
    expect(await page.locator('.widget.recent-comments li').first().locator('.rc-author').textContent()).toBe(author)
    await context.close()
  })
})
