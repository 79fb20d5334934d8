/**
 * Which of the write path's libraries a Worker bundle evaluates when an isolate starts: those an
 * entry module reaches through static imports (esbuild keeps a module reached only through
 * `import()` in the same script but runs it when first imported; src/render/load.ts). Read from the
 * esbuild metafile that `wrangler deploy --dry-run --metafile` writes. Used by `npm run deploy --
 * --dry-run` (which fails on any) and `npm run bench:bundle`.
 */

/** KaTeX, marked, highlight.js, js-yaml and htmlparser2 (with its entity tables and DOM). */
export const WRITE_PATH_LIBRARIES =
  /(^|\/)node_modules\/(katex|marked|highlight\.js|js-yaml|htmlparser2|entities|domhandler|domutils|dom-serializer)\//

interface Metafile {
  inputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>
  outputs: Record<string, { entryPoint?: string }>
}

/** For each write-path library reached statically from an entry point, the chain of modules that reaches it. */
export function eagerWritePathImports(meta: Metafile): string[][] {
  const entries = Object.values(meta.outputs)
    .map((o) => o.entryPoint)
    .filter((e): e is string => e !== undefined)
  const previous = new Map<string, string | null>(entries.map((e) => [e, null]))
  const queue = [...entries]
  const chains: string[][] = []
  while (queue.length > 0) {
    const module = queue.shift()!
    for (const edge of meta.inputs[module]?.imports ?? []) {
      if (edge.kind !== 'import-statement' || edge.external || previous.has(edge.path)) continue
      previous.set(edge.path, module)
      if (WRITE_PATH_LIBRARIES.test(edge.path)) {
        const chain: string[] = []
        for (let m: string | null | undefined = edge.path; m; m = previous.get(m)) chain.unshift(m)
        chains.push(chain)
      } else queue.push(edge.path)
    }
  }
  return chains
}
