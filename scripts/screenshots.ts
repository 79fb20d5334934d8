/**
 * `npm run screenshots`: the theme's screenshots in docs/screenshots/, for the README.
 *
 * Serves the blog with the sample content (content/) on a free 127.0.0.1 port: the built Worker in
 * Miniflare with the static assets, fresh in-memory state (scripts/local-blog.ts; `--wrangler-dev`
 * uses `wrangler dev` with a throw-away state folder instead, as the browser tests do, but it reloads
 * when a source file changes mid-run), posts two sample comments so that the
 * 最近评论 sidebar has fresh entries, and photographs the front page and a formula-heavy post in
 * Debian's Chromium (playwright-core), at desktop (1280×900) and phone (390×844, device scale 2)
 * sizes, in the light and the dark theme (the system setting, `prefers-color-scheme`, with no stored
 * choice): 8 PNGs with stable names, `<page>-<device>-<theme>.png`. Each shot is the viewport, taken
 * once the page, its fonts (KaTeX's glyphs) and images have loaded. Then the comments of the post
 * with the sample thread (imported from content/comments/, its first comment pinned through the
 * API, two more readers' comments posted): the heading, the order links and the list, not the form, 4 more PNGs `comments-<device>-<theme>.png`.
 * On the desktop also the formula-heavy post's reactions (seven readers' reactions sent first) and
 * the web admin's 统计 for the last 7 days (33 readers of four posts read first; signed in with the
 * local token): `reactions-desktop-<theme>.png`, `admin-stats-desktop-<theme>.png`, 16 PNGs in all.
 * Stops the server it started. Chinese text needs a CJK font on the machine (Debian:
 * `apt-get install fonts-noto-cjk`), else it comes out as boxes.
 *
 *   npm run screenshots [-- --wrangler-dev]   # CHROMIUM_PATH=/path/to/chromium to use another browser
 */
import { mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { postComment, READER_UA, startBuiltBlog, startWranglerDev } from './local-blog'

const OUT = join('docs', 'screenshots')
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** The post with the most display math among the samples (large-amplitude pendulum: elliptic integrals, series). */
const POST = 'pendulum-large-amplitude'
const PAGES = { front: '/', post: `/archives/${POST}` } as const
const DEVICES = {
  desktop: { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} as const
const THEMES = ['light', 'dark'] as const
/** The sample post whose imported comments show a thread, the 博主 badge, likes and (pinned here) 置顶. */
const COMMENTS_POST = 'kl-divergence-gaussians'

/** Part of the page from the top of `from` to the bottom of `to` (document coordinates), padded. */
async function shootPart(page: Page, file: string, width: number, from: string, to: string): Promise<void> {
  const [top, bottom] = await page.evaluate(
    ([a, b]) => [
      document.querySelector(a!)!.getBoundingClientRect().top + scrollY,
      document.querySelector(b!)!.getBoundingClientRect().bottom + scrollY,
    ],
    [from, to],
  )
  const pad = 12
  await page.screenshot({
    path: file,
    fullPage: true,
    animations: 'disabled',
    caret: 'hide',
    clip: { x: 0, y: top! - pad, width, height: bottom! - top! + 2 * pad },
  })
  console.log(`${file}  ${Math.round(statSync(file).size / 1024)} KB`)
}

async function shoot(browser: Browser, url: string, token: string): Promise<string[]> {
  mkdirSync(OUT, { recursive: true })
  const written: string[] = []
  for (const [device, options] of Object.entries(DEVICES)) {
    for (const theme of THEMES) {
      const context = await browser.newContext({ ...options, colorScheme: theme, userAgent: READER_UA, reducedMotion: 'reduce' })
      const page = await context.newPage()
      for (const [name, path] of Object.entries(PAGES)) {
        const res = await page.goto(`${url}${path}`, { waitUntil: 'load' })
        if (res?.status() !== 200) throw new Error(`${path}: HTTP ${res?.status()}`)
        await page.evaluate(async () => {
          await document.fonts.ready
          // Images in the viewport (lazy ones have started by now); off-screen lazy ones never load.
          const pending = Array.from(document.images).filter((img) => !img.complete && img.getBoundingClientRect().top < innerHeight)
          const loaded = Promise.all(
            pending.map(
              (img) => new Promise((resolve) => ['load', 'error'].forEach((e) => img.addEventListener(e, resolve, { once: true }))),
            ),
          )
          await Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, 5000))])
        })
        // The theme script has run: the toggle is shown and no stored choice overrides the system's.
        await page.locator('.theme-toggle').waitFor({ state: 'visible' })
        const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)
        if (dark !== (theme === 'dark')) throw new Error(`${name}: expected the ${theme} theme`)
        const file = join(OUT, `${name}-${device}-${theme}.png`)
        await page.screenshot({ path: file, fullPage: false, animations: 'disabled', caret: 'hide' })
        written.push(file)
        console.log(`${file}  ${Math.round(statSync(file).size / 1024)} KB`)
      }
      await page.goto(`${url}/archives/${COMMENTS_POST}#comments`, { waitUntil: 'load' })
      // Avatars are lazy: bring the list into view and wait for them.
      await page.locator('#comments .comment-list').scrollIntoViewIfNeeded()
      await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('#comments img')).every((i) => i.complete))
      // From the heading to the end of the list.
      const file = join(OUT, `comments-${device}-${theme}.png`)
      await shootPart(page, file, options.viewport.width, '#comments > h2', '#comments .comment-list')
      written.push(file)
      if (device === 'desktop') {
        // The post's reactions (文章反应), with the readers' counts.
        await page.goto(`${url}${PAGES.post}#reactions`, { waitUntil: 'load' })
        await page.evaluate(() => document.fonts.ready)
        const reactions = join(OUT, `reactions-${device}-${theme}.png`)
        await shootPart(page, reactions, options.viewport.width, '#reactions', '#reactions')
        written.push(reactions)
        // The web admin's 统计, signed in with the local token.
        await page.goto(`${url}/admin`, { waitUntil: 'load' })
        await page.fill('#admin-token', token)
        await Promise.all([page.waitForURL(`${url}/admin/posts`), page.click('.admin-signin button[type=submit]')])
        await page.goto(`${url}/admin/stats?days=7`, { waitUntil: 'load' })
        await page.evaluate(() => document.fonts.ready)
        const stats = join(OUT, `admin-stats-${device}-${theme}.png`)
        await page.screenshot({ path: stats, fullPage: false, animations: 'disabled', caret: 'hide' })
        console.log(`${stats}  ${Math.round(statSync(stats).size / 1024)} KB`)
        written.push(stats)
      }
      await context.close()
    }
  }
  return written
}

