import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { search } from '../../src/search/query'
import { parseQuery } from '../../src/search/tokenize'
import { CORPUS, QUERIES, type CorpusPost } from '../fixtures/search/corpus'
import { eventually, putPost, request, TOKEN } from '../helpers'
import { parseHtml } from '../html'

const index = () => env.SEARCH_INDEX.getByName('site')

function publish(p: CorpusPost, body = p.body) {
  return putPost(p.id, { title: p.title, date: p.date, tags: p.tags, category: p.category, draft: p.draft }, body)
}

/** The ids of the results on a search page, in order, and its count line. */
async function results(path: string): Promise<{ status: number; ids: string[]; html: string }> {
  const res = await request(path)
  const html = await res.text()
  const ids = [...html.matchAll(/<h2 class="entry-title"><a href="\/archives\/([^"]+)"/g)].map((m) => m[1]!)
  return { status: res.status, ids, html }
}

const q = (query: string, page?: number) => `/search?q=${encodeURIComponent(query)}${page ? `&page=${page}` : ''}`

/** Ids the index itself finds (no published-posts filter). */
async function indexIds(query: string): Promise<string[]> {
  return (await search(env.POSTS, parseQuery(query))).map((h) => h.id)
}

beforeAll(async () => {
  // KV allows one write per key per second in production; here the pointer may be written at once.
  await index().tune({ pointerIntervalMs: 0 })
  for (const p of CORPUS) expect((await publish(p)).status).toBe(201)
})

