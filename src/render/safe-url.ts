/**
 * URL allow-list for every href and src the renderer emits, applied after browser-style
 * normalisation: entities are already decoded by the HTML parser; here ASCII tab/CR/LF are
 * removed anywhere, leading C0 controls and spaces are stripped and the scheme is lower-cased,
 * which is what a browser does before it decides what `java\tscript:` means.
 */
const ALLOWED_LINK_SCHEMES = new Set(['http', 'https', 'mailto'])
const ALLOWED_MEDIA_SCHEMES = new Set(['http', 'https'])

function normalise(url: string): string {
  // eslint-disable-next-line no-control-regex
  return url.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '')
}

function schemeOf(url: string): string | null {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)
  if (!m) return null
  // A colon after the first /, ? or # is part of a relative URL, not a scheme.
  const firstDelimiter = url.search(/[/?#]/)
  if (firstDelimiter !== -1 && firstDelimiter < m[0].length) return null
  return m[1]!.toLowerCase()
}

/** Returns the normalised URL if it is http(s), mailto or relative; null otherwise. */
export function safeLinkUrl(url: string): string | null {
  const u = normalise(url)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(u)) return null
  const scheme = schemeOf(u)
  if (scheme === null) {
    // Relative URLs; a scheme-less `//host` is a network-path reference to another site, allowed.
    return u
  }
  return ALLOWED_LINK_SCHEMES.has(scheme) ? u : null
}

/** Like safeLinkUrl, for images and media: http(s) or relative only. */
export function safeMediaUrl(url: string): string | null {
  const u = safeLinkUrl(url)
  if (u === null) return null
  const scheme = schemeOf(u)
  return scheme === null || ALLOWED_MEDIA_SCHEMES.has(scheme) ? u : null
}

/** True for absolute http(s) URLs, the only kind a commenter may give as their website. */
export function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}
