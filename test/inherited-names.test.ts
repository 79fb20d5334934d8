import { describe, expect, it } from 'vitest'
import { folderPosts } from '../src/import/posts'
import { parseToml } from '../src/import/toml'
import { TOKEN, postComment, putPost, request } from './helpers'

/**
 * Names that a plain object answers without holding them (`__proto__`, `constructor`, `toString`,
 * …) are ordinary input here: a tag, a category, a post id, an HTML element, a TeX command, a
 * content type or a TOML table may be called that, and must be treated like any other name.
 */
const auth = { authorization: `Bearer ${TOKEN}` }

describe('names a JavaScript object inherits', () => {
  it('works as tags and a category: stored, listed, linked and deleted', async () => {
    const put = await putPost(
      'inherited-terms',
      { title: 'Inherited names', date: '2024-03-01', tags: ['__proto__', 'constructor', 'toString'], category: 'hasOwnProperty' },
      'Text.',
    )
    expect(put.status).toBe(201)
    const one = await request('/api/posts/inherited-terms', { headers: auth })
    expect(one.status).toBe(200)
    const post = (await one.json()) as { tags: string[]; tagSlugs: string[]; category: string; categorySlug: string }
    expect(post.tags).toEqual(['__proto__', 'constructor', 'toString'])
    expect(post.tagSlugs).toEqual(['__proto__', 'constructor', 'tostring'])
    expect(post.category).toBe('hasOwnProperty')
    expect(post.categorySlug).toBe('hasownproperty')

    const list = await request('/api/posts', { headers: auth })
    expect(list.status).toBe(200)
    expect(JSON.stringify(await list.json())).toContain('inherited-terms')

    const page = await request('/archives/inherited-terms')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('href="/tag/__proto__"')
    expect(html).toContain('href="/tag/constructor"')
    expect(html).toContain('href="/category/hasownproperty"')
    expect(html).not.toContain('native code')
    for (const path of ['/tag/__proto__', '/tag/constructor', '/tag/tostring', '/category/hasownproperty']) {
      const res = await request(path)
      expect(res.status, path).toBe(200)
      expect(await res.text(), path).toContain('/archives/inherited-terms')
    }
    const tags = await (await request('/tags')).text()
    expect(tags).toContain('href="/tag/constructor"')
    expect(tags).not.toContain('/tag/undefined')

    expect((await request('/api/posts/inherited-terms', { method: 'DELETE', headers: auth })).status).toBe(200)
    expect((await request('/api/posts?status=deleted', { headers: auth })).status).toBe(200)
    expect((await request('/tag/constructor')).status).toBe(404)
  })

  it('works as a tag whose slug the post declares', async () => {
    const body = `---\ntitle: Declared slugs\ndate: 2024-03-04\ntags: [__proto__, constructor]\ntag_slugs:\n  __proto__: proto-tag\n  constructor: ctor-tag\n---\n\nText.\n`
    const put = await request('/api/posts/declared-inherited', {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'text/markdown; charset=utf-8' },
      body,
    })
    expect(put.status).toBe(201)
    const post = (await (await request('/api/posts/declared-inherited', { headers: auth })).json()) as {
      tagSlugs: string[]
      declaredSlugs: unknown
    }
    expect(post.tagSlugs).toEqual(['proto-tag', 'ctor-tag'])
    expect(JSON.stringify(post.declaredSlugs)).toBe('{"category":null,"tags":{"__proto__":"proto-tag","constructor":"ctor-tag"}}')
    for (const path of ['/tag/proto-tag', '/tag/ctor-tag']) expect((await request(path)).status, path).toBe(200)
    expect((await request('/api/posts/declared-inherited', { method: 'DELETE', headers: auth })).status).toBe(200)
  })

  it('works as a post id', async () => {
    expect((await putPost('constructor', { title: 'A post called constructor', date: '2024-03-02' }, 'Text $x^2$.')).status).toBe(201)
    const front = await request('/')
    expect(front.status).toBe(200)
    const html = await front.text()
    expect(html).toContain('/archives/constructor')
    expect(html).not.toContain('native code')
    expect((await request('/archives/constructor')).status).toBe(200)
    expect((await request('/archives')).status).toBe(200)
    expect((await request('/api/posts/constructor', { method: 'DELETE', headers: auth })).status).toBe(200)
  })

  it('works as an HTML element, an entity and a TeX command in a post and a comment', async () => {
    const body = 'Raw <constructor>inside</constructor> and <__proto__>x</__proto__>, &constructor; and $\\constructor + \\toString$.\n'
    expect((await putPost('inherited-markup', { title: 'Inherited markup', date: '2024-03-03' }, body)).status).toBe(201)
    const html = await (await request('/archives/inherited-markup')).text()
    expect(html).toContain('inside')
    expect(html).not.toContain('native code')
    const feed = await request('/feed')
    expect(feed.status).toBe(200)
    expect(await feed.text()).not.toContain('native code')
    const comment = await postComment('inherited-markup', { author: 'Ada', body })
    expect(comment.status).toBe(201)
    const shown = await (await request('/archives/inherited-markup')).text()
    expect(shown).not.toContain('native code')
  })

  it('is an ordinary section or permalink style in a site folder being imported', () => {
    const hugo = folderPosts(
      [
        { path: 'config.toml', text: '[permalinks]\nposts = "/:year/:slug/"\n' },
        { path: 'content/constructor/a.md', text: '---\ntitle: A\ndate: 2020-01-01\n---\nx' },
      ],
      'hugo',
    )
    expect(hugo.posts.map((p) => p.frontMatter.aliases)).toEqual([['/constructor/a']])
    const jekyll = folderPosts(
      [
        { path: '_config.yml', text: 'permalink: constructor\n' },
        { path: '_posts/2020-01-01-a.md', text: '---\ntitle: A\n---\nx' },
      ],
      'jekyll',
    )
    expect(jekyll.posts).toHaveLength(1)
  })

  it('is an ordinary table name in TOML, never the prototype of every object', () => {
    const parsed = parseToml('[__proto__]\npolluted = 1\n[constructor]\nname = "x"\n[params]\ntoString = "y"\n')
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true)
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(
      JSON.parse('{"__proto__":{"polluted":1},"constructor":{"name":"x"},"params":{"toString":"y"}}'),
    )
  })
})
