/**
 * Commands a MathJax 3 blog has (its default TeX packages and what it autoloads) that KaTeX lacks,
 * as KaTeX macros, so that a post or comment written for MathJax typesets here instead of showing
 * its source as an error. Given to KaTeX with every formula (render/tex.ts); a site's own
 * `MATH_MACROS` and a post's `\newcommand` take precedence.
 *
 * - `\DeclareMathOperator{\Tr}{Tr}` (and `*`, limits below): defines `\Tr` for the rest of the post;
 * - `\bbox[yellow]{x}`, `\bbox[5px,border:2px solid red]{x}`: a coloured and/or framed box;
 * - `\enclose{box}{x}`, `roundedbox` (a frame), `updiagonalstrike`, `downdiagonalstrike` and both
 *   (cancelled), `circle` around one digit or small letter, others (`circle` around more, …): the
 *   content as it is;
 * - `\unicode{x2260}`, `\unicode{8800}`: that character;
 * - `\class{…}{x}`, `\cssId{…}{x}`: the content, without the class or id (KaTeX's `\htmlClass` would
 *   need `trust`); `\style{color:red;background:yellow}{x}`: the colours, a border's colour and bold,
 *   nothing else of the CSS;
 * - `\idotsint`, `\iddots`, `\mspace{3mu}`, `\buildrel a \over b`;
 * - `\mbox{…}`, `\raise{.5em}{x}` / `\lower 2pt x`, `\root 3 \of x`, `\strut`, `\skew{3}\hat A`
 *   (the skew dropped), `\mit`, `\overparen` / `\underparen` (KaTeX's group arcs);
 * - plain TeX's `\matrix{a & b \cr c & d}`, `\pmatrix{…}`, `\cases{…}`, `\eqalign{…}`, `\displaylines{…}`;
 * - `\sideset{_1^2}{_3^4}\sum`, `\iiiint`, `\shoveleft` / `\shoveright` (in multline);
 * - `\cancelto{0}{x}` (the value written at the struck term's top right, without the arrow);
 * - `\mathtip{x}{tip}`, `\texttip{x}{tip}` (the tip dropped), `\toggle{a}{b}…\endtoggle` (the first shown);
 * - gensymb's `\celsius`, `\ohm`, `\micro`, `\perthousand` (`\degree` is KaTeX's);
 * - MathJax 3.2's math alphabets (`\mathup`, `\mathbfit`, `\mathsfit`, `\mathbfsf`, …) and
 *   unicode-math's `\symbf`, `\symit`, `\symsf`, … (FONTS), as near as KaTeX's fonts come;
 * - `\stackbin{a}{b}`, `\overunderset{a}{b}{x}`, `\framebox[w][pos]{text}` (a frame; width and
 *   position dropped), `\nonscript` and `\hfill` / `\hfil` / `\hfilll` (no effect);
 * - the centernot package's `\centernot\implies` and `\centerOver{=}{/}` (a slash centred on the symbol).
 *
 * And the packages MathJax has after `\require{…}` (PACKAGES): physics (render/physics.ts), upgreek, mathtools
 * (render/tex.ts turns them on for the rest of the document when a formula asks).
 *
 * Not a TeX engine: options these commands take that change nothing essential are read and dropped.
 */

import type { MathPackage } from '../config'
import type { Environment } from './environments'
import { closing, EMPHEQ_DELIMITERS, splitRows, textColumns } from './equations'
import { argText, joinTokens, type Macro, type MacroContext, optionalArg, pasting, peekArg, starred } from './macro-args'
import { PHYSICS } from './physics'
import { SYMBOLS, unicodeChar } from './tex-text'

