import { wallClock } from '../lib/dates'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

export interface CitationInput {
  citeKey: string
  id: string
  title: string
  author: string
  date: number
  url: string
  timeZone: string
  /** "Blog post" and "Retrieved from" in the site's language (src/i18n.ts). */
  labels: { blogPost: string; retrievedFrom: string }
}

/** Escapes text for a BibTeX field value in braces. */
function bibtex(text: string): string {
  return text
    .replace(/\\/g, '\\textbackslash{}')
    .replace(/([{}&%$#_])/g, '\\$1')
    .replace(/~/g, '\\textasciitilde{}')
    .replace(/\^/g, '\\textasciicircum{}')
    .replace(/[\r\n]+/g, ' ')
}

/** `Author. (Mon. DD, YYYY). 《Title》[Blog post]. Retrieved from URL`, the reference blog's convention. */
export function plainCitation(c: CitationInput): string {
  const w = wallClock(c.date, c.timeZone)
  const day = String(w.day).padStart(2, '0')
  return `${c.author}. (${MONTHS[w.month - 1]}. ${day}, ${w.year}). 《${c.title}》[${c.labels.blogPost}]. ${c.labels.retrievedFrom} ${c.url}`
}

/** A BibTeX `@online` entry keyed `<citeKey>-<id>`. */
export function bibtexCitation(c: CitationInput): string {
  const w = wallClock(c.date, c.timeZone)
  return [
    `@online{${c.citeKey}-${c.id},`,
    `        title={${bibtex(c.title)}},`,
    `        author={${bibtex(c.author)}},`,
    `        year={${w.year}},`,
    `        month={${MONTHS[w.month - 1]}},`,
    `        url={\\url{${c.url}}},`,
    `}`,
  ].join('\n')
}
