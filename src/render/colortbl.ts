/**
 * MathJax's colortbl package (it loads it by itself): `\rowcolor{…}` at the start of a row,
 * `\cellcolor{…}` in a cell and `\columncolor{…}` in an array's column spec (`>{\columncolor{…}}c`),
 * any of them with a model (`\cellcolor[rgb]{1,0.9,0.6}`). KaTeX has none of them, nor cell
 * backgrounds: a coloured cell's content is set in a `\colorbox` of that colour (the box around the
 * content, not the whole cell as MathJax paints it). A cell's colour wins over its row's, a row's
 * over its column's. Written out before KaTeX reads the formula, after the environments
 * (render/environments.ts) and before the colours' names (mathjax-compat.ts `applyDefinedColors`).
 */

import { braceGroup, splitCells, splitRows } from './equations'

const COMMAND = /\\(?:rowcolor|cellcolor|columncolor)(?![A-Za-z])/
const MARK = /\\(begin|end)\s*\{([^{}]{1,40})\}/g
/**
 * A colour command and its colour: `\rowcolor[rgb]{1,0,0}` → model `rgb`, spec `1,0,0`, with the
 * overhang options `\rowcolor` and `\columncolor` take after it (dropped; `\cellcolor` has none, so
 * a cell's `[0,1]` right after it stays the cell's).
 */
const colour = (name: string, overhangs: number) =>
  new RegExp(`\\\\${name}\\s*(?:\\[\\s*([A-Za-z]+)\\s*\\])?\\s*\\{([^{}]{1,100})\\}(?:\\s*\\[[^\\]]*\\]){0,${overhangs}}`)
const ROW = colour('rowcolor', 2)
const CELL = colour('cellcolor', 0)
const COLUMN = colour('columncolor', 2)
/** The environments whose first argument is a column spec (a `>{…}` in it that is not a colour is dropped too: KaTeX has none). */
const SPEC_FIRST = new Set(['array', 'darray', 'subarray'])
const RULES_AHEAD = /^(\s*\\(?:hline|hdashline)(?![A-Za-z]))+/

/** The TeX that names a colour as `\colorbox` takes it: `[model]{spec}` or `{name}`. */
function colourOf(m: RegExpExecArray): string {
  return `${m[1] ? `[${m[1]}]` : ''}{${m[2]!.trim()}}`
}

/** `>{\columncolor{…}}` taken out of a column spec: the spec KaTeX reads and each column's colour (or null). */
function readSpec(spec: string): { spec: string; columns: (string | null)[] } {
  const columns: (string | null)[] = []
  let out = ''
  let pending: string | null = null
  for (let i = 0; i < spec.length; i++) {
    const ch = spec[i]!
    if ((ch === '>' || ch === '<') && spec[i + 1] === '{') {
      const group = braceGroup(spec, i + 1)
      if (group) {
        const m = ch === '>' ? COLUMN.exec(group.content) : null
        if (m) pending = colourOf(m)
        i = group.end - 1
        continue
      }
    }
    if (/[lcr]/.test(ch)) {
      columns.push(pending)
      pending = null
    }
    out += ch
  }
  return { spec: out, columns }
}

/** One environment's body with its coloured cells boxed (its own nested environments done already). */
function colourBody(body: string, columns: (string | null)[]): string {
  return splitRows(body)
    .map((row) => {
      if (row.startsWith('\\\\')) return row
      const rowColour = ROW.exec(row)
      const cells = splitCells(rowColour ? row.replace(ROW, '') : row)
      return cells
        .map((cell, j) => {
          const own = CELL.exec(cell)
          const chosen = own ? colourOf(own) : rowColour ? colourOf(rowColour) : (columns[j] ?? null)
          const content = own ? cell.replace(CELL, '') : cell
          // Rules before a row's first cell stay outside the box; an empty cell has none (nor a row of
          // nothing but rules, the last `\\ \hline`, which KaTeX would otherwise keep as a row).
          const rules = j === 0 ? (RULES_AHEAD.exec(content)?.[0] ?? '') : ''
          const inside = content.slice(rules.length).trim()
          return chosen === null || inside === '' ? content : `${rules} \\colorbox${chosen}{$${inside}$} `
        })
        .join('&')
    })
    .join('')
}

/** `tex` with every environment that uses colortbl's commands written out, innermost first. */
function colourEnvironments(tex: string): string {
  let out = ''
  let last = 0
  const open: { name: string; body: number }[] = []
  for (const m of tex.matchAll(MARK)) {
    const name = m[2]!.trim()
    if (m[1] === 'begin') {
      open.push({ name, body: m.index + m[0].length })
      continue
    }
    if (open.at(-1)?.name !== name) continue
    const { body: start } = open.pop()!
    if (open.length > 0) continue
    let body = tex.slice(start, m.index)
    if (!COMMAND.test(body)) continue
    let head = ''
    let columns: (string | null)[] = []
    const spec = SPEC_FIRST.has(name) ? braceGroup(body, body.length - body.trimStart().length) : null
    if (spec) {
      const read = readSpec(spec.content)
      head = `{${read.spec}}`
      columns = read.columns
      body = body.slice(spec.end)
    }
    out += `${tex.slice(last, start)}${head}${colourBody(colourEnvironments(body), columns)}`
    last = m.index
  }
  return out + tex.slice(last)
}

/** colortbl's commands in `tex` made `\colorbox`es (unchanged when it has none). */
export function applyTableColors(tex: string): string {
  return COMMAND.test(tex) ? colourEnvironments(tex) : tex
}
