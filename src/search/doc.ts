import { Parser } from 'htmlparser2'
import type { PostRecord } from '../model'

/** What the search index holds of a post: its metadata and its plain text. */
export interface SearchDoc {
  id: string
  title: string
  /** Tags and the category: matches here weigh more than in the body. */
  tags: string[]
  /** Post date, epoch ms. */
  date: number
  /** The body as plain text: entities decoded, math as its TeX source, no markup. */
  text: string
}

/** The stored text of a post is cut here (a snippet past this point shows the beginning instead). */
export const MAX_TEXT_CHARS = 200_000

/** Elements whose content is not text a reader searches for. */
const SKIP = new Set(['script', 'style', 'template', 'svg', 'noscript', 'button', 'select', 'textarea'])
/** Elements that end a word: their boundaries become spaces, so "a</p><p>b" is two words. */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'img',
  'li',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'td',
  'th',
  'tr',
  'ul',
])
/** Link marks that are not the author's words: heading anchors (#), footnote back-links (↩). */
const SKIP_CLASSES = [' heading-anchor ', ' footnote-backref ', ' visually-hidden ']
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'])

/** How KaTeX opens a formula's glyphs: spans positioned by CSS, with no text a reader searches for. */
const KATEX_GLYPHS = '<span class="katex-html" aria-hidden="true">'
const SPAN_TAG = /<span\b|<\/span>/g

/**
 * The HTML without KaTeX's glyph spans, each cut at its matching `</span>` (spans nest inside; the
 * rest of a formula's glyphs are SVG, which holds no span). They are most of a formula's bytes and
 * plainText skips them anyway (aria-hidden), so the parser need not read them. From one whose end
 * is not found on, the HTML is left as it is, for the parser to skip as before.
 */
function withoutKatexGlyphs(html: string): string {
  let at = html.indexOf(KATEX_GLYPHS)
  if (at < 0) return html
  const parts: string[] = []
  let from = 0
  while (at >= 0) {
    SPAN_TAG.lastIndex = at
    let depth = 0
    let end = -1
    for (let m = SPAN_TAG.exec(html); m; m = SPAN_TAG.exec(html)) {
      depth += m[0] === '</span>' ? -1 : 1
      if (depth === 0) {
        end = SPAN_TAG.lastIndex
        break
      }
    }
    if (end < 0) break
    parts.push(html.slice(from, at))
    from = end
    at = html.indexOf(KATEX_GLYPHS, from)
  }
  parts.push(html.slice(from))
  return parts.join('')
}

/**
 * The plain text of rendered post HTML. KaTeX output keeps only its TeX source (the `annotation`
 * of its MathML); the glyph spans (`.katex-html`, aria-hidden) and the MathML elements are skipped,
 * as is anything `aria-hidden`, heading anchors and footnote back-links. Code stays as text. Entities are decoded.
 */
export function plainText(html: string): string {
  const out: string[] = []
  // Depth of open elements whose content is skipped (0: emitting). Annotation text inside a
  // skipped KaTeX span is emitted all the same.
  let skipDepth = 0
  let katexDepth = 0
  let inTex = false
  const stack: { skip: boolean; katex: boolean }[] = []
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const cls = ` ${attribs.class ?? ''} `
        const katex = cls.includes(' katex ') || cls.includes(' katex-display ')
        const skip =
          SKIP.has(name) ||
          attribs['aria-hidden'] === 'true' ||
          (katexDepth > 0 && name === 'math') ||
          SKIP_CLASSES.some((c) => cls.includes(c))
        if (BLOCK.has(name)) out.push('\n')
        if (name === 'annotation' && attribs.encoding === 'application/x-tex') {
          inTex = true
          out.push(' ')
        }
        if (VOID.has(name)) return
        stack.push({ skip, katex })
        if (skip) skipDepth++
        if (katex) katexDepth++
      },
      ontext(text) {
        if (inTex) out.push(text)
        else if (skipDepth === 0) out.push(text)
      },
      onclosetag(name) {
        if (name === 'annotation' && inTex) {
          inTex = false
          out.push(' ')
        }
        if (BLOCK.has(name)) out.push('\n')
        if (VOID.has(name)) return
        const top = stack.pop()
        if (!top) return
        if (top.skip) skipDepth--
        if (top.katex) katexDepth--
      },
    },
    { decodeEntities: true },
  )
  parser.write(withoutKatexGlyphs(html))
  parser.end()
  return out
    .join('')
    .replace(/[ \t\r\f\v\u00a0]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim()
}

/** The search document of a published post. */
export function searchDocOf(record: PostRecord): SearchDoc {
  const text = plainText(record.html)
  return {
    id: record.id,
    title: record.title,
    tags: [...(record.category ? [record.category] : []), ...record.tags],
    date: record.date,
    text: text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text,
  }
}
