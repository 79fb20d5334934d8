/**
 * Renders a post with the same module the Worker uses (src/render), in Node.
 *
 *   npm run render -- content/softmax-temperature.md            # the post's HTML on stdout
 *   npm run render -- content/x.md --json                       # everything a publish stores
 *   npm run render -- content/x.md --publish [--url https://…]  # render here, publish the result
 *
 * The site's settings (MATH_MACROS, LANGUAGE) come from wrangler.toml. `--publish` is for very
 * heavy posts on the Workers Free plan, whose 10 ms of CPU per request may not be enough to
 * typeset hundreds of formulas: the HTML is made here and sent with
 * `PUT /api/posts/:id?prerendered=1`. The token is read as the blog CLI reads it (cli/context.ts
 * blogToken): BLOG_TOKEN, or ADMIN_TOKEN; for a local URL, .dev.vars as well.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { unstable_readConfig } from 'wrangler'
import { siteConfig, type SiteVars } from '../src/config'
import { postRenderOptions } from '../src/lib/render-options'
import { FrontMatterError, parseFrontMatter } from '../src/render/front-matter'
import { blogFetch, blogToken, NO_TOKEN } from './cli/context'
import { prerenderedPost } from './prerendered'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    publish: { type: 'boolean', default: false },
    url: { type: 'string', default: 'http://127.0.0.1:8787' },
    config: { type: 'string', default: 'wrangler.toml' },
  },
})

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

const file = positionals[0] ?? fail('usage: npm run render -- <post.md> [--json] [--publish [--url <blog>]]')
const text = readFileSync(file, 'utf8')
const config = siteConfig(unstable_readConfig({ config: values.config }, { hideWarnings: true }).vars as SiteVars)

let doc
try {
  doc = parseFrontMatter(text)
} catch (err) {
  fail(err instanceof FrontMatterError ? err.message : String(err))
}
const started = performance.now()
const { rendered, body } = prerenderedPost(doc, postRenderOptions(config))
const ms = performance.now() - started
if (rendered.mathErrors > 0) console.error(`warning: ${rendered.mathErrors} formula(s) did not render; they show as their source`)

if (!values.publish) {
  process.stdout.write(values.json ? JSON.stringify({ front: doc.data, ...rendered }, null, 2) + '\n' : rendered.html)
  console.error(`rendered in ${ms.toFixed(1)} ms`)
  process.exit(0)
}

const id = doc.data.id !== undefined ? String(doc.data.id) : basename(file, '.md')
const token = blogToken(values.url!)
if (!token) fail(NO_TOKEN)
const res = await blogFetch(`${values.url!.replace(/\/+$/, '')}/api/posts/${id}?prerendered=1`, {
  method: 'PUT',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify(body),
}).catch((err: Error) => fail(err.message))
const answer = (await res.json().catch(() => ({}))) as { result?: string; error?: { message?: string } }
if (!res.ok) fail(`HTTP ${res.status}: ${answer.error?.message ?? 'unexpected response'}`)
console.log(`${answer.result} /archives/${id} (rendered here in ${ms.toFixed(1)} ms)`)
