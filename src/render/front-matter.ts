import { boolCoreTag, CORE_SCHEMA, defineScalarTag, floatCoreTag, intCoreTag, load, type ScalarTagDefinition } from 'js-yaml'

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
 * The fields whose values are text: this blog's (src/schemas.ts) and those the folder importer
 * reads from Hexo, Hugo and Jekyll posts (src/import/folder-posts.ts). Their plain scalars keep the
 * text the author wrote (`title: 1.10` is "1.10", not 1.1; `tags: [2.0, true]` is "2.0" and
 * "true"), however YAML would type them. Every other field (draft, comments, nav, published,
 * weight, …) is read with the core schema as before.
 */
const TEXT_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'title',
  'author',
  'date',
  'updated',
  'category',
  'category_slug',
  'tags',
  'tag_slugs',
  'summary',
  'series',
  'type',
  'aliases',
  // The importers' (Hexo, Hugo, Jekyll).
  'authors',
  'categories',
  'tag',
  'slug',
  'excerpt',
  'description',
  'publishDate',
  'lastmod',
  'last_modified_at',
  'permalink',
  'abbrlink',
  'url',
])

const explicitOnly = <T>(tag: ScalarTagDefinition<T>) => defineScalarTag(tag.tagName, { ...tag, implicit: false })

/**
 * The core schema without its implicit numbers and booleans: a plain scalar is text unless it is
 * null (`~`, `null` or nothing: the field left out). An explicit tag (`!!int 5`) still types it.
 * Made on first use, like the schemas in src/schemas.ts.
 */
let textSchema: typeof CORE_SCHEMA | null = null
const textOnly = () =>
  (textSchema ??= CORE_SCHEMA.withTags(explicitOnly(boolCoreTag), explicitOnly(intCoreTag), explicitOnly(floatCoreTag)))

/**
 * Splits front matter from the body. YAML is read with the core schema (js-yaml 5's default):
 * no timestamps (a date stays the string the author wrote, so the site's time zone can apply),
 * no merge keys and no custom types; and the text fields (TEXT_FIELDS) are read again without
 * implicit numbers and booleans, so they keep the author's text.
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
  const fields = data as Record<string, unknown>
  if (Object.keys(fields).some((key) => TEXT_FIELDS.has(key))) {
    // The same YAML, so it parses again; only the scalars' types differ.
    const asText = load(yaml, { schema: textOnly() }) as Record<string, unknown>
    for (const key of Object.keys(asText)) if (TEXT_FIELDS.has(key)) fields[key] = asText[key]
  }
  return { data: fields, body: src.slice(m[0].length).replace(/^\n+/, '') }
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
