import type { TokenizerAndRendererExtension, Tokens } from 'marked'

/** A formula found in markdown: its TeX source and whether it is display math. */
export interface MathToken extends Tokens.Generic {
  type: 'math'
  raw: string
  tex: string
  display: boolean
  /** A display formula inside a paragraph (`text $$x$$ text`), which must not become a <div>. */
  inParagraph?: boolean
  /** Set by equation numbering: ids of the anchors placed before a display formula. */
  anchors?: string[]
  /** Set by equation numbering when it rewrote `tex`: the TeX as the author wrote it. */
  source?: string
}

/** `\eqref{label}` or `\ref{label}` written in prose, outside any formula. */
export interface MathRefToken extends Tokens.Generic {
  type: 'mathRef'
  raw: string
  kind: 'eqref' | 'ref'
  label: string
}

// Display math as a block of its own: $$…$$ or \[…\], possibly over several lines.
const BLOCK_DOLLARS = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/
const BLOCK_BRACKETS = /^ {0,3}\\\[([\s\S]+?)\\\][ \t]*(?:\n+|$)/
// A bare environment as a block: \begin{equation}…\end{equation}, align, gather, matrices, cases, ….
const BLOCK_ENV =
  /^ {0,3}(\\begin\{(equation|align|alignat|gather|multline|eqnarray|flalign|xx?alignat|split|aligned|gathered|cases|matrix|pmatrix|bmatrix|Bmatrix|vmatrix|Vmatrix|smallmatrix|array)(\*?)\}[\s\S]*?\\end\{\2\3\})[ \t]*(?:\n+|$)/
const PROSE_REF = /^\\(eqref|ref)\{([^{}\s]{1,200})\}/
// Display math inside a paragraph; the brace-blind form (see inlineDollarEnd).
const INLINE_DISPLAY = /^\$\$((?:\\[\s\S]|[^\\$])+?)\$\$/
// Inline math, with Pandoc's rules so that prose dollars ("costs $5 and $10") stay text: the
// opening $ is not followed by a space, the closing $ is not preceded by one and not followed by
// a digit, and the formula has no blank line. This is the brace-blind form (see inlineDollarEnd).
const INLINE_DOLLAR = /^\$(?![\s$])((?:\\[\s\S]|[^\\$\n]|\n(?!\s*\n))+?)(?<!\s)\$(?!\d)/
const BLANK_LINE = /\n\s*\n/y
/** How many `$` inside braces one formula may pass over before the brace-blind rule decides. */
const MAX_DOLLARS_IN_BRACES = 16

/**
 * Where a formula opened by `$` (or `$$` when `double`) at `start` ends: the index after its closing
 * delimiter, or -1. As MathJax reads it, a `$` inside braces (`$\text{当 $x>0$ 时}$`) does not close
 * the formula, and a `}` with no `{` is passed over; `$…$` keeps Pandoc's rules (INLINE_DOLLAR).
 * When the braces never close (`$\frac{1}{$`), or more than MAX_DOLLARS_IN_BRACES dollars sit
 * inside them, the brace-blind rule decides, so a broken formula is still shown as one, marked as
 * an error, and the scan stays linear in the text between two dollars.
 */
export function inlineDollarEnd(src: string, start: number, double: boolean): number {
  const open = double ? 2 : 1
  const blind = () => {
    const m = (double ? INLINE_DISPLAY : INLINE_DOLLAR).exec(src.slice(start))
    return m ? start + m[0].length : -1
  }
  const first = src[start + open]
  if (first === undefined || (!double && (first === '$' || /\s/.test(first)))) return -1
  let depth = 0
  let inBraces = 0
  for (let i = start + open; i < src.length; i++) {
    const ch = src[i]
    if (ch === '\\') i++
    else if (ch === '{') depth++
    else if (ch === '}') depth = Math.max(0, depth - 1)
    else if (ch === '\n' && !double) {
      BLANK_LINE.lastIndex = i
      if (BLANK_LINE.test(src)) return inBraces > 0 ? blind() : -1
    } else if (ch === '$' && depth > 0) {
      if (++inBraces > MAX_DOLLARS_IN_BRACES) return blind()
    } else if (ch === '$') {
      if (double) return src[i + 1] === '$' && i > start + open ? i + 2 : -1
      return /\s/.test(src[i - 1]!) || /\d/.test(src[i + 1] ?? '') ? -1 : i + 1
    }
  }
  return inBraces > 0 ? blind() : -1
}

