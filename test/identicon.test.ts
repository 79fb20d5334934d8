import { parseDocument } from 'htmlparser2'
import { findAll } from 'domutils'
import type { Element } from 'domhandler'
import { describe, expect, it } from 'vitest'
import { avatarKey, identiconSvg } from '../src/lib/identicon'

const SALT = 'test-salt'

function parseSvg(svg: string) {
  const doc = parseDocument(svg, { xmlMode: true })
  const elements = findAll(() => true, doc.children)
  const roots = doc.children.filter((n): n is Element => n.type === 'tag')
  return { doc, elements, roots }
}

/** The filled cells of the 5×5 grid, read back from the path (runs of whole cells per row). */
function grid(svg: string): boolean[][] {
  const { elements } = parseSvg(svg)
  const cells = Array.from({ length: 5 }, () => Array<boolean>(5).fill(false))
  const path = elements.find((e) => e.name === 'path')
  if (!path) return cells
  const d = path.attribs.d!
  expect(d).toMatch(/^(M\d+ \d+h\d+v10h-\d+z)+$/)
  for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)v10h-(\d+)z/g)) {
    const [x, y, w, back] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]
    expect(back).toBe(w)
    expect((x - 5) % 10).toBe(0)
    expect((y - 5) % 10).toBe(0)
    expect(w % 10).toBe(0)
    const row = (y - 5) / 10
    for (let col = (x - 5) / 10; col < (x - 5 + w) / 10; col++) {
      expect(cells[row]![col]).toBe(false) // no overlapping runs
      cells[row]![col] = true
    }
  }
  return cells
}

function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
}

describe('avatarKey', () => {
  it('is 32 lowercase hex characters and deterministic', async () => {
    const a = await avatarKey(SALT, 'reader@example.com', 'Reader')
    expect(a).toMatch(/^[0-9a-f]{32}$/)
    expect(await avatarKey(SALT, 'reader@example.com', 'Reader')).toBe(a)
  })

  it('ignores the case and surrounding white space of the e-mail, and the name when there is an e-mail', async () => {
    const a = await avatarKey(SALT, 'reader@example.com', 'Reader')
    expect(await avatarKey(SALT, '  Reader@Example.COM \n', 'Reader')).toBe(a)
    expect(await avatarKey(SALT, 'reader@example.com', 'Someone else')).toBe(a)
    expect(await avatarKey(SALT, 'other@example.com', 'Reader')).not.toBe(a)
  })

  it('falls back to the trimmed name, which never collides with an e-mail key', async () => {
    const byName = await avatarKey(SALT, null, 'Reader')
    expect(await avatarKey(SALT, null, '  Reader  ')).toBe(byName)
    expect(await avatarKey(SALT, '', 'Reader')).toBe(byName)
    expect(await avatarKey(SALT, '   ', 'Reader')).toBe(byName)
    expect(await avatarKey(SALT, null, 'reader')).not.toBe(byName)
    expect(await avatarKey(SALT, 'reader', 'x')).not.toBe(byName)
    expect(await avatarKey(SALT, 'reader@example.com', 'Reader')).not.toBe(byName)
  })

  it('depends on the salt and is a keyed HMAC, not a plain hash of the address', async () => {
    const a = await avatarKey(SALT, 'reader@example.com', 'Reader')
    expect(await avatarKey('another-salt', 'reader@example.com', 'Reader')).not.toBe(a)
    const plain = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('reader@example.com'))
    const plainHex = Array.from(new Uint8Array(plain).slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('')
    expect(a).not.toBe(plainHex)
    // Same value as a direct WebCrypto HMAC-SHA-256, truncated to 16 bytes.
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(SALT), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('reader@example.com'))
    expect(a).toBe(Array.from(new Uint8Array(mac).slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join(''))
    const nameMac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('name:Reader'))
    expect(await avatarKey(SALT, null, 'Reader')).toBe(
      Array.from(new Uint8Array(nameMac).slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join(''),
    )
  })
})

