/**
 * AMS-style equation numbering, done once per post at publish time (KaTeX has no \label, \eqref,
 * \ref or multline, and its automatic numbers are a page-wide CSS counter that feeds lose).
 *
 * Numbered environments (equation, align, alignat, gather, multline, eqnarray, flalign) get explicit
 * `\tag{n}` in document order and become their starred forms, so the numbers are text everywhere;
 * `\label{x}` is removed and remembered; `\eqref{x}` / `\ref{x}` become links to `#eq-x`.
 */

/** Numbers and labels of one document. */
export interface EquationState {
  next: number
  /** label → the TeX of its tag, e.g. "3" or "\\star". */
  labels: Map<string, string>
}

/** Fresh numbering; `known` labels (from the whole post) let a part of it refer forward. */
export function newEquationState(known?: ReadonlyMap<string, string>): EquationState {
  return { next: 1, labels: new Map(known) }
}

/** A display formula after numbering: TeX to typeset and the anchor ids to put before it. */
export interface NumberedDisplay {
  tex: string
  anchors: string[]
}

/** Environments with one number per row. */
const PER_ROW = new Set(['align', 'alignat', 'gather', 'eqnarray', 'flalign', 'xalignat', 'xxalignat'])
/** Environments with one number for the whole display. */
const WHOLE = new Set(['equation', 'multline'])

/** The anchor id of a label or a number: `eq-<label>`, restricted to URL-safe characters. */
export function equationId(label: string): string {
  return `eq-${label.replace(/[^A-Za-z0-9_:.-]/g, '-')}`
}

/** Reads a brace group starting at `i` (which must be `{`); returns its content and the index after it. */
export function braceGroup(tex: string, i: number): { content: string; end: number } | null {
  if (tex[i] !== '{') return null
  let depth = 0
  for (let j = i; j < tex.length; j++) {
    const ch = tex[j]
    if (ch === '\\') {
      j++
      continue
    }
    if (ch === '{') depth++
    else if (ch === '}' && --depth === 0) return { content: tex.slice(i + 1, j), end: j + 1 }
  }
  return null
}

/** Removes every `\cmd{…}` (optionally `\cmd*{…}`) and returns the removed arguments. */
function extract(tex: string, cmd: string): { tex: string; args: { arg: string; star: boolean }[] } {
  const args: { arg: string; star: boolean }[] = []
  let out = ''
  let i = 0
  const re = new RegExp(`\\\\${cmd}(\\*?)\\s*(?=\\{)`, 'g')
  for (let m = re.exec(tex); m; m = re.exec(tex)) {
    const group = braceGroup(tex, m.index + m[0].length)
    if (!group) continue
    out += tex.slice(i, m.index)
    args.push({ arg: group.content.trim(), star: m[1] === '*' })
    i = group.end
    re.lastIndex = group.end
  }
  return { tex: out + tex.slice(i), args }
}

/**
 * `body` cut where `separator` finds one at the top level (not inside braces or a nested
 * environment): the pieces, and between each two the separator's text as `separator` gives it.
 */
function splitTopLevel(
  body: string,
  separator: (at: number) => { length: number; text: string } | null,
): { pieces: string[]; separators: string[] } {
  const pieces: string[] = []
  const separators: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < body.length; i++) {
    const found = depth === 0 ? separator(i) : null
    if (found) {
      pieces.push(body.slice(start, i))
      separators.push(found.text)
      start = i + found.length
      i = start - 1
      continue
    }
    const ch = body[i]
    if (ch === '\\') {
      if (body.startsWith('\\begin{', i)) depth++
      else if (body.startsWith('\\end{', i)) depth--
      i++
    } else if (ch === '{') depth++
    else if (ch === '}') depth--
  }
  pieces.push(body.slice(start))
  return { pieces, separators }
}

/** A row break, `\\` with its optional spacing argument (`\\[4pt]`, kept with it), or with `cr`, plain TeX's `\cr` too. */
const ROW_BREAK = /\\\\\s*(\[[^\]]*\])?|\\cr(?![A-Za-z])/y

