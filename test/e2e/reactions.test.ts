/**
 * Post reactions (文章反应) in Chromium: a click changes the counts in place and presses the chosen
 * button, a reload shows it pressed and counted, another choice moves it, the same one takes it back;
 * axe-core finds nothing on the section with a reaction pressed, in both themes; without JavaScript
 * the buttons are a form that comes back to the reactions. The test's own post, deleted afterwards.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { axeViolations } from './axe'
import { collectProblems, launch, READER_UA, readerContext, visit } from './browser'

const base = inject('baseUrl')
const POST = 'e2e-reactions'
const admin = { authorization: `Bearer ${inject('adminToken')}` }
let browser: Browser

beforeAll(async () => {
  browser = await launch()
  const res = await fetch(`${base}/api/posts/${POST}`, {
    method: 'PUT',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ title: '文章反应', body: '高斯积分 $\\int_{-\\infty}^{\\infty} e^{-x^2}\\,dx = \\sqrt{\\pi}$。' }),
  })
  expect(res.status).toBe(201)
})
afterAll(async () => {
  await browser?.close()
  // Dated now: left published, it would push the sample posts off the front page's first page.
  await fetch(`${base}/api/posts/${POST}`, { method: 'DELETE', headers: admin })
})

/** Each reaction button's count and whether it is pressed, e.g. { insightful: ['1', 'true'] }. */
function buttons(page: Page): Promise<Record<string, [string, string | null]>> {
  return page
    .locator('#reactions button.reaction')
    .evaluateAll((els) =>
      Object.fromEntries(
        els.map((b) => [
          (b as HTMLButtonElement).value,
          [b.querySelector('.reaction-count')?.textContent ?? '?', b.getAttribute('aria-pressed')],
        ]),
      ),
    )
}

describe('post reactions in Chromium', () => {
  it('reacts in place, keeps it pressed and counted after a reload, moves it, and takes it back', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    const problems = collectProblems(page)
    await visit(page, `${base}/archives/${POST}`)
    expect(await page.getByRole('region', { name: '你认为这篇文章怎么样？' }).count()).toBe(1)
    const insightful = page.locator('#reactions button[value=insightful]')
    const love = page.locator('#reactions button[value=love]')
    await expect.poll(() => insightful.getAttribute('aria-pressed')).toBe('false')
    expect(await buttons(page)).toMatchObject({ insightful: ['', 'false'], love: ['', 'false'] })

    await insightful.click()
    await expect.poll(() => insightful.getAttribute('aria-pressed')).toBe('true')
    expect(await buttons(page)).toMatchObject({ insightful: ['1', 'true'], love: ['', 'false'] })
    // No reload: the page stayed where it was.
    expect(page.url()).toBe(`${base}/archives/${POST}`)

    await page.reload()
    await expect.poll(() => insightful.getAttribute('aria-pressed')).toBe('true')
    expect(await buttons(page)).toMatchObject({ insightful: ['1', 'true'], love: ['', 'false'] })

    // Another choice moves the reaction.
    await love.click()
    await expect.poll(() => love.getAttribute('aria-pressed')).toBe('true')
    expect(await buttons(page)).toMatchObject({ insightful: ['', 'false'], love: ['1', 'true'] })
    await page.reload()
    await expect.poll(() => love.getAttribute('aria-pressed')).toBe('true')
    expect(await buttons(page)).toMatchObject({ insightful: ['', 'false'], love: ['1', 'true'] })

    // The buttons are reached by keyboard, with a visible focus ring.
    await love.focus()
    expect(await love.evaluate((b) => getComputedStyle(b).outlineStyle)).toBe('solid')

    // The same one again: taken back.
    await love.click()
    await expect.poll(() => love.getAttribute('aria-pressed')).toBe('false')
    expect(await buttons(page)).toMatchObject({ insightful: ['', 'false'], love: ['', 'false'] })
    expect(problems).toEqual([])
    await context.close()
  })

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe-core violation with a reaction pressed, in the ${scheme} theme`, async () => {
      // (axe-core is injected as an inline script: only here is the page's CSP bypassed.)
      const context = await browser.newContext({
        userAgent: READER_UA,
        bypassCSP: true,
        viewport: { width: 1280, height: 900 },
        colorScheme: scheme,
      })
      const page = await context.newPage()
      await page.addInitScript((post) => localStorage.setItem('post-reactions', JSON.stringify({ [post]: 'mindblown' })), POST)
      await visit(page, `${base}/archives/${POST}`)
      await expect.poll(() => page.locator('#reactions button[value=mindblown]').getAttribute('aria-pressed')).toBe('true')
      expect(await axeViolations(page)).toEqual([])
      await context.close()
    })
  }

  it('works without JavaScript: the buttons are a form that comes back to the reactions', async () => {
    const context = await readerContext(browser, { javaScriptEnabled: false })
    const page = await context.newPage()
    await visit(page, `${base}/archives/${POST}`)
    await Promise.all([page.waitForURL(/#reactions$/), page.locator('#reactions button[value=mindblown]').click()])
    expect(new URL(page.url()).pathname).toBe(`/archives/${POST}`)
    expect(await page.locator('#reactions button[value=mindblown] .reaction-count').textContent()).toBe('1')
    // Another choice moves it.
    await Promise.all([page.waitForURL(/#reactions$/), page.locator('#reactions button[value=confused]').click()])
    expect(await buttons(page)).toMatchObject({ mindblown: ['', null], confused: ['1', null] })
    await context.close()
  })
})
