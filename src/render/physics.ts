/**
 * The physics package as MathJax 3.2 has it after `\require{physics}` (its PhysicsMethods), as
 * KaTeX macros: every command of the package, with MathJax's arguments, stars and sizes. Turned on
 * for the rest of a post or comment by `\require{physics}`, or everywhere by MATH_PACKAGES
 * (render/mathjax-compat.ts PACKAGES, render/tex.ts).
 *
 * - Brackets: `\qty(…)`, `\qty[…]`, `\qty|…|`, `\qty{…}` grown to fit (`\qty\big(…)` at a size),
 *   `\pqty`, `\bqty`, `\vqty`, `\Bqty`, `\abs`, `\norm`, `\order` (`*`: as they are); `\eval{…}_a^b`,
 *   `\eval(…|_a^b`; `\comm`, `\acomm`, `\pb`.
 * - Vectors: `\vb`, `\va`, `\vu` (`*`: italic), `\grad`, `\div`, `\curl`, `\laplacian` (with `(…)`
 *   grown), `\vdot`, `\cross`, `\cp`, `\real`, `\imaginary`.
 * - Functions: `\sin[2](x)` (a power, and parentheses grown to fit) for the trigonometric,
 *   hyperbolic, `\exp`, `\log`, `\ln` …; `\asin`, `\sech`, `\arccot` …; `\tr`, `\Tr`, `\rank`,
 *   `\erf`, `\Res`, `\pv`, `\PV`, `\Re{…}`, `\Im{…}` (Re, Im: the package's, not ℜ ℑ).
 * - `\qq{text}`, `\qc`, `\qif`, `\qthen`, `\qand` … (text between quads).
 * - Derivatives: `\dd`, `\var`, `\dv`, `\pdv`, `\fdv` (orders, mixed, `*` inline), `\flatfrac`.
 * - Dirac: `\bra`, `\ket` (`\bra{a}\ket{b}` is one bracket), `\braket`, `\ketbra`, `\expval`, `\mel`.
 * - Matrices: `\mqty(…)` and its kin (`\pmqty`, `\Pmqty`, `\smqty` …, `\mdet`), `\imat`, `\xmat`,
 *   `\zmat`, `\pmat`, `\dmat`, `\admat`.
 * Each has its long name too (`\quantity`, `\derivative`, `\innerproduct`, …).
 *
 * Expansions that hold text read from an argument are `pasted` (a `#` in it stays a `#`).
 */

import { argText, balanced, type Macro, type MacroContext, optionalArg, optionalGroup, pasting, spend, starred } from './macro-args'
import { FUNCTION_NAMES } from './tex-text'

/** The closing delimiter of each opening one the package's commands take. */
const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '|': '|' }

/** The most rows or columns `\imat` and `\xmat` make (MathJax sets none; a formula must stay small). */
const MAX_MATRIX = 20

/** `\big`, `\Big`, `\bigg` or `\Bigg` right after the command (`\qty\big(…)`): consumed, its name; else null. */
function bigSize(context: MacroContext): string | null {
  context.consumeSpaces()
  if (!/^\\[bB]igg?$/.test(context.future().text)) return null
  return context.popToken().text
}

/** `inner` between delimiters: grown to fit (`\left…\right`), at a `\big` size, or as they are (`plain`). */
function delimited(left: string, inner: string, right: string, size: string | null, plain = false): string {
  if (plain) return `${left}{${inner}}${right}`
  if (size) return `${size}l${left}{${inner}}${size}r${right}`
  return `\\left${left}{${inner}}\\right${right}`
}

/**
 * Brackets MathJax opens when it meets `(` after a command and closes at the matching `)`: grown to
 * fit (or at a `\big` size), and spaced as the brackets themselves, an opening one on the left and a
 * closing one on the right (MathJax's "auto open"), not as a `\left…\right` group, which TeX spaces
 * as an inner formula (a thin space after `\sin` or `f`): an empty opening atom, then the group as
 * an ordinary one (spaced on its right as a closing bracket is, and the base of a superscript).
 */
function autoFenced(left: string, inner: string, right: string, size: string | null = null): string {
  if (size) return delimited(left, inner, right, size)
  return `\\mathopen{}{\\left${left}{${inner}}\\right${right}}`
}

/** What follows up to the `)` that matches an opening `(` just consumed, grown to fit. */
function grownParentheses(context: MacroContext): string {
  return autoFenced('(', balanced(context, '(', ')'), ')')
}

