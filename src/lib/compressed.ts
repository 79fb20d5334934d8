import type { Context } from 'hono'
import type { AppEnv } from '../app-env'

/**
 * Pages this isolate keeps as bytes (list and search pages, feeds) are also kept gzip-compressed, made
 * once per kept page, and a client that accepts gzip (every browser and feed reader) gets those
 * bytes as they are: the runtime then sends about a seventh of a KaTeX-heavy page and compresses
 * nothing per request. Whatever the platform does at the edge (Cloudflare re-encodes for the client
 * as it likes) does not change what the page is.
 */
export interface KeptBody {
  /** The page, UTF-8. */
  body: Uint8Array<ArrayBuffer>
  /** The same page gzip-compressed, once made. */
  gzip?: Uint8Array<ArrayBuffer>
  /**
   * When a request started compressing it: the others send `body` meanwhile (no request awaits
   * another's work). A start older than a second is taken to have been abandoned (its request was
   * cancelled mid-way) and another request may try.
   */
  gzipping?: number
}

/**
 * Whether work another request started at `since` (ms; compressing a page, making a feed) may still
 * be on its way: a start older than a second is taken as abandoned (its request was cancelled).
 */
export function stillWorking(since: number | undefined, now = Date.now()): boolean {
  return since !== undefined && now - since < 1000
}

/** Below this size a page is sent as it is (the gzip header and the round trip would not pay). */
const GZIP_MIN_BYTES = 1024

/** Whether an Accept-Encoding header admits gzip (`gzip`, `x-gzip` or `*`, with a non-zero weight). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';')
    if (name !== 'gzip' && name !== 'x-gzip' && name !== '*') continue
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    if (q === undefined || Number(q.slice(2)) > 0) return true
  }
  return false
}

/**
 * Whether the client that sent `req` accepts gzip. The platform may set the Worker's own
 * Accept-Encoding (Cloudflare sends "br, gzip" whatever the client said, and so does the local
 * runtime); the client's own value is then in `request.cf.clientAcceptEncoding`.
 */
export function clientAcceptsGzip(req: Request): boolean {
  const cf = (req as Request & { cf?: { clientAcceptEncoding?: string } }).cf
  return acceptsGzip(cf?.clientAcceptEncoding ?? req.headers.get('accept-encoding') ?? undefined)
}

/** `bytes` compressed by the runtime's CompressionStream: 'gzip', or 'deflate-raw' (RFC 1951, ending in a final block). */
async function compress(bytes: Uint8Array<ArrayBuffer>, format: CompressionFormat): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream(format))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/**
 * A response whose body is already gzip-compressed: `encodeBody: 'manual'` tells the runtime to send
 * the bytes as they are under `Content-Encoding: gzip` (it would otherwise compress them again).
 */
export function gzipResponse(c: Context, bytes: Uint8Array<ArrayBuffer>, status: 200, headers: Record<string, string>): Response {
  const res = c.body(bytes, status, { ...headers, 'Content-Encoding': 'gzip' })
  return new Response(res.body, { status: res.status, headers: res.headers, encodeBody: 'manual' })
}

/**
 * Sends a kept page: gzip-compressed to a client that accepts it (compressing it first if no other
 * request is doing so), else as it is. Either way `Vary: Accept-Encoding`, so a cache keeps the two apart.
 * `isCurrent` (given when the page is the one the route would send now, see lib/replay.ts) marks the
 * answer as one that may be replayed while it holds; an answer sent while the gzip copy is being made
 * by another request is not marked.
 */
export async function sendKept(
  c: Context<AppEnv>,
  kept: KeptBody,
  headers: Record<string, string>,
  isCurrent?: () => boolean,
): Promise<Response> {
  const all = { ...headers, Vary: 'Accept-Encoding' }
  const accepts = clientAcceptsGzip(c.req.raw)
  if (kept.body.length >= GZIP_MIN_BYTES && accepts) {
    if (!kept.gzip && !stillWorking(kept.gzipping)) {
      kept.gzipping = Date.now()
      try {
        kept.gzip = await compress(kept.body, 'gzip')
      } finally {
        kept.gzipping = undefined
      }
    }
    if (kept.gzip) {
      if (isCurrent) c.set('replay', { accepts, page: kept, gzip: true, isCurrent })
      return gzipResponse(c, kept.gzip, 200, all)
    }
  } else if (isCurrent) c.set('replay', { accepts, page: kept, gzip: false, isCurrent })
  return c.body(kept.body, 200, all)
}

