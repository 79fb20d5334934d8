/**
 * Stored post and comment HTML made fit for a feed (RSS `content:encoded`, Atom `content`). Feed
 * readers drop the site's stylesheets, so:
 * - each formula keeps only KaTeX's MathML (`<math>`, `display="block"` for display math, with its
 *   TeX `annotation`); the `katex-html` glyph spans (positioned by CSS, and aria-hidden) go, and
 *   so do the `katex`, `katex-mathml`, `katex-display` and `math-display` wrappers;
 * - things that do nothing outside the page go: the `#` heading anchors, buttons, the empty
 *   `eq-anchor` targets, scripts and styles, HTML comments;
 * - every relative `href`/`src` becomes absolute against the post's address (`#eq-1` → the post
 *   page's `#eq-1`, `/x` → the site's `/x`).
 *
 * A string scanner, not a DOM: the input is the renderer's own sanitized output (balanced tags,
 * attribute values escaped), and the glyph spans, which are most of its bytes, are skipped with
 * `indexOf` without being tokenised. About 0.1 ms for 30 KB of stored HTML in workerd/V8 (README: Feeds).
 * The first three steps are `feedForm`, done when a post is published (its feed item,
 * storage/feed-items.ts); the last is `feedFormHtml`, done when a feed is made for an address.
 */

import { own } from '../lib/own'

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'])

/** Wrappers whose tags are dropped but whose content stays. */
const UNWRAP_CLASSES = new Set(['katex', 'katex-mathml', 'katex-display', 'math-display'])

/** A tag, or an HTML comment. Quoted attribute values may hold `>`. */
const TAG_RE = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<!--[\s\S]*?(?:-->|$)/g
const CLASS_RE = /\sclass\s*=\s*(?:"([^"]*)"|'([^']*)')/
const URL_ATTR_RE = /(\s(?:href|src|xlink:href|poster|cite)\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi
const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*:/

interface Open {
  name: string
  /** The tag was dropped, so its end tag is too. */
  drop: boolean
  /** A `katex-display` wrapper: its formula is display math. */
  display: boolean
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decodeAttr(value: string): string {
  if (!value.includes('&')) return value
  return value.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|([a-zA-Z]+));/g, (m, dec: string, hex: string, name: string) => {
    if (dec || hex) {
      const code = dec ? Number(dec) : parseInt(hex, 16)
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m
    }
    return own(ENTITIES, name) ?? m
  })
}

