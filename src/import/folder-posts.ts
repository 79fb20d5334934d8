import { load } from 'js-yaml'
import { FrontMatterError, parseFrontMatter } from '../render/front-matter'
import {
  cleanAliases,
  dayOf,
  frontMatterDate,
  IdAllocator,
  idFrom,
  knownTimeZone,
  readDate,
  reportOf,
  type Conversion,
  type ConvertedPost,
  type ImportReport,
  type PostFrontMatter,
  type WrittenDate,
} from './convert'
import { convertBody, dateTokens, fillPermalink, JEKYLL_STYLES, jekyllSlug, urlize, type PermalinkValues } from './folder-syntax'
import { parseToml, TomlError } from './toml'
import { own as lookup } from '../lib/own'

/**
 * Converts a Hexo, Hugo or Jekyll site folder into this blog's posts (pure: the caller reads the
 * files). Paths are relative to the site's root (`source/_posts/a.md`, `content/posts/b/index.md`,
 * `_posts/2019-05-01-c.md`); the site's config (`_config.yml`, `hugo.toml`/`config.toml`/…) gives
 * the permalink pattern and time zone. See README, Importing a blog, for the field mapping.
 */
export type FolderFormat = 'hexo' | 'hugo' | 'jekyll'

export interface FolderFile {
  path: string
  text: string
}

type Data = Record<string, unknown>

interface SiteConfig {
  timeZone: string | null
  /** Hexo and Jekyll: one pattern; Hugo: per section. */
  permalink: string | null
  permalinks: Record<string, string>
  root: string
  lowerPaths: boolean
}

interface Candidate {
  path: string
  /** The file's name without extension (the bundle's folder for a Hugo `index.md`). */
  name: string
  draft: boolean
  /** Hugo: the section (`posts`); Jekyll: categories from the folders above `_posts`. */
  section: string
  dirCategories: string[]
  /** Jekyll: the date in the file name. */
  fileDate: string | null
  text: string
}

const MARKDOWN = /\.(?:md|markdown|mdown|mkd)$/i

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined
  if (typeof v === 'number') return String(v)
  return undefined
}

function list(v: unknown, splitSpaces: boolean): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => list(x, false))
  const s = str(v)
  if (!s) return []
  return splitSpaces ? s.split(/\s+/) : [s]
}

function parseConfigText(path: string, text: string): Data {
  if (/\.toml$/i.test(path)) return parseToml(text)
  const data = load(text)
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Data) : {}
}

const CONFIG_FILES: Record<FolderFormat, string[]> = {
  hexo: ['_config.yml', '_config.yaml'],
  jekyll: ['_config.yml', '_config.yaml'],
  hugo: [
    'hugo.toml',
    'hugo.yaml',
    'hugo.yml',
    'config.toml',
    'config.yaml',
    'config.yml',
    'config/_default/hugo.toml',
    'config/_default/config.toml',
  ],
}

function readConfig(files: FolderFile[], from: FolderFormat, warn: (source: string, m: string) => void): SiteConfig {
  const config: SiteConfig = { timeZone: null, permalink: null, permalinks: {}, root: '/', lowerPaths: true }
  const file = CONFIG_FILES[from].map((name) => files.find((f) => f.path === name)).find(Boolean)
  if (!file) {
    warn('(site)', `no ${CONFIG_FILES[from][0]}: default permalinks, and dates without an offset are read in the blog’s TIMEZONE`)
    return config
  }
  let data: Data
  try {
    data = parseConfigText(file.path, file.text)
  } catch (e) {
    warn(file.path, `not readable (${e instanceof Error ? e.message.split('\n')[0] : String(e)}): defaults used`)
    return config
  }
  const tz = str(from === 'hugo' ? (data.timeZone ?? data.timezone) : data.timezone)
  if (tz && knownTimeZone(tz)) config.timeZone = tz
  else if (tz) warn(file.path, `unknown time zone "${tz}": dates without an offset are read in the blog’s TIMEZONE`)
  else warn(file.path, 'no time zone: dates without an offset are read in the blog’s TIMEZONE')
  if (from === 'hugo') {
    const p = data.permalinks
    const page = p && typeof p === 'object' && 'page' in p ? (p as Data).page : p
    if (page && typeof page === 'object') for (const [k, v] of Object.entries(page)) if (typeof v === 'string') config.permalinks[k] = v
    config.lowerPaths = data.disablePathToLower !== true
  } else {
    config.permalink = str(data.permalink) ?? null
    const root = str(from === 'hexo' ? data.root : data.baseurl)
    if (root) config.root = `/${root.replace(/^\/+|\/+$/g, '')}/`.replace('//', '/')
  }
  return config
}

