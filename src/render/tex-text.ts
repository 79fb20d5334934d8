/**
 * TeX in plain text (a post's `description`, whose formulas are their TeX source) made readable for
 * meta descriptions, link previews and feed summaries: `$…$` delimiters dropped, `\alpha` → α,
 * `\le` → ≤, `\frac{a+b}{n}` → (a+b)/n, `\sqrt{x}` → √x, `x^2` → x², `x_1` → x₁, `\text{…}` and
 * the like keep their argument, unknown commands are dropped (their arguments stay); mhchem's
 * `\ce{SO4^2- -> …}` → SO₄²⁻ → … and `\pu{8.314 J K-1 mol-1}` → 8.314 J K⁻¹ mol⁻¹. Not a TeX
 * interpreter: a description only needs to read well.
 */

import { own } from '../lib/own'
import { bracketGroup, empheqOptions } from './equations'
import { KATEX_SYMBOLS } from './katex-symbols'
import { inlineDollarEnd } from './math-syntax'

export const SYMBOLS: Record<string, string> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ϵ',
  varepsilon: 'ε',
  zeta: 'ζ',
  eta: 'η',
  theta: 'θ',
  vartheta: 'ϑ',
  iota: 'ι',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  omicron: 'ο',
  pi: 'π',
  varpi: 'ϖ',
  rho: 'ρ',
  varrho: 'ϱ',
  sigma: 'σ',
  varsigma: 'ς',
  tau: 'τ',
  upsilon: 'υ',
  phi: 'ϕ',
  varphi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Gamma: 'Γ',
  Delta: 'Δ',
  Theta: 'Θ',
  Lambda: 'Λ',
  Xi: 'Ξ',
  Pi: 'Π',
  Sigma: 'Σ',
  Upsilon: 'Υ',
  Phi: 'Φ',
  Psi: 'Ψ',
  Omega: 'Ω',
  le: '≤',
  leq: '≤',
  ge: '≥',
  geq: '≥',
  ne: '≠',
  neq: '≠',
  approx: '≈',
  sim: '∼',
  simeq: '≃',
  cong: '≅',
  equiv: '≡',
  propto: '∝',
  ll: '≪',
  gg: '≫',
  to: '→',
  rightarrow: '→',
  leftarrow: '←',
  gets: '←',
  Rightarrow: '⇒',
  Leftarrow: '⇐',
  implies: '⇒',
  Leftrightarrow: '⇔',
  iff: '⇔',
  leftrightarrow: '↔',
  mapsto: '↦',
  longrightarrow: '⟶',
  in: '∈',
  notin: '∉',
  ni: '∋',
  subset: '⊂',
  subseteq: '⊆',
  supset: '⊃',
  supseteq: '⊇',
  cup: '∪',
  cap: '∩',
  setminus: '∖',
  emptyset: '∅',
  varnothing: '∅',
  infty: '∞',
  partial: '∂',
  nabla: '∇',
  sum: '∑',
  prod: '∏',
  int: '∫',
  iint: '∬',
  oint: '∮',
  cdot: '·',
  times: '×',
  div: '÷',
  pm: '±',
  mp: '∓',
  ast: '∗',
  star: '⋆',
  circ: '∘',
  bullet: '•',
  oplus: '⊕',
  otimes: '⊗',
  cdots: '⋯',
  ldots: '…',
  dots: '…',
  vdots: '⋮',
  ddots: '⋱',
  forall: '∀',
  exists: '∃',
  neg: '¬',
  lnot: '¬',
  land: '∧',
  wedge: '∧',
  lor: '∨',
  vee: '∨',
  ell: 'ℓ',
  hbar: 'ℏ',
  Re: 'ℜ',
  Im: 'ℑ',
  aleph: 'ℵ',
  langle: '⟨',
  rangle: '⟩',
  lfloor: '⌊',
  rfloor: '⌋',
  lceil: '⌈',
  rceil: '⌉',
  mid: '|',
  vert: '|',
  lvert: '|',
  rvert: '|',
  Vert: '‖',
  lVert: '‖',
  rVert: '‖',
  prime: '′',
  perp: '⊥',
  parallel: '∥',
  angle: '∠',
  triangle: '△',
  square: '□',
  checkmark: '✓',
  dagger: '†',
  top: '⊤',
  bot: '⊥',
  lbrace: '{',
  rbrace: '}',
  backslash: '\\',
  quad: ' ',
  qquad: ' ',
  colon: ':',
  iiint: '∭',
  iiiint: '⨌',
  degree: '°',
  // gensymb's.
  celsius: '°C',
  ohm: 'Ω',
  micro: 'µ',
  perthousand: '‰',
  // MathJax's delimiters and mhchem's and mathtools' symbols.
  empheqlbrace: '{',
  empheqrbrace: '}',
  empheqlbrack: '[',
  empheqrbrack: ']',
  empheqlangle: '⟨',
  empheqrangle: '⟩',
  empheqlparen: '(',
  empheqrparen: ')',
  empheqlvert: '|',
  empheqrvert: '|',
  empheqlVert: '‖',
  empheqrVert: '‖',
  arrowvert: '|',
  Arrowvert: '‖',
  bracevert: '|',
  longrightleftharpoons: '⇌',
  longRightleftharpoons: '⇌',
  longLeftrightharpoons: '⇌',
  longleftrightarrows: '⇄',
  centercolon: ':',
  nuparrow: '↑\u0338',
  ndownarrow: '↓\u0338',
  bigtimes: '×',
  // The physics package's (after \require{physics}).
  grad: '∇',
  vnabla: '∇',
  gradientnabla: '∇',
  curl: '∇×',
  laplacian: '∇²',
  cross: '×',
  cp: '×',
  vdot: '·',
  divergence: '∇·',
  real: 'ℜ',
  imaginary: 'ℑ',
  diffd: 'd',
  pv: '𝒫',
  PV: 'P.V.',
  qc: ', ',
  qcc: ' c.c. ',
  ...Object.fromEntries(
    'if then else otherwise unless given using assume since let for all even odd integer and or as in'
      .split(' ')
      .map((w) => [`q${w}`, ` ${w} `]),
  ),
}

