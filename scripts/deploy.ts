/**
 * `npm run deploy`: checks the settings a first deploy needs, then runs `wrangler deploy`.
 *
 *   npm run deploy                 # checks wrangler.toml, then wrangler deploy (needs `wrangler login`)
 *   npm run deploy -- --dry-run    # builds exactly what would be uploaded, checks it, uploads nothing
 *
 * Both refuse IMAGE_STORE = "r2" without a [[r2_buckets]] entry binding MEDIA_BUCKET (or any value
 * but "kv" and "r2"). Before a real deploy it refuses a wrangler.toml that still has the placeholder KV namespace id
 * (README: Deploying to Cloudflare, step 2), and warns when BASE_URL is empty. A dry run builds with
 * `wrangler deploy --dry-run --outdir .wrangler/deploy-check` (no account or network needed) and
 * checks what came out: the bundle exists, exports every Durable Object class that wrangler.toml
 * binds, stays under the 1 MiB gzipped budget, and evaluates none of the write path's libraries
 * when an isolate starts (scripts/startup-imports.ts, from the build's esbuild metafile). Any other argument goes to wrangler unchanged.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { eagerWritePathImports } from './startup-imports'

const PLACEHOLDER_KV_ID = '00000000000000000000000000000000'
const OUT_DIR = join('.wrangler', 'deploy-check')
const BUDGET = 1024 * 1024

const args = process.argv.slice(2)
const dryRun = args.includes('--dry-run')
const toml = readFileSync('wrangler.toml', 'utf8')

function fail(message: string): never {
  console.error(`deploy: ${message}`)
  process.exit(1)
}

function wrangler(extra: string[]): number {
  const result = spawnSync(join('node_modules', '.bin', 'wrangler'), ['deploy', ...extra], { stdio: 'inherit' })
  return result.status ?? 1
}

/** The Durable Object classes wrangler.toml binds (each must be exported by the bundle). */
function boundClasses(): string[] {
  return [...toml.matchAll(/^\s*class_name\s*=\s*"([^"]+)"/gm)].map((m) => m[1]!)
}

/**
 * Settings wrangler accepts but the blog cannot run with (image requests would answer 500
 * `image_store_misconfigured`): refused here, before anything is built or uploaded.
 */
function settingProblems(): string[] {
  const store = /^\s*IMAGE_STORE\s*=\s*"([^"]*)"/m.exec(toml)?.[1]
  const bucketBound = /^\s*\[\[r2_buckets\]\][^[]*?^\s*binding\s*=\s*"MEDIA_BUCKET"/ms.test(toml)
  if (store !== undefined && store !== 'kv' && store !== 'r2')
    return [`IMAGE_STORE is "${store}"; it must be "kv" or "r2" (README: Images).`]
  if (store === 'r2' && !bucketBound) {
    return [
      'IMAGE_STORE is "r2" but no [[r2_buckets]] entry binds MEDIA_BUCKET. Create a bucket (npx wrangler r2 bucket create blog-media) ' +
        'and uncomment the [[r2_buckets]] lines in wrangler.toml, or set IMAGE_STORE = "kv" (README: Images).',
    ]
  }
  return []
}

const problems = settingProblems()
if (problems.length > 0) fail(problems.join('\n'))

if (dryRun) {
  const outIndex = args.indexOf('--outdir')
  const outdir = outIndex >= 0 ? args[outIndex + 1] : OUT_DIR
  if (!outdir) fail('--outdir needs a folder')
  if (outIndex < 0) {
    rmSync(outdir, { recursive: true, force: true })
    args.push('--outdir', outdir)
  }
  const metaIndex = args.indexOf('--metafile')
  const metafile =
    metaIndex >= 0 && args[metaIndex + 1] && !args[metaIndex + 1]!.startsWith('--')
      ? args[metaIndex + 1]!
      : join(outdir, 'bundle-meta.json')
  if (metaIndex < 0) args.push('--metafile', metafile)
  const status = wrangler(args)
  if (status !== 0) fail(`wrangler deploy --dry-run failed (exit ${status})`)
  const script = join(outdir, 'index.js')
  if (!existsSync(script)) fail(`the build wrote no ${script}`)
  const code = readFileSync(script, 'utf8')
  const missing = boundClasses().filter((name) => !new RegExp(`\\b${name}\\b`).test(code))
  if (missing.length > 0) fail(`the bundle does not define the Durable Object class(es) wrangler.toml binds: ${missing.join(', ')}`)
  // The write path's libraries load on first use (src/render/load.ts), not at every isolate's start.
  const eager = eagerWritePathImports(JSON.parse(readFileSync(metafile, 'utf8')))
  if (eager.length > 0)
    fail(
      `an isolate would evaluate the write path's libraries at start, imported statically:\n${eager.map((c) => '  ' + c.join(' -> ')).join('\n')}\n` +
        'load them with loadRenderer() (src/render/load.ts) or import() where they are used',
    )
  const gzipped = gzipSync(code).length
  if (gzipped > BUDGET) fail(`the bundle is ${(gzipped / 1024).toFixed(1)} KiB gzipped, over the 1 MiB budget`)
  console.log(
    `deploy --dry-run OK: ${script} ${(code.length / 1024).toFixed(1)} KiB, ${(gzipped / 1024).toFixed(1)} KiB gzipped; ` +
      `Durable Objects ${boundClasses().join(', ')}; the write path's libraries load on first use; nothing was uploaded`,
  )
  process.exit(0)
}

if (toml.includes(`"${PLACEHOLDER_KV_ID}"`)) {
  fail(
    'wrangler.toml still has the placeholder KV namespace id. Run `npx wrangler kv namespace create POSTS` and put the printed id ' +
      'into the [[kv_namespaces]] entry (README: Deploying to Cloudflare, step 2).',
  )
}
if (/^\s*BASE_URL\s*=\s*""/m.test(toml)) {
  console.warn('deploy: BASE_URL is empty, so citations and feeds use the origin of each request (README: Settings).')
}
console.log('deploy: remember the secrets: npx wrangler secret put ADMIN_TOKEN (and VIEW_SALT, COMMENT_SECRET).')
process.exit(wrangler(args))
