import { describe, expect, it } from 'vitest'
import { TOKEN, putPost, request, roomStats, view } from '../helpers'
import { dangers, parseHtml } from '../html'
import { slashDate } from '../../src/views/citation'
import { ASSETS } from '../../src/views/asset-manifest'
import { KATEX_COPY_TEX_JS } from '../../src/views/assets'

/** BibTeX and RIS special characters, and a formula. */
const TITLE = '{集合} 100% & 下标_i 与 $x^2$ # ~ \\ 的证明'
const URL = 'https://blog.example/archives/cite-special'

/** A download's text (workerd warns when `.text()` reads a type that is not text/*). */
async function body(res: Response): Promise<string> {
  return new TextDecoder().decode(await res.arrayBuffer())
}

/** The access date written into RIS and CSL-JSON is the download's day in the site's zone (Asia/Shanghai). */
async function fetchDated(path: string): Promise<{ res: Response; text: string; days: string[] }> {
  const before = slashDate(Date.now(), 'Asia/Shanghai')
  const res = await request(path)
  const text = await body(res)
  const after = slashDate(Date.now(), 'Asia/Shanghai')
  return { res, text, days: [...new Set([before, after])] }
}

/** Returns the first candidate that equals `actual` (a download that straddles midnight has two). */
function oneOf(actual: string, candidates: string[]): string {
  return candidates.find((c) => c === actual) ?? candidates[0]!
}