/** Operator names written as words. */
const WORDS = new Set(
  'log ln lg exp sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth sech csch asin acos atan acot asec acsc arccot arcsec arccsc max min sup inf lim limsup liminf det dim ker arg deg gcd Pr mod bmod tr Tr rank erf Res'.split(
    ' ',
  ),
)

/** The commands of KEEP_ARG whose argument is text, not math. */
const TEXT_MODE = /^(?:text[a-z]*|mbox|hbox|emph|(?:short)?intertext)$/
/** Commands that show their (last) argument: fonts, text, accents. */
const KEEP_ARG = new Set(
  'text textrm textbf textit textsf texttt mathrm mathbf mathit mathbb mathcal mathfrak mathsf mathtt mathscr boldsymbol bm operatorname operatorname* emph mbox hbox intertext shortintertext mathop overline underline overbrace underbrace widehat widetilde overrightarrow boxed pmb vb va vu underparen'.split(
    ' ',
  ),
)

/** Accents on one letter: a combining mark; on more, just the argument. */
const ACCENTS: Record<string, string> = { hat: '\u0302', bar: '\u0304', vec: '\u20d7', tilde: '\u0303', dot: '\u0307', ddot: '\u0308' }

/** The part of KaTeX katexShown uses (the tests and scripts/gen-katex-symbols.ts pass KaTeX itself). */
interface Katex {
  renderToString(tex: string, options: { output: 'mathml'; throwOnError: boolean; strict: 'ignore' }): string
}

/**
 * What KaTeX shows for a command alone, when it is a symbol (`\succ` → ≻, `\lt` → <): read from
 * its MathML; '' for anything else (a command that needs an argument, a spacing or style command,
 * an unknown name). How scripts/gen-katex-symbols.ts makes KATEX_SYMBOLS.
 */
export function katexShown(katex: Katex, name: string): string {
  try {
    const shown = katex
      .renderToString(`\\${name}`, { output: 'mathml', throwOnError: true, strict: 'ignore' })
      .replace(/<annotation[\s\S]*?<\/annotation>/g, '')
      .replace(/<mphantom>[\s\S]*?<\/mphantom>/g, '')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/\s+/g, '')
    return [...shown].length <= 8 ? shown : ''
  } catch {
    return ''
  }
}

/** Commands dropped with their argument(s). */
const DROP_ARGS: Record<string, number> = {
  label: 1,
  eqref: 1,
  refeq: 1,
  ref: 1,
  color: 1,
  end: 1,
  hspace: 1,
  vspace: 1,
  phantom: 1,
  newcommand: 2,
  renewcommand: 2,
  require: 1,
  DeclareMathOperator: 2,
  'DeclareMathOperator*': 2,
  mspace: 1,
  skew: 1,
  Rule: 3,
  Space: 3,
  definecolor: 3,
  newenvironment: 3,
  renewenvironment: 3,
  DeclarePairedDelimiter: 3,
  uproot: 1,
  leftroot: 1,
  xmathstrut: 1,
  newtagform: 3,
  renewtagform: 3,
  usetagform: 1,
  mathtoolsset: 1,
  colorbox: 1,
  fcolorbox: 2,
  rowcolor: 1,
  cellcolor: 1,
  columncolor: 1,
}

/**
 * The character MathJax's `\unicode{…}` names: decimal (`8800`) or hex with a prefix (`x2260`,
 * `0x2260`, `U+2260`); U+FFFD for anything that is not a printable character.
 */
