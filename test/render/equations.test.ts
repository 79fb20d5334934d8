import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../src/render/render-markdown'
import { renderComment } from '../../src/render/render-comment'
import { renderPost } from '../../src/render/render-post'
import { texToText } from '../../src/render/tex-text'
import { parseHtml } from '../html'

/** The equation numbers shown, in order, as text (KaTeX renders `\tag{n}` as "(n)"). */
function tags(html: string): string[] {
  const page = parseHtml(html)
  return page.byClass('katex-tag').flatMap(
    (e) =>
      page
        .text(e)
        .replace(/[\s\u200b]+/g, '')
        .match(/\([^()]*\)/g) ?? [],
  )
}

function ids(html: string): string[] {
  const page = parseHtml(html)
  return page.byClass('eq-anchor').map((e) => page.attr(e, 'id')!)
}

describe('display math environments', () => {
  it('typesets bare environments written as their own block', () => {
    const envs = [
      '\\begin{equation}\na = b\n\\end{equation}',
      '\\begin{equation*}\na = b\n\\end{equation*}',
      '\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}',
      '\\begin{align*}\na &= b\n\\end{align*}',
      '\\begin{gather}\na \\\\\nb\n\\end{gather}',
      '\\begin{multline}\na + b + c \\\\\n+ d + e\n\\end{multline}',
      '\\begin{cases}\n1 & x > 0 \\\\\n0 & x \\le 0\n\\end{cases}',
      '\\begin{pmatrix}\n1 & 2 \\\\\n3 & 4\n\\end{pmatrix}',
      '\\begin{bmatrix}\n1 & 0 \\\\\n0 & 1\n\\end{bmatrix}',
      '\\begin{matrix}\na & b\n\\end{matrix}',
      '\\begin{array}{cc}\n1 & 2\n\\end{array}',
    ]
    for (const env of envs) {
      const { html, mathErrors } = renderMarkdown(`前文。\n\n${env}\n\n后文。`, 'post')
      expect(mathErrors, env).toBe(0)
      const page = parseHtml(html)
      expect(page.byClass('katex-display'), env).toHaveLength(1)
      expect(page.text(page.tags('p')[0]!)).toBe('前文。')
      expect(html).toContain('后文。')
    }
  })

  it('accepts \\[ \\] and \\( \\) delimiters', () => {
    const { html, mathErrors } = renderMarkdown('行内\\(x^2\\)公式。\n\n\\[\n\\int_0^1 f\n\\]', 'post')
    expect(mathErrors).toBe(0)
    expect(parseHtml(html).byClass('katex')).toHaveLength(2)
    expect(parseHtml(html).byClass('katex-display')).toHaveLength(1)
  })
})

