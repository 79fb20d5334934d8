/**
 * A JSON value this isolate read from KV, reused for a while (LIST_CACHE_SECONDS): the site snapshot, the
 * search index's pointer. A completed read is shared by the requests that come within maxAgeMs; a
 * failed read is not kept; `forget` drops it (after a write through this isolate).
 *
 * A read that finds the very text it found last time hands out the value it already holds, the same
 * object: what this isolate keeps by that object's identity (rendered list and search pages, feeds,
 * post-page templates) stays valid, so pages are made again when the value changed, not every time
 * the copy is refreshed. Callers treat the value as read-only.
 */
export function isolateCopy<S, T>(read: (source: S) => Promise<string | null>) {
  // Only finished reads are shared between requests, never a pending one: a request whose read is
  // still on its way when it ends (a reader who left, in production) would leave a promise that never
  // settles to whoever else awaits it; and a promise chain made in one request's context and awaited
  // by another runs the other's code in the first one's context in workerd, where its own I/O fails.
  // The requests that arrive while the copy is being refreshed read KV themselves (a few, for a few ms).
  let last: { source: S; at: number; text: string | null } | null = null
  let held: { source: S; text: string; value: T } | null = null
  // Bumped by forget: a read that started before it is not kept.
  let generation = 0
  const parse = (source: S, text: string | null): T | null => {
    if (text === null) return null
    if (held?.source === source && held.text === text) return held.value
    const value = JSON.parse(text) as T
    held = { source, text, value }
    return value
  }
  return {
    async get(source: S, maxAgeMs = 0): Promise<T | null> {
      const at = Date.now()
      if (maxAgeMs > 0 && last?.source === source && at - last.at < maxAgeMs) return parse(source, last.text)
      const started = generation
      const text = await read(source)
      // The newest read (by when it started) is the one kept.
      if (started === generation && !(last?.source === source && last.at > at)) last = { source, at, text }
      return parse(source, text)
    },
    /**
     * What `get(source, maxAgeMs)` would hand out now without reading: the value (or null: the copy
     * says there is none), or undefined when `get` would read (no copy, too old, forgotten) or would
     * parse a text it has not parsed yet (so hand out another object).
     */
    peek(source: S, maxAgeMs: number): T | null | undefined {
      if (!(maxAgeMs > 0 && last?.source === source && Date.now() - last.at < maxAgeMs)) return undefined
      if (last.text === null) return null
      return held?.source === source && held.text === last.text ? held.value : undefined
    },
    forget(): void {
      last = null
      generation++
    },
  }
}
