/** A value made on first use, then kept: `const schemas = once(buildSchemas)`. */
export function once<T>(make: () => T): () => T {
  let value: T | undefined
  return () => (value ??= make())
}
