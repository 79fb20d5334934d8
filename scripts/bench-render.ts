/**
 * `npx tsx scripts/bench-render.ts`: how much CPU the publish-time render costs.
 *
 * Renders test/fixtures/long-post.md (a long Chinese post with a few hundred formulas) with
 * renderPost, exactly as publishing does (body, excerpt, description), and a short comment with
 * three formulas with renderMarkdown, then prints the time per render next to the Workers Free
 * plan's 10 ms CPU budget per request.
 *
 * It runs in Node, not in workerd: workerd freezes `performance.now()` and `Date.now()` while code
 * runs (they only advance on I/O, a defence against timing attacks), so CPU time cannot be measured
 * inside the Worker. Both run V8, so the numbers carry over roughly; production machines may be
 * slower or faster. Each run is timed with performance.now() (wall clock) and process.cpuUsage()
 * (CPU, which is what Workers bill); on a busy machine the two differ, and the budget line uses CPU.
 * Bounded: at most BENCH_RUNS runs (default 30) and about 40 s.
 */
import { readFileSync } from 'node:fs'
import katex from 'katex'
import type { Token } from 'marked'
import { fileURLToPath } from 'node:url'
import { parseFrontMatter } from '../src/render/front-matter'
import { lexMarkdown, renderMarkdown } from '../src/render/render-markdown'
import type { MathToken } from '../src/render/math-syntax'
import { renderPost } from '../src/render/render-post'

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 30))
const WARMUP = 3
const TIME_LIMIT_MS = 40_000
const FREE_PLAN_CPU_MS = 10

const COMMENT =
  '我觉得第二步有问题：$\\mathbb{E}[X \\mid Y]$ 应该是 $Y$ 的函数，所以\n\n$$\n\\operatorname{Var}(X) = \\mathbb{E}[\\operatorname{Var}(X \\mid Y)] + \\operatorname{Var}(\\mathbb{E}[X \\mid Y])\n$$\n\n而不是方差本身。'

interface Stats {
  mean: number
  p50: number
  min: number
  max: number
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const p50 = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { mean: sorted.reduce((s, x) => s + x, 0) / sorted.length, p50, min: sorted[0]!, max: sorted[sorted.length - 1]! }
}

/**
 * Runs each function WARMUP times untimed, then all of them in turn up to RUNS times (within
 * `budgetMs`), so that a busy machine slows them alike. Returns wall-clock and CPU ms per run.
 */
function time(fns: (() => void)[], budgetMs: number): { wall: number[]; cpu: number[] }[] {
  for (let i = 0; i < WARMUP; i++) for (const fn of fns) fn()
  const out = fns.map(() => ({ wall: [] as number[], cpu: [] as number[] }))
  const started = performance.now()
  for (let run = 0; run < RUNS && performance.now() - started < budgetMs; run++) {
    fns.forEach((fn, i) => {
      const cpu0 = process.cpuUsage()
      const t0 = performance.now()
      fn()
      out[i]!.wall.push(performance.now() - t0)
      const cpu = process.cpuUsage(cpu0)
      out[i]!.cpu.push((cpu.user + cpu.system) / 1000)
    })
  }
  return out
}

const ms = (x: number) => `${x.toFixed(x < 1 ? 3 : 1)} ms`
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const count = (html: string, cls: string) => html.split(`class="${cls}"`).length - 1

const path = fileURLToPath(new URL('../test/fixtures/long-post.md', import.meta.url))
const source = readFileSync(path, 'utf8')
const { data, body } = parseFrontMatter(source)
const summary = typeof data.summary === 'string' ? data.summary : undefined

/** Every formula in the token tree (paragraphs, lists, tables, quotes), in document order. */
function mathTokens(tokens: unknown, found: MathToken[] = []): MathToken[] {
  if (Array.isArray(tokens)) for (const t of tokens) mathTokens(t, found)
  else if (tokens && typeof tokens === 'object') {
    if ((tokens as Token).type === 'math') found.push(tokens as MathToken)
    else for (const v of Object.values(tokens)) if (v && typeof v === 'object') mathTokens(v, found)
  }
  return found
}

