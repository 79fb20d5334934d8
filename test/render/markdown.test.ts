import { describe, expect, it } from 'vitest'
import { renderComment } from '../../src/render/render-comment'
import { renderMarkdown } from '../../src/render/render-markdown'
import { renderPost } from '../../src/render/render-post'
import { texToText } from '../../src/render/tex-text'
import { parseHtml } from '../html'

const katexCount = (html: string) => parseHtml(html).byClass('katex').length

describe('math in markdown', () => {
  it('typesets inline math next to CJK text and display math as a block', () => {
    const { html, mathErrors } = renderMarkdown('设$x_i>0$，则\n\n$$\n\\sum_{i=1}^n x_i \\geq n\\sqrt[n]{\\prod_{i=1}^n x_i}\n$$\n', 'post')
    expect(mathErrors).toBe(0)
    expect(katexCount(html)).toBe(2)
    const page = parseHtml(html)
    expect(page.byClass('math-display')).toHaveLength(1)
    expect(page.byClass('katex-display')).toHaveLength(1)
    expect(html).toContain('设')
  })

  it('keeps underscores, asterisks, backslashes and braces inside math away from markdown', () => {
    const { html, mathErrors } = renderMarkdown(
      'See $a_1 * b_2 * c_3$ and *real emphasis* and $\\{x \\mid x_1 < x_2\\}$.\n\n$$\n\\begin{aligned} a &= b_1 \\\\ c &= d_2 \\end{aligned}\n$$',
      'post',
    )
    expect(mathErrors).toBe(0)
    const page = parseHtml(html)
    expect(page.tags('em').map((e) => page.text(e))).toEqual(['real emphasis'])
    // The annotation keeps the exact TeX source KaTeX received.
    const sources = page.tags('annotation').map((e) => page.text(e))
    expect(sources).toContain('a_1 * b_2 * c_3')
    expect(sources).toContain('\\{x \\mid x_1 < x_2\\}')
    expect(sources.some((s) => s.includes('a &= b_1 \\\\ c &= d_2'))).toBe(true)
  })

  it('takes a $ inside braces in an inline formula, as MathJax does: $…$, \\(…\\), $$…$$ in a line, display math (README)', () => {
    for (const md of [
      '分段 $f(x)=\\cases{1 & 若 $x>0$ \\cr 0 & 其他}$ 完',
      '文字 $\\text{当 $x>0$ 时，$y$ 取 $1$}$ 文字',
      '分段 \\(f(x)=\\cases{1 & 若 $x>0$ \\cr 0 & 其他}\\) 完',
      '文字 \\(\\text{当 $x>0$ 时}\\) 文字',
      '行内 $$\\text{当 $x>0$ 时}$$ 行内',
      '$$\n\\text{当 $x>0$ 时}\n$$',
    ]) {
      for (const html of [renderMarkdown(md, 'post').html, renderComment(md).html]) {
        const page = parseHtml(html)
        expect(page.byClass('math-error'), md).toHaveLength(0)
        expect(katexCount(html), md).toBe(1)
        expect(page.text(page.tags('annotation')[0]!), md).toContain('$x>0$')
        // No delimiter is left showing.
        expect(html.replace(/<annotation[\s\S]*?<\/annotation>/g, '').replace(/<[^>]+>/g, ''), md).not.toContain('$')
      }
    }
    // The dollars of two formulas side by side are still two formulas; a } alone does not count.
    const two = parseHtml(renderMarkdown('设 $a_{1}$ 与 $b\\}$ 和 ${c}$，价 $5。', 'post').html)
    expect(two.tags('annotation').map((a) => two.text(a))).toEqual(['a_{1}', 'b\\}', '{c}'])
    expect(two.text(two.tags('p')[0]!)).toContain('价 $5。')
    // Braces that never close leave the first $ to end the formula: an error the author sees, as before.
    const broken = renderMarkdown('Good $a+b$, bad $\\frac{1}{$ and $c$ after.', 'post')
    expect(broken.mathErrors).toBe(1)
    expect(
      parseHtml(broken.html)
        .tags('annotation')
        .map((a) => parseHtml(broken.html).text(a)),
    ).toEqual(['a+b', 'c'])
  })

  it('reads a formula with dollars in braces in a table cell, and as plain text', () => {
    const { html, mathErrors } = renderMarkdown('| 情形 | 值 |\n|---|---|\n| $\\text{若 $|x|<1$}$ | $\\|v\\|$ |', 'post')
    expect(mathErrors).toBe(0)
    const page = parseHtml(html)
    expect(page.tags('td')).toHaveLength(2)
    expect(page.byClass('katex')).toHaveLength(2)
    expect(texToText('当 $f(x)=\\text{若 $x>0$ 则 $1$}$ 时')).toBe('当 f(x)=若 x>0 则 1 时')
    expect(texToText('$\\cases{1 & 若 $x>0$ \\cr 0 & 其他}$；\\(\\text{当 $y$ 时}\\)')).toBe('1 & 若 x>0 0 & 其他；当 y 时')
    expect(texToText('价 $5 与 $x$')).toBe('价 $5 与 x')
  })

  it('reads a paragraph of 40,000 dollars in braces that close nothing as text, and still finds the formula after it', () => {
    // Each scan passes at most 16 dollars in braces before the brace-blind rule decides; without
    // that bound every one of the 40,000 dollars would scan to the end of the paragraph.
    const md = `x ${'{ $}'.repeat(40_000)} $y$`
    const { html, mathErrors } = renderMarkdown(md, 'post')
    expect(mathErrors).toBe(0)
    const page = parseHtml(html)
    expect(page.tags('annotation').map((a) => page.text(a))).toEqual(['y'])
    expect(page.text(page.tags('p')[0]!)).toContain('{ $}{ $}')
  })

  it('leaves prose dollars, escaped dollars and dollars in code alone', () => {
    const { html } = renderMarkdown(
      'A coffee costs $5 and a bag $18. Escaped: \\$x\\$. Code: `price = $5$`.\n\n```\nlet s = "$a$"\n```',
      'post',
    )
    expect(katexCount(html)).toBe(0)
    expect(html).toContain('$5 and a bag $18')
    expect(html).toContain('$x$')
    expect(html).toContain('price = $5$')
  })

  it('shows a formula that does not parse as its source, marked as an error, and renders the rest', () => {
    const { html, mathErrors } = renderMarkdown('Good $a+b$, bad $\\frac{1}{$ and after.', 'post')
    expect(mathErrors).toBe(1)
    expect(html).toContain('math-error')
    expect(html).toContain('and after.')
    expect(katexCount(html)).toBeGreaterThanOrEqual(1)
  })

  it('never throws on pathological formulas (deep nesting, huge expansion)', () => {
    const deep = '$' + '{'.repeat(5000) + 'x' + '}'.repeat(5000) + '$'
    const expand = '$\\def\\a{\\a\\a}\\a$'
    for (const src of [deep, expand, `$${'\\frac{1}{'.repeat(3000)}$`]) {
      const out = renderMarkdown(`before ${src} after`, 'comment')
      expect(out.html).toContain('after')
      expect(out.mathErrors).toBe(1)
    }
  })

  it('renders GFM tables, code blocks and lists', () => {
    const { html } = renderMarkdown('| a | $b$ |\n|---|---|\n| 1 | $x^2$ |\n\n```python\nprint(1 < 2)\n```\n\n- one\n- two', 'post')
    const page = parseHtml(html)
    expect(page.tags('table')).toHaveLength(1)
    expect(page.tags('td')).toHaveLength(2)
    expect(page.attr(page.tags('code')[0]!, 'class')).toBe('hljs language-python')
    expect(page.text(page.tags('code')[0]!)).toContain('print(1 < 2)')
    expect(page.tags('li')).toHaveLength(2)
  })

  it('makes every <pre> focusable, so a keyboard scrolls a long line: code blocks, the author’s own, a comment’s', () => {
    const post = parseHtml(
      renderMarkdown('```js\nlet x = 1\n```\n\n<pre tabindex="7" class="out">raw</pre>\n\nText with `<pre>` and &lt;pre&gt;.', 'post').html,
    )
    expect(post.tags('pre').map((p) => post.attr(p, 'tabindex'))).toEqual(['0', '0'])
    expect(post.text(post.tags('p').at(-1)!)).toBe('Text with <pre> and <pre>.')
    const comment = parseHtml(renderComment('```\ncode\n```').html)
    expect(comment.tags('pre').map((p) => comment.attr(p, 'tabindex'))).toEqual(['0'])
  })

  it('marks a \\colorbox or \\fcolorbox whose colour has an alpha channel (the dark theme leaves it alone), and no other', () => {
    const { html } = renderMarkdown(
      '$\\colorbox{#f59e0b40}{a}$ $\\fcolorbox{red}{#ff08}{b}$ $\\colorbox{yellow}{c}$ $\\colorbox{#abc}{d}$ $\\fcolorbox{#ff08}{#eef}{e}$',
      'post',
    )
    const boxes = parseHtml(html)
      .all()
      .filter((el) => /\bf?colorbox\b/.test(el.attribs['class'] ?? ''))
      .map((el) => el.attribs['class'])
    expect(boxes).toEqual([
      'katex-stretchy colorbox translucent',
      'katex-stretchy fcolorbox translucent',
      'katex-stretchy colorbox',
      'katex-stretchy colorbox',
      'katex-stretchy fcolorbox',
    ])
  })

  it('makes every display formula and table focusable, so a keyboard scrolls one wider than the column; inline formulas stay out of the tab order', () => {
    const source = [
      'Inline $x^2$ and a display inside a paragraph: $$\\sum_{k=1}^n k$$ then text.',
      '',
      '$$',
      'E = mc^2 \\label{eq:e}',
      '$$',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      '<table tabindex="-1"><tr><td>raw</td></tr></table>',
    ].join('\n')
    const post = parseHtml(renderMarkdown(source, 'post').html)
    const displays = post.byClass('math-display')
    expect(displays.map((d) => [d.name, post.attr(d, 'tabindex')])).toEqual([
      ['span', '0'],
      ['div', '0'],
    ])
    expect(post.tags('table').map((t) => post.attr(t, 'tabindex'))).toEqual(['0', '0'])
    // KaTeX's own boxes take no tab stop: only the scroll box does.
    expect(post.all().filter((el) => post.attr(el, 'tabindex') === '0')).toHaveLength(4)
    const comment = parseHtml(renderComment('$$\\int_0^1 x\\,dx$$\n\n| a |\n|---|\n| 1 |').html)
    expect(comment.byClass('math-display').map((d) => comment.attr(d, 'tabindex'))).toEqual(['0'])
    expect(comment.tags('table').map((t) => comment.attr(t, 'tabindex'))).toEqual(['0'])
  })
})

