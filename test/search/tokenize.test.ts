import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../src/render/render-markdown'
import { plainText } from '../../src/search/doc'
import { decodePostings, encodePostings, postingScore, postingValue, IN_TITLE } from '../../src/search/format'
import { highlight, snippet } from '../../src/search/snippet'
import { bucketOf, normalize, parseQuery, spans, stem, termCounts } from '../../src/search/tokenize'
import { renderPost } from '../../src/render/render-post'

const tokens = (text: string) => spans(text).map((s) => s.token)

describe('normalisation', () => {
  it('applies NFKC, lower-cases and folds Latin diacritics, leaving CJK alone', () => {
    expect(normalize('Ｅｎｔｒｏｐｙ')).toBe('entropy')
    expect(normalize('Café Noël ÅNGSTRÖM')).toBe('cafe noel angstrom')
    expect(normalize('量子力学')).toBe('量子力学')
  })
})

describe('index tokens', () => {
  it('indexes a CJK run as unigrams and bigrams, with offsets into the original text', () => {
    expect(tokens('量子力学')).toEqual(['量', '量子', '子', '子力', '力', '力学', '学'])
    const s = spans('看 量子 吧')
    expect(s.find((x) => x.token === '量子')).toMatchObject({ start: 2, end: 4, cjk: true })
  })

  it('splits Latin words from CJK without spaces, drops one-letter words and keeps digits', () => {
    expect(tokens('GPU加速 x_i 2024 a b')).toEqual(['gpu', '加', '加速', '速', '2024'])
  })

  it('splits on punctuation and hyphens, folds full-width and accented letters', () => {
    expect(tokens('Navier-Stokes, naïve ＢＡＹＥＳ!')).toEqual(['navier', 'stokes', 'naive', 'bayes'])
  })

  it('counts repeated tokens', () => {
    const counts = termCounts('熵 熵 entropy Entropy')
    expect(counts.get('熵')).toBe(2)
    expect(counts.get('entropy')).toBe(2)
  })

  it('puts every word that shares its first two letters into one bucket (a prefix reads one shard)', () => {
    expect(bucketOf('convergence')).toBe(bucketOf('co'))
    expect(bucketOf('converges')).toBe(bucketOf('converg'))
    expect(bucketOf('量子')).not.toBe(bucketOf('量'))
  })
})

describe('query parsing', () => {
  it('turns words into prefix terms through a light stemmer', () => {
    expect(parseQuery('convergence')).toEqual([{ kind: 'word', word: 'convergence', prefix: 'converg' }])
    expect(parseQuery('converges')[0]).toMatchObject({ prefix: 'converg' })
    expect(parseQuery('converg')[0]).toMatchObject({ prefix: 'converg' })
    expect(stem('eigenvalues')).toBe('eigenvalu')
    expect(stem('probability')).toBe('probabil')
    // Short words keep their letters.
    expect(stem('gas')).toBe('gas')
  })

  it('turns a CJK run into its bigrams, and a single character into itself', () => {
    expect(parseQuery('量子力学')).toEqual([
      { kind: 'cjk', token: '量子' },
      { kind: 'cjk', token: '子力' },
      { kind: 'cjk', token: '力学' },
    ])
    expect(parseQuery('熵')).toEqual([{ kind: 'cjk', token: '熵' }])
  })

  it('handles mixed queries, drops one-letter words and duplicates, caps the number of terms', () => {
    expect(parseQuery('softmax 温度 a softmax')).toEqual([
      { kind: 'word', word: 'softmax', prefix: 'softmax' },
      { kind: 'cjk', token: '温度' },
    ])
    expect(parseQuery('!!! ?')).toEqual([])
    expect(parseQuery('aa bb cc dd ee ff gg hh ii jj')).toHaveLength(8)
  })
})

describe('postings', () => {
  it('round-trip through their compact encoding', () => {
    const entries: [number, number][] = [
      [0, 5],
      [3, 400],
      [1000, 2],
    ]
    const back: [number, number][] = []
    decodePostings(encodePostings(entries), (d, v) => back.push([d, v]))
    expect(back).toEqual(entries)
  })

  it('score a title match above any body frequency', () => {
    const titleOnly = postingScore(postingValue(0, 100, 100, IN_TITLE))
    const bodyHeavy = postingScore(postingValue(1000, 10, 100, 0))
    expect(titleOnly).toBeGreaterThan(bodyHeavy)
  })
})

