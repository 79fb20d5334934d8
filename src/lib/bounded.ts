/**
 * Sets `key` as the newest entry of `map`, which holds at most `limit` entries: when full, the
 * oldest entry goes first (Maps keep insertion order; a key set again moves to the end). The
 * isolate's caches of pages, templates, records and recorded answers use it.
 */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key)
  if (map.size >= limit) map.delete(map.keys().next().value!)
  map.set(key, value)
}
