/**
 * Publishes the markdown files of content/ to a blog through its API (PUT /api/posts/:id?sync=1).
 * The server compares each file's hash with its last sync: new and changed files are published,
 * unchanged ones are left alone, and a post edited through the API since is never overwritten.
 * Nothing is ever deleted.
 *
 *   npm run sync -- [--url https://blog.example] [--dir content]
 *
 * The token comes from BLOG_TOKEN (or ADMIN_TOKEN); for a local URL, .dev.vars is read as well.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { parseFrontMatter } from '../src/render/front-matter'
import { isPostId } from '../src/lib/slug'
import { blogFetch, blogToken, NO_TOKEN, UnreachableError } from './cli/context'

export interface SyncSummary {
  created: number
  updated: number
  restored: number
  unchanged: number
  skipped: number
  failed: number
}

type Log = (line: string) => void

export function postId(file: string, text: string): string {
  let declared: unknown
  try {
    declared = parseFrontMatter(text).data.id
  } catch {
    declared = undefined // the server reports the YAML error
  }
  const id = declared === undefined || declared === null ? basename(file, '.md') : String(declared)
  if (!isPostId(id)) {
    throw new Error(
      `"${id}" is not a valid post id (lower-case letters and digits separated by dashes); rename the file or set id in its front matter`,
    )
  }
  return id
}

/** Publishes every content file that is new or changed; returns what happened to each. */
export async function syncContent(opts: {
  url: string
  token: string
  dir: string
  log?: Log
  /** Changes the text sent for a file (the blog CLI uploads local images and rewrites their references). */
  transform?: (file: string, text: string) => Promise<string>
}): Promise<SyncSummary> {
  const log = opts.log ?? ((line: string) => console.log(line))
  const summary: SyncSummary = { created: 0, updated: 0, restored: 0, unchanged: 0, skipped: 0, failed: 0 }
  const files = readdirSync(opts.dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
  for (const file of files) {
    const text = readFileSync(join(opts.dir, file), 'utf8')
    try {
      const id = postId(file, text)
      const res = await blogFetch(`${opts.url.replace(/\/+$/, '')}/api/posts/${id}?sync=1`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'text/markdown; charset=utf-8' },
        body: opts.transform ? await opts.transform(join(opts.dir, file), text) : text,
      })
      const body = (await res.json().catch(() => ({}))) as { result?: keyof SyncSummary; reason?: string; error?: { message?: string } }
      if (!res.ok || !body.result || !(body.result in summary)) {
        throw new Error(`HTTP ${res.status}: ${body.error?.message ?? 'unexpected response'}`)
      }
      summary[body.result]++
      if (body.result !== 'unchanged') log(`  ${body.result.padEnd(9)} ${file} → /archives/${id}${body.reason ? ` (${body.reason})` : ''}`)
    } catch (err) {
      // A blog that does not answer: said once (no file can go), not once a file.
      if (err instanceof UnreachableError) throw err
      summary.failed++
      log(`  failed    ${file}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  await importSampleComments(opts, summary, log)
  log(
    `content sync: ${summary.created} created, ${summary.updated} updated, ${summary.restored} restored, ` +
      `${summary.unchanged} unchanged, ${summary.skipped} kept (edited through the API), ${summary.failed} failed`,
  )
  return summary
}

async function main(): Promise<void> {
  let values
  try {
    ;({ values } = parseArgs({
      options: { url: { type: 'string', default: 'http://127.0.0.1:8787' }, dir: { type: 'string', default: 'content' } },
    }))
  } catch (err) {
    // Bad usage (an option it does not take, such as the blog CLI's --delete; a stray argument): 2, as the blog CLI.
    console.error(`${err instanceof Error ? err.message : String(err)}\n\nUsage: npm run sync -- [--url <blog>] [--dir content]`)
    process.exit(2)
  }
  const url = values.url!
  const token = blogToken(url)
  if (!token) {
    console.error(NO_TOKEN)
    process.exit(2)
  }
  const summary = await syncContent({ url, token, dir: values.dir! })
  process.exit(summary.failed > 0 ? 1 : 0)
}

if (process.argv[1] && basename(process.argv[1]).startsWith('sync-content')) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}

const COMMENT_FORMATS: [suffix: string, format: string][] = [
  ['.waline.json', 'waline'],
  ['.twikoo.json', 'twikoo'],
  ['.artrans', 'artalk'],
  ['.artalk.json', 'artalk'],
  // (Before `.xml`: the first suffix that matches decides.)
  ['.disqus.xml', 'disqus'],
  ['.disqus.xml.gz', 'disqus'],
  ['.xml', 'wxr'],
]

/**
 * Imports the comment exports in `<dir>/comments/` (Waline, Twikoo, Artalk, Disqus or WordPress WXR,
 * named `*.waline.json`, `*.twikoo.json`, `*.artrans` or `*.artalk.json`, `*.disqus.xml` or
 * `*.disqus.xml.gz`, `*.xml`)
 * through POST /api/import/comments. An import is
 * idempotent, so running it on every start adds each comment once.
 */
async function importSampleComments(opts: { url: string; token: string; dir: string }, summary: SyncSummary, log: Log): Promise<void> {
  const dir = join(opts.dir, 'comments')
  if (!existsSync(dir)) return
  for (const file of readdirSync(dir).sort()) {
    const format = COMMENT_FORMATS.find(([suffix]) => file.endsWith(suffix))?.[1]
    if (!format) continue
    try {
      const res = await blogFetch(`${opts.url.replace(/\/+$/, '')}/api/import/comments?format=${format}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'text/plain; charset=utf-8' },
        // The bytes as they are: the server unpacks a gzipped file (Disqus mails .xml.gz).
        body: readFileSync(join(dir, file)),
      })
      const body = (await res.json().catch(() => ({}))) as {
        imported?: number
        skippedCount?: number
        views?: { added?: number }
        error?: { message?: string }
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${body.error?.message ?? 'unexpected response'}`)
      if (body.imported) log(`  imported  ${body.imported} comments from comments/${file}`)
      if (body.views?.added) log(`  imported  ${body.views.added} views from comments/${file}`)
    } catch (err) {
      if (err instanceof UnreachableError) throw err
      summary.failed++
      log(`  failed    comments/${file}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
}
