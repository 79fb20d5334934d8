import {
  chromium,
  errors,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
  type Request,
  type Response,
} from 'playwright-core'
import { randomBytes } from 'node:crypto'
import { onTestFailed } from 'vitest'

/** A desktop Chrome user agent: headless Chromium's own ("HeadlessChrome") is counted as a bot. */
export const READER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

/** Debian's Chromium (no browser downloads on these machines), with the flags the machine needs. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  })
}

let readers = 0
/**
 * This file's block of addresses (IPv6 documentation space, 16 random bits), each reader a /64 of its
 * own in it (rate limits count an IPv6 visitor by its /64). The test files may share one process, and
 * this module (and its count of readers) starts again in each: with addresses made from the process
 * and the count alone, one file's sixth reader was another's, counted as a reload of a post the other
 * file had opened, within the reload window.
 */
const FILE_BLOCK = randomBytes(2).toString('hex')

/**
 * A fresh context per test: a reader with its own cookies and its own address (wrangler dev passes
 * CF-Connecting-IP through), as a real, different reader would be. If the test fails, it prints the
 * context's requests that never finished (a navigation that times out names what it waited for).
 */
export async function readerContext(
  browser: Browser,
  options: { javaScriptEnabled?: boolean; width?: number } = {},
): Promise<BrowserContext> {
  readers++
  const context = await browser.newContext({
    userAgent: READER_UA,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: options.width ?? 1280, height: 900 },
    extraHTTPHeaders: { 'cf-connecting-ip': `2001:db8:${FILE_BLOCK}:${readers.toString(16)}::1` },
  })
  const pending = new Map<Request, number>()
  context.on('request', (r) => pending.set(r, Date.now()))
  context.on('requestfinished', (r) => pending.delete(r))
  context.on('requestfailed', (r) => pending.delete(r))
  onTestFailed(() => {
    const now = Date.now()
    const lines = [...pending].map(
      ([r, at]) => `  ${r.method()} ${r.url()} (started ${((now - at) / 1000).toFixed(1)} s before the failure)`,
    )
    console.log(`requests of the failed test's reader that never finished: ${lines.length ? `\n${lines.join('\n')}` : 'none'}`)
  })
  return context
}

/** How long the first try of a navigation may take: a page here loads in well under a second. */
const FIRST_TRY_MS = 15_000

/**
 * page.goto, tried once more if the first try times out. wrangler dev 4.86 sometimes holds a request
 * for about 30 s inside its own proxy, before it reaches the Worker or its assets (the keep-alive
 * race between its proxy and workerd, workers-sdk #14641 and #15252, fixed only in a wrangler that
 * needs Node 22). The retry is a reload by the same reader, so it counts no second view; any other
 * error, or a second timeout, fails the test as before.
 */
export async function visit(page: Page, url: string, options: Parameters<Page['goto']>[1] = {}): Promise<Response | null> {
  try {
    return await page.goto(url, { ...options, timeout: FIRST_TRY_MS })
  } catch (err) {
    if (!(err instanceof errors.TimeoutError)) throw err
    console.log(`navigation to ${url} took more than ${FIRST_TRY_MS / 1000} s; trying once more (wrangler dev's proxy race)`)
    return await page.goto(url, options)
  }
}

/**
 * Console errors and warnings, page errors and failed requests of a page, as readable lines (a test
 * expects none). A request the page itself dropped (`net::ERR_ABORTED`: Chromium asks for the icon
 * or a lazy image after the document, and drops the request when the test goes on to the next
 * page) is no failure of the site's; a resource the site fails to serve shows as a console error.
 */
export function collectProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('requestfailed', (r) => {
    const error = r.failure()?.errorText ?? 'unknown error'
    if (error !== 'net::ERR_ABORTED') problems.push(`failed: ${r.url()} (${error})`)
  })
  return problems
}
