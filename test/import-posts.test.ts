import { describe, expect, it } from 'vitest'
import wxrText from './fixtures/import/wordpress-posts.xml?raw'
import oldWxrText from './fixtures/import/wordpress.xml?raw'
import { ImportFormatError, parseComments } from '../src/import/formats'
import { folderPosts, postMarkdown, wxrPosts, type Conversion, type ConvertedPost } from '../src/import/posts'
import { parseToml, TomlError } from '../src/import/toml'
import { request, TOKEN } from './helpers'

const ADMIN = { authorization: `Bearer ${TOKEN}` }

/** Every file of a fixture site under test/fixtures/import/<name>/, with its path inside the site (what folderPosts takes). */
const FIXTURE_FILES = import.meta.glob<string>('./fixtures/import/{hexo,hugo,jekyll}/**/*', {
  query: '?raw',
  import: 'default',
  eager: true,
})
function fixtureSite(name: string): { path: string; text: string }[] {
  const prefix = `./fixtures/import/${name}/`
  return Object.entries(FIXTURE_FILES)
    .filter(([path]) => path.startsWith(prefix))
    .map(([path, text]) => ({ path: path.slice(prefix.length), text }))
}
const hexo = fixtureSite('hexo')
const hugo = fixtureSite('hugo')
const jekyll = fixtureSite('jekyll')

function post(c: Conversion, id: string): ConvertedPost {
  const p = c.posts.find((x) => x.id === id)
  if (!p) throw new Error(`no post ${id} in ${c.posts.map((x) => x.id).join(', ')}`)
  return p
}

const warningsOf = (c: Conversion, source: string) => c.report.warnings.filter((w) => w.source.startsWith(source)).map((w) => w.message)