/** The row breaks of `body` for splitTopLevel (`\cr` only when `cr`). */
function rowBreaks(body: string, cr: boolean): (at: number) => { length: number; text: string } | null {
  return (at) => {
    if (body[at] !== '\\') return null
    ROW_BREAK.lastIndex = at
    const m = ROW_BREAK.exec(body)
    if (!m || (!cr && m[0].startsWith('\\cr'))) return null
    return { length: m[0].length, text: m[0].startsWith('\\cr') ? '\\cr' : `\\\\${m[1] ?? ''}` }
  }
}

/** Splits an environment body into rows at top-level `\\` (not inside braces or nested environments), each break an item of its own. */
export function splitRows(body: string): string[] {
  const { pieces, separators } = splitTopLevel(body, rowBreaks(body, false))
  return pieces.flatMap((row, k) => (k < separators.length ? [row, separators[k]!] : [row]))
}

/** A row that starts with `\intertext{…}` (or mathtools' `\shortintertext`): the text and the rest of the row; otherwise null. */
function leadingIntertext(row: string): { text: string; rest: string } | null {
  const m = /^\s*\\(?:short)?intertext\s*(?=\{)/.exec(row)
  const group = m ? braceGroup(row, m[0].length) : null
  return group ? { text: group.content, rest: row.slice(group.end) } : null
}

/** A display split at its `\intertext{…}` rows: pieces of the environment, each whole, and the texts between them. */
export type IntertextPart = { tex: string } | { text: string }

/**
 * A last row for each piece of an alignment cut by `\intertext`, so that the pieces share their
 * columns as in LaTeX: in column j, a phantom as wide as the widest cell j of every piece (a
 * `gathered` of them all: its width is theirs at most, and it has no padding), moved up onto the
 * row before it by a row's whole height (0.84em + 0.36em of strut, 0.3em of jot), so that it adds
 * width and no height. Every piece then has the same columns, the same width, and so the same place
 * in the line: their alignment points line up. (Tags are no cells: taken out.)
 */
function sharedColumns(rows: readonly string[]): string {
  const columns: string[][] = []
  for (const row of rows) {
    if (row.startsWith('\\\\')) continue
    // (An alignment sets a left-aligned cell after an empty group, `{}= b`, so that a relation
    // that starts it is spaced as one: the phantom's copy must be too.)
    splitCells(stripMarks(row)).forEach((cell, j) => {
      if (cell.trim() !== '') (columns[j] ??= []).push(j % 2 === 1 ? `{}${cell.trim()}` : cell.trim())
    })
  }
  return `${SHARED_ROW}${columns.map((cells) => `\\hphantom{\\begin{gathered}${cells.join('\\\\')}\\end{gathered}}`).join('&')}`
}

/** How the shared row begins: a line break moved up a row's height. */
const SHARED_ROW = '\\\\[-1.5em]'

/**
 * KaTeX's output for a piece of an alignment without the shared row in its TeX annotation (what a
 * screen reader may read and KaTeX's copy-tex copies): the row is the piece's last, right before
 * its `\end{…}`, and KaTeX's annotation is the only place the output holds TeX.
 */
export function withoutSharedRow(html: string): string {
  return editAnnotation(html, (tex) => {
    const at = tex.lastIndexOf(SHARED_ROW)
    const end = tex.lastIndexOf('\\end{')
    return at < 0 || end < at ? tex : tex.slice(0, at) + tex.slice(end)
  })
}

const ANNOTATION_OPEN = '<annotation encoding="application/x-tex">'

/**
 * KaTeX's output for one formula with the text of its TeX annotation (HTML-escaped, as KaTeX writes
 * it) passed through `edit`; unchanged when it has no such annotation, or more than one.
 */
export function editAnnotation(html: string, edit: (tex: string) => string): string {
  const start = html.indexOf(ANNOTATION_OPEN)
  if (start < 0) return html
  const from = start + ANNOTATION_OPEN.length
  const end = html.indexOf('</annotation>', from)
  if (end < 0 || html.includes(ANNOTATION_OPEN, end)) return html
  return html.slice(0, from) + edit(html.slice(from, end)) + html.slice(end)
}

/**
 * AMS's `\intertext{…}` (MathJax has it, KaTeX does not): an alignment environment (align, alignat,
 * gather, flalign, eqnarray) cut where a row starts with it, as the same environment before and
 * after and the text between; the pieces of an alignment share their columns (sharedColumns). Null
 * when the formula has none.
 */
export function splitIntertext(tex: string): IntertextPart[] | null {
  const env = /^\s*\\begin\{(align|alignat|gather|flalign|eqnarray)(\*?)\}(\{[^}]*\})?([\s\S]*)\\end\{\1\2\}\s*$/.exec(tex)
  if (!env) return null
  const [, name, star, arg = '', body] = env as unknown as [string, string, string, string | undefined, string]
  const rows = splitRows(body)
  if (!rows.some((r) => !r.startsWith('\\\\') && leadingIntertext(r))) return null
  const parts: IntertextPart[] = []
  // gather's rows are centred one by one: its pieces have no columns to share.
  const shared = name === 'gather' ? '' : sharedColumns(rows.map((r) => leadingIntertext(r)?.rest ?? r))
  let piece: string[] = []
  const close = () => {
    // A piece ends at its last row, not at the line break before the text.
    while (piece.length > 0 && (piece.at(-1)!.startsWith('\\\\') || piece.at(-1)!.trim() === '')) piece.pop()
    if (piece.length > 0) parts.push({ tex: `\\begin{${name}${star}}${arg}${piece.join('')}${shared}\\end{${name}${star}}` })
    piece = []
  }
  for (const row of rows) {
    const inter = row.startsWith('\\\\') ? null : leadingIntertext(row)
    if (!inter) {
      piece.push(row)
      continue
    }
    close()
    parts.push({ text: inter.text })
    piece.push(inter.rest)
  }
  close()
  return parts
}

