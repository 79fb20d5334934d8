import { execFile } from 'node:child_process'
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

  it('refuses to publish without a token', async () => {
    await expect(
      run('node_modules/.bin/tsx', ['scripts/render.ts', 'content/softmax-temperature.md', '--publish', '--url', 'https://blog.invalid'], {
        env: { ...process.env, BLOG_TOKEN: '' },
      }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('BLOG_TOKEN') })
  })
})
