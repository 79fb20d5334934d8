import { Marked, type Token, type Tokens, type TokensList } from 'marked'
import type { MathPackage } from '../config'
import { escapeHtml } from './escape'
import { footnotes, type FootnoteLabels } from './footnotes'
import { HeadingIds } from './heading-ids'
import { highlightCode } from './highlight'
import { linkRefsInTex, newEquationState, numberDisplay, trustEquationLinks, equationId, type EquationState } from './equations'
import { mathExtensions, maskMath, protectTablePipes, type MathRefToken, type MathToken } from './math-syntax'
import { COMMENT_POLICY, POST_POLICY, sanitizeHtml, type SanitizePolicy } from './sanitize-html'
import { COMMENT_TEX_LIMITS, newTexContext, POST_TEX_LIMITS, renderTex, type MathOutput, type TexContext } from './tex'

/** Posts may use raw HTML (sanitized); comments get every raw HTML token escaped. */
export type RenderMode = 'post' | 'comment'

export interface TocEntry {
  depth: number
  id: string
  text: string
}

export interface MarkdownResult {
  html: string
  toc: TocEntry[]
  /** Formulas that failed to typeset (shown as their source, marked as errors). */
  mathErrors: number
  /** Equation labels and their numbers (posts), for rendering parts of the same post (excerpts). */
  labels: Map<string, string>
}

import { RenderError } from './errors'
import { texToText } from './tex-text'

export { RenderError }

export interface RenderOptions {
  /** aria-label of the `#` link after each heading. */
  anchorLabel?: string
  /** The footnotes' hidden heading and the aria-label of their ↩ links. */
  footnoteLabels?: FootnoteLabels
  /** Site-wide TeX macros (`\\R` → `\\mathbb{R}`); a post's own \\newcommand adds to them for that post. */
  macros?: Record<string, string>
  /** MathJax packages on in every formula (MATH_PACKAGES: `physics`, `upgreek`, `mathtools`), not only after `\\require`. */
  mathPackages?: readonly MathPackage[]
  /** `mathml` for feeds, whose readers drop stylesheets; pages use HTML with hidden MathML. */
  mathOutput?: MathOutput
  /** Labels known from the whole post, so an excerpt can refer to equations after it. */
  labels?: ReadonlyMap<string, string>
  /** The site's absolute URL, to recognise absolute links to its own posts (BASE_URL). */
  siteUrl?: string | null
}

interface RenderState {
  mode: RenderMode
  tex: TexContext
  /** Rendered formulas, substituted for their placeholders after sanitizing. */
  math: { html: string; tex: string }[]
  nonce: string
  headingIds: HeadingIds
  toc: TocEntry[]
  anchorLabel: string
  footnoteLabels: FootnoteLabels
  /** Equation numbers and labels (posts only; comments are not numbered). */
  equations: EquationState | null
}

// marked is synchronous, so the state of the render in progress can live here.
let current: RenderState | null = null

function state(): RenderState {
  if (!current) throw new Error('render state used outside a render')
  return current
}

/** Plain text of inline tokens, with formulas as their TeX source (for ids and excerpts). */
export function plainText(tokens: readonly Token[] | undefined, math: (tex: string) => string = (tex) => tex): string {
  let out = ''
  for (const t of tokens ?? []) {
    if (t.type === 'math') out += math((t as MathToken).tex)
    else if (t.type === 'html' || t.type === 'image') continue
    else if ('tokens' in t && Array.isArray(t.tokens)) out += plainText(t.tokens, math)
    else if ('text' in t && typeof t.text === 'string') out += t.text
  }
  return out
}

/** Plain text of one block token (a formula block counts as its TeX source, or what `math` makes of it). */
export function blockPlainText(token: Token, math: (tex: string) => string = (tex) => tex): string {
  if (token.type === 'math') return math((token as MathToken).tex)
  if (token.type === 'list') return (token as Tokens.List).items.map((i) => plainText(i.tokens, math)).join(' ')
  if ('tokens' in token && Array.isArray(token.tokens)) return plainText(token.tokens, math)
  return 'text' in token && typeof token.text === 'string' ? token.text : ''
}