/** A row's marks read: the row without them and its tag (its own `\tag`, the next number, or none). */
function rowTag(
  row: string,
  state: EquationState,
  anchors: string[],
  numbered: boolean,
  next: () => string = () => String(state.next++),
): { text: string; tag: { tex: string; star: boolean } | null } {
  const labels = extract(row, 'label')
  const tags = extract(labels.tex, 'tag')
  let text = tags.tex
  let tag: { tex: string; star: boolean } | null = null
  if (tags.args.length > 0) {
    tag = { tex: tags.args[0]!.arg, star: tags.args[0]!.star }
  } else if (numbered && !/\\(?:notag|nonumber)\b/.test(text) && text.trim() !== '') {
    tag = { tex: next(), star: false }
    anchors.push(equationId(tag.tex))
  }
  text = text.replace(/\\(?:notag|nonumber)\b/g, '')
  for (const { arg } of labels.args) {
    if (tag !== null && !state.labels.has(arg)) state.labels.set(arg, tag.tex)
    anchors.push(equationId(arg))
  }
  return { text, tag }
}

/** The TeX of a row with its tag: its own `\tag`, the next number, or none. */
function tagRow(row: string, state: EquationState, anchors: string[], numbered: boolean): string {
  const { text, tag } = rowTag(row, state, anchors, numbered)
  return tag === null ? text : `${text} \\tag${tag.star ? '*' : ''}{${tag.tex}}`
}

/** Splits a row at its top-level `&` (not inside braces or a nested environment). */
export function splitCells(row: string): string[] {
  return splitTopLevel(row, (at) => (row[at] === '&' ? { length: 1, text: '&' } : null)).pieces
}

/**
 * A row of the cases package's environments (and mathtools' `cases*`): its first cell math, the
 * rest text, as there (`x` and `\text{if $x>0$}`, empty when the row has one cell), and the row so.
 */
function textColumnRow(row: string): { math: string; text: string; row: string } {
  const [math, ...rest] = splitCells(row)
  const text = rest.length === 0 ? '' : `\\text{${rest.join('&').trim()}}`
  return { math: math!, text, row: text === '' ? math! : `${math} & ${text}` }
}

/** The body of a cases-like environment with its second column as text; rows end at `\\` or plain TeX's `\cr`. */
export function textColumns(body: string): string {
  const { pieces, separators } = splitTopLevel(body, rowBreaks(body, true))
  return pieces.map((row, k) => textColumnRow(row).row + (separators[k] ?? '')).join('')
}

/**
 * The rows of a display numbered row by row where KaTeX numbers only whole displays (numcases,
 * empheq): each row as shown (`cells(text).row`, its marks taken out), and for the display's
 * `\\tag*` an array of its numbers, a row for each row with a phantom of it (`cells(text).phantom`,
 * without `&`) so that both arrays have the same row heights; how many rows got a number. Without
 * `state` (a comment) none does.
 */