/** The next token if it is `(` (consumed) then everything up to its `)`, grown; else ''. */
function followingParentheses(context: MacroContext): string {
  context.consumeSpaces()
  if (context.future().text !== '(') return ''
  context.popToken()
  return grownParentheses(context)
}

/**
 * `\qty` and the package's other brackets (MathJax's Quantity): `(…)`, `[…]`, `|…|` or `{…}` after
 * the command (`\qty`), or a `{…}` argument between fixed delimiters (`\pqty`, `\abs`: `arg`), which
 * a `*` keeps at their size. `\big` … `\Bigg` first sets the size. `named`: written before
 * (`\order`'s O). A `\qty` with no bracket after it is an empty pair, as in MathJax.
 */
function quantity(name: string, open = '(', close = ')', arg = false, named = ''): Macro {
  return pasting((context) => {
    const plain = arg && starred(context)
    const size = bigSize(context)
    context.consumeSpaces()
    const next = context.future().text
    if (arg && next !== '{') throw new Error(`Missing argument for \\${name}`)
    if (next === '{') {
      const inner = argText(context)
      return named + (arg ? delimited(open, inner, close, size, plain) : delimited('\\{', inner, '\\}', size))
    }
    const right = PAIRS[next]
    if (!right) return `${named}\\left${open}\\right${close}${size ?? ''}`
    context.popToken()
    return named + autoFenced(next, balanced(context, next, right), right, size)
  })
}

/** `\eval{…}_a^b` and `\eval(…|_a^b` (or `[…|`): a bar as tall as an integral sign on the right; `*` smashes the content. */
const evaluated: Macro = pasting((context) => {
  const smash = starred(context)
  context.consumeSpaces()
  const next = context.future().text
  let left: string
  let inner: string
  if (next === '{') {
    left = '.'
    inner = argText(context)
  } else if (next === '(' || next === '[') {
    context.popToken()
    left = next
    inner = balanced(context, '|', '|')
  } else {
    throw new Error('Missing argument for \\eval')
  }
  const content = `${smash ? `\\smash{${inner}}` : `{${inner}}`}\\vphantom{\\int}`
  return left === '.' ? `\\left.${content}\\right|` : autoFenced(left, content, '|')
})

/** `\comm{A}{B}` → [A,B] (and `\acomm`, `\pb` with braces): grown, at a `\big` size, or with `*` as they are. */
function commutator(open: string, close: string): Macro {
  return pasting((context) => {
    const plain = starred(context)
    const size = bigSize(context)
    context.consumeSpaces()
    if (context.future().text !== '{') throw new Error('Missing argument for the commutator')
    const a = argText(context)
    const b = argText(context)
    return delimited(open, `{${a}},{${b}}`, close, size, plain)
  })
}

/**
 * An operator applied to what follows (MathJax's OperatorApplication and VectorOperator): `(…)` or
 * `[…]` after it grown to fit when `fences` has that bracket, `{…}` shown in braces when it has `{`
 * and else read as a plain group.
 */
function applied(operator: string, fences: string): Macro {
  return pasting((context) => {
    context.consumeSpaces()
    const next = context.future().text
    if (next === '{') {
      const inner = argText(context)
      return fences.includes('{') ? `${operator}\\left\\{${inner}\\right\\}` : `${operator}{${inner}}`
    }
    if ((next === '(' || next === '[') && fences.includes(next)) {
      context.popToken()
      return operator + autoFenced(next, balanced(context, next, PAIRS[next]!), PAIRS[next]!)
    }
    return operator
  })
}

/**
 * A function name (MathJax's Expression): `\sin[2](x)`, its power in brackets (if `power`) and
 * parentheses after it grown to fit; KaTeX's own name is written as an operator name.
 */
function expression(name: string, power = true): Macro {
  return pasting((context) => {
    const exponent = power ? optionalArg(context) : null
    return `\\operatorname{${name}}${exponent === null ? '' : `^{${exponent}}`}${followingParentheses(context)}`
  })
}

/** `\qq{text}` and the package's words between quads (`\qif`, `\qand`): `*` drops the quad before. */
function quadText(text?: string): Macro {
  return pasting((context) => {
    const before = starred(context) ? '' : '\\quad'
    return `${before}\\text{${text ?? argText(context)}}\\quad `
  })
}

const DIFF_D = '{\\mathrm{d}}'

