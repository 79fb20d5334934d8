import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, inject, it } from 'vitest'

const run = promisify(execFile)
const base = inject('baseUrl')
const token = inject('adminToken')

describe('the render command (the Worker renderer, in Node)', () => {
  it('prints a post as HTML with its math typeset', async () => {
    const { stdout, stderr } = await run('node_modules/.bin/tsx', ['scripts/render.ts', 'content/softmax-temperature.md'])
    expect(stdout).toContain('class="katex"')
    expect(stdout).toContain('id="')
    expect(stderr).toMatch(/rendered in [\d.]+ ms/)
  })

  it('publishes a heavy post rendered here (--publish), and the blog serves it without rendering', async () => {
    const { stdout } = await run('node_modules/.bin/tsx', ['scripts/render.ts', 'test/fixtures/long-post.md', '--publish', '--url', base], {
      env: { ...process.env, BLOG_TOKEN: token },
    })
    expect(stdout).toMatch(/^(created|updated) \/archives\/long-post/)
    const page = await fetch(`${base}/archives/long-post`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect((html.match(/class="katex"/g) ?? []).length).toBeGreaterThan(300)
  })

  it('render --publish and rerender read the token as the blog CLI does: ADMIN_TOKEN when BLOG_TOKEN is not set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'render-token-'))
    try {
      const file = join(dir, 'render-admin-token.md')
      writeFileSync(file, '---\ntitle: Rendered with ADMIN_TOKEN\n---\n\nInline $x^2$ math.\n')
      const env = { ...process.env, BLOG_TOKEN: '', ADMIN_TOKEN: token }
      const render = await run('node_modules/.bin/tsx', ['scripts/render.ts', file, '--publish', '--url', base], { env })
      expect(render.stdout).toMatch(/^(created|updated) \/archives\/render-admin-token/)
      expect((await fetch(`${base}/archives/render-admin-token`)).status).toBe(200)
      const rerender = await run('node_modules/.bin/tsx', ['scripts/rerender.ts', '--url', base], { env })
      expect(rerender.stdout).toMatch(/^queued: \d+ post\(s\)/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses to publish without a token', async () => {
    await expect(
      run('node_modules/.bin/tsx', ['scripts/render.ts', 'content/softmax-temperature.md', '--publish', '--url', 'https://blog.invalid'], {
        env: { ...process.env, BLOG_TOKEN: '', ADMIN_TOKEN: '' },
      }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('BLOG_TOKEN') })
  })
})

describe('npm run deploy (scripts/deploy.ts): settings the blog cannot run with', () => {
  const toml = readFileSync('wrangler.toml', 'utf8')
  const withStore = (store: string) => toml.replace(/^IMAGE_STORE = "kv"$/m, `IMAGE_STORE = "${store}"`)
  const bucketBound = (text: string) =>
    text.replace(
      /^# \[\[r2_buckets\]\]\n# binding = "MEDIA_BUCKET"\n# bucket_name/m,
      '[[r2_buckets]]\nbinding = "MEDIA_BUCKET"\nbucket_name',
    )
  /** Runs the deploy script's dry run in a folder whose only file is this wrangler.toml; its stderr. */
  async function dryRun(text: string): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-check-'))
    try {
      writeFileSync(join(dir, 'wrangler.toml'), text)
      const result = await run(resolve('node_modules/.bin/tsx'), [resolve('scripts/deploy.ts'), '--dry-run'], { cwd: dir }).catch(
        (err: { stderr: string }) => err,
      )
      return result.stderr
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  it('refuses IMAGE_STORE = "r2" without the MEDIA_BUCKET binding, and a store that does not exist, before it builds', async () => {
    expect(toml).toMatch(/^IMAGE_STORE = "kv"$/m)
    expect(await dryRun(withStore('r2'))).toContain('IMAGE_STORE is "r2" but no [[r2_buckets]] entry binds MEDIA_BUCKET')
    expect(await dryRun(withStore('s3'))).toContain('IMAGE_STORE is "s3"; it must be "kv" or "r2"')
    // With the bucket bound (or kv) the check passes; this folder has no wrangler to build with.
    const bound = bucketBound(withStore('r2'))
    expect(bound).toMatch(/^binding = "MEDIA_BUCKET"$/m)
    for (const text of [bound, toml]) {
      const stderr = await dryRun(text)
      expect(stderr).not.toContain('IMAGE_STORE')
      expect(stderr).toContain('wrangler deploy --dry-run failed')
    }
  })
})