function placeholder(s: RenderState, index: number): string {
  return `\uE000${s.nonce}:${index}\uE001`
}

function renderMath(token: MathToken): string {
  const s = state()
  // References become links in posts; in comments (no numbering) they show as (??), and a `\label`
  // (copied from a post, say) is dropped, as MathJax drops it where nothing is numbered.
  const source = s.equations ? token.tex : token.tex.replace(/(?<!\\)\\label\s*\{[^{}]*\}/g, '')
  const tex = linkRefsInTex(source, s.equations ?? newEquationState())
  // The annotation holds the author's TeX (in a comment, without the \label it drops).
  const html = renderTex(tex, token.display, s.tex, token.anchors, token.inParagraph, s.equations ? (token.source ?? token.tex) : source)
  s.math.push({ html, tex: token.tex })
  return placeholder(s, s.math.length - 1)
}

/** `\\eqref{x}` / `\\ref{x}` in prose: a link to the equation, or (??) when there is no such label. */
function renderRef(token: MathRefToken): string {
  const s = state()
  const tag = s.equations?.labels.get(token.label)
  if (tag === undefined) return `<span class="eqref-missing">${token.kind === 'eqref' ? '(??)' : '??'}</span>`
  let shown = escapeHtml(tag)
  if (/[\\$^_{}]/.test(tag)) {
    // A tag with TeX in it (\tag{$\star$}) is typeset, as it is next to its equation.
    s.math.push({ html: renderTex(`\\text{${tag}}`, false, s.tex), tex: tag })
    shown = placeholder(s, s.math.length - 1)
  }
  return `<a class="eqref" href="#${escapeHtml(equationId(token.label))}">${token.kind === 'eqref' ? `(${shown})` : shown}</a>`
}

/**
 * Numbers display formulas in document order before anything is rendered, so that a reference
 * can point forward. Runs as marked's walkTokens hook (posts only).
 */
function numberEquations(token: Token): void {
  const equations = state().equations
  if (!equations || token.type !== 'math') return
  const math = token as MathToken
  if (!math.display) return
  const numbered = numberDisplay(math.tex, equations)
  if (numbered.tex !== math.tex) math.source = math.tex
  math.tex = numbered.tex
  math.anchors = numbered.anchors
}

const COMMENT_LINK_REL = 'nofollow ugc noopener'

/** `{width=280 height=232}` right after an image (Pandoc's and kramdown's attribute syntax). */
const IMAGE_SIZE = /^\{((?:\s*(?:width|height)=[1-9][0-9]{0,4}\s*){1,2})\}/

type SizedImage = Tokens.Image & { size?: { width?: number; height?: number } }

/**
 * Gives an image followed by `{width=… height=…}` those attributes (so the browser reserves its box
 * before it loads: no layout shift) and removes the braces from the text. Runs on every token with
 * inline children, so images in paragraphs, list items, table cells and links all take it.
 */
function sizeImages(token: Token): void {
  const children = (token as { tokens?: Token[] }).tokens
  if (!children) return
  for (let i = 0; i + 1 < children.length; i++) {
    const image = children[i]!
    const next = children[i + 1]!
    if (image.type !== 'image' || next.type !== 'text') continue
    const m = IMAGE_SIZE.exec((next as Tokens.Text).text)
    if (!m) continue
    const size: { width?: number; height?: number } = {}
    for (const [, key, value] of m[1]!.matchAll(/(width|height)=([0-9]+)/g)) size[key as 'width' | 'height'] = Number(value)
    ;(image as SizedImage).size = size
    const text = next as Tokens.Text
    text.text = text.text.slice(m[0].length)
    text.raw = text.raw.slice(m[0].length)
    if (text.tokens) text.tokens = undefined
    if (text.text === '') children.splice(i + 1, 1)
  }
}

/** The longest table-of-contents entry, in characters; the heading itself is never cut. */
export const TOC_TEXT_MAX = 200

