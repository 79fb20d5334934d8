import { env } from 'cloudflare:workers'
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { putPost, request, TOKEN } from '../helpers'
import worker from '../../src/index'
import type { PostRecord } from '../../src/model'
import { FEED_FORM_REVISION, feedForm, feedFormHtml, feedHtml } from '../../src/render/feed-html'
import { sha256Hex } from '../../src/lib/hash'
import type { FeedItemRecord } from '../../src/storage/feed-items'
import { KV_KEYS } from '../../src/storage/keys'
import { forgetSnapshot } from '../../src/storage/read-model'

// Every feed made again on each request: no isolate copy, no location cache.
const bindings = { ...env, LIST_CACHE_SECONDS: '0', EDGE_CACHE_SECONDS: '0' }

/** A feed at an origin (with BASE_URL unset, the site answers at whatever address it is asked). */
async function feedAt(origin: string, path: string): Promise<string> {
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(`${origin}${path}`), { ...bindings, BASE_URL: '' }, ctx)
  await waitOnExecutionContext(ctx)
  expect(res.status).toBe(200)
  return res.text()
}

/** URLs of every kind a post's HTML holds: relative to the site, to the post, protocol-relative, in math. */
const LINKS_BODY = [
  'A [site link](/archives/other), a [relative one](../x?y=1&z=2), a [protocol-relative one](//cdn.example/a.png),',
  'an [absolute one](https://example.org/p?q=1&r=2), [mail](mailto:a@example.org) and ![a picture](/img/p.png).',
  '',
  '$$',
  'E = mc^2 \\label{eq:fi}',
  '$$',
  '',
  'See \\eqref{eq:fi}, $\\href{/math-link}{x^2}$ and [the top](#top).',
].join('\n')

const record = async (id: string) => (await env.POSTS.get<PostRecord>(KV_KEYS.post(id), 'json'))!
const item = async (id: string) => env.POSTS.get<FeedItemRecord>(KV_KEYS.feedItem(id), 'json')