const INLINE_PARENS = /^\\\(([\s\S]+?)\\\)/

function blockMatch(src: string): { raw: string; tex: string } | null {
  const m = BLOCK_DOLLARS.exec(src) ?? BLOCK_BRACKETS.exec(src)
  if (m) return { raw: m[0], tex: m[1]! }
  const env = BLOCK_ENV.exec(src)
  return env ? { raw: env[0], tex: env[1]! } : null
}

/** The inline formula at the start of `src`: its whole text, its TeX, and whether it is display math. */
function inlineMatch(src: string): { raw: string; tex: string; display: boolean } | null {
  if (src[0] === '$') {
    const double = src[1] === '$'
    const end = inlineDollarEnd(src, 0, double)
    if (end < 0) return null
    const open = double ? 2 : 1
    return { raw: src.slice(0, end), tex: src.slice(open, end - open), display: double }
  }
  const m = INLINE_PARENS.exec(src)
  return m ? { raw: m[0], tex: m[1]!, display: false } : null
}

/**
 * Where the next block formula starts, so marked ends a paragraph there. Only positions where the
 * block rule really matches are reported; otherwise a `$$x$$ and text` line would split a paragraph.
 */
function startBlock(src: string): number | undefined {
  const candidates = /(^|\n) {0,3}(?:\$\$|\\\[|\\begin\{)/g
  for (let c = candidates.exec(src); c; c = candidates.exec(src)) {
    const at = c.index + c[1]!.length
    if (blockMatch(src.slice(at))) return at
  }
  return undefined
}

/** Where marked's inline text rule stops at the latest (its lookahead set), after a leading backtick run. */
const TEXT_STOP = /[\\<!\[`*_]/g
/** How far a start function reads ahead for that stop. */
const LOOKAHEAD = 2048

/**
 * The part of `src` marked's text rule could swallow in one token: up to its next stop character.
 * An extension's `start` only needs to look that far (marked calls it again after every token), and
 * looking further made rendering quadratic in the number of tokens: "a<" × 100,000 took 25 s.
 * With no stop in the next LOOKAHEAD characters ("{ $}" × 40,000 took 3 s), the window ends at a
 * boundary no inline rule spans (`cut`), and the start function reports that boundary, so marked
 * ends its text token there and asks again: two text tokens in a row are joined into one.
 */
function textWindow(src: string): { end: number; cut: boolean } {
  const from = /^`+/.exec(src)?.[0].length ?? 1
  TEXT_STOP.lastIndex = from
  const head = src.length > LOOKAHEAD ? src.slice(0, LOOKAHEAD) : src
  const stop = TEXT_STOP.exec(head)
  if (stop) return { end: stop.index, cut: false }
  if (head === src) return { end: src.length, cut: false }
  const boundary = safeBoundary(head, from)
  return boundary < 0 ? { end: src.length, cut: false } : { end: boundary, cut: true }
}

/**
 * The last position in `text` after `from` where a text token may end without splitting anything
 * another rule reads (a link or an e-mail address, a hard break's spaces, a surrogate pair): the start
 * of a word after white space, or between two CJK characters. -1 when there is none.
 */
function safeBoundary(text: string, from: number): number {
  const wide = (code: number) => code >= 0x2e80 && (code < 0xd800 || code > 0xdfff)
  for (let i = text.length - 1; i > from; i--) {
    const before = text.charCodeAt(i - 1)
    const at = text.charCodeAt(i)
    if ((/\s/.test(text[i - 1]!) && !/\s/.test(text[i]!)) || (wide(before) && wide(at))) return i
  }
  return -1
}

function firstWithin(src: string, pattern: RegExp): number | undefined {
  const { end, cut } = textWindow(src)
  // Candidates are at most 7 characters long (\eqref{); one starting at the stop is still seen.
  const m = pattern.exec(src.slice(0, end + 8))
  if (m && m.index <= end) return m.index
  return cut ? end : undefined
}

const INLINE_CANDIDATE = /(?<!\\)\$|\\\(|\\(?:eq)?ref\{/
const REF_CANDIDATE = /\\(?:eq)?ref\{/

function startInline(src: string): number | undefined {
  // The first candidate is enough: if it is not math after all, marked just keeps it as text.
  return firstWithin(src, INLINE_CANDIDATE)
}

/**
 * Hides the inside of every inline formula from marked's emphasis rules, so `$a_1 * b_2$` next to
 * `*text*` never turns into <em>. Same length in, same length out, as the hook requires.
 */
export function maskMath(src: string): string {
  let out = ''
  let i = 0
  while (i < src.length) {
    const ch = src[i]
    if (ch === '\\' && src[i + 1] !== '(') {
      out += src.slice(i, i + 2)
      i += 2
      continue
    }
    if (ch === '$' || ch === '\\') {
      const hit = inlineMatch(src.slice(i))
      if (hit) {
        const len = hit.raw.length
        out += ch + 'a'.repeat(len - 2) + src[i + len - 1]
        i += len
        continue
      }
    }
    out += ch
    i++
  }
  return out
}

/**
 * The marked extensions that recognise math and prose references to equations. Rendering is left
 * to the callbacks, so posts and comments share the syntax and differ only in limits and numbering.
 */
export function mathExtensions(render: {
  math: (token: MathToken) => string
  ref: (token: MathRefToken) => string
}): TokenizerAndRendererExtension[] {
  return [
    {
      name: 'mathBlock',
      level: 'block',
      start: startBlock,
      tokenizer(src) {
        const m = blockMatch(src)
        if (!m || !m.tex.trim()) return undefined
        return { type: 'math', raw: m.raw, tex: m.tex.trim(), display: true } satisfies MathToken
      },
    },
    {
      name: 'mathInline',
      level: 'inline',
      start: startInline,
      tokenizer(src) {
        const hit = inlineMatch(src)
        if (!hit || !hit.tex.trim()) return undefined
        return { type: 'math', raw: hit.raw, tex: hit.tex.trim(), display: hit.display, inParagraph: hit.display } satisfies MathToken
      },
    },
    {
      name: 'mathRef',
      level: 'inline',
      start: (src) => firstWithin(src, REF_CANDIDATE),
      tokenizer(src) {
        const m = PROSE_REF.exec(src)
        if (!m) return undefined
        return { type: 'mathRef', raw: m[0], kind: m[1] as 'eqref' | 'ref', label: m[2]! } satisfies MathRefToken
      },
    },
    {
      name: 'math',
      renderer(token) {
        return render.math(token as MathToken)
      },
    },
    {
      name: 'mathRef',
      renderer(token) {
        return render.ref(token as MathRefToken)
      },
    },
  ]
}

const TABLE_DELIMITER = /^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/

/**
 * GFM splits table rows at every `|`, before any inline rule (math included) sees the cell. Inside
 * inline formulas on table rows, `\|` becomes `\Vert` and `|` becomes `\vert`: the same symbols,
 * without the pipe. Fenced code is left alone.
 */
export function protectTablePipes(src: string): string {
  if (!src.includes('|') || !src.includes('$')) return src
  const lines = src.split('\n')
  let fence: string | null = null
  let inTable = false
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line)
    if (f) {
      if (fence === null) fence = f[1]![0]!
      else if (f[1]![0] === fence) fence = null
      inTable = false
      continue
    }
    if (fence !== null) continue
    if (!line.includes('|')) {
      inTable = false
      continue
    }
    if (!inTable && TABLE_DELIMITER.test(lines[i + 1] ?? '') && (lines[i + 1] ?? '').includes('-')) inTable = true
    if (inTable && line.includes('$')) lines[i] = pipesInFormulas(line)
  }
  return lines.join('\n')
}

/** A table row with every `|` inside its formulas written as `\vert{}` (`\|` as `\Vert{}`). */
function pipesInFormulas(line: string): string {
  let out = ''
  let last = 0
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++
    if (line[i] !== '$') continue
    const double = line[i + 1] === '$'
    const end = inlineDollarEnd(line, i, double)
    if (end < 0) continue
    const open = double ? 2 : 1
    // `\vert{}` rather than `\vert `: a formula must not end in a space before its closing $.
    const tex = line
      .slice(i + open, end - open)
      .replace(/\\\|/g, '\\Vert{}')
      .replace(/\|/g, '\\vert{}')
    out += line.slice(last, i + open) + tex
    last = end - open
    i = end - 1
  }
  return out + line.slice(last)
}
