import { setNewest } from './bounded'
import { concatBytes } from './bytes'
import { crc32, crc32Append, crcPiece, deflateTail, gzipJoin, stillWorking, type CrcPiece, type DeflatedTail } from './compressed'

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
  /** Static bytes and slot names, alternating (static first and last). */
  parts: (Uint8Array<ArrayBuffer> | string)[]
  /** The static end after the last slot, compressed once (for clients that accept gzip). */
  tail?: DeflatedTail
  /**
   * The CRC-32 of each static part before the end (null at a slot), made with the tail: a gzip
   * answer's checksum then costs the CRC of the slots' values only.
   */
  crcs?: (CrcPiece | null)[]
  /** When a request started compressing the end: the others send the page uncompressed meanwhile (lib/compressed.ts). */
  compressing?: number
  /** Requests this template has answered: its end is compressed from the second one on. */
  uses: number
}

const templates = new Map<string, Template>()
const TEMPLATE_LIMIT = 32
const encoder = new TextEncoder()

function compile(html: string, sources: readonly unknown[]): Template {
  const pieces = html.split(slotMarks().pattern)
  // split() with one capture group alternates text and slot names, text first and last.
  return { sources, parts: pieces.map((p, i) => (i % 2 === 0 ? encoder.encode(p) : p)), uses: 0 }
}

/** Below this size the end of a page is not worth a compressed copy. */
const TAIL_GZIP_MIN_BYTES = 1024

/**
 * The page for `key`, filled with `values`: from the kept template when it was made from the same
 * `sources` (compared with ===), else rendered by `render` (with slot() placeholders) and kept.
 * With `gzip` (the client accepts it) the page comes gzip-compressed when it can (`gzip: true`):
 * everything up to the last slot is made per request and stored uncompressed, the rest is the
 * template's end as compressed once, by the template's second request (lib/compressed.ts,
 * gzipJoin) — so a page whose slots all come early (a post page: the count, the trend line, the
 * form's fields) is sent almost all compressed.
 */
export async function fromTemplate(
  key: string,
  sources: readonly unknown[],
  render: () => Promise<string>,
  values: Readonly<Record<string, string>>,
  gzip = false,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; gzip: boolean }> {
  let template = templates.get(key)
  if (!template || template.sources.length !== sources.length || !template.sources.every((s, i) => s === sources[i])) {
    template = compile(await render(), sources)
    setNewest(templates, key, template, TEMPLATE_LIMIT)
  }
  const last = template.parts.length - 1
  const end = template.parts[last] as Uint8Array<ArrayBuffer>
  const head = template.parts.slice(0, last).map((p) => (typeof p === 'string' ? encoder.encode(values[p] ?? '') : p))
  template.uses++
  if (gzip && end.length >= TAIL_GZIP_MIN_BYTES) {
    // Not for a template's first request: a page read once (a post's first view in this isolate, a
    // post few read) would pay for a compression no request uses again. Its answer goes out as it
    // is, and the platform compresses it on the way to the reader.
    if (!template.tail && template.uses > 1 && !stillWorking(template.compressing)) {
      template.compressing = Date.now()
      try {
        const tail = await deflateTail(end)
        template.crcs = template.parts.slice(0, last).map((p) => (typeof p === 'string' ? null : crcPiece(p)))
        template.tail = tail
      } finally {
        template.compressing = undefined
      }
    }
    const { tail, crcs } = template
    if (tail && crcs) {
      // The head's CRC from its static parts' kept ones and its slot values', as one run over it would make it.
      let crc = 0
      for (let i = 0; i < head.length; i++) crc = crcs[i] ? crc32Append(crc, crcs[i]!) : crc32(head[i]!, crc)
      return { bytes: gzipJoin(head, tail, crc), gzip: true }
    }
  }
  return { bytes: concatBytes([...head, end]), gzip: false }
}