/**
 * A heading's table-of-contents text: at most TOC_TEXT_MAX characters (code points, so a pair is
 * never halved), a longer one cut with an ellipsis (a heading of TeX nested thousands deep stays as
 * written, and would otherwise be an entry of that length).
 */
function tocText(text: string): string {
  if (text.length <= TOC_TEXT_MAX) return text
  let kept = ''
  let count = 0
  for (const ch of text) {
    if (++count > TOC_TEXT_MAX) return kept.trimEnd() + '…'
    // (The last one goes when the text is longer: the ellipsis takes its place.)
    if (count < TOC_TEXT_MAX) kept += ch
  }
  return text
}

function createMarked(mode: RenderMode): Marked {
  const marked = new Marked({ gfm: true, breaks: mode === 'comment', async: false })
  marked.use({
    extensions: mathExtensions({ math: renderMath, ref: renderRef }),
    hooks: { emStrongMask: maskMath, preprocess: protectTablePipes },
    walkTokens: numberEquations,
  })
  if (mode === 'post') {
    marked.use(footnotes(() => state().footnoteLabels))
    marked.use({ walkTokens: sizeImages })
    marked.use({
      renderer: {
        heading({ tokens, depth }) {
          const s = state()
          // The id from the TeX source (as it always was: links to it keep working); the table of
          // contents' text with formulas made readable (√d, not \sqrt{d}).
          const id = s.headingIds.next(plainText(tokens))
          s.toc.push({ depth, id, text: tocText(plainText(tokens, texToText)) })
          const inner = this.parser.parseInline(tokens)
          return `<h${depth} id="${id}">${inner}<a class="heading-anchor" href="#${id}" aria-label="${escapeHtml(s.anchorLabel)}">#</a></h${depth}>\n`
        },
        image(token) {
          const { href, title, text, size } = token as SizedImage
          const t = title ? ` title="${escapeHtml(title)}"` : ''
          const w = size?.width ? ` width="${size.width}"` : ''
          const h = size?.height ? ` height="${size.height}"` : ''
          return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${t}${w}${h} loading="lazy">`
        },
        // Highlighted at publish time; an unknown or missing language stays plain escaped text.
        code({ text, lang }) {
          const { html, language } = highlightCode(text.replace(/\n$/, ''), lang)
          const cls = language ? ` class="hljs language-${language}"` : ''
          return `<pre><code${cls}>${html}\n</code></pre>\n`
        },
        // An image alone in its paragraph is a figure: captioned by its title, else its alt text
        // (rendered inline, so emphasis and math work), and linked to the full-size original.
        paragraph({ tokens }) {
          const image = tokens.length === 1 && tokens[0]!.type === 'image' ? (tokens[0] as Tokens.Image) : null
          if (!image) return `<p>${this.parser.parseInline(tokens)}</p>\n`
          const caption = image.title ? escapeHtml(image.title) : this.parser.parseInline(image.tokens)
          const figcaption = caption.trim() ? `<figcaption>${caption}</figcaption>` : ''
          return `<figure><a href="${escapeHtml(image.href)}">${this.image(image)}</a>${figcaption}</figure>\n`
        },
      },
    })
  } else {
    marked.use({
      renderer: {
        // Readers' raw HTML is shown as text, never interpreted.
        html({ text }) {
          return escapeHtml(text)
        },
        heading({ tokens }) {
          return `<p><strong>${this.parser.parseInline(tokens)}</strong></p>\n`
        },
        link({ href, title, tokens }) {
          const t = title ? ` title="${escapeHtml(title)}"` : ''
          return `<a href="${escapeHtml(href)}"${t} rel="${COMMENT_LINK_REL}">${this.parser.parseInline(tokens)}</a>`
        },
        // Images become links: no third-party requests from a comment, no layout surprises.
        image({ href, text }) {
          return `<a href="${escapeHtml(href)}" rel="${COMMENT_LINK_REL}">${escapeHtml(text || href)}</a>`
        },
      },
    })
  }
  return marked
}

const instances: Partial<Record<RenderMode, Marked>> = {}

function markedFor(mode: RenderMode): Marked {
  return (instances[mode] ??= createMarked(mode))
}

function randomNonce(): string {
  const bytes = new Uint8Array(8)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

function withState<T>(mode: RenderMode, options: RenderOptions, fn: (s: RenderState) => T): T {
  const s: RenderState = {
    mode,
    tex: newTexContext(mode === 'post' ? POST_TEX_LIMITS : COMMENT_TEX_LIMITS, {
      macros: options.macros,
      packages: options.mathPackages,
      output: options.mathOutput,
      trust: mode === 'post' ? trustEquationLinks : false,
    }),
    math: [],
    nonce: randomNonce(),
    headingIds: new HeadingIds(),
    toc: [],
    anchorLabel: options.anchorLabel ?? 'Link to this section',
    footnoteLabels: options.footnoteLabels ?? { heading: 'Notes', back: 'Back to the text' },
    equations: mode === 'post' ? newEquationState(options.labels) : null,
  }
  const previous = current
  current = s
  try {
    return fn(s)
  } catch (err) {
    if (err instanceof RangeError) throw new RenderError('The text is nested too deeply to render.')
    throw err
  } finally {
    current = previous
  }
}

function finish(s: RenderState, rawHtml: string): MarkdownResult {
  const pattern = new RegExp(`\uE000${s.nonce}:(\\d+)\uE001`, 'g')
  const base = s.mode === 'post' ? POST_POLICY : COMMENT_POLICY
  const policy: SanitizePolicy = {
    ...base,
    // A formula inside an attribute (an image's alt text) becomes its TeX source, never markup.
    rewriteAttribute: (value) => value.replace(pattern, (_, i: string) => s.math[Number(i)]?.tex ?? ''),
  }
  // Every <pre> and <table> (markdown's, or the author's own) is focusable after the allow-list (which
  // takes no tabindex from the author): a long line or a wide table scrolls sideways, and a keyboard
  // must reach it too (axe scrollable-region-focusable); so does each display formula (tex.ts).
  // /assets/scrollers.js takes the ones that fit out of the tab order. The sanitizer's output is well
  // formed, so `<pre` or `<table` followed by a space or `>` is a tag, never text.
  const clean = sanitizeHtml(rawHtml, policy).replace(/<(pre|table)(?=[\s>])/g, '<$1 tabindex="0"')
  const html = clean.replace(pattern, (_, i: string) => s.math[Number(i)]?.html ?? '')
  return { html, toc: s.toc, mathErrors: s.tex.errors, labels: s.equations?.labels ?? new Map() }
}

/** Splits markdown into marked's block tokens with the math syntax recognised. */
export function lexMarkdown(markdown: string, mode: RenderMode): TokensList {
  return withState(mode, {}, () => markedFor(mode).lexer(protectTablePipes(markdown)))
}

/**
 * Renders markdown with math to safe HTML: formulas typeset by KaTeX, then every element,
 * attribute and URL checked against the mode's allow-list.
 * @example renderMarkdown('Euler: $e^{i\\pi}+1=0$', 'comment').html
 */
export function renderMarkdown(markdown: string, mode: RenderMode, options: RenderOptions = {}): MarkdownResult {
  return withState(mode, options, (s) => finish(s, markedFor(mode).parse(markdown) as string))
}

/** Renders tokens from `lexMarkdown` (for excerpts: a prefix of a post's blocks). */
export function renderTokens(tokens: Token[], links: TokensList['links'], mode: RenderMode, options: RenderOptions = {}): MarkdownResult {
  // Numbering rewrites formula tokens; the caller's tokens stay as they were.
  const list = Object.assign(structuredClone(tokens), { links }) as TokensList
  return withState(mode, options, (s) => {
    const marked = markedFor(mode)
    marked.walkTokens(list, numberEquations)
    return finish(s, marked.parser(list))
  })
}

export type { Tokens }
