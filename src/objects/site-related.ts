import type { Backlink } from '../model'

/** At most this many related posts (相关文章) under a post. */
export const RELATED_POSTS = 5
/**
 * A term on more published posts than this says too little about two of them to relate them (and
 * walking its members for every one of them would make the work grow with the square of the site).
 */
export const RELATED_MAX_TERM_POSTS = 250
/** A shared category counts this much of what a tag as rare would. */
const CATEGORY_WEIGHT = 0.5

export interface RelatedInput {
  id: string
  title: string
  date_ms: number
  series: string | null
  /** The lists the post is in: `category:<slug>` and `tag:<slug>` (as the Site object names them). */
  terms: readonly string[]
}

/**
 * Every published post's related posts (README: Categories, tags, archive and series): the posts
 * that share the most with it, where each shared tag counts by how rare it is on the site (the log
 * of published posts over the tag's posts) and a shared category half as much; ties go to the post
 * closer in time, then the newer. Posts of the post's own series are left out (its series box lists
 * them), as are terms on one post only or on more than RELATED_MAX_TERM_POSTS. At most RELATED_POSTS,
 * none when nothing is shared. `rows` are the published posts; `members` each list's post ids.
 */
export function relatedPosts(
  rows: readonly RelatedInput[],
  members: ReadonlyMap<string, readonly { id: string }[]>,
): Map<string, Backlink[]> {
  const index = new Map(rows.map((r, i) => [r.id, i]))
  const total = rows.length
  const weights = new Map<string, { weight: number; posts: number[] }>()
  for (const [list, posts] of members) {
    const kind = list.startsWith('tag:') ? 'tag' : list.startsWith('category:') ? 'category' : null
    if (kind === null || posts.length < 2 || posts.length > RELATED_MAX_TERM_POSTS) continue
    const weight = Math.log(total / posts.length) * (kind === 'category' ? CATEGORY_WEIGHT : 1)
    if (!(weight > 0)) continue
    weights.set(list, { weight, posts: posts.map((p) => index.get(p.id)).filter((i): i is number => i !== undefined) })
  }
  const related = new Map<string, Backlink[]>()
  // One score per post, reset after each use: the posts touched are listed, so a post costs what it shares.
  const scores = new Float64Array(total)
  const touched: number[] = []
  rows.forEach((row, i) => {
    for (const term of row.terms) {
      const w = weights.get(term)
      if (!w) continue
      for (const j of w.posts) {
        if (j === i || (row.series !== null && rows[j]!.series === row.series)) continue
        if (scores[j] === 0) touched.push(j)
        scores[j] = scores[j]! + w.weight
      }
    }
    if (touched.length === 0) return
    // Higher score first; then nearer in time; then newer; then the id.
    const before = (a: number, b: number) =>
      scores[a]! - scores[b]! ||
      Math.abs(rows[b]!.date_ms - row.date_ms) - Math.abs(rows[a]!.date_ms - row.date_ms) ||
      rows[a]!.date_ms - rows[b]!.date_ms ||
      (rows[a]!.id < rows[b]!.id ? 1 : -1)
    // The best RELATED_POSTS, kept in order by insertion (a full sort would cost more than the scoring).
    const best: number[] = []
    for (const j of touched) {
      if (best.length === RELATED_POSTS && before(j, best[RELATED_POSTS - 1]!) <= 0) continue
      let at = best.length
      while (at > 0 && before(j, best[at - 1]!) > 0) at--
      best.splice(at, 0, j)
      if (best.length > RELATED_POSTS) best.pop()
    }
    related.set(
      row.id,
      best.map((j) => ({ id: rows[j]!.id, title: rows[j]!.title, date: rows[j]!.date_ms })),
    )
    for (const j of touched) scores[j] = 0
    touched.length = 0
  })
  return related
}
