import { describe, it, expect } from 'vitest'
import { ImportFormatError, MAX_IMPORT_COMMENTS, parseComments, postIdFromRef, type ImportFormat } from '../src/import/formats'
import { htmlToMarkdown } from '../src/import/html-to-markdown'
import walineText from './fixtures/import/waline.json?raw'
import twikooText from './fixtures/import/twikoo.json?raw'
import artalkText from './fixtures/import/artalk.artrans?raw'
import wxrText from './fixtures/import/wordpress.xml?raw'

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => Date.UTC(y, mo - 1, d, h, mi, s, ms)
const tex = String.raw

/** Runs a parse that must fail and returns the ImportFormatError's message. */
function failure(format: ImportFormat, text: string): string {
  try {
    parseComments(format, text)
  } catch (e) {
    expect(e).toBeInstanceOf(ImportFormatError)
    return (e as Error).message
  }
  throw new Error('expected an ImportFormatError')
}

/** Markdown outside code spans and fenced blocks. */
function prose(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, '').replace(/(`+)[\s\S]*?\1/g, '')
}

/** What must never survive into a stored body: tags (so no event handlers either) and links other than http(s)/mailto. */
function expectNoHtml(markdown: string) {
  expect(prose(markdown)).not.toMatch(/<[a-z!/?]/i)
  for (const [, target] of markdown.matchAll(/\]\(([^)]*)\)/g)) expect(target).toMatch(/^(?:https?:\/\/|mailto:)/)
}

describe('Waline export', () => {
  const W = {
    q: '65f1c2a8e4b0a1d2c3f40101',
    answer: '65f1c9d0e4b0a1d2c3f40102',
    thanks: '65f1d3b2e4b0a1d2c3f40103',
    spam: '65f2004ce4b0a1d2c3f40104',
    waiting: '65f3a7e1e4b0a1d2c3f40105',
    code: '65f3b012e4b0a1d2c3f40106',
    anon: '65f3c555e4b0a1d2c3f40107',
  }

  it('maps every field of every comment in the admin panel export, oldest first', () => {
    const result = parseComments('waline', walineText)
    expect(result.posts).toEqual([])
    expect(result.skipped).toEqual([])
    expect(result.comments).toEqual([
      {
        sourceId: W.q,
        parentSourceId: null,
        postRef: '/archives/entropy-notes/',
        author: '王小明',
        email: 'xiaoming.wang@example.com',
        url: 'https://xiaoming.example/blog',
        body:
          tex`想请教一下：玻尔兹曼熵 $S = k_B \ln \Omega$ 和吉布斯熵 $S = -k_B \sum_i p_i \ln p_i$ 在等概率时是一回事吗？` +
          '\n\n另外文中第二个公式好像少了一个负号。',
        createdAt: utc(2024, 3, 5, 8, 15, 30),
        status: 'approved',
        admin: false,
        likes: 3,
      },
      {
        sourceId: W.answer,
        parentSourceId: W.q,
        postRef: '/archives/entropy-notes/',
        author: '林知秋',
        email: 'editor@kexue.example',
        url: 'https://kexue.example',
        body:
          tex`是的，当 $p_i = 1/\Omega$ 时两者相等。顺手验证一个积分：` +
          '\n\n' +
          tex`$$\int_0^1 x^2\,dx = \frac{1}{3}$$` +
          '\n\n负号的问题已经改了，谢谢指正 🙏',
        createdAt: utc(2024, 3, 5, 9, 2, 11),
        status: 'approved',
        admin: true,
      },
      {
        sourceId: W.thanks,
        parentSourceId: W.answer,
        postRef: '/archives/entropy-notes/',
        author: '王小明',
        email: 'xiaoming.wang@example.com',
        url: 'https://xiaoming.example/blog',
        body: '明白了，**等概率分布**正好让熵取最大值。',
        createdAt: utc(2024, 3, 5, 10, 40, 0),
        status: 'approved',
        admin: false,
      },
      {
        sourceId: W.spam,
        parentSourceId: null,
        postRef: '/archives/entropy-notes/',
        author: 'best replica watches',
        email: 'seo@cheap-watches.example',
        url: 'http://cheap-watches.example/?ref=blog',
        body: 'Great article! Visit [our shop](http://cheap-watches.example) for discounts.',
        createdAt: utc(2024, 3, 6, 1, 12, 45),
        status: 'spam',
        admin: false,
      },
      {
        sourceId: W.waiting,
        parentSourceId: null,
        postRef: '/posts/fourier-series.html',
        author: 'Émile Ölçer 🧪',
        email: null,
        url: null,
        body: tex`傅里叶级数在间断点处收敛到左右极限的平均值：$\frac{f(x^-)+f(x^+)}{2}$。`,
        createdAt: utc(2024, 3, 7, 14, 20, 5, 123),
        status: 'pending',
        admin: false,
      },
      {
        sourceId: W.code,
        parentSourceId: null,
        postRef: '/posts/fourier-series.html',
        author: '李雷',
        email: 'lilei@example.com',
        url: 'https://lilei.example/',
        body: '用 Python 验证了一下：\n\n```python\nimport numpy as np\nx = np.linspace(0, 1, 1001)\nprint(np.trapz(x**2, x))\n```',
        createdAt: utc(2024, 3, 8, 6),
        status: 'approved',
        admin: false,
      },
      {
        sourceId: W.anon,
        parentSourceId: null,
        postRef: '/archives/entropy-notes/',
        author: 'Anonymous',
        email: null,
        url: null,
        body: '这篇写得真清楚 👍',
        // No insertedAt in this row: createdAt stands in.
        createdAt: utc(2024, 3, 9, 12, 30),
        status: 'approved',
        admin: false,
      },
    ])
  })

  it('reads data.Counter: each page URL with its views (time), once; reactions and rows counting nothing are left out', () => {
    expect(parseComments('waline', walineText).counters).toEqual([
      { sourceId: '65f1c000e4b0a1d2c3f40201', postRef: '/archives/entropy-notes/', views: 412 },
      { sourceId: '65f3a000e4b0a1d2c3f40202', postRef: '/posts/fourier-series.html', views: 96 },
    ])
    const file = (Counter: unknown) => JSON.stringify({ type: 'waline', data: { Comment: [], Counter } })
    expect(
      parseComments(
        'waline',
        file([
          { objectId: 7, url: ' /a/ ', time: '5', reaction0: 9 },
          { objectId: 8, url: '/a/', time: 3 },
          { url: '/b/', time: null, reaction1: 2 },
          { objectId: 'z', url: '/c/', time: { $numberLong: '11' } },
        ]),
      ).counters,
    ).toEqual([
      { sourceId: '7', postRef: '/a/', views: 5 },
      { sourceId: 'z', postRef: '/c/', views: 11 },
    ])
    expect(parseComments('waline', file(null)).counters).toEqual([])
    expect(
      failure(
        'waline',
        file([
          { url: '/a/', time: 1 },
          { url: 5, time: 1 },
        ]),
      ),
    ).toBe('Waline export: data.Counter[1].url must be a string')
    expect(failure('waline', file([{ url: '/a/', time: 1e12 }]))).toBe(
      'Waline export: data.Counter[0].time must be a whole number of views from 0 to 1000000000 (it is 1000000000000)',
    )
    expect(failure('waline', file('many'))).toBe('Waline export: data.Counter is not an array')
  })

  it('keeps a three-deep thread by pid, not rid', () => {
    const byId = new Map(parseComments('waline', walineText).comments.map((c) => [c.sourceId, c]))
    expect(byId.get(W.thanks)!.parentSourceId).toBe(W.answer)
    expect(byId.get(W.answer)!.parentSourceId).toBe(W.q)
    expect(byId.get(W.q)!.parentSourceId).toBeNull()
  })

  it('marks only administrators from data.Users as admin, not registered guests', () => {
    const byId = new Map(parseComments('waline', walineText).comments.map((c) => [c.sourceId, c]))
    expect(byId.get(W.answer)!.admin).toBe(true)
    expect(byId.get(W.code)!.admin).toBe(false)
  })

  it('accepts a bare array of Comment rows (no Users, so nobody is admin)', () => {
    const rows = (JSON.parse(walineText) as { data: { Comment: unknown[] } }).data.Comment
    const result = parseComments('waline', JSON.stringify(rows))
    expect(result.comments.map((c) => c.sourceId)).toEqual(Object.values(W))
    expect(result.comments.some((c) => c.admin)).toBe(false)
  })

  it('accepts the API response that wraps the export in { errno, errmsg, data }', () => {
    const wrapped = JSON.stringify({ errno: 0, errmsg: '', data: JSON.parse(walineText) })
    expect(parseComments('waline', wrapped)).toEqual(parseComments('waline', walineText))
  })

  it('reads the ids and dates of every storage: MySQL/SQLite, LeanCloud, Mongo extended JSON, epoch ms', () => {
    const exp = {
      type: 'waline',
      version: 1,
      time: 1710230400000,
      tables: ['Comment', 'Users'],
      data: {
        Users: [{ objectId: 1, display_name: '博主', email: 'a@b.example', type: 'administrator' }],
        Comment: [
          { objectId: 1, nick: 'sql', comment: 'a', url: '/a/', status: 'approved', insertedAt: '2023-11-02 07:08:09', user_id: 1 },
          {
            objectId: 2,
            nick: 'lean',
            comment: 'b',
            url: '/a/',
            pid: 1,
            rid: 1,
            insertedAt: { __type: 'Date', iso: '2023-11-02T08:00:00.000Z' },
          },
          { objectId: 3, nick: 'mongo', comment: 'c', url: '/a/', pid: 2, rid: 1, insertedAt: { $date: '2023-11-02T09:00:00.5Z' } },
          { objectId: 4, nick: 'long', comment: 'd', url: '/a/', pid: null, insertedAt: { $date: { $numberLong: '1698919200000' } } },
          { objectId: 5, nick: 'ms', comment: 'e', url: '/a/', pid: 0, insertedAt: 1698922800000, createdAt: '2001-01-01T00:00:00Z' },
          { objectId: 6, nick: 'created', comment: 'f', url: '/a/', pid: '', createdAt: '2023-11-02T14:00:00+08:00' },
          { objectId: 7, nick: 'zoned', comment: 'g', url: '/a/', user_id: 2, insertedAt: '2023-11-02T13:00:00.000Z' },
        ],
      },
    }
    const c = parseComments('waline', JSON.stringify(exp)).comments
    expect(c.map((x) => [x.sourceId, x.parentSourceId, x.createdAt, x.admin])).toEqual([
      ['6', null, utc(2023, 11, 2, 6), false],
      ['1', null, utc(2023, 11, 2, 7, 8, 9), true],
      ['2', '1', utc(2023, 11, 2, 8), false],
      ['3', '2', utc(2023, 11, 2, 9, 0, 0, 500), false],
      ['4', null, utc(2023, 11, 2, 10), false],
      ['5', null, utc(2023, 11, 2, 11), false],
      ['7', null, utc(2023, 11, 2, 13), false],
    ])
  })

  it('maps statuses as Waline shows them: waiting → pending, spam → spam, anything else → approved', () => {
    const rows = ['approved', 'waiting', 'spam', null, 'something-else'].map((status, i) => ({
      objectId: `s${i}`,
      comment: 'x',
      url: '/a/',
      status,
      insertedAt: 1700000000000 + i,
    }))
    expect(parseComments('waline', JSON.stringify(rows)).comments.map((c) => c.status)).toEqual([
      'approved',
      'pending',
      'spam',
      'approved',
      'approved',
    ])
  })

  it('cleans author, email and url', () => {
    const long = '很长的名字'.repeat(9) + '🧪🧪🧪🧪🧪🧪'
    const rows = [
      { objectId: 'a', nick: long, mail: '  Foo@Bar.COM ', link: 'ftp://x.example', comment: 'x', url: '/a/', insertedAt: 1700000000000 },
      {
        objectId: 'b',
        nick: '  \n ',
        mail: 'not an address',
        link: ' https://ok.example/p?q=1 ',
        comment: 'x',
        url: '/a/',
        insertedAt: 1700000000001,
      },
      { objectId: 'c', nick: 'x', link: 'https://' + 'a'.repeat(300) + '.example', comment: 'x', url: '/a/', insertedAt: 1700000000002 },
      // A control character in an address or a link (a NUL, an escape): not an address, not a link.
      {
        objectId: 'd',
        nick: 'x',
        mail: 'a\u0000@example.com',
        link: 'https://example.com/\u001b[31m',
        comment: 'x',
        url: '/a/',
        insertedAt: 1700000000003,
      },
    ]
    const [a, b, c, d] = parseComments('waline', JSON.stringify(rows)).comments
    expect([d!.email, d!.url]).toEqual([null, null])
    expect(Array.from(a!.author)).toHaveLength(50)
    expect(a!.author).toBe('很长的名字'.repeat(9) + '🧪🧪🧪🧪🧪')
    expect([a!.email, a!.url]).toEqual(['foo@bar.com', null])
    expect([b!.author, b!.email, b!.url]).toEqual(['Anonymous', null, 'https://ok.example/p?q=1'])
    expect(c!.url).toBeNull()
  })

  it('skips rows without a usable date, page or body, and repeated ids', () => {
    const rows = [
      { objectId: 'ok', comment: 'x', url: '/a/', insertedAt: 1700000000000 },
      { objectId: 'nodate', comment: 'x', url: '/a/', insertedAt: 'yesterday' },
      { objectId: 'nourl', comment: 'x', url: '', insertedAt: 1700000000000 },
      { objectId: 'empty', comment: '  ', url: '/a/', insertedAt: 1700000000000 },
      { objectId: 'ok', comment: 'again', url: '/a/', insertedAt: 1700000000000 },
    ]
    const result = parseComments('waline', JSON.stringify(rows))
    expect(result.comments.map((c) => c.sourceId)).toEqual(['ok'])
    expect(result.skipped).toEqual([
      { sourceId: 'nodate', reason: 'no readable date' },
      { sourceId: 'nourl', reason: 'no page or post to attach it to' },
      { sourceId: 'empty', reason: 'empty body' },
      { sourceId: 'ok', reason: 'duplicate id' },
    ])
  })

  it('names the problem when the input is not a Waline export', () => {
    expect(failure('waline', '{"type":"waline","version":1,"data":{"Counter":[]}}')).toBe('Waline export: data.Comment is missing')
    expect(failure('waline', '{"type":"waline","data":{"Comment":{}}}')).toBe('Waline export: data.Comment is not an array')
    expect(failure('waline', '{"type":"artalk","data":{"Comment":[]}}')).toBe('Waline export: type is "artalk", not "waline"')
    expect(failure('waline', '{"hello":"world"}')).toMatch(/^Waline export: data is missing/)
    expect(failure('waline', '42')).toBe('Waline export: expected the export object or an array of comments')
    expect(failure('waline', '{"type":"waline",')).toMatch(/^Waline export: not valid JSON/)
    expect(failure('waline', '')).toBe('Waline export: the file is empty')
    // A Twikoo export is not a Waline one.
    expect(failure('waline', twikooText)).toBe('Waline export: [0].objectId is missing')
    expect(failure('waline', '{"type":"waline","data":{"Comment":[{"objectId":"a","nick":7}]}}')).toBe(
      'Waline export: data.Comment[0].nick must be a string',
    )
    expect(failure('waline', '{"type":"waline","data":{"Comment":[],"Users":[{"type":"administrator"}]}}')).toBe(
      'Waline export: data.Users[0].objectId is missing',
    )
  })
})

describe('Twikoo export', () => {
  const T = {
    gibbs: '3f8a1c2e9b7d4e0fa1b2c3d4e5f60718',
    master: '7c1d2e3f4a5b4c6d8e9f0a1b2c3d4e5f',
    ada: 'a9b8c7d6e5f44a3b9c2d1e0f9a8b7c6d',
    spam: '0e1f2a3b4c5d4e6f8a7b6c5d4e3f2a1b',
    code: '5d4c3b2a1f0e4d9c8b7a6f5e4d3c2b1a',
    reply: 'c2d3e4f5a6b74c8d9e0f1a2b3c4d5e6f',
  }

  it('maps every field of every comment in the admin panel export, HTML turned into markdown', () => {
    const result = parseComments('twikoo', twikooText)
    expect(result.posts).toEqual([])
    expect(result.skipped).toEqual([])
    expect(result.comments).toEqual([
      {
        sourceId: T.gibbs,
        parentSourceId: null,
        postRef: '/posts/fourier-series.html',
        author: '陈一鸣',
        email: 'chen.yiming@example.com',
        url: 'https://yiming.example',
        body: tex`吉布斯现象那一节讲得很好！部分和 $S_N(x) = \sum_{n=1}^{N} \frac{\sin nx}{n}$ 在间断点附近的过冲大约是跳跃幅度的 9%。`,
        createdAt: utc(2024, 3, 11, 2, 31, 7),
        status: 'approved',
        admin: false,
      },
      {
        sourceId: T.master,
        parentSourceId: T.gibbs,
        postRef: '/posts/fourier-series.html',
        author: '林知秋',
        email: 'editor@kexue.example',
        url: 'https://kexue.example',
        body:
          '对，极限约为 **8.95%**，与 $N$ 无关。可以看 [Gibbs phenomenon](https://en.wikipedia.org/wiki/Gibbs_phenomenon)，' +
          tex`数值上用 ${'`scipy.special.sici`'} 算 $\mathrm{Si}(\pi)$ 即可。`,
        createdAt: utc(2024, 3, 11, 3, 5, 44),
        status: 'approved',
        admin: true,
      },
      {
        sourceId: T.ada,
        parentSourceId: T.master,
        postRef: '/posts/fourier-series.html',
        author: 'Ада Лавлейс',
        email: 'ada@example.org',
        url: null,
        body:
          '> 与 $N$ 无关\n\n' +
          tex`学到了。顺便算了下 $\int_0^1 x^2\,dx = \frac{1}{3}$，*数值积分*的误差：` +
          '\n\n- 梯形法：`1.7e-7`\n- 辛普森法：`0`',
        createdAt: utc(2024, 3, 11, 12, 48, 19),
        status: 'approved',
        admin: false,
      },
      {
        sourceId: T.spam,
        parentSourceId: null,
        postRef: '/posts/fourier-series.html',
        author: '发票代开',
        email: 'fapiao@spam.example',
        url: 'http://fapiao.spam.example',
        body: '低价代开发票 点击领取',
        createdAt: utc(2024, 3, 12, 0, 3, 51),
        status: 'spam',
        admin: false,
      },
      {
        sourceId: T.code,
        parentSourceId: null,
        postRef: '/archives/entropy-notes/',
        author: 'Zoë',
        email: null,
        url: null,
        body:
          '数值验证代码 & 结果（x &lt; 1）：\n\n' +
          '```python\nimport numpy as np\nx = np.linspace(0, 1, 1001)\nprint(np.trapz(x**2, x))  # 0.3333335 < 1\n```\n\n' +
          '[doge](https://cdn.example/owo/bilibili/doge.png)',
        createdAt: utc(2024, 3, 12, 7, 22, 10),
        status: 'approved',
        admin: false,
      },
      {
        sourceId: T.reply,
        parentSourceId: T.code,
        postRef: '/archives/entropy-notes/',
        author: '刘 洋',
        email: 'liuyang@qq.com',
        // "blog.liuyang.example" has no scheme: not an http(s) URL.
        url: null,
        body: '第一行\n第二行\n\n' + tex`第二段：熵增 $\Delta S \geq 0$。`,
        createdAt: utc(2024, 3, 12, 8),
        status: 'approved',
        admin: false,
      },
    ])
  })

  it('keeps a three-deep thread by pid', () => {
    const byId = new Map(parseComments('twikoo', twikooText).comments.map((c) => [c.sourceId, c.parentSourceId]))
    expect([byId.get(T.ada), byId.get(T.master), byId.get(T.gibbs)]).toEqual([T.master, T.gibbs, null])
  })

  it('drops the script, the event handler and the javascript: link of a hostile comment', () => {
    const spam = parseComments('twikoo', twikooText).comments.find((c) => c.sourceId === T.spam)!
    expectNoHtml(spam.body)
    expect(spam.body).not.toMatch(/alert|cookie|evil|javascript|onerror/)
  })

  it('reads a mongoexport file: one document per line, $oid ids, $numberLong times, null parents', () => {
    const lines = [
      '{"_id":{"$oid":"65f0c0ffee0000000000aaaa"},"nick":"甲","mail":"","link":"","url":"/posts/a.html","comment":"<p>一楼</p>","pid":null,"rid":null,"isSpam":false,"master":false,"created":{"$numberLong":"1709251200000"},"updated":1709251200000}',
      '',
      '{"_id":{"$oid":"65f0c0ffee0000000000bbbb"},"nick":"乙","url":"/posts/a.html","comment":"<p>二楼</p>","pid":"65f0c0ffee0000000000aaaa","rid":"65f0c0ffee0000000000aaaa","isSpam":true,"created":1709254800000}',
      '{"_id":"plain-string-id","nick":"丙","url":"/posts/a.html","comment":"<p>三楼</p>","rid":"65f0c0ffee0000000000aaaa","created":{"$date":"2024-03-01T02:00:00Z"}}',
    ]
    const c = parseComments('twikoo', lines.join('\r\n') + '\n').comments
    expect(c.map((x) => [x.sourceId, x.parentSourceId, x.createdAt, x.status, x.body])).toEqual([
      ['65f0c0ffee0000000000aaaa', null, utc(2024, 3, 1), 'approved', '一楼'],
      ['65f0c0ffee0000000000bbbb', '65f0c0ffee0000000000aaaa', utc(2024, 3, 1, 1), 'spam', '二楼'],
      // No pid: the reply goes to the thread's root (rid).
      ['plain-string-id', '65f0c0ffee0000000000aaaa', utc(2024, 3, 1, 2), 'approved', '三楼'],
    ])
  })

  it('accepts the raw API response { code, data } and { results }', () => {
    const docs = JSON.parse(twikooText) as unknown[]
    const expected = parseComments('twikoo', twikooText)
    expect(parseComments('twikoo', JSON.stringify({ code: 0, data: docs }))).toEqual(expected)
    expect(parseComments('twikoo', JSON.stringify({ results: docs }))).toEqual(expected)
  })

  it('falls back to the path of href when url is empty', () => {
    const doc = [
      { _id: 'x1', url: '', href: 'https://kexue.example/archives/entropy-notes/?from=rss#tk', comment: '<p>hi</p>', created: 1 },
    ]
    expect(parseComments('twikoo', JSON.stringify(doc)).comments[0]!.postRef).toBe('/archives/entropy-notes/')
  })

  it('names the problem when the input is not a Twikoo export', () => {
    expect(failure('twikoo', walineText)).toBe(
      'Twikoo export: expected the array of comments that the admin panel exports (or of its counters)',
    )
    expect(failure('twikoo', '[{"objectId":"a","comment":"x"}]')).toBe('Twikoo export: [0]._id is missing')
    expect(failure('twikoo', '[{"_id":"a","isSpam":"yes"}]')).toBe('Twikoo export: [0].isSpam must be true or false')
    expect(failure('twikoo', twikooText.slice(0, 500))).toMatch(/^Twikoo export: not valid JSON/)
    expect(failure('twikoo', '{"_id":"a"}\n{"_id":"b"')).toMatch(/^Twikoo export: line 2 is not valid JSON/)
    expect(failure('twikoo', '{"_id":"a"}\n[1]')).toBe('Twikoo export: line 2 is not a comment object')
    expect(failure('twikoo', 'nick,mail\n甲,a@b.c')).toMatch(/^Twikoo export: not valid JSON/)
  })
})

