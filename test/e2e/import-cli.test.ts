import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, inject, it } from 'vitest'
import { runImportFolder, runImportWordpress } from '../../scripts/cli/import-blog'
import type { CliContext } from '../../scripts/cli/context'

const exec = promisify(execFile)
const base = inject('baseUrl')
const token = inject('adminToken')

/** `npm run blog -- …` against the e2e server; never throws. */
async function npmBlog(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec('npm', ['run', '--silent', 'blog', '--', ...args, '--url', base], {
      env: { ...process.env, BLOG_TOKEN: token },
    })
    return { code: 0, out: stdout + stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, out: e.stdout + e.stderr }
  }
}

/** The importer called directly (as the dispatcher does), logging into an array. */
function context(): { ctx: CliContext; lines: string[] } {
  const lines: string[] = []
  return { ctx: { url: base, token, log: (l) => lines.push(l) }, lines }
}

async function redirectOf(path: string): Promise<[number, string | null]> {
  const res = await fetch(`${base}${path}`, { redirect: 'manual' })
  await res.body?.cancel()
  const location = res.headers.get('location')
  return [res.status, location === null ? null : new URL(location, base).pathname]
}

describe('npm run blog -- import-folder / import-wordpress', () => {
  it('imports a Hexo folder: posts created, skipped files named with the reason, old permalinks redirect; a second run leaves them alone', async () => {
    const first = await npmBlog('import-folder', 'test/fixtures/import/hexo', '--from', 'hexo')
    expect(first.code, first.out).toBe(0)
    expect(first.out).toMatch(/created\s+quantum-harmonic-oscillator ← source\/_posts\/quantum-harmonic-oscillator\.md/)
    expect(first.out).toMatch(/created\s+2019-05-01-1 ← source\/_posts\/熵的统计解释\.md/)
    expect(first.out).toMatch(/skipped\s+source\/_posts\/broken\.md: Front matter is not valid YAML/)
    expect(first.out).toMatch(/skipped\s+source\/about\/index\.md: a Hexo page/)
    expect(first.out).toContain('import-folder (hexo): 4 created, 0 updated, 0 unchanged, 0 already there, 2 skipped, 0 failed')

    const page = await fetch(`${base}/archives/2019-05-01-1`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('熵的统计解释')
    expect(await redirectOf('/2019/05/01/quantum-harmonic-oscillator/')).toEqual([301, '/archives/quantum-harmonic-oscillator'])
    expect(await redirectOf('/2019/05/01/%E7%86%B5%E7%9A%84%E7%BB%9F%E8%AE%A1%E8%A7%A3%E9%87%8A/')).toEqual([301, '/archives/2019-05-01-1'])

    const again = await npmBlog('import-folder', 'test/fixtures/import/hexo', '--from', 'hexo')
    expect(again.code, again.out).toBe(0)
    expect(again.out).toContain('0 created, 0 updated, 0 unchanged, 4 already there')
  })

  it('takes --url before the command or as --url=<blog>, as the other commands do', async () => {
    // (The Hexo folder is on the e2e blog already: "4 already there" shows which blog was asked.)
    for (const args of [
      ['--url', base, 'import-folder', 'test/fixtures/import/hexo', '--from', 'hexo'],
      ['import-folder', 'test/fixtures/import/hexo', '--from', 'hexo', `--url=${base}`],
      ['import-folder', `--url=${base}`, 'test/fixtures/import/hexo', '--from=hexo'],
    ]) {
      const { code, out } = await exec('node_modules/.bin/tsx', ['scripts/blog.ts', ...args], {
        env: { ...process.env, BLOG_TOKEN: token },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
        (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, out: err.stdout + err.stderr }),
      )
      expect(code, `${args.join(' ')}\n${out}`).toBe(0)
      expect(out).toContain('import-folder (hexo): 0 created, 0 updated, 0 unchanged, 4 already there')
    }
  })

  it('--update sends the posts again as content sync: unchanged ones stay unchanged', async () => {
    const { ctx, lines } = context()
    expect(await runImportFolder(['test/fixtures/import/hexo', '--from', 'hexo', '--update'], ctx)).toBe(0)
    expect(lines.at(-1)).toContain('0 created, 0 updated, 4 unchanged')
  })

  it('--dry-run prints the plan (posts, redirects, skipped, warnings) and sends nothing', async () => {
    const { code, out } = await npmBlog('import-wordpress', 'test/fixtures/import/wordpress-posts.xml', '--dry-run')
    expect(code, out).toBe(0)
    expect(out).toContain('post      123 ← wordpress post 123 (熵与信息：从玻尔兹曼到香农), 4 comments')
    expect(out).toContain('redirect /?p=123 → /archives/123')
    expect(out).toContain('skipped   wordpress attachment 130 (entropy)')
    expect(out).toContain('import-wordpress (dry run, nothing sent): 6 to import, 3 skipped')
    const res = await fetch(`${base}/api/posts/euler-formula`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(404)
  })

  it('--out writes the converted files (and the WXR for its comments) instead of publishing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blog-import-'))
    try {
      const { ctx } = context()
      expect(await runImportWordpress(['test/fixtures/import/wordpress-posts.xml', '--out', dir], ctx)).toBe(0)
      const text = readFileSync(join(dir, 'euler-formula.md'), 'utf8')
      expect(text).toContain('title: "Euler 公式的五种证明"')
      expect(text).toContain('aliases: ["/2031/01/euler_formula","/?p=125"]')
      expect(existsSync(join(dir, 'comments', 'wordpress-posts.xml'))).toBe(true)
      // Nothing was published.
      const res = await fetch(`${base}/api/posts/euler-formula`, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status).toBe(404)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses bad usage and a file that is not WXR, with a non-zero exit', async () => {
    const { ctx, lines } = context()
    expect(await runImportFolder(['test/fixtures/import/hexo', '--from', 'gatsby'], ctx)).toBe(2)
    expect(lines.join('\n')).toContain('--from must be hexo, hugo or jekyll')
    expect(await runImportWordpress(['test/fixtures/import/hexo/_config.yml'], ctx)).toBe(1)
    expect(lines.join('\n')).toContain('WordPress export (WXR): not XML')
    const bad = await npmBlog('import-folder', 'test/fixtures/import/no-such-folder', '--from', 'hexo')
    expect(bad.code).toBe(1)
    expect(bad.out).toContain('not a folder')
  })
})