export function unicodeChar(text: string): string {
  const t = text.trim()
  const hex = /^(?:x|0x|U\+|#x)([0-9A-Fa-f]{1,6})$/i.exec(t)
  const code = /^\d{1,7}$/.test(t) ? Number(t) : hex ? parseInt(hex[1]!, 16) : NaN
  // Not a control character (C0, DEL, C1), a lone surrogate or a non-character (U+FDD0…, U+xFFFE/F):
  // none of them may reach a page or a description.
  const character =
    Number.isInteger(code) &&
    code >= 0x20 &&
    code <= 0x10ffff &&
    !(code >= 0x7f && code <= 0x9f) &&
    !(code >= 0xd800 && code <= 0xdfff) &&
    !(code >= 0xfdd0 && code <= 0xfdef) &&
    (code & 0xfffe) !== 0xfffe
  return character ? String.fromCodePoint(code) : '\ufffd'
}

/**
 * The physics package's long names of functions, and the names they stand for (`\sine` is `\sin`):
 * here, not in physics.ts, so that plain text (on a reader's way) does not load the package's macros.
 */
export const FUNCTION_NAMES: Record<string, string> = {
  sine: 'sin',
  hypsine: 'sinh',
  arcsine: 'arcsin',
  asine: 'asin',
  cosine: 'cos',
  hypcosine: 'cosh',
  arccosine: 'arccos',
  acosine: 'acos',
  tangent: 'tan',
  hyptangent: 'tanh',
  arctangent: 'arctan',
  atangent: 'atan',
  cosecant: 'csc',
  hypcosecant: 'csch',
  arccosecant: 'arccsc',
  acosecant: 'acsc',
  secant: 'sec',
  hypsecant: 'sech',
  arcsecant: 'arcsec',
  asecant: 'asec',
  cotangent: 'cot',
  hypcotangent: 'coth',
  arccotangent: 'arccot',
  acotangent: 'acot',
  exponential: 'exp',
  logarithm: 'log',
  naturallogarithm: 'ln',
  determinant: 'det',
  Probability: 'Pr',
}

/**
 * The physics package's long names and other spellings of its commands, by the short name they are
 * read as here (\absolutevalue is \abs, \derivative \dv, \sine \sin: FUNCTION_NAMES).
 */
const PHYSICS_NAMES: Record<string, string> = {
  quantity: 'qty',
  absolutevalue: 'abs',
  evaluated: 'eval',
  commutator: 'comm',
  anticommutator: 'acomm',
  poissonbracket: 'acomm',
  pb: 'acomm',
  dotproduct: 'vdot',
  crossproduct: 'cross',
  vectorbold: 'vb',
  vectorarrow: 'va',
  vectorunit: 'vu',
  gradient: 'grad',
  trace: 'tr',
  Trace: 'Tr',
  Residue: 'Res',
  principalvalue: 'pv',
  ...FUNCTION_NAMES,
  qqtext: 'qq',
  qcomma: 'qc',
  differential: 'dd',
  variation: 'var',
  derivative: 'dv',
  partialderivative: 'pdv',
  pderivative: 'pdv',
  functionalderivative: 'fdv',
  fderivative: 'fdv',
  innerproduct: 'braket',
  ip: 'braket',
  outerproduct: 'ketbra',
  dyad: 'ketbra',
  op: 'ketbra',
  expectationvalue: 'expval',
  ev: 'expval',
  matrixelement: 'mel',
  matrixel: 'mel',
  matrixquantity: 'mqty',
  smallmatrixquantity: 'smqty',
  matrixdeterminant: 'mdet',
}

/** A command's name as read here: the physics package's other spellings as their short name (a star kept). */
function physicsName(name: string): string {
  const star = name.endsWith('*') ? '*' : ''
  const base = star ? name.slice(0, -1) : name
  const short = own(PHYSICS_NAMES, base)
  return short === undefined ? name : short + star
}

/**
 * Text written a second time (the ψ of ⟨ψ|H|ψ⟩): as it is up to 100 characters, else an ellipsis,
 * so that such brackets nested in each other cannot double the text at every level.
 */
function again(text: string): string {
  return text.length > 100 ? '…' : text
}

/**
 * The physics package's commands read here by hand, from `i` (after the name): \ketbra{a}{b} →
 * |a⟩⟨b|, \eval{x}_0^1 → x|₀¹, \dd[2]{x} → d²x, \imat{2} → I, \pmat{1} → σ₁,
 * \dmat{a,b} → diag(a, b). The text and the index after what was read.
 */
function physicsText(name: string, s: string, i: number): [string, number] {
  i = skipSizes(s, i)
  if (name === 'dd' || name === 'var') {
    const [order, at] = optional(s, i)
    return [`${name === 'dd' ? 'd' : 'δ'}${order === '' ? '' : (mapAll(order, SUPER) ?? `^${order}`)}`, at]
  }
  const [args, j] = groups(s, i, name === 'ketbra' ? 2 : 1)
  const [a = '', b = again(a)] = args
  if (name === 'ketbra') return [`|${a}⟩⟨${b}|`, j]
  if (name === 'eval') return [`${a}|`, j]
  if (name === 'imat') return ['I', j]
  if (name === 'pmat')
    return [
      `σ${
        mapAll(
          a.replace(/^[xyz]/, (c) => String(' xyz'.indexOf(c))),
          SUB,
        ) ?? a
      }`,
      j,
    ]
  return [`${name === 'dmat' ? 'diag' : 'antidiag'}(${a.split(',').join(', ')})`, j]
}

/** The physics package's commands that take a size or a second star before their arguments. */
const PHYSICS_BRACKET = /^(?:[pbvB]?qty|abs|norm|order|comm|acomm|expval|mel)\*?$/

/** Past `*` and `\big` … `\Bigg` at `i` (and the spaces between). */
function skipSizes(s: string, i: number): number {
  for (;;) {
    const m = /^\s*(?:\*|\\[bB]igg?(?![A-Za-z]))/.exec(s.slice(i, i + 8))
    if (!m) return i
    i += m[0].length
  }
}

/** Commands shown as brackets around their arguments: left, separator, right, most arguments. */
const BRACKETS: Record<string, [string, string, string, number]> = {
  pqty: ['(', '', ')', 1],
  bqty: ['[', '', ']', 1],
  vqty: ['|', '', '|', 1],
  Bqty: ['{', '', '}', 1],
  order: ['O(', '', ')', 1],
  pmqty: ['(', '', ')', 1],
  Pmqty: ['(', '', ')', 1],
  bmqty: ['[', '', ']', 1],
  vmqty: ['|', '', '|', 1],
  spmqty: ['(', '', ')', 1],
  sPmqty: ['(', '', ')', 1],
  sbmqty: ['[', '', ']', 1],
  svmqty: ['|', '', '|', 1],
  mdet: ['|', '', '|', 1],
  smdet: ['|', '', '|', 1],
  flatfrac: ['', '/', '', 2],
  qq: [' ', '', ' ', 1],
  abs: ['|', '', '|', 1],
  norm: ['‖', '', '‖', 1],
  bra: ['⟨', '', '|', 1],
  ket: ['|', '', '⟩', 1],
  braket: ['⟨', '|', '⟩', 2],
  ip: ['⟨', '|', '⟩', 2],
  mel: ['⟨', '|', '⟩', 3],
  matrixel: ['⟨', '|', '⟩', 3],
  Ketbra: ['|', '⟩⟨', '|', 2],
  comm: ['[', ', ', ']', 2],
  acomm: ['{', ', ', '}', 2],
}

/** A relation and its negation, as MathJax draws `\not` before it (others get U+0338, a long solidus overlay). */
const NEGATED: Record<string, string> = {
  '=': '≠',
  '<': '≮',
  '>': '≯',
  '≤': '≰',
  '≥': '≱',
  '∈': '∉',
  '∋': '∌',
  '≡': '≢',
  '∼': '≁',
  '~': '≁',
  '≃': '≄',
  '≅': '≇',
  '≈': '≉',
  '⊂': '⊄',
  '⊃': '⊅',
  '⊆': '⊈',
  '⊇': '⊉',
  '≺': '⊀',
  '≻': '⊁',
  '→': '↛',
  '←': '↚',
  '↔': '↮',
  '⇒': '⇏',
  '⇐': '⇍',
  '⇔': '⇎',
  '|': '∤',
  '∣': '∤',
  '∥': '∦',
  '∃': '∄',
  '⊢': '⊬',
  '⊨': '⊭',
}

/** Commands that take `[…]` options first, which are not shown (their argument is, as for any command). */
const OPTIONS_FIRST = new Set([
  'framebox',
  'MoveEqLeft',
  'cramped',
  'smashoperator',
  'underbracket',
  'overbracket',
  'crampedllap',
  'crampedrlap',
  'crampedclap',
  'mathmakebox',
])

/** MathJax's commands whose first argument is not shown (a class, an id, a style, a notation). */
const DROP_FIRST = new Set(['class', 'cssId', 'style', 'enclose'])

const SUPER: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '+': '⁺',
  '-': '⁻',
  '=': '⁼',
  '(': '⁽',
  ')': '⁾',
  n: 'ⁿ',
  i: 'ⁱ',
  T: 'ᵀ',
  '⊤': 'ᵀ',
}
const SUB: Record<string, string> = {
  '0': '₀',
  '1': '₁',
  '2': '₂',
  '3': '₃',
  '4': '₄',
  '5': '₅',
  '6': '₆',
  '7': '₇',
  '8': '₈',
  '9': '₉',
  '+': '₊',
  '-': '₋',
  '=': '₌',
  '(': '₍',
  ')': '₎',
}