describe('plain text of a rendered post', () => {
  it('keeps TeX sources of formulas, never KaTeX glyphs; drops heading anchors; decodes entities', () => {
    const html = renderPost('# 标题\n\n能量 $E=mc^2$ 与 `<script>` 和 &amp;。\n\n$$\n\\int_0^1 x\\,dx\n$$\n', undefined, {}).html
    expect(html).toContain('katex-html')
    const text = plainText(html)
    expect(text).toContain('E=mc^2')
    expect(text).toContain('\\int_0^1 x\\,dx')
    expect(text).toContain('<script>')
    expect(text).toContain('&')
    expect(text).not.toContain('#')
    // Glyphs of the typeset formula (KaTeX writes "∫" in its HTML and MathML) are not text.
    expect(text).not.toContain('∫')
    expect(text.match(/E=mc\^2/g)).toHaveLength(1)
  })

  it("cuts each formula's glyphs at their own end: the text after it stays, in order", () => {
    const html = renderPost(
      '前 $\\frac{a}{b}$ 中 $\\sqrt{x^2}$ 后\n\n$$\n\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}\n$$\n\n末尾。\n',
      undefined,
      {},
    ).html
    const text = plainText(html)
    expect(text.replace(/\s+/g, ' ')).toBe('前 \\frac{a}{b} 中 \\sqrt{x^2} 后 \\begin{pmatrix}1&2\\\\3&4\\end{pmatrix} 末尾。')
  })

  it('leaves glyph spans whose end is missing to the parser, and cuts closed ones whole', () => {
    const open = '<span class="katex-html" aria-hidden="true"><span>x</span>'
    // Unclosed: the parser skips it until the paragraph ends.
    expect(plainText(`<p>a ${open} b</p><p>c</p>`)).toBe('a\nc')
    expect(plainText(`<p>a ${open}`)).toBe('a')
    // Closed after a nested span: what follows is text again.
    expect(plainText(`<p>a</p>${open}<span>y</span></span> z <p>b</p>`)).toBe('a\nz\nb')
  })
})

describe('snippets', () => {
  it('escape the text and mark the matches', () => {
    const html = snippet('The tag <script>alert(1)</script> converges & stays text.', parseQuery('converge script'))
    expect(html).toContain('&lt;<mark>script</mark>&gt;')
    expect(html).toContain('<mark>converges</mark>')
    expect(html).toContain('&amp;')
    expect(html).not.toContain('<script')
  })

  it('mark the characters of CJK bigram matches and cut long text around the matches', () => {
    const text = '前言。'.repeat(200) + '这里讨论量子力学的基本假设。' + '后记。'.repeat(200)
    const html = snippet(text, parseQuery('量子力学'))
    expect(html).toContain('<mark>量子力学</mark>')
    expect(html.startsWith('…')).toBe(true)
    expect(html.endsWith('…')).toBe(true)
    expect(html.replace(/<\/?mark>/g, '').length).toBeLessThan(260)
  })

  it('find matches that only normalisation reveals, and highlight titles', () => {
    expect(snippet('Un café crème.', parseQuery('cafe'))).toContain('<mark>café</mark>')
    expect(highlight('Escaping <b> in HTML', parseQuery('html'))).toBe('Escaping &lt;b&gt; in <mark>HTML</mark>')
  })
})

describe('the text a post is indexed by', () => {
  it('leaves out what the page shows only to screen readers and its own controls', () => {
    const html = renderMarkdown('## 小节\n\n正文[^1]。\n\n[^1]: 注释内容', 'post', {
      footnoteLabels: { heading: '脚注', back: '返回正文' },
    }).html
    const text = plainText(html)
    expect(text).toContain('正文')
    expect(text).toContain('注释内容')
    expect(text).not.toContain('脚注')
    expect(text).not.toContain('#')
  })
})
