/**
 * The blog's command line: write, publish, sync, pull, export and import a blog through its API.
 *
 *   npm run blog -- <command> [arguments] [--url https://blog.example]
 *
 * The token comes from BLOG_TOKEN (or ADMIN_TOKEN); for a local URL, .dev.vars is read as well.
 * Every command prints progress and a summary, and exits 1 if anything failed (2 for bad usage).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { api, blogToken, NO_TOKEN, UnreachableError, type CliContext } from './cli/context'
import { rewriteLocalImages, uploadImage } from './cli/images'
import { IMPORT_OPTIONS } from './cli/import-options'
import { postId, syncContent } from './sync-content'
import { isPostId, SLUG_RE } from '../src/lib/slug'

const USAGE = `Usage: npm run blog -- <command> [arguments] [--url <blog>]

  new "<title>" [--id <slug>] [--dir content]   write content/<slug>.md (a draft) with front matter
  publish <file.md>…                              publish files (local images uploaded)
  sync [--dir content] [--delete]                 publish new and changed files of the folder;
                                                  --delete also deletes posts that have no file
  pull [--dir content] [--force]                  download every post (drafts too) as markdown;
                                                  a local file that differs is kept unless --force
  rerender                                        render every post and comment again
  stats [--days 30] [--rank period|all] [--post <id>]
                                                  readers per day and the most read posts of
                                                  the period (or of all time), or one post's
                                                  exact figures
  export [--out site.json]                        the whole site into one JSON file
  import <site.json> [--mode skip|replace] [--batch 5]
                                                  restore an export (skip: leave existing posts)
  import-wordpress <file.xml> [--dry-run | --out <dir>] [--update] [--no-pages]
                                                  import a WordPress export
  import-folder <dir> --from hexo|hugo|jekyll [--dry-run | --out <dir>] [--update]
                                                  import a static site's posts

Options: --url (default http://127.0.0.1:8787); the admin token from BLOG_TOKEN or ADMIN_TOKEN
(for a local URL also ADMIN_TOKEN in .dev.vars). --help prints this.`

interface Summary {
  created: number
  updated: number
  unchanged: number
  failed: number
  [other: string]: number
}

const newSummary = (): Summary => ({ created: 0, updated: 0, unchanged: 0, failed: 0 })

function printSummary(ctx: CliContext, what: string, s: Summary): void {
  const extra = Object.entries(s)
    .filter(([k, v]) => !['created', 'updated', 'unchanged', 'failed'].includes(k) && v > 0)
    .map(([k, v]) => `, ${v} ${k}`)
    .join('')
  ctx.log(`${what}: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged${extra}, ${s.failed} failed`)
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

/** A post id from a title: Latin text lower-case and dashed; null when nothing Latin is left (a Chinese title). */
export function slugOf(title: string): string | null {
  if (/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(title)) return null
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
  return slug && SLUG_RE.test(slug) ? slug : null
}