describe('search through published posts', () => {
  it.each(QUERIES)('$kind: "$q"', async ({ q: query, top }) => {
    const { status, ids } = await results(q(query))
    expect(status).toBe(200)
    if (top.length === 0) expect(ids).toEqual([])
    else expect(new Set(ids.slice(0, top.length))).toEqual(new Set(top))
  })

  it('ranks a title match above a body full of the word', async () => {
    const { ids } = await results(q('熵'))
    expect(ids).toEqual(['entropy-information', 'black-hole-thermo'])
  })

  it('finds a word by prefix, stem and exact form, exact matches first', async () => {
    for (const query of ['converg', 'converge', 'converges', 'convergence', 'convergent']) {
      const ids = (await results(q(query))).ids
      expect(new Set(ids), query).toEqual(new Set(['gradient-descent', 'markov-chain']))
    }
    // "converges" is in gradient-descent's title word for word; markov-chain has "converge".
    expect((await results(q('converges'))).ids[0]).toBe('gradient-descent')
    expect((await results(q('converge'))).ids[0]).toBe('markov-chain')
  })

  it('shows the count, the title and tags, a highlighted snippet and a canonical link', async () => {
    const { html } = await results(q('吉布斯现象'))
    const page = parseHtml(html)
    expect(page.text(page.byClass('search-count')[0]!)).toBe('找到 1 篇文章')
    const snippetHtml = /<p class="search-snippet">(.*?)<\/p>/s.exec(html)![1]!
    expect(snippetHtml).toContain('<mark>吉布斯现象</mark>')
    expect(html).toContain('<a class="tag" href="/search?q=%E6%95%B0%E5%AD%A6%E5%88%86%E6%9E%90">数学分析</a>')
    expect(html).toContain(`<link rel="canonical" href="https://blog.example/search?q=${encodeURIComponent('吉布斯现象')}"/>`)
    expect(html).toContain('<meta name="robots" content="noindex, follow"/>')
  })

  it('highlights title matches and escapes HTML in titles and snippets', async () => {
    const { ids, html } = await results(q('script'))
    expect(ids).toEqual(['html-escaping'])
    const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'))
    expect(main).toContain('Escaping &lt;<mark>script</mark>&gt; in HTML')
    expect(main).toContain('&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;')
    expect(main).not.toMatch(/<script|<b>/)
  })

  it('answers /search/:keyword and /search/:keyword/ with the same results and the ?q= canonical', async () => {
    const a = await results('/search/%E9%87%8F%E5%AD%90')
    const b = await results('/search/%E9%87%8F%E5%AD%90/')
    expect(a.status).toBe(200)
    expect(a.ids).toEqual(['quantum-entanglement'])
    expect(b.ids).toEqual(a.ids)
    expect(a.html).toContain('<link rel="canonical" href="https://blog.example/search?q=%E9%87%8F%E5%AD%90"/>')
  })

  it('answers HEAD like GET, with no body', async () => {
    for (const path of [q('量子'), '/search', '/search/%E9%87%8F%E5%AD%90/']) {
      const res = await request(path, { method: 'HEAD' })
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type')).toContain('text/html')
      expect(await res.text()).toBe('')
    }
    expect((await request(q('量子', 9), { method: 'HEAD' })).status).toBe(404)
  })

  it('shows the form for an empty query and a notice for a query with nothing to search', async () => {
    for (const path of ['/search', '/search?q=', '/search?q=%20%20']) {
      const res = await request(path)
      expect(res.status, path).toBe(200)
      const html = await res.text()
      expect(html).toMatch(/<form role="search" action="\/search" method="get"/)
      expect(html).toMatch(/<label for="search-page-q"[^>]*>搜索文章<\/label><input id="search-page-q" type="search" name="q"/)
      expect(html).not.toContain('search-count')
    }
    const res = await request(q('? !'))
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('请输入至少一个汉字或两个字母的词。')
  })

  it('refuses bad input with a 4xx page, never a 500', async () => {
    const cases: [string, number][] = [
      [q('量'.repeat(201)), 400],
      [q('x'.repeat(5000)), 400],
      ['/search?q=%01abc', 400],
      ['/search?q=ab%0Acd', 400],
      ['/search?q=ab%7F', 400],
      [q('量子') + '&page=abc', 400],
      [q('量子') + '&page=0', 400],
      [q('量子') + '&page=-1', 400],
      [q('量子') + '&page=1e3', 400],
      [q('量子') + '&page=99', 404],
      ['/search?page=2', 404],
      ['/search?q=%E9%87%8F%ZZ', 200],
      ['/search?q=%FF%FE', 200],
      ['/search/%01/', 400],
    ]
    for (const [path, status] of cases) {
      const res = await request(path)
      expect(res.status, path).toBe(status)
      expect(res.headers.get('content-type'), path).toContain('text/html')
    }
    const res = await request(q('量'.repeat(201)))
    const html = await res.text()
    expect(html).toContain('搜索词太长了（最多 200 个字符）。')
    // A search is read, not submitted: the page is titled as a request with a problem.
    expect(html).toContain('<title>请求有误')
    expect(html).not.toContain('无法提交')
    // 200 characters is fine.
    expect((await request(q('量'.repeat(200)))).status).toBe(200)
  })

  it('shows a refused search (400) as the search page: its form, prefilled and escaped, and the reason', async () => {
    const refused = async (path: string, vars: Record<string, string> = {}) => {
      const res = await request(path, {}, { ...env, ...vars })
      expect(res.status, path).toBe(400)
      const html = await res.text()
      const page = parseHtml(html)
      const form = page.byId('search-page-q')
      expect(form, path).not.toBeNull()
      return { html, value: page.attr(form!, 'value'), reason: page.text(page.byClass('search-error')[0]!) }
    }
    // Too long: the form holds the first 200 characters, to shorten and send again.
    const long = await refused(q('量'.repeat(201)))
    expect(long.value).toBe('量'.repeat(200))
    expect(long.reason).toBe('搜索词太长了（最多 200 个字符）。')
    expect(long.html).toContain('<title>请求有误')
    expect(long.html).toContain('<meta name="robots" content="noindex, follow"/>')
    // Control characters: the form holds the query without them; markup in it is escaped, never run.
    const hostile = await refused('/search?q=' + encodeURIComponent('"><script>alert(1)</script>\u0001量子'))
    expect(hostile.value).toBe('"><script>alert(1)</script> 量子')
    expect(hostile.reason).toBe('搜索词含有无法处理的控制字符。')
    expect(hostile.html).not.toContain('<script>alert')
    expect(hostile.html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; 量子"')
    // A page that is not a number: the query as it was.
    const page = await refused(q('量子') + '&page=abc')
    expect(page.value).toBe('量子')
    expect(page.reason).toBe('页码无效。')
    // /search/:keyword/ alike, and in English with LANGUAGE=en.
    expect((await refused('/search/ab%0Acd/')).value).toBe('ab cd')
    const en = await refused(q('x'.repeat(5000)), { LANGUAGE: 'en' })
    expect(en.value).toBe('x'.repeat(200))
    expect(en.reason).toBe('The search is too long (at most 200 characters).')
  })
})

describe('what is never found', () => {
  it('never shows drafts, and the index never held one', async () => {
    expect((await results(q('zyxwvut'))).ids).toEqual([])
    expect((await results(q('秘密草稿'))).ids).toEqual([])
    expect(await indexIds('zyxwvut')).toEqual([])
  })

  it('never shows an unpublished post even if the index still holds it (a lagging remove)', async () => {
    await index().upsert({ id: 'draft-secret', title: '秘密草稿', tags: [], date: Date.now(), text: 'zyxwvut' })
    expect(await indexIds('zyxwvut')).toEqual(['draft-secret'])
    expect((await results(q('zyxwvut'))).ids).toEqual([])
    await index().remove('draft-secret')
    expect(await indexIds('zyxwvut')).toEqual([])
  })

  it('takes out a post that is deleted or becomes a draft', async () => {
    const post: CorpusPost = {
      id: 'short-lived',
      title: 'Ephemeral Solitons',
      date: '2024-12-10 10:00',
      tags: ['waves'],
      body: '孤立子 soliton waves keep their shape.',
    }
    expect((await publish(post)).status).toBe(201)
    expect((await results(q('soliton'))).ids).toEqual(['short-lived'])
    expect((await publish({ ...post, draft: true })).status).toBe(200)
    expect((await results(q('soliton'))).ids).toEqual([])
    expect(await indexIds('soliton')).toEqual([])
    expect((await publish(post)).status).toBe(200)
    expect((await results(q('孤立子'))).ids).toEqual(['short-lived'])
    const del = await request('/api/posts/short-lived', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(del.status).toBe(200)
    expect((await results(q('孤立子'))).ids).toEqual([])
    expect(await indexIds('孤立子')).toEqual([])
    expect(await env.POSTS.get('v1:search:doc:short-lived')).toBeNull()
  })

  it('forgets the old words of an updated post and finds the new ones', async () => {
    const post: CorpusPost = {
      id: 'updated-post',
      title: 'Lattice Models',
      date: '2024-12-11 10:00',
      tags: [],
      body: '伊辛模型 Ising magnetisation.',
    }
    expect((await publish(post)).status).toBe(201)
    expect((await results(q('伊辛'))).ids).toEqual(['updated-post'])
    expect((await publish(post, '波茨模型 Potts colourings.')).status).toBe(200)
    expect((await results(q('伊辛'))).ids).toEqual([])
    expect((await results(q('ising'))).ids).toEqual([])
    expect((await results(q('波茨'))).ids).toEqual(['updated-post'])
    expect((await results(q('potts'))).ids).toEqual(['updated-post'])
  })
})

describe('pagination', () => {
  it('pages the results with PAGE_SIZE a page, newer/older links, and 404 past the last page', async () => {
    for (let i = 0; i < 12; i++) {
      const res = await putPost(
        `pg-${i}`,
        { title: `Paging ${i}`, date: `2023-01-${String(i + 1).padStart(2, '0')}` },
        `分页测试 pagination sample n${String(i).padStart(2, '0')}.`,
      )
      expect(res.status).toBe(201)
    }
    const first = await results(q('pagination'))
    expect(first.ids).toHaveLength(10)
    // Equal scores: newest first.
    expect(first.ids[0]).toBe('pg-11')
    expect(first.html).toContain('找到 12 篇文章')
    expect(first.html).toContain(`href="/search?q=pagination&amp;page=2"`)
    const second = await results(q('pagination', 2))
    expect(second.status).toBe(200)
    expect(second.ids).toEqual(['pg-1', 'pg-0'])
    expect(second.html).toContain('rel="prev" href="/search?q=pagination"')
    expect(new Set([...first.ids, ...second.ids]).size).toBe(12)
    expect((await results(q('pagination', 3))).status).toBe(404)
    expect((await results(q('分页测试', 2))).ids).toEqual(['pg-1', 'pg-0'])
  })
})

describe('segments: delta and rebuild', () => {
  const all = QUERIES.map((x) => x.q).concat(['的', '面积', 'pagination', '波茨'])

  async function snapshotOfResults(): Promise<string[][]> {
    const out: string[][] = []
    for (const query of all) out.push((await results(q(query))).ids)
    return out
  }

  it('gives identical results from the delta alone and after a rebuild, and keeps later changes in a new delta', async () => {
    const before = await snapshotOfResults()
    const beforeStats = await index().stats()
    expect(beforeStats.deltaDocs).toBe(beforeStats.docs)
    expect(beforeStats.mainShards).toBe(0)

    await index().rebuild()
    const after = await index().stats()
    expect(after.mainShards).toBeGreaterThanOrEqual(16)
    expect(after.deltaDocs).toBe(0)
    expect(after.shardBytes.max).toBeGreaterThan(0)
    expect(await snapshotOfResults()).toEqual(before)

    // A change after the build: the delta supersedes the main segment's postings of that post.
    const post = CORPUS.find((p) => p.id === 'noether')!
    expect((await publish(post, 'Symmetries of the Lagrangian give Hamiltonian invariants.')).status).toBe(200)
    expect((await index().stats()).superseded).toBe(1)
    expect((await results(q('momentum'))).ids).toEqual([])
    expect((await results(q('hamiltonian'))).ids).toEqual(['noether'])
    expect((await results(q('noether'))).ids).toEqual(['noether'])
    const del = await request('/api/posts/prime-gaps', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(del.status).toBe(200)
    expect(await indexIds('primes')).toEqual([])
    expect((await index().stats()).superseded).toBe(2)

    // Rebuilt again, in batches by alarm, when the delta passes its (lowered) limit.
    await index().tune({ deltaDocs: 3, rebuildDelayMs: 0, batchShards: 4 })
    for (const id of ['quantum-entanglement', 'heat-equation']) {
      const p = CORPUS.find((x) => x.id === id)!
      expect((await publish(p, p.body + '\n\n补记：重新发表。')).status).toBe(200)
    }
    await eventually(async () => {
      const s = await index().stats()
      expect(s.deltaDocs).toBe(0)
      expect(s.superseded).toBe(0)
      expect(s.building).toBe(false)
    })
    expect((await results(q('补记'))).ids.sort()).toEqual(['heat-equation', 'quantum-entanglement'])
    expect((await results(q('hamiltonian'))).ids).toEqual(['noether'])
    expect(await indexIds('primes')).toEqual([])
    expect((await results(q('量子'))).ids).toEqual(['quantum-entanglement'])
  })

  it('is idempotent: the same upsert or remove twice changes nothing', async () => {
    const before = await index().stats()
    const doc = { id: 'twice', title: 'Twice', tags: [], date: 1, text: 'idempotent repetition' }
    await index().upsert(doc)
    await index().upsert(doc)
    const mid = await index().stats()
    expect(mid.docs).toBe(before.docs + 1)
    expect(await indexIds('idempotent')).toEqual(['twice'])
    await index().remove('twice')
    await index().remove('twice')
    expect((await index().stats()).docs).toBe(before.docs)
    expect(await indexIds('idempotent')).toEqual([])
  })

  it('keeps every posting of a document with more terms than one statement writes, through a rebuild', async () => {
    // 2,600 distinct words (letters only, each ending in x, so no stemming joins two): the postings
    // go to SQLite 2,000 to a statement, and the main segment is built from them.
    const word = (i: number) => `zq${[...i.toString(16)].map((d) => String.fromCharCode(103 + parseInt(d, 16))).join('')}x`
    const words = Array.from({ length: 2600 }, (_, i) => word(i))
    const before = await index().stats()
    await index().upsert({ id: 'many-terms', title: 'Many terms', tags: [], date: 2, text: words.join(' ') })
    expect((await index().stats()).postings - before.postings).toBeGreaterThanOrEqual(2600)
    await index().rebuild()
    expect((await index().stats()).deltaDocs).toBe(0)
    for (const w of [words[0]!, words[1999]!, words[2000]!, words[2599]!]) expect(await indexIds(w)).toEqual(['many-terms'])
    await index().remove('many-terms')
    expect((await index().stats()).postings).toBe(before.postings)
    expect(await indexIds(words[2599]!)).toEqual([])
  })
})