describe('identiconSvg', () => {
  it('is deterministic, and different keys give different pictures', async () => {
    const key = await avatarKey(SALT, 'reader@example.com', 'Reader')
    expect(identiconSvg(key)).toBe(identiconSvg(key))
    const seen = new Set<string>()
    for (let i = 0; i < 50; i++) seen.add(identiconSvg(randomKey()))
    expect(seen.size).toBe(50)
    expect(identiconSvg(await avatarKey(SALT, 'other@example.com', 'Other'))).not.toBe(identiconSvg(key))
  })

  it('is a standalone SVG with only svg, rect and path elements: no script, handlers or links', () => {
    for (let i = 0; i < 30; i++) {
      const svg = identiconSvg(randomKey())
      const { elements, roots } = parseSvg(svg)
      expect(roots).toHaveLength(1)
      const root = roots[0]!
      expect(root.name).toBe('svg')
      expect(root.attribs.xmlns).toBe('http://www.w3.org/2000/svg')
      expect(root.attribs.viewBox).toMatch(/^0 0 \d+ \d+$/)
      expect(root.attribs.width).toBe('40')
      expect(root.attribs.height).toBe('40')
      for (const e of elements) {
        expect(['svg', 'rect', 'path', 'title']).toContain(e.name)
        for (const [name, value] of Object.entries(e.attribs)) {
          expect(name).not.toMatch(/^on/i)
          expect(name).not.toMatch(/href$/i)
          expect(value).not.toMatch(/url\(|javascript:|data:|https?:\/\/(?!www\.w3\.org\/2000\/svg$)/i)
        }
      }
      expect(svg).not.toMatch(/<script|<style|<image|<use|<foreignObject/i)
      expect(new TextEncoder().encode(svg).length).toBeLessThan(1536)
    }
  })

  it('stays under 1.5 KB in the worst case (stripes that merge nothing: three runs in every row)', () => {
    // Digit parity decides a cell (even = filled); digit col * 5 + row is the cell of column col, row row.
    const key = '00000' + '11111' + '00000' + '0'.repeat(10) + 'fffffff'
    expect(grid(identiconSvg(key))).toEqual(Array.from({ length: 5 }, () => [true, false, true, false, true]))
    const svg = identiconSvg(key, 512)
    expect(new TextEncoder().encode(svg).length).toBeLessThan(1536)
    expect(parseSvg(svg).roots[0]!.attribs.width).toBe('512')
  })

  it('is mirrored left to right, with the cells taken from the key', () => {
    for (let i = 0; i < 30; i++) {
      const key = randomKey()
      const cells = grid(identiconSvg(key))
      for (let row = 0; row < 5; row++) {
        expect(cells[row]![0]).toBe(cells[row]![4])
        expect(cells[row]![1]).toBe(cells[row]![3])
        for (let col = 0; col < 3; col++) expect(cells[row]![col]).toBe(parseInt(key[col * 5 + row]!, 16) % 2 === 0)
      }
    }
  })

  it('merges adjacent cells of a row into one run', () => {
    const key = '0'.repeat(25) + '1234567'
    const svg = identiconSvg(key)
    const d = parseSvg(svg).elements.find((e) => e.name === 'path')!.attribs.d!
    expect(d.match(/M/g)).toHaveLength(5) // one full-width run per row
    expect(grid(svg).flat().every(Boolean)).toBe(true)
  })

  it('draws an empty grid as the background alone', () => {
    const svg = identiconSvg('1'.repeat(32))
    const { elements } = parseSvg(svg)
    expect(elements.map((e) => e.name)).toEqual(['svg', 'rect'])
  })

  it('uses a readable colour: saturated, mid lightness, on a light background', () => {
    for (let i = 0; i < 30; i++) {
      const { elements } = parseSvg(identiconSvg('0'.repeat(25) + randomKey().slice(0, 7)))
      const fill = elements.find((e) => e.name === 'path')!.attribs.fill!
      const m = /^hsl\((\d+),(\d+)%,(\d+)%\)$/.exec(fill)!
      expect(m).not.toBeNull()
      expect(Number(m[1])).toBeLessThan(360)
      expect(Number(m[2])).toBeGreaterThanOrEqual(45)
      expect(Number(m[3])).toBeGreaterThanOrEqual(30)
      expect(Number(m[3])).toBeLessThanOrEqual(60)
      const bg = /^hsl\(\d+,\d+%,(\d+)%\)$/.exec(elements.find((e) => e.name === 'rect')!.attribs.fill!)!
      expect(Number(bg[1])).toBeGreaterThanOrEqual(90)
    }
  })

  it('honours the size', () => {
    const root = parseSvg(identiconSvg(randomKey(), 24)).roots[0]!
    expect(root.attribs.width).toBe('24')
    expect(root.attribs.height).toBe('24')
  })

  it('throws on a key that is not 32 lowercase hex characters, and on a bad size', () => {
    const good = randomKey()
    for (const bad of [
      '',
      good.slice(1),
      good + '0',
      good.toUpperCase().replace(/[0-9]/g, 'A'),
      'g'.repeat(32),
      `${good.slice(0, 31)}"`,
      ` ${good}`,
    ]) {
      expect(() => identiconSvg(bad)).toThrow()
    }
    expect(() => identiconSvg(null as unknown as string)).toThrow()
    expect(() => identiconSvg(good, 0)).toThrow()
    expect(() => identiconSvg(good, Number.NaN)).toThrow()
    expect(() => identiconSvg(good, '40" onload="x' as unknown as number)).toThrow()
  })
})