describe('comment excerpts', () => {
  it('show formulas readably (the recent-comments list, the moderation queue)', () => {
    expect(renderComment('请问 $\\gamma$ 是不是无理数？$e^{i\\pi}+1=0$，$\\alpha \\le \\beta$').excerpt).toBe(
      '请问 γ 是不是无理数？e^(iπ)+1=0，α ≤ β',
    )
    // Groups nested thousands deep stay as written instead of outrunning the stack.
    for (const open of ['{', '\\sqrt{', '_{']) {
      const c = renderComment('$' + open.repeat(3000) + '$')
      expect(c.excerpt.length).toBeLessThanOrEqual(80)
    }
  })
})

describe('posts', () => {
  it('gives every heading a unique anchor with a # link, CJK kept', () => {
    const post = renderPost('## 数学推导\n\ntext\n\n## 数学推导\n\n### Proof of $x^2$\n\n## cite', undefined)
    const page = parseHtml(post.html)
    const ids = page
      .tags('h2')
      .concat(page.tags('h3'))
      .map((h) => page.attr(h, 'id'))
    expect(ids).toEqual(['数学推导', '数学推导-1', 'cite-1', 'proof-of-x2'])
    expect(post.toc.map((h) => h.id)).toEqual(['数学推导', '数学推导-1', 'proof-of-x2', 'cite-1'])
    // The table of contents shows a heading's formula readably; its anchor stays the TeX's.
    expect(post.toc.map((h) => h.text)).toEqual(['数学推导', '数学推导', 'Proof of x²', 'cite'])
    const sqrt = renderPost('## 为什么是$\\sqrt{d}$', undefined)
    expect(sqrt.toc).toEqual([{ depth: 2, id: '为什么是sqrtd', text: '为什么是√d' }])
    // Headings that look like the page's own anchors get a prefix instead (and never loop).
    const reserved = renderPost('## Comment-1\n\n## eq-2\n\n## FN test\n\n## comments', undefined)
    expect(reserved.toc.map((h) => h.id)).toEqual(['h-comment-1', 'h-eq-2', 'h-fn-test', 'comments-1'])
    const anchors = page.byClass('heading-anchor').map((a) => page.attr(a, 'href'))
    expect(anchors).toContain('#数学推导-1')
  })

  it('caps a table-of-contents entry at 200 characters with an ellipsis (a heading of TeX nested thousands deep)', () => {
    const deep = '{'.repeat(3000) + 'x' + '}'.repeat(3000)
    const long = 'Long '.repeat(100).trim()
    const emoji = 'a'.repeat(199) + '😀'.repeat(5)
    const exact = 'b'.repeat(200)
    const post = renderPost(`## Deep $${deep}$\n\n## ${long}\n\n## ${emoji}\n\n## ${exact}\n\n## Short $\\sqrt{d}$`, undefined)
    const texts = post.toc.map((h) => h.text)
    for (const t of texts) expect([...t].length).toBeLessThanOrEqual(200)
    expect(texts[0]).toBe(`Deep ${deep}`.slice(0, 199) + '…')
    expect(texts[1]).toBe(long.slice(0, 199).trimEnd() + '…')
    // Characters, not UTF-16 units: the emoji after 199 letters is kept whole or dropped, never halved.
    expect(texts[2]).toBe('a'.repeat(199) + '…')
    expect(texts[2]).not.toMatch(/[\ud800-\udfff]/)
    expect(texts[3]).toBe(exact)
    expect(texts[4]).toBe('Short √d')
    // The heading itself and its anchor are as written (the anchor was always at most 80 characters).
    expect(post.html).toContain(`<h2 id="${'long-'.repeat(16)}`)
    expect(post.toc[0]!.id.length).toBeLessThanOrEqual(80)
  })

  it('takes the excerpt from the text before <!--more-->', () => {
    const post = renderPost('第一段，含$E=mc^2$。\n\n<!--more-->\n\n第二段不在摘要里。', undefined)
    expect(post.excerptHtml).toContain('第一段')
    expect(post.excerptHtml).toContain('class="katex"')
    expect(post.excerptHtml).not.toContain('第二段')
    expect(post.html).toContain('第二段')
    expect(post.html).not.toContain('more')
  })

  it('takes the excerpt from the first paragraphs when there is no marker or summary', () => {
    const long = '长'.repeat(300)
    const post = renderPost(`## 引言\n\n${long}\n\n第二段。`, undefined)
    expect(post.excerptHtml).toContain(long)
    expect(post.excerptHtml).not.toContain('第二段')
    expect(post.excerptHtml).not.toContain('<h2')
    expect(post.description.length).toBeLessThanOrEqual(160)
  })

  it('never halves a surrogate pair where it cuts the description', () => {
    // 158 letters, then emoji: the cut at 159 code units falls inside the first pair.
    const post = renderPost(`${'a'.repeat(158)}${'😀'.repeat(10)}`, undefined)
    // (Tested as a boolean: a failure message holding a lone surrogate would break the test runner's channel.)
    expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(post.description)).toBe(false)
    expect(post.description).toBe(`${'a'.repeat(158)}…`)
    const fits = renderPost(`${'a'.repeat(157)}${'😀'.repeat(10)}`, undefined)
    expect(fits.description).toBe(`${'a'.repeat(157)}😀…`)
  })

  it("never halves a surrogate pair where it cuts a comment's excerpt (最近评论)", () => {
    const { excerpt } = renderComment(`${'a'.repeat(78)}${'😀'.repeat(10)}`)
    expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(excerpt)).toBe(false)
    expect(excerpt).toBe(`${'a'.repeat(78)}…`)
    expect(renderComment(`${'a'.repeat(77)}${'😀'.repeat(10)}`).excerpt).toBe(`${'a'.repeat(77)}😀…`)
  })

  it('uses the summary as excerpt and description when given', () => {
    const post = renderPost('正文。', '关于$\\pi$的摘要')
    expect(post.excerptHtml).toContain('class="katex"')
    expect(post.description).toBe('关于$\\pi$的摘要')
  })

  it("keeps the author's raw HTML but strips scripts, handlers and unsafe URLs", () => {
    const post = renderPost(
      '<div class="note" onclick="x()">note</div>\n\n<script>alert(1)</script>\n\n[a](javascript:alert(1)) <a href="java&#x09;script:alert(1)">b</a> <img src=x onerror=alert(1)>\n\n<details><summary>s</summary>hidden</details>',
      undefined,
    )
    const page = parseHtml(post.html)
    expect(page.byClass('note')).toHaveLength(1)
    expect(page.tags('details')).toHaveLength(1)
    expect(post.html).not.toMatch(/<script|onclick|onerror|javascript:/i)
    expect(post.html).not.toContain('alert(1)</script>')
  })

  it('sizes an image with {width=… height=…} (its box is reserved before it loads) and leaves other braces alone', () => {
    const { html } = renderMarkdown(
      '![单摆](/images/p.svg "摆"){width=280 height=232}\n\n行内 ![a](/a.png){height=20}，后文 {width=3} 与 ![b](/b.png) {x=1}\n',
      'post',
    )
    const page = parseHtml(html)
    const [figureImg, inline, plain] = page.tags('img')
    expect(page.attr(figureImg!, 'width')).toBe('280')
    expect(page.attr(figureImg!, 'height')).toBe('232')
    // Still a figure: the attribute block is not left behind as text.
    expect(page.tags('figure')).toHaveLength(1)
    expect(page.text(page.tags('figcaption')[0]!)).toBe('摆')
    expect(page.attr(inline!, 'height')).toBe('20')
    expect(page.attr(inline!, 'width')).toBeUndefined()
    expect(page.attr(plain!, 'width')).toBeUndefined()
    expect(html).not.toContain('height=20}')
    expect(html).toContain('后文 {width=3} 与')
    expect(html).toContain(' {x=1}')
  })
})

