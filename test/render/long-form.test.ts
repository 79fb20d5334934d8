import { describe, expect, it } from 'vitest'
import { highlightCode } from '../../src/render/highlight'
import { renderComment } from '../../src/render/render-comment'
import { renderMarkdown } from '../../src/render/render-markdown'
import { renderPost } from '../../src/render/render-post'
import { dangers, parseHtml } from '../html'

const post = (md: string) => renderMarkdown(md, 'post').html
const hljsSpans = (page: ReturnType<typeof parseHtml>) => page.tags('span').filter((s) => (page.attr(s, 'class') ?? '').startsWith('hljs-'))

describe('code highlighting (posts)', () => {
  it('highlights python and javascript blocks at publish time', () => {
    const html = post('```python\ndef area(r):\n    return 3.14 * r ** 2  # m²\n```\n\n```js\nconst x = "a" < 1\n```')
    const page = parseHtml(html)
    const codes = page.tags('code')
    expect(codes.map((c) => page.attr(c, 'class'))).toEqual(['hljs language-python', 'hljs language-javascript'])
    expect(page.tags('pre')).toHaveLength(2)
    const py = parseHtml(html.slice(0, html.indexOf('</pre>')))
    expect(hljsSpans(py).map((s) => py.attr(s, 'class'))).toEqual(expect.arrayContaining(['hljs-keyword', 'hljs-number', 'hljs-comment']))
    expect(page.text(codes[0]!)).toBe('def area(r):\n    return 3.14 * r ** 2  # m²\n')
    expect(page.text(codes[1]!)).toBe('const x = "a" < 1\n')
    expect(hljsSpans(page).some((s) => page.attr(s, 'class') === 'hljs-string' && page.text(s) === '"a"')).toBe(true)
    expect(dangers(html)).toEqual([])
  })

  it('resolves aliases to the canonical language name', () => {
    for (const [alias, name] of [
      ['py', 'python'],
      ['ts', 'typescript'],
      ['sh', 'bash'],
      ['shell', 'bash'],
      ['tex', 'latex'],
      ['html', 'xml'],
      ['yml', 'yaml'],
      ['C++', 'cpp'],
      ['jl', 'julia'],
      ['rs', 'rust'],
      ['golang', 'go'],
      ['patch', 'diff'],
      ['md', 'markdown'],
    ]) {
      expect(highlightCode('x', alias).language).toBe(name)
    }
    const page = parseHtml(post('```ts {.numbered}\nlet n: number = 1\n```'))
    expect(page.attr(page.tags('code')[0]!, 'class')).toBe('hljs language-typescript')
  })

  it('keeps unknown and missing languages as plain escaped text', () => {
    const html = post('```brainfuck\n<b>++</b> & more\n```\n\n```\nplain <i>x</i>\n```\n\n    indented <u>code</u>')
    const page = parseHtml(html)
    expect(hljsSpans(page)).toHaveLength(0)
    expect(page.tags('b')).toHaveLength(0)
    expect(page.tags('i')).toHaveLength(0)
    expect(page.tags('u')).toHaveLength(0)
    const codes = page.tags('code')
    expect(codes.map((c) => page.attr(c, 'class'))).toEqual([undefined, undefined, undefined])
    expect(codes.map((c) => page.text(c))).toEqual(['<b>++</b> & more\n', 'plain <i>x</i>\n', 'indented <u>code</u>\n'])
    expect(html).toContain('&lt;b&gt;++&lt;/b&gt; &amp; more')
  })

  it('escapes markup inside highlighted code, for every language', () => {
    for (const lang of ['html', 'javascript', 'markdown', 'latex', 'python', 'plaintext', 'xml']) {
      const html = post('```' + lang + '\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```')
      const page = parseHtml(html)
      expect(page.tags('script')).toHaveLength(0)
      expect(page.tags('img')).toHaveLength(0)
      expect(page.text(page.tags('code')[0]!)).toBe('<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n')
      expect(dangers(html)).toEqual([])
    }
  })

  it('never throws, whatever the language name or size', () => {
    for (const lang of ['__proto__', 'constructor', 'toString', '', ' ', '"><script>', 'python\u0000']) {
      const out = highlightCode('<x> & y', lang)
      expect(out.language).toBeNull()
      expect(out.html).toBe('&lt;x&gt; &amp; y')
    }
    expect(highlightCode('x', undefined)).toEqual({ html: 'x', language: null })
    const huge = highlightCode('def f(): pass\n'.repeat(10_000), 'python')
    expect(huge.language).toBe('python')
    expect(huge.html).not.toContain('<span')
  })

  it('leaves comment code blocks plain', () => {
    const { html } = renderComment('```python\ndef f(): return 1 < 2\n```')
    const page = parseHtml(html)
    expect(hljsSpans(page)).toHaveLength(0)
    expect(page.attr(page.tags('code')[0]!, 'class')).toBe('language-python')
    expect(page.text(page.tags('code')[0]!)).toContain('def f(): return 1 < 2')
  })
})

