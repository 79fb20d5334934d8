import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import walineText from './fixtures/import/waline.json?raw'
import twikooText from './fixtures/import/twikoo.json?raw'
import artalkText from './fixtures/import/artalk.artrans?raw'
import wxrText from './fixtures/import/wordpress.xml?raw'
import disqusText from './fixtures/import/disqus.xml?raw'
import { parseComments, postIdFromRef } from '../src/import/formats'
import { eventually, exportedPost, putPost, renamePost, request, restorePost, roomStats, TOKEN, view } from './helpers'
import { parseHtml } from './html'

const ADMIN = { authorization: `Bearer ${TOKEN}` }

function importFile(format: string, body: string, headers: Record<string, string> = ADMIN) {
  return request(`/api/import/comments?format=${format}`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body })
}

interface ImportAnswer {
  imported: number
  posts: { id: string; imported: number; skipped: number }[]
  skipped: { sourceId: string; reason: string }[]
}

describe('importing comments from Waline, Twikoo, Artalk and WordPress', () => {
  it('imports each format into the right posts, keeping threads, dates, authors and statuses, once', async () => {
    await putPost('entropy-notes', { title: '熵' })
    await putPost('fourier-series', { title: 'Fourier' })
    for (const [format, text] of [
      ['waline', walineText],
      ['twikoo', twikooText],
      ['artalk', artalkText],
      ['wxr', wxrText],
    ] as const) {
      const expected = parseComments(format, text).comments.filter((c) =>
        ['entropy-notes', 'fourier-series'].includes(postIdFromRef(c.postRef) ?? ''),
      )
      expect(expected.length, format).toBeGreaterThan(0)
      const res = await importFile(format, text)
      expect(res.status, format).toBe(200)
      const answer = (await res.json()) as ImportAnswer
      expect(answer.imported, format).toBe(expected.length)
      // A second import of the same file adds nothing.
      const again = (await (await importFile(format, text)).json()) as ImportAnswer
      expect(again.imported, format).toBe(0)
    }
    const listed = (await (await request('/api/posts/entropy-notes/comments')).json()) as {
      comments: { id: number; parent: number | null; author: string; body: string; createdAt: string; html: string }[]
    }
    // Threads survive: every imported reply hangs under a comment of the same post.
    const ids = new Set(listed.comments.map((c) => c.id))
    expect(listed.comments.some((c) => c.parent !== null)).toBe(true)
    for (const c of listed.comments) if (c.parent !== null) expect(ids.has(c.parent)).toBe(true)
    // Dates and authors are the source's.
    const waline = parseComments('waline', walineText).comments.find(
      (c) => c.status === 'approved' && postIdFromRef(c.postRef) === 'entropy-notes',
    )!
    const mine = listed.comments.find((c) => c.author === waline.author && c.body === waline.body)!
    expect(new Date(mine.createdAt).getTime()).toBe(waline.createdAt)
    // Artalk's pinned comment is pinned here (置顶).
    expect(
      (listed.comments as unknown as { body: string; pinned: boolean }[]).filter((c) => c.pinned).map((c) => c.body.slice(0, 7)),
    ).toEqual(['熵的定义 $S'])
    // Likes come along as counts (Waline's like: 3; Artalk's vote_up: 3).
    const liked = listed.comments as unknown as { author: string; body: string; likes: number }[]
    expect(liked.find((c) => c.author === waline.author && c.body === waline.body)!.likes).toBe(waline.likes ?? 0)
    expect(waline.likes).toBe(3)
    expect(liked.find((c) => c.body.startsWith('因为独立系统的熵要相加'))!.likes).toBe(3)
    // Artalk: a reply by the admin (badge 管理员) keeps its place and its badge; Go's dates keep their offsets.
    const artalkReply = listed.comments.find((c) => c.body.startsWith('因为独立系统的熵要相加'))! as (typeof listed.comments)[number] & {
      admin: boolean
    }
    expect(artalkReply.admin).toBe(true)
    expect(listed.comments.find((c) => c.id === artalkReply.parent)!.author).toBe('张三')
    expect(new Date(artalkReply.createdAt).getTime()).toBe(Date.UTC(2023, 2, 15, 0, 0, 0))
    // Held and spam comments come in held and spam: not shown.
    const hidden = parseComments('waline', walineText).comments.filter((c) => c.status !== 'approved')
    for (const h of hidden) expect(listed.comments.some((c) => c.body === h.body)).toBe(false)
    const page = parseHtml(await (await request('/archives/entropy-notes')).text())
    expect(page.byClass('katex').length).toBeGreaterThan(0)
  })

  it('refuses a wrong format, a file that is not the named format, and a missing token, importing nothing', async () => {
    expect((await importFile('livere', '{}')).status).toBe(400)
    const wrong = await importFile('waline', '<rss></rss>')
    expect(wrong.status).toBe(400)
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_import')
    expect((await importFile('wxr', '{"not":"xml"}')).status).toBe(400)
    expect((await importFile('waline', walineText, {})).status).toBe(401)
  })

  it('skips a comment that renders larger than a comment may, before storing anything, and drops control characters', async () => {
    await putPost('import-limits', { title: 'Import limits' })
    const comment = (objectId: string, nick: string, body: string, at: string) => ({
      comment: body,
      insertedAt: at,
      createdAt: at,
      nick,
      status: 'approved',
      url: '/archives/import-limits/',
      objectId,
    })
    const file = JSON.stringify({
      type: 'waline',
      version: 1,
      time: 1710230400000,
      tables: ['Comment'],
      data: {
        Comment: [
          comment('limit-1', 'Bell\u0007 Reader', 'Fine\u0000 text\u0007 with $x$.', '2024-03-05T08:00:00.000Z'),
          comment('limit-2', 'Huge', '$x$ '.repeat(8000), '2024-03-05T09:00:00.000Z'),
          comment('limit-3', 'Only controls', '\u0001\u0002', '2024-03-05T10:00:00.000Z'),
        ],
      },
    })
    const res = await importFile('waline', file)
    expect(res.status).toBe(200)
    const answer = (await res.json()) as ImportAnswer
    expect(answer.imported).toBe(1)
    expect(answer.skipped).toEqual([
      { sourceId: 'limit-3', reason: 'empty body' },
      { sourceId: 'limit-2', reason: expect.stringContaining('renders larger than a comment may') },
    ])
    const list = (await (await request('/api/posts/import-limits/comments')).json()) as { comments: { author: string; body: string }[] }
    expect(list.comments).toMatchObject([{ author: 'Bell Reader', body: 'Fine text with $x$.' }])
    const page = await (await request('/archives/import-limits')).text()
    expect(page).not.toMatch(/[\u0000\u0007]/)
  })

  it('pins what the source pinned, up to three per post, oldest first, approved top-level comments only', async () => {
    await putPost('pins-in', { title: 'Pins' })
    const rows = [1, 2, 3, 4, 5, 6].map((n) => ({
      id: String(n),
      rid: n === 5 ? '1' : '0',
      content: `pinned ${n}`,
      date: `2023-05-0${n} 10:00:00 +0800 +0800`,
      nick: `R${n}`,
      page_key: '/archives/pins-in',
      is_pinned: 'true',
      is_pending: n === 6 ? 'true' : 'false',
    }))
    const res = await importFile('artalk', JSON.stringify(rows))
    expect(res.status).toBe(200)
    const listed = (await (await request('/api/posts/pins-in/comments')).json()) as { comments: { body: string; pinned: boolean }[] }
    expect(listed.comments.filter((c) => c.pinned).map((c) => c.body)).toEqual(['pinned 1', 'pinned 2', 'pinned 3'])
    // The page shows them first, in that order.
    const page = parseHtml(await (await request('/archives/pins-in')).text())
    expect(page.byClass('comment-pinned').length).toBe(3)
  })

  it('reports comments whose post does not exist here', async () => {
    const res = await importFile('twikoo', twikooText.replaceAll('/posts/fourier-series.html', '/posts/not-here.html'))
    const answer = (await res.json()) as ImportAnswer
    expect(answer.imported).toBe(0)
    expect(answer.skipped.some((s) => s.reason.includes('there is no post'))).toBe(true)
  })
})