describe('WordPress WXR → posts', () => {
  const c = wxrPosts(wxrText)

  it('maps every field of a post: display name, offset date, first category, tags with nicenames, excerpt, old addresses', () => {
    const p = post(c, '123')
    expect(p.from).toBe('wordpress post 123 (熵与信息：从玻尔兹曼到香农)')
    expect(p.frontMatter).toEqual({
      // A Chinese slug (%e7%86%b5…): no transliteration, the post number is the id.
      id: '123',
      title: '熵与信息：从玻尔兹曼到香农',
      author: '林知秋',
      date: '2019-05-01T10:30:00+08:00',
      updated: '2019-05-03T09:00:00+08:00',
      category: '信息论',
      category_slug: 'information-theory',
      // The second category becomes a tag; a percent-encoded nicename gives no slug.
      tags: ['物理', '熵', '编码'],
      tag_slugs: { 熵: 'entropy' },
      summary: '从统计物理的熵说到信息论的熵。',
      aliases: ['/2019/05/熵与信息', '/?p=123'],
    })
  })

  it('turns WP-LaTeX shortcodes into $…$ math, keeps <!--more-->, images and captions, and names unknown shortcodes', () => {
    const p = post(c, '123')
    expect(p.body).toBe(
      [
        String.raw`玻尔兹曼把熵写成 $S = k_B \ln \Omega$，香农则写成 $H = -\sum_i p_i \log p_i$。`,
        String.raw`两者只差一个常数 $k_B \ln 2$。`,
        '<!--more-->',
        '## 编码定理',
        String.raw`平均码长满足 $L \ge H$，而且**可以任意接近**。`,
        '![熵的示意图](https://kexue.example/wp-content/uploads/2019/05/entropy.png) 熵的示意图',
        '[gallery ids="130,131"]',
      ].join('\n\n'),
    )
    expect(warningsOf(c, 'wordpress post 123')).toContain('shortcode [gallery] has no equivalent here: left as text')
    const euler = post(c, 'euler-formula')
    expect(euler.body).toBe(
      '欧拉公式 $e^{i\\pi}+1=0$ 把五个常数连在一起。\n\n第一种证明用幂级数：\\\n' +
        String.raw`$e^{ix} = \sum_{n=0}^\infty \frac{(ix)^n}{n!} = \cos x + i \sin x$` +
        '\\\n其中 $i^2=-1$。',
    )
    // A SyntaxHighlighter [code] shortcode is a code block; `<` in it stays code.
    expect(post(c, 'fourier-series').body).toContain('```\nif n < 3 and n > 0:\n    print(sum(1/k for k in range(1, 100, 2)))\n```')
  })

  it('maps statuses: future is scheduled by its date, draft and private become drafts, closed comments stay closed', () => {
    expect(post(c, 'euler-formula').frontMatter).toMatchObject({
      date: '2031-01-01T08:00:00+08:00',
      author: 'Guest Writer',
      tags: ['Complex Analysis'],
    })
    expect(post(c, 'euler-formula').frontMatter.draft).toBeUndefined()
    // No slug and no GMT date: the post number, and the local time without an offset.
    expect(post(c, '126').frontMatter).toEqual({
      id: '126',
      title: '拉普拉斯变换（草稿）',
      author: '林知秋',
      date: '2024-03-20 21:00:00',
      draft: true,
      aliases: ['/?p=126'],
    })
    expect(post(c, 'reading-notes').frontMatter.draft).toBe(true)
    expect(warningsOf(c, 'wordpress post 127')).toContain('a private post: imported as a draft (nobody but you sees it)')
    expect(post(c, 'fourier-series').frontMatter).toMatchObject({ comments: false, category: '数学', category_slug: 'mathematics' })
    expect(post(c, 'about').frontMatter).toMatchObject({ type: 'page', aliases: ['/?page_id=2'] })
  })

  it('normalises a slug that is not an id, and says so', () => {
    expect(post(c, 'euler-formula').frontMatter.aliases).toEqual(['/2031/01/euler_formula', '/?p=125'])
    expect(warningsOf(c, 'wordpress post 125')).toContain('slug "euler_formula" is not an id: normalised to "euler-formula"')
    expect(warningsOf(c, 'wordpress post 123')[0]).toMatch(
      /no Latin letters or digits \(no transliteration\): the WordPress post number 123 is its id/,
    )
  })

  it('reports every item it leaves out, with the reason', () => {
    expect(c.posts.map((p) => p.id)).toEqual(['123', 'fourier-series', 'euler-formula', '126', 'reading-notes', 'about'])
    expect(c.report.skipped).toEqual([
      {
        source: 'wordpress attachment 130 (entropy)',
        reason: 'an attachment (https://kexue.example/2019/05/%e7%86%b5%e4%b8%8e%e4%bf%a1%e6%81%af/entropy/): media files are not imported',
      },
      { source: 'wordpress nav_menu_item 131 (首页)', reason: 'post type nav_menu_item is not a post' },
      { source: 'wordpress post 132 (旧文（已删除）)', reason: 'status trash' },
    ])
    expect(wxrPosts(wxrText, { pages: false }).report.skipped[0]).toEqual({
      source: 'wordpress page 2 (关于)',
      reason: 'a page: pages were left out (--no-pages)',
    })
    expect(c.report.imported.find((i) => i.id === '123')).toEqual({
      id: '123',
      from: 'wordpress post 123 (熵与信息：从玻尔兹曼到香农)',
      title: '熵与信息：从玻尔兹曼到香农',
      aliases: ['/2019/05/熵与信息', '/?p=123'],
    })
  })

  it('takes comments from the comment importer’s own parser, keyed to the new id', () => {
    const parsed = parseComments('wxr', wxrText)
    // The comment importer names the same ids: a Chinese slug's comments go to post 123.
    expect(parsed.comments.filter((x) => x.postRef === '123').map((x) => x.sourceId)).toEqual(['201', '202', '203', '205'])
    expect(post(c, '123').comments).toEqual(parsed.comments.filter((x) => x.postRef === '123'))
    expect(post(c, '123').comments.map((x) => [x.sourceId, x.parentSourceId, x.status, x.admin])).toEqual([
      ['201', null, 'approved', false],
      ['202', '201', 'approved', true],
      ['203', '202', 'approved', false],
      ['205', null, 'spam', false],
    ])
    expect(parsed.skipped).toContainEqual({ sourceId: '204', reason: 'pingback, not a comment' })
    expect(post(c, 'fourier-series').comments.map((x) => [x.sourceId, x.status])).toEqual([
      ['206', 'approved'],
      ['207', 'pending'],
    ])
    // The older fixture still reads as before (valid slugs are their own ids).
    expect([...new Set(parseComments('wxr', oldWxrText).comments.map((x) => x.postRef))].sort()).toEqual(['about', 'entropy-notes'])
  })

  it('keeps the post number as the id when the old permalinks were /archives/<n>, so old links are unchanged', () => {
    const numbered = wxrText.replace('https://kexue.example/2019/06/fourier-series/', 'https://kexue.example/archives/124')
    const n = wxrPosts(numbered)
    expect(n.posts.map((p) => p.id)).toContain('124')
    expect(post(n, '124').frontMatter.aliases).toEqual(['/?p=124'])
    expect(
      parseComments('wxr', numbered)
        .comments.filter((x) => x.postRef === '124')
        .map((x) => x.sourceId),
    ).toEqual(['206', '207'])
  })

  it('refuses a file that is not a WordPress export', () => {
    expect(() => wxrPosts('{"posts": []}')).toThrow(ImportFormatError)
    expect(() => wxrPosts('<rss><channel><item><title>x</title></item></channel></rss>')).toThrow(
      'WordPress export (WXR): not a WordPress export (no wp:wxr_version)',
    )
  })
})

