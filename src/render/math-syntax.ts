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
  /^ {0,3}(\\begin\{(equation|align|alignat|gather|multline|eqnarray|flalign|split|aligned|gathered|cases|matrix|pmatrix|bmatrix|Bmatrix|vmatrix|Vmatrix|smallmatrix|array)(\*?)\}[\s\S]*?\\end\{\2\3\})[ \t]*(?:\n+|$)/
const PROSE_REF = /^\\(eqref|ref)\{([^{}\s]{1,200})\}/
// Display math inside a paragraph.
const INLINE_DISPLAY = /^\$\$((?:\\[\s\S]|[^\\$])+?)\$\$/
// Inline math, with Pandoc's rules so that prose dollars ("costs $5 and $10") stay text: the
// opening $ is not followed by a space, the closing $ is not preceded by one and not followed by
// a digit, and the formula has no blank line.
const INLINE_DOLLAR = /^\$(?![\s$])((?:\\[\s\S]|[^\\$\n]|\n(?!\s*\n))+?)(?<!\s)\$(?!\d)/
const INLINE_PARENS = /^\\\(([\s\S]+?)\\\)/

function blockMatch(src: string): { raw: string; tex: string } | null {
  const m = BLOCK_DOLLARS.exec(src) ?? BLOCK_BRACKETS.exec(src)
  if (m) return { raw: m[0], tex: m[1]! }
  const env = BLOCK_ENV.exec(src)
  return env ? { raw: env[0], tex: env[1]! } : null
}

function inlineMatch(src: string): { m: RegExpExecArray; display: boolean } | null {
  let m = INLINE_DISPLAY.exec(src)
  if (m) return { m, display: true }
  m = INLINE_DOLLAR.exec(src)
  if (m) return { m, display: false }
  m = INLINE_PARENS.exec(src)
  if (m) return { m, display: false }
  return null
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

/**
 * The part of `src` marked's text rule could swallow in one token: up to its next stop character.
 * An extension's `start` only needs to look that far (marked calls it again after every token), and
 * looking further made rendering quadratic in the number of tokens: "a<" × 100,000 took 25 s.
 */
function textWindow(src: string): number {
  TEXT_STOP.lastIndex = /^`+/.exec(src)?.[0].length ?? 1
  const stop = TEXT_STOP.exec(src)
  return stop ? stop.index : src.length
}

function firstWithin(src: string, pattern: RegExp): number | undefined {
  const end = textWindow(src)
  // Candidates are at most 7 characters long (\eqref{); one starting at the stop is still seen.
  const m = pattern.exec(src.slice(0, end + 8))
  return m && m.index <= end ? m.index : undefined
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
        const len = hit.m[0].length
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
        if (!hit || !hit.m[1]!.trim()) return undefined
        return { type: 'math', raw: hit.m[0], tex: hit.m[1]!.trim(), display: hit.display, inParagraph: hit.display } satisfies MathToken
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
    if (inTable && line.includes('$')) {
      // `\vert{}` rather than `\vert `: a formula must not end in a space before its closing $.
      lines[i] = line.replace(
        /(?<!\\)\$(?!\s)((?:\\[\s\S]|[^\\$])+?)(?<!\s)\$/g,
        (_m, tex: string) => `$${tex.replace(/\\\|/g, '\\Vert{}').replace(/\|/g, '\\vert{}')}$`,
      )
    }
  }
  return lines.join('\n')
}