describe('importing a Disqus export', () => {
  it('reads threads, replies, authors, dates and flags; never an IP address', () => {
    const { comments, skipped, counters } = parseComments('disqus', disqusText)
    expect(comments.map((c) => [c.sourceId, c.parentSourceId, c.author, c.email, c.status])).toEqual([
      ['900001', null, '张三', 'zhang@example.com', 'approved'],
      ['900002', '900001', 'Ada', null, 'approved'],
      ['900004', '900003', '李四', null, 'approved'],
      ['900005', null, 'Spammer', null, 'spam'],
      ['900006', null, 'Bo', null, 'approved'],
    ])
    const first = comments[0]!
    expect(first.postRef).toBe('https://old.blog.example/archives/disqus-entropy/')
    expect(first.createdAt).toBe(Date.UTC(2019, 2, 3, 10, 15))
    expect(first.body).toBe('请问 $S = -\\sum_i p_i \\log p_i$ 里的对数取什么底？\n\n换底只差一个常数吧。')
    expect(comments[1]!.body).toContain('**S**')
    expect(skipped).toEqual([
      { sourceId: '900003', reason: 'deleted in Disqus' },
      { sourceId: '900007', reason: 'its thread 7999 is not in the file' },
    ])
    expect(counters).toEqual([])
    expect(JSON.stringify(comments)).not.toMatch(/203\.0\.113|198\.51\.100/)
  })

  it('imports into the post its thread links to, once: threads kept, deleted ones skipped, spam held back, no IP stored', async () => {
    expect((await putPost('disqus-entropy', { title: '熵的三种定义' })).status).toBe(201)
    const res = await importFile('disqus', disqusText)
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toMatch(/203\.0\.113|198\.51\.100/)
    const answer = JSON.parse(text) as ImportAnswer
    expect(answer.imported).toBe(4)
    expect(answer.posts).toEqual([
      { id: 'disqus-entropy', imported: 4, skipped: 0 },
      { id: 'a-post-that-was-never-moved', imported: 0, skipped: 1 },
    ])
    // (What the post's own check skips is named by its import key.)
    expect(answer.skipped.map((x) => x.sourceId).sort()).toEqual(['900003', '900007', 'disqus:900006'])
    expect(answer.skipped.find((x) => x.sourceId === 'disqus:900006')!.reason).toContain('there is no post')
    const again = (await (await importFile('disqus', disqusText)).json()) as ImportAnswer
    expect(again.imported).toBe(0)
    const listed = (await (await request('/api/posts/disqus-entropy/comments')).json()) as {
      comments: { id: number; parent: number | null; author: string; createdAt: string }[]
    }
    // The spam is not shown; the reply hangs under its comment; the reply to a deleted one stands alone.
    expect(listed.comments.map((c) => c.author)).toEqual(['张三', 'Ada', '李四'])
    const [zhang, ada, li] = listed.comments as [
      (typeof listed.comments)[number],
      (typeof listed.comments)[number],
      (typeof listed.comments)[number],
    ]
    expect(ada.parent).toBe(zhang.id)
    expect(li.parent).toBeNull()
    expect(new Date(zhang.createdAt).getTime()).toBe(Date.UTC(2019, 2, 3, 10, 15))
    const page = parseHtml(await (await request('/archives/disqus-entropy')).text())
    expect(page.byClass('katex').length).toBeGreaterThan(0)
    // Nothing of an IP address was kept (the backup holds every stored field).
    expect(JSON.stringify(await exportedPost('disqus-entropy'))).not.toMatch(/203\.0\.113|198\.51\.100/)
  })

  it('takes the export as Disqus mails it, gzipped; a broken or oversized gzip file is refused', async () => {
    const gzip = async (bytes: Uint8Array<ArrayBuffer>) =>
      new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer())
    expect((await putPost('disqus-gzip', { title: 'gzip' })).status).toBe(201)
    const file = await gzip(new TextEncoder().encode(disqusText.replaceAll('/archives/disqus-entropy/', '/archives/disqus-gzip/')))
    expect([file[0], file[1]]).toEqual([0x1f, 0x8b])
    const send = (body: Uint8Array<ArrayBuffer>) =>
      request('/api/import/comments?format=disqus', { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/gzip' }, body })
    const res = await send(file)
    expect(res.status).toBe(200)
    expect(((await res.json()) as ImportAnswer).posts.find((p) => p.id === 'disqus-gzip')).toEqual({
      id: 'disqus-gzip',
      imported: 4,
      skipped: 0,
    })
    const broken = await send(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6]))
    expect(broken.status).toBe(400)
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('invalid_encoding')
    // Small packed, 33 MB unpacked: stopped at the 32 MB an import may hold.
    const bomb = await send(await gzip(new Uint8Array(33 * 1024 * 1024)))
    expect(bomb.status).toBe(413)
    expect(((await bomb.json()) as { error: { message: string } }).error.message).toBe('The file unpacks to more than 33,554,432 bytes.')
  })

  it('reads an export however it is written: prefixed or not, flags as 1, no e-mail, no IP address, bad dates skipped', () => {
    // Another tool's Disqus-format file: every name prefixed, the internals' id under another prefix.
    const prefixed = `<?xml version="1.0"?>
<d:disqus xmlns:d="http://disqus.com" xmlns:i="http://disqus.com/disqus-internals">
  <d:thread i:id="41"><d:id /><d:link>https://old.example/notes/prefixed-page/</d:link><d:title>Prefixed</d:title></d:thread>
  <d:post i:id="51">
    <d:id /><d:message><![CDATA[<p>Prefixed names, <em>read</em> all the same.</p>]]></d:message>
    <d:createdAt>2015-06-01T12:00:00Z</d:createdAt><d:isDeleted>false</d:isDeleted><d:isSpam>false</d:isSpam>
    <d:author><d:email>Reader@Example.COM</d:email><d:name>Reader</d:name></d:author>
    <d:thread i:id="41" />
  </d:post>
  <d:post i:id="52">
    <d:message>&lt;p&gt;Escaped HTML, no CDATA: &lt;code&gt;a &amp;amp;&amp;amp; b&lt;/code&gt;&lt;/p&gt;</d:message>
    <d:createdAt>2015-06-02T12:00:00Z</d:createdAt><d:isDeleted>1</d:isDeleted>
    <d:author><d:name>Flagged</d:name></d:author><d:thread i:id="41" />
  </d:post>
</d:disqus>`
    const read = parseComments('disqus', prefixed)
    expect(read.comments.map((c) => [c.sourceId, c.postRef, c.author, c.email, c.body, c.createdAt])).toEqual([
      [
        '51',
        'https://old.example/notes/prefixed-page/',
        'Reader',
        'reader@example.com',
        'Prefixed names, *read* all the same.',
        Date.UTC(2015, 5, 1, 12),
      ],
    ])
    expect(read.skipped).toEqual([{ sourceId: '52', reason: 'deleted in Disqus' }])

    // A newer export: no e-mail, no IP address; a username for a name; dates that cannot be read.
    const post = (id: string, inner: string) =>
      `<post dsq:id="${id}"><id />${inner}<isDeleted>false</isDeleted><isSpam>false</isSpam><thread dsq:id="7" /></post>`
    const newer = `<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="7"><id>x</id><link>https://old.example/p/newer/</link></thread>
  ${post('61', '<message><![CDATA[<p>Escaped: a &amp;&amp; b</p>]]></message><createdAt>2020-01-01T00:00:00Z</createdAt><author><name></name><username>only_a_username</username></author>')}
  ${post('62', '<message>No date.</message><author><name>N</name></author>')}
  ${post('63', '<message>Bad date.</message><createdAt>last Tuesday</createdAt><author><name>B</name></author>')}
  ${post('64', '<message>Spam, flagged as 1.</message><createdAt>2020-01-02T00:00:00Z</createdAt><isSpam>1</isSpam>').replace('<isSpam>false</isSpam>', '')}
  ${post('66', '<message><![CDATA[<p>See <a href="https://disq.us/url?url=https%3A%2F%2Fen.wikipedia.org%2Fwiki%2FEntropy%3Fa%3D1%26b%3D2%3AxK3vQ9mZ_pL2&amp;cuid=4821" rel="nofollow noopener" title="https://en.wikipedia.org/wiki/Entropy?a=1&amp;b=2">Entropy</a> and <a href="https://disq.us/url?url=javascript%3Aalert(1)%3Aabcdefgh12">this</a>.</p>]]></message><createdAt>2020-01-04T00:00:00Z</createdAt>')}
  <thread dsq:id="8"><id>/p/identifier-only/</id><link /></thread>
  ${post('65', '<message>Thread without a link.</message><createdAt>2020-01-03T00:00:00Z</createdAt>').replace('dsq:id="7"', 'dsq:id="8"')}
</disqus>`
    const got = parseComments('disqus', newer)
    expect(got.comments.map((c) => [c.sourceId, c.author, c.email, c.body, c.status])).toEqual([
      ['61', 'only_a_username', null, 'Escaped: a && b', 'approved'],
      ['64', 'Anonymous', null, 'Spam, flagged as 1.', 'spam'],
      ['65', 'Anonymous', null, 'Thread without a link.', 'approved'],
      ['66', 'Anonymous', null, expect.any(String), 'approved'],
    ])
    // A link through Disqus's redirector goes where its writer pointed it; one that is not http(s) stays as it was.
    const linked = got.comments.find((c) => c.sourceId === '66')!.body
    expect(linked).toContain('[Entropy](https://en.wikipedia.org/wiki/Entropy?a=1&b=2)')
    expect(linked).not.toContain('https://disq.us/url?url=https')
    expect(linked).not.toMatch(/\]\(javascript:/)
    // A thread with an empty <link> is found by its <id>, the identifier the embed code set.
    expect(got.comments.find((c) => c.sourceId === '65')!.postRef).toBe('/p/identifier-only/')
    // As for every format: a comment without a readable date is skipped, named.
    expect(got.skipped).toEqual([
      { sourceId: '62', reason: 'no readable date' },
      { sourceId: '63', reason: 'no readable date' },
    ])
  })

  it('follows a thread link that is a post’s old address or an id it was renamed from; replies to replies keep their place', async () => {
    await putPost('dq-aliased', { title: 'Disqus aliased', aliases: ['/2014/05/old-permalink.html'] })
    await putPost('dq-before', { title: 'Disqus renamed' })
    expect((await renamePost('dq-before', 'dq-after')).status).toBe(200)
    const post = (id: string, thread: string, parent: string | null, when: string, html: string, name: string) =>
      `<post dsq:id="${id}"><id /><message><![CDATA[${html}]]></message><createdAt>${when}</createdAt>` +
      `<isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>${name}</name><isAnonymous>true</isAnonymous></author>` +
      `<ipAddress>192.0.2.${id.slice(-2)}</ipAddress><thread dsq:id="${thread}" />${parent ? `<parent dsq:id="${parent}" />` : ''}</post>`
    const file = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="81"><id /><link>https://old.example/2014/05/old-permalink.html</link><title>Old permalink</title></thread>
  <thread dsq:id="82"><id /><link>https://old.example/archives/dq-before/</link><title>Renamed</title></thread>
  ${post('800011', '81', null, '2014-05-02T08:00:00Z', '<p>Top-level, in English.</p>', 'Ann')}
  ${post('800012', '81', '800011', '2014-05-02T09:00:00Z', '<p>第二层的回复。</p>', '王五')}
  ${post('800013', '81', '800012', '2014-05-02T10:00:00Z', '<p>And a third: $E=mc^2$.</p>', 'Cat')}
  ${post('800014', '82', null, '2014-05-03T08:00:00Z', '<p>At the id the post was renamed from.</p>', 'Dan')}
</disqus>`
    const res = await importFile('disqus', file)
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toContain('192.0.2.')
    const answer = JSON.parse(text) as ImportAnswer
    expect(answer.skipped).toEqual([])
    expect(answer.posts.map((p) => [p.id, p.imported]).sort()).toEqual([
      ['dq-after', 1],
      ['dq-aliased', 3],
    ])
    const listed = (await (await request('/api/posts/dq-aliased/comments')).json()) as {
      comments: { id: number; parent: number | null; replyTo: number | null; author: string; body: string }[]
    }
    const [ann, wang, cat] = listed.comments
    expect(listed.comments.map((c) => c.author)).toEqual(['Ann', '王五', 'Cat'])
    expect([wang!.parent, wang!.replyTo, cat!.parent, cat!.replyTo]).toEqual([ann!.id, ann!.id, wang!.id, wang!.id])
    expect(cat!.body).toBe('And a third: $E=mc^2$.')
    expect(await roomStats('dq-after')).toMatchObject({ comments: 1 })
    expect(JSON.stringify(await exportedPost('dq-aliased'))).not.toContain('192.0.2.')
    expect(((await (await importFile('disqus', file)).json()) as ImportAnswer).imported).toBe(0)
  })

  it('refuses a file that is not a Disqus export (400, naming the problem), storing nothing', async () => {
    for (const [body, message] of [
      ['{"a": 1}', 'Disqus export: not XML'],
      ['<rss><channel></channel></rss>', 'Disqus export: not a Disqus export (no <disqus> element)'],
      ['', 'Disqus export: the file is empty'],
    ] as const) {
      const res = await importFile('disqus', body)
      expect(res.status, body).toBe(400)
      const error = ((await res.json()) as { error: { code: string; message: string } }).error
      expect(error.code).toBe('invalid_import')
      expect(error.message).toBe(message)
    }
  })
})

describe('importing page view counters (Waline data.Counter, Twikoo counter rows)', () => {
  interface ViewsAnswer {
    counters: number
    added: number
    posts: { id: string; views: number; added: number }[]
    skipped: { sourceId: string; url: string; reason: string }[]
    skippedCount: number
  }
  const viewsOf = async (res: Response) => {
    expect(res.status).toBe(200)
    return ((await res.json()) as { views: ViewsAnswer }).views
  }
  /** A Waline export of these Comment and Counter rows. */
  const walineExport = (comments: Record<string, unknown>[], counters: Record<string, unknown>[]) =>
    JSON.stringify({
      type: 'waline',
      version: 1,
      time: 1710230400000,
      tables: ['Comment', 'Counter', 'Users'],
      data: { Comment: comments, Counter: counters, Users: [] },
    })
  /** A Waline export with these Counter rows (and one comment on the first post named). */
  const walineFile = (counters: Record<string, unknown>[], commentUrl = '/archives/views-a/') =>
    walineExport(
      [
        {
          objectId: 'views-comment-1',
          comment: 'Counted elsewhere first.',
          nick: 'Reader',
          status: 'approved',
          url: commentUrl,
          insertedAt: '2024-03-05T08:00:00.000Z',
        },
      ],
      counters,
    )
  const shownCount = async (path: string, ip: string) => Number(/(\d+)位读者/.exec(await (await view(path, ip)).text())?.[1])
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())

  it('adds Waline counters to the posts their URLs name, all-time only, and a repeated import adds nothing', async () => {
    await putPost('views-a', { title: 'Views A' })
    await putPost('views-b', { title: 'Views B' })
    // Two readers here first: two views today.
    expect(await shownCount('/archives/views-a', '198.51.100.11')).toBe(1)
    expect(await shownCount('/archives/views-a', '198.51.100.12')).toBe(2)
    const file = walineFile([
      { objectId: 'c1', url: '/archives/views-a/', time: 400, reaction0: 5, reaction3: 2 },
      // The same post under another address of the old site: its views count too.
      { objectId: 'c2', url: '/posts/views-a.html', time: 20 },
      { objectId: 'c3', url: '/archives/views-b', time: 7 },
      // Reactions only (time NULL): nothing to add.
      { objectId: 'c4', url: '/archives/views-b/', time: null, reaction1: 3 },
      { objectId: 'c5', url: '/archives/views-gone/', time: 9 },
    ])
    const first = await viewsOf(await importFile('waline', file))
    expect(first).toEqual({
      counters: 4,
      added: 427,
      posts: [
        { id: 'views-a', views: 420, added: 420 },
        { id: 'views-b', views: 7, added: 7 },
      ],
      skipped: [{ sourceId: 'c5', url: '/archives/views-gone/', reason: 'there is no post "views-gone"' }],
      skippedCount: 1,
    })
    // The page shows the total with the next reader: 2 + 420 + 1.
    expect(await shownCount('/archives/views-a', '198.51.100.13')).toBe(423)
    const a = await roomStats('views-a')
    expect(a).toMatchObject({ views: 423, importedViews: 420, reactions: {} })
    // (Waline's reactions are not imported.)
    expect((await roomStats('views-b')).reactions).toEqual({})

    // The same file again: nothing changes.
    const again = await viewsOf(await importFile('waline', file))
    expect(again.added).toBe(0)
    expect(again.posts).toEqual([
      { id: 'views-a', views: 420, added: 0 },
      { id: 'views-b', views: 7, added: 0 },
    ])
    expect((await roomStats('views-a')).views).toBe(423)
    expect((await roomStats('views-b')).views).toBe(7)
    // A later export of the same counter with more views adds the difference; one with fewer adds nothing.
    expect((await viewsOf(await importFile('waline', walineFile([{ objectId: 'c1', url: '/archives/views-a/', time: 450 }])))).added).toBe(
      50,
    )
    expect((await viewsOf(await importFile('waline', walineFile([{ objectId: 'c1', url: '/archives/views-a/', time: 100 }])))).added).toBe(
      0,
    )
    expect((await roomStats('views-a')).views).toBe(473)

    // The days hold what readers here did (3 today); the all-time totals hold the imported views too.
    const post = (await (await request('/api/stats?post=views-a&days=7', { headers: ADMIN })).json()) as {
      views: number
      importedViews: number
      daily: { day: string; views: number }[]
    }
    expect(post).toMatchObject({ views: 473, importedViews: 470, daily: [{ day: today(), views: 3 }] })
    await eventually(async () => {
      const stats = (await (await request('/api/stats?days=7', { headers: ADMIN })).json()) as {
        totalViews: number
        site: { day: string; views: number }[]
        posts: { id: string; views: number; daily: { day: string; views: number }[] }[]
      }
      const listed = stats.posts.find((p) => p.id === 'views-a')!
      expect(listed.views).toBe(473)
      expect(listed.daily).toEqual([{ day: today(), views: 3 }])
      expect(stats.totalViews).toBeGreaterThanOrEqual(473 + 7)
      // The period's figures: views of days only, none of the imported 477.
      const period = stats.site.reduce((n, d) => n + d.views, 0)
      expect(period).toBeLessThan(477)
      expect(stats.totalViews - period).toBeGreaterThanOrEqual(477)
    })
    // The lists (the site snapshot: 热门文章, the post lists) get the totals too.
    await eventually(async () => {
      const snapshot = await env.POSTS.get<{ counts: Record<string, [number, number]>; popular: { id: string; views: number }[] }>(
        'v1:site',
        'json',
      )
      expect(snapshot?.counts['views-a']?.[0]).toBe(473)
      expect(snapshot?.counts['views-b']?.[0]).toBe(7)
      expect(snapshot?.popular.find((p) => p.id === 'views-a')?.views).toBe(473)
    })
  })

  it('refuses a counter row with a bad time (400, naming it) and stores nothing of the file', async () => {
    await putPost('views-bad', { title: 'Views bad' })
    for (const [time, shown] of [
      [-3, '-3'],
      [1.5, '1.5'],
      ['12 views', '"12 views"'],
      [2e9, '2000000000'],
      [true, 'true'],
      [{ $numberLong: '-1' }, '{"$numberLong":"-1"}'],
    ] as const) {
      const file = walineFile(
        [
          { objectId: 'ok', url: '/archives/views-bad/', time: 5 },
          { objectId: 'bad', url: '/archives/views-bad/', time },
        ],
        '/archives/views-bad/',
      )
      const res = await importFile('waline', file)
      expect(res.status, String(time)).toBe(400)
      const { error } = (await res.json()) as { error: { code: string; message: string } }
      expect(error.code).toBe('invalid_import')
      expect(error.message).toContain(`data.Counter[1].time must be a whole number of views from 0 to 1000000000 (it is ${shown})`)
    }
    // A Twikoo counter row the same way.
    const twikoo = await importFile('twikoo', JSON.stringify([{ _id: 'x', url: '/archives/views-bad/', time: -1 }]))
    expect(twikoo.status).toBe(400)
    expect(((await twikoo.json()) as { error: { message: string } }).error.message).toContain('[0].time must be a whole number')
    // data.Counter that is not a list.
    expect((await importFile('waline', JSON.stringify({ type: 'waline', data: { Comment: [], Counter: { time: 1 } } }))).status).toBe(400)
    // Nothing of any refused file is stored: no views, no comment.
    expect(await roomStats('views-bad')).toMatchObject({ views: 0, importedViews: 0, comments: 0 })
    // Digits as text are a count (as some databases export an integer).
    const ok = await viewsOf(await importFile('waline', walineFile([{ objectId: 'ok', url: '/archives/views-bad/', time: '12' }])))
    expect(ok.added).toBe(12)
  })

  it('reports counters for pages that are no post here, or whose URL names none', async () => {
    const answer = await viewsOf(
      await importFile(
        'waline',
        walineFile([
          { objectId: 'n1', url: '/archives/no-such-post/', time: 3 },
          { objectId: 'n2', url: '/', time: 1000 },
          { objectId: 'n3', url: '/archives/no-such-post/', time: 0 },
        ]),
      ),
    )
    expect(answer).toEqual({
      counters: 2,
      added: 0,
      posts: [],
      skipped: [
        { sourceId: 'n2', url: '/', reason: 'no post id in its page URL' },
        { sourceId: 'n1', url: '/archives/no-such-post/', reason: 'there is no post "no-such-post"' },
      ],
      skippedCount: 2,
    })
    // Reading an unknown post's object created nothing for it.
    expect((await roomStats('no-such-post')).status).toBe('unknown')
  })

  it('takes Twikoo’s counter export (a file of its own, or with the comments), once; Artrans and WXR carry no counters', async () => {
    await putPost('views-tk', { title: 'Views Twikoo' })
    const counters = [
      {
        _id: '65f1c000e4b0a1d2c3f40301',
        url: '/posts/views-tk.html',
        title: 'Views Twikoo',
        time: 61,
        created: 1710124267000,
        updated: 1710124267000,
      },
      // mongoexport's numbers.
      { _id: { $oid: '65f1c000e4b0a1d2c3f40302' }, url: '/archives/views-tk/', time: { $numberLong: '4' } },
    ]
    const first = await viewsOf(await importFile('twikoo', JSON.stringify(counters)))
    expect(first).toMatchObject({ counters: 2, added: 65, posts: [{ id: 'views-tk', views: 65, added: 65 }], skippedCount: 0 })
    // The comment export and the counter export put together: the counters add nothing again.
    const together = JSON.stringify([...(JSON.parse(twikooText) as unknown[]), ...counters])
    const parsed = parseComments('twikoo', together)
    expect(parsed.comments).toEqual(parseComments('twikoo', twikooText).comments)
    expect(parsed.counters).toEqual([
      { sourceId: '65f1c000e4b0a1d2c3f40301', postRef: '/posts/views-tk.html', views: 61 },
      { sourceId: '65f1c000e4b0a1d2c3f40302', postRef: '/archives/views-tk/', views: 4 },
    ])
    expect(await viewsOf(await importFile('twikoo', together))).toMatchObject({ counters: 2, added: 0 })
    expect(await roomStats('views-tk')).toMatchObject({ views: 65, importedViews: 65 })
    // Twikoo's and Waline's counters of one page are two counters (two systems that counted it).
    expect((await viewsOf(await importFile('waline', walineFile([{ url: '/posts/views-tk.html', time: 5 }])))).added).toBe(5)
    expect((await roomStats('views-tk')).views).toBe(70)
    for (const [format, text] of [
      ['artalk', artalkText],
      ['wxr', wxrText],
    ] as const) {
      expect(await viewsOf(await importFile(format, text)), format).toMatchObject({ counters: 0, added: 0, posts: [] })
    }
  })

  it('keeps imported views with a renamed post', async () => {
    await putPost('views-old-id', { title: 'Views renamed' })
    const file = walineFile([{ objectId: 'r1', url: '/archives/views-old-id/', time: 8 }], '/archives/views-old-id/')
    expect((await viewsOf(await importFile('waline', file))).added).toBe(8)
    expect((await renamePost('views-old-id', 'views-new-id')).status).toBe(200)
    expect(await roomStats('views-new-id')).toMatchObject({ views: 8, importedViews: 8 })
  })

  it('follows a post’s old addresses: a URL that is one of its aliases, and an id it was renamed from', async () => {
    // An imported Hexo post keeps its old permalink (an abbrlink) as an alias; a WordPress one its ?p=.
    await putPost('views-aliased', { title: 'Aliased', aliases: ['/posts/4a17b156/', '/?p=77'] })
    await putPost('views-before', { title: 'Renamed before the import' })
    expect((await renamePost('views-before', 'views-after')).status).toBe(200)
    const file = walineExport(
      [
        {
          objectId: 'alias-c1',
          comment: 'At the abbrlink.',
          nick: 'A',
          status: 'approved',
          url: '/posts/4a17b156/',
          insertedAt: '2024-03-05T08:00:00.000Z',
        },
        {
          objectId: 'alias-c2',
          comment: 'At ?p=77, as a full URL.',
          nick: 'B',
          status: 'approved',
          url: 'https://old.example/?p=77',
          insertedAt: '2024-03-05T09:00:00.000Z',
        },
        {
          objectId: 'alias-c3',
          comment: 'At the old id.',
          nick: 'C',
          status: 'approved',
          url: '/archives/views-before/',
          insertedAt: '2024-03-05T10:00:00.000Z',
        },
      ],
      [
        { objectId: 'alias-v1', url: '/posts/4a17b156/', time: 30 },
        { objectId: 'alias-v2', url: '/archives/views-before/', time: 12 },
      ],
    )
    const res = await importFile('waline', file)
    expect(res.status).toBe(200)
    const answer = (await res.json()) as ImportAnswer & { views: ViewsAnswer }
    expect(answer.imported).toBe(3)
    expect(answer.skipped).toEqual([])
    expect(answer.posts.map((p) => [p.id, p.imported]).sort()).toEqual([
      ['views-after', 1],
      ['views-aliased', 2],
    ])
    expect(answer.views.posts.map((p) => [p.id, p.added]).sort()).toEqual([
      ['views-after', 12],
      ['views-aliased', 30],
    ])
    expect(await roomStats('views-aliased')).toMatchObject({ comments: 2, importedViews: 30 })
    expect(await roomStats('views-after')).toMatchObject({ comments: 1, importedViews: 12 })
    // Once: the same file again adds nothing.
    const again = (await (await importFile('waline', file)).json()) as ImportAnswer & { views: ViewsAnswer }
    expect(again.imported).toBe(0)
    expect(again.views.added).toBe(0)
  })

  it('keeps imported views through a backup: the same totals restored, and the file imported again adds nothing', async () => {
    await putPost('views-backup', { title: 'Views backup' })
    const file = walineFile([{ objectId: 'b1', url: '/archives/views-backup/', time: 50 }], '/archives/views-backup/')
    expect((await viewsOf(await importFile('waline', file))).added).toBe(50)
    await view('/archives/views-backup', '198.51.100.21')
    const entry = await exportedPost<{ id: string; views: number; importedViews?: Record<string, number>; daily: unknown[] }>(
      'views-backup',
    )
    expect(entry.views).toBe(51)
    expect(entry.importedViews).toEqual({ 'waline:/archives/views-backup/': 50 })
    expect(entry.daily).toEqual([{ day: today(), views: 1 }])

    // More readers, then the backup put back: its totals.
    await view('/archives/views-backup', '198.51.100.22')
    expect((await roomStats('views-backup')).views).toBe(52)
    const restored = await restorePost(entry)
    expect(await restored.json()).toMatchObject({ updated: 1, failed: [] })
    expect(await roomStats('views-backup')).toMatchObject({ views: 51, importedViews: 50 })
    // The same export again is unchanged, and the comment file imported again adds nothing.
    expect(await (await restorePost(entry)).json()).toMatchObject({ unchanged: 1 })
    expect((await viewsOf(await importFile('waline', file))).added).toBe(0)
    expect((await roomStats('views-backup')).views).toBe(51)
    // (A replaced post's revision number is above its old one's.)
    expect(await exportedPost('views-backup')).toEqual({ ...entry, revision: expect.any(Number) })

    // A backup made before imported views (no field) restores, with none; a bad figure is refused.
    const { importedViews: _, ...older } = entry
    expect(await (await restorePost({ ...older, views: 40 })).json()).toMatchObject({ updated: 1, failed: [] })
    expect(await roomStats('views-backup')).toMatchObject({ views: 40, importedViews: 0 })
    const bad = (await (await restorePost({ ...entry, importedViews: { 'waline:/x': -1 } })).json()) as { failed: unknown[] }
    expect(bad.failed).toHaveLength(1)
    // Imported views are part of the count, never more than it.
    const more = (await (await restorePost({ ...entry, views: 49 })).json()) as { failed: { message?: string }[] }
    expect(more.failed).toHaveLength(1)
    expect(JSON.stringify(more.failed[0])).toContain('the imported views (50) are more than views (49)')
    expect(await roomStats('views-backup')).toMatchObject({ views: 40, importedViews: 0 })
  })
})
