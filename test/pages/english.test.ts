import { beforeAll, describe, expect, it } from 'vitest'
import { strings } from '../../src/i18n'
import { BROWSER_UA, call, ORIGIN, putPost, TOKEN } from '../helpers'

/**
 * A site with LANGUAGE = "en" and English posts shows no Chinese anywhere a reader goes: every word
 * the engine itself writes comes from the English strings (src/i18n.ts). Only this file's requests
 * are in English (the objects keep the test's settings), and it makes no request in Chinese, so no
 * page kept in this isolate was made in the other language.
 */
const EN = {
  LANGUAGE: 'en',
  SITE_TITLE: 'Formulas and Stars',
  SITE_DESCRIPTION: 'Long notes on mathematics',
  SITE_AUTHOR: 'Lin',
  // The blogroll is the site's own words (wrangler.toml's samples are in Chinese).
  SITE_LINKS: '[{"name": "arXiv", "url": "https://arxiv.org/", "description": "Preprints in physics and mathematics"}]',
}
const CHINESE = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u

/** The Han characters and full-width punctuation in a page, each with some text around it. */
function chinese(text: string): string[] {
  // (A heading's # link is labelled when the post is rendered, by the Site object, whose settings
  // here are the test's Chinese ones: a site in English renders it "Link to this section".)
  const own = text.replaceAll('aria-label="本节链接"', '')
  return [...own.matchAll(new RegExp(`.{0,40}${CHINESE.source}.{0,40}`, 'gu'))].map((m) => m[0])
}

const get = (path: string, headers: Record<string, string> = {}) =>
  call(path, { headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': '203.0.113.50', ...headers } }, EN)

const comment = async (post: string, body: Record<string, unknown>) => {
  const res = await call(
    `/api/posts/${post}/comments`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': BROWSER_UA,
        'cf-connecting-ip': `198.51.100.${Math.floor(Math.random() * 200) + 1}`,
      },
      body: JSON.stringify(body),
    },
    { ...EN, COMMENT_MIN_SECONDS: '0', COMMENT_RATE_LIMIT: '' },
  )
  expect(res.status, await res.clone().text()).toBe(201)
  return ((await res.json()) as { comment: { id: number } }).comment.id
}

beforeAll(async () => {
  const common = { author: 'Lin', category: 'Probability', tags: ['entropy', 'information'] }
  const posts: [id: string, fields: Record<string, unknown>, body: string][] = [
    ['en-one', { ...common, title: 'Entropy, one', date: '2024-01-10', series: 'Notes' }, 'Text $x^2$ and [two](/archives/en-two).'],
    [
      'en-two',
      { ...common, title: 'Entropy, two', date: '2024-02-10', series: 'Notes' },
      'More $\\int_0^1 x\\,dx$.\n\n## One\n\n## Two\n\n## Three',
    ],
    ['en-three', { ...common, title: 'Entropy, three', date: '2024-03-10' }, 'Third.'],
    ['en-other', { author: 'Lin', title: 'Other', date: '2024-04-10', tags: ['misc'] }, 'Other.'],
  ]
  for (const [id, fields, body] of posts) expect((await putPost(id, fields, body)).status, id).toBe(201)
  const first = await comment('en-two', { author: 'Ada', body: 'Nice: $a^2+b^2$.' })
  await comment('en-two', { author: 'Ben', body: 'A reply.', parent: first })
  await comment('en-two', { author: 'Cy', body: 'Another thread.' })
  const pin = await call(`/api/comments/en-two/${first}/pin`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } }, EN)
  expect(pin.status).toBe(200)
})

describe('an English site', () => {
  const pages: [string, number][] = [
    ['/', 200],
    ['/archives/en-two', 200],
    ['/archives/en-two?order=hot', 200],
    ['/archives/en-one', 200],
    ['/archives', 200],
    ['/categories', 200],
    ['/tags', 200],
    ['/category/probability', 200],
    ['/tag/entropy', 200],
    ['/popular', 200],
    ['/search?q=entropy', 200],
    ['/search?q=nothing-like-this', 200],
    ['/no-such-page', 404],
    ['/archives/no-such-post', 404],
    ['/archives/en-two?order=best', 400],
    ['/feed', 200],
    ['/comments/feed', 200],
    ['/archives/en-two/comments/feed', 200],
    ['/archives/en-two/comments/feed/atom', 200],
    ['/admin', 200],
  ]
  for (const [path, status] of pages) {
    it(`writes no Chinese on ${path}`, async () => {
      const res = await get(path)
      expect(res.status).toBe(status)
      const text = await res.text()
      expect(chinese(text)).toEqual([])
      if ((res.headers.get('content-type') ?? '').startsWith('text/html')) expect(text).toMatch(/<html lang="en"/)
    })
  }
})

describe('an English site’s citation', () => {
  it('dates the plain-text citation as APA does ("2024, February 10"), not in the Chinese form ("Feb. 10, 2024")', async () => {
    const html = await (await get('/archives/en-two')).text()
    const plain = /<pre class="cite-plain">([^<]*)<\/pre>/.exec(html)?.[1]
    expect(plain).toMatch(
      /^Lin\. \(2024, February 10\)\. “Entropy, two” \[Blog post\]\. Retrieved from https?:\/\/[^ ]+\/archives\/en-two$/,
    )
    // The Chinese form keeps the reference blog's date, with the day in two digits.
    expect(strings('zh').citedDate(2024, 5, 3)).toBe('May. 03, 2024')
    expect(strings('en').citedDate(2024, 5, 3)).toBe('2024, May 3')
  })
})