describe('Artalk export (Artrans)', () => {
  it('maps every field of every comment, with Go-style dates and their offsets', () => {
    const { comments, skipped } = parseComments('artalk', artalkText)
    expect(comments).toEqual([
      {
        sourceId: '101',
        parentSourceId: null,
        postRef: 'https://old-blog.example/archives/entropy-notes.html',
        author: '张三',
        email: 'zhangsan@example.org',
        url: 'https://zhangsan.example/',
        body: tex`熵的定义 $S = -k_B \sum_i p_i \ln p_i$ 里，为什么取对数？` + '\n\n第二段。',
        createdAt: utc(2023, 3, 14, 13, 5, 9),
        status: 'approved',
        admin: false,
        likes: 12,
        pinned: true,
      },
      {
        sourceId: '102',
        parentSourceId: '101',
        postRef: 'https://old-blog.example/archives/entropy-notes.html',
        author: '林知远',
        email: 'author@example.org',
        url: null,
        body: tex`因为独立系统的熵要相加：$\ln(p q) = \ln p + \ln q$。`,
        createdAt: utc(2023, 3, 15, 0, 0, 0),
        status: 'approved',
        admin: true,
        likes: 3,
      },
      {
        sourceId: '103',
        parentSourceId: '102',
        postRef: '/archives/entropy-notes.html',
        author: '张三',
        email: 'zhangsan@example.org',
        url: null,
        body: '明白了，谢谢！',
        createdAt: utc(2023, 3, 15, 1, 30, 0),
        status: 'approved',
        admin: false,
      },
      {
        sourceId: '104',
        parentSourceId: null,
        postRef: 'https://old-blog.example/archives/entropy-notes.html',
        author: 'Spammer',
        email: null,
        url: null,
        body: 'Buy cheap watches at https://spam.example',
        createdAt: utc(2023, 3, 16, 2, 0, 0),
        status: 'pending',
        admin: false,
      },
      {
        sourceId: '105',
        parentSourceId: null,
        postRef: '/posts/fourier-series/',
        author: 'Reader',
        email: 'reader@example.com',
        url: null,
        body: tex`Nice derivation of the Fourier coefficients $a_n = \frac{1}{\pi}\int_{-\pi}^{\pi} f(x)\cos nx\,dx$.`,
        createdAt: utc(2023, 4, 1, 12, 0, 0),
        status: 'approved',
        admin: false,
      },
    ])
    expect(skipped).toEqual([
      { sourceId: '106', reason: 'empty body' },
      { sourceId: '107', reason: 'no readable date' },
    ])
    expect(comments.map((c) => postIdFromRef(c.postRef))).toEqual([
      'entropy-notes',
      'entropy-notes',
      'entropy-notes',
      'entropy-notes',
      'fourier-series',
    ])
  })

  it('accepts the { data } and { comments } wrappers, and numbers and booleans for strings', () => {
    const rows = [{ id: 1, rid: 0, content: 'x', date: 1_700_000_000_000, nick: 'A', page_key: '/a', is_pending: true }]
    for (const text of [JSON.stringify(rows), JSON.stringify({ data: rows }), JSON.stringify({ comments: rows })]) {
      const [c] = parseComments('artalk', text).comments
      expect(c).toMatchObject({ sourceId: '1', parentSourceId: null, createdAt: 1_700_000_000_000, status: 'pending' })
    }
  })

  it("takes each source's likes as a count (Waline like, Twikoo ups, Artalk vote_up; nonsense as none) and its pins", () => {
    const twikoo = (ups: unknown) =>
      parseComments('twikoo', JSON.stringify([{ _id: 'a1', nick: 'A', comment: 'x', url: '/p', created: 1_700_000_000_000, ups }]))
        .comments[0]!.likes
    expect(twikoo(['u1', 'u2'])).toBe(2)
    expect(twikoo([])).toBeUndefined()
    const artalk = (vote_up: unknown) =>
      parseComments('artalk', JSON.stringify([{ id: '1', content: 'x', date: 1_700_000_000_000, nick: 'A', page_key: '/p', vote_up }]))
        .comments[0]!.likes
    expect(artalk('7')).toBe(7)
    // Pins: Waline sticky, Twikoo top, Artalk is_pinned.
    const pinned = (format: ImportFormat, row: Record<string, unknown>) => parseComments(format, JSON.stringify([row])).comments[0]!.pinned
    const base = { content: 'x', comment: 'x', nick: 'A', url: '/p', page_key: '/p', created: 1_700_000_000_000, date: 1_700_000_000_000 }
    expect(pinned('waline', { ...base, objectId: 'w', insertedAt: 1_700_000_000_000, sticky: 1 })).toBe(true)
    expect(pinned('waline', { ...base, objectId: 'w', insertedAt: 1_700_000_000_000, sticky: false })).toBeUndefined()
    expect(pinned('twikoo', { ...base, _id: 't', top: true })).toBe(true)
    expect(pinned('artalk', { ...base, id: 'a', is_pinned: 'true' })).toBe(true)
    expect(pinned('artalk', { ...base, id: 'a', is_pinned: 'false' })).toBeUndefined()
    for (const v of ['-3', '1.5', 'many', -2, 0, 2e9, null]) expect(artalk(v), String(v)).toBeUndefined()
    // An impossible offset or date is no date (the comment is skipped, saying so).
    const dated = (date: string) =>
      parseComments('artalk', JSON.stringify([{ id: '1', content: 'x', date, nick: 'A', page_key: '/p' }])).comments[0]?.createdAt ?? null
    expect(dated('2023-01-05 10:00:00 -0530 -0530')).toBe(Date.UTC(2023, 0, 5, 15, 30))
    for (const bad of ['2023-01-05 10:00:00 +9999 X', '2023-01-05 10:00:00 +1560', '2023-13-45 10:00:00 +0800 +0800'])
      expect(dated(bad), bad).toBeNull()
  })

  it('names the problem when the input is not an Artrans export', () => {
    expect(failure('artalk', '<rss/>')).toMatch(/^Artalk export \(Artrans\): not valid JSON/)
    expect(failure('artalk', '{"type":"waline"}')).toBe(
      'Artalk export (Artrans): expected the Artrans array of comments (an .artrans file)',
    )
    expect(failure('artalk', '[{"content":"no id"}]')).toMatch(/^Artalk export \(Artrans\): \[0\]\.id is missing/)
    expect(failure('artalk', '[{"id":"1","nick":["x"]}]')).toMatch(/\[0\]\.nick must be a string/)
  })
})