function today(): { day: string; time: string } {
  const d = new Date()
  const p = (n: number) => String(n).padStart(2, '0')
  return { day: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`, time: `${p(d.getHours())}:${p(d.getMinutes())}` }
}

function cmdNew(ctx: CliContext, args: string[], values: Values): number {
  const title = args.join(' ').trim()
  if (!title) return usage('new needs a title: npm run blog -- new "My title"')
  const dir = values.dir ?? 'content'
  const { day, time } = today()
  let id = values.id ?? slugOf(title)
  if (id === null) {
    // A title with no Latin words (a Chinese title): a date-based id, unless --id gives one.
    let n = 1
    while (existsSync(join(dir, `${day}-${n}.md`))) n++
    id = `${day}-${n}`
    ctx.log(`no Latin words in the title: using the id ${id} (give --id to choose one)`)
  }
  if (!isPostId(id)) return usage(`"${id}" is not a valid id (lower-case letters and digits separated by dashes)`)
  const file = join(dir, `${id}.md`)
  if (existsSync(file)) {
    console.error(`${file} already exists; not overwriting it.`)
    return 1
  }
  mkdirSync(dir, { recursive: true })
  writeFileSync(file, `---\ntitle: ${JSON.stringify(title)}\ndate: ${day} ${time}\ntags: []\ndraft: true\n---\n\n`)
  ctx.log(`created ${file} (a draft: set draft: false, then publish or sync)`)
  return 0
}

/** The text to send for a file: local images uploaded and their references rewritten. */
async function withImages(ctx: CliContext, file: string, text: string): Promise<string> {
  const { text: out, uploaded } = await rewriteLocalImages(text, dirname(file), (path) => uploadImage(ctx, path))
  for (const path of uploaded) ctx.log(`  image     ${path}`)
  return out
}

async function cmdPublish(ctx: CliContext, files: string[]): Promise<number> {
  if (files.length === 0) return usage('publish needs one or more markdown files')
  const s = newSummary()
  for (const file of files) {
    try {
      const text = readFileSync(file, 'utf8')
      const id = postId(file.split('/').pop()!, text)
      const body = await api<{ result: string }>(ctx, `/api/posts/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'text/markdown; charset=utf-8' },
        body: await withImages(ctx, file, text),
      })
      const result = body.result === 'restored' ? 'updated' : body.result
      s[result] = (s[result] ?? 0) + 1
      ctx.log(`  ${body.result.padEnd(9)} ${file} → /archives/${id}`)
    } catch (err) {
      // (A blog that does not answer is said once, by main: no file can go.)
      if (err instanceof UnreachableError) throw err
      s.failed++
      ctx.log(`  failed    ${file}: ${message(err)}`)
    }
  }
  printSummary(ctx, 'publish', s)
  return s.failed > 0 ? 1 : 0
}

interface ListedPost {
  id: string
  status: string
}

async function allPosts(ctx: CliContext): Promise<ListedPost[]> {
  const posts: ListedPost[] = []
  for (let page = 1; ; page++) {
    const body = await api<{ posts: ListedPost[]; pages: number }>(ctx, `/api/posts?status=all&limit=200&page=${page}`)
    posts.push(...body.posts)
    if (page >= body.pages) return posts
  }
}

async function cmdSync(ctx: CliContext, values: Values): Promise<number> {
  const dir = values.dir ?? 'content'
  const summary = await syncContent({
    url: ctx.url,
    token: ctx.token,
    dir,
    log: ctx.log,
    transform: (file, text) => withImages(ctx, file, text),
  })
  let failed = summary.failed
  const local = new Set<string>()
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
    try {
      local.add(postId(f, readFileSync(join(dir, f), 'utf8')))
    } catch {
      // already reported by the sync
    }
  }
  const orphans = (await allPosts(ctx)).filter((p) => !local.has(p.id))
  if (orphans.length > 0 && !values.delete) {
    ctx.log(
      `${orphans.length} post(s) on the blog have no file in ${dir}/ (kept; --delete deletes them): ${orphans.map((p) => p.id).join(', ')}`,
    )
  }
  if (values.delete) {
    let deleted = 0
    for (const p of orphans) {
      try {
        await api(ctx, `/api/posts/${p.id}`, { method: 'DELETE' })
        deleted++
        ctx.log(`  deleted   ${p.id} (no file)`)
      } catch (err) {
        if (err instanceof UnreachableError) throw err
        failed++
        ctx.log(`  failed    delete ${p.id}: ${message(err)}`)
      }
    }
    ctx.log(`delete: ${deleted} deleted`)
  }
  return failed > 0 ? 1 : 0
}

