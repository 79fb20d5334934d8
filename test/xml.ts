import { SaxesParser } from 'saxes'

/** An element of a parsed XML document: expanded name (namespace URI + local name), attributes, children. */
export interface XmlElement {
  ns: string
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
}

export const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  sitemap: 'http://www.sitemaps.org/schemas/sitemap/0.9',
} as const

/**
 * Parses XML with saxes, a strict, namespace-aware XML 1.0 parser: any well-formedness error
 * (a bad escape, a forbidden control character, an unbound prefix) throws.
 */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true })
  const stack: XmlElement[] = []
  let root: XmlElement | null = null
  parser.on('error', (err) => {
    throw err
  })
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {}
    for (const [, a] of Object.entries(tag.attributes)) {
      const attr = a as { uri: string; local: string; value: string }
      attrs[attr.uri ? `${attr.uri}|${attr.local}` : attr.local] = attr.value
    }
    const el: XmlElement = { ns: tag.uri ?? '', name: tag.local ?? tag.name, attrs, children: [], text: '' }
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el)
    else root = el
    stack.push(el)
  })
  const addText = (text: string) => {
    if (stack.length > 0) stack[stack.length - 1]!.text += text
  }
  parser.on('text', addText)
  parser.on('cdata', addText)
  parser.on('closetag', () => void stack.pop())
  parser.write(xml).close()
  if (!root) throw new Error('no root element')
  return root
}

/** Children of `el` with this namespace and local name. */
export function kids(el: XmlElement, ns: string, name: string): XmlElement[] {
  return el.children.filter((c) => c.ns === ns && c.name === name)
}

/** The one child with this name (throws when there is not exactly one). */
export function kid(el: XmlElement, ns: string, name: string): XmlElement {
  const found = kids(el, ns, name)
  if (found.length !== 1) throw new Error(`expected one <${name}> in <${el.name}>, found ${found.length}`)
  return found[0]!
}

/** The text of the one child with this name. */
export function textOf(el: XmlElement, ns: string, name: string): string {
  return kid(el, ns, name).text
}
