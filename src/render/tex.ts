import katex from 'katex'
import { escapeHtml } from './escape'

/** Limits that keep one formula from costing unbounded CPU or output (SECURITY-NOTES.md). */
export interface TexLimits {
  /** Longest formula source accepted, in characters. */
  maxSource: number
}

export const POST_TEX_LIMITS: TexLimits = { maxSource: 20_000 }
export const COMMENT_TEX_LIMITS: TexLimits = { maxSource: 2_000 }

/** Rendering state shared by the formulas of one document (macros defined with \gdef persist). */
export interface TexContext {
  limits: TexLimits
  macros: Record<string, string>
  /** Number of formulas that failed to render, for the publish report. */
  errors: number
}

export function newTexContext(limits: TexLimits): TexContext {
  return { limits, macros: {}, errors: 0 }
}

/** The markup for a formula that could not be typeset: its source, marked as an error. */
function errorMarkup(tex: string, display: boolean, message: string): string {
  const tag = display ? 'div' : 'span'
  return `<${tag} class="math-error" title="${escapeHtml(message)}"><code>${escapeHtml(tex)}</code></${tag}>`
}

/**
 * Typesets one formula with KaTeX, never throwing: a parse error becomes KaTeX's own error
 * element, and anything else (RangeError from deep nesting, oversized input) becomes the source
 * marked with `math-error`.
 * `trust` stays false: `\href`, `\htmlId` and friends are rejected for every author.
 */
export function renderTex(tex: string, display: boolean, ctx: TexContext): string {
  if (tex.length > ctx.limits.maxSource) {
    ctx.errors++
    return errorMarkup(tex.slice(0, 200) + '…', display, 'Formula too long')
  }
  try {
    const html = katex.renderToString(tex, {
      displayMode: display,
      output: 'htmlAndMathml',
      throwOnError: false,
      trust: false,
      strict: 'ignore',
      maxSize: 20,
      maxExpand: 500,
      macros: ctx.macros,
    })
    if (html.includes('class="katex-error"')) ctx.errors++
    return display ? `<div class="math-display">${html}</div>` : html
  } catch (err) {
    ctx.errors++
    const message = err instanceof Error ? err.message : 'Formula could not be rendered'
    return errorMarkup(tex, display, message.slice(0, 200))
  }
}