/** A colour as CSS and KaTeX both read it: a name or #rgb / #rrggbb; anything else null. */
function color(value: string): string | null {
  const v = value.trim()
  return /^(?:[A-Za-z]{3,20}|#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6})$/.test(v) ? v : null
}

const BORDER_STYLES = new Set(['solid', 'dashed', 'dotted', 'double', 'groove', 'ridge', 'inset', 'outset', 'none', 'hidden'])

/** The colour of a CSS border value (`2px solid red`): its first word that is a colour, not a style. */
function borderColour(value: string): string | null {
  const words = value
    .trim()
    .split(/\s+/)
    .filter((w) => !BORDER_STYLES.has(w.toLowerCase()))
  return words.map(color).find((c) => c !== null) ?? null
}

/**
 * `math` (TeX) in a box with a background colour, a frame, or both (at least one given). The body is
 * read again by KaTeX: kept as TeX, in math mode inside the box's text. A `#` in a colour is written
 * `##` (in a macro's expansion a lone `#` names an argument).
 */
function colourBox(math: string, background: string | null, frame: string | null): string {
  const bg = (background ?? 'transparent').replace('#', '##')
  return frame ? `\\fcolorbox{${frame.replace('#', '##')}}{${bg}}{$${math}$}` : `\\colorbox{${bg}}{$${math}$}`
}

/** `\bbox[options]{math}`: MathJax's options are a background colour, a padding, and CSS (`border: 2px solid red`). */
function bbox(context: MacroContext): string {
  const options = optionalArg(context) ?? ''
  let background: string | null = null
  let frame: string | null = null
  for (const part of options.split(/[;,]/)) {
    const border = /^\s*border\s*:(.*)$/i.exec(part)
    if (border) frame = borderColour(border[1]!) ?? 'black'
    else background ??= color(part)
  }
  return background || frame ? colourBox('#1', background, frame) : '{#1}'
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
  if (notations.has('circle')) {
    // One digit or small letter in a circle (KaTeX's \textcircled: ①, ⓧ); anything wider is shown as it is.
    const arg = peekArg(context).trim()
    if (/^\d$/.test(arg)) return '\\textcircled{#1}'
    if (/^[a-z]$/.test(arg)) return '\\text{\\textcircled{$#1$}}'
  }
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

/**
 * `\style{css}{math}`: of the CSS, what KaTeX can say itself is kept: `color`, `background` /
 * `background-color` and a `border`'s colour (each a colour name or #hex only, as for `\bbox`) and a
 * bold `font-weight`. Anything else (positions, sizes, URLs) is dropped: a formula cannot style the page.
 */
function style(context: MacroContext): string {
  let colour: string | null = null
  let background: string | null = null
  let frame: string | null = null
  let bold = false
  for (const declaration of argText(context).split(';')) {
    const m = /^\s*([A-Za-z-]+)\s*:(.*)$/.exec(declaration)
    if (!m) continue
    const property = m[1]!.toLowerCase()
    const value = m[2]!.trim()
    if (property === 'color') colour = color(value)
    else if (property === 'background' || property === 'background-color') background = color(value)
    else if (property === 'border' || property === 'border-color') frame = borderColour(value) ?? frame
    else if (property === 'font-weight') bold = /^(?:bold|bolder|[6-9]00)$/i.test(value)
  }
  let out = bold ? '\\boldsymbol{#1}' : '{#1}'
  if (colour) out = `{\\color{${colour.replace('#', '##')}}${out}}`
  return background || frame ? colourBox(out, background, frame) : out
}

/** `\class{name}{math}` and the like: the first argument dropped, the second kept. */
function secondOnly(context: MacroContext): string {
  context.consumeArg()
  return '{#1}'
}

/** `\mathtip{math}{tip}` and the like: the first argument kept, the second dropped. */
function firstOnly(context: MacroContext): string {
  const first = argText(context)
  context.consumeArg()
  return `{${first}}`
}

/** `\buildrel top \over rel` (plain TeX). */
function buildrel(context: MacroContext): string {
  const top = argText(context, ['\\over'])
  return `\\stackrel{${top}}`
}

/**
 * A dimension as TeX's `\raise` takes it: `{.5em}`, or written out (`-2pt`, `1.5 em`). Its text, or
 * null (nothing consumed but spaces) when none follows.
 */
function dimension(context: MacroContext): string | null {
  context.consumeSpaces()
  if (context.future().text === '{') return argText(context).trim()
  let number = ''
  while (/^[-+.,0-9]$/.test(context.future().text) && number.length < 20) number += context.popToken().text
  if (!/[0-9]/.test(number)) return null
  context.consumeSpaces()
  let unit = ''
  while (unit.length < 2 && /^[a-z]$/.test(context.future().text)) unit += context.popToken().text
  return `${number.replace(',', '.')}${unit}`
}

/**
 * The box a plain TeX box command moves, for KaTeX's text mode: after `\hbox`, `\mbox` or `\text` (taken
 * out here) its argument as text (what TeX's \hbox holds), any other argument as math. KaTeX puts the
 * argument in for #1.
 */
function movedBox(context: MacroContext): string {
  context.consumeSpaces()
  const next = context.future().text
  if (next !== '\\hbox' && next !== '\\mbox' && next !== '\\text' && next !== '\\vbox') return '$#1$'
  context.popToken()
  return '#1'
}

/** A dimension read by `dimension()` as a size and whether it was negative. */
function signed(dim: string): { negative: boolean; size: string } {
  return { negative: dim.startsWith('-'), size: dim.replace(/^[-+]/, '').replace(/[{}#\\]/g, '') }
}

/** `\raise{dim}{math}`, `\raise.5ex\hbox{text}` (direction 1) and `\lower` (−1): the box moved up or down. */
function raise(direction: 1 | -1): (context: MacroContext) => string {
  return (context) => {
    const dim = dimension(context)
    if (dim === null) throw new Error('\\raise and \\lower need a dimension')
    const { negative, size } = signed(dim)
    // KaTeX reads the dimension itself (a malformed one is its error); it stays inside braces.
    return `\\raisebox{${direction < 0 !== negative ? '-' : ''}${size}}{${movedBox(context)}}`
  }
}

/** `\moveright{dim}{math}`, `\moveright 1em \hbox{text}` (direction 1) and `\moveleft` (−1): the box moved sideways, its width kept. */
function move(direction: 1 | -1): (context: MacroContext) => string {
  return (context) => {
    const dim = dimension(context)
    if (dim === null) throw new Error('\\moveleft and \\moveright need a dimension')
    const { negative, size } = signed(dim)
    const [before, after] = direction > 0 !== negative ? ['', '-'] : ['-', '']
    return `\\kern${before}${size}\\text{${movedBox(context)}}\\kern${after}${size}`
  }
}

/**
 * MathJax's `\Rule{width}{height}{depth}` (a solid box of those sizes) and `\Space{…}{…}{…}` (the same
 * box, empty): two KaTeX rules, one above the baseline and one below, on the same width.
 */
function ruleBox(visible: boolean): (context: MacroContext) => string {
  return (context) => {
    const [width, height, depth] = [argText(context), argText(context), argText(context)].map((a) => a.trim().replace(/[{}#\\]/g, ''))
    // KaTeX reads each dimension itself (a malformed one is its error).
    const box = `\\rule{${width}}{${height}}\\kern-${width}\\rule[-${depth}]{${width}}{${depth}}`
    return visible ? `{${box}}` : `\\phantom{${box}}`
  }
}

/** `\root 3 \of x` (plain TeX) → `\sqrt[3]{x}`. */
function root(context: MacroContext): string {
  return `\\sqrt[${argText(context, ['\\of'])}]`
}

/**
 * `\sideset{_1^2}{_3^4}\sum`: scripts on both sides of a big operator whose limits (after it) stay
 * above and below. The left ones are set on an invisible copy of the operator's height.
 */
function sideset(context: MacroContext): string {
  const left = argText(context)
  const right = argText(context)
  context.consumeSpaces()
  const op = context.future().text === '{' ? `{${argText(context)}}` : context.popToken().text
  const before = left.trim() ? `{\\vphantom{${op}}}${left}\\!` : ''
  return `\\mathop{${before}${op}\\nolimits${right}}\\limits`
}

/**
 * Plain TeX's `\cases{1 & if $x>0$ \cr 0 & otherwise}`: as in TeX and MathJax, the second column is
 * text (with `$…$` for math in it), unlike LaTeX's cases environment.
 */
function plainCases(context: MacroContext): string {
  const tokens = context
    .consumeArg()
    .tokens.map((t) => t.text)
    .reverse()
  const rows: string[][][] = [[[]]]
  let depth = 0
  for (const t of tokens) {
    const row = rows[rows.length - 1]!
    if (t === '{') depth++
    else if (t === '}') depth--
    if (depth === 0 && t === '\\cr') rows.push([[]])
    else if (depth === 0 && t === '&') row.push([])
    else row[row.length - 1]!.push(t)
  }
  const body = rows
    .filter((cells) => cells.some((c) => c.length > 0))
    .map((cells) => cells.map((c, i) => (i === 1 ? `\\text{${joinTokens(c).trim()}}` : joinTokens(c))).join('&'))
    .join('\\\\')
  return `\\begin{cases}${body}\\end{cases}`
}

/** `\toggle{a}{b}…\endtoggle` (MathJax's action extension, clicking shows the next): the first. */
function toggle(context: MacroContext): string {
  const first = argText(context)
  for (;;) {
    const t = context.popToken().text
    if (t === '\\endtoggle') break
    if (t === 'EOF') throw new Error('Missing \\endtoggle')
  }
  return `{${first}}`
}

/**
 * `over` centred on `base`, horizontally and on the same baseline: the two as rows of a `gathered`
 * (which centres its rows) with the second row moved up by a row's whole height (0.84em + 0.36em
 * of strut and 0.3em of jot), in a group of class `atom`. In the MathML, which screen readers read,
 * `mathml` (`\not` for `\centernot`: ⇏, ≠).
 */
function centerOver(atom: string, base: string, over: string, mathml: string): string {
  return `\\html@mathml{${atom}{\\begin{gathered}${base}\\\\[-1.5em]{${over}}\\end{gathered}}}{${atom}{${mathml}}}`
}

/** A math alphabet KaTeX has no font for, set in its text fonts (`text`, of #1) when the argument is letters and digits; else `fallback`. */
function textAlphabet(text: string, fallback: string): Macro {
  return (context) => (/^[A-Za-z0-9 ]*$/.test(peekArg(context)) ? `\\text{${text}}` : `${fallback}{#1}`)
}

const BOLD_SANS = textAlphabet('\\textsf{\\textbf{#1}}', '\\mathsf')
const SANS_ITALIC = textAlphabet('\\textsf{\\textit{#1}}', '\\mathsf')

/**
 * MathJax 3.2's math alphabets beyond KaTeX's (`\mathup`, `\mathbfit`, …) and unicode-math's
 * `\sym…` forms, which MathJax has too. KaTeX has no bold Fraktur, script or calligraphic, and no
 * bold sans-serif italic: those lose the bold (or the italic). Bold italic is `\boldsymbol`; bold
 * sans and sans italic take KaTeX's text fonts for letters and digits.
 */
const FONTS: Record<string, Macro> = Object.fromEntries(
  (
    [
      ['\\mathrm', ['mathup', 'symrm', 'symup']],
      ['\\mathnormal', ['symnormal']],
      ['\\mathbf', ['mathbfup', 'symbf', 'symbfup']],
      ['\\mathit', ['symit']],
      ['\\boldsymbol', ['mathbfit', 'symbfit']],
      ['\\mathbb', ['symbb']],
      ['\\mathfrak', ['mathbffrak', 'symfrak', 'symbffrak']],
      ['\\mathscr', ['mathbfscr', 'symscr', 'symbfscr']],
      ['\\mathcal', ['mathbfcal', 'symcal', 'symbfcal']],
      ['\\mathsf', ['mathsfup', 'symsf', 'symsfup']],
      ['\\mathtt', ['symtt']],
      [BOLD_SANS, ['mathbfsf', 'mathbfsfup', 'mathbfsfit', 'symbfsf', 'symbfsfup', 'symbfsfit']],
      [SANS_ITALIC, ['mathsfit', 'symsfit']],
    ] as const
  ).flatMap(([macro, names]) => names.map((name): [string, Macro] => [`\\${name}`, typeof macro === 'string' ? `${macro}{#1}` : macro])),
)

/**
 * A font switch (`{\scr A}`, `\oldstyle 123`: MathJax's old-style font commands) as the command that
 * takes an argument: what follows, up to the end of its group, cell or row (a `}`, `&`, `\\`, `\cr`,
 * `\right` or `\end` of an enclosing construct), is the argument.
 */
function fontSwitch(command: string): Macro {
  return pasting((context) => {
    const parts: string[] = []
    let braces = 0
    let nested = 0
    for (;;) {
      const t = context.future().text
      if (t === 'EOF') break
      if (
        braces === 0 &&
        nested === 0 &&
        (t === '}' || t === '&' || t === '\\\\' || t === '\\cr' || t === '\\right' || t === '\\middle' || t === '\\end')
      )
        break
      context.popToken()
      if (t === '{') braces++
      else if (t === '}') braces--
      else if (braces === 0 && (t === '\\begin' || t === '\\left')) nested++
      else if (braces === 0 && (t === '\\end' || t === '\\right')) nested--
      parts.push(t)
    }
    return `${command}{${joinTokens(parts)}}`
  })
}

/** mhchem's `\xRightleftharpoons[below]{above}`: KaTeX's extensible harpoons with the same texts. */
const harpoons: Macro = pasting((context) => {
  const below = optionalArg(context)
  return `\\xrightleftharpoons${below === null ? '' : `[${below}]`}{${argText(context)}}`
})

/** A command whose first `count` `[…]` options (if given) are read and dropped: `\framebox[w][pos]{…}`. */
function afterOptions(count: number, expansion: string): Macro {
  return (context) => {
    for (let n = 0; n < count; n++) optionalArg(context)
    return expansion
  }
}

/** A command whose argument is read and dropped (`\uproot{2}`: a root index's position). */
function dropArgument(context: MacroContext): string {
  context.consumeArg()
  return ''
}

/**
 * empheq's delimiters outside an empheq (inside one, render/equations.ts grows them to its whole
 * height): `\empheqlbrace` is {, `\empheqrbrace` }, and so on, at their normal size.
 */
const EMPHEQ_SYMBOLS: Record<string, Macro> = Object.fromEntries(
  Object.entries(EMPHEQ_DELIMITERS).flatMap(([name, open]) =>
    ['', 'big'].flatMap((big): [string, Macro][] => [
      [`\\empheq${big}l${name}`, open],
      [`\\empheq${big}r${name}`, closing(open)],
    ]),
  ),
)

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
  '\\style': style,
  '\\idotsint': '\\int\\cdots\\int',
  '\\iddots': '\\mathinner{\\char"22F0}',
  '\\mspace': '\\mkern#1',
  '\\buildrel': buildrel,
  '\\mbox': '\\text{#1}',
  '\\raise': raise(1),
  '\\lower': raise(-1),
  '\\moveright': move(1),
  '\\moveleft': move(-1),
  '\\root': root,
  '\\strut': '\\mathstrut',
  '\\Rule': ruleBox(true),
  '\\Space': ruleBox(false),
  '\\skew': (context) => {
    context.consumeArg()
    return ''
  },
  '\\mit': '\\mathit',
  '\\overparen': '\\overgroup{#1}',
  '\\underparen': '\\undergroup{#1}',
  '\\matrix': '\\begin{matrix}#1\\end{matrix}',
  '\\pmatrix': '\\begin{pmatrix}#1\\end{pmatrix}',
  '\\cases': plainCases,
  '\\eqalign': '\\begin{aligned}#1\\end{aligned}',
  '\\displaylines': '\\begin{gathered}#1\\end{gathered}',
  '\\sideset': sideset,
  '\\iiiint':
    '\\mathop{\\mathchoice{\\int\\!\\!\\!\\!\\int\\!\\!\\!\\!\\int\\!\\!\\!\\!\\int}{\\int\\!\\!\\!\\int\\!\\!\\!\\int\\!\\!\\!\\int}{\\int\\!\\!\\int\\!\\!\\int\\!\\!\\int}{\\int\\!\\!\\int\\!\\!\\int\\!\\!\\int}}',
  '\\shoveleft': '{#1}',
  '\\shoveright': '{#1}',
  // The value raised clear of the strike's top end.
  '\\cancelto': '{\\cancel{#2}}^{\\kern0.1em\\raisebox{0.3em}{$\\scriptstyle #1$}}',
  '\\mathtip': firstOnly,
  '\\texttip': firstOnly,
  '\\toggle': toggle,
  // Reached only when applyDefinedColors could not read the definition.
  '\\definecolor': () => {
    throw new Error('\\definecolor takes {name}{rgb | RGB | gray | HTML}{value}, e.g. {myblue}{RGB}{30,90,200}')
  },
  '\\celsius': '{}^{\\circ}\\mathrm{C}',
  '\\ohm': '\\mathrm{\\Omega}',
  '\\micro': '\\text{µ}',
  '\\perthousand': '\\text{‰}',
  '\\stackbin': '\\mathbin{\\mathop{#2}\\limits^{#1}}',
  '\\overunderset': '\\@binrel{#3}{\\mathop{#3}\\limits^{#1}_{#2}}',
  '\\framebox': afterOptions(2, '\\fbox{#1}'),
  // \nonscript drops the space after it in a sub- or superscript; here that space is kept.
  '\\nonscript': '',
  // In MathJax these only move a cell's content within its array column.
  '\\hfill': '',
  '\\hfil': '',
  '\\hfilll': '',
  '\\centernot': centerOver('\\mathrel', '#1', '/', '\\not#1'),
  '\\centerOver': centerOver('', '#1', '#2', '#1'),
  // MathJax's old-style font switches: KaTeX has no old-style figures, so \oldstyle is the
  // calligraphic font (its capitals as MathJax's; figures as they are).
  '\\oldstyle': fontSwitch('\\mathcal'),
  '\\scr': fontSwitch('\\mathscr'),
  '\\bbFont': fontSwitch('\\mathbb'),
  // MathJax's size between \tiny and \scriptsize; KaTeX has those two.
  '\\Tiny': '\\tiny',
  // Delimiters: the arrow's and the brace's extensible bars.
  '\\arrowvert': '\\vert',
  '\\Arrowvert': '\\Vert',
  '\\bracevert': '\\vert',
  // A root index's position (\sqrt[\leftroot{-2}\uproot{2}3]{x}): the index stays where KaTeX puts it.
  '\\uproot': dropArgument,
  '\\leftroot': dropArgument,
  // Plain TeX's alignments with equation numbers in a last column; a whole display is numbered
  // there (render/equations.ts), elsewhere the numbers are a column of the alignment.
  '\\eqalignno': '\\begin{aligned}#1\\end{aligned}',
  '\\leqalignno': '\\begin{aligned}#1\\end{aligned}',
  // The braket package's (MathJax loads it by itself): |a⟩⟨b|, and grown to fit.
  '\\ketbra': '{\\vert{#1}\\rangle\\langle{#2}\\vert}',
  '\\Ketbra': '{\\left\\vert{#1}\\right\\rangle\\left\\langle{#2}\\right\\vert}',
  // mhchem's arrows (MathJax has them once mhchem is loaded): KaTeX's extensible ones.
  '\\longrightleftharpoons': '\\xrightleftharpoons{\\quad}',
  '\\longRightleftharpoons': '\\xrightleftharpoons{\\quad}',
  '\\longLeftrightharpoons': '\\xrightleftharpoons{\\quad}',
  '\\longleftrightarrows': '\\xrightleftarrows{\\quad}',
  '\\xRightleftharpoons': harpoons,
  '\\xLeftrightharpoons': harpoons,
  ...FONTS,
  ...EMPHEQ_SYMBOLS,
}

/** A colour model's value as #rrggbb (`rgb` 0–1, `RGB` 0–255, `gray` 0–1, `HTML` hex), or null. */
function colorValue(model: string, spec: string): string | null {
  const numbers = spec.split(',').map((p) => p.trim())
  /** The numbers of the spec when there are `count` of them, each at most `max`; else null. */
  const read = (max: number, count: number) =>
    numbers.length === count && numbers.every((p) => /^\d*\.?\d+$/.test(p) && Number(p) <= max) ? numbers.map(Number) : null
  const hex = (bytes: number[] | undefined) => (bytes ? `#${bytes.map((b) => Math.round(b).toString(16).padStart(2, '0')).join('')}` : null)
  if (model === 'HTML') return /^[0-9A-Fa-f]{6}$/.test(spec.trim()) ? `#${spec.trim().toLowerCase()}` : null
  if (model === 'rgb') return hex(read(1, 3)?.map((n) => n * 255))
  if (model === 'RGB') return hex(read(255, 3) ?? undefined)
  if (model === 'gray') return hex(read(1, 1)?.flatMap((n) => [n * 255, n * 255, n * 255]))
  return null
}

const DEFINE_COLOR = /\\definecolor\s*\{\s*([A-Za-z][A-Za-z0-9]{0,30})\s*\}\s*\{\s*([A-Za-z]+)\s*\}\s*\{([^{}]{0,100})\}/g
const COLOR_USE =
  /\\(color|textcolor|colorbox|fcolorbox)\s*(?:\[\s*([A-Za-z]+)\s*\]\s*)?\{\s*([^{}]{1,100}?)\s*\}(\s*\{\s*([A-Za-z][A-Za-z0-9]{0,30})\s*\})?/g

/**
 * The 68 colour names MathJax's color extension knows (LaTeX's dvipsnam.def), as MathJax paints
 * them. Names are case-sensitive there: `Red` is #ED1B23, while `red` is CSS's red.
 */
const DVIPS_COLORS = new Map(
  Object.entries({
    Apricot: 'FBB982',
    Aquamarine: '00B5BE',
    Bittersweet: 'C04F17',
    Black: '221E1F',
    Blue: '2D2F92',
    BlueGreen: '00B3B8',
    BlueViolet: '473992',
    BrickRed: 'B6321C',
    Brown: '792500',
    BurntOrange: 'F7921D',
    CadetBlue: '74729A',
    CarnationPink: 'F282B4',
    Cerulean: '00A2E3',
    CornflowerBlue: '41B0E4',
    Cyan: '00AEEF',
    Dandelion: 'FDBC42',
    DarkOrchid: 'A4538A',
    Emerald: '00A99D',
    ForestGreen: '009B55',
    Fuchsia: '8C368C',
    Goldenrod: 'FFDF42',
    Gray: '949698',
    Green: '00A64F',
    GreenYellow: 'DFE674',
    JungleGreen: '00A99A',
    Lavender: 'F49EC4',
    LimeGreen: '8DC73E',
    Magenta: 'EC008C',
    Mahogany: 'A9341F',
    Maroon: 'AF3235',
    Melon: 'F89E7B',
    MidnightBlue: '006795',
    Mulberry: 'A93C93',
    NavyBlue: '006EB8',
    OliveGreen: '3C8031',
    Orange: 'F58137',
    OrangeRed: 'ED135A',
    Orchid: 'AF72B0',
    Peach: 'F7965A',
    Periwinkle: '7977B8',
    PineGreen: '008B72',
    Plum: '92268F',
    ProcessBlue: '00B0F0',
    Purple: '99479B',
    RawSienna: '974006',
    Red: 'ED1B23',
    RedOrange: 'F26035',
    RedViolet: 'A1246B',
    Rhodamine: 'EF559F',
    RoyalBlue: '0071BC',
    RoyalPurple: '613F99',
    RubineRed: 'ED017D',
    Salmon: 'F69289',
    SeaGreen: '3FBC9D',
    Sepia: '671800',
    SkyBlue: '46C5DD',
    SpringGreen: 'C6DC67',
    Tan: 'DA9D76',
    TealBlue: '00AEB3',
    Thistle: 'D883B7',
    Turquoise: '00B4CE',
    Violet: '58429B',
    VioletRed: 'EF58A0',
    White: 'FFFFFF',
    WildStrawberry: 'EE2967',
    Yellow: 'FFF200',
    YellowGreen: '98CC70',
    YellowOrange: 'FAA21A',
  }).map(([name, hex]) => [name, `#${hex.toLowerCase()}`]),
)

/**
 * MathJax's colours in `\color`, `\textcolor`, `\colorbox` and `\fcolorbox`, made CSS colours for
 * KaTeX: a name defined with `\definecolor{name}{model}{spec}` (models rgb, RGB, gray, HTML; kept in
 * the document's table `colors` for the rest of the post or comment, the command taken out), one of
 * the 68 dvips names (`BrickRed`, `OliveGreen`), or a colour given with its model
 * (`\color[rgb]{1,0.5,0}`, `\textcolor[RGB]{0,128,255}{x}`). Any other name is left to KaTeX (CSS's
 * names, #hex). A definition or a modelled colour it cannot read stays, and shows as the formula's
 * error.
 */
export function applyDefinedColors(tex: string, colors: Map<string, string>): string {
  let out = tex
  if (out.includes('\\definecolor')) {
    out = out.replace(DEFINE_COLOR, (whole, name: string, model: string, spec: string) => {
      const value = colorValue(model, spec)
      if (value === null) return whole
      colors.set(name, value)
      return ''
    })
  }
  if (!out.includes('color')) return out
  const named = (name: string) => colors.get(name) ?? DVIPS_COLORS.get(name) ?? name
  return out.replace(
    COLOR_USE,
    (whole, command: string, model: string | undefined, first: string, rest: string | undefined, second: string | undefined) => {
      const a = model === undefined || model === 'named' ? named(first) : colorValue(model, first)
      if (a === null) return whole
      if (command !== 'fcolorbox' || second === undefined) return `\\${command}{${a}}${rest ?? ''}`
      return `\\${command}{${a}}{${named(second)}}`
    },
  )
}

/** The lower-case Greek letters' names (`\upalpha` … `\upomega`, `\upvarepsilon` and the like); tex-text's SYMBOLS has the letters. */
const GREEK =
  'alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega'.split(
    ' ',
  )
const CAPITALS = ['Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega']

/**
 * The upgreek package: KaTeX's math fonts have no upright lower-case Greek, so the letter is set
 * in the text font (as `\micro` is); the capitals are upright already.
 */
export const UPGREEK: Record<string, Macro> = Object.fromEntries([
  ...GREEK.map((name): [string, Macro] => [`\\up${name}`, `\\text{${SYMBOLS[name]}}`]),
  ...CAPITALS.map((name): [string, Macro] => [`\\Up${name.toLowerCase()}`, `\\${name}`]),
])

/** `\newtagform{name}[format]{left}{right}`: read and dropped. */
function tagForm(context: MacroContext): string {
  context.consumeArg()
  optionalArg(context)
  context.consumeArg()
  context.consumeArg()
  return ''
}

/**
 * A delimiter pair declared with `\DeclarePairedDelimiter`: `\abs{x}` at the normal size, `\abs*{x}`
 * grown to fit (`\left…\right`), `\abs[\big]{x}` at a size given. KaTeX puts the argument in for #1.
 */
function pairedDelimiter(context: MacroContext): string {
  const [left, right] = [argText(context), argText(context)]
  if (starred(context)) return `\\left${left}{#1}\\right${right}`
  const size = optionalArg(context)?.trim()
  // (\bigl and \bigr are an opening and a closing delimiter already.)
  if (size && /^\\[bB]igg?$/.test(size)) return `${size}l${left}{#1}${size}r${right}`
  return `\\mathopen{${left}}{#1}\\mathclose{${right}}`
}

/**
 * The mathtools package's commands KaTeX lacks (MathJax has them after `\require{mathtools}`); KaTeX
 * has most of the rest (`\coloneqq`, `\mathclap`, `\xleftrightarrow`, dcases, `matrix*`):
 * `\DeclarePairedDelimiter{\abs}{\lvert}{\rvert}`, `\prescript{14}{6}{C}`, `\splitfrac{a}{b}` /
 * `\splitdfrac`, `\smashoperator{…}` and `\adjustlimits` (typeset as they stand), `\vdotswithin{=}`,
 * `\mathtoolsset{…}` (nothing to set here), `\cramped{…}` (in the normal style), `\MoveEqLeft[n]`,
 * `\underbracket{…}_{label}` / `\overbracket{…}^{label}` (drawn as line segments).
 * Its small matrices (`psmallmatrix` …) and `cases*`, `dcases*`, `rcases*`, `drcases*` are
 * environments: MATHTOOLS_ENVIRONMENTS; `\shortintertext` is `\intertext` (render/equations.ts).
 */
export const MATHTOOLS: Record<string, Macro> = {
  '\\DeclarePairedDelimiter': '\\gdef#1{\\mathtoolsPairedDelimiter{#2}{#3}}',
  '\\mathtoolsPairedDelimiter': pairedDelimiter,
  '\\prescript': '{}^{#1}_{#2}{#3}',
  // Two lines, the first flush left and the second flush right: each padded with the other's phantom.
  '\\splitfrac': '\\genfrac{}{}{0pt}{1}{\\textstyle #1\\quad\\hphantom{#2}}{\\textstyle\\hphantom{#1}\\quad #2}',
  '\\splitdfrac': '\\genfrac{}{}{0pt}{0}{\\displaystyle #1\\quad\\hphantom{#2}}{\\displaystyle\\hphantom{#1}\\quad #2}',
  '\\smashoperator': afterOptions(1, '{#1}'),
  '\\adjustlimits': '',
  '\\vdotswithin': '\\mathrel{\\vdots}',
  '\\mathtoolsset': (context) => {
    context.consumeArg()
    return ''
  },
  // A square bracket under or over the argument, its label below or above as \underbrace's: drawn
  // as KaTeX's line segment (its ends tick both ways); the rule's thickness and the bracket's height dropped.
  '\\underbracket': afterOptions(2, '\\mathop{\\underlinesegment{#1}}\\limits'),
  '\\overbracket': afterOptions(2, '\\mathop{\\overlinesegment{#1}}\\limits'),
  // Text and math lapped over their neighbours (KaTeX has \mathllap and its kin); cramped ones in the normal style.
  '\\textllap': '\\mathllap{\\text{#1}}',
  '\\textrlap': '\\mathrlap{\\text{#1}}',
  '\\textclap': '\\mathclap{\\text{#1}}',
  '\\crampedllap': afterOptions(1, '\\mathllap{#1}'),
  '\\crampedrlap': afterOptions(1, '\\mathrlap{#1}'),
  '\\crampedclap': afterOptions(1, '\\mathclap{#1}'),
  '\\crampedsubstack': '\\substack{#1}',
  // A box of the argument's width (the width and position options dropped).
  '\\mathmbox': '{#1}',
  '\\mathmakebox': afterOptions(2, '{#1}'),
  '\\centercolon': '\\vcentcolon',
  '\\nuparrow': '\\centernot\\uparrow',
  '\\ndownarrow': '\\centernot\\downarrow',
  '\\bigtimes': '\\mathop{\\Large\\times}\\limits',
  // A strut of a given height and depth: left out.
  '\\xmathstrut': (context) => {
    optionalArg(context)
    context.consumeArg()
    return ''
  },
  // Tag forms: equation numbers here are always (n).
  '\\newtagform': tagForm,
  '\\renewtagform': tagForm,
  '\\usetagform': dropArgument,
  // A row of its own with vertical dots under the relation (mathtools draws it closer to its neighbours).
  '\\shortvdotswithin': '&\\mathrel{\\vphantom{#1}\\vdots}\\\\',
  // Cramped style (superscripts set lower) is typeset here as the normal one.
  '\\cramped': (context) => `{${optionalArg(context) ?? ''}#1}`,
  // `\MoveEqLeft[2] lhs \\ &= rhs`: the first line starts 2em left of the alignment point (mathtools' own definition).
  '\\MoveEqLeft': (context) => {
    const given = optionalArg(context)?.trim()
    const em = given && /^\d{0,2}(\.\d{1,3})?$/.test(given) && given !== '.' ? given : '2'
    return `\\kern${em}em&\\kern-${em}em`
  },
}

/** mathtools' small matrices with their delimiters. */
const SMALL_MATRICES: Record<string, Environment> = Object.fromEntries(
  (
    [
      ['p', '(', ')'],
      ['b', '[', ']'],
      ['B', '\\{', '\\}'],
      ['v', '\\vert', '\\vert'],
      ['V', '\\Vert', '\\Vert'],
    ] as const
  ).map(([prefix, left, right]): [string, Environment] => [
    `${prefix}smallmatrix`,
    { args: 0, optional: null, begin: `\\left${left}\\begin{smallmatrix}`, end: `\\end{smallmatrix}\\right${right}` },
  ]),
)

/** mathtools' cases with a text column (KaTeX has `dcases`, `rcases` and `drcases`, not the starred forms). */
const TEXT_CASES: Record<string, Environment> = Object.fromEntries(
  ['cases', 'dcases', 'rcases', 'drcases'].map((name): [string, Environment] => [
    `${name}*`,
    { args: 0, optional: null, begin: `\\begin{${name}}`, end: `\\end{${name}}`, body: textColumns },
  ]),
)

/** A body's rows with `cell` made of each (a row break kept as it is). */
function eachRow(cell: (row: string) => string): (body: string) => string {
  return (body) =>
    splitRows(body)
      .map((row) => (row.startsWith('\\\\') ? row : cell(row)))
      .join('')
}

/** mathtools' other environments: small matrices with a column alignment (dropped), gathered lines flush left or right, multlined, spreadlines. */
const MATHTOOLS_MORE: Record<string, Environment> = {
  'smallmatrix*': { args: 1, optional: 'c', begin: '\\begin{smallmatrix}', end: '\\end{smallmatrix}' },
  ...Object.fromEntries(
    Object.entries(SMALL_MATRICES).map(([name, env]): [string, Environment] => [`${name}*`, { ...env, args: 1, optional: 'c' }]),
  ),
  crampedsubarray: { args: 1, optional: null, begin: '\\begin{subarray}{#1}', end: '\\end{subarray}' },
  // Each line at the left (right) of one alignment point.
  lgathered: { args: 1, optional: 'c', begin: '\\begin{aligned}', end: '\\end{aligned}', body: eachRow((row) => `&${row}`) },
  rgathered: { args: 1, optional: 'c', begin: '\\begin{aligned}', end: '\\end{aligned}', body: eachRow((row) => `${row}&`) },
  // Lines centred (mathtools puts the first at the left and the last at the right); its width option dropped.
  multlined: {
    args: 1,
    optional: 'c',
    begin: '\\begin{gathered}',
    end: '\\end{gathered}',
    body: (body) => body.replace(/^\s*\[[^\]]*\]/, ''),
  },
  // The spacing between lines it sets is not kept: the body as it is.
  spreadlines: { args: 1, optional: null, begin: '', end: '' },
}

/** mathtools' environments, as render/environments.ts writes them out. */
const MATHTOOLS_ENVIRONMENTS: Record<string, Environment> = { ...SMALL_MATRICES, ...TEXT_CASES, ...MATHTOOLS_MORE }

/**
 * The MathJax packages whose commands are off until asked for, by name: `\require{physics}` in a
 * formula turns them on for the rest of its post or comment, as in MathJax; a site turns them on
 * everywhere with MATH_PACKAGES (as a MathJax blog lists them in its configuration).
 */
export const PACKAGES: Record<MathPackage, Record<string, Macro>> = { physics: PHYSICS, upgreek: UPGREEK, mathtools: MATHTOOLS }

/** The environments a package adds (only mathtools has any). */
const PACKAGE_ENVIRONMENTS: Partial<Record<MathPackage, Record<string, Environment>>> = { mathtools: MATHTOOLS_ENVIRONMENTS }

/** The packages a formula's `\require{…}` asks for (only those above; others are KaTeX's or unknown). */
export function requiredPackages(source: string): MathPackage[] {
  if (!source.includes('\\require')) return []
  return [...source.matchAll(/\\require\s*\{\s*([A-Za-z]+)\s*\}/g)]
    .map((m) => m[1]!)
    .filter((name): name is MathPackage => Object.hasOwn(PACKAGES, name))
}

/**
 * Turns a package's commands on in a document's macro table, except names the site or the post
 * defined itself (a `MATH_MACROS` entry, a `\newcommand` before the `\require`).
 */
export function requirePackage(macros: Record<string, unknown>, name: MathPackage, environments?: Map<string, Environment>): void {
  for (const [command, macro] of Object.entries(PACKAGES[name])) {
    if (!(command in macros) || macros[command] === MATHJAX_COMPAT[command]) macros[command] = macro
  }
  // Likewise an environment the post defined itself stays its own.
  for (const [env, definition] of Object.entries(PACKAGE_ENVIRONMENTS[name] ?? {}))
    if (!environments?.has(env)) environments?.set(env, definition)
}