describe('footnotes (posts)', () => {
  const source = [
    '牛顿第二定律[^newton]给出了运动方程[^2]，参见[^newton]。未定义的[^missing]保持原样。',
    '',
    '[^newton]: 见《自然哲学的数学原理》，其中 $F = ma$。',
    '[^2]: 第二条注释。',
    '',
    '    第二段，引用[^newton]。',
    '[^unused]: 没有被引用。',
    '',
    '后文。',
  ].join('\n')

  it('links each reference to its note and each note back to every reference', () => {
    const html = post(source)
    const page = parseHtml(html)
    const refs = page.byClass('footnote-ref')
    // Three in the text, one in the second note.
    expect(refs).toHaveLength(4)
    const refLinks = refs.map((sup) => page.tags('a').find((a) => a.parent === sup)!)
    expect(refLinks.map((a) => [page.attr(a, 'href'), page.attr(a, 'id'), page.text(a)])).toEqual([
      ['#fn-1', 'fnref-1', '1'],
      ['#fn-2', 'fnref-2', '2'],
      ['#fn-1', 'fnref-1-2', '1'],
      ['#fn-1', 'fnref-1-3', '1'],
    ])
    for (const a of refLinks) expect(page.byId(page.attr(a, 'href')!.slice(1))).not.toBeNull()
    const backs = page.byClass('footnote-backref')
    for (const a of backs) {
      const target = page.byId(page.attr(a, 'href')!.slice(1))
      expect(target?.name).toBe('a')
    }
    // The second note cites the first again: fn-1 gets a third back link.
    expect(backs.map((a) => page.attr(a, 'href'))).toEqual(['#fnref-1', '#fnref-1-2', '#fnref-1-3', '#fnref-2'])
    expect(html).toContain('[^missing]')
    expect(html).not.toContain('没有被引用')
    expect(dangers(html)).toEqual([])
  })

  it('names the notes and their back links for screen readers, in the site language', () => {
    const labels = { heading: '脚注', back: '返回正文' }
    const page = parseHtml(renderMarkdown(source, 'post', { footnoteLabels: labels }).html)
    const section = page.byClass('footnotes')[0]!
    expect(page.attr(section, 'role')).toBe('doc-endnotes')
    const heading = page.tags('h2').find((h) => h.parent === section)!
    expect([page.text(heading), page.attr(heading, 'class')]).toEqual(['脚注', 'visually-hidden'])
    // One back link: its label; several: numbered.
    expect(page.byClass('footnote-backref').map((a) => page.attr(a, 'aria-label'))).toEqual([
      '返回正文 (1)',
      '返回正文 (2)',
      '返回正文 (3)',
      '返回正文',
    ])
  })

  it('lists the notes at the end of the post, with math rendered', () => {
    const html = post(source)
    const page = parseHtml(html)
    const section = page.byClass('footnotes')
    expect(section).toHaveLength(1)
    expect(section[0]!.name).toBe('section')
    expect(html.trimEnd().endsWith('</section>')).toBe(true)
    expect(html.indexOf('后文')).toBeLessThan(html.indexOf('class="footnotes"'))
    const items = page.tags('li')
    expect(items.map((li) => page.attr(li, 'id'))).toEqual(['fn-1', 'fn-2'])
    expect(parseHtml(html.slice(html.indexOf('id="fn-1"'))).byClass('katex')).toHaveLength(1)
    expect(page.text(items[0]!)).toContain('自然哲学的数学原理')
    expect(page.text(items[1]!)).toContain('第二段')
    expect(page.text(items[1]!)).not.toContain('[^newton]')
  })

  it('keeps footnote ids apart from heading ids', () => {
    const html = post('## fn\n\n## fnref\n\n## 1\n\nText[^a].\n\n[^a]: Note.')
    const ids = parseHtml(html)
      .all()
      .map((e) => e.attribs.id)
      .filter(Boolean)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(expect.arrayContaining(['fn-1', 'fnref-1']))
  })

  it('gives excerpts plain numbers instead of links to notes that are not on the page', () => {
    const p = renderPost('正文[^1]很长。\n\n第二段。\n\n[^1]: 注释。', undefined)
    const excerpt = parseHtml(p.excerptHtml)
    expect(excerpt.byClass('footnote-ref')).toHaveLength(1)
    expect(excerpt.tags('a')).toHaveLength(0)
    expect(p.description).not.toContain('[^1]')
    expect(parseHtml(p.html).byId('fn-1')).not.toBeNull()
  })

  it('is not available in comments', () => {
    const { html } = renderComment('Claim[^1].\n\n[^1]: Source.')
    expect(parseHtml(html).byClass('footnotes')).toHaveLength(0)
    expect(parseHtml(html).byClass('footnote-ref')).toHaveLength(0)
  })
})

