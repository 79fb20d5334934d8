/**
 * Pages that differ per request only in a few small places (a post page: the reader count, its trend
 * line, the comment form's key and time) are rendered once as a template with named slots, kept as
 * UTF-8 bytes, and filled per request: a hot post page then costs no rendering and no encoding of
 * its 100–300 KB of post and comments, only of the slots.
 */
/**
 * Slot placeholders: a private-use character (never escaped) around a random per-isolate nonce and the
 * slot's name, so no text in a post or comment can pose as a slot.
 */
let marks: { nonce: string; pattern: RegExp } | null = null

/** Made on first use (a Worker may not generate random values at startup, in global scope). */
function slotMarks(): { nonce: string; pattern: RegExp } {
  if (!marks) {
    const nonce = Array.from(crypto.getRandomValues(new Uint8Array(9)), (b) => (b % 36).toString(36)).join('')
    marks = { nonce, pattern: new RegExp(`\uE000${nonce}([A-Z]+)\uE000`) }
  }
  return marks
}

/** The placeholder for slot `name`. */
export function slot(name: string): string {
  return `\uE000${slotMarks().nonce}${name}\uE000`
}

interface Template {
  /** What the template was made from; it is used again only with the very same sources. */
  sources: readonly unknown[]
  /** Static bytes and slot names, alternating (static first). */
  parts: (Uint8Array | string)[]
}

const templates = new Map<string, Template>()
const TEMPLATE_LIMIT = 32
const encoder = new TextEncoder()

function compile(html: string, sources: readonly unknown[]): Template {
  const pieces = html.split(slotMarks().pattern)
  return { sources, parts: pieces.map((p, i) => (i % 2 === 0 ? encoder.encode(p) : p)) }
}

/**
 * The page for `key`, filled with `values`: from the kept template when it was made from the same
 * `sources` (compared with ===), else rendered by `render` (with slot() placeholders) and kept.
 */
export async function fromTemplate(
  key: string,
  sources: readonly unknown[],
  render: () => Promise<string>,
  values: Readonly<Record<string, string>>,
): Promise<Uint8Array<ArrayBuffer>> {
  let template = templates.get(key)
  if (!template || template.sources.length !== sources.length || !template.sources.every((s, i) => s === sources[i])) {
    template = compile(await render(), sources)
    templates.delete(key)
    if (templates.size >= TEMPLATE_LIMIT) templates.delete(templates.keys().next().value!)
    templates.set(key, template)
  }
  const chunks = template.parts.map((p) => (typeof p === 'string' ? encoder.encode(values[p] ?? '') : p))
  let length = 0
  for (const chunk of chunks) length += chunk.length
  const body = new Uint8Array(length)
  let at = 0
  for (const chunk of chunks) {
    body.set(chunk, at)
    at += chunk.length
  }
  return body
}
