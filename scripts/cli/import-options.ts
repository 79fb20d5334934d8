import type { ParseArgsConfig } from 'node:util'

/**
 * The importers' flags (import-wordpress, import-folder; parsed in import-blog.ts). Apart from it so
 * that scripts/blog.ts can tell which of them take a value without loading the importers.
 */
export const IMPORT_OPTIONS = {
  'dry-run': { type: 'boolean' },
  out: { type: 'string' },
  update: { type: 'boolean' },
  'no-pages': { type: 'boolean' },
  from: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>