describe('WordPress WXR export', () => {
  it('maps every field of the posts; pages and attachments give none', () => {
    const { posts } = parseComments('wxr', wxrText)
    expect(posts).toEqual([
      {
        sourceId: '12',
        slug: 'entropy-notes',
        title: '熵的三种面孔',
        date: utc(2024, 3, 5, 8),
        author: '林知秋',
        status: 'published',
        categories: ['统计物理'],
        tags: ['熵', '信息论'],
        bodyMarkdown:
          tex`玻尔兹曼熵 $S = k_B \ln \Omega$ 与吉布斯熵 $S = -k_B \sum_i p_i \ln p_i$ 在**等概率**时相同。` +
          '\n\n## 三种系综\n\n- 微正则系综\n' +
          tex`- 正则系综：$Z = \sum_i e^{-\beta E_i}$` +
          '\n\n参考 [维基百科](https://zh.wikipedia.org/wiki/%E7%86%B5)。',
      },
      {
        // A draft without post_name yet: its id stands in for the slug; no GMT date, so the local one as UTC.
        sourceId: '34',
        slug: '34',
        title: '傅里叶级数与吉布斯现象（草稿）',
        date: utc(2024, 3, 10, 21),
        author: 'Guest Writer',
        status: 'draft',
        categories: ['未分类'],
        tags: [],
        bodyMarkdown:
          '方波的傅里叶级数在间断点附近会出现过冲。\n\n' +
          tex`部分和写作 $S_N(x) = \frac{4}{\pi}\sum_{k=1}^{N} \frac{\sin((2k-1)x)}{2k-1}$，` +
          '\\\n其中 `N` 是项数。\n\n```\nfor n in range(1, 20, 2):\n    s += np.sin(n * x) / n\n```',
      },
    ])
  })

  it('maps every field of every comment', () => {
    const { comments } = parseComments('wxr', wxrText)
    expect(comments).toEqual([
      {
        // On the page "about": pages keep their comments (a guestbook is a page).
        sourceId: '201',
        parentSourceId: null,
        postRef: 'about',
        author: '路人甲',
        email: 'lurenjia@example.com',
        url: null,
        body: '订阅了，期待更新！',
        createdAt: utc(2024, 1, 5, 12),
        status: 'approved',
        admin: false,
      },
      {
        sourceId: '101',
        parentSourceId: null,
        postRef: 'entropy-notes',
        author: '赵六',
        email: 'zhaoliu@example.com',
        url: 'https://zhaoliu.example/',
        body:
          '写得很好！有个问题：\n\n' +
          tex`为什么 $\int_0^1 x^2\,dx$ 这种积分会出现在这里？[维基](https://zh.wikipedia.org/wiki/%E7%86%B5)上没讲。`,
        createdAt: utc(2024, 3, 5, 10, 20),
        status: 'approved',
        admin: false,
      },
      {
        sourceId: '102',
        parentSourceId: '101',
        postRef: 'entropy-notes',
        author: '林知秋',
        email: 'editor@kexue.example',
        url: 'https://kexue.example',
        // WordPress keeps the bare newline; it is a line break.
        body: tex`**好问题**。那是计算 $\langle x^2 \rangle$ 时的归一化积分，` + '\n' + tex`值为 $\frac{1}{3}$。`,
        createdAt: utc(2024, 3, 5, 11, 5, 12),
        status: 'approved',
        admin: true,
      },
      {
        sourceId: '103',
        parentSourceId: '102',
        postRef: 'entropy-notes',
        author: '孙七',
        email: 'sunqi@example.net',
        url: null,
        body: '明白了，谢谢*老师*！\n\n' + tex`> 值为 $\frac{1}{3}$` + '\n\n' + tex`所以 $\langle x^2 \rangle < \langle x \rangle$ 对吧？`,
        createdAt: utc(2024, 3, 5, 13, 47, 3),
        status: 'approved',
        admin: false,
      },
      {
        sourceId: '104',
        parentSourceId: null,
        postRef: 'entropy-notes',
        author: '测试用户',
        email: 'tester@example.com',
        url: null,
        body: '点这里 领奖',
        // comment_date_gmt is 0000-00-00 00:00:00: comment_date read as UTC.
        createdAt: utc(2024, 3, 6, 9, 15),
        status: 'pending',
        admin: false,
      },
      {
        sourceId: '107',
        parentSourceId: null,
        postRef: 'entropy-notes',
        author: 'cheap essays',
        email: 'promo@essays.example',
        url: 'http://essays.example/?utm_source=blog&utm_medium=comment',
        body: 'Nice post. [Buy essays](http://essays.example/) today!',
        createdAt: utc(2024, 3, 7, 3, 11, 11),
        status: 'spam',
        admin: false,
      },
      {
        sourceId: '108',
        parentSourceId: null,
        postRef: 'entropy-notes',
        author: '周八',
        email: 'zhouba@example.org',
        url: null,
        body: '两点补充：\n\n' + tex`1. 香农熵常用 $\log_2$，单位是比特` + '\n' + tex`2. 冯·诺依曼熵 $S = -\mathrm{tr}(\rho \ln \rho)$`,
        createdAt: utc(2024, 3, 7, 23, 30, 45),
        status: 'approved',
        // A registered user (id 7) who is not among the export's post authors.
        admin: false,
      },
    ])
  })

  it('skips trashed comments and pingbacks, saying why (comments on pages are kept)', () => {
    expect(parseComments('wxr', wxrText).skipped).toEqual([
      { sourceId: '105', reason: 'in the trash' },
      { sourceId: '106', reason: 'pingback, not a comment' },
    ])
  })

  it('drops script, event handlers and javascript: links from a comment', () => {
    const pending = parseComments('wxr', wxrText).comments.find((c) => c.sourceId === '104')!
    expectNoHtml(pending.body)
    expect(pending.body).not.toMatch(/alert|xss|javascript|onerror/)
  })

  const wrap = (comments: string, extra = '') => `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><wp:wxr_version>1.2</wp:wxr_version>${extra}
<item><title>T</title><wp:post_id>9</wp:post_id><wp:post_name>p</wp:post_name><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<wp:post_date>2024-01-01 00:00:00</wp:post_date><wp:post_date_gmt>2024-01-01 00:00:00</wp:post_date_gmt>
${comments}</item></channel></rss>`

  it('reads CDATA split at "]]>", entity-escaped content without CDATA, and trackbacks', () => {
    const xml = wrap(`
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>A &amp; B</wp:comment_author><wp:comment_date_gmt>2024-01-02 03:04:05</wp:comment_date_gmt>
<wp:comment_content><![CDATA[x]]]]><![CDATA[>y]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>C</wp:comment_author><wp:comment_date_gmt>2024-01-02 03:04:06</wp:comment_date_gmt>
<wp:comment_content>&lt;strong&gt;bold&lt;/strong&gt; &amp;amp;</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>1</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_date_gmt>2024-01-02 03:04:07</wp:comment_date_gmt><wp:comment_content>t</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>trackback</wp:comment_type></wp:comment>`)
    const result = parseComments('wxr', xml)
    expect(result.comments.map((c) => [c.sourceId, c.parentSourceId, c.author, c.body, c.createdAt])).toEqual([
      ['1', null, 'A & B', 'x]]>y', utc(2024, 1, 2, 3, 4, 5)],
      ['2', '1', 'C', '**bold** &', utc(2024, 1, 2, 3, 4, 6)],
    ])
    expect(result.skipped).toEqual([{ sourceId: '3', reason: 'trackback, not a comment' }])
  })

  it('counts a comment by an exported post author as admin, and by user 0 or a subscriber as not', () => {
    const authors = '<wp:author><wp:author_id>3</wp:author_id><wp:author_login>ed</wp:author_login></wp:author>'
    const c = (id: number, user: number) =>
      `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_date_gmt>2024-01-02 00:00:0${id}</wp:comment_date_gmt><wp:comment_content>c</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_user_id>${user}</wp:comment_user_id></wp:comment>`
    const result = parseComments('wxr', wrap(c(1, 3) + c(2, 0) + c(3, 4), authors))
    expect(result.comments.map((x) => x.admin)).toEqual([true, false, false])
  })

  it('names the problem when the input is not WXR', () => {
    expect(failure('wxr', '{"type":"waline"}')).toBe('WordPress export (WXR): not XML')
    expect(failure('wxr', '<!doctype html><html><body><p>hi</p></body></html>')).toBe(
      'WordPress export (WXR): not an RSS document (no <rss> element)',
    )
    expect(failure('wxr', '<?xml version="1.0"?><rss version="2.0"></rss>')).toBe('WordPress export (WXR): no <channel> element')
    expect(
      failure('wxr', '<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title><item><title>x</title></item></channel></rss>'),
    ).toBe('WordPress export (WXR): not a WordPress export (no wp:wxr_version)')
    expect(failure('wxr', '   ')).toBe('WordPress export (WXR): the file is empty')
  })
})