/**
 * `\dd x`, `\dd{x}` (an operator, spaced as one), `\dd[3]{x}`, `\dd(…)` (parentheses grown);
 * `\var` the same with δ.
 */
function differential(op: string): Macro {
  return pasting((context) => {
    const order = optionalArg(context)
    const power = order === null ? ' ' : `^{${order}}`
    context.consumeSpaces()
    const next = context.future().text
    if (next === '{') return `\\mathop{${op}${power}${argText(context)}}\\nolimits`
    if (next === '(') {
      context.popToken()
      return `${op}${power}${grownParentheses(context)}`
    }
    // (MathJax reads the next token as the argument; left where it is, it follows all the same.)
    return `${op}${power}`
  })
}

/**
 * `\dv{f}{x}`, `\dv[2]{f}{x}`, `\dv{x}`, `\pdv{f}{x}{y}` (mixed: up to `most` arguments), `*` inline
 * (a slash): MathJax's Derivative. Parentheses right after are grown to fit.
 */
function derivative(most: number, op: string): Macro {
  return pasting((context) => {
    const inline = starred(context)
    const order = optionalArg(context)
    const args = [argText(context)]
    for (let next = optionalGroup(context); next !== null; next = args.length < most ? optionalGroup(context) : null) {
      args.push(next)
    }
    let top = ' '
    let bottom = ' '
    if (most > 2 && args.length > 2) top = `^{${args.length - 1}}`
    else if (order !== null) top = bottom = `^{${order}}`
    const [f, x] = args.length > 1 ? [args[0]!, args[1]!] : ['', args[0]!]
    const rest = args
      .slice(2)
      .map((y) => `${op} ${y}`)
      .join('')
    const numerator = `${op}${top}${f}`
    const denominator = `${op} ${x}${bottom} ${rest}`
    const fraction = inline ? `\\left.{${numerator}}\\middle/{${denominator}}\\right.` : `\\frac{${numerator}}{${denominator}}`
    return fraction + followingParentheses(context)
  })
}

/** A `*` or two after the command: how many. */
function stars(context: MacroContext): number {
  let n = 0
  while (n < 2 && starred(context)) n++
  return n
}

/**
 * `\bra{a}`, and `\bra{a}\ket{b}` as one bracket ⟨a|b⟩ (MathJax reads the `\ket` that follows);
 * `*`: not grown.
 */
const bra: Macro = pasting((context) => {
  const plainBra = starred(context)
  const a = argText(context)
  context.consumeSpaces()
  if (context.future().text !== '\\ket') return plainBra ? `\\langle{${a}}\\vert` : `\\left\\langle{${a}}\\right\\vert`
  context.popToken()
  const plainKet = starred(context)
  const b = optionalGroup(context) ?? ''
  return plainBra || plainKet ? `\\langle{${a}}\\vert{${b}}\\rangle` : `\\left\\langle{${a}}\\middle\\vert{${b}}\\right\\rangle`
})

const ket: Macro = pasting((context) => {
  const plain = starred(context)
  const b = argText(context)
  return plain ? `\\vert{${b}}\\rangle` : `\\left\\vert{${b}}\\right\\rangle`
})

/** `\braket{a}{b}` → ⟨a|b⟩, `\braket{a}` → ⟨a|a⟩. */
const braket: Macro = pasting((context) => {
  const plain = starred(context)
  const a = argText(context)
  const b = optionalGroup(context) ?? a
  return plain ? `\\langle{${a}}\\vert{${b}}\\rangle` : `\\left\\langle{${a}}\\middle\\vert{${b}}\\right\\rangle`
})

/** `\ketbra{a}{b}` → |a⟩⟨b|, `\ketbra{a}` → |a⟩⟨a|. */
const ketbra: Macro = pasting((context) => {
  const plain = starred(context)
  const a = argText(context)
  const b = optionalGroup(context) ?? a
  return plain ? `\\vert{${a}}\\rangle\\!\\langle{${b}}\\vert` : `\\left\\vert{${a}}\\middle\\rangle\\!\\middle\\langle{${b}}\\right\\vert`
})

/** ⟨a|b|c⟩ as MathJax writes it: outer brackets grown (no star), all as they are (`*`), or all grown together (`**`). */
function sandwich(a: string, b: string, c: string, starCount: number): string {
  if (starCount === 2) return `\\left\\langle{${a}}\\middle\\vert{${b}}\\middle\\vert{${c}}\\right\\rangle`
  if (starCount === 1) return `\\langle{${a}}\\vert{${b}}\\vert{${c}}\\rangle`
  return `\\left\\langle{${a}}\\right\\vert{${b}}\\left\\vert{${c}}\\right\\rangle`
}

