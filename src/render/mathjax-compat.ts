/**
 * Commands a MathJax 3 blog has (its default TeX packages and what it autoloads) that KaTeX lacks,
 * as KaTeX macros, so that a post or comment written for MathJax typesets here instead of showing
 * its source as an error. Given to KaTeX with every formula (render/tex.ts); a site's own
 * `MATH_MACROS` and a post's `\newcommand` take precedence.
 *
 * - `\DeclareMathOperator{\Tr}{Tr}` (and `*`, limits below): defines `\Tr` for the rest of the post;
 * - `\bbox[yellow]{x}`, `\bbox[5px,border:2px solid red]{x}`: a coloured and/or framed box;
 * - `\enclose{box}{x}`, `roundedbox` (a frame), `updiagonalstrike`, `downdiagonalstrike` and both
 *   (cancelled), others (`circle`, …): the content as it is;
 * - `\unicode{x2260}`, `\unicode{8800}`: that character;
 * - `\class{…}{x}`, `\cssId{…}{x}`, `\style{…}{x}`: the content, without the class, id or style
 *   (pages do not let formulas style themselves; KaTeX's `\htmlClass` would need `trust`);
 * - `\idotsint`, `\iddots`, `\mspace{3mu}`, `\buildrel a \over b`.
 *
 * Not a TeX engine: options these commands take that change nothing essential are read and dropped.
 */

import { unicodeChar } from './tex-text'

/** The part of KaTeX's macro expander the macros below use (KaTeX passes it to function macros). */
interface MacroContext {
  future(): { text: string }
  popToken(): { text: string }
  consumeSpaces(): void
  consumeArg(delims?: string[]): { tokens: { text: string }[] }
}

type Macro = string | ((context: MacroContext) => string)

/** The text of a macro argument's tokens (KaTeX keeps them in reverse order). */
function argText(context: MacroContext, delims?: string[]): string {
  return context
    .consumeArg(delims)
    .tokens.map((t) => t.text)
    .reverse()
    .join('')
}

/** `[…]` at the next token, if there is one: its text; else null (nothing consumed). */
function optionalArg(context: MacroContext): string | null {
  context.consumeSpaces()
  if (context.future().text !== '[') return null
  context.popToken()
  return argText(context, [']'])
}

/** A colour as CSS and KaTeX both read it: a name or #rgb / #rrggbb; anything else null. */
function color(value: string): string | null {
  const v = value.trim()
  return /^(?:[A-Za-z]{3,20}|#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6})$/.test(v) ? v : null
}

const BORDER_STYLES = new Set(['solid', 'dashed', 'dotted', 'double', 'groove', 'ridge', 'inset', 'outset', 'none', 'hidden'])

/** `\bbox[options]{math}`: MathJax's options are a background colour, a padding, and CSS (`border: 2px solid red`). */
function bbox(context: MacroContext): string {
  const options = optionalArg(context) ?? ''
  let background: string | null = null
  let frame: string | null = null
  for (const part of options.split(/[;,]/)) {
    const border = /^\s*border\s*:(.*)$/i.exec(part)
    if (border) {
      const words = border[1]!
        .trim()
        .split(/\s+/)
        .filter((w) => !BORDER_STYLES.has(w.toLowerCase()))
      const colour = words.map(color).find((c) => c !== null)
      frame = colour ?? 'black'
    } else {
      background ??= color(part)
    }
  }
  // The body is read again by KaTeX: kept as TeX, in math mode inside the box's text. A `#` in a
  // colour is written `##` (in a macro's expansion a lone `#` names an argument).
  if (background) background = background.replace('#', '##')
  if (frame) frame = frame.replace('#', '##')
  if (background && frame) return `\\fcolorbox{${frame}}{${background}}{$#1$}`
  if (background) return `\\colorbox{${background}}{$#1$}`
  if (frame) return `\\fcolorbox{${frame}}{transparent}{$#1$}`
  return '{#1}'
}

/** `\enclose{notation}[attributes]{math}`. */
function enclose(context: MacroContext): string {
  const notations = new Set(argText(context).split(/[\s,]+/))
  optionalArg(context)
  const up = notations.has('updiagonalstrike')
  const down = notations.has('downdiagonalstrike')
  if (up && down) return '\\xcancel{#1}'
  if (up) return '\\cancel{#1}'
  if (down) return '\\bcancel{#1}'
  if (notations.has('box') || notations.has('roundedbox')) return '\\boxed{#1}'
  return '{#1}'
}

/** `\unicode[font]{x2260}` or `{8800}` or `{0x2260}`: the character (a number out of range: U+FFFD). */
function unicode(context: MacroContext): string {
  optionalArg(context)
  optionalArg(context)
  const code = unicodeChar(argText(context)).codePointAt(0)!
  // In a group, so that a letter after it is not read as one more hex digit (\char"2260b).
  return `{\\char"${code.toString(16).toUpperCase()}}`
}

/** `\DeclareMathOperator{\name}{text}`; with `*`, limits go below and above, as `\operatorname*`. */
function declareMathOperator(context: MacroContext): string {
  const star = context.future().text === '*'
  if (star) context.popToken()
  return `\\gdef#1{\\operatorname${star ? '*' : ''}{#2}}`
}

/** `\class{name}{math}` and the like: the first argument dropped, the second kept. */
function secondOnly(context: MacroContext): string {
  context.consumeArg()
  return '{#1}'
}

/** `\buildrel top \over rel` (plain TeX). */
function buildrel(context: MacroContext): string {
  const top = argText(context, ['\\over'])
  return `\\stackrel{${top}}`
}

/**
 * The macros, by name. A function macro returns TeX that KaTeX reads again; `#1`, `#2` in it are
 * the arguments that follow (KaTeX counts them from #1 up), so a box's body is read as TeX.
 */
export const MATHJAX_COMPAT: Record<string, Macro> = {
  '\\DeclareMathOperator': declareMathOperator,
  '\\bbox': bbox,
  '\\enclose': enclose,
  '\\unicode': unicode,
  '\\class': secondOnly,
  '\\cssId': secondOnly,
  '\\style': secondOnly,
  '\\idotsint': '\\int\\cdots\\int',
  '\\iddots': '\\mathinner{\\char"22F0}',
  '\\mspace': '\\mkern#1',
  '\\buildrel': buildrel,
}
