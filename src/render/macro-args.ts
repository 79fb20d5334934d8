/**
 * What the MathJax-compatible macros (render/mathjax-compat.ts, render/physics.ts) read their
 * arguments with: the part of KaTeX's macro expander KaTeX hands a function macro, and helpers on it.
 */

/** The part of KaTeX's macro expander the macros use (KaTeX passes it to function macros). */
export interface MacroContext {
  future(): { text: string }
  popToken(): { text: string }
  pushToken(token: { text: string }): void
  pushTokens(tokens: { text: string }[]): void
  consumeSpaces(): void
  /** The argument's tokens (in reverse order, without its braces) and its first and last token (the braces, if it has them). */
  consumeArg(delims?: string[]): { tokens: { text: string }[]; start: { text: string }; end: { text: string } }
}

/** A KaTeX macro: TeX, or a function of the expander that returns TeX (read again by KaTeX). */
export type Macro = string | ((context: MacroContext) => string)

/**
 * Tokens as TeX again. The lexer drops the space after a control word, so one is put back where a
 * letter follows (`\alpha x`, not `\alphax`).
 */
export function joinTokens(texts: readonly string[]): string {
  let out = ''
  for (const t of texts) out += /^[A-Za-z]/.test(t) && /\\[A-Za-z]+$/.test(out) ? ` ${t}` : t
  return out
}

/** The text of a macro argument's tokens (KaTeX keeps them in reverse order). */
export function argText(context: MacroContext, delims?: string[]): string {
  return joinTokens(
    context
      .consumeArg(delims)
      .tokens.map((t) => t.text)
      .reverse(),
  )
}

/**
 * The next argument's text, left where it is for the expansion to take as #1. (Pasting the text
 * into the expansion instead needs `pasted`.)
 */
export function peekArg(context: MacroContext): string {
  const arg = context.consumeArg()
  if (arg.start.text === '{') {
    context.pushToken(arg.end)
    context.pushTokens(arg.tokens)
    context.pushToken(arg.start)
  } else {
    context.pushTokens(arg.tokens)
  }
  return joinTokens(arg.tokens.map((t) => t.text).reverse())
}

/**
 * A function macro's expansion that holds argument text it read: KaTeX reads `#1`…`#9` in an
 * expansion as parameters (a colour `#123456` would take the token after the macro in its place),
 * and turns `##` back into `#` only in an expansion that has a parameter. So each `#` is written
 * `##`, and the expansion is given a parameter, `#1` at its end, whose argument is an empty group
 * put in front of the rest of the input: it puts nothing back.
 */
export function pasted(context: MacroContext, tex: string): string {
  spend(tex)
  if (!tex.includes('#')) return tex
  context.pushTokens([{ text: '}' }, { text: '{' }])
  return `${tex.replace(/#/g, '##')}#1`
}

/**
 * How much TeX the macros may still write into the document being typeset (characters, all its
 * formulas together): render/tex.ts sets it per post or comment around each formula (`withBudget`).
 * A macro that repeats an argument (`\braket{a}` is ⟨a|a⟩) or makes rows (`\imat{20}`) could
 * otherwise turn a short comment into megabytes of markup and seconds of typesetting.
 */
export interface ExpansionBudget {
  left: number
}

/** The budget of the formula KaTeX is typesetting now (KaTeX works synchronously: one at a time). */
let current: ExpansionBudget | null = null

/** Runs `typeset` with `budget` as the budget macros spend from. */
export function withBudget<T>(budget: ExpansionBudget, typeset: () => T): T {
  const outer = current
  current = budget
  try {
    return typeset()
  } finally {
    current = outer
  }
}

/** Counts `tex` against the document's budget; over it, the formula is an error. */
export function spend(tex: string): string {
  if (current) {
    current.left -= tex.length
    if (current.left < 0) throw new Error('The formulas’ commands write too much TeX (MathJax-compatible macros, all formulas together)')
  }
  return tex
}

/** A function macro whose expansion is `pasted`: argument text in it stays as written. */
export function pasting(read: (context: MacroContext) => string): (context: MacroContext) => string {
  return (context) => pasted(context, read(context))
}

/** `[…]` at the next token, if there is one: its text; else null (nothing consumed). */
export function optionalArg(context: MacroContext): string | null {
  context.consumeSpaces()
  if (context.future().text !== '[') return null
  context.popToken()
  return argText(context, [']'])
}

/** A `*` right after the command (a starred variant): consumed, and reported. */
export function starred(context: MacroContext): boolean {
  if (context.future().text !== '*') return false
  context.popToken()
  return true
}

/** A `{…}` argument if one follows (spaces skipped), else null. */
export function optionalGroup(context: MacroContext): string | null {
  context.consumeSpaces()
  return context.future().text === '{' ? argText(context) : null
}

/**
 * Tokens read up to the `close` that matches (`(`…`)` nested; `{…}` groups skipped over), as TeX.
 * With `open` equal to `close` (`|…|`), up to the next one.
 */
export function balanced(context: MacroContext, open: string, close: string): string {
  const parts: string[] = []
  let braces = 0
  let nested = 0
  for (;;) {
    const t = context.popToken().text
    if (t === 'EOF') throw new Error(`Missing ${close}`)
    if (t === '{') braces++
    else if (t === '}') braces--
    else if (braces === 0 && t === close && nested === 0) break
    else if (braces === 0 && open !== close) nested += t === open ? 1 : t === close ? -1 : 0
    parts.push(t)
  }
  return joinTokens(parts)
}
