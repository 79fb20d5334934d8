/**
 * The few Workers types that the page views' imports reach, declared for the scripts' type check:
 * scripts/bench-cpu.tsx renders those views (and fills a post page's template) in Node, and never
 * passes a KV namespace or a Worker's environment or sends a response. The Worker itself is checked
 * against the real types.
 */
/** src/storage/read-model.ts takes one. */
interface KVNamespace {
  get<T = unknown>(key: string, type: 'json'): Promise<T | null>
  get(key: string, type?: 'text'): Promise<string | null>
}

/** The Worker's bindings (src/app-env.ts); their real type comes from `wrangler types`. */
declare namespace Cloudflare {
  interface Env {
    [binding: string]: unknown
  }
}

/** workerd's own response option (src/lib/compressed.ts: a body already gzip-compressed). */
interface ResponseInit {
  encodeBody?: 'automatic' | 'manual'
}
