/**
 * The export format's name, version and limits, apart from backup/format.ts (which the routes load
 * on first use: it renders and writes front matter, render/load.ts).
 */
export const EXPORT_FORMAT = 'edge-science-blog-export'
export const EXPORT_VERSION = 1
/** Posts per export page at most (each costs one call to its post's object). */
export const EXPORT_MAX_POSTS = 50
export const EXPORT_DEFAULT_POSTS = 20
/** An export page stops adding posts past about this many bytes of JSON (always at least one post). */
export const EXPORT_PAGE_BYTES = 8_000_000
/** Posts per import request at most, and the largest import body. */
export const IMPORT_MAX_POSTS = 20
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024
