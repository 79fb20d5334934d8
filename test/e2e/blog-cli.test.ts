import { execFile } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest'
import { rewriteLocalImages } from '../../scripts/cli/images'
import { READER_UA } from './browser'

const exec = promisify(execFile)
const base = inject('baseUrl')
const token = inject('adminToken')

/** Runs `npm run blog -- …` (tsx scripts/blog.ts) against the e2e server; never throws. */
async function blog(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec('node_modules/.bin/tsx', ['scripts/blog.ts', ...args, '--url', base], {
      env: { ...process.env, BLOG_TOKEN: token },
    })
    return { code: 0, out: stdout + stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, out: e.stdout + e.stderr }
  }
}

/** A test's own temporary folder, removed when the test ends. */
const made: string[] = []
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

describe('local images in a post (scripts/cli/images.ts)', () => {
  it('uploads each local image once and rewrites its references, leaving URLs and code alone', async () => {
    const dir = tempDir('blog-img-')
    mkdirSync(join(dir, 'images'))
    writeFileSync(join(dir, 'images', 'a.png'), PNG)
    const text =
      '![A](images/a.png) ![again](./images/a.png "t") ![web](https://x.example/b.png) ![gone](images/none.png)\n\n```\n![code](images/a.png)\n```\n'
    const calls: string[] = []
    const out = await rewriteLocalImages(text, dir, async (path) => {
      calls.push(path)
      return '/media/abc.png'
    })
    expect(calls).toEqual([join(dir, 'images', 'a.png')])
    expect(out.text).toBe(
      '![A](/media/abc.png) ![again](/media/abc.png "t") ![web](https://x.example/b.png) ![gone](images/none.png)\n\n```\n![code](images/a.png)\n```\n',
    )
  })
})

