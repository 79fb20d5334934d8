import { Parser, type MarkedExtension, type MarkedOptions, type Token, type Tokens } from 'marked'
import { escapeHtml } from './escape'

/**
 * GFM footnotes for posts: `text[^1]` and a `[^1]: note` definition anywhere in the post. Notes
 * are numbered in the order they are first referenced and listed at the end of the post:
 *
 *   <sup class="footnote-ref"><a href="#fn-1" id="fnref-1">1</a></sup>
 *   <section class="footnotes"><ol><li id="fn-1"><p>note <a href="#fnref-1" class="footnote-backref">↩</a></p></li></ol></section>
 *
 * A reference without a definition stays text; a definition nobody references is not shown.
 * Rendering tokens without marked's `parse` (an excerpt from `renderTokens`) gives plain numbers,
 * since there is no list of notes on that page to link to.
 */

interface FootnoteDef extends Tokens.Generic {
  type: 'footnoteDef'
  raw: string
  label: string
  tokens: Token[]
}

interface FootnoteRef extends Tokens.Generic {
  type: 'footnoteRef'
  raw: string
  label: string
  def: FootnoteDef
}

/** The numbering of one render: notes in order of first reference, and how often each is cited. */
interface Notes {
  linked: boolean
  order: FootnoteDef[]
  numbers: Map<FootnoteDef, number>
  citations: Map<FootnoteDef, number>
}