describe('AMS numbering', () => {
  const post = `
\\begin{equation}
E = mc^2 \\label{eq:energy}
\\end{equation}

由\\eqref{eq:energy}与$\\eqref{eq:second}$可知……见第\\ref{eq:row2}行。

$$
\\begin{align}
a &= b \\label{eq:row1} \\\\
c &= d \\nonumber \\\\
e &= f \\label{eq:row2}
\\end{align}
$$

$$x = 1 \\tag{★} \\label{eq:star}$$

$$y = 2$$

\\begin{equation*}
z = 3
\\end{equation*}

\\begin{gather}
p \\\\
q \\label{eq:second}
\\end{gather}

\\begin{multline}
a + b + c \\\\
+ d \\label{eq:long}
\\end{multline}

引用\\eqref{eq:star}、\\eqref{eq:long}和不存在的\\eqref{eq:missing}。
`
  it('numbers numbered environments in order with explicit tags, custom tags kept, starred and plain displays unnumbered', () => {
    const { html, mathErrors } = renderMarkdown(post, 'post')
    expect(mathErrors).toBe(0)
    expect(tags(html)).toEqual(['(1)', '(2)', '(3)', '(★)', '(4)', '(5)', '(6)'])
    // Numbers are text in the output: none of KaTeX's CSS-counter placeholders are left.
    expect(parseHtml(html).byClass('eqn-num')).toHaveLength(0)
  })

  it('puts anchors before each numbered formula and turns references into links, forward ones too', () => {
    const { html } = renderMarkdown(post, 'post')
    expect(ids(html)).toEqual([
      'eq-1',
      'eq-eq:energy',
      'eq-2',
      'eq-eq:row1',
      'eq-3',
      'eq-eq:row2',
      'eq-eq:star',
      'eq-4',
      'eq-5',
      'eq-eq:second',
      'eq-6',
      'eq-eq:long',
    ])
    const page = parseHtml(html)
    const links = page.tags('a').filter((a) => (page.attr(a, 'href') ?? '').startsWith('#eq-'))
    const pairs = links.map((a) => [page.attr(a, 'href'), page.text(a).replace(/\s+/g, '')])
    expect(pairs).toContainEqual(['#eq-eq:energy', '(1)'])
    expect(pairs).toContainEqual(['#eq-eq:second', '(5)'])
    expect(pairs).toContainEqual(['#eq-eq:row2', '3'])
    expect(pairs).toContainEqual(['#eq-eq:star', '(★)'])
    expect(pairs).toContainEqual(['#eq-eq:long', '(6)'])
    expect(page.text(page.byClass('eqref-missing')[0]!)).toBe('(??)')
    // Inside KaTeX's aria-hidden visual part a link is out of the tab order (axe: aria-hidden-focus);
    // references in prose stay ordinary links.
    const hidden = page.byClass('katex-html').flatMap((h) => page.tags('a').filter((a) => within(a, h)))
    expect(hidden.length).toBeGreaterThan(0)
    for (const a of hidden) expect(page.attr(a, 'tabindex')).toBe('-1')
    const prose = page.byClass('eqref').filter((a) => a.name === 'a')
    for (const a of prose) expect(page.attr(a, 'tabindex')).toBeUndefined()
  })

  it('shows the same numbers in the excerpt, including references to equations after it', () => {
    const rendered = renderPost('$$a \\label{x}$$\n\n见\\eqref{y}。\n\n<!--more-->\n\n$$b \\label{y}$$', undefined)
    expect(tags(rendered.excerptHtml)).toEqual(['(1)'])
    expect(rendered.excerptHtml).toContain('href="#eq-y"')
    expect(parseHtml(rendered.excerptHtml).text(parseHtml(rendered.excerptHtml).byClass('eqref')[0]!)).toBe('(2)')
    expect(tags(rendered.html)).toEqual(['(1)', '(2)'])
  })

  it('typesets a TeX tag in a prose reference', () => {
    const { html, mathErrors } = renderMarkdown('$$x \\tag{$\\star$} \\label{s}$$\n\n见\\eqref{s}与$\\eqref{s}$。', 'post')
    expect(mathErrors).toBe(0)
    const page = parseHtml(html)
    const ref = page.byClass('eqref')[0]!
    // The visible part (not the MathML annotation, which keeps the source) shows the symbol.
    const visible = page.byClass('katex-html').filter((e) => page.text(ref).includes(page.text(e)))
    expect(visible.map((e) => page.text(e))).toContain('⋆')
    expect(parseHtml(html).byClass('katex').length).toBe(3)
  })

  it('does not number comments, and shows references there as (??) rather than errors', () => {
    const { html, mathErrors } = renderMarkdown('$$\\begin{equation} a \\end{equation}$$\n\n见$\\eqref{x}$', 'comment')
    expect(mathErrors).toBe(0)
    expect(html).not.toContain('href="#eq-')
    expect(html).toContain('(??)')
    // A \label copied from a post is dropped there, not an error.
    const labelled = renderMarkdown('$$E = mc^2 \\label{eq:e}$$ 和 $x \\label {a}$', 'comment')
    expect(labelled.mathErrors).toBe(0)
    expect(labelled.html).not.toContain('eq:e')
  })

  it('keeps the TeX the author wrote in the MathML annotation (what copy-tex copies) and in a failed formula, not the numbering’s rewriting', () => {
    const annotations = (html: string) =>
      [...html.matchAll(/<annotation encoding="application\/x-tex">([^<]*)<\/annotation>/g)].map((m) => m[1])
    const { html } = renderMarkdown(
      [
        '$$\\begin{align} a &= b \\label{eq:ab} \\\\ c &= d \\end{align}$$',
        '$$\\begin{empheq}[left=\\empheqlbrace]{align} x &= 1 \\\\ y &= 2 \\end{empheq}$$',
        '$$\\definecolor{mine}{HTML}{FF0000}\\color{mine} x + \\eqref{eq:ab}$$',
        '$$\\begin{array}{cc} \\rowcolor{yellow} a & b \\end{array}$$',
        '$\\require{physics} \\qty(\\frac{a}{b})^2$ and $a \\lt b$',
      ].join('\n\n'),
      'post',
    )
    expect(tags(html)).toEqual(['(1)', '(2)', '(3)', '(4)'])
    expect(annotations(html)).toEqual([
      '\\begin{align} a &amp;= b \\label{eq:ab} \\\\ c &amp;= d \\end{align}',
      '\\begin{empheq}[left=\\empheqlbrace]{align} x &amp;= 1 \\\\ y &amp;= 2 \\end{empheq}',
      '\\definecolor{mine}{HTML}{FF0000}\\color{mine} x + \\eqref{eq:ab}',
      '\\begin{array}{cc} \\rowcolor{yellow} a &amp; b \\end{array}',
      '\\require{physics} \\qty(\\frac{a}{b})^2',
      'a \\lt b',
    ])
    // A numbered formula that fails shows what was written, not \begin{align*} … \tag{1}.
    const failed = parseHtml(renderMarkdown('$$\\begin{align} a &= \\frac{b \\end{align}$$', 'post').html)
    expect(failed.text(failed.byClass('math-error')[0]!)).toBe('\\begin{align} a &= \\frac{b \\end{align}')
  })

  it('lets only equation links through KaTeX trust; other \\href stays refused in posts', () => {
    const { html } = renderMarkdown('$\\href{javascript:alert(1)}{x}$ $\\href{https://evil.example}{y}$ $\\href{#eq-1}{z}$', 'post')
    const hrefs = parseHtml(html)
      .tags('a')
      .map((a) => parseHtml(html).attr(a, 'href'))
    expect(hrefs).toEqual(['#eq-1'])
  })
})

