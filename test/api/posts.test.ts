import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { parseFrontMatter } from '../../src/render/front-matter'
import { eventually, markdownPost, putPost, request, TOKEN, view } from '../helpers'

const auth = { authorization: `Bearer ${TOKEN}` }

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string } }
  expect(typeof body.error.code).toBe('string')
  expect(body.error.message.length).toBeGreaterThan(0)
  return body.error
}

describe('PUT /api/posts/:id', () => {
  it('creates a post from markdown with front matter, rendered once and stored in KV', async () => {
    const res = await putPost(
      'api-create',
      { title: '熵与编码', date: '2024-05-01 08:30', category: '信息论', tags: ['熵', '编码'] },
      '$H(X)=-\\sum p\\log p$',
    )
    expect(res.status).toBe(201)
    expect(res.headers.get('location')).toBe('/archives/api-create')
    const body = (await res.json()) as { result: string; post: Record<string, unknown> }
    expect(body.result).toBe('created')
    expect(body.post).toMatchObject({
      id: 'api-create',
      title: '熵与编码',
      category: '信息论',
      tags: ['熵', '编码'],
      date: '2024-05-01T08:30:00+08:00',
      draft: false,
    })
    const stored = await env.POSTS.get<{ html: string; title: string }>('v1:post:api-create', 'json')
    expect(stored?.title).toBe('熵与编码')
    expect(stored?.html).toContain('class="katex"')
  })

  it('replaces a post and answers 200 with result "updated"', async () => {
    await putPost('api-replace', { title: 'v1' })
    const res = await putPost('api-replace', { title: 'v2' }, 'new body')
    expect(res.status).toBe(200)
    expect(((await res.json()) as { result: string }).result).toBe('updated')
    const stored = await env.POSTS.get<{ title: string; html: string }>('v1:post:api-replace', 'json')
    expect(stored?.title).toBe('v2')
    expect(stored?.html).toContain('new body')
  })

  it('accepts JSON with the same fields plus body, tags as a comma-separated string', async () => {
    const res = await request('/api/posts/api-json', {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'JSON post', date: '2024-01-02T03:04:05Z', tags: 'a, b，c', body: 'Hello **world**' }),
    })
    expect(res.status).toBe(201)
    const { post } = (await res.json()) as { post: { tags: string[]; date: string } }
    expect(post.tags).toEqual(['a', 'b', 'c'])
    expect(post.date).toBe('2024-01-02T11:04:05+08:00')
  })

  it('applies the site time zone to dates without an offset and keeps explicit offsets', async () => {
    await putPost('tz-local', { title: 't', date: '2024-03-01' })
    await putPost('tz-offset', { title: 't', date: '2024-03-01T00:00:00-05:00' })
    const a = await env.POSTS.get<{ date: number }>('v1:post:tz-local', 'json')
    const b = await env.POSTS.get<{ date: number }>('v1:post:tz-offset', 'json')
    expect(new Date(a!.date).toISOString()).toBe('2024-02-29T16:00:00.000Z')
    expect(new Date(b!.date).toISOString()).toBe('2024-03-01T05:00:00.000Z')
  })

  it('ends the front matter only at a fence on a line of its own', async () => {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown; charset=utf-8' }
    const put = (id: string, body: string) => request(`/api/posts/${id}`, { method: 'PUT', headers: auth, body })
    const res = await put(
      'fence-ellipsis',
      '---\ntitle: To be continued...\ndate: 2024-05-01\ntags: [a]\nsummary: and so on ---\n---\n\nBody text.\n',
    )
    expect(res.status).toBe(201)
    const { post } = (await res.json()) as { post: { title: string; date: string; tags: string[]; summary: string } }
    expect(post.title).toBe('To be continued...')
    expect(post.date).toBe('2024-05-01T00:00:00+08:00')
    expect(post.tags).toEqual(['a'])
    expect(post.summary).toBe('and so on ---')
    const stored = (await (await request('/api/posts/fence-ellipsis', { headers: auth })).json()) as { body: string }
    expect(stored.body).toBe('Body text.\n')
    // A closing `...` on its own line still ends it, and an empty front matter is still one.
    const dots = await put('fence-dots', '---\ntitle: Dots\n...\n\nText.\n')
    expect(dots.status).toBe(201)
    expect(((await dots.json()) as { post: { title: string } }).post.title).toBe('Dots')
    expect(parseFrontMatter('---\n---\n\nText.\n')).toEqual({ data: {}, body: 'Text.\n' })
  })

  it('keeps text fields as the author wrote them (title: 1.10 is "1.10", not 1.1) and still reads true/false fields as booleans', async () => {
    const put = (id: string, body: string) =>
      request(`/api/posts/${id}`, { method: 'PUT', headers: { ...auth, 'content-type': 'text/markdown; charset=utf-8' }, body })
    const res = await put(
      'yaml-text',
      [
        '---',
        'title: 1.10',
        'author: 007',
        'date: 2024-05-01',
        'updated: 2024-06-01',
        'category: 0x1F',
        'tags: [1.10, true, 2.0, yes, .inf, 1e3]',
        'tag_slugs: {1.10: v1-10}',
        'series: 2024',
        'summary: false',
        'draft: false',
        'comments: false',
        '---',
        '',
        'Body.',
        '',
      ].join('\n'),
    )
    expect(res.status).toBe(201)
    const { post } = (await res.json()) as { post: Record<string, unknown> }
    expect(post).toMatchObject({
      title: '1.10',
      author: '007',
      date: '2024-05-01T00:00:00+08:00',
      updated: '2024-06-01T00:00:00+08:00',
      category: '0x1F',
      tags: ['1.10', 'true', '2.0', 'yes', '.inf', '1e3'],
      series: '2024',
      summary: 'false',
      draft: false,
      comments: false,
      status: 'published',
    })
    // The tag's slug mapping is keyed by the tag as written too.
    expect((post.tagSlugs as string[])[0]).toBe('v1-10')
    // Other spellings YAML would read as numbers, booleans or dates, one field at a time.
    for (const [written, kept] of [
      ['0x1F', '0x1F'],
      ['true', 'true'],
      ['False', 'False'],
      ['2024-01-01', '2024-01-01'],
      ['0o17', '0o17'],
      ['-0', '-0'],
      ['+12', '+12'],
      ['.NaN', '.NaN'],
      ['1_000', '1_000'],
    ]) {
      const one = await put('yaml-text-one', `---\ntitle: ${written}\n---\n\nx\n`)
      expect(one.status, written).toBeLessThan(300)
      expect(((await one.json()) as { post: { title: string } }).post.title, written).toBe(kept)
    }
    // A draft is still a boolean: `draft: true` keeps the post off the site.
    const draft = await put('yaml-text-draft', '---\ntitle: 3.14\ndraft: true\n---\n\nx\n')
    expect(((await draft.json()) as { post: { title: string; status: string } }).post).toMatchObject({ title: '3.14', status: 'draft' })
    // The file read back (and the web admin's rewrite of it) keeps the text too.
    const md = await (await request('/api/posts/yaml-text', { headers: { ...auth, accept: 'text/markdown' } })).text()
    expect(md).toContain('title: "1.10"')
    const { data } = parseFrontMatter('---\ntitle: 1.10\ntags: [2.0]\ndraft: false\nweight: 3\n---\n\nx\n')
    expect(data).toEqual({ title: '1.10', tags: ['2.0'], draft: false, weight: 3 })
  })

  it('refuses text with a lone surrogate (JSON \\ud800, YAML "\\ud800") with 400 naming the field, and stores nothing', async () => {
    const json = (fields: Record<string, unknown>) =>
      request('/api/posts/lone-surrogate', {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        // JSON.stringify writes a lone surrogate as its escape, \ud800: valid JSON, not a character.
        body: JSON.stringify({ title: 'Fine', body: 'Fine.', ...fields }),
      })
    const cases: [Record<string, unknown>, string][] = [
      [{ title: 'a\ud800b' }, 'title'],
      [{ body: 'x\udc00y' }, 'body'],
      [{ author: '\ud800' }, 'author'],
      [{ category: 'c\udbff' }, 'category'],
      [{ tags: ['ok', 't\ud800'] }, 'tags'],
      [{ tags: 'ok, t\ud800' }, 'tags'],
      [{ summary: '\udfff' }, 'summary'],
      [{ series: 's\ud800' }, 'series'],
      [{ date: '2024-05-01\ud800' }, 'date'],
      [{ tags: ['t'], tag_slugs: { 't\ud800': 'tee' } }, 'tag_slugs'],
      [{ aliases: ['/old\ud800'] }, 'aliases'],
    ]
    for (const [fields, field] of cases) {
      const res = await json(fields)
      expect(res.status, field).toBe(400)
      const error = await errorOf(res)
      expect(error.code, field).toBe('invalid_post')
      expect(error.message, field).toContain(field)
      expect(error.message, field).toMatch(/surrogate|Unicode/)
    }
    // The same escapes in YAML front matter (double-quoted strings take \u escapes).
    for (const [line, field] of [
      ['title: "a\\ud800b"', 'title'],
      ['tags: ["\\udc00"]', 'tags'],
      ['aliases: ["/x\\ud800"]', 'aliases'],
    ]) {
      const res = await request('/api/posts/lone-surrogate', {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'text/markdown; charset=utf-8' },
        body: `---\n${line}\n${field === 'title' ? '' : 'title: Fine\n'}---\n\nFine.\n`,
      })
      expect(res.status, line).toBe(400)
      expect((await errorOf(res)).message, line).toContain(field)
    }
    expect(await env.POSTS.get('v1:post:lone-surrogate')).toBeNull()
    expect((await request('/api/posts/lone-surrogate', { headers: auth })).status).toBe(404)
    // A pair is a character (an emoji is fine), and so is U+FFFD.
    const ok = await json({ title: 'ok \ud83d\ude00 \ufffd', tags: ['\ud83c\udf1f'] })
    expect(ok.status).toBe(201)
    expect(((await ok.json()) as { post: { title: string } }).post.title).toBe('ok 😀 \ufffd')
  })

  it('refuses a control character (JSON \\u0000, YAML "\\x1b") in a text field with 400 naming the field, and stores nothing; tabs and line breaks pass', async () => {
    expect((await putPost('control-chars', { title: 'Before', tags: ['before'] })).status).toBe(201)
    const before = await env.POSTS.get('v1:post:control-chars')
    const json = (fields: Record<string, unknown>) =>
      request('/api/posts/control-chars', {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Fine', body: 'Fine.', ...fields }),
      })
    const cases: [Record<string, unknown>, string][] = [
      [{ title: 'a\u0000b' }, 'title'],
      [{ title: 'bell\u0007' }, 'title'],
      [{ author: 'x\u001b[31m' }, 'author'],
      [{ category: 'c\u007f' }, 'category'],
      [{ tags: ['ok', 't\u0001'] }, 'tags'],
      [{ tags: 'ok, t\u0008' }, 'tags'],
      [{ summary: 'a\u000bb' }, 'summary'],
      [{ series: 's\u001f' }, 'series'],
      [{ date: '2024-05-01\u0000' }, 'date'],
      [{ tags: ['t'], tag_slugs: { 't\u0002': 'tee' } }, 'tag_slugs'],
    ]
    for (const [fields, field] of cases) {
      const res = await json(fields)
      expect(res.status, field).toBe(400)
      const error = await errorOf(res)
      expect(error.code, field).toBe('invalid_post')
      expect(error.message, field).toContain(field)
      expect(error.message, field).toContain('control character')
    }
    // The same in YAML front matter (double-quoted strings take escapes).
    for (const [line, field] of [
      ['title: "a\\x1bb"', 'title'],
      ['tags: ["\\u0000"]', 'tags'],
      ['author: "\\a"', 'author'],
    ]) {
      const res = await request('/api/posts/control-chars', {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'text/markdown; charset=utf-8' },
        body: `---\n${line}\n${field === 'title' ? '' : 'title: Fine\n'}---\n\nFine.\n`,
      })
      expect(res.status, line).toBe(400)
      const { message } = await errorOf(res)
      expect(message, line).toContain(field)
      expect(message, line).toContain('holds a control character')
    }
    expect(await env.POSTS.get('v1:post:control-chars')).toBe(before)
    // A tab and line breaks are text: a summary written as a YAML block keeps them.
    const ok = await request('/api/posts/control-chars', {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'text/markdown; charset=utf-8' },
      body: '---\ntitle: "Tab\\tin title"\nsummary: |\n  Line one\n  Line two\n---\n\nFine.\n',
    })
    expect(ok.status, await ok.clone().text()).toBe(200)
    expect(((await ok.json()) as { post: { title: string } }).post.title).toBe('Tab\tin title')
  })

  it('refuses a category or tag whose name gives no address (slug ".", ".." or nothing) unless a slug is given for it', async () => {
    expect((await putPost('term-dots', { title: 'Before', category: 'Fine', tags: ['fine'] })).status).toBe(201)
    const cases: [Record<string, unknown>, string, string][] = [
      [{ tags: ['ok', '.'] }, 'tags', '"."'],
      [{ tags: ['..'] }, 'tags', '".."'],
      [{ tags: [' . '] }, 'tags', '"."'],
      // NFKC makes these dots: a full-width full stop and a two-dot leader.
      [{ tags: ['．'] }, 'tags', '"．"'],
      [{ tags: ['‥'] }, 'tags', '"‥"'],
      // Nothing an address can show: every character is one a slug drops.
      [{ tags: ['?#'] }, 'tags', '"?#"'],
      [{ category: '..' }, 'category', '".."'],
      [{ category: '%&' }, 'category', '"%&"'],
      // A slug given for another name does not help.
      [{ tags: ['..'], tag_slugs: { other: 'other' } }, 'tags', '".."'],
    ]
    for (const [fields, field, name] of cases) {
      for (const res of [
        await putPost('term-dots', { title: 'After', ...fields }),
        await request('/api/posts/term-dots', {
          method: 'PUT',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'After', body: 'x', ...fields }),
        }),
        await putPost('term-dots', { title: 'After', ...fields }, 'x', '?dry_run=1'),
      ]) {
        expect(res.status, JSON.stringify(fields)).toBe(400)
        const error = await errorOf(res)
        expect(error.code).toBe('invalid_post')
        expect(error.message, JSON.stringify(fields)).toContain(`${field}:`)
        expect(error.message, JSON.stringify(fields)).toContain(name)
      }
    }
    // Nothing changed.
    const kept = (await (await request('/api/posts/term-dots', { headers: auth })).json()) as Record<string, unknown>
    expect(kept).toMatchObject({ title: 'Before', category: 'Fine', tags: ['fine'], revision: 1 })
    // With a slug of its own (front matter; the site's mapping too) such a name is fine, and so is a
    // name that only looks like dots ("..." is no dot segment).
    const named = await putPost('term-dots', {
      title: 'Named',
      category: '..',
      category_slug: 'dot-dot',
      tags: ['.', '...'],
      tag_slugs: { '.': 'dot' },
    })
    expect(named.status).toBe(200)
    expect(((await named.json()) as { post: Record<string, unknown> }).post).toMatchObject({
      category: '..',
      categorySlug: 'dot-dot',
      tags: ['.', '...'],
      tagSlugs: ['dot', '...'],
    })
    for (const path of ['/category/dot-dot', '/tag/dot', '/tag/...'])
      await eventually(async () => expect((await request(path)).status, path).toBe(200))
  })

  it('refuses dates before the year 1000 and offsets with more than 59 minutes', async () => {
    for (const date of ['0024-05-01', '0000-01-01', '0999-12-31', '2024-05-01T00:00:00+00:99']) {
      const res = await putPost('date-refused', { title: 't', date })
      expect(res.status, date).toBe(400)
      expect(((await res.json()) as { error: { message: string } }).error.message, date).toContain('date')
    }
    expect((await request('/api/posts/date-refused', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404)
    expect((await putPost('date-kept', { title: 't', date: '1000-01-01T00:00:00Z' })).status).toBe(201)
  })

  it('keeps a date before 1901 (Shanghai’s local mean time, +08:05:43) through GET and PUT of the markdown', async () => {
    const admin = { authorization: `Bearer ${TOKEN}` }
    expect((await putPost('date-lmt', { title: 't', date: '1900-01-01' })).status).toBe(201)
    const dateOf = async () => ((await (await request('/api/posts/date-lmt', { headers: admin })).json()) as { date: string }).date
    const first = await dateOf()
    expect(first).toBe('1900-01-01T00:00:17+08:06')
    for (let i = 0; i < 2; i++) {
      const source = await (await request('/api/posts/date-lmt', { headers: { ...admin, accept: 'text/markdown' } })).text()
      const res = await request('/api/posts/date-lmt', {
        method: 'PUT',
        headers: { ...admin, 'content-type': 'text/markdown' },
        body: source,
      })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { result: string }).result).toBe('unchanged')
      expect(await dateOf()).toBe(first)
    }
  })

  it('refuses a date whose offset carries it out of the years 1000–9999 in the site’s time zone (its export could not be read back)', async () => {
    // Asia/Shanghai: 1000-01-01 00:00+18:00 is 0999-12-31 there, 9999-12-31 23:59-18:00 is 10000-01-02.
    for (const [field, value] of [
      ['date', '1000-01-01 00:00 +18:00'],
      ['date', '9999-12-31 23:59 -18:00'],
      ['updated', '9999-12-31T23:00:00Z'],
    ]) {
      const res = await putPost('date-out-of-range', { title: 't', date: '2024-05-01', [field!]: value })
      expect(res.status, value).toBe(400)
      const { error } = (await res.json()) as { error: { code: string; message: string } }
      expect(error.code).toBe('invalid_post')
      expect(error.message, value).toContain(`${field} is not a date`)
    }
    expect((await request('/api/posts/date-out-of-range', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404)
    // The latest date accepted is written back as one the API reads again.
    expect((await putPost('date-latest', { title: 't', date: '2024-05-01', updated: '9999-12-31 23:59' })).status).toBe(201)
    const md = await request('/api/posts/date-latest', { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/markdown' } })
    const source = await md.text()
    expect(source).toContain('updated: "9999-12-31T23:59:00+08:00"')
    const again = await request('/api/posts/date-latest', {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown' },
      body: source,
    })
    expect(again.status).toBe(200)
  })

  it('refuses a missing or wrong token with 401 and changes nothing', async () => {
    const md = markdownPost({ title: 'nope' }, 'x')
    for (const headers of <Record<string, string>[]>[
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Basic ${btoa('a:b')}` },
      { authorization: TOKEN },
    ]) {
      const res = await request('/api/posts/unauthorized', {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'text/markdown' },
        body: md,
      })
      expect(res.status).toBe(401)
      expect((await errorOf(res)).code).toBe('unauthorized')
    }
    const viaQuery = await request(`/api/posts/unauthorized?token=${TOKEN}`, {
      method: 'PUT',
      headers: { 'content-type': 'text/markdown' },
      body: md,
    })
    expect(viaQuery.status).toBe(401)
    expect(await env.POSTS.get('v1:post:unauthorized')).toBeNull()
    expect((await request('/archives/unauthorized')).status).toBe(404)
  })

  it('rejects bad input with a clear 4xx JSON error and stores nothing', async () => {
    const cases: [string, RequestInit, number, string][] = [
      [
        '/api/posts/Bad_ID',
        { method: 'PUT', headers: { ...auth, 'content-type': 'text/markdown' }, body: markdownPost({ title: 'x' }, '') },
        400,
        'invalid_id',
      ],
      [
        '/api/posts/..%2Fadmin',
        { method: 'PUT', headers: { ...auth, 'content-type': 'text/markdown' }, body: markdownPost({ title: 'x' }, '') },
        400,
        'invalid_id',
      ],
      [
        `/api/posts/${'a'.repeat(101)}`,
        { method: 'PUT', headers: { ...auth, 'content-type': 'text/markdown' }, body: markdownPost({ title: 'x' }, '') },
        400,
        'invalid_id',
      ],
      [
        '/api/posts/no-title',
        { method: 'PUT', headers: { ...auth, 'content-type': 'text/markdown' }, body: 'just text' },
        400,
        'invalid_post',
      ],
      [
        '/api/posts/bad-yaml',
        { method: 'PUT', headers: { ...auth, 'content-type': 'text/markdown' }, body: '---\ntitle: [unclosed\n---\nx' },
        400,
        'invalid_post',
      ],
      [
        '/api/posts/bad-date',
        {
          method: 'PUT',
          headers: { ...auth, 'content-type': 'text/markdown' },
          body: markdownPost({ title: 'x', date: '2024-02-30' }, ''),
        },
        400,
        'invalid_post',
      ],
      [
        '/api/posts/bad-json',
        { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: '{"title": ' },
        400,
        'malformed_json',
      ],
      [
        '/api/posts/json-array',
        { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: '[1,2]' },
        400,
        'invalid_post',
      ],
      [
        '/api/posts/json-nobody',
        { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: '{"title":"x"}' },
        400,
        'invalid_post',
      ],
      [
        '/api/posts/wrong-type',
        { method: 'PUT', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: 'title=x' },
        415,
        'unsupported_media_type',
      ],
      [
        '/api/posts/id-mismatch',
        { method: 'PUT', headers: { ...auth, 'content-type': 'text/markdown' }, body: markdownPost({ title: 'x', id: 'other' }, '') },
        400,
        'invalid_post',
      ],
      [
        '/api/posts/too-big',
        { method: 'PUT', headers: { ...auth, 'content-type': 'text/markdown' }, body: markdownPost({ title: 'x' }, 'a'.repeat(1_000_001)) },
        413,
        'payload_too_large',
      ],
      [
        '/api/posts/bad-draft',
        { method: 'PUT', headers: { ...auth, 'content-type': 'text/markdown' }, body: markdownPost({ title: 'x', draft: 'maybe' }, '') },
        400,
        'invalid_post',
      ],
    ]
    for (const [path, init, status, code] of cases) {
      const res = await request(path, init)
      expect(res.status, path).toBe(status)
      expect((await errorOf(res)).code, path).toBe(code)
    }
    const listed = await env.POSTS.list({ prefix: 'v1:post:' })
    const ids = listed.keys.map((k) => k.name)
    for (const id of ['no-title', 'bad-yaml', 'bad-date', 'bad-json', 'json-array', 'wrong-type', 'id-mismatch', 'too-big', 'bad-draft']) {
      expect(ids).not.toContain(`v1:post:${id}`)
    }
  })

  it('names the field in its message: a missing title is required, a list where text belongs must be text', async () => {
    const put = (id: string, body: string, type = 'application/json') =>
      request(`/api/posts/${id}`, { method: 'PUT', headers: { ...auth, 'content-type': type }, body })
    const message = async (res: Response) => {
      expect(res.status).toBe(400)
      return (await errorOf(res)).message
    }
    expect(await message(await put('msg-a', '{"body":"x"}'))).toBe('title is required')
    expect(await message(await put('msg-b', '{"title":null,"body":"x"}'))).toBe('title is required')
    expect(await message(await put('msg-c', '{"title":"t","author":["a"],"body":"x"}'))).toBe('author must be text')
    expect(await message(await put('msg-d', '{"title":"t","date":{"y":1},"body":"x"}'))).toBe('date must be text')
    // An empty YAML field is the same as leaving it out.
    const empty = await put('msg-e', '---\ntitle: Empty fields\nsummary:\nauthor:\ndate:\nupdated:\n---\n\nx\n', 'text/markdown')
    expect(empty.status).toBe(201)
    // A tag's slug that is not a slug: the message names the tag.
    const slug = await put('msg-f', '{"title":"t","tags":["熵"],"tag_slugs":{"熵":"Not A Slug"},"body":"x"}')
    expect(await message(slug)).toBe('tag_slugs: the slug of "熵" must be lower-case letters and digits separated by single dashes')
  })

  it('takes UTF-8 only: bytes that are not UTF-8 get 400, another charset 415, and nothing is stored', async () => {
    const gbk = new Uint8Array([
      ...new TextEncoder().encode('---\ntitle: '),
      0xd6,
      0xd0,
      0xce,
      0xc4,
      ...new TextEncoder().encode('\n---\n\nx\n'),
    ])
    const send = (id: string, type: string, body: BodyInit) =>
      request(`/api/posts/${id}`, { method: 'PUT', headers: { ...auth, 'content-type': type }, body })
    const bad = await send('enc-gbk', 'text/markdown', gbk)
    expect(bad.status).toBe(400)
    expect((await errorOf(bad)).code).toBe('invalid_encoding')
    const latin = await send('enc-latin', 'text/markdown; charset=iso-8859-1', new TextEncoder().encode('---\ntitle: x\n---\n'))
    expect(latin.status).toBe(415)
    expect((await errorOf(latin)).message).toContain('UTF-8')
    const json = await send(
      'enc-json',
      'application/json',
      new Uint8Array([...new TextEncoder().encode('{"title":"'), 0xff, ...new TextEncoder().encode('","body":"x"}')]),
    )
    expect(json.status).toBe(400)
    for (const id of ['enc-gbk', 'enc-latin', 'enc-json']) expect(await env.POSTS.get(`v1:post:${id}`)).toBeNull()
    // UTF-8, said or not, with or without a byte order mark, is fine.
    const ok = await send(
      'enc-ok',
      'text/markdown; charset=UTF-8',
      new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('---\ntitle: 中文\n---\n\nx\n')]),
    )
    expect(ok.status).toBe(201)
    expect(((await ok.json()) as { post: { title: string } }).post.title).toBe('中文')
  })

  it('answers 405 for a method the route does not have, and JSON 404 for unknown API routes', async () => {
    const res = await request('/api/posts/x', { method: 'PATCH', headers: auth })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toContain('PUT')
    const missing = await request('/api/nothing-here')
    expect(missing.status).toBe(404)
    expect((await errorOf(missing)).code).toBe('not_found')
  })

  it('lands two publishes made at the same moment in the index', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `concurrent-${i}`)
    const results = await Promise.all(
      ids.map((id, i) =>
        // Dates just before now (a future date would schedule the post), in order, newest last.
        putPost(id, { title: `Concurrent ${i}`, date: new Date(Date.now() - 12 + i).toISOString() }),
      ),
    )
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 201))
    const snapshot = await env.POSTS.get<{ counts: Record<string, unknown> }>('v1:site', 'json')
    for (const id of ids) expect(snapshot?.counts).toHaveProperty(id)
    const home = await (await request('/')).text()
    expect(home).toContain('Concurrent 11')
  })
})

describe('POST /api/posts', () => {
  it('assigns increasing numbers never already in use', async () => {
    await putPost('1', { title: 'taken by hand' })
    const make = () =>
      request('/api/posts', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/markdown' },
        body: markdownPost({ title: 'numbered' }, 'x'),
      })
    const a = await make()
    const b = await make()
    expect(a.status).toBe(201)
    const idA = ((await a.json()) as { post: { id: string } }).post.id
    const idB = ((await b.json()) as { post: { id: string } }).post.id
    expect(idA).toBe('2')
    expect(idB).toBe('3')
    await putPost('10', { title: 'ten' })
    const c = await make()
    expect(((await c.json()) as { post: { id: string } }).post.id).toBe('11')
  })

  it('refuses a post that declares its own id', async () => {
    const res = await request('/api/posts', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/markdown' },
      body: markdownPost({ title: 'x', id: 'mine' }, ''),
    })
    expect(res.status).toBe(400)
  })
})

describe('GET /api/posts/:id', () => {
  it('returns metadata and markdown as JSON, or the file with Accept: text/markdown', async () => {
    await putPost('api-get', { title: 'Get me', date: '2024-06-01', tags: ['x'], category: '数学研究' }, 'Body with $x$.')
    const json = await request('/api/posts/api-get', { headers: auth })
    expect(json.status).toBe(200)
    expect(await json.json()).toMatchObject({
      id: 'api-get',
      title: 'Get me',
      body: 'Body with $x$.\n',
      category: '数学研究',
      status: 'published',
    })
    const md = await request('/api/posts/api-get', { headers: { ...auth, accept: 'text/markdown' } })
    expect(md.headers.get('content-type')).toContain('text/markdown')
    const text = await md.text()
    expect(text).toMatch(/^---\n/)
    expect(text).toContain('title: "Get me"')
    expect(text).toContain('Body with $x$.')
  })

  it('needs the token and answers 404 for an unknown id', async () => {
    expect((await request('/api/posts/api-get')).status).toBe(401)
    expect((await request('/api/posts/never-was', { headers: auth })).status).toBe(404)
  })
})

describe('DELETE /api/posts/:id', () => {
  it('removes the post from the site (410) and a later PUT brings back its comments and count', async () => {
    await putPost('api-delete', { title: 'Doomed', date: '2024-01-01' })
    await view('/archives/api-delete', '198.51.100.31')
    const posted = await request('/api/posts/api-delete/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ author: 'Reader', body: 'kept' }),
    })
    expect(posted.status).toBe(201)

    const del = await request('/api/posts/api-delete', { method: 'DELETE', headers: auth })
    expect(del.status).toBe(200)
    expect((await request('/archives/api-delete')).status).toBe(410)
    expect(await (await request('/')).text()).not.toContain('Doomed')
    expect((await request('/api/posts/api-delete', { method: 'DELETE', headers: auth })).status).toBe(410)
    expect((await request('/api/posts/never-existed', { method: 'DELETE', headers: auth })).status).toBe(404)

    const back = await putPost('api-delete', { title: 'Back again', date: '2024-01-01' })
    expect(back.status).toBe(200)
    expect(((await back.json()) as { result: string }).result).toBe('restored')
    const page = await view('/archives/api-delete', '198.51.100.32')
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toContain('2位读者')
    expect(html).toContain('kept')
  })
})

describe('PUT /api/posts/:id?prerendered=1', () => {
  it('stores HTML rendered elsewhere (npm run render --publish) without rendering it again', async () => {
    const { renderPost, RENDER_VERSION } = await import('../../src/render/render-post')
    const rendered = renderPost('Heavy $x^2$ post.', undefined)
    const marked = { ...rendered, html: rendered.html.replace('Heavy', 'Heavy (rendered locally)') }
    const put = (body: unknown, type = 'application/json') =>
      request('/api/posts/prerendered?prerendered=1', {
        method: 'PUT',
        headers: { ...auth, 'content-type': type },
        body: JSON.stringify(body),
      })
    const res = await put({ title: 'Prerendered', body: 'Heavy $x^2$ post.', rendered: marked })
    expect(res.status).toBe(201)
    const stored = await env.POSTS.get<{ html: string; renderVersion: string }>('v1:post:prerendered', 'json')
    expect(stored?.html).toContain('Heavy (rendered locally)')
    expect(stored?.renderVersion).toBe(RENDER_VERSION)

    const stale = await put({ title: 'Prerendered', body: 'x', rendered: { ...rendered, renderVersion: '1+katex-0.16.0' } })
    expect(stale.status).toBe(409)
    expect((await errorOf(stale)).code).toBe('renderer_mismatch')
    expect((await put({ title: 'Prerendered', body: 'x' })).status).toBe(400)
    expect((await put({ title: 'Prerendered', body: 'x', rendered }, 'text/markdown')).status).toBe(415)
    expect((await env.POSTS.get<{ html: string }>('v1:post:prerendered', 'json'))?.html).toContain('rendered locally')
  })
})