function escapeAttr(value: string): string {
  return value.replace(/[&<>"]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '&quot;'))
}

/** An attribute's URL made absolute against `base` (already escaped for a double-quoted attribute). */
function absolute(raw: string, base: URL, baseEscaped: string, originEscaped: string): string {
  const trimmed = raw.trim()
  if (trimmed.startsWith('#')) return baseEscaped + trimmed
  if (trimmed.startsWith('/') && !trimmed.startsWith('//')) return originEscaped + trimmed
  if (SCHEME_RE.test(trimmed)) return trimmed
  try {
    return escapeAttr(new URL(decodeAttr(trimmed), base).href)
  } catch {
    return trimmed
  }
}

/** Index just after the end tag that closes the `name` element whose start tag ends before `from`. */
function skipElement(html: string, from: number, name: string): number {
  const open = `<${name}`
  const close = `</${name}>`
  let depth = 1
  let i = from
  let nextOpen = html.indexOf(open, i)
  while (depth > 0) {
    const end = html.indexOf(close, i)
    if (end < 0) return html.length
    while (nextOpen >= 0 && nextOpen < end) {
      const ch = html.charCodeAt(nextOpen + open.length)
      // `<span ` or `<span>`, not `<spanx`.
      if (ch === 32 || ch === 62 || ch === 9 || ch === 10 || ch === 13 || ch === 47) depth++
      nextOpen = html.indexOf(open, nextOpen + open.length)
    }
    depth--
    i = end + close.length
  }
  return i
}

/**
 * The revision of `feedForm`'s output: raise it whenever `feedForm` keeps, drops or splits
 * something differently. It is part of RENDER_VERSION (render/versions.ts), so a deploy that
 * raises it re-renders every post, which writes every post's feed item again; until then a feed
 * does not take an item of another form (storage/feed-items.ts) and reads the post's record.
 * test/pages/feed-items.test.ts pins `feedForm`'s output to it.
 */
export const FEED_FORM_REVISION = '1'

/**
 * Stored HTML in its feed form, before any address is known: the text, with every URL attribute's
 * raw value left out for `feedFormHtml` to make absolute. Even entries are text, odd entries raw
 * URL values (written back double-quoted). A post's form is made when it is published and kept in
 * KV (storage/feed-items.ts), so a feed is made without reading the post's record or scanning its
 * HTML; `feedHtml` is the two steps at once.
 */
export type FeedForm = string[]

/** The origin-independent half of `feedHtml`: what to keep and drop, with the URLs left raw. */
export function feedForm(html: string): FeedForm {
  const form: FeedForm = []
  let out = ''
  /** The text so far, then a raw URL. */
  const pushUrl = (raw: string) => {
    form.push(out, raw)
    out = ''
  }
  /** Attributes with their URL values split out (`prefix"` url `"`). */
  const emitUrls = (attrs: string) => {
    let from = 0
    URL_ATTR_RE.lastIndex = 0
    for (let m = URL_ATTR_RE.exec(attrs); m !== null; m = URL_ATTR_RE.exec(attrs)) {
      out += attrs.slice(from, m.index) + m[1] + '"'
      pushUrl(m[2] ?? m[3] ?? '')
      out += '"'
      from = URL_ATTR_RE.lastIndex
    }
    out += attrs.slice(from)
  }

  const stack: Open[] = []
  let displays = 0
  let last = 0
  const re = new RegExp(TAG_RE.source, 'g')
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    out += html.slice(last, m.index)
    last = re.lastIndex
    const name = m[2]?.toLowerCase()
    if (name === undefined) continue // a comment
    const attrs = m[3] ?? ''
    if (m[1]) {
      // An end tag: close up to the matching start tag (a stray end tag is kept as it is).
      let k = stack.length - 1
      while (k >= 0 && stack[k]!.name !== name) k--
      if (k < 0) {
        out += m[0]
        continue
      }
      while (stack.length > k) {
        const top = stack.pop()!
        if (top.display) displays--
        if (!top.drop) out += `</${top.name}>`
      }
      continue
    }
    const selfClosing = attrs.endsWith('/') || VOID.has(name)
    const cls = attrs.includes('class')
      ? (CLASS_RE.exec(attrs)
          ?.slice(1)
          .find((v) => v !== undefined) ?? '')
      : ''
    const classes = cls ? cls.split(/\s+/) : []
    const skip =
      name === 'script' ||
      name === 'style' ||
      name === 'button' ||
      name === 'template' ||
      (name === 'a' && classes.includes('heading-anchor')) ||
      (name === 'span' && (classes.includes('katex-html') || classes.includes('eq-anchor')))
    if (skip) {
      if (!selfClosing) re.lastIndex = last = skipElement(html, last, name)
      continue
    }
    if (name === 'math') {
      // The formula as it is, but for a display attribute on display math and absolute \href targets.
      const end = html.indexOf('</math>', last)
      const stop = end < 0 ? html.length : end + 7
      let open = m[0]
      if (displays > 0 && !/\sdisplay\s*=/.test(attrs)) open = open.replace(/^<math/i, '<math display="block"')
      const inner = html.slice(last, stop)
      out += open
      if (inner.includes('href')) emitUrls(inner)
      else out += inner
      re.lastIndex = last = stop
      continue
    }
    if ((name === 'span' || name === 'div') && classes.some((c) => UNWRAP_CLASSES.has(c))) {
      const display = classes.includes('katex-display')
      if (display) displays++
      stack.push({ name, drop: true, display })
      continue
    }
    if (attrs.includes('=')) {
      out += `<${m[2]}`
      emitUrls(attrs)
      out += '>'
    } else out += m[0]
    if (!selfClosing) stack.push({ name, drop: false, display: false })
  }
  form.push(out + html.slice(last))
  return form
}

/**
 * A feed form's HTML for the page at `baseUrl` (a post's permalink, for a comment its post's):
 * every URL made absolute against it (`#eq-1` → the post page's `#eq-1`, `/x` → the site's `/x`).
 */
export function feedFormHtml(form: FeedForm, baseUrl: string): string {
  if (form.length === 1) return form[0]!
  const base = new URL(baseUrl)
  const baseEscaped = escapeAttr(base.origin + base.pathname + base.search)
  const originEscaped = escapeAttr(base.origin)
  let out = form[0]!
  for (let i = 1; i < form.length; i += 2) out += absolute(form[i]!, base, baseEscaped, originEscaped) + form[i + 1]!
  return out
}

/**
 * The feed form of stored HTML. `baseUrl` is the absolute address of the page the HTML belongs to
 * (a post's permalink, for a comment its post's).
 */
export function feedHtml(html: string, baseUrl: string): string {
  return feedFormHtml(feedForm(html), baseUrl)
}