describe('\\intertext in an alignment', () => {
  it('puts its text between two pieces of the environment, numbering only the formula rows, in posts and comments', () => {
    const md = [
      "$$\n\\begin{align}\nf(x) &= \\sum_n a_n x^n \\label{series} \\\\\n\\intertext{由 $a_n = 1/n!$ 得}\nf(x) &= e^x \\\\\nf'(x) &= f(x) \\notag\n\\end{align}\n$$",
      '由 \\eqref{series} 和 $$\\begin{align*} p &= q \\\\ \\intertext{所以} r &= s \\end{align*}$$ 可知。',
      '$$\n\\begin{gather}\na \\\\ \\intertext{and} b\n\\end{gather}\n$$',
    ].join('\n\n')
    const { html, mathErrors } = renderMarkdown(md, 'post')
    expect(mathErrors).toBe(0)
    expect(tags(html)).toEqual(['(1)', '(2)', '(3)', '(4)'])
    expect(ids(html)).toEqual(['eq-1', 'eq-series', 'eq-2', 'eq-3', 'eq-4'])
    const page = parseHtml(html)
    const texts = page.byClass('math-intertext')
    expect(texts.map((e) => page.text(page.tags('annotation').find((a) => within(a, e))!))).toEqual([
      '\\text{由 $a_n = 1/n!$ 得}',
      '\\text{所以}',
      '\\text{and}',
    ])
    // The pieces share their columns through an invisible last row (test/e2e/theme.test.ts measures
    // them in Chromium), which the TeX annotation (what copy-tex copies) leaves out.
    expect(html.split('math-intertext')[0]).toMatch(/<mphantom>/)
    expect(html).not.toContain('[-1.5em]')
    expect(page.text(page.tags('annotation')[0]!)).toMatch(/\\tag\{1\}\s*\\end\{align\*\}$/)
    // Each text sits between the two pieces of its formula, inside the formula's box.
    const first = page.byClass('math-display')[0]!
    expect(page.byClass('katex-display').filter((d) => within(d, first))).toHaveLength(2)
    expect(within(texts[0]!, first)).toBe(true)
    // A reader's comment has it too (unnumbered).
    const comment = parseHtml(renderComment('$$\\begin{align} a&=b \\\\ \\intertext{so} c&=d \\end{align}$$').html)
    expect(comment.byClass('math-intertext')).toHaveLength(1)
    expect(comment.byClass('math-error')).toHaveLength(0)
    // An error in any piece is the whole formula's, shown as its source; plain text reads the words.
    const bad = renderMarkdown('$$\n\\begin{align} a &= \\frac{1} \\\\ \\intertext{so} b \\end{align}\n$$', 'post')
    expect(bad.mathErrors).toBe(1)
    expect(parseHtml(bad.html).byClass('math-intertext')).toHaveLength(0)
    expect(texToText('$\\begin{align*} a &= b \\\\ \\intertext{所以} c &= d \\end{align*}$')).toBe('a = b 所以 c = d')
  })
})