/** Which files are posts, and which are left out (with the reason). */
function classify(files: FolderFile[], from: FolderFormat, skipped: ImportReport['skipped']): Candidate[] {
  const out: Candidate[] = []
  const byPath = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  for (const f of byPath) {
    const path = f.path
    if (!MARKDOWN.test(path)) continue
    const parts = path.split('/')
    const file = parts[parts.length - 1]!
    const base = file.replace(MARKDOWN, '')
    const c: Candidate = { path, name: base, draft: false, section: '', dirCategories: [], fileDate: null, text: f.text }
    if (from === 'hexo') {
      if (parts[0] !== 'source') continue
      if (parts[1] === '_posts' || parts[1] === '_drafts') {
        c.draft = parts[1] === '_drafts'
        c.name = parts.slice(2).join('/').replace(MARKDOWN, '')
      } else {
        skipped.push({ source: path, reason: 'a Hexo page (not in source/_posts): pages are not imported' })
        continue
      }
    } else if (from === 'hugo') {
      if (parts[0] !== 'content') continue
      if (/^_index\./i.test(file)) {
        skipped.push({ source: path, reason: 'a section’s list page (_index.md), not a post' })
        continue
      }
      if (parts.length < 3) {
        skipped.push({ source: path, reason: 'a page at the top of content/ (not in a section): pages are not imported' })
        continue
      }
      c.section = parts.slice(1, /^index\./i.test(file) ? -2 : -1).join('/')
      if (/^index\./i.test(file)) c.name = parts[parts.length - 2]!
      if (!c.section) {
        skipped.push({ source: path, reason: 'a page bundle at the top of content/ (not in a section): pages are not imported' })
        continue
      }
    } else {
      if (parts.some((p) => p === '_site' || p === 'node_modules' || p === 'vendor' || p === '_layouts' || p === '_includes')) continue
      const at = parts.findIndex((p) => p === '_posts' || p === '_drafts')
      if (at < 0) {
        skipped.push({ source: path, reason: 'a Jekyll page (not in _posts): pages are not imported' })
        continue
      }
      c.draft = parts[at] === '_drafts'
      c.dirCategories = parts.slice(0, at)
      const m = /^(\d{4}-\d{1,2}-\d{1,2})-(.+)$/.exec(base)
      if (m) {
        c.fileDate = m[1]!
        c.name = m[2]!
      } else if (!c.draft) {
        skipped.push({ source: path, reason: 'no date in the file name (YYYY-MM-DD-title.md): Jekyll does not publish it' })
        continue
      }
    }
    out.push(c)
  }
  return out
}

