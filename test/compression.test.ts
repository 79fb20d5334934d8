import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { acceptsGzip, crc32, crc32Append, crcPiece, deflateTail, gzipJoin, stillWorking } from '../src/lib/compressed'
import { fromTemplate, slot } from '../src/lib/page-template'
import { BROWSER_UA, putPost, request as send } from './helpers'

/** The tests' settings keep no isolate copies (LIST_CACHE_SECONDS=0); kept pages are what is compressed. */
const keeping = { ...env, LIST_CACHE_SECONDS: '2' }
const request = (path: string, init: RequestInit = {}) => send(path, init, keeping)

const CHROME_ENCODINGS = 'gzip, deflate, br, zstd'

async function gunzip(res: Response): Promise<string> {
  return new Response(res.body!.pipeThrough(new DecompressionStream('gzip'))).text()
}

describe('a gzip stream joined from a fresh head and a kept compressed tail', () => {
  it('combines CRC-32s as computing over the whole would', () => {
    const bytes = new TextEncoder().encode('公式与星辰 e^{i\\pi} '.repeat(300))
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
    for (const cut of [0, 1, 7, 4096, bytes.length - 1, bytes.length]) {
      const a = bytes.subarray(0, cut)
      const b = bytes.subarray(cut)
      expect(crc32Append(crc32(a), crcPiece(b))).toBe(crc32(bytes))
    }
  })

  it('decompresses to head + tail, for an empty head and one longer than a stored block', async () => {
    const tail = new TextEncoder().encode('<p>尾部</p>'.repeat(2000))
    const kept = await deflateTail(tail)
    for (const size of [0, 10, 70_000]) {
      const head = new Uint8Array(size).map((_, i) => 97 + (i % 26))
      const joined = gzipJoin(head, kept)
      const out = new Uint8Array(await new Response(new Blob([joined]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer())
      expect(out.length).toBe(size + tail.length)
      expect(out.subarray(0, size)).toEqual(head)
      expect(out.subarray(size)).toEqual(tail)
    }
  })

  it('joins a head given in pieces (empty ones, one across a stored block) as the same stream, with or without its CRC', async () => {
    const tail = new TextEncoder().encode('<p>尾部</p>'.repeat(500))
    const kept = await deflateTail(tail)
    const bytes = new Uint8Array(140_000).map((_, i) => (i * 7) % 251)
    const cuts = [0, 0, 3, 65_534, 65_536, 65_536, 131_069, 131_071, 139_999, 140_000]
    const pieces = cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end))
    const whole = gzipJoin(bytes, kept)
    expect(gzipJoin(pieces, kept)).toEqual(whole)
    expect(gzipJoin(pieces, kept, crc32(bytes))).toEqual(whole)
    expect(gzipJoin([], kept)).toEqual(gzipJoin(new Uint8Array(0), kept))
    const out = new Uint8Array(await new Response(new Blob([whole]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer())
    expect(out.subarray(0, bytes.length)).toEqual(bytes)
    expect(out.subarray(bytes.length)).toEqual(tail)
  })
})

describe('a kept template sent gzip-compressed', () => {
  it('compresses its end for its second request, not its first, and every answer is the same page', async () => {
    const end = '<p>评论与公式 $x^2$</p>'.repeat(400)
    let renders = 0
    const render = async () => {
      renders++
      return `<h1>标题</h1><span>${slot('V')}</span>${end}`
    }
    const sources = [{}]
    const fill = (views: string) => fromTemplate('gz-second-use', sources, render, { V: views }, true)
    const decode = async (out: { bytes: Uint8Array<ArrayBuffer>; gzip: boolean }) =>
      out.gzip ? gunzip(new Response(out.bytes)) : new TextDecoder().decode(out.bytes)
    const first = await fill('1位读者')
    expect(first.gzip).toBe(false)
    expect(await decode(first)).toBe(`<h1>标题</h1><span>1位读者</span>${end}`)
    const second = await fill('2位读者')
    expect(second.gzip).toBe(true)
    expect(second.bytes.length).toBeLessThan(new TextEncoder().encode(end).length / 4)
    expect(await decode(second)).toBe(`<h1>标题</h1><span>2位读者</span>${end}`)
    const third = await fill('3位读者')
    expect(third.gzip).toBe(true)
    expect(await decode(third)).toBe(`<h1>标题</h1><span>3位读者</span>${end}`)
    expect(renders).toBe(1)
    // A client that refuses gzip gets the page as it is; its request counts, so the next one that
    // accepts gzip is the template's second and gets it compressed.
    const plain = await fromTemplate('gz-second-use-plain', sources, render, { V: '4位读者' })
    expect(plain.gzip).toBe(false)
    expect(await decode(plain)).toBe(`<h1>标题</h1><span>4位读者</span>${end}`)
    expect((await fromTemplate('gz-second-use-plain', sources, render, { V: '5位读者' }, true)).gzip).toBe(true)
    expect(renders).toBe(2)
  })
})

describe('kept pages sent gzip-compressed', () => {
  it('admits gzip by Accept-Encoding, weights included', () => {
    expect(acceptsGzip(CHROME_ENCODINGS)).toBe(true)
    expect(acceptsGzip('GZIP')).toBe(true)
    expect(acceptsGzip('x-gzip')).toBe(true)
    expect(acceptsGzip('br;q=1.0, gzip;q=0.5')).toBe(true)
    expect(acceptsGzip('*')).toBe(true)
    expect(acceptsGzip('gzip;q=0')).toBe(false)
    expect(acceptsGzip('gzip; q=0.000')).toBe(false)
    expect(acceptsGzip('identity, br')).toBe(false)
    expect(acceptsGzip('gzipped')).toBe(false)
    expect(acceptsGzip(undefined)).toBe(false)
  })

  it('lets another request compress a page when the one that started has been gone for a second', () => {
    const now = 1_000_000
    expect(stillWorking(undefined, now)).toBe(false)
    expect(stillWorking(now - 500, now)).toBe(true)
    expect(stillWorking(now - 1500, now)).toBe(false)
  })

  it('sends the front page, a search page and the feed as gzip to a browser, the very same page as sent uncompressed', async () => {
    for (const n of [1, 2, 3]) {
      await putPost(`gz-${n}`, { title: `压缩测试 ${n}`, date: `2025-03-0${n}` }, `正文 $e^{i\\pi}+1=0$ 与重复的文字。`.repeat(80))
    }
    for (const path of ['/', '/search?q=%E5%8E%8B%E7%BC%A9', '/feed']) {
      const plain = await request(path, { headers: { 'user-agent': BROWSER_UA } })
      expect(plain.status).toBe(200)
      expect(plain.headers.get('content-encoding')).toBeNull()
      expect(plain.headers.get('vary')).toContain('Accept-Encoding')
      const text = await plain.text()
      // Twice: the first may be made now, the second comes from what the isolate kept.
      for (const attempt of [1, 2]) {
        const packed = await request(path, { headers: { 'user-agent': BROWSER_UA, 'accept-encoding': CHROME_ENCODINGS } })
        expect(packed.status, `${path} #${attempt}`).toBe(200)
        expect(packed.headers.get('content-encoding'), `${path} #${attempt}`).toBe('gzip')
        expect(packed.headers.get('vary')).toContain('Accept-Encoding')
        expect(packed.headers.get('content-type')).toBe(plain.headers.get('content-type'))
        const bytes = new Uint8Array(await packed.clone().arrayBuffer())
        expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b])
        expect(bytes.length).toBeLessThan(new TextEncoder().encode(text).length / 2)
        expect(await gunzip(packed)).toBe(text)
      }
    }
  })

  it('does not compress for a client that refuses gzip, and answers 304 alike', async () => {
    await putPost('gz-refused', { title: '不压缩' }, '正文。'.repeat(500))
    const res = await request('/', { headers: { 'user-agent': BROWSER_UA, 'accept-encoding': 'gzip;q=0, identity' } })
    expect(res.headers.get('content-encoding')).toBeNull()
    const etag = res.headers.get('etag')!
    await res.arrayBuffer()
    const again = await request('/', { headers: { 'user-agent': BROWSER_UA, 'accept-encoding': CHROME_ENCODINGS, 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(again.headers.get('vary')).toContain('Accept-Encoding')
  })
})

describe('post pages sent gzip-compressed', () => {
  it('send the per-reader head stored and the kept rest compressed: the same page, each reader counted', async () => {
    const body = ['## 推导', '$$\\int_0^1 x^2\\,dx = \\frac13$$', '重复的段落，足够长。'.repeat(1500)].join('\n\n')
    expect((await putPost('gz-post', { title: '压缩的文章' }, body)).status).toBe(201)
    const normal = (html: string) =>
      html
        .replace(/\d+位读者/, 'N位读者')
        .replace(/name="key" value="[^"]+"/, 'KEY')
        .replace(/name="ts" value="[^"]+"/, 'TS')
        .replace(/<svg class="sparkline"[\s\S]*?<\/svg>/, 'TREND')
    const read = (ip: string, encodings?: string) =>
      request('/archives/gz-post', {
        headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': ip, ...(encodings ? { 'accept-encoding': encodings } : {}) },
      })
    const plain = await read('198.51.100.201')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(plain.headers.get('vary')).toContain('Accept-Encoding')
    const plainText = await plain.text()
    expect(plainText).toContain('1位读者')
    for (const [i, ip] of ['198.51.100.202', '198.51.100.203'].entries()) {
      const packed = await read(ip, CHROME_ENCODINGS)
      expect(packed.headers.get('content-encoding')).toBe('gzip')
      expect(packed.headers.get('cache-control')).toBe('private, no-cache')
      const size = (await packed.clone().arrayBuffer()).byteLength
      const text = await gunzip(packed)
      expect(text).toContain(`${i + 2}位读者`)
      expect(text).toMatch(/<input type="hidden" form="respond" name="ts" value="\d{13}\.[A-Za-z0-9_-]{32}"/)
      expect(normal(text)).toBe(normal(plainText))
      expect(size).toBeLessThan(new TextEncoder().encode(text).length / 3)
    }
  })
})