/**
 * The offsets of an array column's rows in KaTeX's layout: KaTeX places an array's rows at offsets
 * (top:…) in a column's vlist, each on a strut of the array's height (a formula inside a row has
 * vlists of its own, on other struts).
 */
function rowOffsets(column: string): string[] {
  const all = [...column.matchAll(/<span style="top:(-?[\d.]+)em;"><span class="pstrut" style="height:([\d.]+)em;">/g)]
  return all.filter((m) => m[2] === all[0]?.[2]).map((m) => m[1]!)
}

describe("the cases package's numcases and subnumcases", () => {
  it('numbers every row (subnumcases: 5a, 5b) in the document order, with labels, \\nonumber and a text column', () => {
    const md = [
      '$$\na = b\n\\tag{T}\n$$',
      '$$\n\\begin{equation} x \\end{equation}\n$$',
      '$$\n\\begin{numcases}{f(x)=}\nx^2 & if $x \\ge 0$ \\label{pos} \\\\\n\\frac{-x}{2} & 否则 \\\\[6pt]\n\\int_0^x t\\,dt & never \\nonumber \\\\\n0 & last\n\\end{numcases}\n$$',
      '$$\n\\begin{subnumcases}{|x| =}\nx & $x \\ge 0$ \\label{abs} \\\\\n-x & $x < 0$\n\\end{subnumcases}\n$$',
      '$$\n\\begin{equation} y \\end{equation}\n$$',
      '见 \\eqref{pos} 与 \\eqref{abs}。',
    ].join('\n\n')
    const { html, mathErrors } = renderMarkdown(md, 'post')
    expect(mathErrors).toBe(0)
    expect(tags(html)).toEqual(['(T)', '(1)', '(2)', '(3)', '(4)', '(5a)', '(5b)', '(6)'])
    expect(ids(html)).toEqual(['eq-1', 'eq-2', 'eq-pos', 'eq-3', 'eq-4', 'eq-5a', 'eq-abs', 'eq-5b', 'eq-6'])
    const page = parseHtml(html)
    expect(page.byClass('eqref').map((a) => [page.attr(a, 'href'), page.text(a)])).toEqual([
      ['#eq-pos', '(2)'],
      ['#eq-abs', '(5a)'],
    ])
    const mathml = html.split('<div class="math-display" tabindex="0">')[3]!.split('<annotation')[0]!
    // The left side, one brace for all the rows, the second column as text with its own formulas.
    expect(mathml).toMatch(
      /<mi>f<\/mi><mo stretchy="false">\(<\/mo><mi>x<\/mi><mo stretchy="false">\)<\/mo><mo>=<\/mo><\/mrow><mrow><mo fence="true">\{<\/mo><mtable/,
    )
    expect(mathml).toMatch(/<mtext>if\u00a0<\/mtext><mstyle[^>]*><mi>x<\/mi><mo>≥<\/mo><mn>0<\/mn><\/mstyle>/)
    expect(mathml).toContain('<mtext>否则</mtext>')
    // The numbers are one array in the formula's tag, a row for each row of the cases (the third without one).
    const numbers = mathml.slice(mathml.lastIndexOf('<mtable rowspacing="0.36em" columnalign="right"'))
    expect([...numbers.matchAll(/<mtr>/g)]).toHaveLength(4)
    expect([...numbers.matchAll(/<mtext>\((\d)\)<\/mtext>/g)].map((m) => m[1])).toEqual(['2', '3', '4'])
  })

  it('lines each number up with its row: both arrays have the same row heights', () => {
    const { html, mathErrors } = renderMarkdown(
      '$$\n\\begin{numcases}{g=}\n\\dfrac{1}{2} & a \\\\[6pt]\n\\displaystyle\\int_0^1 f & b \\\\\n0 & c\n\\end{numcases}\n$$',
      'post',
    )
    expect(mathErrors).toBe(0)
    const visual = html.split('katex-html')[1]!
    const [cases, tag] = visual.split('katex-tag') as [string, string]
    // The cases' text column (a, b, c), and the numbers' column.
    const text = rowOffsets(cases.split('col-align-l')[2]!)
    expect(text).toHaveLength(3)
    expect(rowOffsets(tag.split('col-align-r')[1]!)).toEqual(text)
    // The numbers' arraystretch stays theirs: an array after them is as it is alone.
    const array = '$$\n\\begin{array}{c} x \\\\ y \\end{array}\n$$'
    const after = renderMarkdown(`$$\n\\begin{numcases}{g=} 1 & a \\\\ 2 & b \\end{numcases}\n$$\n\n${array}`, 'post').html
    expect(after.split('<div class="math-display" tabindex="0">')[2]).toBe(
      renderMarkdown(array, 'post').html.split('<div class="math-display" tabindex="0">')[1],
    )
  })

  it('has no numbers in a comment or an inline formula, and reads as text', () => {
    const comment = renderComment('$$\\begin{numcases}{f=} 1 & if $x>0$ \\label{c} \\\\ 0 & else \\end{numcases}$$')
    expect(comment.html).not.toContain('math-error')
    expect(tags(comment.html)).toEqual([])
    expect(comment.html).toContain('<mtext>if\u00a0</mtext>')
    const inline = renderMarkdown('文字 $\\begin{numcases}{s=} 1 & a \\end{numcases}$ 文字', 'post')
    expect(inline.mathErrors).toBe(0)
    expect(tags(inline.html)).toEqual([])
    expect(texToText('$$\\begin{numcases}{f(x)=} 1 & if $x>0$ \\\\ 0 & else \\end{numcases}$$')).toBe('f(x)= 1 & if x>0 0 & else')
  })
})

describe("the empheq package's environment", () => {
  it('sets the inner environment with its side material and a delimiter grown to it, and numbers its rows', () => {
    const md = [
      '$$\n\\begin{equation} a \\end{equation}\n$$',
      '$$\n\\begin{empheq}[left=\\empheqlbrace]{align}\nx + y &= 1 \\label{sys} \\\\\n\\frac{x}{2} - y &= 0 \\nonumber \\\\\nz &= 2\n\\end{empheq}\n$$',
      '$$\n\\begin{empheq}[left={L=\\empheqlbrace}, right=\\empheqrbrace]{align*}\na &= 1 \\\\ b &= 2\n\\end{empheq}\n$$',
      '$$\n\\begin{empheq}[right=\\empheqrbrack]{gather}\nE = mc^2 \\\\ F = ma\n\\end{empheq}\n$$',
      '$$\n\\begin{empheq}[left=\\text{组}\\empheqlbrace]{multline}\nx \\\\ y\n\\end{empheq}\n$$',
      '见 \\eqref{sys}。',
    ].join('\n\n')
    const { html, mathErrors } = renderMarkdown(md, 'post')
    expect(mathErrors).toBe(0)
    expect(tags(html)).toEqual(['(1)', '(2)', '(3)', '(4)', '(5)', '(6)'])
    expect(ids(html)).toEqual(['eq-1', 'eq-2', 'eq-sys', 'eq-3', 'eq-4', 'eq-5', 'eq-6'])
    const page = parseHtml(html)
    expect(page.byClass('eqref').map((a) => [page.attr(a, 'href'), page.text(a)])).toEqual([['#eq-sys', '(2)']])
    const display = (n: number) => html.split('<div class="math-display" tabindex="0">')[n]!.split('<annotation')[0]!
    // One brace grown to all the rows, before the alignment; the numbers' array a row for each row.
    expect(display(2)).toMatch(/<mo fence="true">\{<\/mo><mtable rowspacing="0.25em" columnalign="right left"/)
    expect([...display(2).matchAll(/<mtext>\((\d)\)<\/mtext>/g)].map((m) => m[1])).toEqual(['2', '3'])
    // The material on both sides, and no numbers in the starred form.
    expect(display(3)).toMatch(/<mi>L<\/mi><mo>=<\/mo><\/mrow><mrow><mo fence="true">\{<\/mo>[\s\S]*<mo fence="true">\}<\/mo>/)
    expect(display(3)).not.toContain('<mtext>(')
    expect(display(4)).toMatch(/<mo fence="true">]<\/mo>/)
    // multline: one number, on its last row.
    expect([...display(5).matchAll(/<mtext>\((\d)\)<\/mtext>/g)].map((m) => m[1])).toEqual(['6'])
  })

  it('lines each number up with its row: the numbers are an alignment of the same kind', () => {
    const { html, mathErrors } = renderMarkdown(
      '$$\n\\begin{empheq}[left=\\empheqlbrace]{align}\n\\dfrac{1}{2} &= a \\\\[6pt]\n\\displaystyle\\int_0^1 f &= b \\nonumber \\\\\n0 &= \\sum_{k=1}^n k\n\\end{empheq}\n$$',
      'post',
    )
    expect(mathErrors).toBe(0)
    const visual = html.split('katex-html')[1]!
    const [body, tag] = visual.split('katex-tag') as [string, string]
    // The alignment's left-aligned column (= a, = b, = Σ), and the numbers' column.
    const right = rowOffsets(body.split('col-align-l')[1]!)
    expect(right).toHaveLength(3)
    expect(rowOffsets(tag.split('col-align-r')[1]!)).toEqual(right)
  })

  it('has no numbers in a comment, and its delimiters alone are characters', () => {
    const comment = renderComment('$$\\begin{empheq}[left=\\empheqlbrace]{align} x &= 1 \\label{c} \\\\ y &= 2 \\end{empheq}$$')
    expect(comment.html).not.toContain('math-error')
    expect(tags(comment.html)).toEqual([])
    expect(comment.html).toMatch(/<mo fence="true">\{<\/mo><mtable/)
    const alone = renderMarkdown('$\\empheqlbrace x \\empheqrbrace + \\empheqlangle y \\empheqrangle$', 'post')
    expect(alone.mathErrors).toBe(0)
    expect(alone.html).toMatch(/<mo stretchy="false">\{<\/mo><mi>x<\/mi><mo stretchy="false">\}<\/mo>/)
    expect(texToText('$$\\begin{empheq}[left={L=\\empheqlbrace}]{align} x &= 1 \\\\ y &= 2 \\end{empheq}$$')).toBe('L={ x = 1 y = 2')
    // An environment empheq does not take stays an error, as in MathJax.
    expect(renderMarkdown('$$\n\\begin{empheq}{cases} a \\end{empheq}\n$$', 'post').mathErrors).toBe(1)
  })
})

describe('macros', () => {
  it("keeps a post's \\newcommand and \\def for the rest of that post only", () => {
    const first = renderMarkdown(
      '$\\newcommand{\\KL}{D_{\\mathrm{KL}}}$ 然后 $\\KL(p\\|q)$ 和 $\\def\\E{\\mathbb{E}} \\E[X]$ 再 $\\E[Y]$',
      'post',
    )
    expect(first.mathErrors).toBe(0)
    const other = renderMarkdown('$\\KL(p\\|q)$', 'post')
    expect(other.mathErrors).toBe(1)
  })

  it('lets \\newcommand redefine a KaTeX built-in, as MathJax does, and ignores \\require', () => {
    const { html, mathErrors } = renderMarkdown('$\\newcommand{\\R}{\\mathcal{R}}\\require{cancel} \\R$', 'post')
    expect(mathErrors).toBe(0)
    expect(html).toContain('mathcal')
  })

  it('applies site-wide macros to posts and comments', () => {
    for (const mode of ['post', 'comment'] as const) {
      const { mathErrors } = renderMarkdown('$\\vect{x} \\cdot \\vect{y}$', mode, { macros: { '\\vect': '\\boldsymbol{#1}' } })
      expect(mathErrors).toBe(0)
    }
    expect(renderMarkdown('$\\vect{x}$', 'post').mathErrors).toBe(1)
  })
})

describe('math that markdown must not corrupt', () => {
  it('keeps | and \\| inside formulas in table cells', () => {
    const { html, mathErrors } = renderMarkdown(
      '| 量 | 公式 |\n|---|---|\n| 范数 | $\\|x\\|_2$ |\n| 绝对值 | $|x|$ |\n| 条件 | $p(a|b)$ |',
      'post',
    )
    expect(mathErrors).toBe(0)
    const page = parseHtml(html)
    expect(page.tags('tr')).toHaveLength(4)
    expect(page.tags('td')).toHaveLength(6)
    expect(page.byClass('katex')).toHaveLength(3)
  })

  it('leaves | alone outside tables and inside code', () => {
    const { html } = renderMarkdown('$|x|$ 不在表格里。\n\n```\n| a | $|b|$ |\n|---|---|\n```', 'post')
    expect(
      parseHtml(html)
        .tags('annotation')
        .map((a) => parseHtml(html).text(a)),
    ).toEqual(['|x|'])
    expect(html).toContain('$|b|$')
  })

  it('gives feeds MathML only', () => {
    const { html, mathErrors } = renderMarkdown('$x^2$ 与\n\n$$\\sum_i a_i$$', 'post', { mathOutput: 'mathml' })
    expect(mathErrors).toBe(0)
    expect(html).toContain('<math')
    expect(html).not.toContain('katex-html')
  })
})

describe('display math inside a paragraph', () => {
  it('stays inside the paragraph (a span, never a div in a p)', () => {
    const { html } = renderMarkdown('前文 $$\\sum_i x_i$$ 后文', 'post')
    expect(html).not.toMatch(/<p>[^]*<div/)
    const page = parseHtml(html)
    const p = page.tags('p')
    expect(p).toHaveLength(1)
    expect(page.text(p[0]!)).toContain('后文')
    expect(page.byClass('katex-display')).toHaveLength(1)
  })
})

function within(node: { parent: unknown }, ancestor: unknown): boolean {
  for (let p = node.parent as { parent: unknown } | null; p; p = p.parent as { parent: unknown } | null) if (p === ancestor) return true
  return false
}
