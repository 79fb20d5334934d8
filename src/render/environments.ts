/**
 * MathJax's `\newenvironment{name}[n][default]{begin}{end}` and `\renewenvironment` (its newcommand
 * package, on by default), which KaTeX lacks. A definition holds for the rest of the post or comment,
 * as in MathJax; it is taken out of the formula, and every `\begin{name}…\end{name}` after it is
 * written as `{begin body end}`, the begin code with the environment's arguments in place of #1…#n.
 */

import { braceGroup } from './equations'

/** One defined environment. */
export interface Environment {
  /** How many arguments `\begin{name}` takes (0–9), the first optional when `optional` is not null. */
  args: number
  /** The first argument's default, when it is optional. */
  optional: string | null
  begin: string
  end: string
  /** What becomes of the body before it goes between the two (a package's environment: cases*'s text column); as it is when absent. */
  body?: (body: string) => string
}

/** At most this many environments written out in one formula (a definition that uses itself stops here). */
const MAX_EXPANSIONS = 100

/** The group (`{…}`, braces balanced) at `i` after spaces: its inside and the index after it, or null. */
function group(s: string, i: number): [string, number] | null {
  while (s[i] === ' ' || s[i] === '\n' || s[i] === '\t') i++
  const g = braceGroup(s, i)
  return g ? [g.content, g.end] : null
}

/** A `[…]` at `i` after spaces (no nesting): its inside and the index after it, or null. */
function bracket(s: string, i: number): [string, number] | null {
  while (s[i] === ' ') i++
  if (s[i] !== '[') return null
  const close = s.indexOf(']', i)
  return close < 0 ? null : [s.slice(i + 1, close), close + 1]
}

/** An argument of `\begin{name}`: a group's inside, or one token (a command or a character). */
function argument(s: string, i: number): [string, number] | null {
  const g = group(s, i)
  if (g) return g
  while (s[i] === ' ') i++
  if (i >= s.length) return null
  const command = /^\\(?:[A-Za-z]+|.)/.exec(s.slice(i, i + 40))
  const token = command ? command[0] : String.fromCodePoint(s.codePointAt(i)!)
  return [token, i + token.length]
}

const DEFINE = /\\(?:re)?newenvironment\s*(?=\{)/g

/** Takes the definitions out of `tex` into `envs`; one it cannot read stays, for KaTeX to report. */
function takeDefinitions(tex: string, envs: Map<string, Environment>): string {
  let out = ''
  let last = 0
  for (const m of tex.matchAll(DEFINE)) {
    if (m.index < last) continue
    const name = group(tex, m.index + m[0].length)
    if (!name || !/^[A-Za-z0-9@*]{1,40}$/.test(name[0].trim())) continue
    let at = name[1]
    const count = bracket(tex, at)
    if (count) at = count[1]
    const optional = count ? bracket(tex, at) : null
    if (optional) at = optional[1]
    const begin = group(tex, at)
    const end = begin && group(tex, begin[1])
    const args = count ? Number(count[0].trim()) : 0
    if (!begin || !end || !Number.isInteger(args) || args < 0 || args > 9) continue
    envs.set(name[0].trim(), { args, optional: optional ? optional[0] : null, begin: begin[0], end: end[0] })
    out += tex.slice(last, m.index)
    last = end[1]
  }
  return last === 0 ? tex : out + tex.slice(last)
}

/**
 * The innermost `\begin{name}…\end{name}` of a defined environment in `tex` written out, or null
 * when there is none (or its arguments are missing: KaTeX then reports the unknown environment).
 */
function expandOne(tex: string, envs: Map<string, Environment>): string | null {
  const marks = /\\(begin|end)\s*\{([^{}]{1,40})\}/g
  const open: { name: string; at: number; after: number }[] = []
  for (const m of tex.matchAll(marks)) {
    const name = m[2]!.trim()
    if (!envs.has(name)) continue
    if (m[1] === 'begin') {
      open.push({ name, at: m.index, after: m.index + m[0].length })
      continue
    }
    const start = open.findLastIndex((o) => o.name === name)
    if (start < 0) continue
    const { at, after } = open[start]!
    const env = envs.get(name)!
    const values: string[] = []
    let i = after
    if (env.optional !== null) {
      const given = bracket(tex, i)
      values.push(given ? given[0] : env.optional)
      if (given) i = given[1]
    }
    while (values.length < env.args) {
      const arg = argument(tex, i)
      if (!arg || arg[1] > m.index) return null
      values.push(arg[0])
      i = arg[1]
    }
    const begin = env.begin.replace(/#([1-9])/g, (whole, n: string) => values[Number(n) - 1] ?? whole)
    const body = tex.slice(i, m.index)
    return `${tex.slice(0, at)}{${begin} ${env.body ? env.body(body) : body} ${env.end}}${tex.slice(m.index + m[0].length)}`
  }
  return null
}

/** `tex` with its environment definitions taken into `envs` and every defined environment written out. */
export function applyEnvironments(tex: string, envs: Map<string, Environment>): string {
  const defined = tex.includes('environment') ? takeDefinitions(tex, envs) : tex
  if (envs.size === 0 || !defined.includes('\\begin')) return defined
  // A definition that uses itself grows the formula: past this size it is left unexpanded (an error).
  const most = Math.max(4 * defined.length, 20_000)
  let out = defined
  for (let n = 0; n < MAX_EXPANSIONS; n++) {
    const next = expandOne(out, envs)
    if (next === null) return out
    if (next.length > most) return defined
    out = next
  }
  return out
}
