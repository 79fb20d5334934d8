import { parseDocument } from 'htmlparser2'
import { findAll, findOne, getAttributeValue, textContent } from 'domutils'
import type { Element } from 'domhandler'
import { KATEX_COPY_TEX_JS } from '../src/views/assets'

/** A parsed HTML page with the few queries the tests need. */
export function parseHtml(html: string) {
  const doc = parseDocument(html)
  const all = () => findAll(() => true, doc.children)
  return {
    /** Elements with this tag name. */
    tags: (name: string): Element[] => findAll((e) => e.name === name, doc.children),
    /** Elements whose class list contains `cls`. */
    byClass: (cls: string): Element[] => findAll((e) => (getAttributeValue(e, 'class') ?? '').split(/\s+/).includes(cls), doc.children),
    byId: (id: string): Element | null => findOne((e) => getAttributeValue(e, 'id') === id, doc.children),
    text: (e: Element) => textContent(e),
    attr: (e: Element, name: string) => getAttributeValue(e, name),
    /** Whether `e` is a descendant of `ancestor`. */
    isInside: (e: Element, ancestor: Element): boolean => {
      for (let p = e.parent as Element | null; p; p = p.parent as Element | null) if (p === ancestor) return true
      return false
    },
    /** Every attribute of every element, as [tag, name, value]. */
    attributes: (): [string, string, string][] =>
      all().flatMap((e) => Object.entries(e.attribs).map(([k, v]): [string, string, string] => [e.name, k, v])),
    all,
  }
}

function insideSparkline(e: Element): boolean {
  for (let p = e.parent as Element | null; p; p = p.parent as Element | null) {
    if (p.name === 'svg' && getAttributeValue(p, 'class') === 'sparkline') return true
  }
  return false
}

function insideKatex(e: Element): boolean {
  for (let p = e.parent as Element | null; p; p = p.parent as Element | null) {
    if ((getAttributeValue(p, 'class') ?? '').split(/\s+/).includes('katex')) return true
  }
  return false
}

const FRAGMENT_FORBIDDEN = ['script', 'iframe', 'object', 'embed', 'base', 'meta', 'style', 'form', 'svg', 'math', 'link', 'textarea']
const PAGE_FORBIDDEN = ['script', 'iframe', 'object', 'embed', 'base', 'svg']
const SITE_SCRIPT = /^\/assets\/h\/[a-z0-9-]+\.[0-9a-f]{10}\.js$/
/** The site's scripts at their content-hashed addresses, and KaTeX's copy-tex from its versioned folder. */
const isSiteScript = (src: string) => SITE_SCRIPT.test(src) || src === KATEX_COPY_TEX_JS

/**
 * Scripts, event handlers and dangerous URL schemes (all should be absent). A fragment (rendered
 * post or comment HTML) may hold no element beyond prose; a whole page has its own head and form.
 */
export function dangers(html: string, kind: 'fragment' | 'page' = 'fragment'): string[] {
  const page = parseHtml(html)
  const found: string[] = []
  const forbidden = kind === 'fragment' ? FRAGMENT_FORBIDDEN : PAGE_FORBIDDEN
  for (const e of page.all()) {
    // KaTeX's own output carries MathML (and SVG for some glyphs); that markup is generated, not input.
    if ((e.name === 'math' || e.name === 'svg') && insideKatex(e)) continue
    // A page may carry the site's own trend line (drawn on the server)...
    if (
      kind === 'page' &&
      (e.name === 'svg' || insideSparkline(e)) &&
      (e.name !== 'svg' || (getAttributeValue(e, 'class') ?? '') === 'sparkline')
    )
      continue
    // ...and load the site's own small scripts (never inline ones).
    if (kind === 'page' && e.name === 'script' && isSiteScript(getAttributeValue(e, 'src') ?? '') && e.children.length === 0) continue
    // ...and a post's JSON-LD (a data block the browser never runs; it must parse as JSON).
    if (kind === 'page' && e.name === 'script' && getAttributeValue(e, 'type') === 'application/ld+json' && !getAttributeValue(e, 'src')) {
      try {
        JSON.parse(textContent(e))
        continue
      } catch {
        found.push('<script type="application/ld+json"> that is not JSON')
        continue
      }
    }
    if (forbidden.includes(e.name)) found.push(`<${e.name}>`)
  }
  for (const [tag, name, value] of page.attributes()) {
    if (name.startsWith('on')) found.push(`${tag}[${name}]`)
    const v = value.replace(/[\u0000-\u0020]/g, '').toLowerCase()
    if (
      ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'cite'].includes(name) &&
      /^(javascript|data|vbscript|file):/.test(v)
    ) {
      found.push(`${tag}[${name}=${value}]`)
    }
  }
  return found
}