const ESCAPED = new Set(['{', '}', '%', '$', '&', '#', '_', '|'])

/** The group at `i` (`s[i]` is `{`): its inside and the index after its closing brace. */
function group(s: string, i: number): [string, number] {
  let depth = 0
  for (let j = i; j < s.length; j++) {
    const ch = s[j]
    if (ch === '\\') j++
    else if (ch === '{') depth++
    else if (ch === '}' && --depth === 0) return [s.slice(i + 1, j), j + 1]
  }
  return [s.slice(i + 1), s.length]
}

/** One argument at `i` (spaces skipped): a group, a command or one character. */
function argument(s: string, i: number): [string, number] {
  while (s[i] === ' ') i++
  if (i >= s.length) return ['', i]
  if (s[i] === '{') return group(s, i)
  if (s[i] === '\\') {
    const m = /^\\(?:[A-Za-z]+|.)/.exec(s.slice(i, i + 40))
    const len = m ? m[0].length : 1
    return [s.slice(i, i + len), i + len]
  }
  const cp = s.codePointAt(i)!
  const len = cp > 0xffff ? 2 : 1
  return [s.slice(i, i + len), i + len]
}

/** An optional `[…]` argument at `i`, as text (empty when there is none), and the index after it. */
function optional(s: string, i: number): [string, number] {
  if (s[i] !== '[') return ['', i]
  const close = s.indexOf(']', i)
  return close < 0 ? ['', i + 1] : [convert(s.slice(i + 1, close)).trim(), close + 1]
}

