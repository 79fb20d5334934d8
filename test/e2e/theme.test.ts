/**
 * The reading theme in Chromium: axe-core finds no accessibility violation on the main kinds of page
 * in the light and the dark theme; the theme toggle works, is remembered and applies before the first
 * paint; "system" follows the reader's setting; the narrow screen stays inside the viewport.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { axeViolations } from './axe'
import { collectProblems, launch, READER_UA, readerContext, visit } from './browser'

const base = inject('baseUrl')
let browser: Browser

/** A post whose title is shorter than the archive row's date and comment count around it (axe then judges its link as one inside text). */
const SHORT = '/api/posts/e2e-short-title'
const admin = () => ({ authorization: `Bearer ${inject('adminToken')}`, 'content-type': 'application/json' })

beforeAll(async () => {
  browser = await launch()
  const res = await fetch(`${base}${SHORT}`, {
    method: 'PUT',
    headers: admin(),
    body: JSON.stringify({ title: '短题', date: '2020-01-15', body: '很短的标题，$x$。' }),
  })
  expect(res.status).toBe(201)
})
afterAll(async () => {
  await browser?.close()
  await fetch(`${base}${SHORT}`, { method: 'DELETE', headers: admin() })
})

/** Opens a page as a reader whose system is light or dark, once fonts and the theme script are ready. */
async function open(page: Page, path: string, scheme: 'light' | 'dark'): Promise<number> {
  await page.emulateMedia({ colorScheme: scheme })
  // The document and its stylesheet are what these checks need; waiting for every subresource
  // ("load") once timed out under wrangler dev in CI with a lazy avatar still pending.
  const res = await visit(page, `${base}${path}`, { waitUntil: 'domcontentloaded' })
  await page.evaluate(() => document.fonts.ready)
  await page.locator('.theme-toggle').waitFor({ state: 'visible' })
  return res?.status() ?? 0
}

/** The relative luminance of an element's computed background (0 black, 1 white). */
async function luminance(page: Page, selector: string, property: 'backgroundColor' | 'color' = 'backgroundColor'): Promise<number> {
  const rgb = await page.evaluate(([selector, property]) => getComputedStyle(document.querySelector(selector)!)[property], [
    selector,
    property,
  ] as const)
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
    const v = Number(c) / 255
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

const PAGES: [string, string, number][] = [
  ['the front page', '/', 200],
  ['a post with math, code and comments', '/archives/newton-method-quadratic-convergence', 200],
  ['a post with code', '/archives/softmax-temperature', 200],
  ['the most read posts', '/popular', 200],
  ['the archive', '/archives', 200],
  ['a category page', '/category/mathematics', 200],
  ['the tags', '/tags', 200],
  ['search results', `/search?q=${encodeURIComponent('级数')}`, 200],
  ['the 404 page', '/no-such-page', 404],
]

describe('accessibility (axe-core)', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const [name, path, status] of PAGES) {
      it(`finds no violation on ${name} in the ${scheme} theme`, async () => {
        // Only here is the page's CSP bypassed: axe-core is injected as an inline script. (The other tests keep the CSP.)
        const context = await browser.newContext({ userAgent: READER_UA, bypassCSP: true, viewport: { width: 1280, height: 900 } })
        const page = await context.newPage()
        const problems = collectProblems(page)
        expect(await open(page, path, scheme)).toBe(status)
        const dark = (await luminance(page, 'body')) < 0.05
        expect(dark).toBe(scheme === 'dark')
        expect(await axeViolations(page)).toEqual([])
        // The 404 page's own response is the one expected console error.
        expect(problems.filter((p) => !(status === 404 && p.includes('404')))).toEqual([])
        await context.close()
      })
    }
  }
})

