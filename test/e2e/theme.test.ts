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
/** A post with two comment threads, so that its page shows the comment order links (最早 / 最新 / 最热). */
const SORTED = '/api/posts/e2e-sorted'

beforeAll(async () => {
  browser = await launch()
  const res = await fetch(`${base}${SHORT}`, {
    method: 'PUT',
    headers: admin(),
    body: JSON.stringify({ title: '短题', date: '2020-01-15', body: '很短的标题，$x$。' }),
  })
  expect(res.status).toBe(201)
  // Readers for it, so that its short title is in the sidebar's 热门文章 beside its count, on every
  // page these tests check (as a link in text there, it needs more than colour to stand out). One
  // reader is one user agent here (the same address), so each of these counts once.
  for (let i = 0; i < 40; i++) {
    const view = await fetch(`${base}/archives/e2e-short-title`, { headers: { 'user-agent': `${READER_UA} e2e-reader/${i}` } })
    expect(view.status).toBe(200)
    await view.arrayBuffer()
  }
  const deadline = Date.now() + 20_000
  let listed = false
  while (!listed && Date.now() < deadline) {
    const front = await (await fetch(`${base}/`, { headers: { 'user-agent': READER_UA } })).text()
    const widget = front.slice(front.indexOf('class="widget popular-posts"'))
    listed = widget.slice(0, widget.indexOf('</section>')).includes('href="/archives/e2e-short-title"')
    if (!listed) await new Promise((resolve) => setTimeout(resolve, 250))
  }
  expect(listed).toBe(true)
  expect(
    (await fetch(`${base}${SORTED}`, { method: 'PUT', headers: admin(), body: JSON.stringify({ title: '两条评论', body: '$y$。' }) }))
      .status,
  ).toBe(201)
  for (const body of ['一', '二']) {
    const posted = await fetch(`${base}${SORTED}/comments`, {
      method: 'POST',
      headers: admin(),
      body: JSON.stringify({ author: '博主', body }),
    })
    expect(posted.status).toBe(201)
  }
})
afterAll(async () => {
  await browser?.close()
  await fetch(`${base}${SHORT}`, { method: 'DELETE', headers: admin() })
  await fetch(`${base}${SORTED}`, { method: 'DELETE', headers: admin() })
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
  ['a post with its comment order links', '/archives/e2e-sorted', 200],
  ['a post with its comments sorted by likes', '/archives/e2e-sorted?order=hot', 200],
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
  // A phone's width: what changes there is the layout (the sidebar below, boxes that scroll), not the colours.
  for (const [name, path, status] of PAGES) {
    it(`finds no violation on ${name} at 390 px, every block laid out`, async () => {
      const context = await browser.newContext({ userAgent: READER_UA, bypassCSP: true, viewport: { width: 390, height: 900 } })
      const page = await context.newPage()
      expect(await open(page, path, 'light')).toBe(status)
      await layOutEveryBlock(page)
      expect(await axeViolations(page)).toEqual([])
      await context.close()
    })
  }
})

/**
 * Lays out every block of a post at once (content-visibility skips the off-screen ones, which axe then
 * cannot measure); the boxes' sizes change, and scrollers.js judges their tab stops again.
 */