/** Front matter and body: YAML between `---`, TOML between `+++`. */
function split(text: string): { data: Data; body: string; had: boolean } {
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const toml = /^\+\+\+[ \t]*\n([\s\S]*?)\n\+\+\+[ \t]*(?:\n|$)/.exec(src)
  if (toml) return { data: parseToml(toml[1]!), body: src.slice(toml[0].length).replace(/^\n+/, ''), had: true }
  if (/^\{\s*\n/.test(src)) throw new FrontMatterError('JSON front matter is not supported (convert it to YAML or TOML)')
  const doc = parseFrontMatter(src)
  return { ...doc, had: src.startsWith('---') }
}

function categoryPaths(v: unknown, from: FolderFormat): string[][] {
  if (!Array.isArray(v)) return list(v, from === 'jekyll').map((c) => [c])
  // Hexo: [a, b] is one path a > b; [[a, b], [c]] is two. Others: a flat list of categories.
  if (from === 'hexo' && !v.some(Array.isArray)) return [list(v, false)]
  return v.map((x) => list(x, false)).filter((p) => p.length > 0)
}

/** Converts a site folder (see above); never throws on file contents (bad files are skipped with the reason). */
export function folderPosts(input: FolderFile[], from: FolderFormat): Conversion {
  const files = input.map((f) => ({ path: f.path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, ''), text: f.text }))
  const skipped: ImportReport['skipped'] = []
  const warnings: ImportReport['warnings'] = []
  const warn = (source: string, message: string) => warnings.push({ source, message })
  const config = readConfig(files, from, warn)
  const ids = new IdAllocator()
  const posts: ConvertedPost[] = []

  for (const c of classify(files, from, skipped)) {
    const w = (m: string) => warn(c.path, m)
    let doc
    try {
      doc = split(c.text)
    } catch (e) {
      const why = e instanceof TomlError ? `TOML front matter: ${e.message}` : e instanceof Error ? e.message : String(e)
      skipped.push({ source: c.path, reason: why })
      continue
    }
    const { data } = doc
    if (!doc.had && from === 'jekyll') {
      skipped.push({ source: c.path, reason: 'no front matter: Jekyll copies such a file as it is, not as a post' })
      continue
    }

    // Date: as written, with its offset, else the site's zone.
    const dateText = str(data.date) ?? (from === 'hugo' ? str(data.publishDate) : undefined) ?? c.fileDate ?? undefined
    let written: WrittenDate | null = null
    if (dateText) {
      written = readDate(dateText)
      if (!written) {
        skipped.push({ source: c.path, reason: `date "${dateText}" is not a date` })
        continue
      }
    } else w('no date: the post gets the time of its first publish')
    if (from === 'hugo' && str(data.publishDate) && str(data.date)) w(`publishDate ${str(data.publishDate)} ignored: date is used`)
    if (from === 'hugo' && data.expiryDate !== undefined) w('expiryDate ignored: posts here do not expire')

    const title = str(data.title) ?? (from === 'jekyll' ? c.name.replace(/-/g, ' ') : c.name)
    if (!str(data.title)) w(`no title: "${title}" (from the file name)`)

    // Id: the slug (Hugo, Jekyll) or file name; normalised; a name with no Latin letters gets a date-based id.
    const slugSource = (from !== 'hexo' ? str(data.slug) : undefined) ?? c.name.split('/').pop()!
    const wanted = idFrom(slugSource)
    let id: string
    if (wanted.id) {
      id = ids.claim(wanted.id)
      if (wanted.normalised || id !== wanted.id) w(`"${slugSource}" is not an id here: "${id}"`)
    } else {
      id = ids.claimDay(written ? dayOf(written) : 'post')
      w(`"${slugSource}" has no Latin letters or digits (no transliteration): id "${id}"`)
    }

    const fm: PostFrontMatter = { id, title }
    if (written) fm.date = frontMatterDate(written, config.timeZone)
    const updatedText = str(from === 'hugo' ? data.lastmod : (data.updated ?? data.last_modified_at))
    const updated = updatedText ? readDate(updatedText) : null
    if (updated) fm.updated = frontMatterDate(updated, config.timeZone)
    else if (updatedText) w(`updated "${updatedText}" is not a date: left out`)

    const author =
      str(data.author) ??
      list(data.authors, false)[0] ??
      (data.author && typeof data.author === 'object' ? str((data.author as Data).name) : undefined)
    if (author) fm.author = author
    const paths = categoryPaths(data.categories ?? data.category, from)
    if (from === 'jekyll' && c.dirCategories.length) paths.unshift(c.dirCategories)
    const names = [...new Set(paths.flat())]
    if (names[0]) fm.category = names[0]
    const tags = [...new Set([...names.slice(1), ...list(data.tags ?? data.tag, from === 'jekyll')])]
    if (names.length > 1)
      w(
        `one category per post here: ${names
          .slice(1)
          .map((n) => `"${n}"`)
          .join(', ')} kept as tags`,
      )
    if (tags.length) fm.tags = tags
    const series = list(data.series, false)[0]
    if (series) fm.series = series
    const summary = str(data.summary) ?? str(data.excerpt) ?? str(data.description)
    if (summary) fm.summary = summary.slice(0, 2000)
    if (c.draft || data.draft === true || data.draft === 'true' || data.published === false) fm.draft = true
    if (data.comments === false) fm.comments = false

    const converted = convertBody(doc.body, from)
    for (const m of converted.warnings) w(m)
    if (!converted.body.trim()) {
      skipped.push({ source: c.path, reason: 'empty body' })
      continue
    }

    fm.aliases = fm.draft ? [] : cleanAliases(id, oldAddresses(c, data, from, config, written, names, w), w)
    posts.push({ id, from: c.path, frontMatter: fm, body: converted.body, comments: [] })
  }
  return { posts, report: reportOf(posts, skipped, warnings) }
}