describe('the theme', () => {
  it('toggles to dark, remembers it across a reload, and sets it before the first paint', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    const problems = collectProblems(page)
    // Records whether <body> existed when data-theme was first set (it must not: that is before the first paint).
    await page.addInitScript(() => {
      const w = window as unknown as { themeSetWithBody?: boolean }
      new MutationObserver((_, observer) => {
        w.themeSetWithBody = document.body !== null
        observer.disconnect()
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-theme'] })
    })
    await open(page, '/archives/newton-method-quadratic-convergence', 'light')
    const toggle = page.locator('.theme-toggle')
    expect(await toggle.textContent()).toBe('外观：跟随系统')
    expect(await page.locator('html').getAttribute('data-theme')).toBeNull()
    expect(await luminance(page, 'body')).toBeGreaterThan(0.9)

    await toggle.click()
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark')
    expect(await toggle.textContent()).toBe('外观：深色')
    expect(await luminance(page, 'body')).toBeLessThan(0.05)
    // Formulas, code and comments take the light text of the dark theme.
    expect(await luminance(page, '.post-body .katex', 'color')).toBeGreaterThan(0.6)
    expect(await luminance(page, '.comment-body', 'color')).toBeGreaterThan(0.6)
    expect(await luminance(page, '#comment-body')).toBeLessThan(0.05)

    await page.reload()
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark')
    expect(await page.evaluate(() => (window as unknown as { themeSetWithBody?: boolean }).themeSetWithBody)).toBe(false)
    await toggle.waitFor({ state: 'visible' })
    expect(await toggle.textContent()).toBe('外观：深色')
    expect(await luminance(page, 'body')).toBeLessThan(0.05)

    // dark → light → the system's setting again.
    await toggle.click()
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light')
    expect(await luminance(page, 'body')).toBeGreaterThan(0.9)
    await toggle.click()
    expect(await page.locator('html').getAttribute('data-theme')).toBeNull()
    expect(await page.evaluate(() => localStorage.getItem('theme'))).toBeNull()
    expect(await toggle.textContent()).toBe('外观：跟随系统')
    expect(problems).toEqual([])
    await context.close()
  })

  it('follows the system setting in "system" mode, and a chosen light theme overrides a dark system', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    const problems = collectProblems(page)
    await open(page, '/', 'dark')
    expect(await luminance(page, 'body')).toBeLessThan(0.05)
    await page.emulateMedia({ colorScheme: 'light' })
    expect(await luminance(page, 'body')).toBeGreaterThan(0.9)
    await page.emulateMedia({ colorScheme: 'dark' })
    expect(await luminance(page, 'body')).toBeLessThan(0.05)
    // On a dark system the first click chooses light.
    await page.locator('.theme-toggle').click()
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light')
    expect(await luminance(page, 'body')).toBeGreaterThan(0.9)
    expect(problems).toEqual([])
    await context.close()
  })

  it('without JavaScript: no toggle, and the system setting still applies', async () => {
    const context = await readerContext(browser, { javaScriptEnabled: false })
    const page = await context.newPage()
    await page.emulateMedia({ colorScheme: 'dark' })
    await visit(page, `${base}/`)
    expect(await page.locator('.theme-toggle').isVisible()).toBe(false)
    expect(await luminance(page, 'body')).toBeLessThan(0.05)
    await context.close()
  })

  it('starts with a skip link to the main content', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    await open(page, '/archives/newton-method-quadratic-convergence', 'light')
    await page.keyboard.press('Tab')
    const focused = page.locator(':focus')
    expect(await focused.textContent()).toBe('跳到正文')
    expect(await focused.isVisible()).toBe(true)
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main')
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('MAIN')
    await context.close()
  })

  it('keeps a 360 px screen free of sideways scrolling in the dark theme (formulas scroll in their own box)', async () => {
    const context = await readerContext(browser, { width: 360 })
    const page = await context.newPage()
    const problems = collectProblems(page)
    for (const path of ['/', '/archives/newton-method-quadratic-convergence', '/popular', '/archives', '/tags']) {
      await open(page, path, 'dark')
      expect(await luminance(page, 'body')).toBeLessThan(0.05)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(overflow, path).toBeLessThanOrEqual(0)
    }
    expect(problems).toEqual([])
    await context.close()
  })

  it('prints the post without navigation, sidebar, form or buttons, black on white, formulas whole', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    await open(page, '/archives/newton-method-quadratic-convergence', 'dark')
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'))
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' })
    for (const selector of ['.site-nav', '.theme-toggle', '.sidebar', '.comment-form', '.cite-copy', '.skip-link']) {
      expect(await page.locator(selector).first().isVisible(), selector).toBe(false)
    }
    expect(await luminance(page, 'body')).toBeGreaterThan(0.99)
    expect(await luminance(page, 'body', 'color')).toBeLessThan(0.01)
    const display = await page.evaluate(() => getComputedStyle(document.querySelector('.math-display')!).overflowX)
    expect(display).toBe('visible')
    const breakInside = await page.evaluate(() => getComputedStyle(document.querySelector('.katex-display')!).breakInside)
    expect(breakInside).toBe('avoid')
    await context.close()
  })
})