/** `\expval{A}` → ⟨A⟩, `\expval{A}{\psi}` → ⟨ψ|A|ψ⟩. */
const expectation: Macro = pasting((context) => {
  const n = stars(context)
  const a = argText(context)
  const psi = optionalGroup(context)
  if (psi && a) return sandwich(psi, a, psi, n)
  return n > 0 ? `\\langle{${a}}\\rangle` : `\\left\\langle{${a}}\\right\\rangle`
})

/** `\mel{m}{V}{n}` → ⟨m|V|n⟩. */
const matrixElement: Macro = pasting((context) => {
  const n = stars(context)
  const [a, b, c] = [argText(context), argText(context), argText(context)]
  return sandwich(a, b, c, n)
})

/**
 * `\mqty(…)`, `\mqty[…]`, `\mqty|…|`, `\mqty{…}` (no delimiters), `\mqty*(…)` (⟮…⟯); `small`: a
 * small matrix. With none of these after it, an empty pair of parentheses, as in MathJax.
 */
function matrixQuantity(small: boolean): Macro {
  return pasting((context) => {
    const plain = starred(context)
    context.consumeSpaces()
    const next = context.future().text
    const env = small ? 'smallmatrix' : 'matrix'
    let body = ''
    let [open, close] = ['(', ')']
    if (next === '{') {
      return `\\begin{${env}}${argText(context)}\\end{${env}}`
    } else if (next === '(' || next === '[' || next === '|') {
      context.popToken()
      body = balanced(context, next, PAIRS[next]!)
      ;[open, close] = next === '(' && plain ? ['\\lgroup', '\\rgroup'] : [next, PAIRS[next]!]
    }
    return `\\left${open}\\begin{${env}}${body}\\end{${env}}\\right${close}`
  })
}

/** A whole number from 1 to MAX_MATRIX (written as such), for a matrix's size. */
function matrixSize(text: string, exact: boolean): number {
  const n = Number.parseInt(text, 10)
  if (Number.isNaN(n) || (exact && String(n) !== text)) throw new Error('Invalid number')
  if (n > MAX_MATRIX) throw new Error(`A matrix of at most ${MAX_MATRIX} rows and columns`)
  return Math.max(n, 1)
}

/** `\imat{n}`: the rows of the n×n identity (inside `\mqty(…)`); 1 for n ≤ 1. */
const identityMatrix: Macro = (context) => {
  const n = matrixSize(argText(context).trim(), false)
  if (n === 1) return '1'
  return spend(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? '1' : '0')).join(' & ')).join('\\\\ '))
}

/** `\xmat{x}{n}{m}`: n rows of m x's; `\xmat*`: x with its indices (x_{11}, or x_1 … in one row or column). */
const xMatrix: Macro = pasting((context) => {
  const indexed = starred(context)
  const x = argText(context)
  const n = matrixSize(argText(context), true)
  const m = matrixSize(argText(context), true)
  const cell = (i: number, j: number) => {
    if (!indexed || (n === 1 && m === 1)) return x
    if (n === 1) return `${x}_{${j}}`
    if (m === 1) return `${x}_{${i}}`
    return `${x}_{{${i}}{${j}}}`
  }
  return Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => cell(i + 1, j + 1)).join(' & ')).join('\\\\ ')
})

/** `\pmat{0}` … `\pmat{3}` (or x, y, z): the rows of that Pauli matrix (inside `\mqty(…)`). */
const pauliMatrix: Macro = pasting((context) => {
  const arg = argText(context)
  const rows: Record<string, string> = {
    '0': ' 1 & 0\\\\ 0 & 1',
    '1': ' 0 & 1\\\\ 1 & 0',
    x: ' 0 & 1\\\\ 1 & 0',
    '2': ' 0 & -i\\\\ i & 0',
    y: ' 0 & -i\\\\ i & 0',
    '3': ' 1 & 0\\\\ 0 & -1',
    z: ' 1 & 0\\\\ 0 & -1',
  }
  return arg.slice(1) + (rows[arg.charAt(0)] ?? '')
})

