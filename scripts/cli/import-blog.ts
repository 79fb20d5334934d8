/**
 * `npm run blog -- import-wordpress <file.xml>` and `npm run blog -- import-folder <dir> --from
 * hexo|hugo|jekyll`: convert another blog's posts (src/import/posts.ts) and publish them through the
 * API, or write them as markdown files (`--out <dir>`), or only show the plan (`--dry-run`).
 *
 * An id already taken on the blog is left alone (reported); with `--update`, posts are sent as
 * content sync (`PUT /api/posts/:id?sync=1`, as every import sends them), so an import run again
 * replaces what an earlier import wrote, changes nothing that is unchanged, and still never replaces
 * a post written or edited through the API (reported as skipped). WordPress comments follow through `POST /api/import/comments?format=wxr`,
 * which reads the same file with the same parser (so they land on the same ids) and adds each
 * comment once.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { ImportFormatError } from '../../src/import/formats'
import { folderPosts, postMarkdown, wxrPosts, type Conversion, type FolderFile, type FolderFormat } from '../../src/import/posts'
import { api, apiResponse, type CliContext } from './context'
import { IMPORT_OPTIONS } from './import-options'

interface Options {
  dryRun: boolean
  out: string | null
  /** Replace posts an earlier import (or content sync) wrote; without it an existing id is left alone. */
  update: boolean
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

function usage(ctx: CliContext, problem: string): number {
  ctx.log(problem)
  ctx.log('Usage: npm run blog -- import-wordpress <file.xml> [--dry-run | --out <dir>] [--update] [--no-pages]')
  ctx.log('       npm run blog -- import-folder <dir> --from hexo|hugo|jekyll [--dry-run | --out <dir>] [--update]')
  return 2
}

function printConversion(ctx: CliContext, c: Conversion): void {
  for (const p of c.posts) {
    const fm = p.frontMatter
    const state = fm.draft ? ' (draft)' : fm.type === 'page' ? ' (page)' : ''
    const comments = p.comments.length ? `, ${p.comments.length} comments` : ''
    ctx.log(`  post      ${p.id}${state} ← ${p.from}${comments}`)
    for (const a of fm.aliases ?? []) ctx.log(`              redirect ${a} → /archives/${p.id}`)
  }
  for (const s of c.report.skipped) ctx.log(`  skipped   ${s.source}: ${s.reason}`)
  for (const w of c.report.warnings) ctx.log(`  warning   ${w.source}: ${w.message}`)
}

interface Tally {
  created: number
  updated: number
  unchanged: number
  /** Already on the blog and left alone. */
  existing: number
  skipped: number
  failed: number
}

/** Writes the posts as markdown files into `dir`; an existing file that differs is kept. */
function writeFiles(ctx: CliContext, c: Conversion, dir: string, t: Tally): void {
  mkdirSync(dir, { recursive: true })
  for (const p of c.posts) {
    const file = join(dir, `${p.id}.md`)
    const text = postMarkdown(p)
    try {
      if (existsSync(file)) {
        if (readFileSync(file, 'utf8') === text) t.unchanged++
        else {
          t.skipped++
          ctx.log(`  kept      ${file}: it exists and differs (not overwritten)`)
        }
        continue
      }
      writeFileSync(file, text)
      t.created++
      ctx.log(`  written   ${file}`)
    } catch (err) {
      t.failed++
      ctx.log(`  failed    ${file}: ${message(err)}`)
    }
  }
}

/**
 * Publishes every post as content sync; a post the API refuses is a failure with the server's
 * reason. Without `update`, an id that is already taken on the blog (a post, a draft, a deleted
 * post) is left alone.
 */
async function publish(ctx: CliContext, c: Conversion, t: Tally, update: boolean): Promise<void> {
  for (const p of c.posts) {
    try {
      if (!update) {
        const res = await apiResponse(ctx, `/api/posts/${p.id}`)
        await res.body?.cancel()
        if (res.status === 200 || res.status === 410) {
          t.existing++
          ctx.log(
            `  exists    ${p.id}: ${res.status === 410 ? 'a deleted post has this id' : 'already on the blog'}, left alone (--update replaces what an import wrote)`,
          )
          continue
        }
        if (res.status !== 404) throw new Error(`HTTP ${res.status} reading /api/posts/${p.id}`)
      }
      const answer = await api<{ result: string; reason?: string }>(ctx, `/api/posts/${p.id}?sync=1`, {
        method: 'PUT',
        headers: { 'content-type': 'text/markdown; charset=utf-8' },
        body: postMarkdown(p),
      })
      if (answer.result === 'skipped') {
        t.skipped++
        ctx.log(`  skipped   ${p.id}: already on the blog, ${answer.reason ?? 'changed there'} (not replaced)`)
      } else {
        const key = answer.result === 'unchanged' ? 'unchanged' : answer.result === 'created' ? 'created' : 'updated'
        t[key]++
        ctx.log(`  ${answer.result.padEnd(9)} ${p.id} ← ${p.from}`)
      }
    } catch (err) {
      t.failed++
      ctx.log(`  failed    ${p.id} ← ${p.from}: ${message(err)}`)
    }
  }
}

