/**
 * `npm run lighthouse`: Lighthouse scores of the theme (performance, accessibility, best practices,
 * SEO) on the front page and a formula-heavy post, with the mobile (default) and desktop presets.
 *
 * Serves the built Worker with the Miniflare API on 127.0.0.1, static assets of public/ in front of
 * it as on Cloudflare (scripts/local-blog.ts), with the sample content; starts Debian's Chromium
 * with a DevTools port and runs Lighthouse's Node API against it, RUNS times per page and preset
 * (default 3; localhost performance is noisy), and reports the median of each score. Writes
 *   - docs/lighthouse.json: the medians, every run's scores and the audits that did not pass;
 *   - the "Lighthouse" section of docs/THEME.md (between its lighthouse markers);
 *   - the full JSON reports to bench/results/lighthouse-<time>/ (ignored by git), to see why.
 * Exits 1 if a median is below 95.
 *
 *   npm run lighthouse             # LIGHTHOUSE_RUNS=1 for a quick look; CHROMIUM_PATH for another browser
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import lighthouse, { desktopConfig, type Flags, type Result, type RunnerResult } from 'lighthouse'
import { startBuiltBlog } from './local-blog'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3)
const TARGET = 95
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const
type Category = (typeof CATEGORIES)[number]
const PAGES: [name: string, path: string][] = [
  ['front page', '/'],
  ['post (pendulum, display math)', '/archives/pendulum-large-amplitude'],
]
const PRESETS = ['mobile', 'desktop'] as const
const THEME_DOC = join('docs', 'THEME.md')
const START = '<!-- lighthouse:start (written by npm run lighthouse) -->'
const END = '<!-- lighthouse:end -->'

/** Starts Chromium with a DevTools port on 127.0.0.1 and returns the port once it listens. */
async function startChromium(): Promise<{ port: number; child: ChildProcess; userDataDir: string }> {
  const userDataDir = join('.bench', `lighthouse-profile-${process.pid}`)
  const child = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      `--user-data-dir=${userDataDir}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  const port = await new Promise<number>((resolve, reject) => {
    let err = ''
    const timer = setTimeout(() => reject(new Error(`Chromium gave no DevTools port in 30 s:\n${err}`)), 30_000)
    child.stderr!.on('data', (d: Buffer) => {
      err += d
      const m = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(err)
      if (m) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    })
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}):\n${err}`)))
  })
  child.stderr!.resume()
  return { port, child, userDataDir }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2)
}

interface PageResult {
  page: string
  path: string
  preset: (typeof PRESETS)[number]
  median: Record<Category, number>
  runs: Record<Category, number>[]
  /** Audits with a score below 0.9 in any run (weighted or not), with their title and display value. */
  failing: { id: string; category: Category; title: string; score: number | null; displayValue?: string }[]
}

function failingAudits(lhr: Result): PageResult['failing'] {
  const out: PageResult['failing'] = []
  for (const category of CATEGORIES) {
    for (const ref of lhr.categories[category]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id]
      if (!audit || audit.score === null || audit.score >= 0.9) continue
      if (audit.scoreDisplayMode === 'informative' || audit.scoreDisplayMode === 'notApplicable') continue
      out.push({ id: ref.id, category, title: audit.title, score: audit.score, displayValue: audit.displayValue })
    }
  }
  return out
}

/**
 * One Lighthouse run; a run whose trace failed (NO_NAVSTART and the like, which Lighthouse itself says
 * to retry) is retried up to twice.
 */
