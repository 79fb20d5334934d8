import type { SiteConfig } from '../config'
import { monthAbbr, wallClock } from '../lib/dates'
import type { PostRecord } from '../model'
import type { Strings } from '../i18n'

export interface CitationInput {
  citeKey: string
  id: string
  title: string
  author: string
  date: number
  url: string
  timeZone: string
  /** "Blog post", "Retrieved from", the title's and the date's form in the site's language (src/i18n.ts). */
  labels: Pick<Strings, 'blogPost' | 'retrievedFrom' | 'citedTitle' | 'citedDate'>
  /** The site title: the "blog" a post appears in (RIS T2, CSL container-title, citation_journal_title). */
  siteTitle: string
  language: 'zh' | 'en'
  tags: string[]
}

/** The citation of a stored post; `url` is the post's absolute address. */
export function citationFor(
  post: Pick<PostRecord, 'id' | 'title' | 'author' | 'date' | 'tags'>,
  config: SiteConfig,
  labels: CitationInput['labels'],
  url: string,
): CitationInput {
  return {
    citeKey: config.citeKey,
    id: post.id,
    title: post.title,
    author: post.author,
    date: post.date,
    url,
    timeZone: config.timezone,
    labels: { blogPost: labels.blogPost, retrievedFrom: labels.retrievedFrom, citedTitle: labels.citedTitle, citedDate: labels.citedDate },
    siteTitle: config.title,
    language: config.language,
    tags: post.tags,
  }
}

/** `<citeKey>-<id>`: the BibTeX key, and the name of the downloadable files. */
export function citationKey(c: CitationInput): string {
  return `${c.citeKey}-${c.id}`
}

const BIBTEX_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
}

/**
 * Escapes text for a BibTeX field value in braces, in one pass (so the braces of
 * `\textbackslash{}` are not escaped again). Line breaks become spaces.
 */
function bibtex(text: string): string {
  return text.replace(/[\\~^{}&%$#_]/g, (ch) => BIBTEX_ESCAPES[ch] ?? `\\${ch}`).replace(/[\r\n]+/g, ' ')
}

/** One line of text: line breaks and other control characters become a single space. */
function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
}

const pad = (n: number) => String(n).padStart(2, '0')

/** `YYYY/MM/DD` in the site's time zone (RIS dates, Highwire Press meta tags). */
export function slashDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone)
  return `${w.year}/${pad(w.month)}/${pad(w.day)}`
}

/**
 * `Author. (Mon. DD, YYYY). 《Title》[Blog post]. Retrieved from URL`, the reference blog's convention;
 * in English `Author. (YYYY, Month D). “Title” [Blog post]. Retrieved from URL`, APA's date.
 */
export function plainCitation(c: CitationInput): string {
  const w = wallClock(c.date, c.timeZone)
  return `${c.author}. (${c.labels.citedDate(w.year, w.month, w.day)}). ${c.labels.citedTitle(c.title)}[${c.labels.blogPost}]. ${c.labels.retrievedFrom} ${c.url}`
}

/** A BibTeX `@online` entry keyed `<citeKey>-<id>`. */
export function bibtexCitation(c: CitationInput): string {
  const w = wallClock(c.date, c.timeZone)
  return [
    `@online{${citationKey(c)},`,
    `        title={${bibtex(c.title)}},`,
    `        author={${bibtex(c.author)}},`,
    `        year={${w.year}},`,
    `        month={${monthAbbr(w.month)}},`,
    // A plain URL: biblatex takes the field literally (a \\url{} wrapper would be printed).
    `        url={${c.url}},`,
    `}`,
  ].join('\n')
}

/** The `.bib` file: the entry shown on the page, with a final newline. */
export function bibtexFile(c: CitationInput): string {
  return `${bibtexCitation(c)}\n`
}

/**
 * The `.ris` file (RIS, type BLOG): one `TAG  - value` per line, CRLF line ends as the format asks.
 * `Y2` is the access date, the day of the download in the site's time zone.
 */
export function risFile(c: CitationInput, accessed: number): string {
  const w = wallClock(c.date, c.timeZone)
  const lines: [string, string][] = [
    ['TY', 'BLOG'],
    ['ID', citationKey(c)],
    ['TI', c.title],
    ['AU', c.author],
    ['PY', String(w.year)],
    ['DA', slashDate(c.date, c.timeZone)],
    ['T2', c.siteTitle],
    ['LA', c.language],
    ...c.tags.map((tag): [string, string] => ['KW', tag]),
    ['UR', c.url],
    ['Y2', slashDate(accessed, c.timeZone)],
  ]
  return [...lines.map(([tag, value]) => `${tag}  - ${oneLine(value)}`), 'ER  - ', ''].join('\r\n')
}

/** The `.json` file: CSL-JSON, an array with one `post-weblog` item; `accessed` is the day of the download. */
export function cslJsonFile(c: CitationInput, accessed: number): string {
  const parts = (ms: number) => {
    const w = wallClock(ms, c.timeZone)
    return { 'date-parts': [[w.year, w.month, w.day]] }
  }
  const item = {
    id: citationKey(c),
    type: 'post-weblog',
    title: c.title,
    // A literal name: a Chinese name must not be split into given and family name by guesswork.
    author: [{ literal: c.author }],
    issued: parts(c.date),
    accessed: parts(accessed),
    'container-title': c.siteTitle,
    language: c.language,
    URL: c.url,
  }
  return `${JSON.stringify([item], null, 2)}\n`
}

/**
 * Highwire Press meta tags (read by Google Scholar and Zotero), as [name, content] pairs.
 * The site title goes in `citation_journal_title`: Zotero then files the post with the blog's name
 * as its publication (with only `citation_publisher` it would drop the name).
 */
export function highwireMeta(c: CitationInput): [string, string][] {
  const day = slashDate(c.date, c.timeZone)
  return [
    ['citation_title', oneLine(c.title)],
    ['citation_author', oneLine(c.author)],
    ['citation_publication_date', day],
    ['citation_online_date', day],
    ['citation_journal_title', oneLine(c.siteTitle)],
    ['citation_language', c.language],
    ['citation_public_url', c.url],
    ['citation_fulltext_html_url', c.url],
  ]
}