async function cmdPull(ctx: CliContext, values: Values): Promise<number> {
  const dir = values.dir ?? 'content'
  mkdirSync(dir, { recursive: true })
  const s = newSummary()
  s.kept = 0
  const posts = await allPosts(ctx)
  ctx.log(`pulling ${posts.length} posts into ${dir}/`)
  for (const p of posts) {
    const file = join(dir, `${p.id}.md`)
    try {
      const text = await api<string>(ctx, `/api/posts/${p.id}`, { headers: { accept: 'text/markdown' } })
      if (!existsSync(file)) {
        writeFileSync(file, text)
        s.created++
        ctx.log(`  created   ${file}`)
      } else if (readFileSync(file, 'utf8') === text) {
        s.unchanged++
      } else if (values.force) {
        writeFileSync(file, text)
        s.updated++
        ctx.log(`  updated   ${file}`)
      } else {
        s.kept++
        ctx.log(`  kept      ${file} (differs from the blog; --force overwrites it)`)
      }
    } catch (err) {
      if (err instanceof UnreachableError) throw err
      s.failed++
      ctx.log(`  failed    ${p.id}: ${message(err)}`)
    }
  }
  printSummary(ctx, 'pull', s)
  return s.failed > 0 ? 1 : 0
}

async function cmdRerender(ctx: CliContext): Promise<number> {
  const body = await api<{ posts: number; rooms: number }>(ctx, '/api/rerender', { method: 'POST' })
  ctx.log(`rerender: ${body.posts} posts and ${body.rooms} posts' comments queued`)
  return 0
}

interface DayViews {
  day: string
  views: number
}

const readers = (n: number) => `${n} reader${n === 1 ? '' : 's'}`

/** A day's line: the day, its readers and a bar scaled to the period's busiest day. */
function dayLines(daily: DayViews[]): string[] {
  const max = Math.max(1, ...daily.map((d) => d.views))
  const width = String(max).length
  return daily.map((d) => `  ${d.day}  ${String(d.views).padStart(width)}  ${'#'.repeat(Math.ceil((d.views / max) * 40))}`)
}

/** GET /api/stats: the site's readers per day and its most read posts, or one post's (--post) exact figures. */
async function cmdStats(ctx: CliContext, values: Values): Promise<number> {
  const days = Number(values.days ?? 30)
  if (!Number.isInteger(days) || days < 1 || days > 366) return usage('--days must be 1 to 366')
  const sum = (daily: DayViews[]) => daily.reduce((n, d) => n + d.views, 0)
  if (values.post !== undefined) {
    if (!isPostId(values.post)) return usage(`"${values.post}" is not a valid id`)
    const post = await api<{
      id: string
      status: string
      views: number
      comments: number
      reactions: Record<string, number>
      daily: DayViews[]
    }>(ctx, `/api/stats?post=${values.post}&days=${days}`)
    ctx.log(
      `${post.id} (${post.status}): ${readers(post.views)} in all, ${sum(post.daily)} in the last ${days} days, ${post.comments} comment${post.comments === 1 ? '' : 's'}`,
    )
    const reactions = Object.entries(post.reactions)
    if (reactions.length > 0) ctx.log(`  reactions: ${reactions.map(([key, n]) => `${key} ${n}`).join(', ')}`)
    for (const line of dayLines(post.daily)) ctx.log(line)
    return 0
  }
  const rank = values.rank ?? 'period'
  if (rank !== 'period' && rank !== 'all') return usage('--rank must be period or all')
  const stats = await api<{
    totalViews: number
    site: DayViews[]
    posts: { id: string; title: string; views: number; comments: number; daily: DayViews[] }[]
  }>(ctx, `/api/stats?days=${days}&rank=${rank}`)
  ctx.log(`${readers(stats.totalViews)} in all, ${sum(stats.site)} in the last ${days} days (days without readers left out)`)
  for (const line of dayLines(stats.site)) ctx.log(line)
  ctx.log(`most read posts ${rank === 'all' ? 'of all time' : `in the last ${days} days`} (readers in all / last ${days} days / comments):`)
  for (const p of stats.posts)
    ctx.log(`  ${String(p.views).padStart(7)} ${String(sum(p.daily)).padStart(7)} ${String(p.comments).padStart(5)}  ${p.id}  ${p.title}`)
  return 0
}

interface ExportPage {
  format: string
  version: number
  site?: unknown
  posts: { id: string }[]
  next: string | null
}