describe('citation downloads', () => {
  it('serves BibTeX with its special characters escaped', async () => {
    // 01:30 in Shanghai is the previous day in UTC: the date must be the site's.
    expect((await putPost('cite-special', { title: TITLE, date: '2024-07-20 01:30', tags: ['级数', 'a&b'] })).status).toBe(201)
    const res = await request('/archives/cite-special/cite.bib')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/x-bibtex; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="gongshi-cite-special.bib"')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(await body(res)).toBe(
      [
        '@online{gongshi-cite-special,',
        '        title={\\{集合\\} 100\\% \\& 下标\\_i 与 \\$x\\textasciicircum{}2\\$ \\# \\textasciitilde{} \\textbackslash{} 的证明},',
        '        author={林知远},',
        '        year={2024},',
        '        month={Jul},',
        `        url={${URL}},`,
        '}',
        '',
      ].join('\n'),
    )
  })

  it('serves the same BibTeX entry the page shows', async () => {
    const page = parseHtml(await (await request('/archives/cite-special')).text())
    const shown = page.text(page.byClass('cite-bibtex')[0]!)
    expect(await body(await request('/archives/cite-special/cite.bib'))).toBe(`${shown}\n`)
  })

  it('serves RIS (type BLOG), one tag per CRLF line, dates in the site time zone', async () => {
    const { res, text, days } = await fetchDated('/archives/cite-special/cite.ris')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/x-research-info-systems; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="gongshi-cite-special.ris"')
    const expected = (accessed: string) =>
      [
        'TY  - BLOG',
        'ID  - gongshi-cite-special',
        `TI  - ${TITLE}`,
        'AU  - 林知远',
        'PY  - 2024',
        'DA  - 2024/07/20',
        'T2  - 公式与星辰',
        'LA  - zh',
        'KW  - 级数',
        'KW  - a&b',
        `UR  - ${URL}`,
        `Y2  - ${accessed}`,
        'ER  - ',
        '',
      ].join('\r\n')
    expect(text).toBe(oneOf(text, days.map(expected)))
  })

  it('serves CSL-JSON: an array with one post-weblog item', async () => {
    const { res, text, days } = await fetchDated('/archives/cite-special/cite.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.citationstyles.csl+json')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="gongshi-cite-special.json"')
    const expected = (accessed: string) => {
      const [y, m, d] = accessed.split('/').map(Number)
      const item = {
        id: 'gongshi-cite-special',
        type: 'post-weblog',
        title: TITLE,
        author: [{ literal: '林知远' }],
        issued: { 'date-parts': [[2024, 7, 20]] },
        accessed: { 'date-parts': [[y, m, d]] },
        'container-title': '公式与星辰',
        language: 'zh',
        URL,
      }
      return `${JSON.stringify([item], null, 2)}\n`
    }
    expect(text).toBe(oneOf(text, days.map(expected)))
    expect(JSON.parse(text)[0].title).toBe(TITLE)
  })

  it('keeps each RIS value on its line when the title or the author holds a CR/LF', async () => {
    // The schemas trim the ends only, so a YAML "\r\n" inside a title or a name is accepted.
    const fields = { title: 'Line\r\nbreaks', author: 'Ada\r\nLovelace', date: '2024-01-02' }
    expect((await putPost('cite-crlf', fields)).status).toBe(201)
    const ris = await body(await request('/archives/cite-crlf/cite.ris'))
    const lines = ris.split('\r\n')
    expect(lines).toContain('TI  - Line breaks')
    expect(lines).toContain('AU  - Ada Lovelace')
    expect(lines.every((l) => l === '' || /^[A-Z][A-Z0-9]  - /.test(l))).toBe(true)
    expect(ris).not.toMatch(/[^\r]\n|\r(?!\n)/)
    const bib = await body(await request('/archives/cite-crlf/cite.bib'))
    expect(bib).toContain('        title={Line breaks},\n')
    expect(bib).toContain('        author={Ada Lovelace},\n')
    // CSL-JSON keeps the values as they are, escaped by JSON.
    const json = await body(await request('/archives/cite-crlf/cite.json'))
    expect(json).toContain('"literal": "Ada\\r\\nLovelace"')
    expect(JSON.parse(json)[0]).toMatchObject({ title: 'Line\r\nbreaks', author: [{ literal: 'Ada\r\nLovelace' }] })
    // The meta tags hold one line each.
    const page = parseHtml(await (await request('/archives/cite-crlf')).text())
    const meta = (name: string) =>
      page.attr(
        page.tags('meta').find((m) => page.attr(m, 'name') === name)!,
        'content',
      )
    expect(meta('citation_title')).toBe('Line breaks')
    expect(meta('citation_author')).toBe('Ada Lovelace')
  })

  it('answers 404 for unknown ids, bad ids and drafts, and 410 for a deleted post', async () => {
    await putPost('cite-draft', { title: 'Draft', draft: true })
    await putPost('cite-deleted', { title: 'Deleted' })
    const del = await request('/api/posts/cite-deleted', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(del.status).toBe(200)
    for (const ext of ['bib', 'ris', 'json']) {
      expect((await request(`/archives/cite-nope/cite.${ext}`)).status, `unknown .${ext}`).toBe(404)
      expect((await request(`/archives/UPPER/cite.${ext}`)).status, `bad id .${ext}`).toBe(404)
      expect((await request(`/archives/cite-draft/cite.${ext}`)).status, `draft .${ext}`).toBe(404)
      const gone = await request(`/archives/cite-deleted/cite.${ext}`)
      expect(gone.status, `deleted .${ext}`).toBe(410)
      expect(gone.headers.get('content-disposition')).toBeNull()
    }
    expect((await request('/archives/cite-special/cite.txt')).status).toBe(404)
  })

  it('is not a reader view: the count stays as it was', async () => {
    await putPost('cite-count', { title: 'Counted once' })
    expect((await view('/archives/cite-count')).status).toBe(200)
    expect((await roomStats('cite-count')).views).toBe(1)
    for (const ext of ['bib', 'ris', 'json']) {
      expect((await view(`/archives/cite-count/cite.${ext}`)).status).toBe(200)
    }
    expect((await roomStats('cite-count')).views).toBe(1)
    expect(await (await view('/archives/cite-count', '203.0.113.2')).text()).toContain('2位读者')
  })
})