/** The post's old addresses on the source site (its permalink, and Hugo's own aliases). */
function oldAddresses(
  c: Candidate,
  data: Data,
  from: FolderFormat,
  config: SiteConfig,
  w: WrittenDate | null,
  categories: string[],
  warn: (m: string) => void,
): string[] {
  const out: string[] = []
  const values: PermalinkValues = w ? dateTokens(w) : {}
  let pattern: string | null
  if (from === 'hexo') {
    const own = str(data.permalink)
    if (own) return [config.root + own.replace(/^\/+/, '')]
    pattern = config.permalink ?? ':year/:month/:day/:title/'
    Object.assign(values, {
      title: c.name,
      name: c.name.split('/').pop()!,
      post_title: c.name,
      category: categories.map((n) => n.replace(/\s+/g, '-')).join('/') || 'uncategorized',
    })
    const abbr = str(data.abbrlink)
    if (abbr) values.abbrlink = abbr
  } else if (from === 'jekyll') {
    const own = str(data.permalink)
    if (own) return [config.root + own.replace(/^\/+/, '')]
    const p = config.permalink ?? 'date'
    pattern = lookup(JEKYLL_STYLES, p) ?? p
    const slug = str(data.slug) ?? c.name
    Object.assign(values, {
      title: slug,
      slug: jekyllSlug(slug),
      name: c.name,
      categories: categories.map((n) => n.toLowerCase()).join('/'),
      output_ext: '.html',
    })
  } else {
    for (const a of list(data.aliases, false)) out.push(a.startsWith('/') ? a : `/${c.section}/${a}`)
    const url = str(data.url)
    if (url) return [...out, url]
    const slug = str(data.slug) ?? urlize(str(data.title) ?? c.name)
    Object.assign(values, {
      section: c.section.split('/')[0]!,
      sections: c.section,
      title: urlize(str(data.title) ?? c.name),
      slug,
      filename: c.name,
      contentbasename: c.name,
      slugorfilename: str(data.slug) ?? c.name,
      slugorcontentbasename: str(data.slug) ?? c.name,
    })
    pattern = lookup(config.permalinks, c.section.split('/')[0]!) ?? `/${c.section}/${str(data.slug) ?? c.name}/`
  }
  const filled = fillPermalink(pattern, values)
  if ('unknown' in filled) {
    warn(`permalink ${pattern}: :${filled.unknown} is not known for this post, so its old address is not redirected`)
    return out
  }
  let path = from === 'hexo' || from === 'jekyll' ? config.root + filled.path.replace(/^\//, '') : filled.path
  if (from === 'hugo' && config.lowerPaths) path = path.toLowerCase()
  out.push(path)
  return out
}