/** The argument at `i` and up to `most - 1` more while a `{` follows, as text, and the index after them. */
function groups(s: string, i: number, most: number): [string[], number] {
  const out: string[] = []
  for (let n = 0; n < most && (n === 0 || s[i] === '{'); n++) {
    const [a, j] = argument(s, i)
    out.push(convert(a).trim())
    i = j
  }
  return [out, i]
}

/** The index after any `[…]` options at `i`. */
function skipOptions(s: string, i: number): number {
  while (s[i] === '[') {
    const close = s.indexOf(']', i)
    i = close < 0 ? s.length : close + 1
  }
  return i
}

/** `(a+b)` for a compound; one symbol, a number or (unless `strict`) a word as it is. */
function wrap(text: string, strict = false): string {
  const t = text.trim()
  if ([...t].length <= 1 || /^\d+(?:\.\d+)?$/.test(t) || /^\(.*\)$/.test(t)) return t
  return !strict && /^[\p{L}\p{N}.′]*$/u.test(t) ? t : `(${t})`
}

function mapAll(text: string, table: Record<string, string>): string | null {
  let out = ''
  for (const ch of text) {
    const m = own(table, ch)
    if (m === undefined) return null
    out += m
  }
  return out
}

/** A root as text: `index` (as text, '' for a square root) and the radicand (TeX): √x, ∛(x+1), ⁵√x. */
function radical(index: string, radicand: string): string {
  return `${index === '3' ? '∛' : index === '4' ? '∜' : (mapAll(index, SUPER) ?? index) + '√'}${wrap(convert(radicand), true)}`
}

/** The Greek letter an upgreek command names: \upmu → mu, \Upomega → Omega. */
function upgreekName(name: string): string {
  return name[0] === 'U' ? name[2]!.toUpperCase() + name.slice(3) : name.slice(2)
}

