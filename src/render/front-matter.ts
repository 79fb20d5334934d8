import { load } from 'js-yaml'

/** A post file: YAML front matter between `---` lines, then the markdown body. */
export interface MarkdownDocument {
  data: Record<string, unknown>
  body: string
}

import { FrontMatterError } from './errors'

export { FrontMatterError }

/** The front matter between `---` and a closing `---` or `...`, each on a line of its own. */
const FENCE = /^---[ \t]*\n(?:([\s\S]*?)\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)/

/**
 * Splits front matter from the body. YAML is read with the core schema (js-yaml 5's default):
 * no timestamps (a date stays the string the author wrote, so the site's time zone can apply),
 * no merge keys and no custom types.
 */
export function parseFrontMatter(text: string): MarkdownDocument {
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const m = FENCE.exec(src)
  if (!m) return { data: {}, body: src }
  const yaml = m[1] ?? ''
  let data: unknown = {}
  if (yaml.trim() !== '') {
    try {
      data = load(yaml)
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0] : 'unreadable YAML'
      throw new FrontMatterError(`Front matter is not valid YAML: ${reason}`)
    }
  }
  if (data === null || data === undefined) data = {}
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new FrontMatterError('Front matter must be a YAML mapping of fields (title: …, date: …).')
  }
  return { data: data as Record<string, unknown>, body: src.slice(m[0].length).replace(/^\n+/, '') }
}

function yamlValue(value: unknown): string {
  // JSON strings, numbers, booleans and arrays are valid YAML flow values.
  return JSON.stringify(value)
}

/** Writes fields back as front matter; undefined and null fields are left out. */
export function stringifyFrontMatter(data: Record<string, unknown>, body: string): string {
  const lines = Object.entries(data)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}: ${yamlValue(v)}`)
  return `---\n${lines.join('\n')}\n---\n\n${body.replace(/^\n+/, '')}`
}
