/**
 * `npm run bench:counter`: the ceiling of one post's object, measured without the HTTP layer.
 *
 * A driver Worker in the same workerd calls `PostRoom.open({ countView: true })` on one post's
 * object as fast as it can, with COUNTER_CONCURRENCY calls in flight (default 64) for
 * COUNTER_SECONDS (default 5), and reports record-view calls per second. It then does the same
 * through the post's ViewShard objects (VIEW_SHARDS of them, each batching views into the post's
 * object), and finally checks that the post's count equals the number of acknowledged calls.
 * Only 127.0.0.1 is used; every phase is bounded in time.
 */
import { blogWorker, buildWorker, compatibilityDate, publish, serve } from './serve-built'

const SECONDS = Number(process.env.COUNTER_SECONDS ?? 5)
const CONCURRENCY = Number(process.env.COUNTER_CONCURRENCY ?? 64)
const SHARDS = Number(process.env.VIEW_SHARDS ?? 8)

const DRIVER = `
export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    const mode = url.searchParams.get('mode')
    const seconds = Number(url.searchParams.get('seconds'))
    const concurrency = Number(url.searchParams.get('concurrency'))
    const shards = Number(url.searchParams.get('shards'))
    const view = { countView: true, windowMs: 0, day: '2025-01-01' }
    let done = 0
    let failed = 0
    let n = 0
    const end = Date.now() + seconds * 1000
    const start = Date.now()
    const one = () => mode === 'shard'
      ? env.SHARD.getByName('hot#' + (n++ % shards)).open('hot', view)
      : env.ROOM.getByName('hot').open(view)
    async function lane() {
      while (Date.now() < end) {
        try { await one(); done++ } catch { failed++ }
      }
    }
    await Promise.all(Array.from({ length: concurrency }, lane))
    const elapsed = (Date.now() - start) / 1000
    const stats = await env.ROOM.getByName('hot').stats()
    return Response.json({ done, failed, elapsed, perSecond: done / elapsed, views: stats.views })
  },
}`

async function main(): Promise<void> {
  console.log('building the Worker…')
  buildWorker()
  const { mf, url } = await serve([
    blogWorker(),
    {
      name: 'driver',
      modules: true,
      compatibilityDate: compatibilityDate(),
      script: DRIVER,
      durableObjects: {
        ROOM: { className: 'PostRoom', scriptName: 'blog', useSQLite: true },
        SHARD: { className: 'ViewShard', scriptName: 'blog', useSQLite: true },
      },
    },
  ])
  try {
    await publish(url, 'hot', '热点')
    const driver = (await mf.getWorker('driver')) as unknown as { fetch(url: string): Promise<Response> }
    const run = async (mode: string) => {
      const res = await driver.fetch(`http://driver/?mode=${mode}&seconds=${SECONDS}&concurrency=${CONCURRENCY}&shards=${SHARDS}`)
      return (await res.json()) as { done: number; failed: number; elapsed: number; perSecond: number; views: number }
    }
    const direct = await run('direct')
    console.log(
      `one post's object, direct: ${direct.perSecond.toFixed(0)} record-view calls/s (${direct.done} in ${direct.elapsed.toFixed(1)} s, ${direct.failed} failed, concurrency ${CONCURRENCY})`,
    )
    const sharded = await run('shard')
    console.log(
      `through ${SHARDS} view shards: ${sharded.perSecond.toFixed(0)} record-view calls/s (${sharded.done} in ${sharded.elapsed.toFixed(1)} s, ${sharded.failed} failed)`,
    )
    const expected = direct.done + sharded.done
    console.log(
      `count check: the post's object holds ${sharded.views} views for ${expected} acknowledged calls: ${sharded.views === expected ? 'exact' : 'MISMATCH'}`,
    )
    if (sharded.views !== expected) process.exitCode = 1
  } finally {
    await mf.dispose()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
