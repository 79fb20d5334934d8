/**
 * The one Workers type that the page views' imports reach (src/storage/read-model.ts takes a
 * KVNamespace), declared for the scripts' type check: scripts/bench-cpu.tsx renders those views in
 * Node and never passes a KV namespace. The Worker itself is checked against the real types.
 */
interface KVNamespace {
  get<T = unknown>(key: string, type: 'json'): Promise<T | null>
  get(key: string, type?: 'text'): Promise<string | null>
}
