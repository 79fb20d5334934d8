/**
 * A table's own entry for a name that comes from input (a tag, an element, a TeX command…), never
 * one a plain object inherits: `table['constructor']` is a function and `table['__proto__']` the
 * object prototype, which a lookup must not take for an entry.
 */
export function own<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined
}