describe('htmlToMarkdown', () => {
  const cases: [string, string, string][] = [
    ['paragraphs and breaks', '<p>一<br>二</p>\n<p>三</p>', '一\n二\n\n三'],
    ['bold, italics, spaces moved outside', '<p>a <b>b</b> <strong> c </strong> <em>d</em> <i>e</i></p>', 'a **b** **c** *d* *e*'],
    [
      'links: http(s) and mailto kept',
      '<a href="https://e.example/a b">x</a> <a href="mailto:m@e.example">m</a>',
      '[x](https://e.example/a%20b) [m](mailto:m@e.example)',
    ],
    [
      'links: other schemes and relative dropped, text kept',
      '<a href="javascript:alert(1)">j</a> <a href=" JaVa\tScript:alert(1)">k</a> <a href="/rel">r</a> <a href="data:text/html,x">d</a>',
      'j k r d',
    ],
    ['link text brackets escaped', '<a href="https://e.example">[1]</a>', '[\\[1\\]](https://e.example)'],
    ['inline code, with backticks inside', '<code>a &lt; b</code> and <code>`x`</code>', '`a < b` and `` `x` ``'],
    [
      'code block with language',
      '<pre><code class="language-python">if a &lt; b:\n    pass\n</code></pre>',
      '```python\nif a < b:\n    pass\n```',
    ],
    ['code block containing a fence', '<pre>```\nx\n```</pre>', '````\n```\nx\n```\n````'],
    ['blockquote, nested', '<blockquote><p>q</p><blockquote>r</blockquote></blockquote>', '> q\n>\n> > r'],
    ['lists, nested and numbered', '<ol start="3"><li>a<ul><li>b</li></ul></li><li>c</li></ol>', '3. a\n   - b\n4. c'],
    ['image: link to http(s) source', '<img src="https://e.example/f.png" alt="图 1">', '[图 1](https://e.example/f.png)'],
    ['image: other source is dropped', '<img src="data:image/png;base64,AAAA" alt="">', ''],
    [
      'image inside a link: only the link',
      '<a href="https://e.example/big.png"><img src="https://e.example/s.png" alt="缩略图"></a>',
      '[缩略图](https://e.example/big.png)',
    ],
    ['headings', '<h2>标题 <em>x</em></h2>', '## 标题 *x*'],
    ['other elements: their text', '<div><span style="color:red">红</span><u>下划线</u><sup>2</sup></div>', '红下划线2'],
    ['entities decoded', '<p>&amp; &quot;引号&quot; &copy; &#x4E2D;</p>', '& "引号" © 中'],
    [
      'text that would start markdown blocks is escaped',
      '<p># 不是标题</p><p>1. 不是列表</p><p>- 也不是</p><p>&gt; 不是引用</p>',
      '\\# 不是标题\n\n1\\. 不是列表\n\n\\- 也不是\n\n\\> 不是引用',
    ],
    ['a < in text becomes &lt;, in math it stays', '<p>1 &lt; 2 and $a &lt; b$ and $x &lt;y$</p>', '1 &lt; 2 and $a < b$ and $x < y$'],
    ['LaTeX untouched', tex`<p>$\int_0^1 x^2\,dx$ 与 $$\sum_{i=1}^n a_i$$</p>`, tex`$\int_0^1 x^2\,dx$ 与 $$\sum_{i=1}^n a_i$$`],
  ]
  for (const [name, html, md] of cases) {
    it(name, () => expect(htmlToMarkdown(html)).toBe(md))
  }

  it('WordPress newlines: blank line → paragraph, newline → line break', () => {
    expect(htmlToMarkdown('一\n二\n\n三 <b>x</b>\n<ul>\n<li>i</li>\n</ul>', { newlines: true })).toBe('一\n二\n\n三 **x**\n\n- i')
    expect(htmlToMarkdown('一\n二', { newlines: true, lineBreak: '\\\n' })).toBe('一\\\n二')
    expect(htmlToMarkdown('一\n二')).toBe('一 二')
  })

  const hostile = [
    '<script>alert(1)</script>ok',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)" onclick="alert(2)">x</a>',
    '<svg onload=alert(1)><a xlink:href="javascript:alert(1)">s</a></svg>',
    '<iframe src="https://evil.example"></iframe><object data="x"></object><embed src="x">',
    '<<script>script>alert(1)<</script>/script>',
    '<style>*{}</style><template><img src=x onerror=alert(1)></template>',
    '<a href="https://e.example" onmouseover="alert(1)">ok</a>',
    '<p>$<img src=x onerror=alert(1)>$</p><p>$a<b onclick=alert(1)>b$</p>',
    '<a href="vbscript:msgbox(1)">v</a><a href="&#106;avascript:alert(1)">e</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  ]
  it('leaves no HTML, handler or script URL from hostile input', () => {
    for (const html of hostile) {
      const md = htmlToMarkdown(html)
      expectNoHtml(md)
      // Scripts, attributes and script URLs are gone, not merely neutralised.
      expect(md, html).not.toMatch(/alert|msgbox|evil|javascript/)
    }
    expect(htmlToMarkdown('<script>alert(1)</script>ok')).toBe('ok')
    expect(htmlToMarkdown('<a href="https://e.example" onmouseover="alert(1)">ok</a>')).toBe('[ok](https://e.example)')
    // Markup written as text stays text, its < escaped.
    expect(htmlToMarkdown('&lt;img src=x onerror=alert(1)&gt;')).toBe('&lt;img src=x onerror=alert(1)>')
    expectNoHtml(htmlToMarkdown('&lt;img src=x onerror=alert(1)&gt;'))
  })

  it('survives nesting deep enough to exhaust a recursive converter', () => {
    const deep = '<div><b>'.repeat(50_000) + '深' + '</b></div>'.repeat(50_000)
    expect(htmlToMarkdown(deep)).toContain('深')
    expect(htmlToMarkdown('<ul><li>'.repeat(20_000) + 'x')).toContain('x')
  })
})