describe('Hexo, Hugo and Jekyll folders → posts', () => {
  it('Hexo: front matter mapped, dates in the site’s time zone, nested categories, permalinks as redirects', () => {
    const c = folderPosts(hexo, 'hexo')
    expect(post(c, 'quantum-harmonic-oscillator').frontMatter).toEqual({
      id: 'quantum-harmonic-oscillator',
      title: '量子谐振子的代数解法',
      date: '2019-05-01T10:00:00+08:00',
      updated: '2019-05-02T08:30:00+08:00',
      category: '物理',
      tags: ['量子力学', '谐振子'],
      aliases: ['/2019/05/01/quantum-harmonic-oscillator'],
    })
    const body = post(c, 'quantum-harmonic-oscillator').body
    expect(body).toContain('<!-- more -->')
    expect(body).not.toContain('{% raw %}')
    expect(body).toContain(String.raw`$E_n = \hbar\omega(n + \frac{1}{2})$`)
    expect(body).toContain('```python\nimport numpy as np\nE = [(n + 0.5) for n in range(5)]\n```')
    // A Chinese file name: a date-based id, and the old (percent-encoded) address redirects.
    expect(post(c, '2019-05-01-1').frontMatter).toEqual({
      id: '2019-05-01-1',
      title: '熵的统计解释',
      date: '2019-05-01T20:00:00+08:00',
      category: '物理',
      tags: ['熵'],
      aliases: ['/2019/05/01/熵的统计解释'],
    })
    expect(post(c, 'fourier-series').frontMatter).toEqual({
      id: 'fourier-series',
      title: 'Fourier Series and the Gibbs Phenomenon',
      date: '2020-02-29T23:30:00+08:00',
      category: '数学',
      tags: ['分析', '笔记', 'Fourier', 'Gibbs'],
      summary: '方波的部分和在间断点附近总有约 9% 的过冲。',
      comments: false,
      aliases: ['/fourier'],
    })
    expect(post(c, 'fourier-series').body).toMatch(/^\$\$\n\\lim_\{N\\to\\infty\} .*\n\$\$/)
    expect(post(c, 'draft-idea').frontMatter).toEqual({
      id: 'draft-idea',
      title: '路径积分入门（草稿）',
      tags: ['路径积分'],
      draft: true,
      aliases: [],
    })
    expect(c.report.skipped).toEqual([
      { source: 'source/about/index.md', reason: 'a Hexo page (not in source/_posts): pages are not imported' },
      { source: 'source/_posts/broken.md', reason: expect.stringMatching(/^Front matter is not valid YAML/) },
    ])
    expect(warningsOf(c, 'source/_posts/Fourier_Series.md')).toEqual([
      '"Fourier_Series" is not an id here: "fourier-series"',
      'one category per post here: "分析", "笔记" kept as tags',
      'tag plugin {% asset_img %} has no equivalent here: left as text',
    ])
  })

  it('Hugo: TOML and YAML front matter, bundles, slug, lastmod, series, Hugo’s own aliases and the section permalink', () => {
    const c = folderPosts(hugo, 'hugo')
    expect(post(c, 'lorentz-transformation').frontMatter).toEqual({
      id: 'lorentz-transformation',
      title: '洛伦兹变换的推导',
      date: '2020-03-01T10:00:00+08:00',
      updated: '2020-03-05T09:15:00+08:00',
      category: '物理',
      tags: ['相对论', 'SR'],
      series: '相对论入门',
      summary: '从光速不变推出洛伦兹变换。',
      aliases: ['/old/lorentz', '/posts/lorentz-old', '/2020/03/lorentz_transformation'],
    })
    expect(post(c, 'lorentz-transformation').body).toContain('![光锥](https://relativity.example/img/lightcone.png)')
    expect(warningsOf(c, 'content/posts/lorentz-transform.md')).toContain('shortcode {{< youtube >}} has no equivalent here: left as text')
    // A bundle's id is its folder; a date without an offset takes the config's timeZone.
    expect(post(c, 'spin-bundle').frontMatter).toEqual({
      id: 'spin-bundle',
      title: '自旋与旋量',
      date: '2020-04-02T08:00:00+08:00',
      tags: ['量子力学'],
      draft: true,
      aliases: [],
    })
    expect(c.report.skipped).toEqual([
      { source: 'content/about.md', reason: 'a page at the top of content/ (not in a section): pages are not imported' },
      { source: 'content/posts/_index.md', reason: 'a section’s list page (_index.md), not a post' },
      { source: 'content/posts/with-resources.md', reason: 'TOML front matter: line 4: arrays of tables ([[…]]) are not supported' },
    ])
  })

  it('Jekyll: date from the file name or front matter, space-separated categories, pretty permalinks, published: false', () => {
    const c = folderPosts(jekyll, 'jekyll')
    expect(post(c, 'welcome-to-jekyll').frontMatter).toEqual({
      id: 'welcome-to-jekyll',
      title: 'Welcome to Jekyll!',
      date: '2018-12-24T21:30:00+08:00',
      category: 'jekyll',
      tags: ['update', 'intro'],
      aliases: ['/jekyll/update/2018/12/24/Welcome-to-Jekyll'],
    })
    expect(post(c, 'welcome-to-jekyll').body).toContain('```ruby\ndef print_hi(name)')
    expect(post(c, 'bayes').frontMatter).toEqual({
      id: 'bayes',
      title: '贝叶斯定理',
      date: '2019-01-05T00:00:00+08:00',
      category: '概率',
      draft: true,
      aliases: [],
    })
    expect(warningsOf(c, '_posts/2019-01-05-bayes.markdown')).toEqual(['Liquid output {{ … }} is not evaluated here: left as text'])
    expect(post(c, 'unfinished-thoughts').frontMatter.draft).toBe(true)
    expect(c.report.skipped).toEqual([
      { source: '_posts/notes-without-date.md', reason: 'no date in the file name (YYYY-MM-DD-title.md): Jekyll does not publish it' },
      { source: 'about.md', reason: 'a Jekyll page (not in _posts): pages are not imported' },
    ])
  })

  it('gives unique ids: a second Chinese-named post the same day, and a clash of normalised names', () => {
    const files = [
      { path: 'source/_posts/熵.md', text: '---\ntitle: 熵\ndate: 2019-05-01 08:00:00\n---\n\n甲\n' },
      { path: 'source/_posts/能量.md', text: '---\ntitle: 能量\ndate: 2019-05-01 09:00:00\n---\n\n乙\n' },
      { path: 'source/_posts/My_Post.md', text: '---\ntitle: A\ndate: 2019-05-02\n---\n\nA\n' },
      { path: 'source/_posts/my-post.md', text: '---\ntitle: B\ndate: 2019-05-02\n---\n\nB\n' },
    ]
    const c = folderPosts(files, 'hexo')
    expect(c.posts.map((p) => [p.from, p.id])).toEqual([
      ['source/_posts/My_Post.md', 'my-post'],
      ['source/_posts/my-post.md', 'my-post-2'],
      ['source/_posts/熵.md', '2019-05-01-1'],
      ['source/_posts/能量.md', '2019-05-01-2'],
    ])
    // Without a config: dates keep no offset (the blog's TIMEZONE applies), and the report says so.
    expect(post(c, 'my-post').frontMatter.date).toBe('2019-05-02 00:00:00')
    expect(c.report.warnings[0]).toEqual({ source: '(site)', message: expect.stringContaining('no _config.yml') })
  })

  it('reads the TOML that Hugo writes, and names what it does not support', () => {
    expect(
      parseToml(
        'title = "a \\"b\\" \\u00e9"\nlit = \'C:\\x\'\ndate = 2020-03-01T10:00:00+08:00\nday = 2020-03-01\nn = 1_000\nf = -1.5e3\nok = true\n' +
          'tags = [\n  "x", # comment\n  "y",\n]\ninline = { a = 1, b.c = "d" }\n[permalinks]\n  posts = "/:year/:slug/"\n[a.b]\nc = """\nmulti\nline"""\n',
      ),
    ).toEqual({
      title: 'a "b" é',
      lit: 'C:\\x',
      date: '2020-03-01T10:00:00+08:00',
      day: '2020-03-01',
      n: 1000,
      f: -1500,
      ok: true,
      tags: ['x', 'y'],
      inline: { a: 1, b: { c: 'd' } },
      permalinks: { posts: '/:year/:slug/' },
      a: { b: { c: 'multi\nline' } },
    })
    expect(() => parseToml('a = 1\na = 2')).toThrow('line 2: a is defined twice')
    expect(() => parseToml('a = "open')).toThrow(TomlError)
    expect(() => parseToml('a = 1 2')).toThrow('line 1: unexpected text after the value')
  })
})