function convert(s: string): string {
  let out = ''
  let i = 0
  while (i < s.length) {
    const ch = s[i]!
    if (ch === '\\') {
      const m = /^\\([A-Za-z]+\*?|.)/.exec(s.slice(i, i + 40))
      if (!m) {
        i++
        continue
      }
      i += m[0].length
      const name = physicsName(m[1]!)
      if (PHYSICS_BRACKET.test(name)) {
        // The physics package's sizes and extra stars (\abs\big{x}, \expval**{H}{ψ}) are not shown.
        i = skipSizes(s, i)
      }
      if (name === '\\' || name === ',' || name === ';' || name === ':' || name === ' ' || name === '>' || name === 'cr') {
        out += ' '
      } else if (name === '!') {
        // Negative space.
      } else if (ESCAPED.has(name)) {
        out += name
      } else if (own(SYMBOLS, name) !== undefined) {
        out += SYMBOLS[name]
      } else if (/^[Uu]p[a-z]{2,}$/.test(name) && own(SYMBOLS, upgreekName(name)) !== undefined) {
        // upgreek's \upmu, \Upomega: the letter.
        out += SYMBOLS[upgreekName(name)]
      } else if (WORDS.has(name)) {
        out += name + (/^[\p{L}\\]/u.test(s[i] ?? '') ? ' ' : '')
      } else if (name === 'frac' || name === 'dfrac' || name === 'tfrac' || name === 'cfrac') {
        const [a, j] = argument(s, i)
        const [b, k] = argument(s, j)
        out += `${wrap(convert(a))}/${wrap(convert(b))}`
        i = k
      } else if (name === 'binom' || name === 'dbinom' || name === 'tbinom') {
        const [a, j] = argument(s, i)
        const [b, k] = argument(s, j)
        out += `C(${convert(a).trim()}, ${convert(b).trim()})`
        i = k
      } else if (name === 'sqrt') {
        const [index, at] = optional(s, i)
        const [a, j] = argument(s, at)
        out += radical(index, a)
        i = j
      } else if (own(ACCENTS, name) !== undefined) {
        const [a, j] = argument(s, i)
        const inner = convert(a).trim()
        out += [...inner].length === 1 ? inner + ACCENTS[name] : inner
        i = j
      } else if (name === 'textcolor') {
        const [, j] = argument(s, skipOptions(s, i))
        const [a, k] = argument(s, j)
        out += convert(a)
        i = k
      } else if (name === 'tag' || name === 'tag*') {
        const [a, j] = argument(s, i)
        out += ` (${convert(a).trim()})`
        i = j
      } else if (name === 'begin') {
        // The environment's name is not shown, nor an array's column spec or alignat's column count.
        const [env, j] = argument(s, i)
        const name = env.trim()
        i = /^(?:d?array|subarray|alignat\*?|alignedat|x?xalignat\*?)$/.test(name) ? argument(s, j)[1] : j
        // empheq's options and inner environment: its side material shown first (`L = {`).
        if (name === 'empheq') {
          const options = bracketGroup(s, i)
          i = argument(s, options ? options.end : i)[1]
          out += convert((options && empheqOptions(options.content)?.left) ?? '')
        }
      } else if (own(DROP_ARGS, name) !== undefined) {
        // (An option before an argument, as in \color[rgb]{1,0,0} or \newcommand{\f}[1]{…}, goes with it.)
        for (let n = 0; n < DROP_ARGS[name]!; n++) i = argument(s, skipOptions(s, i))[1]
      } else if (name === 'not' || name === 'centernot') {
        // \not= → ≠, \not\in → ∉, \centernot\implies → ⇏: the next symbol negated (never dropped, which would say the opposite).
        while (s[i] === ' ') i++
        let symbol: string
        if (s[i] === '{') {
          const [a, j] = group(s, i)
          symbol = convert(a).trim()
          i = j
        } else {
          const next = /^\\(?:[A-Za-z]+|.)|^./u.exec(s.slice(i, i + 40))?.[0] ?? ''
          symbol = next === '~' ? '~' : convert(next).trim()
          i += next.length
        }
        out += own(NEGATED, symbol) ?? (symbol === '' ? '' : `${symbol}\u0338`)
      } else if (OPTIONS_FIRST.has(name)) {
        i = skipOptions(s, i)
      } else if (name === 'left' || name === 'right' || /^[bB]igg?[lrm]?$/.test(name)) {
        if (s[i] === '.') i++
      } else if (DROP_FIRST.has(name)) {
        i = skipOptions(s, argument(s, i)[1])
      } else if (name === 'bbox' || name === 'unicode') {
        // Their [options] are not shown; \unicode{x2260} is its character.
        i = skipOptions(s, i)
        if (name === 'unicode') {
          const [a, j] = argument(s, i)
          out += unicodeChar(a)
          i = j
        }
      } else if (/^(?:expval|ev)\*?$/.test(name)) {
        // \expval{H} → ⟨H⟩, \expval{H}{\psi} → ⟨ψ|H|ψ⟩.
        const [[a, psi], j] = groups(s, i, 2)
        out += psi === undefined ? `⟨${a}⟩` : `⟨${psi}|${a}|${again(psi!)}⟩`
        i = j
      } else if (own(BRACKETS, name.replace(/\*$/, '')) !== undefined) {
        // \abs{x} → |x|, \braket{a}{b} → ⟨a|b⟩, \mel{a}{H}{b} → ⟨a|H|b⟩ (an optional last argument only when given).
        const [left, between, right, count] = BRACKETS[name.replace(/\*$/, '')]!
        const [args, j] = groups(s, i, count)
        out += left + args.join(between) + right
        i = j
      } else if (/^(?:ketbra|eval|dd|var|[id]mat|admat|pmat)\*?$/.test(name)) {
        const [text, j] = physicsText(name.replace(/\*$/, ''), s, i)
        out += text
        i = j
      } else if (/^[pf]?dv\*?$/.test(name)) {
        // \dv{f}{x} → df/dx, \pdv[2]{f}{x} → ∂²f/∂x², \pdv{f}{x}{y} → ∂²f/∂x∂y.
        const d = name.startsWith('pdv') ? '∂' : name.startsWith('fdv') ? 'δ' : 'd'
        const [order, at] = optional(s, i)
        const [args, j] = groups(s, at, 3)
        i = j
        const [f, xs] = args.length === 1 ? ['', args] : [args[0]!, args.slice(1)]
        const n = order || (xs.length > 1 ? String(xs.length) : '')
        const power = (x: string) => (x === '' ? '' : (mapAll(x, SUPER) ?? `^${x}`))
        out += `${d}${power(n)}${f}/${xs.map((x) => `${d}${x}${xs.length === 1 ? power(order) : ''}`).join('')}`
      } else if (name === 'ce' || name === 'pu') {
        const [a, j] = argument(s, i)
        out += name === 'ce' ? chemText(a) : unitText(a)
        i = j
      } else if (name === 'raise' || name === 'lower' || name === 'moveleft' || name === 'moveright') {
        // \raise{.5em}{x}, \lower 2pt x, \moveright 1em \hbox{x}: the dimension is not shown.
        while (s[i] === ' ') i++
        i = s[i] === '{' ? group(s, i)[1] : i + (/^[-+]?[\d.,]*\s*(?:[a-z]{2})?/.exec(s.slice(i))?.[0].length ?? 0)
      } else if (name === 'root') {
        // \root 3 \of x → ∛x (plain TeX's \sqrt[3]{x}).
        const of = s.indexOf('\\of', i)
        const index = of < 0 ? '' : convert(s.slice(i, of)).trim()
        const [a, j] = argument(s, of < 0 ? i : of + 3)
        out += radical(index, a)
        i = j
      } else if (name === 'cancelto') {
        // \cancelto{0}{x}: x, struck, goes to 0.
        const [value, j] = argument(s, i)
        const [term, k] = argument(s, j)
        out += `${convert(term).trim()}→${convert(value).trim()}`
        i = k
      } else if (name === 'mathtip' || name === 'texttip' || name === 'toggle') {
        // The formula shown; a tip, or a toggle's other states, are not.
        const [a, j] = argument(s, i)
        out += convert(a)
        i = j
        if (name === 'toggle') {
          const end = s.indexOf('\\endtoggle', i)
          i = end < 0 ? s.length : end + '\\endtoggle'.length
        } else {
          i = argument(s, i)[1]
        }
      } else if (name === 'overparen') {
        // An arc: ⌒AB.
        const [a, j] = argument(s, i)
        out += `⌒${convert(a)}`
        i = j
      } else if (name === 'prescript') {
        // mathtools' \prescript{14}{6}{C} → ¹⁴₆C.
        const [sup, j] = argument(s, i)
        const [sub, k] = argument(s, j)
        const [base, l] = argument(s, k)
        out += convert(`^{${sup}}_{${sub}}{${base}}`)
        i = l
      } else if (name === 'cases') {
        // Plain TeX's \cases{1 & 若 $x>0$ \cr …}: its second column is text, with formulas of its own.
        const [a, j] = argument(s, i)
        out += withFormulas(a)
        i = j
      } else if (KEEP_ARG.has(name)) {
        const [a, j] = argument(s, i)
        // Text (\text{当 $x>0$ 时}) may hold formulas of its own.
        out += TEXT_MODE.test(name) ? withFormulas(a) : convert(a)
        i = j
      } else {
        // Any other command: the symbol KaTeX typesets it as (\Longrightarrow → ⟹, \leqslant → ⩽:
        // katex-symbols.ts), or dropped; what follows it (its arguments) is converted as text.
        out += own(KATEX_SYMBOLS, name) ?? ''
      }
    } else if (ch === '{') {
      const [a, j] = group(s, i)
      out += convert(a)
      i = j
    } else if (ch === '}') {
      i++
    } else if (ch === '^' || ch === '_') {
      const [a, j] = argument(s, i + 1)
      const inner = convert(a).trim()
      const mapped = inner === '' ? '' : mapAll(inner, ch === '^' ? SUPER : SUB)
      if (mapped !== null) out += mapped
      else if (ch === '^') out += inner === '′' ? '′' : `^${wrap(inner, true)}`
      else out += `_${wrap(inner, true)}`
      i = j
    } else if (ch === '&' && /^\s*(?:[=<>≤≥]|\\[lg]e)/.test(s.slice(i + 1, i + 8))) {
      // An alignment point before a relation.
      i++
    } else if (ch === '~') {
      out += ' '
      i++
    } else {
      out += ch
      i++
    }
  }
  return out
}

