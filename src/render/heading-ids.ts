/** Ids the page template uses itself; a heading never takes one of them. */
const PAGE_IDS = new Set(['cite', 'comments', 'respond', 'content', 'main', 'sidebar', 'toc', 'top'])
const PAGE_ID_PREFIXES = ['comment-', 'eq-', 'fn-', 'fnref-']

function hasReservedPrefix(id: string): boolean {
  return PAGE_ID_PREFIXES.some((p) => id.startsWith(p))
}

/** Lower-cased text, punctuation removed, spaces as dashes; CJK kept as it is (`#数学推导`). */
export function slugify(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .trim()
    .replace(/[\s_]+/g, '-')
    .replace(/[^\p{L}\p{N}\p{M}-]+/gu, '')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80)
}

/** Hands out unique heading ids for one document: repeated headings get `-1`, `-2`, …. */
export class HeadingIds {
  private readonly used = new Set<string>()

  next(text: string): string {
    let base = slugify(text) || 'section'
    // A suffix never gets `comment-1` out of a reserved prefix: give such headings their own.
    if (hasReservedPrefix(base)) base = `h-${base}`
    let id = base
    let n = 0
    while (this.used.has(id) || PAGE_IDS.has(id)) id = `${base}-${++n}`
    this.used.add(id)
    return id
  }
}