describe('postIdFromRef', () => {
  const cases: [string, string | null][] = [
    ['/archives/entropy-notes/', 'entropy-notes'],
    ['/posts/foo-bar.html', 'foo-bar'],
    ['https://blog.example/archives/12?x#y', '12'],
    ['entropy-notes', 'entropy-notes'],
    ['Entropy-Notes', 'entropy-notes'],
    ['/2024/03/05/fourier-series/index.html', 'fourier-series'],
    ['/archives/entropy-notes?from=rss', 'entropy-notes'],
    ['/p/abc.md', 'abc'],
    ['/archives/%E7%86%B5/', null],
    ['/archives/foo_bar/', null],
    ['/archives/-foo/', null],
    ['/', null],
    ['', null],
    ['https://blog.example/', null],
    ['a'.repeat(100), 'a'.repeat(100)],
    ['a'.repeat(101), null],
    ['/archives/%E0%A4%A/', null],
  ]
  for (const [ref, id] of cases) {
    it(`${JSON.stringify(ref.slice(0, 40))} → ${JSON.stringify(id && id.slice(0, 20))}`, () => expect(postIdFromRef(ref)).toBe(id))
  }
})

describe('bad input', () => {
  it('refuses an unknown format', () => {
    expect(() => parseComments('disqus' as ImportFormat, '[]')).toThrow(ImportFormatError)
  })

  it('refuses more than 100,000 comments', () => {
    expect(MAX_IMPORT_COMMENTS).toBe(100_000)
    const many =
      '[' +
      Array(MAX_IMPORT_COMMENTS + 1)
        .fill('{}')
        .join(',') +
      ']'
    expect(failure('waline', many)).toMatch(/100001 comments is more than/)
    expect(failure('twikoo', many)).toMatch(/100001 comments is more than/)
    const xml = `<rss><channel><wp:wxr_version>1.2</wp:wxr_version><item>${'<wp:comment/>'.repeat(MAX_IMPORT_COMMENTS + 1)}</item></channel></rss>`
    expect(failure('wxr', xml)).toMatch(/100001 comments is more than/)
    // The limit itself is fine.
    expect(() => parseComments('twikoo', '[' + Array(MAX_IMPORT_COMMENTS).fill('{"_id":"a"}').join(',') + ']')).not.toThrow()
  })

  it('throws nothing but ImportFormatError for truncated exports', () => {
    const inputs: [ImportFormat, string][] = [
      ['waline', walineText],
      ['twikoo', twikooText],
      ['wxr', wxrText],
    ]
    let failures = 0
    for (const [format, text] of inputs) {
      for (let cut = 0; cut < text.length; cut += 53) {
        try {
          parseComments(format, text.slice(0, cut))
        } catch (e) {
          expect(e, `${format} cut at ${cut}`).toBeInstanceOf(ImportFormatError)
          failures++
        }
      }
    }
    expect(failures).toBeGreaterThan(50)
  })

  it('throws nothing but ImportFormatError for garbage', () => {
    let seed = 42
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const alphabet = '{}[]<>"\':,/\\!?-$#&;=\n 0123abcxyz熵🧪\u0000'
    const garbage = [
      '[[[[' + '['.repeat(100_000),
      '{"a":'.repeat(50_000),
      '<rss><channel>' + '<item>'.repeat(50_000),
      '\uFEFF',
      'null',
      'true',
      '"string"',
      '[null, 1, "x", []]',
      '{"type":"waline","data":{"Comment":[null]}}',
      '{"type":"waline","data":{"Comment":[{"objectId":{"$oid":"x"}}]}}',
      '[{"_id":{"$oid":7}}]',
      '<rss><channel><wp:wxr_version/><item><wp:comment><wp:comment_id>1</wp:comment_id></wp:comment></item></channel></rss>',
    ]
    for (let i = 0; i < 200; i++) {
      let s = ''
      const n = Math.floor(random() * 200)
      for (let j = 0; j < n; j++) s += alphabet[Math.floor(random() * alphabet.length)]
      garbage.push(s)
    }
    for (const text of garbage) {
      for (const format of ['waline', 'twikoo', 'wxr'] as const) {
        try {
          const result = parseComments(format, text)
          expect(Array.isArray(result.comments)).toBe(true)
        } catch (e) {
          expect(e, `${format}: ${JSON.stringify(text.slice(0, 60))}`).toBeInstanceOf(ImportFormatError)
        }
      }
    }
  })

  it('reads a file that starts with a byte order mark', () => {
    expect(parseComments('waline', '\uFEFF' + walineText).comments).toHaveLength(7)
    expect(parseComments('wxr', '\uFEFF' + wxrText).comments).toHaveLength(7)
  })
})