function numberedRows(
  rows: readonly string[],
  state: EquationState | null,
  anchors: string[],
  options: {
    /** Whether row `i` gets a number (unless it says \\nonumber, or has its own \\tag). */
    numbered: (i: number) => boolean
    next?: () => string
    cells: (text: string) => { row: string; phantom: string }
  },
): { shown: string[]; tags: string[]; numbers: number } {
  const shown: string[] = []
  const tags: string[] = []
  let numbers = 0
  const last = rows.findLastIndex((r) => r.startsWith('\\\\') || r.trim() !== '')
  rows.forEach((row, i) => {
    if (row.startsWith('\\\\')) {
      shown.push(row)
      tags.push(row)
      return
    }
    const { text, tag } = state ? rowTag(row, state, anchors, options.numbered(i), options.next) : { text: stripMarks(row), tag: null }
    const cells = options.cells(text)
    shown.push(cells.row)
    if (tag) numbers++
    // (KaTeX drops an empty last row: a phantom would keep it in the numbers' array.) Not \vphantom:
    // KaTeX draws its content out to the right of a box of no width, past the number, and the
    // formula's box would scroll sideways into that; lapped to the left, it stays over the formula.
    const phantom = text.trim() === '' && i >= last ? '' : `\\mathllap{\\phantom{${cells.phantom}}}`
    tags.push(`${phantom}${tag ? `\\text{${tag.star ? tag.tex : `(${tag.tex})`}}` : ''}`)
  })
  return { shown, tags, numbers }
}