/** Splits TeX at its commas outside braces. */
function commaList(tex: string): string[] {
  const items: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i]
    if (c === '\\') i++
    else if (c === '{') depth++
    else if (c === '}') depth--
    else if (c === ',' && depth === 0) {
      items.push(tex.slice(start, i))
      start = i + 1
    }
  }
  items.push(tex.slice(start))
  return items
}

/** `\dmat{a,b,c}`: the rows of a matrix with those on its diagonal (`\admat`: the other diagonal), each a `\mqty{…}` block. */
function diagonalMatrix(anti: boolean): Macro {
  return pasting((context) => {
    context.consumeSpaces()
    if (context.future().text !== '{') return ''
    const items = commaList(argText(context))
    if (items.length > MAX_MATRIX) throw new Error(`A matrix of at most ${MAX_MATRIX} rows and columns`)
    return items.map((item, i) => `${'&'.repeat(anti ? items.length - i - 1 : i)}\\mqty{${item}}`).join('\\\\ ')
  })
}

/** `\vb{a}` bold (upright; `*`: italic), and `\va`, `\vu` with an arrow or a hat over it. */
function vector(accent: string): Macro {
  return (context) => {
    const bold = starred(context) ? '\\boldsymbol' : '\\mathbf'
    return accent ? `${accent}{${bold}{#1}}` : `${bold}{#1}`
  }
}

const BOLD_NABLA = '{\\boldsymbol{\\nabla}}'

/** The trigonometric and other function names the package gives `[power]` and growing parentheses. */
const FUNCTIONS =
  'sin sinh arcsin asin cos cosh arccos acos tan tanh arctan atan csc csch arccsc acsc sec sech arcsec asec cot coth arccot acot log ln'
/** The words `\qif`, `\qthen` … put between quads. */
const QUAD_WORDS = 'if then else otherwise unless given using assume since let for all even odd integer and or as in'

const quantityMacro = quantity('qty')
const absMacro = quantity('abs', '|', '|', true)
const commMacro = commutator('[', ']')
const acommMacro = commutator('\\{', '\\}')
const vbMacro = vector('')
const vaMacro = vector('\\vec')
const vuMacro = vector('\\hat')
const gradMacro = applied(BOLD_NABLA, '([')
const divMacro = applied(`${BOLD_NABLA}\\mathbin{\\boldsymbol{\\cdot}}`, '([')
const curlMacro = applied(`${BOLD_NABLA}\\times`, '([')
const laplacianMacro = applied('\\nabla^2', '([')
const resMacro = applied('\\operatorname{Res}', '([{')
const pvMacro = applied('{\\mathcal{P}}', '')
const ddMacro = differential(DIFF_D)
const varMacro = differential('\\delta')
const dvMacro = derivative(2, DIFF_D)
const pdvMacro = derivative(3, '\\partial')
const fdvMacro = derivative(2, '\\delta')
const mqtyMacro = matrixQuantity(false)
const smqtyMacro = matrixQuantity(true)
const trMacro = expression('tr', false)
const TrMacro = expression('Tr', false)