async function audit(url: string, flags: Flags, preset: (typeof PRESETS)[number]): Promise<RunnerResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await lighthouse(url, flags, preset === 'desktop' ? desktopConfig : undefined)
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`)
    const error = result.lhr.runtimeError
    if (!error) return result
    if (attempt === 3) throw new Error(`${url}: ${error.code} ${error.message}`)
    console.log(`  ${error.code}; running again`)
  }
}

async function main(): Promise<void> {
  const reports = join('bench', 'results', `lighthouse-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  mkdirSync(reports, { recursive: true })
  console.log('Building the Worker and serving it with Miniflare…')
  const blog = await startBuiltBlog()
  const chromium = await startChromium()
  const results: PageResult[] = []
  let lighthouseVersion = ''
  // The user agent says 156.0.0.0 (reduced); the binary says which build it is.
  const chromiumVersion = /[\d.]+/.exec(execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }))?.[0] ?? ''
  try {
    for (const preset of PRESETS) {
      for (const [page, path] of PAGES) {
        const runs: Record<Category, number>[] = []
        const failing = new Map<string, PageResult['failing'][number]>()
        for (let i = 0; i < RUNS; i++) {
          const flags: Flags = { port: chromium.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] }
          const result = await audit(`${blog.url}${path}`, flags, preset)
          const lhr = result.lhr
          lighthouseVersion = lhr.lighthouseVersion
          const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)])) as Record<
            Category,
            number
          >
          runs.push(scores)
          for (const f of failingAudits(lhr)) failing.set(`${f.category}:${f.id}`, f)
          const slug = `${preset}-${path === '/' ? 'front' : 'post'}-${i + 1}`
          writeFileSync(join(reports, `${slug}.json`), String(result.report))
          console.log(`${preset.padEnd(7)} ${path.padEnd(36)} run ${i + 1}: ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(', ')}`)
        }
        const med = Object.fromEntries(CATEGORIES.map((c) => [c, median(runs.map((r) => r[c]))])) as Record<Category, number>
        results.push({ page, path, preset, median: med, runs, failing: [...failing.values()] })
      }
    }
  } finally {
    chromium.child.kill('SIGTERM')
    await blog.stop()
  }

  const date = new Date().toISOString().slice(0, 10)
  const command = `npm run lighthouse${RUNS === 3 ? '' : ` (LIGHTHOUSE_RUNS=${RUNS})`}`
  const meta = { date, command, runsPerPage: RUNS, lighthouse: lighthouseVersion, chromium: chromiumVersion, served: blog.mode }
  writeFileSync(join('docs', 'lighthouse.json'), `${JSON.stringify({ ...meta, results }, null, 2)}\n`)
  writeThemeSection(meta, results)

  console.log(`\nMedian of ${RUNS} (Lighthouse ${lighthouseVersion}, Chromium ${chromiumVersion}):`)
  console.log(table(results))
  const low = results.flatMap((r) => CATEGORIES.filter((c) => r.median[c] < TARGET).map((c) => `${r.preset} ${r.path} ${c} ${r.median[c]}`))
  for (const r of results) {
    for (const f of r.failing)
      console.log(`  ${r.preset} ${r.path}: ${f.category} / ${f.id} (${f.score}) ${f.title} ${f.displayValue ?? ''}`)
  }
  console.log(`Full reports: ${reports}/`)
  if (low.length) {
    console.error(`Below ${TARGET}: ${low.join('; ')}`)
    process.exitCode = 1
  }
}

function table(results: PageResult[]): string {
  const rows = results.map((r) => `| ${r.page} (\`${r.path}\`) | ${r.preset} | ${CATEGORIES.map((c) => `${r.median[c]}`).join(' | ')} |`)
  return ['| Page | Preset | Performance | Accessibility | Best practices | SEO |', '| --- | --- | --- | --- | --- | --- |', ...rows].join(
    '\n',
  )
}

/** Replaces the generated part of docs/THEME.md (between the markers), keeping the rest as written. */
function writeThemeSection(
  meta: { date: string; command: string; lighthouse: string; chromium: string; served: string },
  results: PageResult[],
): void {
  const section = [
    START,
    `${meta.date}, \`${meta.command}\`: Lighthouse ${meta.lighthouse} (Node API), Chromium ${meta.chromium} (Debian, headless),`,
    `${meta.served} on 127.0.0.1 with the sample content. Each score is the median of ${RUNS} runs; mobile is`,
    "Lighthouse's default preset (Moto G Power, simulated slow 4G and 4× CPU slowdown), desktop its desktop preset.",
    `Every run, and the audits that did not pass, are in [lighthouse.json](lighthouse.json). Load average when done: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores (performance depends on it).`,
    '',
    table(results),
    END,
  ].join('\n')
  const doc = readFileSync(THEME_DOC, 'utf8')
  const from = doc.indexOf(START)
  const to = doc.indexOf(END)
  if (from < 0 || to < from) throw new Error(`${THEME_DOC} has no lighthouse markers`)
  writeFileSync(THEME_DOC, doc.slice(0, from) + section + doc.slice(to + END.length))
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err)
  process.exit(1)
})