async function layOutEveryBlock(page: Page): Promise<void> {
  await page.addStyleTag({ content: '.post-body > * { content-visibility: visible !important; }' })
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 100)))))
}

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

  it('lines the pieces of an alignment cut by \\intertext up on one alignment point, as LaTeX does', async () => {
    for (const width of [1280, 390]) {
      const context = await readerContext(browser, { width })
      const page = await context.newPage()
      await open(page, '/archives/pendulum-large-amplitude', 'light')
      const points = await page.evaluate(async () => {
        const box = Array.from(document.querySelectorAll<HTMLElement>('.post-body .math-display')).find((el) =>
          el.querySelector('.math-intertext'),
        )!
        box.scrollIntoView({ block: 'center' })
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
        // Each piece's alignment point: its leftmost visible `=` (every row's first relation sits there;
        // the invisible row that gives the pieces their shared columns is left out).
        return Array.from(box.querySelectorAll('.katex-display')).map((piece) => {
          const equals = Array.from(piece.querySelectorAll('.katex-html .mrel')).filter(
            (e) => e.textContent === '=' && !e.closest('[style*="color:transparent"]'),
          )
          return Math.min(...equals.map((e) => e.getBoundingClientRect().left))
        })
      })
      expect(points, `${width} px`).toHaveLength(2)
      expect(Math.abs(points[0]! - points[1]!), `${width} px: ${JSON.stringify(points)}`).toBeLessThan(0.5)
      await context.close()
    }
  })

  it('keeps each equation number inside its formula box (no 2 px scroll) and clear of the formula, while a formula wider than its box still scrolls', async () => {
    // The sample post has ten numbered display formulas ((1)–(10) and (W); (3) and (4) share one, after an
    // \intertext); at 390 px two of them
    // are genuinely wider than the column. KaTeX's number box ended 2 px outside the formula's box, so each scrolled by 2 px.
    for (const width of [1280, 1024, 768, 390, 320]) {
      const context = await readerContext(browser, { width })
      const page = await context.newPage()
      await open(page, '/archives/pendulum-large-amplitude', 'light')
      const boxes = await page.evaluate(async () => {
        const out: {
          scrollWidth: number
          clientWidth: number
          formula: number
          number: number
          overflowX: string
          overlap: number
          offCentre: number
        }[] = []
        for (const el of Array.from(document.querySelectorAll<HTMLElement>('.post-body .math-display:has(.katex-tag)'))) {
          // Off-screen blocks are not laid out (content-visibility: auto): measure each one in view, as a reader sees it.
          el.scrollIntoView({ block: 'center' })
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
          // (A formula with \intertext is pieces in one box; the piece with the numbers is measured.)
          const numbered = el.querySelector('.katex-display:has(.katex-tag)')!
          const bases = Array.from(numbered.querySelectorAll('.katex-html > .katex-base')).map((b) => b.getBoundingClientRect())
          const formula = Math.max(...bases.map((b) => b.right)) - Math.min(...bases.map((b) => b.left))
          const box = el.getBoundingClientRect()
          // The number's own glyphs (its box may be wider: it takes a share of the room left over).
          const range = document.createRange()
          range.selectNodeContents(el.querySelector('.katex-tag')!)
          const tag = range.getBoundingClientRect()
          // With the gap the layout keeps between formula and number (1em of the number's type).
          const number = tag.width + parseFloat(getComputedStyle(el.querySelector('.katex-tag')!).fontSize)
          // How far the number reaches into the formula (0 when it sits clear of it, as in MathJax).
          const overlap = Math.max(0, Math.max(...bases.map((b) => b.right)) - tag.left)
          out.push({
            scrollWidth: el.scrollWidth,
            clientWidth: el.clientWidth,
            formula: Math.ceil(formula),
            number: Math.ceil(number),
            overflowX: getComputedStyle(el).overflowX,
            overlap: Math.round(overlap * 10) / 10,
            // The formula's centre against its box's, as KaTeX centres a formula without a number.
            offCentre:
              Math.round((Math.max(...bases.map((b) => b.right)) + Math.min(...bases.map((b) => b.left)) - box.left - box.right) * 5) / 10,
          })
        }
        return out
      })
      expect(boxes.length).toBeGreaterThanOrEqual(10)
      const fitting = boxes.filter((b) => b.formula + b.number <= b.clientWidth)
      const wider = boxes.filter((b) => b.formula > b.clientWidth)
      if (width >= 768) {
        expect(fitting).toEqual(boxes)
        // With room to spare, the formula stays centred in the column and its number at the right edge.
        for (const b of boxes) expect(Math.abs(b.offCentre), `${width} px: ${JSON.stringify(b)}`).toBeLessThanOrEqual(1)
      } else expect(fitting.length * wider.length, `${width} px`).toBeGreaterThan(0)
      // A formula that fits with its number (and the gap) does not scroll at all; one wider than its box scrolls in it.
      for (const b of fitting) expect(b.scrollWidth, `${width} px: ${JSON.stringify(b)}`).toBeLessThanOrEqual(b.clientWidth)
      for (const b of wider) expect(b.scrollWidth, `${width} px: ${JSON.stringify(b)}`).toBeGreaterThan(b.clientWidth)
      for (const b of boxes) expect(b.overflowX).toBe('auto')
      // However narrow the column, the number never covers the formula: it follows it, and both scroll.
      for (const b of boxes) expect(b.overlap, `${width} px: ${JSON.stringify(b)}`).toBe(0)
      await context.close()
    }
  })

  it('shows an opaque \\colorbox as its author saw it in the dark theme (the colour over white, dark text, an explicit \\color kept), a translucent one as the theme has it', async () => {
    const path = '/api/posts/e2e-colorbox'
    const body = [
      '高亮 $\\colorbox{yellow}{x + y}$、半透明 $\\colorbox{#f59e0b40}{$t^2$}$ 和 $\\colorbox{yellow}{\\color{blue} q}$。',
      '',
      '> 引文里 $\\fcolorbox{red}{#eef}{$\\frac{a}{b}$}$ 和 $\\colorbox{#f59e0b40}{u}$。',
    ].join('\n')
    expect(
      (await fetch(`${base}${path}`, { method: 'PUT', headers: admin(), body: JSON.stringify({ title: '彩色框', body }) })).status,
    ).toBe(201)
    const boxes = (page: Page) =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('.post-body .colorbox, .post-body .fcolorbox')).map((box) => {
          const content = box.closest('.vlist')!.querySelector('.boxpad')!
          const glyph = Array.from(content.querySelectorAll('span'))
            .filter((s) => !s.children.length && /[^\s\u200b]/.test(s.textContent!))
            .pop()!
          return {
            text: glyph.textContent!.replace(/\s+/g, ' ').trim(),
            color: getComputedStyle(glyph).color,
            under: getComputedStyle(box, '::before').backgroundColor,
            own: getComputedStyle(box).backgroundColor,
          }
        }),
      )
    try {
      const context = await readerContext(browser)
      const page = await context.newPage()
      await open(page, '/archives/e2e-colorbox', 'light')
      const light = await boxes(page)
      expect(light.map((b) => b.text)).toEqual(['x + y', '2', 'q', 'a', 'u'])
      // The light theme as before: the page's text colour (or the author's), nothing under the colour.
      for (const b of light) expect(b.under).toBe('rgba(0, 0, 0, 0)')
      // The system's dark setting, and the reader's dark choice on a light system: the same as light.
      await open(page, '/archives/e2e-colorbox', 'dark')
      expect(await luminance(page, 'body')).toBeLessThan(0.05)
      const dark = await boxes(page)
      await page.emulateMedia({ colorScheme: 'light' })
      await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'))
      expect(await boxes(page)).toEqual(dark)
      // The author's colours as in the light theme. An opaque box: white under it, the text dark (#222,
      // the light theme's), an explicit \color (blue) kept. A translucent one (t², u) is left to the
      // theme: nothing under it, the theme's light text.
      const translucent = (b: { text: string }) => b.text === '2' || b.text === 'u'
      expect(dark.map((b) => [b.text, b.own])).toEqual(light.map((b) => [b.text, b.own]))
      expect(light.find((b) => b.text === 'q')!.color).toBe('rgb(0, 0, 255)')
      for (const b of dark) {
        if (translucent(b)) {
          expect(b.under, b.text).toBe('rgba(0, 0, 0, 0)')
          expect(b.color, b.text).not.toBe('rgb(34, 34, 34)')
        } else {
          expect(b.under, b.text).toBe('rgb(255, 255, 255)')
          expect(b.color, b.text).toBe(b.text === 'q' ? 'rgb(0, 0, 255)' : 'rgb(34, 34, 34)')
        }
      }
      // An opaque box's row is a stacking context of its own, so the white stays under the colour, above a quote's panel.
      const isolated = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.post-body .colorbox, .post-body .fcolorbox')).map(
          (box) => getComputedStyle(box.parentElement!).isolation === 'isolate',
        ),
      )
      expect(isolated).toEqual(dark.map((b) => !translucent(b)))
      await context.close()
    } finally {
      await fetch(`${base}${path}`, { method: 'DELETE', headers: admin() })
    }
  })

  it("sets post figures on a light card in the dark theme (chosen, or the system's) and leaves the light theme as it was", async () => {
    const figure = '.post-body figure img'
    const style = (page: Page) =>
      page.evaluate((selector) => {
        const img = document.querySelector(selector)!
        const s = getComputedStyle(img)
        const box = img.getBoundingClientRect()
        const column = img.closest('.post-body')!.getBoundingClientRect()
        return {
          background: s.backgroundColor,
          padding: parseFloat(s.paddingLeft),
          radius: parseFloat(s.borderTopLeftRadius),
          fits: box.right <= column.right,
        }
      }, figure)
    for (const width of [1280, 390]) {
      const context = await readerContext(browser, { width })
      const page = await context.newPage()
      const problems = collectProblems(page)
      // The system's dark setting.
      await open(page, '/archives/pendulum-large-amplitude', 'dark')
      expect(await luminance(page, 'body')).toBeLessThan(0.05)
      const system = await style(page)
      expect(system.background, 'an opaque colour').toMatch(/^rgb\(/)
      expect(await luminance(page, figure)).toBeGreaterThan(0.8)
      expect(system.padding).toBeGreaterThan(4)
      expect(system.radius).toBeGreaterThan(0)
      expect(system.fits).toBe(true)
      // The reader's dark choice on a light system.
      await page.emulateMedia({ colorScheme: 'light' })
      await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'))
      expect(await luminance(page, 'body')).toBeLessThan(0.05)
      expect(await style(page)).toEqual(system)
      // The light theme, chosen on a dark system or the system's: no card.
      for (const [scheme, theme] of [
        ['dark', 'light'],
        ['light', null],
      ] as const) {
        await page.emulateMedia({ colorScheme: scheme })
        await page.evaluate(
          (theme) =>
            theme ? document.documentElement.setAttribute('data-theme', theme) : document.documentElement.removeAttribute('data-theme'),
          theme,
        )
        expect(await luminance(page, 'body')).toBeGreaterThan(0.9)
        expect(await style(page)).toMatchObject({ background: 'rgba(0, 0, 0, 0)', padding: 0, radius: 0, fits: true })
      }
      expect(problems).toEqual([])
      await context.close()
    }
  })

  it('prints the post without navigation, sidebar, form or buttons, black on white, formulas whole', async () => {
    const context = await readerContext(browser)
    const page = await context.newPage()
    await open(page, '/archives/newton-method-quadratic-convergence', 'dark')
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'))
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' })
    // (The reactions are buttons: printed, their heading would stand alone.)
    expect(await page.locator('.reactions').count()).toBe(1)
    for (const selector of ['.site-nav', '.theme-toggle', '.sidebar', '.comment-form', '.cite-copy', '.skip-link', '.reactions']) {
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

describe('boxes that scroll sideways and the keyboard', () => {
  const WIDE = '/api/posts/e2e-wide-boxes'
  // Wider than a phone's column and narrower than a desktop's: a display formula, a table; a code
  // line wider than either; a formula and a code line that fit both.
  const SUMS = String.raw`\sum_{k=1}^{n} a_k b_k + \sum_{k=1}^{n} c_k d_k + \sum_{k=1}^{n} e_k f_k + \sum_{k=1}^{n} g_k h_k = \prod_{j=1}^{m} x_j`
  const BODY = [
    '前面的[链接](#wide)。',
    '',
    `$$${SUMS}$$`,
    '',
    '$$x = 1$$',
    '',
    `| ${Array.from({ length: 9 }, (_, i) => `列标题${i + 1}`).join(' | ')} |`,
    `|${'---|'.repeat(9)}`,
    `| ${Array.from({ length: 9 }, (_, i) => `数值 ${i * 1234.5}`).join(' | ')} |`,
    '',
    '```python',
    'x = 1',
    '```',
    '',
    '```python',
    `print(${Array.from({ length: 30 }, (_, i) => `value_${i}`).join(' + ')})`,
    '```',
  ].join('\n')

  beforeAll(async () => {
    const put = await fetch(`${base}${WIDE}`, { method: 'PUT', headers: admin(), body: JSON.stringify({ title: '宽公式', body: BODY }) })
    expect(put.status).toBe(201)
    const comment = await fetch(`${base}${WIDE}/comments`, {
      method: 'POST',
      headers: admin(),
      body: JSON.stringify({ author: '博主', body: `评论里的公式：\n\n$$${SUMS}$$\n\n$$y = 2$$` }),
    })
    expect(comment.status).toBe(201)
  })
  afterAll(async () => {
    await fetch(`${base}${WIDE}`, { method: 'DELETE', headers: admin() })
  })
  /** The boxes that may scroll sideways (the citation's <pre> wraps its lines instead). */
  const BOXES = '.math-display, .post-body pre, .comment-body pre, .post-body table, .comment-body table'

  /** Each scroll box of the page, seen in view (off-screen blocks are not laid out): does it scroll, is it a tab stop. */
  const boxesInView = (page: Page) =>
    page.evaluate(async (boxes) => {
      const out: { where: string; scrolls: boolean; tabStop: boolean }[] = []
      for (const el of Array.from(document.querySelectorAll<HTMLElement>(boxes))) {
        el.scrollIntoView({ block: 'center' })
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
        await new Promise((resolve) => setTimeout(resolve, 50))
        out.push({
          where: `${el.closest('.comment-body') ? 'comment' : 'post'} ${el.tagName.toLowerCase()}.${el.className}: ${el.textContent!.slice(0, 20)}`,
          scrolls: el.scrollWidth > el.clientWidth,
          tabStop: el.tabIndex === 0 && el.getAttribute('tabindex') === '0',
        })
      }
      return out
    }, BOXES)

  it('gives a tab stop to each box wider than its column (formulas, tables, code, in the post and its comments) and to no other, at 390 and 1280 px', async () => {
    for (const width of [390, 1280]) {
      const context = await readerContext(browser, { width })
      const page = await context.newPage()
      const problems = collectProblems(page)
      expect(await open(page, '/archives/e2e-wide-boxes', 'light')).toBe(200)
      const boxes = await boxesInView(page)
      for (const box of boxes) expect(box.tabStop, `${width} px: ${box.where} (scrolls: ${box.scrolls})`).toBe(box.scrolls)
      const scrolling = boxes.filter((b) => b.scrolls).map((b) => b.where.split(':')[0])
      // Not vacuous: at 390 px the wide formula (post and comment), the table and the long code line
      // scroll; at 1280 px only the code line does, and the rest fit (no tab stop).
      if (width === 390) expect(scrolling).toEqual(['post div.math-display', 'post table.', 'post pre.', 'comment div.math-display'])
      else expect(scrolling).toEqual(['post pre.'])
      expect(boxes.filter((b) => !b.scrolls).length).toBeGreaterThanOrEqual(width === 390 ? 3 : 6)
      expect(problems).toEqual([])
      await context.close()
    }
  })

  it('lets the keyboard reach a formula wider than a phone and scroll it, in the post and in a comment', async () => {
    const context = await readerContext(browser, { width: 390 })
    const page = await context.newPage()
    expect(await open(page, '/archives/e2e-wide-boxes', 'light')).toBe(200)
    // From the link before it, Tab goes to the formula, and the arrow keys scroll it.
    await page.locator('.post-body a[href="#wide"]').focus()
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => document.activeElement?.className)
    expect(focused).toBe('math-display')
    // (Chromium scrolls smoothly: the position moves over the next frames.)
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.evaluate(() => document.activeElement!.scrollLeft)).toBeGreaterThan(0)
    const comment = page.locator('.comment-body .math-display').first()
    await comment.focus()
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight')
    await expect.poll(() => comment.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0)
    await context.close()
  })

  it('judges the boxes of the live comment preview too (HTML put in after the page loaded)', async () => {
    for (const width of [390, 1280]) {
      const context = await readerContext(browser, { width })
      const page = await context.newPage()
      expect(await open(page, '/archives/e2e-wide-boxes', 'light')).toBe(200)
      await page.fill('#comment-body', `$$${SUMS}$$\n\n$$z = 3$$`)
      await page.click('.comment-preview-button')
      const preview = page.locator('#comment-preview .math-display')
      await expect.poll(() => preview.count()).toBe(2)
      await preview.first().scrollIntoViewIfNeeded()
      // The wide one is a tab stop on a phone only; the narrow one on neither.
      await expect
        .poll(() => preview.evaluateAll((els) => els.map((el) => el.getAttribute('tabindex'))))
        .toEqual([width === 390 ? '0' : null, null])
      await context.close()
    }
  })

  it('keeps every box a tab stop without JavaScript (nothing can judge which fit)', async () => {
    const context = await readerContext(browser, { javaScriptEnabled: false, width: 1280 })
    const page = await context.newPage()
    expect((await visit(page, `${base}/archives/e2e-wide-boxes`))?.status()).toBe(200)
    const tabIndexes = await page.locator(BOXES).evaluateAll((els) => els.map((el) => el.getAttribute('tabindex')))
    expect(tabIndexes).toEqual(Array(7).fill('0'))
    await context.close()
  })

  for (const path of ['/archives/e2e-wide-boxes', '/archives/pendulum-large-amplitude', '/archives/kl-divergence-gaussians']) {
    it(`finds no axe violation at 390 px on ${path}, every block laid out`, async () => {
      const context = await browser.newContext({ userAgent: READER_UA, bypassCSP: true, viewport: { width: 390, height: 900 } })
      const page = await context.newPage()
      expect(await open(page, path, 'light')).toBe(200)
      await layOutEveryBlock(page)
      const scrolling = await page.locator(BOXES).evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth).length)
      expect(scrolling).toBeGreaterThanOrEqual(4)
      expect(await axeViolations(page)).toEqual([])
      await context.close()
    })
  }
})