describe('images (posts)', () => {
  it('turns an image alone in its paragraph into a linked figure with a caption', () => {
    const html = post('![速度 *v* 随时间的变化](/img/v.png)\n\n![alt text](https://cdn.example/p.png "标题 <b>&</b>")')
    const page = parseHtml(html)
    const figures = page.tags('figure')
    expect(figures).toHaveLength(2)
    expect(page.tags('p')).toHaveLength(0)
    const [a1, a2] = page.tags('a')
    const [img1, img2] = page.tags('img')
    expect(page.attr(a1!, 'href')).toBe('/img/v.png')
    expect(img1!.parent).toBe(a1)
    expect(page.attr(img1!, 'src')).toBe('/img/v.png')
    expect(page.attr(img1!, 'loading')).toBe('lazy')
    expect(page.attr(a2!, 'href')).toBe('https://cdn.example/p.png')
    expect(page.attr(img2!, 'alt')).toBe('alt text')
    expect(page.attr(img2!, 'title')).toBe('标题 <b>&</b>')
    const captions = page.tags('figcaption')
    expect(captions.map((c) => page.text(c))).toEqual(['速度 v 随时间的变化', '标题 <b>&</b>'])
    expect(page.tags('b')).toHaveLength(0)
    expect(dangers(html)).toEqual([])
  })

  it('leaves an image inside text as a plain img, and omits empty captions', () => {
    const html = post('图标 ![icon](/i.png) 在文中。\n\n![](/bare.png)')
    const page = parseHtml(html)
    const imgs = page.tags('img')
    expect(imgs[0]!.parent!.type === 'tag' && (imgs[0]!.parent as { name: string }).name).toBe('p')
    expect(page.tags('figure')).toHaveLength(1)
    expect(page.tags('figcaption')).toHaveLength(0)
  })

  it('drops unsafe image URLs from both the img and the link', () => {
    const html = post('![x](javascript:alert(1))\n\n![y](data:image/svg+xml,<svg>)')
    expect(dangers(html)).toEqual([])
    expect(html).not.toMatch(/javascript:|data:/)
  })
})

describe('GFM blocks', () => {
  it('renders task lists with disabled checkboxes', () => {
    for (const html of [post('- [ ] 推导\n- [x] 验证'), renderComment('- [ ] 推导\n- [x] 验证').html]) {
      const page = parseHtml(html)
      const boxes = page.tags('input')
      expect(boxes).toHaveLength(2)
      for (const box of boxes) {
        expect(page.attr(box, 'type')).toBe('checkbox')
        expect(page.attr(box, 'disabled')).toBeDefined()
      }
      expect(boxes.map((b) => page.attr(b, 'checked') !== undefined)).toEqual([false, true])
    }
  })

  it('disables checkboxes an author writes by hand and drops other inputs', () => {
    const page = parseHtml(post('<input type="checkbox" checked> <input type="text" value="x">'))
    expect(page.tags('input')).toHaveLength(1)
    expect(page.attr(page.tags('input')[0]!, 'disabled')).toBeDefined()
  })

  it('renders strikethrough, blockquotes, tables and inline code', () => {
    const html = post('~~错误~~ 与 `a < b`\n\n> 引用 $x$\n\n| 量 | 单位 |\n|:--|--:|\n| 力 | N |')
    const page = parseHtml(html)
    expect(page.tags('del').map((e) => page.text(e))).toEqual(['错误'])
    expect(page.tags('code').map((e) => page.text(e))).toEqual(['a < b'])
    expect(page.tags('blockquote')).toHaveLength(1)
    expect(parseHtml(html.slice(html.indexOf('<blockquote'))).byClass('katex').length).toBeGreaterThan(0)
    expect(page.tags('th').map((e) => page.attr(e, 'align'))).toEqual(['left', 'right'])
    expect(page.tags('td').map((e) => page.text(e))).toEqual(['力', 'N'])
  })
})