/** mhchem's arrows, as characters. */
const CHEM_ARROWS: Record<string, string> = {
  '->': '→',
  '<-': '←',
  '<->': '↔',
  '<-->': '⇄',
  '<=>': '⇌',
  '<=>>': '⇌',
  '<<=>': '⇌',
}

/** The superscript of `text` (a charge, a mass number), or `^(text)` when a character has none. */
function superscript(text: string): string {
  return mapAll(text, SUPER) ?? `^(${text})`
}

/** One formula of a `\ce{…}`, without spaces: H2O → H₂O, SO4^2- → SO₄²⁻, HCO3- → HCO₃⁻, ^{14}_{6}C → ¹⁴₆C. */
function chemFormula(part: string): string {
  let out = ''
  let i = 0
  // A leading coefficient (2H2O, 1/2O2) is a number, not a subscript.
  const coefficient = /^\d+(?:\/\d+)?/.exec(part)
  if (coefficient) {
    out += coefficient[0]
    i = coefficient[0].length
  }
  while (i < part.length) {
    const ch = part[i]!
    const rest = part.slice(i + 1)
    if (ch === '^' || ch === '_') {
      const m = rest[0] === '{' ? null : (ch === '^' ? /^(?:\d*[+-]|\d+|[A-Za-z])/ : /^(?:\d+|[A-Za-z])/).exec(rest)
      const [inner, next] = m ? [m[0], i + 1 + m[0].length] : group(part, i + 1)
      out += ch === '^' ? superscript(inner) : (mapAll(inner, SUB) ?? `_(${inner})`)
      i = next
    } else if (ch === '$') {
      const close = part.indexOf('$', i + 1)
      const end = close < 0 ? part.length : close
      out += convert(part.slice(i + 1, end))
      i = end + 1
    } else if (/[\d]/.test(ch) && /[\p{L})\]]/u.test(part[i - 1] ?? '')) {
      // A count after an element or a bracket: a subscript.
      const digits = /^\d+/.exec(part.slice(i))![0]
      out += mapAll(digits, SUB)
      i += digits.length
    } else if ((ch === '+' || ch === '-') && /^[+-]*$/.test(rest) && /[\p{L}\d)\]]/u.test(part[i - 1] ?? '')) {
      // A charge at the end of a formula: H+, HCO3-.
      out += superscript(part.slice(i))
      i = part.length
    } else {
      out += ch
      i++
    }
  }
  return out
}