const CASES_PACKAGE = /^\s*\\begin\{(numcases|subnumcases)\}\s*(?=\{)/

/**
 * The cases package's `numcases` and `subnumcases` (MathJax loads it by itself; KaTeX has neither):
 * `\begin{numcases}{f(x)=} 1 & if $x>0$ \\\\ 0 & otherwise \end{numcases}`, the left side, a brace,
 * the cases with their second column as text, and a number for each row (`\label`, `\tag`,
 * `\nonumber` as in align; subnumcases: 3a, 3b, …, one number for the whole). KaTeX numbers only
 * whole rows of an alignment, and a brace cannot span those: so the cases are one `cases`, and the
 * numbers are an array in the display's `\tag*`, a row for each of its rows, each with a phantom of
 * its row (of no width, lapped to the left), at `cases`' arraystretch (1.2, which sets the rows'
 * struts and what a `\\[gap]` adds), so that both sets of rows have the same heights and line up.
 * The array is a `matrix*`, which has no padding at its sides (`array` has), so that the numbers
 * end where other numbers do. Without `state` (a comment, which is not numbered) there are no
 * numbers. Null when `source` is not one of them.
 */
export function casesPackage(source: string, state: EquationState | null, anchors: string[]): string | null {
  const m = CASES_PACKAGE.exec(source)
  if (!m) return null
  const left = braceGroup(source, m[0].length)
  const end = `\\end{${m[1]}}`
  const body = left ? source.slice(left.end).trimEnd() : ''
  if (!left || !body.endsWith(end)) return null
  const rows = splitRows(body.slice(0, -end.length))
  const sub = m[1] === 'subnumcases' && state ? { number: state.next++, letter: 0 } : null
  const next = sub ? () => `${sub.number}${String.fromCharCode(97 + (sub.letter++ % 26))}` : undefined
  const { shown, tags, numbers } = numberedRows(rows, state, anchors, {
    numbered: () => true,
    next,
    cells: (text) => {
      const cells = textColumnRow(text)
      return { row: cells.row, phantom: cells.math + cells.text }
    },
  })
  const cased = `{${left.content}}\\begin{cases}${shown.join('')}\\end{cases}`
  return numbers === 0 ? cased : `${cased}\\tag*{\${\\def\\arraystretch{1.2}\\begin{matrix*}[r]${tags.join('')}\\end{matrix*}}$}`
}

/** `[…]` at `i` (a `]` inside braces does not end it): its inside and the index after it, or null. */
export function bracketGroup(tex: string, i: number): { content: string; end: number } | null {
  if (tex[i] !== '[') return null
  let depth = 0
  for (let j = i + 1; j < tex.length; j++) {
    const c = tex[j]
    if (c === '\\') j++
    else if (c === '{') depth++
    else if (c === '}') depth--
    else if (c === ']' && depth === 0) return { content: tex.slice(i + 1, j), end: j + 1 }
  }
  return null
}

/** empheq's `\empheql…` / `\empheqr…` delimiters (and the `big` ones), as `\left`/`\right` takes them. */
export const EMPHEQ_DELIMITERS: Record<string, string> = {
  brace: '\\{',
  brack: '[',
  angle: '\\langle',
  paren: '(',
  vert: '\\vert',
  Vert: '\\Vert',
  floor: '\\lfloor',
  ceil: '\\lceil',
}

/** The delimiter a side of `\left`…`\right` closes with (`\lfloor` opens, `\rfloor` closes). */
export function closing(delimiter: string): string {
  return { '\\{': '\\}', '[': ']', '\\langle': '\\rangle', '(': ')', '\\lfloor': '\\rfloor', '\\lceil': '\\rceil' }[delimiter] ?? delimiter
}

const EMPHEQ_DELIMITER =
  /\\empheq(?:big)?([lr])(brace|brack|angle|paren|vert|Vert|floor|ceil)(?![A-Za-z])|\\empheq(?:big)?([lr])(?![A-Za-z])\s*(\\[A-Za-z]+|\\.|[^\s{}])/

/**
 * One side of an empheq: its material, with its first `\empheql…` (`\empheqr…`) delimiter made a
 * `\left` (`\right`) grown to the whole alignment; without one, an empty `\left.` at the inner end.
 */
function empheqSide(material: string, side: 'l' | 'r'): string {
  const m = EMPHEQ_DELIMITER.exec(material)
  const command = side === 'l' ? '\\left' : '\\right'
  // (Material as a group of its own; none where there is none, which would be an empty atom.)
  const group = (tex: string) => (tex.trim() === '' ? '' : `{${tex}}`)
  if (!m || (m[1] ?? m[3]) !== side) return side === 'l' ? `${group(material)}\\left.` : `\\right.${group(material)}`
  const named = m[2] ? EMPHEQ_DELIMITERS[m[2]]! : m[4]!
  const delimiter = side === 'r' && m[2] ? closing(named) : named
  return `${group(material.slice(0, m.index))}${command}${delimiter}${group(material.slice(m.index + m[0].length))}`
}

/** The environments empheq takes (MathJax's list) and the inline environment each is set as inside it. */
const EMPHEQ_INNER: Record<string, string> = {
  equation: '',
  align: 'aligned',
  flalign: 'aligned',
  alignat: 'aligned',
  gather: 'gathered',
  multline: 'gathered',
}

/**
 * The empheq package's environment (MathJax loads it by itself): `\begin{empheq}[left=\empheqlbrace]{align}
 * x &= 1 \\ y &= 2 \end{empheq}`, the inner environment with material on its left and right
 * (`left=`, `right=`, the options MathJax has) and a `\empheql…`/`\empheqr…` delimiter grown to the
 * whole of it, and a number for each row as the inner environment numbers them (`\label`, `\tag`,
 * `\nonumber`; multline: one, on the last row). As numcases' (casesPackage): the rows are one inline
 * alignment, and the numbers an alignment of the same kind in the display's `\tag*`, each row with
 * a phantom of its row lapped to the left, so that both have the same row heights and line up.
 * Without `state` (a comment) there are no numbers. Null when `source` is not one.
 */
export function empheq(source: string, state: EquationState | null, anchors: string[]): string | null {
  const begin = /^\s*\\begin\{empheq\}\s*/.exec(source)
  if (!begin) return null
  let at = begin[0].length
  const options = bracketGroup(source, at)
  if (options) at = options.end
  while (source[at] === ' ' || source[at] === '\n') at++
  const envGroup = braceGroup(source, at)
  const end = '\\end{empheq}'
  const body = envGroup ? source.slice(envGroup.end).trimEnd() : ''
  const env = envGroup ? /^\s*([a-z]+)(\*?)\s*(?:=\s*(\d{1,2})\s*)?$/.exec(envGroup.content) : null
  if (!envGroup || !env || !Object.hasOwn(EMPHEQ_INNER, env[1]!) || !body.endsWith(end)) return null
  const [, name, star] = env as unknown as [string, string, string]
  const side = options ? empheqOptions(options.content) : {}
  if (!side) return null
  const rows = splitRows(body.slice(0, -end.length))
  // (multline: one number, on its last row.)
  const lastRow = rows.findLastIndex((r) => !r.startsWith('\\\\') && r.trim() !== '')
  const {
    shown: texts,
    tags,
    numbers,
  } = numberedRows(rows, state, anchors, {
    numbered: (i) => star === '' && (name !== 'multline' || i === lastRow),
    cells: (text) => ({ row: text, phantom: splitCells(text).join('') }),
  })
  const inner = EMPHEQ_INNER[name]!
  const content = inner ? `\\begin{${inner}}${texts.join('')}\\end{${inner}}` : `{${texts.join('')}}`
  const shown = `${empheqSide(side.left ?? '', 'l')}${content}${empheqSide(side.right ?? '', 'r')}`
  if (numbers === 0) return shown
  const column = inner || 'aligned'
  return `${shown}\\tag*{$\\begin{${column}}${tags.join('')}\\end{${column}}$}`
}

/**
 * An empheq's options (`left={L=\\empheqlbrace}, right=\\empheqrbrace`): each value by name, without
 * the braces around it; null when there is an option other than the two MathJax has.
 */
export function empheqOptions(options: string): { left?: string; right?: string } | null {
  const side: { left?: string; right?: string } = {}
  const items = splitTopLevel(options, (at) => (options[at] === ',' ? { length: 1, text: ',' } : null)).pieces
  for (const option of items) {
    const m = /^\s*(left|right)\s*=\s*([\s\S]*?)\s*$/.exec(option)
    if (!m) return null
    const value = m[2]!
    side[m[1] as 'left' | 'right'] = value.startsWith('{') && braceGroup(value, 0)?.end === value.length ? value.slice(1, -1) : value
  }
  return side
}

/** An xalignat row with a \qquad before each pair of columns but the first. */
function spreadPairs(row: string): string {
  return splitCells(row)
    .map((cell, k) => (k > 0 && k % 2 === 0 ? `\\qquad ${cell}` : cell))
    .join('&')
}

/**
 * Plain TeX's `\eqalignno{a &= b & (1) \cr c &= d & (2) \cr}` (and `\leqalignno`) as a whole
 * display: an align* whose rows carry their last column as their number (`\tag*`, at the right
 * margin, also for \leqalignno). Null for anything else.
 */
function plainEqalignno(tex: string): string | null {
  const m = /^\\l?eqalignno\s*(?=\{)/.exec(tex)
  const group = m ? braceGroup(tex, m[0].length) : null
  if (!group || group.end !== tex.length) return null
  const { pieces } = splitTopLevel(group.content, rowBreaks(group.content, true))
  const rows = pieces
    .filter((row, k) => k < pieces.length - 1 || row.trim() !== '')
    .map((row) => {
      const cells = splitCells(row)
      const number = cells.length > 2 ? cells.pop()!.trim() : ''
      return cells.join('&') + (number === '' ? '' : `\\tag*{$${number}$}`)
    })
  return `\\begin{align*}${rows.join('\\\\')}\\end{align*}`
}

/**
 * Numbers one display formula. Environments keep their layout; multline (which KaTeX lacks)
 * becomes gather* with the number on its last line, eqnarray becomes align* (`&=&` → `&=`), and
 * flalign (also missing) align*, its columns centred instead of pushed to the margins.
 * A plain display with a `\label` but no `\tag` is numbered too, as authors mean it to be.
 */
export function numberDisplay(source: string, state: EquationState): NumberedDisplay {
  const anchors: string[] = []
  const tex = source.trim()
  const cases = casesPackage(tex, state, anchors)
  if (cases !== null) return { tex: cases, anchors }
  const boxed = tex.startsWith('\\begin{empheq}') ? empheq(tex, state, anchors) : null
  if (boxed !== null) return { tex: boxed, anchors }
  const plain = plainEqalignno(tex)
  if (plain !== null) return { tex: plain, anchors }
  const env = /^\\begin\{([a-z]+)(\*?)\}(\{[^}]*\})?([\s\S]*)\\end\{\1\2\}$/.exec(tex)
  if (env && (PER_ROW.has(env[1]!) || WHOLE.has(env[1]!))) {
    const [, name, star, arg = '', body] = env as unknown as [string, string, string, string | undefined, string]
    // (xxalignat is never numbered.)
    const numbered = star === '' && name !== 'xxalignat'
    if (PER_ROW.has(name)) {
      let rows = splitRows(body)
      if (name === 'eqnarray') rows = rows.map((r) => (r.startsWith('\\\\') ? r : r.replace(/&([^&]*)&/, '&$1')))
      // xalignat spreads its pairs of columns across the line: here a \qquad between them.
      if (name === 'xalignat' || name === 'xxalignat') rows = rows.map((r) => (r.startsWith('\\\\') ? r : spreadPairs(r)))
      const out = rows
        .map((r) => {
          if (r.startsWith('\\\\')) return r
          // A row's \intertext{…} is text between rows, never numbered; the rest of the row is.
          const inter = leadingIntertext(r)
          return inter ? `\\intertext{${inter.text}}${tagRow(inter.rest, state, anchors, numbered)}` : tagRow(r, state, anchors, numbered)
        })
        .join('')
      const target = name === 'eqnarray' || name === 'flalign' ? 'align' : name.endsWith('alignat') ? 'alignat' : name
      return { tex: `\\begin{${target}*}${arg}${out}\\end{${target}*}`, anchors }
    }
    if (name === 'multline') {
      // One number for the whole display, on its last line: every mark moves there.
      const rows = splitRows(body)
      const isBreak = (r: string) => r.startsWith('\\\\')
      const marks = rows
        .filter((r) => !isBreak(r))
        .map(marksOf)
        .join(' ')
      const last = rows.length - 1
      const out = rows.map((r, i) =>
        isBreak(r) ? r : i === last ? tagRow(`${stripMarks(r)} ${marks}`, state, anchors, numbered) : stripMarks(r),
      )
      return { tex: `\\begin{gather*}${out.join('')}\\end{gather*}`, anchors }
    }
    // equation
    return { tex: `\\begin{equation*}${tagRow(body, state, anchors, numbered)}\\end{equation*}`, anchors }
  }
  if (/\\label\s*\{/.test(tex) || /\\tag\*?\s*\{/.test(tex)) {
    return { tex: tagRow(tex, state, anchors, true), anchors }
  }
  return { tex, anchors }
}

/** Removes \label, \tag, \notag and \nonumber from a row. */
function stripMarks(row: string): string {
  return extract(extract(row, 'label').tex, 'tag').tex.replace(/\\(?:notag|nonumber)\b/g, '')
}

/** The \label, \tag, \notag and \nonumber marks of a row, as TeX. */
function marksOf(row: string): string {
  const labels = extract(row, 'label').args.map((a) => `\\label{${a.arg}}`)
  const tags = extract(row, 'tag').args.map((a) => `\\tag${a.star ? '*' : ''}{${a.arg}}`)
  const notag = /\\(?:notag|nonumber)\b/.test(row) ? ['\\notag'] : []
  return [...labels, ...tags, ...notag].join(' ')
}

const REF = /\\(eqref|refeq|ref)\s*\{([^{}]{1,200})\}/g

/** Replaces `\eqref{x}` and `\ref{x}` (mathtools' `\refeq{x}`, the same) inside TeX with `\href` links to the equation. */
export function linkRefsInTex(tex: string, state: EquationState): string {
  return tex.replace(REF, (_, kind: string, label: string) => {
    const tag = state.labels.get(label.trim())
    if (tag === undefined) return kind === 'eqref' ? '\\text{(??)}' : '\\text{??}'
    // A tag is text, as in \tag{…} itself (a symbol is written \tag{$\star$}).
    const shown = kind === 'eqref' ? `(${tag})` : tag
    return `\\href{#${equationId(label.trim())}}{\\text{${shown}}}`
  })
}

/** The trust rule for posts: only `\href` links to equations of the same page. */
export function trustEquationLinks(context: { command: string; url?: string }): boolean {
  return context.command === '\\href' && typeof context.url === 'string' && /^#eq-[A-Za-z0-9_:.-]+$/.test(context.url)
}

/** `\require{…}` loads a MathJax extension; KaTeX has them built in, so it is dropped. */
export function dropRequire(tex: string): string {
  return tex.replace(/\\require\s*\{[^{}]*\}/g, '')
}
