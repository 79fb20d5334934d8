import { ElementType, parseDocument } from 'htmlparser2'
import type { AnyNode, CDATA, Document, Element, Text } from 'domhandler'
import { DROP_WITH_CONTENT } from '../render/sanitize-html'

/**
 * Converts the HTML that other comment systems store (Twikoo comments, WordPress comments and
 * posts) into the markdown this blog stores. Deliberately small: paragraphs and line breaks,
 * links, bold, italics, code, code blocks, quotes, lists, headings and images (as links). Every
 * other element is replaced by its text, and script-like elements are dropped with their content.
 *
 * The result holds no raw HTML: a `<` in text becomes `&lt;` (inside a `$…$` formula, one that
 * could open a tag becomes `< `, which TeX reads the same way), and only http(s) and mailto links
 * survive; any other link keeps its text and loses its target.
 */
export interface HtmlToMarkdownOptions {
  /**
   * WordPress stores comments and classic-editor posts with bare newlines that it turns into
   * `<p>` and `<br>` only when it displays them (wpautop). With this set, a blank line in the text
   * is a paragraph break and a single newline a line break. Without it (Twikoo, which stores
   * rendered HTML), newlines are ordinary whitespace, as in a browser.
   */
  newlines?: boolean
  /** What a `<br>` becomes: a newline (comments are rendered with `breaks`, the default) or `\` + newline (posts). */
  lineBreak?: '\n' | '\\\n'
  /** `<img>` → `![alt](src)` (posts, also inside a link); without it an image becomes a link (comments). */
  images?: boolean
}

interface Context {
  newlines: boolean
  lineBreak: string
  inLink: boolean
  images: boolean
}

// Sentinels for breaks inside a run of inline content; control characters never survive from the input.
const BR = '\u0001'
const PARA = '\u0002'
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g
// eslint-disable-next-line no-control-regex
const SENTINELS = /[\u0001\u0002]/g

/** Deeper elements are flattened to their text, so hostile nesting cannot exhaust the stack. */
const MAX_DEPTH = 64

/** Elements dropped together with everything inside them: the sanitizer's, and form controls and head elements. */
const DROP = new Set([...DROP_WITH_CONTENT, 'option', 'button', 'input', 'meta', 'link', 'base'])

/** Elements that start and end a paragraph; their children are converted as blocks. */
const BLOCK = new Set([
  'html',
  'body',
  'address',
  'article',
  'aside',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hgroup',
  'li',
  'main',
  'menu',
  'nav',
  'p',
  'section',
  'summary',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
])

/** Block elements with a markdown form of their own. */
const SPECIAL_BLOCK = new Set(['blockquote', 'pre', 'ul', 'ol', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'])

export function isElement(node: AnyNode): node is Element {
  return node.type === ElementType.Tag || node.type === ElementType.Script || node.type === ElementType.Style
}
function isText(node: AnyNode): node is Text {
  return node.type === ElementType.Text
}
function isContainer(node: AnyNode): node is Element | CDATA | Document {
  return isElement(node) || node.type === ElementType.CDATA || node.type === ElementType.Root
}

const NOTHING: ReadonlySet<string> = new Set()

/**
 * The text of a node and its descendants, without recursion (entities already decoded by the
 * parser). Script-like elements are left out; `keepAll` keeps every element's text (XML fields).
 */
export function plainText(nodes: AnyNode | AnyNode[], keepAll = false): string {
  const drop = keepAll ? NOTHING : DROP
  const stack: AnyNode[] = Array.isArray(nodes) ? [...nodes].reverse() : [nodes]
  let out = ''
  while (stack.length) {
    const node = stack.pop()!
    if (isText(node)) out += node.data
    else if (isContainer(node)) {
      if (isElement(node) && drop.has(node.name)) continue
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!)
    }
  }
  return out.replace(CONTROLS, '')
}

// Inline formulas as the blog's markdown finds them, so that `<` inside them is not turned into an entity.
const MATH_SPAN = /\$\$[\s\S]+?\$\$|\$(?![\s$])(?:\\[\s\S]|[^\\$])+?(?<!\s)\$(?!\d)|\\\([\s\S]+?\\\)|\\\[[\s\S]+?\\\]/g
const TAG_OPEN = /<(?=[A-Za-z/!?])/g

/**
 * Makes text safe as markdown: outside formulas every `<` becomes `&lt;` (a lone `<` could meet
 * the text of the next node and open a tag); inside one, a `<` that could open a tag gets a space
 * after it, which TeX ignores.
 */
function escapeText(text: string): string {
  let out = ''
  let last = 0
  for (const m of text.matchAll(MATH_SPAN)) {
    out += text.slice(last, m.index).replace(/</g, '&lt;')
    out += m[0].replace(TAG_OPEN, '< ')
    last = m.index + m[0].length
  }
  return out + text.slice(last).replace(/</g, '&lt;')
}

function textNode(data: string, ctx: Context): string {
  let t = data.replace(CONTROLS, '').replace(/\u00a0/g, ' ')
  if (ctx.newlines) {
    t = t
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t\f]*\n[ \t\f]*\n\s*/g, PARA)
      .replace(/\n/g, BR)
  }
  return escapeText(t.replace(/[ \t\n\r\f]+/g, ' '))
}

