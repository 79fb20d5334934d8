/**
 * `npm run load:views`: proof that reader counts are exact under load (README: What counts as a
 * reader). Serves the built Worker with the Miniflare API on 127.0.0.1 (or uses --url), publishes
 * a post, then
 *   1. sends LOAD_VIEWS (default 10,000) views from as many distinct readers (distinct
 *      CF-Connecting-IP) at concurrency LOAD_CONCURRENCY (default 100), and checks that the count
 *      rose by exactly that many;
 *   2. sends the same number of views from one reader, and checks that the count rose by 1;
 *   3. (served here only) repeats 1 on a Worker whose SHARD_ABOVE_VIEWS_PER_SECOND is 50, so the
 *      post switches to sharded counting under the load.
 * In 1 and 3 every page must show a different number and together exactly before+1 … before+N:
 * each reader saw their own exact count.
 * Prints views per second and the post page's p50/p99 latency under that load. Bounded: it sends
 * 2 × LOAD_VIEWS requests and stops at the first failed request.
 */
import { parseArgs } from 'node:util'
import { blogWorker, buildWorker, LOAD_TOKEN, publish, serve } from './serve-built'

const VIEWS = Number(process.env.LOAD_VIEWS ?? 10_000)
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 100)
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36'

async function views(url: string, id: string): Promise<number> {
  const res = await fetch(`${url}/api/posts/${id}/views`)
  return ((await res.json()) as { views: number }).views
}

async function drive(url: string, id: string, total: number, ipOf: (i: number) => string) {
  const latencies: number[] = []
  const shown: number[] = []
  let next = 0
  const started = performance.now()
  async function lane(): Promise<void> {
    while (next < total) {
      const i = next++
      const t = performance.now()
      const res = await fetch(`${url}/archives/${id}`, { headers: { 'user-agent': UA, 'cf-connecting-ip': ipOf(i) } })
      const html = await res.text()
      if (res.status !== 200) throw new Error(`view ${i}: HTTP ${res.status}`)
      const m = /class="post-views"[^>]*>\s*(\d+)/.exec(html)
      if (!m) throw new Error(`view ${i}: no count on the page`)
      shown.push(Number(m[1]))
      latencies.push(performance.now() - t)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane))
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!
  return { perSecond: total / seconds, seconds, p50: pct(50), p99: pct(99), shown }
}

/** True if the numbers shown are exactly before+1 … before+n, each once. */
function eachReaderExact(shown: number[], before: number): boolean {
  const sorted = [...shown].sort((a, b) => a - b)
  return sorted.every((v, i) => v === before + 1 + i)
}

const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`

async function distinctReaders(url: string, id: string, label: string): Promise<boolean> {
  const before = await views(url, id)
  const run = await drive(url, id, VIEWS, ipOf)
  const after = await views(url, id)
  const exact = after - before === VIEWS
  const each = eachReaderExact(run.shown, before)
  console.log(
    `${label}: ${VIEWS} views from ${VIEWS} distinct readers at concurrency ${CONCURRENCY}: count rose by ${after - before} ` +
      `(${exact ? 'exact' : 'WRONG'}); pages showed ${each ? `each number from ${before + 1} to ${after} once` : 'WRONG numbers'}; ` +
      `${run.perSecond.toFixed(0)} views/s; post page p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms`,
  )
  return exact && each
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { url: { type: 'string' } } })
  let url = values.url
  let dispose = async () => {}
  if (!url) {
    console.log('building the Worker and serving it with Miniflare on 127.0.0.1…')
    buildWorker()
    const served = await serve([blogWorker()])
    url = served.url
    dispose = () => served.mf.dispose()
  } else if (!/^https?:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(url)) {
    throw new Error('load tests only talk to 127.0.0.1')
  }
  try {
    const id = `load-${Date.now().toString(36)}`
    await publish(url, id, '负载测试')
    let ok = await distinctReaders(url, id, 'direct')
    const afterDistinct = await views(url, id)
    const one = await drive(url, id, VIEWS, () => '192.0.2.200')
    const afterOne = await views(url, id)
    console.log(
      `${VIEWS} views from one reader: count rose by ${afterOne - afterDistinct} (${afterOne - afterDistinct === 1 ? 'exact' : 'WRONG'}); ` +
        `${one.perSecond.toFixed(0)} views/s; p50 ${one.p50.toFixed(1)} ms, p99 ${one.p99.toFixed(1)} ms`,
    )
    ok &&= afterOne - afterDistinct === 1
    if (!values.url) {
      await dispose()
      const served = await serve([blogWorker({ SHARD_ABOVE_VIEWS_PER_SECOND: '50' })])
      dispose = () => served.mf.dispose()
      await publish(served.url, id, '负载测试')
      ok = (await distinctReaders(served.url, id, 'sharded (threshold 50 views/s)')) && ok
      const res = await fetch(`${served.url}/api/stats?post=${id}`, { headers: { authorization: `Bearer ${LOAD_TOKEN}` } })
      const stats = (await res.json()) as { shardViews: number; shardBatches: number }
      console.log(
        `  of which ${stats.shardViews} came through the shards in ${stats.shardBatches} batches ` +
          `(${(stats.shardViews / Math.max(1, stats.shardBatches)).toFixed(1)} views per call into the post's object)`,
      )
      ok &&= stats.shardViews > 0
    }
    if (!ok) process.exitCode = 1
  } finally {
    await dispose()
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