/** mhchem's `\ce{…}` as text: formulas, charges, arrows (with their conditions), ↑ for a gas, ↓ for a precipitate, · for `*`. */
function chemText(source: string): string {
  const words: string[] = []
  const tokens = source.trim().split(/\s+/)
  for (const token of tokens) {
    const arrow = /^(<=>>|<<=>|<-->|<=>|<->|->|<-)((?:\[[^\]]*\]){0,2})$/.exec(token)
    if (token === '^' || token === 'v') {
      if (words.length > 0) words[words.length - 1] += token === '^' ? '↑' : '↓'
      else words.push(token === '^' ? '↑' : '↓')
    } else if (arrow) {
      const conditions = [...arrow[2]!.matchAll(/\[([^\]]*)\]/g)].map((c) => chemText(c[1]!)).filter((c) => c !== '')
      words.push(CHEM_ARROWS[arrow[1]!]! + (conditions.length > 0 ? `(${conditions.join(', ')})` : ''))
    } else if (token === '+' || token === '=') {
      words.push(token)
    } else if (token !== '') {
      // A hydrate's dot (CuSO4*5H2O, CuSO4.5H2O) joins two formulas, each with its own coefficient.
      words.push(
        token
          .split(/\*|\.(?=\d*\p{Lu})/u)
          .map(chemFormula)
          .join('·'),
      )
    }
  }
  return convert(words.join(' '))
}

/** mhchem's `\pu{…}` as text: 2.3e-3 mol → 2.3×10⁻³ mol, J K-1 mol-1 → J K⁻¹ mol⁻¹, kJ*mol-1 → kJ·mol⁻¹. */
function unitText(source: string): string {
  const text = source
    .trim()
    .replace(/(\d)[eE]([+-]?\d+)/g, (_, d: string, exponent: string) => `${d}×10${superscript(exponent.replace(/^\+/, ''))}`)
    .replace(/\^\{?(-?\d+)\}?|(?<=[\p{L}µΩ])(-?\d+)(?![\d.])/gu, (_, a: string | undefined, b: string | undefined) =>
      superscript((a ?? b)!),
    )
    .replace(/\*/g, '·')
    .replace(/~/g, ' ')
  return convert(text)
}

/**
 * Text with formulas in it, each formula converted without its delimiters: `$…$` and `$$…$$` read
 * as the markdown reads them (a `$` inside braces does not close a formula: inlineDollarEnd),
 * `\(…\)` and `\[…\]`. A lone prose `$` stays. Spaces are kept as they are.
 */
function withFormulas(text: string): string {
  let out = ''
  let last = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    let open = 0
    let end = -1
    if (ch === '\\' && (text[i + 1] === '(' || text[i + 1] === '[')) {
      const close = text.indexOf(text[i + 1] === '(' ? '\\)' : '\\]', i + 3)
      ;[open, end] = [2, close < 0 ? -1 : close + 2]
    } else if (ch === '\\') {
      i++
      continue
    } else if (ch === '$') {
      const double = text[i + 1] === '$'
      end = inlineDollarEnd(text, i, double)
      if (double && end < 0) {
        // A display formula in a description may span paragraphs.
        const close = text.indexOf('$$', i + 3)
        end = close < 0 ? -1 : close + 2
      }
      open = double ? 2 : 1
    }
    if (end < 0) continue
    // A `$` inside a formula opens or closes a formula in its text (cases*' text column): not shown.
    out += convert(text.slice(last, i)) + convert(text.slice(i + open, end - open).replace(/\\[\s\S]|\$/g, (m) => (m === '$' ? '' : m)))
    last = end
    i = end - 1
  }
  return out + convert(text.slice(last))
}

/** Readable plain text from text with TeX in it (see the module comment). */
export function texToText(text: string): string {
  if (!/[\\$^_{}]/.test(text)) return text
  try {
    return readable(text)
  } catch (err) {
    // Groups nested thousands deep (a reader's `{{{…`) outrun the stack: such text stays as written.
    if (err instanceof RangeError) return text.replace(/\s+/g, ' ').trim()
    throw err
  }
}

function readable(text: string): string {
  return withFormulas(text)
    .replace(/\s+/g, ' ')
    .replace(/ ([,.;:!?，。；：！？）])/g, '$1')
    .trim()
}