/** Escapes what would make a line of prose start a markdown block (heading, quote, list, rule, fence). */
function escapeLineStart(line: string): string {
  if (/^#{1,6}(?:\s|$)/.test(line) || line.startsWith('>') || /^[-+*](?:\s|$)/.test(line)) return '\\' + line
  if (/^(?:[-*_]\s*){3,}$/.test(line) || /^[=-]+\s*$/.test(line) || /^(?:`{3,}|~{3,})/.test(line)) return '\\' + line
  const ordered = /^(\d{1,9})([.)])(?:\s|$)/.exec(line)
  if (ordered) return ordered[1] + '\\' + line.slice(ordered[1]!.length)
  return line
}

/** Turns a run of inline markdown (with break sentinels) into paragraphs. */
function paragraphs(run: string, ctx: Context): string[] {
  const out: string[] = []
  for (const chunk of run.split(PARA)) {
    let lines: string[] = []
    for (const raw of chunk.split(BR)) {
      const line = raw.replace(/[ \t\n\r\f]+/g, ' ').trim()
      if (line) {
        lines.push(escapeLineStart(line))
      } else if (lines.length) {
        out.push(lines.join(ctx.lineBreak))
        lines = []
      }
    }
    if (lines.length) out.push(lines.join(ctx.lineBreak))
  }
  return out
}

function longestRun(text: string, char: string): number {
  let best = 0
  let run = 0
  for (const c of text) {
    run = c === char ? run + 1 : 0
    if (run > best) best = run
  }
  return best
}

function codeSpan(text: string): string {
  const code = text.replace(/[\r\n]+/g, ' ')
  if (!code.trim()) return code ? ' ' : ''
  const fence = '`'.repeat(longestRun(code, '`') + 1)
  const pad = /^[`\s]|[`\s]$/.test(code) ? ' ' : ''
  return fence + pad + code + pad + fence
}

function codeBlock(pre: Element): string {
  let code = plainText(pre).replace(/\r\n?/g, '\n')
  if (code.startsWith('\n')) code = code.slice(1)
  code = code.replace(/\n+$/, '')
  if (!code.trim()) return ''
  const codeChild = pre.children.find((c): c is Element => isElement(c) && c.name === 'code')
  const cls = `${codeChild?.attribs.class ?? ''} ${pre.attribs.class ?? ''}`
  const lang = /(?:^|\s)(?:language|lang)-([\w+#.-]{1,30})/.exec(cls)?.[1] ?? ''
  const fence = '`'.repeat(Math.max(3, longestRun(code, '`') + 1))
  return `${fence}${lang}\n${code}\n${fence}`
}

const HREF_ESCAPES: Record<string, string> = { ' ': '%20', '(': '%28', ')': '%29', '<': '%3C', '>': '%3E' }

/** The link target if it is an absolute http(s) (or, for links, mailto) URL; null otherwise. */
function safeTarget(raw: string | undefined, allowMailto: boolean): string | null {
  if (!raw) return null
  const url = raw.replace(/[\t\n\r]/g, '').trim()
  if (!(allowMailto ? /^(?:https?:\/\/|mailto:)/i : /^https?:\/\//i).test(url)) return null
  try {
    const parsed = new URL(url)
    if (!['http:', 'https:', 'mailto:'].includes(parsed.protocol)) return null
  } catch {
    return null
  }
  return url.replace(/[\s()<>]/g, (c) => HREF_ESCAPES[c] ?? encodeURIComponent(c))
}

function linkLabel(text: string): string {
  return text
    .replace(SENTINELS, ' ')
    .replace(/[ \t\n\r\f]+/g, ' ')
    .trim()
    .replace(/[[\]]/g, '\\$&')
}

/** `**x**` around inline content, with surrounding spaces moved outside the markers. */
function wrap(inner: string, marker: string): string {
  if (!inner.trim() || /[\u0001\u0002]/.test(inner)) return inner
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner)!
  return `${m[1]}${marker}${m[2]}${marker}${m[3]}`
}

function inlineChildren(nodes: AnyNode[], ctx: Context, depth: number): string {
  let out = ''
  for (const node of nodes) out += inline(node, ctx, depth)
  return out
}

function inline(node: AnyNode, ctx: Context, depth: number): string {
  if (isText(node)) return textNode(node.data, ctx)
  if (node.type === ElementType.CDATA) return textNode(plainText(node), ctx)
  if (!isElement(node)) return ''
  const name = node.name
  if (DROP.has(name)) return ''
  if (depth > MAX_DEPTH) return textNode(plainText(node), ctx)
  const next = depth + 1
  switch (name) {
    case 'br':
      return BR
    case 'strong':
    case 'b':
      return wrap(inlineChildren(node.children, ctx, next), '**')
    case 'em':
    case 'i':
      return wrap(inlineChildren(node.children, ctx, next), '*')
    case 'code':
    case 'kbd':
    case 'samp':
    case 'tt':
      return codeSpan(plainText(node))
    case 'a': {
      const href = ctx.inLink ? null : safeTarget(node.attribs.href, true)
      const inner = inlineChildren(node.children, { ...ctx, inLink: true }, next)
      if (!href) return inner
      // A linked image (WordPress links a picture to its full size) stays an image inside the link.
      if (ctx.images && /^!\[[^\]]*\]\([^)\s]*\)$/.test(inner.trim())) return `[${inner.trim()}](${href})`
      const label = linkLabel(inner) || linkLabel(escapeText(href.replace(/^mailto:/i, '')))
      return `[${label}](${href})`
    }
    case 'img': {
      const alt = linkLabel(escapeText((node.attribs.alt ?? '').replace(CONTROLS, '')))
      const src = ctx.inLink && !ctx.images ? null : safeTarget(node.attribs.src, false)
      if (!src) return alt
      return ctx.images ? `![${alt}](${src})` : `[${alt || 'image'}](${src})`
    }
    case 'td':
    case 'th':
      return inlineChildren(node.children, ctx, next) + ' '
  }
  if (BLOCK.has(name) || SPECIAL_BLOCK.has(name)) return PARA + inlineChildren(node.children, ctx, next) + PARA
  return inlineChildren(node.children, ctx, next)
}

function list(node: Element, ctx: Context, depth: number): string {
  const ordered = node.name === 'ol'
  const start = Number.parseInt(node.attribs.start ?? '1', 10)
  let n = Number.isFinite(start) && start >= 0 && start < 1e9 ? start : 1
  const items: string[] = []
  for (const child of node.children) {
    const content = isElement(child)
      ? blocks(child.name === 'li' ? child.children : [child], ctx, depth + 1).join('\n')
      : paragraphs(inline(child, ctx, depth + 1), ctx).join('\n')
    if (!content) continue
    const marker = ordered ? `${n++}. ` : '- '
    const indent = ' '.repeat(marker.length)
    items.push(
      content
        .split('\n')
        .map((line, i) => (i === 0 ? marker + line : line ? indent + line : ''))
        .join('\n'),
    )
  }
  return items.join('\n')
}

/** Converts sibling nodes into markdown blocks (paragraphs, lists, quotes, code blocks, …). */
function blocks(nodes: AnyNode[], ctx: Context, depth: number): string[] {
  const out: string[] = []
  let run = ''
  const flush = () => {
    if (run) out.push(...paragraphs(run, ctx))
    run = ''
  }
  const push = (block: string) => {
    flush()
    if (block) out.push(block)
  }
  for (const node of nodes) {
    if (!isElement(node) || depth > MAX_DEPTH) {
      run += isElement(node) ? textNode(plainText(node), ctx) : inline(node, ctx, depth)
      continue
    }
    const name = node.name
    if (DROP.has(name)) continue
    if (BLOCK.has(name)) {
      flush()
      out.push(...blocks(node.children, ctx, depth + 1))
    } else if (name === 'blockquote') {
      const inner = blocks(node.children, ctx, depth + 1).join('\n\n')
      push(
        inner
          .split('\n')
          .map((line) => (line ? '> ' + line : '>'))
          .join('\n'),
      )
    } else if (name === 'pre') {
      push(codeBlock(node))
    } else if (name === 'ul' || name === 'ol') {
      push(list(node, ctx, depth))
    } else if (name === 'hr') {
      push('***')
    } else if (/^h[1-6]$/.test(name)) {
      const text = paragraphs(inlineChildren(node.children, ctx, depth + 1), ctx).join(' ')
      push(text ? `${'#'.repeat(Number(name[1]))} ${text}` : '')
    } else {
      run += inline(node, ctx, depth)
    }
  }
  flush()
  return out
}

/** HTML → markdown, as described above. Never throws on any input string. */
export function htmlToMarkdown(html: string, options: HtmlToMarkdownOptions = {}): string {
  const ctx: Context = {
    newlines: options.newlines ?? false,
    lineBreak: options.lineBreak ?? '\n',
    inLink: false,
    images: options.images ?? false,
  }
  const doc = parseDocument(html, { decodeEntities: true })
  return blocks(doc.children, ctx, 0).join('\n\n').replace(SENTINELS, '').trim()
}
