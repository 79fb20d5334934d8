/**
 * Re-renders every post and comment of a blog from their markdown, in the background:
 * `npm run rerender -- [--url https://blog.example]`. The token is read as the blog CLI reads it
 * (cli/context.ts blogToken): BLOG_TOKEN, or ADMIN_TOKEN; for a local URL, .dev.vars as well. Posts
 * made by an older renderer are re-rendered automatically after a deploy; run this after changing
 * MATH_MACROS, which changes output without a new renderer.
 */
import { parseArgs } from 'node:util'
import { blogFetch, blogToken, NO_TOKEN } from './cli/context'

const { values } = (() => {
  try {
    return parseArgs({ options: { url: { type: 'string', default: 'http://127.0.0.1:8787' } } })
  } catch (err) {
    // Bad usage (an option it does not take, a stray argument): 2, as the blog CLI.
    console.error(`${err instanceof Error ? err.message : String(err)}\n\nUsage: npm run rerender -- [--url <blog>]`)
    process.exit(2)
  }
})()
const url = values.url!.replace(/\/+$/, '')
const token = blogToken(url)
if (!token) {
  console.error(NO_TOKEN)
  process.exit(2)
}
const res = await blogFetch(`${url}/api/rerender`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(
  (err: Error) => {
    console.error(err.message)
    process.exit(1)
  },
)
const body = (await res.json().catch(() => ({}))) as { posts?: number; rooms?: number; error?: { message?: string } }
if (!res.ok) {
  console.error(`HTTP ${res.status}: ${body.error?.message ?? 'unexpected response'}`)
  process.exit(1)
}
console.log(`queued: ${body.posts} post(s) and the comments of ${body.rooms} post(s); the blog works through them in the background`)