// CRC-32 (the gzip trailer's), with zlib's way of combining the CRCs of two pieces (crc32.c:
// multmodp, x2nmodp), so a page made of a fresh head and a kept tail needs the CRC of the head only.
const POLY = 0xedb88320
const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** CRC-32 of `bytes`, continuing from `crc` (0 to start). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}

/** a(x)·b(x) modulo the CRC polynomial (bit-reflected). */
function multmodp(a: number, b: number): number {
  let m = 0x80000000
  let p = 0
  for (;;) {
    if (a & m) {
      p ^= b
      if ((a & (m - 1)) === 0) break
    }
    m >>>= 1
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1
  }
  return p >>> 0
}

/** x^(2^k) modulo the polynomial, k = 0 … 31. */
const X2N = (() => {
  const table = new Array<number>(32)
  let p = 0x40000000 // x^1
  table[0] = p
  for (let k = 1; k < 32; k++) table[k] = p = multmodp(p, p)
  return table
})()

/** x^(n·2^k) modulo the polynomial. */
function x2nmodp(n: number, k: number): number {
  let p = 0x80000000 // x^0
  while (n) {
    if (n & 1) p = multmodp(X2N[k & 31]!, p)
    n = Math.floor(n / 2)
    k++
  }
  return p
}

/** A piece of bytes made once, with its CRC-32 and what appending it to other bytes takes (crc32Append). */
export interface CrcPiece {
  crc: number
  /** x^(8·length) modulo the polynomial: the piece's length as the combining step uses it. */
  shift: number
}

export function crcPiece(bytes: Uint8Array): CrcPiece {
  return { crc: crc32(bytes), shift: x2nmodp(bytes.length, 3) }
}

/** The CRC-32 of A followed by the piece, from CRC(A) (zlib's crc32_combine, with the piece's length worked out once). */
export function crc32Append(crcA: number, piece: CrcPiece): number {
  return (multmodp(piece.shift, crcA) ^ piece.crc) >>> 0
}

/** A page's unchanging end, compressed once: the body of a gzip stream whose head is made per request. */
export interface DeflatedTail extends CrcPiece {
  deflated: Uint8Array<ArrayBuffer>
  length: number
}

export async function deflateTail(tail: Uint8Array<ArrayBuffer>): Promise<DeflatedTail> {
  return { deflated: await compress(tail, 'deflate-raw'), ...crcPiece(tail), length: tail.length }
}

/** A gzip member's header: deflate, no flags, no time, unknown OS. */
const GZIP_HEADER = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])

/**
 * A gzip stream (RFC 1952) of `head` (bytes, or pieces of it in order) followed by the tail, without
 * compressing anything now: the head goes into stored (uncompressed) DEFLATE blocks, which end on a
 * byte boundary, so the tail's own compressed blocks (ending with the final one) follow directly; the
 * trailer's CRC-32 is combined from the head's (`headCrc` when the caller has it) and the tail's. A
 * head of a few kilobytes costs as many bytes; the tail is sent compressed as it was made once.
 */
export function gzipJoin(head: Uint8Array | readonly Uint8Array[], tail: DeflatedTail, headCrc?: number): Uint8Array<ArrayBuffer> {
  const pieces = head instanceof Uint8Array ? [head] : head
  let length = 0
  for (const piece of pieces) length += piece.length
  const blocks = Math.max(1, Math.ceil(length / 0xffff))
  const out = new Uint8Array(10 + length + blocks * 5 + tail.deflated.length + 8)
  out.set(GZIP_HEADER)
  let at = 10
  let left = length
  // The piece being copied and how far into it.
  let p = 0
  let offset = 0
  for (let i = 0; i < blocks; i++) {
    const size = Math.min(left, 0xffff)
    // BFINAL 0, BTYPE 00 (stored), then LEN and its one's complement, little-endian.
    out[at] = 0
    out[at + 1] = size & 0xff
    out[at + 2] = size >>> 8
    out[at + 3] = ~size & 0xff
    out[at + 4] = (~size >>> 8) & 0xff
    at += 5
    for (let need = size; need > 0;) {
      const piece = pieces[p]!
      const take = Math.min(need, piece.length - offset)
      out.set(take === piece.length ? piece : piece.subarray(offset, offset + take), at)
      at += take
      need -= take
      offset += take
      if (offset === piece.length) {
        p++
        offset = 0
      }
    }
    left -= size
  }
  out.set(tail.deflated, at)
  at += tail.deflated.length
  let crc = headCrc
  if (crc === undefined) {
    crc = 0
    for (const piece of pieces) crc = crc32(piece, crc)
  }
  const view = new DataView(out.buffer)
  view.setUint32(at, crc32Append(crc, tail), true)
  view.setUint32(at + 4, (length + tail.length) >>> 0, true)
  return out
}