const DEFINITION = /^ {0,3}\[\^([^\]\s]{1,100})\]:[ \t]*/
const REFERENCE = /^\[\^([^\]\s]{1,100})\]/
const INDENT = /^(?: {4}|\t)/
// Lines that end a definition's first paragraph instead of continuing it lazily.
const INTERRUPTS = /^ {0,3}(?:#{1,6}(?:[ \t]|$)|>|[-*+][ \t]|\d{1,9}[.)][ \t]|```|~~~|\$\$|\\\[|([-*_])(?:[ \t]*\1){2,}[ \t]*$)/

/** Definitions found by one lexer run (first one wins), so references can be checked against them. */
const definitions = new WeakMap<object, Map<string, FootnoteDef>>()
const notesByParser = new WeakMap<object, Notes>()

const normalise = (label: string) => label.toLowerCase()

function lineEnd(src: string, from: number): number {
  const i = src.indexOf('\n', from)
  return i === -1 ? src.length : i
}

/**
 * A definition: its first line, lazy continuation lines, and following blocks indented by four
 * spaces or a tab (blank lines between them allowed), as in GFM.
 */
function scanDefinition(src: string): { raw: string; label: string; body: string } | null {
  const m = DEFINITION.exec(src)
  if (!m) return null
  let end = lineEnd(src, m[0].length)
  const lines = [src.slice(m[0].length, end)]
  let consumed = Math.min(end + 1, src.length)
  let blanks = 0
  let sawBlank = false
  for (let pos = consumed; pos < src.length;) {
    end = lineEnd(src, pos)
    const line = src.slice(pos, end)
    pos = Math.min(end + 1, src.length)
    if (!line.trim()) {
      blanks++
      continue
    }
    if (INDENT.test(line)) {
      if (blanks > 0) sawBlank = true
      for (; blanks > 0; blanks--) lines.push('')
      lines.push(line.replace(INDENT, ''))
    } else if (blanks === 0 && !sawBlank && !DEFINITION.test(line) && !INTERRUPTS.test(line)) {
      lines.push(line)
    } else {
      break
    }
    consumed = pos
  }
  return { raw: src.slice(0, consumed), label: m[1]!, body: lines.join('\n') }
}

function notesOf(parser: object): Notes {
  let notes = notesByParser.get(parser)
  if (!notes) {
    notes = { linked: false, order: [], numbers: new Map(), citations: new Map() }
    notesByParser.set(parser, notes)
  }
  return notes
}

/** The words screen readers get for the list of notes and for its ↩ links (the site's language). */
export interface FootnoteLabels {
  heading: string
  back: string
}

function backrefs(n: number, citations: number, back: string): string {
  let out = ''
  for (let k = 1; k <= citations; k++) {
    const id = k === 1 ? `fnref-${n}` : `fnref-${n}-${k}`
    const label = escapeHtml(citations === 1 ? back : `${back} (${k})`)
    out += ` <a href="#${id}" class="footnote-backref" aria-label="${label}">↩${k === 1 ? '' : `<sup>${k}</sup>`}</a>`
  }
  return out
}

/** The list of notes, rendered with the same parser so math and nested references work. */
function renderNotes(parser: Parser, notes: Notes, labels: FootnoteLabels): string {
  if (notes.order.length === 0) return ''
  // A note may cite further notes, so the list can grow while it is rendered.
  const bodies: string[] = []
  for (let i = 0; i < notes.order.length; i++) bodies.push(parser.parse(notes.order[i]!.tokens).trimEnd())
  let items = ''
  bodies.forEach((body, i) => {
    const back = backrefs(i + 1, notes.citations.get(notes.order[i]!) ?? 1, labels.back)
    const inner = body.endsWith('</p>') ? `${body.slice(0, -4)}${back}</p>` : `${body}${back}`
    items += `<li id="fn-${i + 1}">\n${inner}\n</li>\n`
  })
  // A heading for screen readers' list of headings (hidden on screen: the rule above the notes says it).
  return `<section class="footnotes" role="doc-endnotes">\n<h2 class="visually-hidden">${escapeHtml(labels.heading)}</h2>\n<ol>\n${items}</ol>\n</section>\n`
}

export function footnotes(labels: () => FootnoteLabels): MarkedExtension {
  /** marked's `parse` for a whole document, followed by the list of notes. */
  const parseWithNotes = (tokens: Token[], options?: MarkedOptions): string => {
    const parser = new Parser(options)
    notesOf(parser).linked = true
    const html = parser.parse(tokens)
    return html + renderNotes(parser, notesOf(parser), labels())
  }

  return {
    extensions: [
      {
        name: 'footnoteDef',
        level: 'block',
        tokenizer(src) {
          const found = scanDefinition(src)
          if (!found) return undefined
          const { lexer } = this
          const top = lexer.state.top
          lexer.state.top = true
          const tokens = lexer.blockTokens(found.body, [])
          lexer.state.top = top
          const token: FootnoteDef = { type: 'footnoteDef', raw: found.raw, label: found.label, tokens }
          let known = definitions.get(lexer)
          if (!known) definitions.set(lexer, (known = new Map()))
          if (!known.has(normalise(found.label))) known.set(normalise(found.label), token)
          return token
        },
        renderer() {
          return ''
        },
      },
      {
        name: 'footnoteRef',
        level: 'inline',
        // No `start`: marked's text stops before every `[` anyway, so this tokenizer is tried there.
        // (A start that searched the rest of the text for `[^` made a run of `[` quadratic: 20,000
        // of them took 2 s to lex.)
        tokenizer(src) {
          const m = REFERENCE.exec(src)
          if (!m || this.lexer.state.inLink) return undefined
          // Inline text is lexed after every block, so all definitions are known by now.
          const def = definitions.get(this.lexer)?.get(normalise(m[1]!))
          if (!def) return undefined
          return { type: 'footnoteRef', raw: m[0], label: m[1]!, def } satisfies FootnoteRef
        },
        renderer(token) {
          const { def } = token as FootnoteRef
          const notes = notesOf(this.parser)
          let n = notes.numbers.get(def)
          if (n === undefined) {
            notes.order.push(def)
            n = notes.order.length
            notes.numbers.set(def, n)
          }
          const k = (notes.citations.get(def) ?? 0) + 1
          notes.citations.set(def, k)
          if (!notes.linked) return `<sup class="footnote-ref">${n}</sup>`
          const id = k === 1 ? `fnref-${n}` : `fnref-${n}-${k}`
          return `<sup class="footnote-ref"><a href="#fn-${n}" id="${id}">${n}</a></sup>`
        },
      },
    ],
    hooks: {
      // marked passes `true` for `parse`, `false` for `parseInline`.
      provideParser(block) {
        return block === false ? Parser.parseInline : parseWithNotes
      },
    },
  }
}