describe('citation on the post page', () => {
  it('puts escaped Highwire Press meta tags in the head', async () => {
    const title = 'Why "x" < y & <script>alert(1)</script>'
    await putPost('cite-meta', { title, author: 'Ada "the" <Countess>', date: '2024-02-29 23:59' })
    const html = await (await request('/archives/cite-meta')).text()
    expect(html).not.toContain('<script>alert(1)')
    expect(html).toContain('<meta name="citation_title" content="Why &quot;x&quot; &lt; y &amp; &lt;script&gt;alert(1)&lt;/script&gt;"')
    const page = parseHtml(html)
    const head = page.tags('head')[0]!
    const meta = Object.fromEntries(
      page
        .tags('meta')
        .filter((m) => (page.attr(m, 'name') ?? '').startsWith('citation_'))
        .map((m) => {
          expect(m.parent).toBe(head)
          return [page.attr(m, 'name'), page.attr(m, 'content')]
        }),
    )
    expect(meta).toEqual({
      citation_title: title,
      citation_author: 'Ada "the" <Countess>',
      citation_publication_date: '2024/02/29',
      citation_online_date: '2024/02/29',
      citation_journal_title: '公式与星辰',
      citation_language: 'zh',
      citation_public_url: 'https://blog.example/archives/cite-meta',
      citation_fulltext_html_url: 'https://blog.example/archives/cite-meta',
    })
    expect(dangers(html, 'page').filter((d) => d !== '<script>')).toEqual([])
  })

  it('loads /assets/cite.js (and views.js) from the head, deferred, and has no inline script', async () => {
    const html = await (await request('/archives/cite-special')).text()
    const page = parseHtml(html)
    // Besides the JSON-LD data block (views/seo.tsx), which is never run.
    const scripts = page.tags('script').filter((s) => page.attr(s, 'type') !== 'application/ld+json')
    expect(scripts.map((s) => page.attr(s, 'src'))).toEqual([
      ASSETS['theme.js'],
      ASSETS['scrollers.js'],
      ASSETS['cite.js'],
      ASSETS['views.js'],
      ASSETS['comments.js'],
      KATEX_COPY_TEX_JS,
    ])
    // The theme script is render-blocking on purpose (the stored theme applies before the first paint); the others wait.
    expect(page.attr(scripts[0]!, 'defer')).toBeUndefined()
    for (const script of scripts) {
      if (script !== scripts[0]) expect(page.attr(script, 'defer')).not.toBeUndefined()
      expect(script.parent).toBe(page.tags('head')[0])
      expect(script.children).toHaveLength(0)
    }
    expect(page.text(scripts[0]!)).toBe('')
    expect(page.attributes().filter(([, name]) => name.startsWith('on'))).toEqual([])
    // Other pages load only the theme script and the scroll boxes' one (an excerpt may hold a display formula).
    const only = (h: string) => {
      const other = parseHtml(h)
      return other.tags('script').map((s) => other.attr(s, 'src'))
    }
    expect(only(await (await request('/')).text())).toEqual([ASSETS['theme.js'], ASSETS['scrollers.js']])
    expect(only(await (await request('/archives/cite-nope')).text())).toEqual([ASSETS['theme.js'], ASSETS['scrollers.js']])
  })

  it('renders the copy buttons hidden (cite.js shows them) and links the three downloads', async () => {
    const page = parseHtml(await (await request('/archives/cite-special')).text())
    const cite = page.byId('cite')!
    const buttons = page.byClass('cite-copy')
    expect(buttons.map((b) => page.attr(b, 'data-cite-copy'))).toEqual(['cite-plain', 'cite-bibtex'])
    for (const b of buttons) {
      expect(page.attr(b, 'hidden')).not.toBeUndefined()
      expect(page.attr(b, 'type')).toBe('button')
      expect(page.text(b).trim()).toBe('复制')
      expect(page.attr(b, 'data-copied')).toBe('已复制')
    }
    expect(page.attr(buttons[1]!, 'aria-label')).toBe('复制 BibTeX')
    const links = page.byClass('cite-downloads')[0]!
    const anchors = page.tags('a').filter((a) => {
      for (let p = a.parent; p; p = p.parent) if (p === links) return true
      return false
    })
    expect(anchors.map((a) => [page.attr(a, 'href'), page.text(a)])).toEqual([
      ['/archives/cite-special/cite.bib', '下载 BibTeX'],
      ['/archives/cite-special/cite.ris', '下载 RIS'],
      ['/archives/cite-special/cite.json', '下载 CSL-JSON'],
    ])
    expect(page.text(cite)).toContain('《' + TITLE + '》')
  })
})