function summary(ctx: CliContext, what: string, c: Conversion, t: Tally, dryRun: boolean): number {
  const warnings = c.report.warnings.length
  if (dryRun) {
    ctx.log(`${what} (dry run, nothing sent): ${c.posts.length} to import, ${c.report.skipped.length} skipped, ${warnings} warnings`)
    return 0
  }
  ctx.log(
    `${what}: ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged, ${t.existing} already there, ${t.skipped + c.report.skipped.length} skipped, ${t.failed} failed, ${warnings} warnings`,
  )
  return t.failed > 0 ? 1 : 0
}

function parse(ctx: CliContext, args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: IMPORT_OPTIONS,
    })
  } catch (err) {
    usage(ctx, message(err))
    return null
  }
}

async function run(ctx: CliContext, what: string, c: Conversion, o: Options, comments: (() => Promise<number>) | null): Promise<number> {
  printConversion(ctx, c)
  const t: Tally = { created: 0, updated: 0, unchanged: 0, existing: 0, skipped: 0, failed: 0 }
  if (o.dryRun) return summary(ctx, what, c, t, true)
  if (o.out) writeFiles(ctx, c, o.out, t)
  else {
    await publish(ctx, c, t, o.update)
    if (comments) t.failed += await comments()
  }
  return summary(ctx, what, c, t, false)
}

/** `import-wordpress <file.xml> [--dry-run | --out <dir>] [--update] [--no-pages]`; returns the exit code. */
export async function runImportWordpress(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parse(ctx, args)
  if (!parsed) return 2
  const [file] = parsed.positionals
  if (!file) return usage(ctx, 'import-wordpress needs the WXR file (WordPress: Tools → Export → All content)')
  let xml: string
  try {
    xml = readFileSync(file, 'utf8')
  } catch (err) {
    ctx.log(`${file}: ${message(err)}`)
    return 1
  }
  let c: Conversion
  try {
    c = wxrPosts(xml, { pages: parsed.values['no-pages'] !== true })
  } catch (err) {
    if (err instanceof ImportFormatError) {
      ctx.log(`${file}: ${err.message}`)
      return 1
    }
    throw err
  }
  const out = parsed.values.out ?? null
  const comments = async (): Promise<number> => {
    try {
      const r = await api<{ imported: number; skipped: { sourceId: string; reason: string }[]; skippedCount: number }>(
        ctx,
        '/api/import/comments?format=wxr',
        { method: 'POST', headers: { 'content-type': 'application/xml; charset=utf-8' }, body: xml },
      )
      for (const s of r.skipped) ctx.log(`  skipped   comment ${s.sourceId}: ${s.reason}`)
      ctx.log(`comments: ${r.imported} imported, ${r.skippedCount} skipped (a comment imported before is not added again)`)
      return 0
    } catch (err) {
      ctx.log(`  failed    comments: ${message(err)}`)
      return 1
    }
  }
  const code = await run(
    ctx,
    'import-wordpress',
    c,
    { dryRun: parsed.values['dry-run'] === true, out, update: parsed.values.update === true },
    comments,
  )
  if (out && !parsed.values['dry-run']) {
    // content/comments/*.xml is imported after the posts by `npm start` and `npm run blog -- sync`.
    const dir = join(out, 'comments')
    const target = join(dir, basename(file).replace(/\.[^.]*$/, '') + '.xml')
    if (!existsSync(target)) {
      mkdirSync(dir, { recursive: true })
      writeFileSync(target, xml)
      ctx.log(`  written   ${target} (the comments, imported with the posts on the next sync)`)
    }
  }
  return code
}

const FORMATS: readonly FolderFormat[] = ['hexo', 'hugo', 'jekyll']
/** Folders never read: generated sites, dependencies, themes, version control. */
const IGNORED_DIRS = new Set(['node_modules', '.git', 'public', '_site', 'resources', 'themes', '.deploy_git', 'vendor', '.jekyll-cache'])
const WANTED = /\.(?:md|markdown|mdown|mkd|ya?ml|toml)$/i

function readFolder(root: string, dir = root, out: FolderFile[] = []): FolderFile[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!IGNORED_DIRS.has(entry.name)) readFolder(root, path, out)
    } else if (entry.isFile() && WANTED.test(entry.name)) {
      out.push({ path: relative(root, path).split('\\').join('/'), text: readFileSync(path, 'utf8') })
    }
  }
  return out
}

/** `import-folder <dir> --from hexo|hugo|jekyll [--dry-run | --out <dir>] [--update]`; returns the exit code. */
export async function runImportFolder(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parse(ctx, args)
  if (!parsed) return 2
  const [dir] = parsed.positionals
  const from = parsed.values.from as FolderFormat | undefined
  if (!dir) return usage(ctx, 'import-folder needs the site folder (the one with _config.yml, hugo.toml, …)')
  if (!from || !FORMATS.includes(from)) return usage(ctx, '--from must be hexo, hugo or jekyll')
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    ctx.log(`${dir}: not a folder`)
    return 1
  }
  const c = folderPosts(readFolder(dir), from)
  if (c.posts.length === 0 && c.report.skipped.length === 0) ctx.log(`${dir}: no ${from} posts found`)
  const options = { dryRun: parsed.values['dry-run'] === true, out: parsed.values.out ?? null, update: parsed.values.update === true }
  return run(ctx, `import-folder (${from})`, c, options, null)
}