async function cmdExport(ctx: CliContext, values: Values): Promise<number> {
  const out = values.out ?? 'site.json'
  const posts: unknown[] = []
  let first: ExportPage | null = null
  let cursor: string | null = null
  do {
    const page: ExportPage = await api<ExportPage>(ctx, `/api/export${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`)
    first ??= page
    posts.push(...page.posts)
    ctx.log(`  exported  ${posts.length} posts${page.next ? ' …' : ''}`)
    cursor = page.next
  } while (cursor)
  const file = { format: first.format, version: first.version, exportedAt: new Date().toISOString(), site: first.site, posts, next: null }
  // (A folder that does not exist yet is made: the pages fetched are not lost to an ENOENT.)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, JSON.stringify(file, null, 1) + '\n')
  ctx.log(`export: ${posts.length} posts written to ${out}`)
  return 0
}

interface ImportReport {
  created: number
  updated: number
  unchanged: number
  skipped: string[]
  failed: { id: string | null; reason: string }[]
}

async function cmdImport(ctx: CliContext, args: string[], values: Values): Promise<number> {
  const path = args[0]
  if (!path) return usage('import needs the JSON file written by export')
  const mode = values.mode ?? 'skip'
  if (mode !== 'skip' && mode !== 'replace') return usage('--mode must be skip or replace')
  const batch = Number(values.batch ?? 5)
  if (!Number.isInteger(batch) || batch < 1 || batch > 20) return usage('--batch must be 1 to 20')
  let file: ExportPage
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as ExportPage
  } catch (err) {
    console.error(`${path}: ${message(err)}`)
    return 1
  }
  if (!file || !Array.isArray(file.posts)) {
    console.error(`${path}: not an export file (no posts)`)
    return 1
  }
  const s = newSummary()
  s.skipped = 0
  for (let i = 0; i < file.posts.length; i += batch) {
    const posts = file.posts.slice(i, i + batch)
    try {
      const r = await api<ImportReport>(ctx, `/api/import?mode=${mode}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ format: file.format, version: file.version, site: file.site, posts, next: null }),
      })
      s.created += r.created
      s.updated += r.updated
      s.unchanged += r.unchanged
      s.skipped += r.skipped.length
      s.failed += r.failed.length
      for (const id of r.skipped) ctx.log(`  skipped   ${id} (already on the blog and different; --mode replace overwrites it)`)
      for (const f of r.failed) ctx.log(`  failed    ${f.id ?? '?'}: ${f.reason}`)
    } catch (err) {
      if (err instanceof UnreachableError) throw err
      s.failed += posts.length
      ctx.log(`  failed    ${posts.map((p) => p.id).join(', ')}: ${message(err)}`)
      // A refused format or version fails every request the same way.
      if (/HTTP 400/.test(message(err)) && i === 0 && /format|version/.test(message(err))) break
    }
    ctx.log(`  imported  ${Math.min(i + batch, file.posts.length)}/${file.posts.length}`)
  }
  printSummary(ctx, 'import', s)
  return s.failed > 0 ? 1 : 0
}

/** The importers live in scripts/cli/import-blog.ts; loaded only when asked for. */
async function cmdImporter(ctx: CliContext, name: 'runImportWordpress' | 'runImportFolder', args: string[]): Promise<number> {
  const path = './cli/import-blog'
  let mod: Record<string, unknown>
  try {
    mod = (await import(path)) as Record<string, unknown>
  } catch (err) {
    console.error(`This command is not available: ${message(err)}`)
    return 1
  }
  const run = mod[name]
  if (typeof run !== 'function') {
    console.error(`scripts/cli/import-blog.ts has no ${name}`)
    return 1
  }
  const result = (await (run as (a: string[], c: CliContext) => Promise<unknown>)(args, ctx)) as { failed?: unknown } | number | undefined
  if (typeof result === 'number') return result
  const failed = result?.failed
  return (Array.isArray(failed) ? failed.length : typeof failed === 'number' ? failed : 0) > 0 ? 1 : 0
}

function usage(problem: string): number {
  console.error(`${problem}\n\n${USAGE}`)
  return 2
}

interface Values {
  url?: string
  dir?: string
  id?: string
  out?: string
  mode?: string
  batch?: string
  days?: string
  post?: string
  rank?: string
  force?: boolean
  delete?: boolean
  help?: boolean
}

/** The commands' options (parseArgs in main); the importers read theirs (cli/import-options.ts). */
const OPTIONS = {
  url: { type: 'string' },
  dir: { type: 'string' },
  id: { type: 'string' },
  out: { type: 'string' },
  mode: { type: 'string' },
  batch: { type: 'string' },
  days: { type: 'string' },
  post: { type: 'string' },
  rank: { type: 'string' },
  force: { type: 'boolean' },
  delete: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>

/**
 * Options that take a value as the next argument (`--url <blog>`): that value is not the command.
 * Made from the options above and the importers' (every `type: 'string'` one, and its short form),
 * so a new option is declared once.
 */
const VALUE_OPTIONS = new Set(
  Object.entries({ ...IMPORT_OPTIONS, ...OPTIONS } as NonNullable<ParseArgsConfig['options']>).flatMap(([name, option]) =>
    option.type === 'string' ? [`--${name}`, ...(option.short ? [`-${option.short}`] : [])] : [],
  ),
)

/** Where the command is in the arguments: the first one that is neither an option nor an option's value. */
function commandIndex(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') return i + 1 < argv.length ? i + 1 : -1
    if (VALUE_OPTIONS.has(a)) i++
    else if (!a.startsWith('-')) return i
  }
  return -1
}

export async function main(argv: string[]): Promise<number> {
  let parsed
  const at = commandIndex(argv)
  const importer = at >= 0 ? argv[at] : undefined
  if (importer === 'import-wordpress' || importer === 'import-folder') {
    // --help is the dispatcher's, as for every command (the importers' own flags are in USAGE).
    if (argv.includes('--help') || argv.includes('-h')) {
      console.log(USAGE)
      return 0
    }
    // The importers read their own flags; --url (before or after the command, `--url <blog>` or
    // `--url=<blog>`) is taken out here.
    const rest = argv.filter((_, i) => i !== at)
    let url = 'http://127.0.0.1:8787'
    for (let i = 0; i < rest.length;) {
      const a = rest[i]!
      if (a === '--url' || a.startsWith('--url=')) {
        const value = a === '--url' ? rest[i + 1] : a.slice('--url='.length)
        if (!value || value.startsWith('-')) return usage("--url needs the blog's address")
        url = value
        rest.splice(i, a === '--url' ? 2 : 1)
      } else i++
    }
    const token = blogToken(url)
    if (!token) return usage(NO_TOKEN)
    const ctx = { url: url.replace(/\/+$/, ''), token, log: (line: string) => console.log(line) }
    return cmdImporter(ctx, importer === 'import-wordpress' ? 'runImportWordpress' : 'runImportFolder', rest)
  }
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: OPTIONS,
    })
  } catch (err) {
    return usage(message(err))
  }
  const values = parsed.values as Values
  const [command, ...args] = parsed.positionals
  if (values.help || !command) {
    console.log(USAGE)
    return command || values.help ? 0 : 2
  }
  const url = (values.url ?? 'http://127.0.0.1:8787').replace(/\/+$/, '')
  const log = (line: string) => console.log(line)
  if (command === 'new') return cmdNew({ url, token: '', log }, args, values)
  const token = blogToken(url)
  const commands: Record<string, (ctx: CliContext) => Promise<number>> = {
    publish: (ctx) => cmdPublish(ctx, args),
    sync: (ctx) => cmdSync(ctx, values),
    pull: (ctx) => cmdPull(ctx, values),
    rerender: (ctx) => cmdRerender(ctx),
    stats: (ctx) => cmdStats(ctx, values),
    export: (ctx) => cmdExport(ctx, values),
    import: (ctx) => cmdImport(ctx, args, values),
  }
  const run = commands[command]
  if (!run) return usage(`unknown command "${command}"`)
  if (!token) {
    console.error(NO_TOKEN)
    return 2
  }
  try {
    return await run({ url, token, log })
  } catch (err) {
    console.error(message(err))
    return 1
  }
}

if (process.argv[1] && /blog\.[tj]s$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(message(err))
      process.exit(1)
    },
  )
}
