/**
 * A value this isolate read from KV, reused for a while (LIST_CACHE_SECONDS): the site snapshot, the
 * search index's pointer. One pending read is shared by every request that wants it; a failed read
 * is not kept; `forget` drops it (after a write through this isolate).
 */
export function isolateCopy<S, T>(read: (source: S) => Promise<T>) {
  let entry: { source: S; at: number; value: Promise<T> } | null = null
  return {
    get(source: S, maxAgeMs = 0): Promise<T> {
      const now = Date.now()
      if (maxAgeMs > 0 && entry?.source === source && now - entry.at < maxAgeMs) return entry.value
      const fresh = { source, at: now, value: read(source) }
      entry = fresh
      fresh.value.catch(() => {
        if (entry === fresh) entry = null
      })
      return fresh.value
    },
    forget(): void {
      entry = null
    },
  }
}