describe('comments', () => {
  it('escapes raw HTML instead of interpreting it', () => {
    const { html } = renderComment('<b>bold?</b> <script>alert(1)</script>')
    expect(html).toContain('&lt;b&gt;bold?&lt;/b&gt;')
    expect(html).toContain('&lt;script&gt;')
    expect(parseHtml(html).tags('b')).toHaveLength(0)
  })

  it('keeps http(s), mailto and relative links, marked nofollow, and drops other schemes', () => {
    const { html } = renderComment(
      '[ok](https://example.com) [mail](mailto:a@b.c) [rel](/archives/x) [bad](javascript:alert(1)) [data](data:text/html,x) <vbscript:msgbox(1)>',
    )
    const page = parseHtml(html)
    const hrefs = page.tags('a').map((a) => page.attr(a, 'href'))
    expect(hrefs.filter(Boolean)).toEqual(['https://example.com', 'mailto:a@b.c', '/archives/x'])
    for (const a of page.tags('a')) expect(page.attr(a, 'rel')).toContain('nofollow')
  })

  it('turns images into links (no third-party requests from comments)', () => {
    const { html } = renderComment('![plot](https://example.com/p.png)')
    const page = parseHtml(html)
    expect(page.tags('img')).toHaveLength(0)
    expect(page.attr(page.tags('a')[0]!, 'href')).toBe('https://example.com/p.png')
  })

  it('typesets math and gives a plain-text excerpt with the formulas made readable', () => {
    const c = renderComment('我觉得$\\alpha_1$应该换成$\\beta^*$，因为\n\n$$\\int_0^1 x\\,dx = \\frac12$$')
    expect(katexCount(c.html)).toBe(3)
    expect(c.excerpt).toBe('我觉得α₁应该换成β^*，因为 ∫₀¹ x dx = 1/2')
    expect(c.excerpt.length).toBeLessThanOrEqual(80)
  })

  it('rejects KaTeX commands that would carry links or HTML (trust is off)', () => {
    const { html } = renderComment('$\\href{javascript:alert(1)}{x}$ $\\htmlId{evil}{y}$ $\\url{javascript:1}$')
    expect(html).not.toMatch(/href="javascript/i)
    expect(html).not.toContain('id="evil"')
  })

  it("writes MathML's empty elements with an end tag, so a formula cannot swallow the page after it", () => {
    // In an <mo> (a token element) an HTML parser reads <mspace …/> as an HTML element that `/>` does
    // not close: everything after the comment (the next comments, the sidebar) would end up inside
    // its hidden MathML. test/e2e/comments.test.ts checks the page in Chromium.
    const selfClosed = /<(?:mspace|mglyph|malignmark|maligngroup|mprescripts|none)\b[^<>]*\/>/
    for (const body of ['$\\mathop{x\\kern1em y}$ 之后', '$$\\mathop{\\int\\mkern-21mu\\int} f \\qquad \\operatorname{a\\kern2em b}$$']) {
      const { html } = renderComment(body)
      expect(html).toContain('<mspace')
      expect(html).not.toMatch(selfClosed)
      expect(html).toMatch(/<mspace width="[^"]+"><\/mspace>/)
    }
    const post = renderMarkdown('$\\mathop{x\\kern1em y}$\n\n后文', 'post').html
    expect(post).not.toMatch(selfClosed)
    expect(post).toContain('后文')
  })

  it('survives very deep quote and list nesting', () => {
    const c = renderComment('>'.repeat(5000) + ' deep\n\n' + Array.from({ length: 500 }, (_, i) => ' '.repeat(i * 2) + '- item').join('\n'))
    expect(c.html).toContain('deep')
  })
})
