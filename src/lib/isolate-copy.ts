/**
 * A JSON value this isolate read from KV, reused for a while (LIST_CACHE_SECONDS): the site snapshot, the
 * search index's pointer. One pending read is shared by every request that wants it; a failed read
 * is not kept; `forget` drops it (after a write through this isolate).
 *
 * A read that finds the very text it found last time hands out the value it already holds, the same
 * object: what this isolate keeps by that object's identity (rendered list and search pages, feeds,
 * post-page templates) stays valid, so pages are made again when the value changed, not every time
 * the copy is refreshed. Callers treat the value as read-only.
 */
export function isolateCopy<S, T>(read: (source: S) => Promise<string | null>) {
  // What is shared between requests is the read itself; each request parses (or finds the held value)
  // in its own continuation. (A promise chain made in one request's context and awaited by another
  // runs the other's code in the first one's context in workerd: its own I/O then fails.)
  let entry: { source: S; at: number; text: Promise<string | null> } | null = null
  let held: { source: S; text: string; value: T } | null = null
  const parse = (source: S, text: string | null): T | null => {
    if (text === null) return null
    if (held?.source === source && held.text === text) return held.value
    const value = JSON.parse(text) as T
    held = { source, text, value }
    return value
  }
  return {
    get(source: S, maxAgeMs = 0): Promise<T | null> {
      const now = Date.now()
      if (!(maxAgeMs > 0 && entry?.source === source && now - entry.at < maxAgeMs)) {
        const fresh = { source, at: now, text: read(source) }
        entry = fresh
        fresh.text.catch(() => {
          if (entry === fresh) entry = null
        })
      }
      return entry!.text.then((text) => parse(source, text))
    },
    forget(): void {
      entry = null
    },
  }
}