describe('an English site’s feeds', () => {
  it("names a post's comments feed and its items in English, and the post page announces it so", async () => {
    const res = await get('/archives/en-two/comments/feed')
    expect(res.status).toBe(200)
    const xml = await res.text()
    expect(xml).toContain('<title>Comments on “Entropy, two”</title>')
    expect(xml).toContain('<title>Ada on Entropy, two</title>')
    const page = await (await get('/archives/en-two')).text()
    expect(page).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Comments on “Entropy, two”" href="/archives/en-two/comments/feed"',
    )
  })
})

describe('an English site’s admin', () => {
  let cookie = ''
  beforeAll(async () => {
    const res = await call(
      '/admin/login',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: new URLSearchParams({ token: TOKEN }),
      },
      EN,
    )
    expect(res.status).toBe(303)
    cookie = res.headers.get('set-cookie')!.split(';')[0]!
  })
  const pages = [
    '/admin/posts',
    '/admin/new',
    '/admin/edit/en-two',
    '/admin/edit/en-two/revisions',
    '/admin/comments',
    '/admin/comments?status=approved',
    '/admin/comments?status=spam',
    '/admin/comments?post=en-two&status=approved',
    '/admin/comments/en-two/1/reply',
    '/admin/comments/en-two/1/edit',
    '/admin/posts?q=two',
    '/admin/posts?q=nothing-like-this',
    '/admin/stats',
    '/admin/stats?post=en-two&days=7',
    '/admin/images',
  ]
  for (const path of pages) {
    it(`writes no Chinese on ${path}`, async () => {
      const res = await call(path, { headers: { cookie } }, EN)
      expect(res.status).toBe(200)
      const text = await res.text()
      expect(chinese(text)).toEqual([])
      expect(text).toMatch(/<html lang="en"/)
    })
  }
  it('gives the script the nav badge’s words for one held comment ("1 comment", not "1 comments")', async () => {
    const text = await (await call('/admin/posts', { headers: { cookie } }, EN)).text()
    expect(text).toContain('data-pending-count="{n} comments awaiting moderation"')
    expect(text).toContain('data-pending-count-one="1 comment awaiting moderation"')
  })
})

describe('the English comment form', () => {
  it('spells e-mail one way, and a refusal names no hidden field', async () => {
    const page = await (await get('/archives/en-one')).text()
    expect(page).toContain('<label for="comment-email">E-mail <small>')
    expect(page).toContain('E-mail me when someone replies (needs your e-mail)')
    const t = strings('en')
    expect(t.commentErrors.formTimeMissing).not.toMatch(/\bts\b/)
  })

  it('gives comments.js the words of its relative times ("1 minute ago", "3 minutes ago") from src/i18n.ts', async () => {
    const page = await (await get('/archives/en-two')).text()
    const ago = /<section id="comments" class="comments" data-ago="([^"]*)"/.exec(page)?.[1]
    expect(ago).toBeDefined()
    const words = JSON.parse(ago!.replaceAll('&quot;', '"').replaceAll('&amp;', '&')) as Record<string, unknown>
    expect(words).toEqual(strings('en').timeAgo)
    expect(words.minute).toEqual(['1 minute ago', '{n} minutes ago'])
    expect(strings('zh').timeAgo.minute).toEqual(['{n}分钟前', '{n}分钟前'])
  })
})

describe('English counts', () => {
  it('group the digits by thousands, as English writes them, and keep the singular for one', () => {
    const t = strings('en')
    expect(t.readers(5318)).toBe('5,318 readers')
    expect(t.readers(1)).toBe('1 reader')
    expect(t.comments(1200)).toBe('1,200 comments')
    expect(t.commentsTitle(1)).toBe('1 comment')
    expect(t.postCount(1)).toBe('1 post')
    expect(t.postCount(2048)).toBe('2,048 posts')
    expect(t.archiveIntro(1500)).toBe('1,500 posts, newest first.')
    expect(t.searchCount(1)).toBe('1 post found')
    // (Chinese keeps its own form.)
    expect(strings('zh').readers(5318)).toBe('5318位读者')
  })
})

describe('an English site’s list pages', () => {
  it('names the page links in English', async () => {
    const res = await call('/page/2', { headers: { 'user-agent': BROWSER_UA } }, { ...EN, PAGE_SIZE: '2' })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<nav class="pagination" aria-label="Post pages">')
  })
})

describe('an English site’s 405 pages', () => {
  it('lists the methods an address takes in English ("GET or HEAD", not "GET, HEAD requests only")', async () => {
    const send = (method: string, path: string) =>
      call(
        path,
        {
          method,
          headers: { 'user-agent': BROWSER_UA, 'content-type': 'text/plain', origin: ORIGIN },
          body: method === 'GET' ? undefined : 'x',
        },
        EN,
      )
    const post = await send('PUT', '/archives/en-two')
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    expect(await post.text()).toContain('This address takes only GET or HEAD requests.')
    const admin = await send('PATCH', '/admin/new')
    expect(admin.status).toBe(405)
    expect(admin.headers.get('allow')).toBe('GET, HEAD, POST')
    expect(await admin.text()).toContain('This address takes only GET, HEAD or POST requests.')
    const one = await send('GET', '/admin/images/0123456789abcdef.png/delete')
    expect(one.status).toBe(405)
    expect(await one.text()).toContain('This address takes only POST requests.')
  })
})