describe('npm run blog', () => {
  // (Shared by the tests below: removed after the last.)
  const dir = mkdtempSync(join(tmpdir(), 'blog-cli-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('new writes a draft with front matter and refuses to overwrite it', async () => {
    const first = await blog('new', 'Fourier Series Notes', '--dir', dir)
    expect(first.code).toBe(0)
    const text = readFileSync(join(dir, 'fourier-series-notes.md'), 'utf8')
    expect(text).toMatch(/^---\ntitle: "Fourier Series Notes"\ndate: \d{4}-\d\d-\d\d \d\d:\d\d\n/)
    expect((await blog('new', 'Fourier Series Notes', '--dir', dir)).code).toBe(1)
    expect((await blog('new', '傅里叶级数', '--dir', dir)).out).toMatch(/using the id \d{4}-\d\d-\d\d-1/)
  })

  it('publish and sync send the files (sync: unchanged the second time), pull writes them back', async () => {
    writeFileSync(join(dir, 'fourier-series-notes.md'), '---\ntitle: "Fourier Series Notes"\ndate: 2024-04-01\n---\n\n$a_n$ body\n')
    const published = await blog('publish', join(dir, 'fourier-series-notes.md'))
    expect(published.code).toBe(0)
    expect(published.out).toMatch(/publish: 1 created|publish: 0 created, 1 updated/)
    // The same file again: nothing new to keep.
    expect((await blog('publish', join(dir, 'fourier-series-notes.md'))).out).toContain('publish: 0 created, 0 updated, 1 unchanged')
    const synced = await blog('sync', '--dir', dir)
    expect(synced.code).toBe(0)
    expect(synced.out).toContain('content sync:')
    expect((await blog('sync', '--dir', dir)).out).toMatch(/0 created, 0 updated, 0 restored, \d+ unchanged/)
    const out = tempDir('blog-pull-')
    const pulled = await blog('pull', '--dir', out)
    expect(pulled.code).toBe(0)
    expect(readFileSync(join(out, 'fourier-series-notes.md'), 'utf8')).toContain('$a_n$ body')
    writeFileSync(join(out, 'fourier-series-notes.md'), 'my local edit')
    expect((await blog('pull', '--dir', out)).out).toContain('kept')
    expect(readFileSync(join(out, 'fourier-series-notes.md'), 'utf8')).toBe('my local edit')
    await blog('pull', '--dir', out, '--force')
    expect(readFileSync(join(out, 'fourier-series-notes.md'), 'utf8')).toContain('$a_n$ body')
  })

  it('sync uploads the local images a post references and the page shows them from /media/', async () => {
    const site = tempDir('blog-sync-img-')
    mkdirSync(join(site, 'images'))
    writeFileSync(join(site, 'images', 'dot.png'), PNG)
    const source = '---\ntitle: "Image sync"\ndate: 2024-05-01\n---\n\n![一个点](images/dot.png){width=1 height=1}\n'
    writeFileSync(join(site, 'image-sync-post.md'), source)
    const synced = await blog('sync', '--dir', site)
    expect(synced.code).toBe(0)
    expect(synced.out).toContain('image')
    // The file on disk is left as written; the blog got the uploaded address.
    expect(readFileSync(join(site, 'image-sync-post.md'), 'utf8')).toBe(source)
    const html = await (await fetch(`${base}/archives/image-sync-post`)).text()
    const src = /<img src="(\/media\/[0-9a-f]+\.png)"[^>]*width="1" height="1"/.exec(html)?.[1]
    expect(src).toBeDefined()
    const image = await fetch(base + src!)
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true)
  })

  it("stats prints the site's readers per day and its most read posts, or one post's exact figures", async () => {
    // One reader of the post the test before published (a browser's user agent: a counted view).
    const page = await fetch(`${base}/archives/fourier-series-notes`, {
      headers: { 'user-agent': READER_UA, 'cf-connecting-ip': '203.0.113.77' },
    })
    expect(page.status).toBe(200)
    const post = await blog('stats', '--post', 'fourier-series-notes', '--days', '7')
    expect(post.code).toBe(0)
    expect(post.out).toMatch(
      /^fourier-series-notes \(published\): 1 reader in all, 1 in the last 7 days, 0 comments\n {2}\d{4}-\d\d-\d\d {2}1 {2}#{40}\n$/,
    )
    const site = await blog('stats')
    expect(site.code).toBe(0)
    expect(site.out).toMatch(/^\d+ readers? in all, \d+ in the last 30 days/)
    expect(site.out).toContain('most read posts in the last 30 days (readers in all / last 30 days / comments):')
    const allTime = await blog('stats', '--rank', 'all', '--days', '7')
    expect(allTime.code).toBe(0)
    expect(allTime.out).toContain('most read posts of all time (readers in all / last 7 days / comments):')
    expect((await blog('stats', '--days', '0')).code).toBe(2)
    expect((await blog('stats', '--rank', 'top')).code).toBe(2)
    const unknown = await blog('stats', '--post', 'no-such-post-here')
    expect(unknown.code).toBe(1)
    expect(unknown.out).toContain('There is no post "no-such-post-here"')
  })

  it('export writes one JSON file and import of it changes nothing', async () => {
    const file = join(dir, 'site.json')
    const exported = await blog('export', '--out', file)
    expect(exported.code).toBe(0)
    const site = JSON.parse(readFileSync(file, 'utf8')) as { format: string; posts: { id: string }[] }
    expect(site.format).toBe('edge-science-blog-export')
    expect(site.posts.map((p) => p.id)).toContain('fourier-series-notes')
    const imported = await blog('import', file)
    expect(imported.code).toBe(0)
    expect(imported.out).toMatch(new RegExp(`import: 0 created, 0 updated, ${site.posts.length} unchanged`))
    // --out into a folder that does not exist yet: made, not an ENOENT after every page was fetched.
    const nested = join(dir, 'backups', '2026', 'site.json')
    const again = await blog('export', '--out', nested)
    expect(again.code, again.out).toBe(0)
    expect((JSON.parse(readFileSync(nested, 'utf8')) as { posts: unknown[] }).posts.length).toBe(site.posts.length)
  })

  it('a blog that cannot be reached is said once, with its address, exit 1 (no stack, no bare "fetch failed")', async () => {
    // A port nothing listens on (taken, then given back).
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const closed = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    await new Promise((resolve) => server.close(resolve))
    for (const args of [
      ['scripts/blog.ts', 'rerender'],
      ['scripts/blog.ts', 'sync', '--dir', 'content'],
      ['scripts/blog.ts', 'publish', 'content/softmax-temperature.md'],
      ['scripts/sync-content.ts'],
      ['scripts/rerender.ts'],
      ['scripts/render.ts', 'content/softmax-temperature.md', '--publish'],
    ]) {
      const { code, out } = await exec('node_modules/.bin/tsx', [...args, '--url', closed], {
        env: { ...process.env, BLOG_TOKEN: token },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
        (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, out: err.stdout + err.stderr }),
      )
      const what = `${args.join(' ')}\n${out}`
      expect(code, what).toBe(1)
      expect(out.split(`cannot reach the blog at ${closed}`).length - 1, what).toBe(1)
      expect(out, what).not.toContain('fetch failed')
      expect(out, what).not.toMatch(/^\s+at /m)
    }
  })

  it('npm run sync and npm run rerender: an option they do not take is bad usage, exit 2 with the usage (no stack)', async () => {
    for (const args of [
      ['scripts/sync-content.ts', '--delete'],
      ['scripts/sync-content.ts', 'content'],
      ['scripts/rerender.ts', '--dir', 'content'],
    ]) {
      const { code, out } = await exec('node_modules/.bin/tsx', args, { env: { ...process.env, BLOG_TOKEN: token } }).then(
        ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
        (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, out: err.stdout + err.stderr }),
      )
      const what = `${args.join(' ')}\n${out}`
      expect(code, what).toBe(2)
      expect(out, what).toMatch(/Unknown option|Unexpected argument/)
      expect(out, what).toContain('Usage: npm run')
      expect(out, what).not.toMatch(/^\s+at /m)
    }
  })

  it('--help prints the usage and exits 0 for every command, the importers too', async () => {
    for (const args of [['--help'], ['publish', '--help'], ['import-folder', '--help'], ['import-wordpress', '-h']]) {
      const { code, out } = await blog(...args)
      expect(code, `${args.join(' ')}\n${out}`).toBe(0)
      expect(out, args.join(' ')).toContain('Usage: npm run blog -- <command>')
    }
  })

  it('exits non-zero on any failure', async () => {
    writeFileSync(join(dir, 'broken.md'), '---\ntitle: [unclosed\n---\n')
    const res = await blog('publish', join(dir, 'broken.md'))
    expect(res.code).toBe(1)
    expect(res.out).toContain('1 failed')
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ format: 'other', version: 1, posts: [{ id: 'x' }] }))
    expect((await blog('import', join(dir, 'bad.json'))).code).toBe(1)
    expect((await blog('nonsense')).code).toBe(2)
  })
})
