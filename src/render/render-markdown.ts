import { Marked, type Token, type Tokens, type TokensList } from 'marked'
import { escapeHtml } from './escape'
import { HeadingIds } from './heading-ids'
import { mathExtensions, maskMath, type MathToken } from './math-syntax'
import { COMMENT_POLICY, POST_POLICY, sanitizeHtml, type SanitizePolicy } from './sanitize-html'
import { COMMENT_TEX_LIMITS, newTexContext, POST_TEX_LIMITS, renderTex, type TexContext } from './tex'

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
}

/** Thrown when markdown is too deeply nested or otherwise beyond what the renderer accepts. */
export class RenderError extends Error {}

export interface RenderOptions {
  /** aria-label of the `#` link after each heading. */
  anchorLabel?: string
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
}

// marked is synchronous, so the state of the render in progress can live here.
let current: RenderState | null = null

function state(): RenderState {
  if (!current) throw new Error('render state used outside a render')
  return current
}

/** Plain text of inline tokens, with formulas as their TeX source (for ids and excerpts). */
export function plainText(tokens: readonly Token[] | undefined): string {
  let out = ''
  for (const t of tokens ?? []) {
    if (t.type === 'math') out += (t as MathToken).tex
    else if (t.type === 'html' || t.type === 'image') continue
    else if ('tokens' in t && Array.isArray(t.tokens)) out += plainText(t.tokens)
    else if ('text' in t && typeof t.text === 'string') out += t.text
  }
  return out
}

/** Plain text of one block token (a formula block counts as its TeX source). */
export function blockPlainText(token: Token): string {
  if (token.type === 'math') return (token as MathToken).tex
  if (token.type === 'list') return (token as Tokens.List).items.map((i) => plainText(i.tokens)).join(' ')
  if ('tokens' in token && Array.isArray(token.tokens)) return plainText(token.tokens)
  return 'text' in token && typeof token.text === 'string' ? token.text : ''
}

function placeholder(s: RenderState, index: number): string {
  return `\uE000${s.nonce}:${index}\uE001`
}

function renderMath(token: MathToken): string {
  const s = state()
  const html = renderTex(token.tex, token.display, s.tex)
  s.math.push({ html, tex: token.tex })
  return placeholder(s, s.math.length - 1)
}

const COMMENT_LINK_REL = 'nofollow ugc noopener'

function createMarked(mode: RenderMode): Marked {
  const marked = new Marked({ gfm: true, breaks: mode === 'comment', async: false })
  marked.use({
    extensions: mathExtensions(renderMath),
    hooks: { emStrongMask: maskMath },
  })
  if (mode === 'post') {
    marked.use({
      renderer: {
        heading({ tokens, depth }) {
          const s = state()
          const text = plainText(tokens)
          const id = s.headingIds.next(text)
          s.toc.push({ depth, id, text })
          const inner = this.parser.parseInline(tokens)
          return `<h${depth} id="${id}">${inner}<a class="heading-anchor" href="#${id}" aria-label="${escapeHtml(s.anchorLabel)}">#</a></h${depth}>\n`
        },
        image({ href, title, text }) {
          const t = title ? ` title="${escapeHtml(title)}"` : ''
          return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${t} loading="lazy">`
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
    tex: newTexContext(mode === 'post' ? POST_TEX_LIMITS : COMMENT_TEX_LIMITS),
    math: [],
    nonce: randomNonce(),
    headingIds: new HeadingIds(),
    toc: [],
    anchorLabel: options.anchorLabel ?? 'Link to this section',
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
  const clean = sanitizeHtml(rawHtml, policy)
  const html = clean.replace(pattern, (_, i: string) => s.math[Number(i)]?.html ?? '')
  return { html, toc: s.toc, mathErrors: s.tex.errors }
}

/** Splits markdown into marked's block tokens with the math syntax recognised. */
export function lexMarkdown(markdown: string, mode: RenderMode): TokensList {
  return withState(mode, {}, () => markedFor(mode).lexer(markdown))
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
  const list = Object.assign([...tokens], { links }) as TokensList
  return withState(mode, options, (s) => finish(s, markedFor(mode).parser(list)))
}

export type { Tokens }