/** The physics package's commands, by name (all of them, with their long names). */
export const PHYSICS: Record<string, Macro> = {
  '\\quantity': quantityMacro,
  '\\qty': quantityMacro,
  '\\pqty': quantity('pqty', '(', ')', true),
  '\\bqty': quantity('bqty', '[', ']', true),
  '\\vqty': quantity('vqty', '|', '|', true),
  '\\Bqty': quantity('Bqty', '\\{', '\\}', true),
  '\\absolutevalue': absMacro,
  '\\abs': absMacro,
  '\\norm': quantity('norm', '\\|', '\\|', true),
  '\\order': quantity('order', '(', ')', true, '\\mathcal{O}'),
  '\\evaluated': evaluated,
  '\\eval': evaluated,
  '\\commutator': commMacro,
  '\\comm': commMacro,
  '\\anticommutator': acommMacro,
  '\\acomm': acommMacro,
  '\\poissonbracket': acommMacro,
  '\\pb': acommMacro,

  '\\dotproduct': '\\mathbin{\\boldsymbol{\\cdot}}',
  '\\vdot': '\\mathbin{\\boldsymbol{\\cdot}}',
  '\\crossproduct': '\\times',
  '\\cross': '\\times',
  '\\cp': '\\times',
  '\\gradientnabla': BOLD_NABLA,
  '\\real': '\\mathrm{\\char"211C}',
  '\\imaginary': '\\mathrm{\\char"2111}',
  '\\vnabla': BOLD_NABLA,
  '\\vectorbold': vbMacro,
  '\\vb': vbMacro,
  '\\vectorarrow': vaMacro,
  '\\va': vaMacro,
  '\\vectorunit': vuMacro,
  '\\vu': vuMacro,
  '\\gradient': gradMacro,
  '\\grad': gradMacro,
  '\\divergence': divMacro,
  '\\div': divMacro,
  '\\curl': curlMacro,
  '\\laplacian': laplacianMacro,

  ...Object.fromEntries(FUNCTIONS.split(' ').map((name) => [`\\${name}`, expression(name)])),
  '\\exp': expression('exp', false),
  '\\det': expression('det', false),
  '\\Pr': expression('Pr', false),
  '\\tr': trMacro,
  '\\trace': trMacro,
  '\\Tr': TrMacro,
  '\\Trace': TrMacro,
  '\\rank': '\\operatorname{rank}',
  '\\erf': expression('erf', false),
  '\\Residue': '\\operatorname{Res}',
  '\\Res': resMacro,
  '\\principalvalue': pvMacro,
  '\\pv': pvMacro,
  '\\PV': applied('{\\mathrm{P.V.}}', ''),
  '\\Re': applied('\\operatorname{Re}', '{'),
  '\\Im': applied('\\operatorname{Im}', '{'),
  ...Object.fromEntries(Object.entries(FUNCTION_NAMES).map(([long, name]) => [`\\${long}`, `\\operatorname{${name}}`])),

  '\\qqtext': quadText(),
  '\\qq': quadText(),
  '\\qcomma': '\\text{,}\\quad ',
  '\\qc': '\\text{,}\\quad ',
  '\\qcc': quadText('c.c.'),
  ...Object.fromEntries(QUAD_WORDS.split(' ').map((word) => [`\\q${word}`, quadText(word)])),

  '\\diffd': DIFF_D,
  '\\flatfrac': '\\left.{#1}\\middle/{#2}\\right.',
  '\\differential': ddMacro,
  '\\dd': ddMacro,
  '\\variation': varMacro,
  '\\var': varMacro,
  '\\derivative': dvMacro,
  '\\dv': dvMacro,
  '\\partialderivative': pdvMacro,
  '\\pderivative': pdvMacro,
  '\\pdv': pdvMacro,
  '\\functionalderivative': fdvMacro,
  '\\fderivative': fdvMacro,
  '\\fdv': fdvMacro,

  '\\bra': bra,
  '\\ket': ket,
  '\\innerproduct': braket,
  '\\ip': braket,
  '\\braket': braket,
  '\\outerproduct': ketbra,
  '\\dyad': ketbra,
  '\\ketbra': ketbra,
  '\\op': ketbra,
  '\\expectationvalue': expectation,
  '\\expval': expectation,
  '\\ev': expectation,
  '\\matrixelement': matrixElement,
  '\\matrixel': matrixElement,
  '\\mel': matrixElement,

  '\\matrixquantity': mqtyMacro,
  '\\mqty': mqtyMacro,
  '\\pmqty': '\\mqty(#1)',
  '\\Pmqty': '\\mqty*(#1)',
  '\\bmqty': '\\mqty[#1]',
  '\\vmqty': '\\mqty|#1|',
  '\\smallmatrixquantity': smqtyMacro,
  '\\smqty': smqtyMacro,
  '\\spmqty': '\\smqty(#1)',
  '\\sPmqty': '\\smqty*(#1)',
  '\\sbmqty': '\\smqty[#1]',
  '\\svmqty': '\\smqty|#1|',
  '\\matrixdeterminant': '\\vmqty{#1}',
  '\\mdet': '\\vmqty{#1}',
  '\\smdet': '\\svmqty{#1}',
  '\\identitymatrix': identityMatrix,
  '\\imat': identityMatrix,
  '\\xmatrix': xMatrix,
  '\\xmat': xMatrix,
  '\\zeromatrix': '\\xmat{0}{#1}{#2}',
  '\\zmat': '\\xmat{0}{#1}{#2}',
  '\\paulimatrix': pauliMatrix,
  '\\pmat': pauliMatrix,
  '\\diagonalmatrix': diagonalMatrix(false),
  '\\dmat': diagonalMatrix(false),
  '\\antidiagonalmatrix': diagonalMatrix(true),
  '\\admat': diagonalMatrix(true),
}