describe('feed items', () => {
  it('are written with the record at publish, of its revision, with the record’s feed HTML', async () => {
    expect((await putPost('fi-written', { title: '写入', date: '2025-10-01', tags: ['条目'] }, LINKS_BODY)).status).toBe(201)
    const stored = (await item('fi-written'))!
    const rec = await record('fi-written')
    expect(stored).toMatchObject({
      v: 1,
      form: FEED_FORM_REVISION,
      id: 'fi-written',
      revision: rec.revision,
      title: '写入',
      tags: ['条目'],
      description: rec.description,
      modifiedAt: rec.modifiedAt,
    })
    // URLs are left raw in the form, made absolute for each address.
    expect(stored.html.length).toBeGreaterThan(1)
    for (const base of ['https://blog.example/archives/fi-written', 'http://127.0.0.1:8787/archives/fi-written'])
      expect(feedFormHtml(stored.html, base)).toBe(feedHtml(rec.html, base))
    // An edit writes both again.
    expect((await putPost('fi-written', { title: '再写', date: '2025-10-01' }, 'Changed.')).status).toBe(200)
    expect((await item('fi-written'))!).toMatchObject({ title: '再写', revision: (await record('fi-written')).revision })
  })

  it('make the same feeds, byte for byte, as the records they were made from, at any address', async () => {
    for (let i = 0; i < 3; i++)
      expect(
        (await putPost(`fi-same-${i}`, { title: `同一 ${i}`, date: `2025-10-0${i + 2}`, category: '条目类' }, LINKS_BODY)).status,
      ).toBe(201)
    forgetSnapshot()
    const paths = ['/feed', '/feed/atom', '/category/%E6%9D%A1%E7%9B%AE%E7%B1%BB/feed']
    const origins = ['https://blog.example', 'http://127.0.0.1:8787']
    const fromItems = await Promise.all(origins.flatMap((o) => paths.map((p) => feedAt(o, p))))
    expect(fromItems[0]).toContain('https://blog.example/archives/other')
    expect(fromItems[3]).toContain('http://cdn.example/a.png')
    // The same with the items gone: made from the records.
    const ids = [0, 1, 2].map((i) => `fi-same-${i}`)
    const items = await Promise.all(ids.map(async (id) => (await env.POSTS.get(KV_KEYS.feedItem(id), 'text'))!))
    expect(items.every((x) => x !== null)).toBe(true)
    await Promise.all(ids.map((id) => env.POSTS.delete(KV_KEYS.feedItem(id))))
    try {
      const fromRecords = await Promise.all(origins.flatMap((o) => paths.map((p) => feedAt(o, p))))
      expect(fromRecords).toEqual(fromItems)
    } finally {
      await Promise.all(ids.map((id, i) => env.POSTS.put(KV_KEYS.feedItem(id), items[i]!)))
    }
  })

  it('are what a feed is made from: the record is read only for an item it cannot take', async () => {
    expect((await putPost('fi-used', { title: 'Item title', date: '2025-10-10' }, 'Body.')).status).toBe(201)
    forgetSnapshot()
    const feed = async () => (await request('/feed', {}, bindings)).text()
    const stored = (await item('fi-used'))!
    // Changed behind the Site object's back: the item's title shows, so the record was not read.
    await env.POSTS.put(KV_KEYS.feedItem('fi-used'), JSON.stringify({ ...stored, title: 'Only in the item' }))
    expect(await feed()).toContain('Only in the item')
    // Items it cannot take: another revision, another form, another post's, not JSON. The record's title shows.
    for (const bad of [
      JSON.stringify({ ...stored, title: 'Only in the item', revision: stored.revision + 1 }),
      JSON.stringify({ ...stored, title: 'Only in the item', form: `${FEED_FORM_REVISION}-old` }),
      JSON.stringify({ ...stored, title: 'Only in the item', id: 'fi-other' }),
      JSON.stringify({ ...stored, title: 'Only in the item', html: [] }),
      '{not json',
    ]) {
      await env.POSTS.put(KV_KEYS.feedItem('fi-used'), bad)
      const text = await feed()
      expect(text).not.toContain('Only in the item')
      expect(text).toContain('Item title')
    }
    await env.POSTS.put(KV_KEYS.feedItem('fi-used'), JSON.stringify(stored))
  })

  it('go with the post: a delete removes the item, a rename moves it', async () => {
    const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
    expect((await putPost('fi-gone', { title: '删去', date: '2025-10-11' })).status).toBe(201)
    expect(await item('fi-gone')).not.toBeNull()
    expect((await request('/api/posts/fi-gone', { method: 'DELETE', headers: admin })).status).toBe(200)
    expect(await item('fi-gone')).toBeNull()

    expect((await putPost('fi-from', { title: '改名', date: '2025-10-12' })).status).toBe(201)
    const renamed = await request('/api/posts/fi-from/rename', { method: 'POST', headers: admin, body: JSON.stringify({ to: 'fi-to' }) })
    expect(renamed.status).toBe(200)
    expect(await item('fi-from')).toBeNull()
    expect((await item('fi-to'))!).toMatchObject({ id: 'fi-to', title: '改名', revision: (await record('fi-to')).revision })
  })

  it('are of the form FEED_FORM_REVISION names (raise it when feedForm’s output changes)', async () => {
    // Stored HTML with everything feedForm keeps, drops, unwraps or splits; its form's hash is pinned to the revision.
    const html = [
      '<h2 id="t">Title<a class="heading-anchor" href="#t">#</a></h2>',
      '<p>Text &amp; <a href="/archives/other">site</a> <a href=\'../x?y=1&amp;z=2\'>up</a> <img src="/img/p.png" alt="p"><br/>',
      '<span class="katex"><span class="katex-mathml"><math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><mi>a</mi></mrow>',
      '<annotation encoding="application/x-tex">a</annotation></semantics></math></span><span class="katex-html" aria-hidden="true">',
      '<span class="base"><span class="mord mathnormal">a</span></span></span></span></p>',
      '<div class="math-display" tabindex="0"><span class="eq-anchor" id="eq-1"></span><span class="katex-display"><span class="katex">',
      '<span class="katex-mathml"><math><mrow><mtext><a href="/math-link">x</a></mtext></mrow></math></span>',
      '<span class="katex-html"><span><span>x</span></span></span></span></span></div>',
      '<p><a href="#eq-1">(1)</a> <a href="https://example.org/p?q=1&amp;r=2">abs</a> <a href="//cdn.example/a">proto</a></p>',
      '<!-- a comment --><pre><code class="hljs">print(<span class="hljs-string">&quot;x&quot;</span>)</code></pre>',
      '<p><button type="button">copy</button><script>x()</script><style>p{}</style><template><b>t</b></template></span></p>',
    ].join('')
    const form = feedForm(html)
    expect(form.filter((_, i) => i % 2 === 1)).toEqual([
      '/archives/other',
      '../x?y=1&amp;z=2',
      '/img/p.png',
      '/math-link',
      '#eq-1',
      'https://example.org/p?q=1&amp;r=2',
      '//cdn.example/a',
    ])
    const pinned = { revision: FEED_FORM_REVISION, hash: (await sha256Hex(JSON.stringify(form))).slice(0, 16) }
    expect(pinned).toEqual({ revision: '1', hash: '92b85961b28ef421' })
  })
})