const first = renderPost(body, summary)
const sources = mathTokens(lexMarkdown(body, 'post'))
const formulas = count(first.html, 'katex')
if (first.mathErrors > 0) console.warn(`warning: ${first.mathErrors} formulas failed to render`)

// KaTeX alone on the same formulas, with the options of src/render/tex.ts: the rest is markdown,
// equation numbering and sanitizing.
function katexOnly(): void {
  for (const m of sources) {
    katex.renderToString(m.tex, {
      displayMode: m.display,
      output: 'htmlAndMathml',
      throwOnError: true,
      trust: false,
      strict: 'ignore',
      maxSize: 20,
      maxExpand: 500,
      globalGroup: true,
      macros: {},
    })
  }
}

const [postRuns, katexRuns] = time([() => renderPost(body, summary), katexOnly], TIME_LIMIT_MS * 0.9)
const post = stats(postRuns!.wall)
const postCpu = stats(postRuns!.cpu)
const k = stats(katexRuns!.wall)

const comment = renderMarkdown(COMMENT, 'comment')
const [commentRuns] = time([() => renderMarkdown(COMMENT, 'comment')], TIME_LIMIT_MS * 0.1)
const c = stats(commentRuns!.wall)
const cCpu = stats(commentRuns!.cpu)

const times = (x: number) => `${(x / FREE_PLAN_CPU_MS).toFixed(1)}× the Free plan's ${FREE_PLAN_CPU_MS} ms CPU budget`

console.log(`publish render of ${path.split(/[\\/]/).slice(-3).join('/')} (renderPost: body, excerpt and description)`)
console.log(`  markdown      ${kb(Buffer.byteLength(source))} (${Buffer.byteLength(body)} bytes of body)`)
console.log(`  formulas      ${formulas} (${count(first.html, 'katex-display')} display), ${first.mathErrors} errors`)
console.log(`  output        ${kb(Buffer.byteLength(first.html))} of HTML, ${kb(Buffer.byteLength(first.excerptHtml))} of excerpt`)
console.log(`  runs          ${postRuns!.wall.length} after ${WARMUP} warm-up runs`)
console.log(`  mean          ${ms(post.mean)}   p50 ${ms(post.p50)}   min ${ms(post.min)}   max ${ms(post.max)}`)
console.log(`  process CPU   mean ${ms(postCpu.mean)}   p50 ${ms(postCpu.p50)} (user + system, including GC)`)
console.log(
  `  KaTeX alone   p50 ${ms(k.p50)} for the same ${sources.length} formulas (${((k.p50 / post.p50) * 100).toFixed(0)}% of the render)`,
)
// Workers bill CPU time, not wall time: on a busy machine the wall clock also counts other processes.
const perFormula = postCpu.p50 / Math.max(1, formulas)
console.log(`  per formula   ${ms(perFormula)} of CPU (CPU p50 / formulas)`)
console.log(
  `  budget        CPU p50 is ${times(postCpu.p50)}: ${postCpu.p50 <= FREE_PLAN_CPU_MS ? 'fits' : 'does not fit'} in one Free-plan request;`,
)
console.log(`                about ${Math.floor(FREE_PLAN_CPU_MS / perFormula)} formulas fit in ${FREE_PLAN_CPU_MS} ms`)
console.log('')
console.log(`comment render (renderMarkdown, mode comment, ${count(comment.html, 'katex')} formulas, ${COMMENT.length} characters)`)
console.log(`  runs          ${commentRuns!.wall.length} after ${WARMUP} warm-up runs`)
console.log(`  mean          ${ms(c.mean)}   p50 ${ms(c.p50)}   min ${ms(c.min)}   max ${ms(c.max)}`)
console.log(`  process CPU   mean ${ms(cCpu.mean)}   p50 ${ms(cCpu.p50)}`)
console.log(`  budget        CPU p50 is ${times(cCpu.p50)}: ${cCpu.p50 <= FREE_PLAN_CPU_MS ? 'fits' : 'does not fit'}`)
