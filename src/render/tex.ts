import katex, { type KatexOptions } from 'katex'
// mhchem's \ce{…} (chemical equations) and \pu{…} (physical units), as a MathJax blog has them with
// its mhchem extension. It adds both macros to this KaTeX instance (the same module: the bundler
// resolves the extension's `../katex.mjs` to the `katex` imported above).
import 'katex/contrib/mhchem'
import { casesPackage, dropRequire, editAnnotation, empheq, splitIntertext, withoutSharedRow } from './equations'
import { escapeHtml } from './escape'
import type { MathPackage } from '../config'
import { applyTableColors } from './colortbl'
import { applyEnvironments, type Environment } from './environments'
import { applyDefinedColors, MATHJAX_COMPAT, requiredPackages, requirePackage } from './mathjax-compat'
import { type ExpansionBudget, withBudget } from './macro-args'

/** Limits that keep one formula from costing unbounded CPU or output (SECURITY-NOTES.md). */
export interface TexLimits {
  /** Longest formula source accepted, in characters. */
  maxSource: number
  /**
   * How much TeX the MathJax-compatible macros may write into the whole document (render/macro-args.ts
   * `spend`): `\imat{20}` writes 1.6 KB, and a bracket nested in itself doubles at each level.
   */
  expansionBudget: number
}

export const POST_TEX_LIMITS: TexLimits = { maxSource: 20_000, expansionBudget: 400_000 }
export const COMMENT_TEX_LIMITS: TexLimits = { maxSource: 2_000, expansionBudget: 8_000 }

/** KaTeX's output: HTML (with hidden MathML for screen readers) for pages, MathML alone for feeds. */
export type MathOutput = 'htmlAndMathml' | 'mathml'

/** Rendering state shared by the formulas of one document. */
export interface TexContext {
  limits: TexLimits
  /**
   * One macro table per document: with `globalGroup`, a `\newcommand` or `\def` in one formula
   * holds for the rest of the post (as in MathJax) and for no other post. It starts with the
   * MathJax commands KaTeX lacks (render/mathjax-compat.ts), then the site's macros.
   */
  macros: Record<string, unknown>
  output: MathOutput
  /** KaTeX's trust rule: false for readers; for posts, links to equations of the same page only. */
  trust: boolean | ((context: { command: string; url?: string }) => boolean)
  /** Number of formulas that failed to render, for the publish report. */
  errors: number
  /** Colours a formula defined with `\\definecolor`, by name, for the rest of the document. */
  colors: Map<string, string>
  /** Environments a formula defined with `\\newenvironment`, by name, for the rest of the document. */
  environments: Map<string, Environment>
  /** What is left of the document's expansion budget (TexLimits). */
  budget: ExpansionBudget
}

export function newTexContext(
  limits: TexLimits,
  options: {
    macros?: Record<string, string>
    /** MathJax packages on from the start (MATH_PACKAGES), as if the first formula said `\require{…}`. */
    packages?: readonly MathPackage[]
    output?: MathOutput
    trust?: TexContext['trust']
  } = {},
): TexContext {
  const macros: Record<string, unknown> = { ...MATHJAX_COMPAT, ...options.macros }
  const environments = new Map<string, Environment>()
  // As a `\require` in the first formula would: the site's own macros keep their names.
  for (const name of options.packages ?? []) requirePackage(macros, name, environments)
  return {
    limits,
    macros,
    output: options.output ?? 'htmlAndMathml',
    trust: options.trust ?? false,
    errors: 0,
    colors: new Map(),
    environments,
    budget: { left: limits.expansionBudget },
  }
}

/** The markup for a formula that could not be typeset: its source, marked as an error. */
function errorMarkup(tex: string, display: boolean, message: string): string {
  const tag = display ? 'div' : 'span'
  return `<${tag} class="math-error" title="${escapeHtml(message)}"><code>${escapeHtml(tex)}</code></${tag}>`
}

