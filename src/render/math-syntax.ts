import type { TokenizerAndRendererExtension, Tokens } from 'marked'

/** A formula found in markdown: its TeX source and whether it is display math. */
export interface MathToken extends Tokens.Generic {
  type: 'math'
  raw: string
  tex: string
  display: boolean
}

// Display math as a block of its own: $$…$$ or \[…\], possibly over several lines.
const BLOCK_DOLLARS = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/
const BLOCK_BRACKETS = /^ {0,3}\\\[([\s\S]+?)\\\][ \t]*(?:\n+|$)/
// Display math inside a paragraph.
const INLINE_DISPLAY = /^\$\$((?:\\[\s\S]|[^\\$])+?)\$\$/
// Inline math, with Pandoc's rules so that prose dollars ("costs $5 and $10") stay text: the
// opening $ is not followed by a space, the closing $ is not preceded by one and not followed by
// a digit, and the formula has no blank line.
const INLINE_DOLLAR = /^\$(?![\s$])((?:\\[\s\S]|[^\\$\n]|\n(?!\s*\n))+?)(?<!\s)\$(?!\d)/
const INLINE_PARENS = /^\\\(([\s\S]+?)\\\)/

function blockMatch(src: string): RegExpExecArray | null {
  return BLOCK_DOLLARS.exec(src) ?? BLOCK_BRACKETS.exec(src)
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
  const candidates = /(^|\n) {0,3}(?:\$\$|\\\[)/g
  for (let c = candidates.exec(src); c; c = candidates.exec(src)) {
    const at = c.index + c[1]!.length
    if (blockMatch(src.slice(at))) return at
  }
  return undefined
}

function startInline(src: string): number | undefined {
  // The first candidate is enough: if it is not math after all, marked just keeps it as text.
  const m = /(?<!\\)\$|\\\(/.exec(src)
  return m ? m.index : undefined
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
 * The marked extensions that recognise math. Rendering is left to `renderMath`, so posts and
 * comments share the syntax and differ only in limits.
 */
export function mathExtensions(renderMath: (token: MathToken) => string): TokenizerAndRendererExtension[] {
  return [
    {
      name: 'mathBlock',
      level: 'block',
      start: startBlock,
      tokenizer(src) {
        const m = blockMatch(src)
        if (!m || !m[1]!.trim()) return undefined
        return { type: 'math', raw: m[0], tex: m[1]!.trim(), display: true } satisfies MathToken
      },
    },
    {
      name: 'mathInline',
      level: 'inline',
      start: startInline,
      tokenizer(src) {
        const hit = inlineMatch(src)
        if (!hit || !hit.m[1]!.trim()) return undefined
        return { type: 'math', raw: hit.m[0], tex: hit.m[1]!.trim(), display: hit.display } satisfies MathToken
      },
    },
    {
      name: 'math',
      renderer(token) {
        return renderMath(token as MathToken)
      },
    },
  ]
}
