import { Parser } from 'htmlparser2'
import { escapeHtml } from './escape'
import { own } from '../lib/own'
import { safeLinkUrl, safeMediaUrl } from './safe-url'

/**
 * An allow-list of elements and attributes. Everything else is dropped: unknown elements lose
 * their tags but keep their text, and a few elements lose their content too (script, style, …).
 */
export interface SanitizePolicy {
  /** Allowed element → its allowed attributes (besides `global`). */
  elements: Record<string, readonly string[]>
  /** Attributes allowed on every allowed element. */
  global: readonly string[]
  /** Whether `style` attributes survive (posts: yes, for the author's layout; comments: no). */
  allowStyle: boolean
  /** Rewrites attribute values, e.g. to turn math placeholders back into their TeX source. */
  rewriteAttribute?: (value: string) => string
}

export const DROP_WITH_CONTENT: ReadonlySet<string> = new Set([
  'script',
  'style',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'noscript',
  'noembed',
  'noframes',
  'textarea',
  'title',
  'xmp',
  'svg',
  'math',
  'select',
  'head',
  'plaintext',
])

const VOID = new Set(['br', 'hr', 'img', 'input', 'col', 'wbr', 'source', 'area'])
const LINK_ATTRIBUTES = new Set(['href', 'cite', 'action', 'formaction', 'xlink:href'])
const MEDIA_ATTRIBUTES = new Set(['src', 'poster', 'srcset'])

const TABLE = {
  table: [],
  caption: [],
  colgroup: ['span'],
  col: ['span'],
  thead: [],
  tbody: [],
  tfoot: [],
  tr: [],
  th: ['align', 'colspan', 'rowspan', 'scope'],
  td: ['align', 'colspan', 'rowspan'],
} as const

const PROSE = {
  p: [],
  br: [],
  hr: [],
  strong: [],
  b: [],
  em: [],
  i: [],
  del: [],
  s: [],
  code: ['class'],
  pre: ['class'],
  blockquote: [],
  ul: [],
  ol: ['start'],
  li: [],
  a: ['href', 'title', 'rel'],
  span: ['class'],
  input: ['type', 'checked'],
  sub: [],
  sup: [],
} as const

/** Policy for the author's posts: rich HTML, still no scripts, handlers or unsafe URLs. */
export const POST_POLICY: SanitizePolicy = {
  elements: {
    ...PROSE,
    ...TABLE,
    h1: [],
    h2: [],
    h3: [],
    h4: [],
    h5: [],
    h6: [],
    div: [],
    section: [],
    figure: [],
    figcaption: [],
    img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
    a: ['href', 'title', 'rel', 'target'],
    abbr: [],
    cite: [],
    dfn: [],
    kbd: [],
    samp: [],
    var: [],
    mark: [],
    small: [],
    u: [],
    ins: [],
    q: ['cite'],
    dl: [],
    dt: [],
    dd: [],
    details: ['open'],
    summary: [],
    ruby: [],
    rt: [],
    rp: [],
    time: ['datetime'],
    center: [],
    nav: [],
    aside: [],
    video: ['src', 'controls', 'width', 'height', 'poster', 'loop', 'muted', 'playsinline'],
    audio: ['src', 'controls', 'loop'],
    source: ['src', 'type'],
  },
  global: ['id', 'class', 'title', 'lang', 'dir', 'aria-label', 'aria-hidden', 'role'],
  allowStyle: true,
}

/** Policy for reader comments: only what the comment renderer itself produces. */
export const COMMENT_POLICY: SanitizePolicy = {
  elements: { ...PROSE, ...TABLE },
  global: [],
  allowStyle: false,
}

function safeStyle(value: string): string | null {
  const v = value.toLowerCase().replace(/\s+/g, '')
  if (/url\(|expression|javascript:|vbscript:|@import|behavior|-moz-binding|\\/.test(v)) return null
  return value
}

function attributeValue(name: string, value: string, policy: SanitizePolicy): string | null {
  if (name.startsWith('on')) return null
  if (LINK_ATTRIBUTES.has(name)) return safeLinkUrl(value)
  if (MEDIA_ATTRIBUTES.has(name)) {
    if (name === 'srcset') return null
    return safeMediaUrl(value)
  }
  if (name === 'style') return policy.allowStyle ? safeStyle(value) : null
  return value
}

/**
 * Rebuilds `html` from an HTML parser's events, keeping only what `policy` allows. The output is
 * well-formed (every emitted start tag gets its end tag) and every text and attribute value is
 * re-escaped, so entity tricks such as `javascript&#58;` are decoded before they are checked.
 */
export function sanitizeHtml(html: string, policy: SanitizePolicy): string {
  let out = ''
  let dropDepth = 0
  const open: string[] = []
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (dropDepth > 0 || DROP_WITH_CONTENT.has(name)) {
          if (!VOID.has(name)) dropDepth++
          return
        }
        const allowed = own(policy.elements, name)
        if (!allowed) return
        if (name === 'input' && attribs.type?.toLowerCase() !== 'checkbox') return
        let tag = '<' + name
        for (const [rawName, rawValue] of Object.entries(attribs)) {
          const attr = rawName.toLowerCase()
          const permitted = allowed.includes(attr) || policy.global.includes(attr) || (attr === 'style' && policy.allowStyle)
          if (!permitted) continue
          let value = attributeValue(attr, rawValue, policy)
          if (value === null) continue
          if (policy.rewriteAttribute) value = policy.rewriteAttribute(value)
          if (name === 'a' && attr === 'target' && value !== '_blank') continue
          // A new window must not get a handle on this page.
          if (name === 'a' && attr === 'rel' && attribs.target === '_blank') continue
          tag += ` ${attr}="${escapeHtml(value)}"`
        }
        if (name === 'a' && attribs.target === '_blank' && allowed.includes('target')) {
          tag += ' rel="noopener noreferrer"'
        }
        if (name === 'input') tag += ' disabled=""'
        out += tag + '>'
        if (!VOID.has(name)) open.push(name)
      },
      ontext(text) {
        if (dropDepth === 0) out += escapeHtml(text)
      },
      onclosetag(name) {
        if (dropDepth > 0) {
          if (!VOID.has(name)) dropDepth--
          return
        }
        if (VOID.has(name)) return
        const i = open.lastIndexOf(name)
        if (i === -1) return
        // Close anything left open inside it, then the element itself.
        while (open.length > i) out += `</${open.pop()}>`
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false },
  )
  parser.write(html)
  parser.end()
  while (open.length) out += `</${open.pop()}>`
  return out
}
