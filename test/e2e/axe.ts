/**
 * axe-core for the browser tests (test/e2e/theme.test.ts, admin.test.ts): injected from node_modules, not
 * served by the site, with one rule set for every page.
 */
import { createRequire } from 'node:module'
import type { AxeResults, RunOptions } from 'axe-core'
import type { Page } from 'playwright-core'

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/** WCAG 2.1 A and AA, and axe's best practices; every impact level counts. */
const AXE_OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  resultTypes: ['violations'],
}

/**
 * Runs axe-core (injected from node_modules, not from the site) on the whole page; returns readable violations.
 *
 * One exception, node by node: `empty-table-header` on a table header whose only content is a KaTeX formula
 * (e.g. a column headed $x_k$). KaTeX's generated markup gives the formula to assistive technology as
 * MathML (.katex-mathml) and hides the visual copy (aria-hidden); axe does not count MathML as text, so it
 * reports the header empty although a screen reader reads it. That markup is KaTeX's, not ours to change.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH })
  const violations = await page.evaluate(async (options) => {
    const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<AxeResults> } }).axe
    const results = await axe.run(document, options)
    const formulaOnly = (el: Element | null) =>
      !!el &&
      el.tagName === 'TH' &&
      el.children.length > 0 &&
      Array.from(el.childNodes).every((n) => (n instanceof Element ? n.classList.contains('katex') : !n.textContent?.trim()))
    return results.violations
      .map((v) => ({
        ...v,
        nodes:
          v.id === 'empty-table-header' ? v.nodes.filter((n) => !formulaOnly(document.querySelector(String(n.target.at(-1))))) : v.nodes,
      }))
      .filter((v) => v.nodes.length > 0)
  }, AXE_OPTIONS)
  return violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`,
  )
}