/** KaTeX's box of a \colorbox or \fcolorbox whose background has an alpha channel (#rgba, #rrggbbaa). */
const TRANSLUCENT_BOX = /(class="katex-stretchy f?colorbox)("[^>]*?background-color:#(?:[0-9a-f]{4}|[0-9a-f]{8});)/gi

/** MathML's empty elements, self-closed (KaTeX's SVG, in the visual part, is left as it is). */
const SELF_CLOSED_MATHML = /<(mspace|mglyph|malignmark|maligngroup|mprescripts|none)(\s[^<>]*?)?\s*\/>/g

const REDEFINE = /\\newcommand\{?(\\[A-Za-z]+|\\.)\}? attempting to redefine/

function katexRender(tex: string, display: boolean, ctx: TexContext): string {
  return withBudget(ctx.budget, () => katexToString(tex, display, ctx))
}

function katexToString(tex: string, display: boolean, ctx: TexContext): string {
  return katex.renderToString(tex, {
    displayMode: display,
    output: ctx.output,
    // Errors are caught below: with throwOnError false KaTeX would paint an undefined command red
    // and carry on, and nobody would learn that the formula is broken.
    throwOnError: true,
    trust: ctx.trust,
    strict: 'ignore',
    maxSize: 20,
    maxExpand: 500,
    macros: ctx.macros as KatexOptions['macros'],
    globalGroup: true,
  })
}

/** KaTeX's HTML for `tex`, or the reason it cannot be typeset (a `\\newcommand` over a built-in is retried as `\\renewcommand`). */
function typeset(source: string, display: boolean, ctx: TexContext): string | { error: string } {
  let tex = source
  for (let tries = 0; ; tries++) {
    try {
      return katexRender(tex, display, ctx)
    } catch (err) {
      const message = err instanceof Error ? err.message : 'Formula could not be rendered'
      // KaTeX refuses to \newcommand over a built-in such as \R; MathJax would redefine it.
      const redefine = err instanceof katex.ParseError && tries < 8 ? REDEFINE.exec(message) : null
      if (!redefine) return { error: message.replace(/^KaTeX parse error: /, '').slice(0, 200) }
      const name = redefine[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      tex = tex.replace(new RegExp(`\\\\newcommand\\s*(\\{\\s*${name}\\s*\\}|${name}(?![A-Za-z]))`, 'g'), '\\renewcommand$1')
    }
  }
}

/**
 * Typesets one formula with KaTeX, never throwing: a formula that does not parse (or that KaTeX
 * cannot handle at all, e.g. a RangeError from deep nesting, or is over the size limit) becomes
 * its source in a `math-error` element whose title is the reason. `\newcommand` may redefine a
 * KaTeX built-in (MathJax allows it); `\require{physics}` and `\require{upgreek}` turn those packages on for
 * the rest of the document, any other `\require{…}` is ignored (mhchem's `\ce` and `\pu` are always
 * on); a `\definecolor` is applied before KaTeX reads the formula. Display formulas scroll sideways in
 * a `math-display` box, after the equation anchors (`id="eq-…"`) that links need.
 */
export function renderTex(
  source: string,
  display: boolean,
  ctx: TexContext,
  anchors: readonly string[] = [],
  /** A display formula inside a paragraph: wrapped in a span (a div may not sit in a <p>). */
  inParagraph = false,
  /**
   * The TeX as the author wrote it, before the equation numbering rewrote it (`\tag{3}` added, an
   * environment made starred): what a formula that fails shows, and what its MathML annotation holds.
   */
  original = source,
): string {
  if (source.length > ctx.limits.maxSource) {
    ctx.errors++
    return errorMarkup(original.slice(0, 200) + '…', display, 'Formula too long')
  }
  // As in MathJax, `\require{physics}` (or upgreek) turns the package's commands on from this formula on.
  for (const name of requiredPackages(source)) requirePackage(ctx.macros, name, ctx.environments)
  let tex = applyDefinedColors(applyTableColors(applyEnvironments(dropRequire(source), ctx.environments)), ctx.colors)
  // The cases package's numcases where nothing numbered it (a comment): the cases without numbers.
  if (tex.includes('numcases}')) tex = casesPackage(tex, null, []) ?? tex
  // empheq where nothing numbered it (a comment): its rows and side material without numbers.
  if (tex.includes('{empheq}')) tex = empheq(tex, null, []) ?? tex
  // AMS's \intertext (mathtools' \shortintertext): the environment in pieces, each typeset whole, with the text between them.
  const parts = display && tex.includes('intertext') ? splitIntertext(tex) : null
  let html = ''
  for (const part of parts ?? [{ tex }]) {
    const text = 'text' in part
    const out = typeset(text ? `\\text{${part.text}}` : part.tex, display && !text, ctx)
    if (typeof out !== 'string') {
      ctx.errors++
      return errorMarkup(original, display, out.error)
    }
    html += text ? `<span class="math-intertext">${out}</span>` : parts ? withoutSharedRow(out) : out
  }
  // KaTeX writes empty MathML elements self-closed (`<mspace width="1em"/>`). Inside a token element
  // (`\mathop{x\kern1em y}` puts one in an <mo>) an HTML parser reads it as an HTML element that
  // `/>` does not close, and the rest of the page (the next comments, the sidebar) ends up inside the
  // formula's hidden MathML. Written with an end tag, it closes in either reading.
  if (html.includes('/>')) html = html.replace(SELF_CLOSED_MATHML, '<$1$2></$1>')
  // Equation links (\eqref, \ref) also appear in KaTeX's visual part, which is aria-hidden: taken out of
  // the tab order there (a screen reader reads the MathML), they stay clickable.
  if (html.includes('<a href="#eq-')) html = html.replaceAll('<a href="#eq-', '<a tabindex="-1" href="#eq-')
  // KaTeX annotates its MathML with the TeX it read, which may be this module's rewriting of the
  // formula (numbers as \tag, a defined colour as its #hex, empheq as an aligned array, a cell colour
  // as a \colorbox). The annotation is what a reader copies (copy-tex) and what assistive technology
  // and feed readers may show as the formula's source: it gets the author's TeX, as MathJax's "Show
  // Math As TeX" shows it. (Pieces cut by \intertext keep their own: each is a part of the source.)
  if (!parts && original !== tex) html = editAnnotation(html, () => escapeHtml(original.trim()))
  // A \colorbox in a colour with transparency (#f59e0b40) is marked: the dark theme puts a light
  // backing and dark text under the opaque ones only (site.css), a translucent one reads on either.
  if (html.includes('colorbox" style=')) html = html.replace(TRANSLUCENT_BOX, '$1 translucent$2')
  if (!display) return html
  const ids = anchors.map((id) => `<span class="eq-anchor" id="${escapeHtml(id)}"></span>`).join('')
  const tag = inParagraph ? 'span' : 'div'
  // Focusable, as a code block is: a formula wider than the column scrolls, and a keyboard must reach it
  // (/assets/scrollers.js takes the ones that fit out of the tab order once they are laid out).
  return `<${tag} class="math-display" tabindex="0">${ids}${html}</${tag}>`
}
