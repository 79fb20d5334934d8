import { describe, expect, it } from 'vitest'
import { isolateCopy } from '../src/lib/isolate-copy'

/** A KV stand-in whose value the test sets, counting its reads. */
function store(text: string | null) {
  const kv = { text, reads: 0, fail: false }
  const read = async (source: typeof kv) => {
    source.reads++
    if (source.fail) throw new Error('KV unavailable')
    return source.text
  }
  return { kv, read }
}

describe('isolateCopy', () => {
  it('shares a finished read while the copy is fresh, and reads again with maxAgeMs 0', async () => {
    const { kv, read } = store('{"n":1}')
    const copy = isolateCopy<typeof kv, { n: number }>(read)
    const a = await copy.get(kv, 60_000)
    expect(a).toEqual({ n: 1 })
    expect(await copy.get(kv, 60_000)).toBe(a)
    expect(kv.reads).toBe(1)
    await copy.get(kv, 0)
    expect(kv.reads).toBe(2)
  })

  it('never hands a pending read to another caller: each reads, and both get the same object', async () => {
    // A read still on its way belongs to the request that started it (if that request ends, the
    // promise may never settle): callers that come meanwhile read for themselves.
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const kv = { reads: 0 }
    const copy = isolateCopy<typeof kv, { n: number }>(async (source) => {
      source.reads++
      await gate
      return '{"n":1}'
    })
    const first = copy.get(kv, 60_000)
    const second = copy.get(kv, 60_000)
    expect(kv.reads).toBe(2)
    release()
    const [a, b] = await Promise.all([first, second])
    expect(b).toBe(a)
    expect(await copy.get(kv, 60_000)).toBe(a)
    expect(kv.reads).toBe(2)
  })

  it('does not keep a read that started before forget', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const kv = { text: '{"n":1}', reads: 0 }
    const copy = isolateCopy<typeof kv, { n: number }>(async (source) => {
      source.reads++
      const text = source.text
      await gate
      return text
    })
    const stale = copy.get(kv, 60_000)
    kv.text = '{"n":2}'
    copy.forget()
    release()
    expect(await stale).toEqual({ n: 1 })
    expect(await copy.get(kv, 60_000)).toEqual({ n: 2 })
    expect(kv.reads).toBe(2)
  })

  it('hands out the same object again when a new read finds the same text, a new one when it changed', async () => {
    const { kv, read } = store('{"n":1,"list":[1,2]}')
    const copy = isolateCopy<typeof kv, { n: number }>(read)
    const first = await copy.get(kv, 60_000)
    copy.forget()
    const again = await copy.get(kv, 60_000)
    expect(kv.reads).toBe(2)
    // Same text: the same object, so whatever is kept by its identity stays valid.
    expect(again).toBe(first)
    kv.text = '{"n":2,"list":[1,2]}'
    const changed = await copy.get(kv, 0)
    expect(changed).toEqual({ n: 2, list: [1, 2] })
    expect(changed).not.toBe(first)
    kv.text = null
    expect(await copy.get(kv, 0)).toBeNull()
  })

  it('peeks without reading: what get would hand out now, or undefined where get would read', async () => {
    const { kv, read } = store('{"n":1}')
    const copy = isolateCopy<typeof kv, { n: number }>(read)
    expect(copy.peek(kv, 60_000)).toBeUndefined()
    const value = await copy.get(kv, 60_000)
    expect(copy.peek(kv, 60_000)).toBe(value)
    // Too old for this maxAge (or none at all), another source, forgotten: get would read.
    expect(copy.peek(kv, 0)).toBeUndefined()
    expect(copy.peek({ ...kv }, 60_000)).toBeUndefined()
    copy.forget()
    expect(copy.peek(kv, 60_000)).toBeUndefined()
    // A copy that says there is nothing: null, as get would say.
    kv.text = null
    expect(await copy.get(kv, 60_000)).toBeNull()
    expect(copy.peek(kv, 60_000)).toBeNull()
    expect(kv.reads).toBe(2)
  })

  it('does not keep a failed read', async () => {
    const { kv, read } = store('{"n":1}')
    const copy = isolateCopy<typeof kv, { n: number }>(read)
    kv.fail = true
    await expect(copy.get(kv, 60_000)).rejects.toThrow('KV unavailable')
    kv.fail = false
    expect(await copy.get(kv, 60_000)).toEqual({ n: 1 })
    expect(kv.reads).toBe(2)
  })
})