async function main(): Promise<void> {
  const wranglerDev = process.argv.includes('--wrangler-dev')
  console.log(`Serving the sample content (${wranglerDev ? 'wrangler dev' : 'built Worker, Miniflare'})…`)
  const blog = await (wranglerDev ? startWranglerDev() : startBuiltBlog())
  let browser: Browser | undefined
  try {
    await postComment(blog.url, POST, {
      author: '周读者',
      body: '小角近似下 $T_0=2\\pi\\sqrt{L/g}$，振幅 90° 时周期长了约 18%，比我想的多。',
      ip: '198.51.100.21',
    })
    await postComment(blog.url, 'kl-divergence-gaussians', {
      author: 'Ada',
      body: 'Nice derivation of $D_{\\mathrm{KL}}(p\\,\\|\\,q)$ for two Gaussians.',
      ip: '198.51.100.22',
    })
    // A third thread, so that the thread's screenshot shows the readers' order links (最早 / 最新 / 最热).
    await postComment(blog.url, COMMENTS_POST, {
      author: '吴同学',
      body: '多元情形下 $\\operatorname{tr}(\\Sigma_2^{-1}\\Sigma_1)$ 那一项怎么理解比较直观？',
      ip: '198.51.100.23',
    })
    const pin = await fetch(`${blog.url}/api/comments/${COMMENTS_POST}/1/pin`, {
      method: 'POST',
      headers: { authorization: `Bearer ${blog.token}` },
    })
    if (!pin.ok) throw new Error(`pinning the sample comment: HTTP ${pin.status} ${(await pin.text()).slice(0, 300)}`)
    // Readers for the 统计 page (one a post, more on a few) and their reactions to the pendulum post.
    const read = async (path: string, ip: string) => {
      const res = await fetch(`${blog.url}${path}`, { headers: { 'user-agent': READER_UA, 'cf-connecting-ip': ip } })
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`)
      await res.arrayBuffer()
    }
    const READS: [post: string, readers: number][] = [
      [POST, 14],
      [COMMENTS_POST, 9],
      ['harmonic-series-euler-gamma', 6],
      ['softmax-temperature', 4],
    ]
    for (const [post, readers] of READS) for (let i = 0; i < readers; i++) await read(`/archives/${post}`, `198.51.100.${100 + i}`)
    const REACTED = ['insightful', 'insightful', 'insightful', 'mindblown', 'mindblown', 'like', 'confused']
    for (const [i, reaction] of REACTED.entries()) {
      const res = await fetch(`${blog.url}/api/posts/${POST}/reactions`, {
        method: 'POST',
        headers: {
          'user-agent': READER_UA,
          'cf-connecting-ip': `198.51.100.${100 + i}`,
          origin: blog.url,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ reaction }),
      })
      if (!res.ok) throw new Error(`a reaction: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`)
    }
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
    await shoot(browser, blog.url, blog.token)
  } finally {
    await browser?.close()
    await blog.stop()
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err)
  process.exit(1)
})