/** PUT every converted post as content sync; returns the results by id. */
async function publishAll(c: Conversion): Promise<Record<string, string>> {
  const results: Record<string, string> = {}
  for (const p of c.posts) {
    const res = await request(`/api/posts/${p.id}?sync=1`, {
      method: 'PUT',
      headers: { ...ADMIN, 'content-type': 'text/markdown; charset=utf-8' },
      body: postMarkdown(p),
    })
    const body = (await res.json()) as { result?: string; error?: { message: string } }
    results[p.id] = body.result ?? `${res.status} ${body.error?.message}`
  }
  return results
}

interface ApiComment {
  id: number
  parent: number | null
  author: string
  body: string
  createdAt: string
}

describe('importing a blog end to end', () => {
  it('publishes a WordPress export with its comments threaded, and old addresses answer 301; a second run changes nothing', async () => {
    const c = wxrPosts(wxrText)
    expect(await publishAll(c)).toEqual({
      '123': 'created',
      'fourier-series': 'created',
      'euler-formula': 'created',
      '126': 'created',
      'reading-notes': 'created',
      about: 'created',
    })
    const imported = await request('/api/import/comments?format=wxr', {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/xml' },
      body: wxrText,
    })
    expect(imported.status).toBe(200)
    const answer = (await imported.json()) as { imported: number; posts: { id: string; imported: number }[] }
    expect(answer.imported).toBe(7)
    expect(answer.posts).toContainEqual({ id: '123', imported: 4, skipped: 0 })
    // A page keeps its comments too (closed to new ones, as it was in WordPress), math typeset.
    expect(answer.posts).toContainEqual({ id: 'about', imported: 1, skipped: 0 })
    const onPage = (await (await request('/api/posts/about/comments')).json()) as { comments: ApiComment[] }
    expect(onPage.comments.map((x) => x.author)).toEqual(['老读者'])
    const aboutPage = await (await request('/archives/about')).text()
    expect(aboutPage).toContain('老读者')
    expect(aboutPage).toMatch(/从 <span class="katex">/)

    const got = (await (await request('/api/posts/123', { headers: ADMIN })).json()) as Record<string, unknown>
    expect(got).toMatchObject({
      title: '熵与信息：从玻尔兹曼到香农',
      author: '林知秋',
      date: '2019-05-01T10:30:00+08:00',
      category: '信息论',
      categorySlug: 'information-theory',
      tags: ['物理', '熵', '编码'],
      status: 'published',
      aliases: ['/2019/05/熵与信息', '/?p=123'],
    })
    expect(got.body).toContain('$S = k_B \\ln \\Omega$')
    const page = await (await request('/archives/123')).text()
    expect(page).toContain('class="katex"')

    // Threads survive; the spam comment is held, the pingback was never imported.
    const listed = (await (await request('/api/posts/123/comments')).json()) as { comments: ApiComment[] }
    const [q, a, thanks] = listed.comments
    expect(listed.comments.map((x) => x.author)).toEqual(['赵六', '林知秋', '赵六'])
    expect(q!.parent).toBeNull()
    expect(a!.parent).toBe(q!.id)
    expect(thanks!.parent).toBe(a!.id)
    expect(new Date(q!.createdAt).toISOString()).toBe('2019-05-01T04:00:00.000Z')

    // Statuses: the future post waits, the draft and the private post are drafts, the page is a page.
    const status = async (id: string) =>
      (await (await request(`/api/posts/${id}`, { headers: ADMIN })).json()) as { status: string; type: string }
    expect((await status('euler-formula')).status).toBe('scheduled')
    expect((await status('126')).status).toBe('draft')
    expect((await status('reading-notes')).status).toBe('draft')
    expect((await status('about')).type).toBe('page')

    // Old addresses: the permalink (percent-encoded as a browser sends it) and /?p=N.
    for (const [from, to] of [
      ['/2019/05/%E7%86%B5%E4%B8%8E%E4%BF%A1%E6%81%AF/', '/archives/123'],
      ['/?p=123', '/archives/123'],
      ['/2019/06/fourier-series/', '/archives/fourier-series'],
    ]) {
      const res = await request(from!, { redirect: 'manual' })
      expect(res.status, from).toBe(301)
      expect(new URL(res.headers.get('location')!, 'https://blog.example').pathname, from).toBe(to)
    }

    // Again: every post unchanged, no comment added twice.
    expect(Object.values(await publishAll(c)).every((r) => r === 'unchanged')).toBe(true)
    const again = (await (
      await request('/api/import/comments?format=wxr', {
        method: 'POST',
        headers: { ...ADMIN, 'content-type': 'application/xml' },
        body: wxrText,
      })
    ).json()) as { imported: number }
    expect(again.imported).toBe(0)
  })

  it('publishes a Hexo folder, and its old permalinks redirect to the new ids', async () => {
    // (Renamed so that its id does not meet the WordPress test's fourier-series.)
    const files = hexo.map((f) => (f.path.endsWith('Fourier_Series.md') ? { ...f, path: 'source/_posts/Gibbs_Phenomenon.md' } : f))
    const results = await publishAll(folderPosts(files, 'hexo'))
    expect(results).toEqual({
      'draft-idea': 'created',
      'gibbs-phenomenon': 'created',
      'quantum-harmonic-oscillator': 'created',
      '2019-05-01-1': 'created',
    })
    const got = (await (await request('/api/posts/2019-05-01-1', { headers: ADMIN })).json()) as Record<string, unknown>
    expect(got).toMatchObject({ title: '熵的统计解释', date: '2019-05-01T20:00:00+08:00', category: '物理', tags: ['熵'] })
    for (const [from, to] of [
      ['/2019/05/01/quantum-harmonic-oscillator/', '/archives/quantum-harmonic-oscillator'],
      ['/2019/05/01/%E7%86%B5%E7%9A%84%E7%BB%9F%E8%AE%A1%E8%A7%A3%E9%87%8A/', '/archives/2019-05-01-1'],
      ['/fourier/', '/archives/gibbs-phenomenon'],
    ]) {
      const res = await request(from!, { redirect: 'manual' })
      expect(res.status, from).toBe(301)
      expect(new URL(res.headers.get('location')!, 'https://blog.example').pathname, from).toBe(to)
    }
    // The excerpt ends at <!-- more -->.
    const front = await (await request('/')).text()
    expect(front).toContain('量子谐振子的代数解法')
    expect(front).not.toContain('import numpy as np')
  })

  it('never replaces a post written through the API: a clashing import is reported as skipped', async () => {
    await request('/api/posts/welcome-to-jekyll', {
      method: 'PUT',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Mine', body: 'Written here.' }),
    })
    const results = await publishAll(folderPosts(jekyll, 'jekyll'))
    expect(results['welcome-to-jekyll']).toBe('skipped')
    const kept = (await (await request('/api/posts/welcome-to-jekyll', { headers: ADMIN })).json()) as { title: string }
    expect(kept.title).toBe('Mine')
    expect(results.bayes).toBe('created')
  })
})
