import { describe, expect, it } from 'vitest'
import { siteConfig } from '../../src/config'
import { commentRenderOptions, postRenderOptions } from '../../src/lib/render-options'
import { renderComment } from '../../src/render/render-comment'
import { renderMarkdown } from '../../src/render/render-markdown'
import { texToText } from '../../src/render/tex-text'
import { parseHtml } from '../html'

/** One display formula rendered in a post: its HTML and how many formulas failed. */
function display(tex: string, macros?: Record<string, string>): { html: string; errors: number } {
  const { html, mathErrors } = renderMarkdown(`$$\n${tex}\n$$`, 'post', { macros })
  expect(parseHtml(html).byClass('math-error')).toHaveLength(mathErrors)
  return { html, errors: mathErrors }
}

/** The markup without the TeX source that KaTeX keeps, as text, in the MathML annotation. */
function withoutSource(html: string): string {
  return html.replace(/<annotation[\s\S]*?<\/annotation>/g, '')
}

/** What a screen reader reads of the formulas' MathML (no TeX annotation). */
function spoken(html: string): string {
  return (
    [...html.matchAll(/<math[^>]*>([\s\S]*?)<\/math>/g)]
      // (A phantom is not read out: it only takes up room.)
      .map((m) =>
        m[1]!
          .replace(/<annotation[\s\S]*?<\/annotation>/g, '')
          .replace(/<mphantom>[\s\S]*?<\/mphantom>/g, '')
          .replace(/<[^>]+>/g, ''),
      )
      .join(' | ')
  )
}

/** The text of each display's column of equation numbers (KaTeX sets an alignment's numbers in one). */
function equationTags(html: string): string[] {
  const page = parseHtml(html)
  return page.byClass('katex-tag').map((t) => page.text(t).replace(/\u200b/g, ''))
}

// Commands of MathJax 3 (its default packages and those it loads on first use) that KaTeX does not
// have: a post moved from a MathJax blog used to show each of these formulas as an error.
describe('MathJax commands KaTeX lacks', () => {
  it('\\DeclareMathOperator defines an upright operator for the rest of the post; with * its limits go below', () => {
    const md = [
      '$$\n\\DeclareMathOperator{\\Tr}{Tr}\\DeclareMathOperator*{\\argmax}{arg\\,max}\n\\Tr(AB) = \\Tr(BA)\n$$',
      '后面的公式也能用：$\\Tr A$，以及',
      '$$\n\\argmax_{\\theta} L(\\theta)\n$$',
    ].join('\n\n')
    const { html, mathErrors } = renderMarkdown(md, 'post')
    expect(mathErrors).toBe(0)
    const page = parseHtml(html)
    expect(page.byClass('math-error')).toHaveLength(0)
    // \Tr is an operator name (upright, <mi mathvariant="normal">), in the formula that declared it and later.
    expect(html.match(/<mi>Tr<\/mi>|<mi mathvariant="normal">Tr<\/mi>|<mo>Tr<\/mo>/g)?.length ?? 0).toBeGreaterThanOrEqual(3)
    // The starred operator takes its subscript below (munder), as \operatorname* does.
    expect(html).toMatch(/<munder>[\s\S]*?arg[\s\S]*?max[\s\S]*?θ[\s\S]*?<\/munder>/)
    // Not in another post: the definition belongs to the post that made it.
    expect(display('\\Tr A').errors).toBe(1)
  })

  it('\\bbox: a background colour, a border, both, or neither; anything else in the options is dropped', () => {
    const yellow = display('\\bbox[yellow]{E = mc^2}')
    expect(yellow.errors).toBe(0)
    expect(yellow.html).toContain('background-color:yellow')
    expect(spoken(yellow.html)).toContain('E=mc2')
    const framed = display('\\bbox[5px,border:2px solid red]{x+y}')
    expect(framed.errors).toBe(0)
    expect(framed.html).toMatch(/border-color:red/)
    expect(framed.html).not.toContain('border-color:solid')
    const both = display('\\bbox[#ffe,border:1px dashed #c00]{a}')
    expect(both.errors).toBe(0)
    expect(both.html).toContain('background-color:#ffe')
    expect(both.html).toContain('border-color:#c00')
    const plain = display('\\bbox[5px]{a+b}')
    expect(plain.errors).toBe(0)
    expect(spoken(plain.html)).toContain('a+b')
    const none = display('\\bbox{a}')
    expect(none.errors).toBe(0)
    // Options are never copied into the page as CSS: only a colour name or #hex gets through.
    const hostile = display('\\bbox[red;background:url(x),border:1px solid expression(alert(1))]{a}')
    expect(hostile.errors).toBe(0)
    expect(withoutSource(hostile.html)).not.toMatch(/url|expression|background:/)
  })

  it('\\enclose: a box, strikes (cancel), and other notations keep their content', () => {
    expect(display('\\enclose{box}{x}').html).toContain('boxpad')
    expect(display('\\enclose{roundedbox}[mathcolor="red"]{x}').errors).toBe(0)
    expect(display('\\enclose{updiagonalstrike}{x}').html).toContain('<menclose notation="updiagonalstrike">')
    expect(display('\\enclose{downdiagonalstrike}{x}').html).toContain('<menclose notation="downdiagonalstrike">')
    expect(display('\\enclose{updiagonalstrike downdiagonalstrike}{x}').html).toContain(
      '<menclose notation="updiagonalstrike downdiagonalstrike">',
    )
    const circle = display('\\enclose{circle}{x+1}')
    expect(circle.errors).toBe(0)
    expect(spoken(circle.html)).toContain('x+1')
    // One digit or small letter: circled (KaTeX's \\textcircled), as MathJax draws it.
    expect(display('\\enclose{circle}{1}').html).toContain('<mover accent="true"><mn>1</mn><mo>◯</mo></mover>')
    expect(display('\\enclose{circle} x').html).toMatch(/<mover accent="true">(<mstyle[^>]*>)?<mi>x<\/mi>(<\/mstyle>)?<mo>◯<\/mo><\/mover>/)
    // A colour in the content is the content's, whatever its digits (`#1…` is not read as a parameter).
    expect(display('\\enclose{circle}{\\color{#123456}AB}').html).toContain('<mstyle mathcolor="#123456">')
  })

  it('\\unicode: the character, written in hex or decimal; a number that is not a character gives U+FFFD', () => {
    expect(spoken(display('a \\unicode{x2260} b').html)).toContain('a≠b')
    expect(spoken(display('a \\unicode{8800} b').html)).toContain('a≠b')
    expect(spoken(display('\\unicode[Arial]{x263A}').html)).toContain('☺')
    const bad = display('\\unicode{xD800} \\unicode{99999999} \\unicode{x1B} \\unicode{0} \\unicode{x85} \\unicode{xFFFF}')
    expect(bad.errors).toBe(0)
    expect(spoken(bad.html)).toContain('\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD')
    expect(bad.html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/)
  })

  it('\\class and \\cssId keep their content and drop the class and id; \\style keeps colours and bold only', () => {
    const { html, errors } = display('\\class{hl}{a} + \\cssId{eq1}{b} + \\style{color:red;position:fixed;width:100vw}{c}')
    expect(errors).toBe(0)
    expect(spoken(html)).toContain('a+b+c')
    // (The TeX source stays in the MathML annotation, as text.)
    expect(withoutSource(html)).not.toMatch(/hl|eq1|position|fixed|100vw/)
    expect(withoutSource(html)).toMatch(/<span class="mord mathnormal" style="color:red;">c<\/span>/)
    const boxed = display('\\style{background-color:#ffe; border:1px solid #c00; font-weight:bold}{x+1}')
    expect(boxed.errors).toBe(0)
    expect(boxed.html).toContain('background-color:#ffe')
    expect(boxed.html).toContain('border-color:#c00')
    expect(boxed.html).toMatch(/<mi mathvariant="bold-italic">x<\/mi>/)
    const hostile = display('\\style{color:expression(alert(1));background:url(x)}{y}')
    expect(hostile.errors).toBe(0)
    expect(withoutSource(hostile.html)).not.toMatch(/expression|url|background/)
  })

  it('\\idotsint, \\iddots, \\mspace and \\buildrel … \\over', () => {
    expect(spoken(display('\\idotsint f').html)).toContain('∫⋯∫f')
    expect(spoken(display('\\iddots').html)).toContain('⋰')
    expect(display('a\\mspace{12mu}b').errors).toBe(0)
    expect(spoken(display('\\buildrel \\alpha x \\over \\to').html)).toContain('αx')
    const rel = display('x \\buildrel \\text{def} \\over = y')
    expect(rel.errors).toBe(0)
    expect(rel.html).toMatch(/<mover>[\s\S]*?=[\s\S]*?def[\s\S]*?<\/mover>/)
  })

  it('plain TeX and MathJax base: \\mbox, \\raise and \\lower, \\moveleft and \\moveright, \\root … \\of, \\strut, \\skew, \\mit', () => {
    expect(spoken(display('x = 1 \\mbox{ if } y > 0').html)).toMatch(/x=1\sif\sy&gt;0/)
    const raised = display('x\\raise{0.5em}{y} z \\lower 2pt w \\raise.3ex{v} \\lower{-1em}{u}')
    expect(raised.errors).toBe(0)
    expect(spoken(raised.html)).toContain('xyzwvu')
    // Up for \\raise, down for \\lower, and a negative dimension turns one into the other (KaTeX's
    // \\raisebox: an <mpadded voffset> in the MathML).
    const offset = (tex: string) => /voffset="([^"]+)"/.exec(display(tex).html)?.[1]
    expect(offset('\\raise{0.5em}{y}')).toBe('0.5em')
    expect(offset('\\lower{0.5em}{y}')).toBe('-0.5em')
    expect(offset('\\lower{-2pt}{y}')).toBe('2pt')
    expect(offset('\\raise -1.5 ex y')).toBe('-1.5ex')
    expect(display('\\raise x').errors).toBe(1)
    // A box after the dimension, as plain TeX writes it: its text stays text.
    const boxed = display('x\\raise.5ex\\hbox{若 A}y')
    expect(boxed.errors).toBe(0)
    expect(boxed.html).toMatch(/<mpadded voffset="0.5ex">(<mstyle[^>]*>)?<mtext>若\sA<\/mtext>/)
    // \\moveright and \\moveleft: sideways, the width kept (a kern before and the opposite after).
    const kerns = (tex: string) => [...withoutSource(display(tex).html).matchAll(/margin-right:(-?[\d.]+em)/g)].map((m) => m[1])
    expect(kerns('a\\moveright 1em \\hbox{b}c')).toEqual(['1em', '-1em'])
    expect(kerns('a\\moveleft{0.5em}{b}c')).toEqual(['-0.5em', '0.5em'])
    expect(display('\\moveleft x').errors).toBe(1)
    expect(display('\\raise 2pt {\\color{#123456} z}').errors).toBe(0)
    expect(display('\\root 3 \\of {x+1}').html).toMatch(/<mroot><mrow><mi>x<\/mi><mo>\+<\/mo><mn>1<\/mn><\/mrow><mn>3<\/mn><\/mroot>/)
    expect(display('\\strut x').errors).toBe(0)
    expect(spoken(display('\\skew{3}\\hat{A}').html)).toContain('A^')
    expect(display('{\\mit ABC}').errors).toBe(0)
  })

  it('MathJax base: \\Rule{w}{h}{d} draws a box of those sizes, \\Space leaves one empty', () => {
    const { html, errors } = display('a\\Rule{1em}{0.8em}{0.2em}b\\Space{2em}{1em}{0.5em}c')
    expect(errors).toBe(0)
    const rules = [...withoutSource(html).matchAll(/katex-rule" style="([^"]*)"/g)].map((m) => m[1])
    expect(rules).toEqual([
      'border-right-width:1em;border-top-width:0.8em;bottom:0em;',
      'border-right-width:1em;border-top-width:0.2em;bottom:-0.2em;',
      'color:transparent;border-right-width:2em;border-top-width:1em;bottom:0em;',
      'color:transparent;border-right-width:2em;border-top-width:0.5em;bottom:-0.5em;',
    ])
    expect(display('\\Rule{1em}{tall}{0em}').errors).toBe(1)
    expect(texToText('$a\\Rule{1em}{1em}{0em}b\\Space{1em}{2em}{0em}c$')).toBe('abc')
  })

  it("MathJax 3.2's math alphabets and unicode-math's \\sym… forms, in the nearest font KaTeX has", () => {
    const variants = (tex: string) =>
      [...display(tex).html.matchAll(/<(mi|mtext) mathvariant="([^"]+)">([^<]*)</g)].map((m) => `${m[1]}:${m[2]}:${m[3]}`)
    expect(variants('\\symbf{W}\\mathbfit{x}\\symbfit{\\theta}\\mathup{d}\\symcal{L}\\symbb{R}\\symsf{s}\\symtt{t}')).toEqual([
      'mi:bold:W',
      'mi:bold-italic:x',
      'mi:bold-italic:θ',
      'mi:normal:d',
      'mi:script:L',
      'mi:double-struck:R',
      'mi:sans-serif:s',
      'mi:monospace:t',
    ])
    // Bold sans and sans italic: KaTeX's text fonts for letters and digits, its sans-serif math font for anything else.
    expect(variants('\\mathbfsf{T1}\\mathsfit{A}\\symbfsfit{B}\\mathbfsf{\\nabla}')).toEqual([
      'mtext:bold-sans-serif:T1',
      'mtext:sans-serif-italic:A',
      'mtext:bold-sans-serif:B',
      'mi:sans-serif:∇',
    ])
    const names =
      'mathup mathbfup mathbfit mathbffrak mathbfscr mathbfcal mathsfup mathbfsf mathbfsfup mathsfit mathbfsfit symrm symup symnormal symbf symbfup symit symbfit symbb symfrak symbffrak symscr symbfscr symcal symbfcal symsf symsfup symbfsf symbfsfup symsfit symbfsfit symtt'.split(
        ' ',
      )
    expect(display(names.map((n) => `\\${n}{A}`).join('')).errors).toBe(0)
    expect(display('\\mathbfsf{\\color{#123456}x} \\mathsfit{\\color{#f00}y}').html).toMatch(
      /<mstyle mathcolor="#123456">[\s\S]*<mstyle mathcolor="#f00">/,
    )
    expect(texToText('$\\symbf{W}\\mathbfit{x} + \\mathbfsf{T}$')).toBe('Wx + T')
  })

  it('MathJax base: \\stackbin, \\overunderset, \\framebox, \\nonscript and \\hfill; centernot', () => {
    expect(display('a \\stackbin{!}{=} b').html).toMatch(
      /<mo lspace="0.22em" rspace="0.22em"><mover><mo><mo>=<\/mo><\/mo><mo[^>]*>!<\/mo><\/mover><\/mo>/,
    )
    // Under and over at once; a relation keeps a relation's spacing (an <mo>).
    expect(display('p \\overunderset{!}{?}{\\to} q').html).toMatch(
      /<mi>p<\/mi><mo><munderover><mo><mo>→<\/mo><\/mo><mo[^>]*>\?<\/mo><mo[^>]*>!<\/mo><\/munderover><\/mo>/,
    )
    expect(display('\\framebox[2cm][l]{框 text}').html).toMatch(/<menclose notation="box">(<mstyle[^>]*>)?<mtext>框\stext<\/mtext>/)
    expect(spoken(display('a \\nonscript\\; b \\begin{array}{c} \\hfill x \\\\ yy \\hfil \\end{array}').html)).toMatch(/^a\s*b/)
    // \\centernot: the slash centred on the symbol (a second row of a gathered, moved up onto the first);
    // the MathML says \\not before it.
    const negated = display('A \\centernot\\implies B, \\quad x \\centernot= y')
    expect(negated.errors).toBe(0)
    expect(negated.html).toContain('<mo>=\u0338</mo>')
    // The rows at one height: `=`'s row and both slashes'.
    const rows = [
      ...withoutSource(negated.html).matchAll(
        /<span style="top:(-?[\d.]+em);"><span class="pstrut"[^>]*><\/span><span class="mord">(<span class="mrel">=<\/span>|<span class="mord"><span class="mord">\/<\/span>)/g,
      ),
    ]
    expect(rows).toHaveLength(3)
    expect(new Set(rows.map((m) => m[1])).size).toBe(1)
    expect(display('\\centerOver{\\bigcirc}{\\cdot}').errors).toBe(0)
    // In plain text a negation is never dropped (which would say the opposite).
    expect(texToText('$A \\centernot\\implies B$，$x \\not= y$，$a \\not\\in S$，$p \\not\\to q$，$\\not{\\equiv}$，$\\not\\perp$')).toBe(
      'A ⇏ B，x ≠ y，a ∉ S，p ↛ q，≢，⊥\u0338',
    )
    expect(texToText('$\\framebox[2cm][l]{hi} \\stackbin{\\text{def}}{=}$')).toBe('hi def=')
  })

  it("colortbl's \\rowcolor, \\cellcolor and \\columncolor: the cell's content in a box of that colour (cell over row over column)", () => {
    const table = display(
      '\\begin{array}{>{\\columncolor{yellow}}c|c} \\hline \\rowcolor{lightblue} x & y \\\\ \\hline 1 & \\cellcolor[rgb]{1,0,0} 2 \\\\ \\rowcolor{Melon} \\cellcolor{pink} 3 & 4 \\\\ \\hline \\end{array}',
    )
    expect(table.errors).toBe(0)
    const boxes = (html: string) =>
      [...html.matchAll(/mathbackground="([^"]+)">(?:<[^>]+>)*<m[in]>([^<]+)</g)].map((m) => `${m[2]}:${m[1]}`)
    expect(boxes(table.html)).toEqual(['x:lightblue', 'y:lightblue', '1:yellow', '2:#ff0000', '3:pink', '4:#f89e7b'])
    // \cellcolor takes no overhang options: a bracket after it is the cell's.
    expect(display('\\begin{pmatrix} \\cellcolor{yellow}[0,1] & x \\end{pmatrix}').html).toMatch(
      /mathbackground="yellow">(<[^>]+>)*<mo stretchy="false">\[<\/mo><mn>0<\/mn>/,
    )
    // Three rows (the last `\\ \hline` is a rule, not a row), the column spec's rules kept.
    const mathml = table.html.split('<annotation')[0]!
    expect(mathml.match(/<mtr>/g)).toHaveLength(3)
    expect(mathml).toContain('columnlines="solid"')
    // Matrices, nested ones and inline formulas too; plain text reads the entries only.
    const nested = display(
      '\\begin{bmatrix} \\rowcolor{#ddf} a & b \\\\ c & \\begin{matrix} \\cellcolor{red} e & f \\end{matrix} \\end{bmatrix}',
    )
    expect(boxes(nested.html)).toEqual(['a:#ddf', 'b:#ddf', 'e:red'])
    expect(renderMarkdown('行内 $\\begin{pmatrix} \\cellcolor{yellow} a \\end{pmatrix}$', 'post').mathErrors).toBe(0)
    expect(texToText('$\\begin{array}{>{\\columncolor{red}}c|c} \\cellcolor[rgb]{1,0,0} 1 & \\rowcolor{blue} 2 \\end{array}$')).toBe(
      '1 & 2',
    )
  })

  it('plain TeX arrays: \\matrix, \\pmatrix, \\cases, \\eqalign, \\displaylines (rows ended by \\cr)', () => {
    const rows = (html: string) => (html.match(/<mtr>/g) ?? []).length
    const m = display('\\pmatrix{a & b \\cr c & d} \\matrix{1 & 2 \\cr 3 & 4}')
    expect(m.errors).toBe(0)
    expect(spoken(m.html)).toContain('(abcd)1234')
    expect(rows(m.html)).toBe(4)
    // As in TeX and MathJax, \cases's second column is text, with $…$ for math.
    const cases = display('f(x) = \\cases{1 & 若 $x > 0$ \\cr 0 & 其他}')
    expect(cases.errors).toBe(0)
    expect(spoken(cases.html)).toMatch(/f\(x\)=\{1\s*若\s*x&gt;0\s*0\s*其他/)
    expect(cases.html).toMatch(/<mtext>若\s?<\/mtext>/)
    expect(rows(display('\\eqalign{a &= b + c \\cr d &= e}').html)).toBe(2)
    expect(rows(display('\\displaylines{x = 1 \\cr y = 2 \\cr z = 3}').html)).toBe(3)
  })

  it('AMS: \\sideset, \\iiiint, \\overparen and \\underparen, flalign numbered like align', () => {
    const side = display('\\sideset{_1^2}{_3^4}\\sum_{i=1}^n a_i')
    expect(side.errors).toBe(0)
    // The corner scripts sit on the operator; its own limits go below and above the whole.
    expect(side.html).toMatch(
      /<munderover>[\s\S]*?<mn>1<\/mn><mn>2<\/mn>[\s\S]*?∑[\s\S]*?<mn>3<\/mn><mn>4<\/mn>[\s\S]*?i[\s\S]*?n[\s\S]*?<\/munderover>/,
    )
    expect(display("\\sideset{}{'}\\sum_{n<k} a_n").html).toMatch(/<munder>[\s\S]*?∑[\s\S]*?′[\s\S]*?<\/munder>/)
    expect((spoken(display('\\iiiint_V f').html).match(/∫/g) ?? []).length).toBe(4)
    const arc = display('\\overparen{AB} = \\underparen{CD}')
    expect(arc.errors).toBe(0)
    expect(spoken(arc.html)).toMatch(/AB.*=.*CD/)
    const { html, mathErrors } = renderMarkdown(
      '$$\n\\begin{flalign}\na &= b \\label{eq:fl} \\\\\nc &= d \\nonumber \\\\\ne &= f\n\\end{flalign}\n$$\n\n见\\eqref{eq:fl}。',
      'post',
    )
    expect(mathErrors).toBe(0)
    // (KaTeX sets an aligned display's tags in one column: "(1)", "(2)", and nothing for the \nonumber row.)
    expect(equationTags(html)).toEqual(['(1)(2)'])
    expect(html).toContain('href="#eq-eq:fl"')
  })

  it('MathJax base: old font switches, \\Tiny, the extensible bars, \\uproot and \\leftroot', () => {
    // A switch reaches to the end of its group: B after {\scr A} is not script.
    const fonts = display('{\\scr A} B + \\bbFont R^n + {\\oldstyle C}')
    expect(fonts.errors).toBe(0)
    expect(fonts.html).toMatch(/<mi mathvariant="script">A<\/mi><mi>B<\/mi>/)
    expect(fonts.html).toMatch(/<mi mathvariant="double-struck">R<\/mi>/)
    expect(fonts.html).toMatch(/<mi mathvariant="script">C<\/mi>/)
    // A switch stops at a cell's end too.
    expect(display('\\begin{matrix} \\scr A & B \\end{matrix}').html).toMatch(/<mi mathvariant="script">A<\/mi>[\s\S]*<mi>B<\/mi>/)
    expect(display('a {\\Tiny b} c').errors).toBe(0)
    const bars = display('\\left\\arrowvert \\frac{a}{b} \\right\\Arrowvert + \\left\\bracevert x \\right\\bracevert')
    expect(bars.errors).toBe(0)
    expect(spoken(bars.html)).toBe('∣ab∥+∣x∣')
    // The index's position adjustments are dropped, not shown.
    expect(spoken(display('\\sqrt[\\leftroot{-2}\\uproot{2}3]{x}').html)).toBe('x3')
  })

  it("plain TeX's \\eqalignno: a whole display numbered by its last column; xalignat numbered, xxalignat not", () => {
    const { html, mathErrors } = renderMarkdown('$$\n\\eqalignno{a&=b+c&(1)\\cr d&=e&(2a)\\cr}\n$$', 'post')
    expect(mathErrors).toBe(0)
    expect(equationTags(html)).toEqual(['(1)(2a)'])
    // Inside other TeX (and in a comment, never numbered) the numbers are a column of the alignment.
    expect(spoken(display('x = \\eqalignno{a&=b&(1)\\cr}').html)).toBe('x=a=b(1)')
    expect(parseHtml(renderComment('$$\\leqalignno{a&=b&(1)\\cr}$$').html).byClass('math-error')).toHaveLength(0)
    const aligned = renderMarkdown(
      '$$\n\\begin{xalignat}{2} a&=b & c&=d \\\\ e&=f & g&=h \\end{xalignat}\n$$\n\n$$\n\\begin{xxalignat}{2} a&=b & c&=d \\end{xxalignat}\n$$\n\n$$\n\\begin{xalignat*}{2} a&=b & c&=d \\end{xalignat*}\n$$',
      'post',
    )
    expect(aligned.mathErrors).toBe(0)
    expect(equationTags(aligned.html)).toEqual(['(1)(2)'])
    // The pairs of columns apart (a \qquad between them).
    expect(aligned.html).toMatch(/<mi>b<\/mi><\/mrow><\/mstyle><\/mtd><mtd><mstyle[^>]*><mrow><mspace width="2em"/)
  })

  it("the braket package's \\ketbra and \\Ketbra, and mhchem's long arrows, without asking", () => {
    const { html, errors } = display(
      '\\ketbra{a}{b} + \\Ketbra{\\frac12}{b} + A \\longrightleftharpoons B \\xRightleftharpoons[k_2]{k_1} C',
    )
    expect(errors).toBe(0)
    expect(spoken(html).replace(/∣/g, '|')).toMatch(/^\|a⟩⟨b\|\+\|12⟩⟨b\|\+A/)
    expect(html).toMatch(/<mo fence="true">∣<\/mo><mfrac>/)
    expect(spoken(html)).toMatch(/k2[\s\S]*k1|k1[\s\S]*k2/)
  })

  it("\\cancelto (cancel), \\mathtip, \\texttip and \\toggle (action), gensymb's units", () => {
    const cancel = display('\\frac{\\cancelto{0}{\\partial L}}{\\partial t}')
    expect(cancel.errors).toBe(0)
    expect(cancel.html).toContain('<menclose notation="updiagonalstrike">')
    expect(spoken(cancel.html)).toMatch(/∂L[\s\S]*0/)
    const tip = display('\\mathtip{E = mc^2}{质能方程} + \\texttip{p}{动量} + \\toggle{a}{q}{w}\\endtoggle')
    expect(tip.errors).toBe(0)
    expect(spoken(tip.html)).toContain('E=mc2+p+a')
    expect(withoutSource(tip.html)).not.toMatch(/质能方程|动量|>q<|>w</)
    expect(display('\\toggle{a}{b}').errors).toBe(1)
    expect(spoken(display('20\\celsius, 5\\ohm, 3\\micro\\mathrm{m}, 2\\perthousand').html)).toMatch(/20∘C,5Ω,3µm,2‰/)
  })

  it('\\definecolor (rgb, RGB, gray, HTML) names a colour for the rest of the post; \\color and the boxes take it', () => {
    const md = [
      '$$\n\\definecolor{myblue}{RGB}{30,90,200}\\definecolor{soft}{rgb}{0.5,0,1}\\definecolor{ink}{gray}{0.25}\\definecolor{sun}{HTML}{FF8800}\n{\\color{myblue} a} + \\textcolor{soft}{b} + \\colorbox{sun}{$c$} + \\fcolorbox{ink}{sun}{$d$}\n$$',
      '后面的公式也能用：$\\color{myblue} e$',
    ].join('\n\n')
    const { html, mathErrors } = renderMarkdown(md, 'post')
    expect(mathErrors).toBe(0)
    const css = withoutSource(html)
    expect(css.match(/color:#1e5ac8/g)?.length ?? 0).toBeGreaterThanOrEqual(2)
    expect(css).toContain('color:#8000ff')
    expect(css).toContain('background-color:#ff8800')
    expect(css).toContain('border-color:#404040')
    expect(css).not.toMatch(/myblue|soft|:sun|:ink/)
    // A definition it cannot read is that formula's error, with the form it takes.
    const bad = display('\\definecolor{hot}{RGB}{300,0,0}\\color{hot} x')
    expect(bad.errors).toBe(1)
    expect(bad.html).toContain('\\definecolor takes')
    // Another post does not have the colour.
    expect(withoutSource(display('\\color{myblue} x').html)).not.toContain('#1e5ac8')
  })

  it('the dvips colour names MathJax knows (case-sensitive, as there) and colours given with a model', () => {
    const { html, mathErrors } = renderMarkdown(
      '$\\color{BrickRed} a + \\textcolor{OliveGreen}{b} + \\colorbox{Goldenrod}{$c$} + \\fcolorbox{NavyBlue}{Melon}{$d$}$\n\n' +
        '$\\textcolor{Red}{e} + \\textcolor{red}{f} + \\color[rgb]{1,0.5,0}{g} + \\textcolor[RGB]{0,128,255}{h} + \\textcolor[named]{Black}{i}$',
      'post',
    )
    expect(mathErrors).toBe(0)
    const css = withoutSource(html)
    for (const colour of ['color:#b6321c', 'color:#3c8031', 'background-color:#ffdf42', 'background-color:#f89e7b', 'border-color:#006eb8'])
      expect(css).toContain(colour)
    // MathJax's Red is dvips's, its red CSS's; a model's colour is read as \definecolor reads it.
    expect(css).toContain('color:#ed1b23')
    expect(css).toContain('color:red')
    expect(css).toContain('color:#ff8000')
    expect(css).toContain('color:#0080ff')
    expect(css).toContain('color:#221e1f')
    // A name defined in the post wins over dvips's; a modelled colour that cannot be read is that formula's error.
    expect(withoutSource(display('\\definecolor{Red}{HTML}{123456}\\color{Red} x').html)).toContain('#123456')
    expect(display('\\color[rgb]{2,0,0}{x}').errors).toBe(1)
    expect(texToText('$\\color[rgb]{1,0,0}{x} + \\textcolor[RGB]{0,0,255}{y} + \\color{BrickRed} z$')).toBe('x + y + z')
  })

  it('\\newenvironment (and \\renewenvironment) defines an environment for the rest of the post, with arguments', () => {
    const md = [
      '$$\n\\newenvironment{sys}{\\left\\{\\begin{aligned}}{\\end{aligned}\\right.}\n\\begin{sys} x+y &= 1 \\\\ x-y &= 0 \\end{sys}\n$$',
      '后文也能用：$\\begin{sys} a &= b \\end{sys}$',
      '$$\n\\newenvironment{tinted}[1][BrickRed]{\\color{#1}}{}\\begin{tinted} x \\end{tinted} + \\begin{tinted}[NavyBlue] y \\end{tinted}\n$$',
      '$$\n\\newenvironment{pm2}[2]{\\begin{pmatrix}#1 & #2 \\\\}{\\end{pmatrix}}\\begin{pm2}{a}{b} c & d \\end{pm2}\n$$',
      '$$\n\\renewenvironment{sys}{\\left[\\begin{matrix}}{\\end{matrix}\\right]}\\begin{sys} \\begin{sys} 1 \\end{sys} \\end{sys}\n$$',
    ].join('\n\n')
    const { html, mathErrors } = renderMarkdown(md, 'post')
    expect(mathErrors).toBe(0)
    expect(parseHtml(html).byClass('katex')).toHaveLength(5)
    const mathml = spoken(html).split(' | ')
    expect(mathml[0]).toMatch(/^\{x\+y=1x−y=0$/)
    expect(mathml[1]).toBe('{a=b')
    expect(withoutSource(html)).toContain('color:#b6321c')
    expect(withoutSource(html)).toContain('color:#006eb8')
    expect(mathml[3]).toBe('(abcd)')
    expect(mathml[4]).toBe('[[1]]')
    // Not in another post or a comment; a definition that uses itself, or that cannot be read, is that formula's error.
    expect(display('\\begin{sys} x \\end{sys}').errors).toBe(1)
    expect(renderComment('$\\begin{sys} x \\end{sys}$').html).toContain('math-error')
    expect(display('\\newenvironment{loop}{\\begin{loop}}{\\end{loop}}\\begin{loop} x \\end{loop}').errors).toBe(1)
    expect(display('\\newenvironment{half}{x').errors).toBe(1)
    expect(texToText('$\\newenvironment{sys}[1][x]{\\left\\{}{\\right.}\\begin{sys} a=1 \\end{sys}$')).toBe('a=1')
  })

  it('in a reader’s comment as well', () => {
    const { html } = renderComment('先声明$\\DeclareMathOperator{\\sgn}{sgn}\\sgn x$，再标黄$\\bbox[yellow]{x}$，$a\\unicode{x2260}b$。')
    expect(parseHtml(html).byClass('math-error')).toHaveLength(0)
    expect(spoken(html)).toContain('a≠b')
  })

  it('gives way to a site macro and to a post’s own definition of the same name', () => {
    const site = display('\\bbox{x}', { '\\bbox': '\\boxed{#1}' })
    expect(site.errors).toBe(0)
    expect(site.html).toContain('boxpad')
    const own = display('\\newcommand{\\unicode}[1]{\\mathbf{#1}}\\unicode{v}')
    expect(own.errors).toBe(0)
    expect(own.html).toContain('mathbf')
  })

  it('reads every symbol KaTeX knows as itself in plain text, and leaves out what is not a symbol', () => {
    // (These were dropped: "a < b" read "a b", "a ⩽ b" read "a b".)
    expect(texToText('$a \\lt b \\gt c$')).toBe('a < b > c')
    expect(texToText('$p \\Longrightarrow q$，$a \\leqslant b$，$A \\twoheadrightarrow B$，$\\therefore x \\succ y$')).toBe(
      'p ⟹ q，a ⩽ b，A ↠ B，∴ x ≻ y',
    )
    expect(texToText('$\\bigcup A \\bigoplus B$，$\\rightleftharpoons \\hookrightarrow \\imath \\wp$')).toBe('⋃ A ⨁ B，⇌ ↪ ı ℘')
    expect(texToText('$\\mathstrut x \\displaystyle y \\nobreak z \\enspace w$，$\\unknowncommand{a}$')).toBe('x y z w，a')
  })

  it('read as text in descriptions and the sidebar: the content, not the class, style or options', () => {
    expect(texToText('$\\class{hl}{a} + \\style{color:red}{b} + \\cssId{x}{c}$')).toBe('a + b + c')
    expect(texToText('$\\bbox[yellow]{E = mc^2}$')).toBe('E = mc²')
    expect(texToText('$\\enclose{circle}[mathcolor=red]{x}$')).toBe('x')
    expect(texToText('$a \\unicode{x2260} b$，$\\unicode{8800}$，$\\unicode{zz}$')).toBe('a ≠ b，≠，\ufffd')
    expect(texToText('$\\DeclareMathOperator{\\Tr}{Tr}\\Tr A$')).toBe('Tr A')
    expect(texToText('$x \\raise{0.5em}{y} + \\lower 2pt z$')).toBe('x y + z')
    expect(texToText('$a\\moveright 1em \\hbox{若} b + \\raise.5ex\\hbox{A}$')).toBe('a 若 b + A')
    expect(texToText('$\\root 3 \\of {x+1}$，$\\mbox{若} x > 0$')).toBe('∛(x+1)，若 x > 0')
    expect(texToText('$\\cancelto{0}{x}$，$\\mathtip{E}{能量}$，$\\toggle{a}{b}\\endtoggle$')).toBe('x→0，E，a')
    // (An argument may be one token, as in TeX.)
    expect(texToText('$\\cancelto{\\infty}x + \\cancelto 0 {y^2}$')).toBe('x→∞ + y²→0')
    expect(texToText('$\\overparen{AB}$，$\\skew{3}\\hat{A}$，$\\iiiint f$')).toBe('⌒AB，A\u0302，⨌ f')
    expect(texToText('$\\definecolor{c}{RGB}{1,2,3}\\color{c} x + \\colorbox{red}{y} + \\fcolorbox{red}{blue}{z}$')).toBe('x + y + z')
    expect(texToText('$20\\celsius$，$5\\ohm$，$2\\perthousand$，$90\\degree$')).toBe('20°C，5Ω，2‰，90°')
  })
})

// The physics package, which a MathJax post loads with \require{physics}.
describe('the physics package after \\require{physics}', () => {
  /** A post whose first formula loads the package; `tex` is its second formula. */
  function physics(tex: string): { html: string; errors: number } {
    const { html, mathErrors } = renderMarkdown(`$\\require{physics}$载入后：\n\n$$\n${tex}\n$$`, 'post')
    return { html: html.slice(html.indexOf('载入后')), errors: mathErrors }
  }

  /**
   * Each formula typesets without an error and reads out (its MathML) as `text`: spaces and the
   * invisible function application and separators left out, bars compared as one (KaTeX writes ∣ for
   * \lvert and | for \middle\vert).
   */
  function readsAs(cases: [string, string][]): void {
    const bars = (t: string) => t.replace(/\s|\u2061|\u2062|\u2063/g, '').replace(/∣/g, '|')
    for (const [tex, text] of cases) {
      const { html, errors } = physics(tex)
      expect(errors, tex).toBe(0)
      expect(bars(spoken(html)), tex).toContain(bars(text))
    }
  }

  it('is off until a formula asks for it, as in MathJax (\\div stays ÷, \\dv is unknown)', () => {
    expect(display('a \\div b').html).toContain('÷')
    expect(display('\\dv{f}{x}').errors).toBe(1)
  })

  it('typesets derivatives: \\dv, \\pdv (orders, mixed), \\fdv, the inline form, and \\dd', () => {
    const cases: [string, RegExp][] = [
      [
        '\\dv{f}{x}',
        /<mfrac><mrow><mi mathvariant="normal">d<\/mi><mi>f<\/mi><\/mrow><mrow><mi mathvariant="normal">d<\/mi><mi>x<\/mi><\/mrow><\/mfrac>/,
      ],
      ['\\dv[2]{y}{t}', /<msup><mi mathvariant="normal">d<\/mi><mn>2<\/mn><\/msup><mi>y<\/mi>[\s\S]*<msup><mi>t<\/mi><mn>2<\/mn><\/msup>/],
      ['\\dv{x}', /<mfrac><mi mathvariant="normal">d<\/mi><mrow><mi mathvariant="normal">d<\/mi><mi>x<\/mi><\/mrow><\/mfrac>/],
      [
        '\\pdv{f}{x}{y}',
        /<msup><mi mathvariant="normal">∂<\/mi><mn>2<\/mn><\/msup><mi>f<\/mi>[\s\S]*∂<\/mi><mi>x<\/mi><mi mathvariant="normal">∂<\/mi><mi>y<\/mi>/,
      ],
      ['\\pdv[2]{\\psi}{x}', /∂<\/mi><mn>2<\/mn><\/msup><mi>ψ<\/mi>/],
      ['\\fdv{F}{\\phi}', /<mi>δ<\/mi><mi>F<\/mi>/],
      // (Inline: a slash grown to fit, as MathJax's \flatfrac draws it.)
      ['\\dv*{f}{x}', /<mi>f<\/mi><\/mrow><mo[^>]*>\/<\/mo>/],
      ['\\int f(x) \\dd{x}', /<mi mathvariant="normal">d<\/mi><mi>x<\/mi>/],
    ]
    for (const [tex, shape] of cases) {
      const { html, errors } = physics(tex)
      expect(errors, tex).toBe(0)
      expect(html, tex).toMatch(shape)
    }
  })

  it('typesets sized brackets, norms, brackets of operators and Dirac notation', () => {
    const cases: [string, string][] = [
      ['\\qty(\\frac{a}{b})', '(ab)'],
      ['\\qty[x+1]', '[x+1]'],
      ['\\qty{x}', '{x}'],
      ['\\qty(f(x) + g(x))', '(f(x)+g(x))'],
      ['\\abs{x}', '∣x∣'],
      ['\\abs*{x}', '∣x∣'],
      ['\\norm{\\vb{v}}', '∥v∥'],
      ['\\eval{x^2}_0^1', 'x2∣01'],
      ['\\order{h^2}', 'O(h2)'],
      ['\\comm{A}{B}', '[A,B]'],
      ['\\acomm{A}{B}', '{A,B}'],
      ['\\braket{\\phi}{\\psi}', '⟨ϕ∣ψ⟩'],
      ['\\braket{\\psi}', '⟨ψ∣ψ⟩'],
      ['\\expval{H}', '⟨H⟩'],
      ['\\expval{H}{\\psi}', '⟨ψ∣H∣ψ⟩'],
      // A control word then a letter, read back as TeX: \alpha x stays two tokens.
      ['\\braket{\\alpha x}{\\beta y}', '⟨αx∣βy⟩'],
      ['\\qty(\\alpha x)', '(αx)'],
      ['\\mel{m}{V}{n}', '⟨m∣V∣n⟩'],
      ['\\ket{0} \\bra{1}', '∣0⟩⟨1∣'],
      ['\\grad\\phi', '∇ϕ'],
      ['\\div\\vb{E}', '∇⋅E'],
      ['\\curl\\vb{B}', '∇×B'],
      ['\\laplacian u', '∇2u'],
      ['\\tr\\rho = \\Tr A', 'trρ=TrA'],
      ['\\mqty(a & b \\\\ c & d)', '(abcd)'],
      ['\\mqty[1 & 0 \\\\ 0 & 1]', '[1001]'],
      ['\\pmqty{a & b}', '(ab)'],
      ['\\vmqty{a & b \\\\ c & d}', '∣abcd∣'],
    ]
    readsAs(cases)
  })

  it('has the whole package as MathJax 3.2 has it: long names, stars, sizes, functions, quick quads, matrices', () => {
    // What MathJax 3.2.2 typesets each as (its MathML, read out), checked against MathJax itself
    // when this was written (.bench/mjcmp.ts, not committed).
    const cases: [string, string][] = [
      ['\\quantity(x)', '(x)'],
      ['\\pqty{x} \\bqty{x} \\vqty{x} \\Bqty{x}', '(x)[x]|x|{x}'],
      ['\\pqty*{x}', '(x)'],
      ['\\absolutevalue{x}', '|x|'],
      ['\\abs\\Big{x}', '|x|'],
      ['\\qty\\big(x)', '(x)'],
      ['\\qty', '()'],
      ['\\evaluated{x}_0^1', 'x|01'],
      ['\\eval(x|_0^1', '(x|01'],
      ['\\commutator{A}{B} \\anticommutator{A}{B} \\poissonbracket{A}{B}', '[A,B]{A,B}{A,B}'],
      ['\\comm*{A}{B} \\comm\\big{A}{B}', '[A,B][A,B]'],
      ['\\vectorbold{a} \\vectorarrow{a} \\vectorunit{a}', 'aa\u20d7a^'],
      ['\\gradient f \\divergence\\vb{E} \\crossproduct \\cp \\dotproduct', '∇f∇⋅E××⋅'],
      ['\\grad(\\phi) + \\laplacian[u]', '∇(ϕ)+∇2[u]'],
      ['\\real z + \\imaginary z', 'ℜz+ℑz'],
      ['\\sin[2](x) + \\cos[2](x)', 'sin2(x)+cos2(x)'],
      [
        '\\asin x \\acos x \\atan x \\sech x \\csch x \\arcsec x \\arccsc x \\arccot x \\acot x',
        'asinxacosxatanxsechxcschxarcsecxarccscxarccotxacotx',
      ],
      ['\\sine x \\hypcosine x \\naturallogarithm x \\determinant A \\Probability A', 'sinxcoshxlnxdetAPrA'],
      ['\\trace A \\Trace A \\Residue f \\Res[f]', 'trATrAResfRes[f]'],
      ['\\Re{z} \\Im{z}', 'Re{z}Im{z}'],
      ['\\principalvalue\\int f \\PV\\int f', 'P∫fP.V.∫f'],
      ['x \\qq{if} y \\qq*{or} z', 'xifyorz'],
      ['x \\qc y \\qcc', 'x,yc.c.'],
      ['\\qif \\qthen \\qelse \\qotherwise \\qunless \\qgiven \\qusing \\qassume', 'ifthenelseotherwiseunlessgivenusingassume'],
      ['\\qsince \\qlet \\qfor \\qall \\qeven \\qodd \\qinteger \\qand \\qor \\qas \\qin', 'sinceletforallevenoddintegerandorasin'],
      ['\\dd x \\differential{y} \\dd[3]{x} \\dd(x)', 'dxdyd3xd(x)'],
      ['\\var{x} \\variation(f)', 'δxδ(f)'],
      ['\\flatfrac{a}{b}', 'a/b'],
      [
        '\\derivative{f}{x} \\partialderivative{f}{x} \\pderivative{f}{x} \\functionalderivative{F}{x} \\fderivative{F}{x}',
        'dfdx∂f∂x∂f∂xδFδxδFδx',
      ],
      ['\\pdv[2]{f}{x}{y}', '∂2f∂x∂y'],
      ['\\dv{x}(x^2)', 'ddx(x2)'],
      ['\\bra{a}\\ket{b}', '⟨a|b⟩'],
      ['\\bra{a} \\ket*{b}', '⟨a|b⟩'],
      ['\\bra*{a} + \\ket*{b}', '⟨a|+|b⟩'],
      ['\\innerproduct{a}{b} \\braket*{a}{b}', '⟨a|b⟩⟨a|b⟩'],
      ['\\ketbra{a} \\outerproduct{a}{b} \\dyad{a}{b} \\op{a}{b} \\ketbra*{a}{b}', '|a⟩⟨a||a⟩⟨b||a⟩⟨b||a⟩⟨b||a⟩⟨b|'],
      ['\\expectationvalue{H} \\expval*{H} \\expval{H}{\\psi} \\expval**{H}{\\psi}', '⟨H⟩⟨H⟩⟨ψ|H|ψ⟩⟨ψ|H|ψ⟩'],
      ['\\matrixelement{m}{V}{n} \\mel*{m}{V}{n} \\mel**{m}{V}{n}', '⟨m|V|n⟩⟨m|V|n⟩⟨m|V|n⟩'],
      ['\\mqty*(a & b) \\Pmqty{a & b}', '⟮ab⟯⟮ab⟯'],
      ['\\matrixquantity[a] \\mqty|a|', '[a]|a|'],
      ['\\smqty(a & b) \\smallmatrixquantity[a] \\spmqty{a} \\sPmqty{a} \\sbmqty{a} \\svmqty{a}', '(ab)[a](a)⟮a⟯[a]|a|'],
      ['\\mdet{a & b \\\\ c & d} \\matrixdeterminant{a} \\smdet{a}', '|abcd||a||a|'],
      ['\\mqty(\\imat{2}) \\mqty(\\identitymatrix{1})', '(1001)(1)'],
      ['\\mqty(\\xmat{x}{2}{2}) \\mqty(\\xmatrix*{a}{1}{2}) \\mqty(\\xmat*{a}{2}{1})', '(xxxx)(a1a2)(a1a2)'],
      ['\\mqty(\\zmat{1}{2}) \\mqty(\\zeromatrix{1}{1})', '(00)(0)'],
      ['\\mqty(\\pmat{0}) \\mqty(\\pmat{x}) \\mqty(\\paulimatrix{2}) \\mqty(\\pmat{z})', '(1001)(0110)(0−ii0)(100−1)'],
      ['\\mqty(\\dmat{1,2}) \\mqty(\\diagonalmatrix{a}) \\mqty(\\admat{1,2}) \\mqty(\\antidiagonalmatrix{a})', '(12)(a)(12)(a)'],
    ]
    readsAs(cases)
  })

  it('puts \\dmat’s entries on the diagonal and \\admat’s on the other one', () => {
    /** The start of the formula's outer matrix's first row (an empty cell, or the nested block of an entry). */
    const rowStart = (tex: string) => {
      const html = physics(tex).html.replace(/<\/?mstyle[^>]*>/g, '')
      return html.slice(html.indexOf('<mtr>') + 5, html.indexOf('<mtr>') + 29)
    }
    expect(rowStart('\\mqty(\\dmat{1,2})')).toMatch(/^<mtd><mtable/)
    expect(rowStart('\\mqty(\\admat{1,2})')).toBe('<mtd><mrow></mrow></mtd>')
  })

  it('shows no star of a starred form, and keeps a colour written #123456 inside an argument it rereads', () => {
    for (const tex of [
      '\\braket*{a}{b}',
      '\\expval*{H}{\\psi}',
      '\\mel*{m}{V}{n}',
      '\\ketbra*{a}{b}',
      '\\comm*{A}{B}',
      '\\bra*{a}\\ket{b}',
    ]) {
      const { html, errors } = physics(tex)
      expect(errors, tex).toBe(0)
      expect(spoken(html), tex).not.toMatch(/[*∗]/)
    }
    // KaTeX reads #1… in an expansion as a parameter: the colour must reach \color whole, and y stay y.
    for (const tex of [
      '\\qty(\\color{#123456}{x}) + y',
      '\\braket{\\color{#123456}{a}}{b} + y',
      '\\pqty{\\color{#1e90ff}{x}} + y',
      '\\sin(\\color{#123456}{x}) + y',
    ]) {
      const { html, errors } = physics(tex)
      expect(errors, tex).toBe(0)
      expect(html, tex).toMatch(/color:\s*#123456|color:\s*#1e90ff/)
      expect(spoken(html), tex).toMatch(/\+y/)
    }
  })

  it('spaces brackets opened after a command as MathJax does, and puts a power on the whole', () => {
    const thinSpace = /mspace" style="margin-right:0.1667em/
    /** The page's markup between the function's name and its bracket. */
    const between = (tex: string) => {
      const { html } = physics(tex)
      const page = html.slice(html.indexOf('katex-html'))
      return page.slice(page.indexOf('>sin<'), page.indexOf('(</span>'))
    }
    // (KaTeX spaces \sin\left(…\right) as TeX does an operator before an inner formula: a thin space.)
    expect(between('\\sin\\left(x\\right)')).toMatch(thinSpace)
    expect(between('\\sin(\\frac{a}{b})')).not.toMatch(thinSpace)
    const { html } = physics('\\qty(\\frac{a}{b})^2')
    expect(html).toMatch(/<msup><mrow><mo fence="true">\(<\/mo>[\s\S]*<mo fence="true">\)<\/mo><\/mrow><mn>2<\/mn><\/msup>/)
  })

  it('refuses a matrix of more than 20 rows or columns (a comment cannot make a huge one)', () => {
    for (const tex of ['\\mqty(\\imat{21})', '\\mqty(\\xmat{0}{100}{100})', '\\mqty(\\imat{x})', '\\mqty(\\xmat{0}{2.5}{2})']) {
      expect(physics(tex).errors, tex).toBe(1)
    }
    expect(physics('\\mqty(\\imat{20})').errors).toBe(0)
  })

  it('keeps a short comment short: what the macros write is bounded per comment, more generously per post', () => {
    // A bracket that repeats its argument, nested in itself, doubles at every level.
    const nested = `$\\require{physics}${'\\expval{a}{'.repeat(150)}x${'}'.repeat(150)}$`
    const deep = renderComment(nested)
    expect(parseHtml(deep.html).byClass('math-error')).toHaveLength(1)
    expect(deep.html).toContain('write too much TeX')
    // Its plain text (the sidebar's, the feed's) writes a long repeated part once.
    expect(texToText(nested).length).toBeLessThan(nested.length)
    // Matrices made by \imat: a few, then errors, instead of megabytes of markup.
    const many = renderComment(`$\\require{physics}$${'$\\mqty(\\imat{20})$'.repeat(100)}`)
    const errors = parseHtml(many.html).byClass('math-error').length
    expect(errors).toBeGreaterThan(90)
    expect(many.html.length).toBeLessThan(600_000)
    // A post may write more (its author is the blog's): ten such matrices typeset.
    const post = renderMarkdown(`$\\require{physics}$${'$\\mqty(\\imat{20})$'.repeat(10)}`, 'post')
    expect(post.mathErrors).toBe(0)
  })

  it('holds for the rest of the post only, and leaves a post’s own earlier \\newcommand alone', () => {
    expect(display('\\abs{x}').errors).toBe(1)
    const own = renderMarkdown('$\\newcommand{\\abs}[1]{|#1|_{own}}$\n\n$\\require{physics}\\abs{x}$', 'post')
    expect(own.mathErrors).toBe(0)
    expect(spoken(own.html)).toContain('own')
  })

  it('turns a broken use into an error of that formula only', () => {
    const { html, errors } = physics('\\qty(a + b')
    expect(errors).toBe(1)
    expect(html).toContain('math-error')
    // (\mqty with no brackets after it is an empty pair, as in MathJax.)
    expect(physics('\\mqty a').errors).toBe(0)
  })

  it('works in a reader’s comment that asks for it', () => {
    const { html } = renderComment('$\\require{physics}\\expval{\\hat{H}}{\\psi} = E$')
    expect(parseHtml(html).byClass('math-error')).toHaveLength(0)
    expect(spoken(html)).toContain('ψ')
  })

  it('is on everywhere on a site that lists it in MATH_PACKAGES, posts and comments; a site macro still wins', () => {
    const config = siteConfig({ MATH_PACKAGES: 'physics', MATH_MACROS: '{"\\\\curl": "\\\\operatorname{rot}"}' })
    expect(config.mathPackages).toEqual(['physics'])
    const post = renderMarkdown('$\\dv{f}{x}$ 与 $\\div\\vb{E}$ 与 $\\curl\\vb{B}$', 'post', postRenderOptions(config))
    expect(post.mathErrors).toBe(0)
    expect(spoken(post.html)).toContain('∇⋅E')
    expect(spoken(post.html)).toContain('rot\u2061B')
    const comment = renderComment('$\\abs{x} \\le \\norm{y}$', commentRenderOptions(config))
    expect(parseHtml(comment.html).byClass('math-error')).toHaveLength(0)
    // Without the setting, the same comment asks for \require{physics} first.
    expect(parseHtml(renderComment('$\\abs{x}$', commentRenderOptions(siteConfig({}))).html).byClass('math-error')).toHaveLength(1)
  })

  it('reads as text in descriptions, the table of contents and the sidebar', () => {
    expect(texToText('$\\require{physics}\\dv[2]{\\theta}{t} = 0$')).toBe('d²θ/dt² = 0')
    expect(texToText('$\\dv{f}{x}$，$\\dv[2]{\\theta}{t}$，$\\pdv{f}{x}{y}$，$\\dv{x}$')).toBe('df/dx，d²θ/dt²，∂²f/∂x∂y，d/dx')
    expect(texToText('$\\abs{x} \\le \\norm{\\vb{v}}$')).toBe('|x| ≤ ‖v‖')
    expect(texToText('$\\abs*{x}$，$\\sqrt[3]{8}$')).toBe('|x|，∛8')
    expect(texToText('$\\braket{\\phi}{\\psi}$，$\\expval{H}{\\psi}$，$\\expval{H}$，$\\mel{m}{V}{n}$')).toBe(
      '⟨ϕ|ψ⟩，⟨ψ|H|ψ⟩，⟨H⟩，⟨m|V|n⟩',
    )
    expect(texToText('$\\ket{0}$ 与 $\\comm{A}{B}$')).toBe('|0⟩ 与 [A, B]')
    expect(texToText('$\\expval*{H}{\\psi}$')).toBe('⟨ψ|H|ψ⟩')
    expect(texToText('$\\grad\\phi$，$\\laplacian u$，$\\tr\\rho$')).toBe('∇ϕ，∇² u，tr ρ')

    // The package's other commands and long names.
    expect(texToText('$\\pqty{x}\\bqty{y}\\vqty{z}$，$\\absolutevalue{x}$，$\\abs\\big{x}$，$\\order{h^2}$')).toBe(
      '(x)[y]|z|，|x|，|x|，O(h²)',
    )
    expect(texToText('$\\commutator{A}{B}$，$\\poissonbracket{f}{g}$，$\\ketbra{a}$，$\\op{a}{b}$，$\\expval**{H}{\\psi}$')).toBe(
      '[A, B]，{f, g}，|a⟩⟨a|，|a⟩⟨b|，⟨ψ|H|ψ⟩',
    )
    expect(texToText('$\\derivative{f}{x}$，$\\dd{x}$，$\\dd[2]{x}$，$\\var{f}$，$\\eval{x}_0^1$')).toBe('df/dx，dx，d²x，δf，x|₀¹')
    expect(texToText('$\\sech x$，$\\naturallogarithm x$，$\\trace A$，$\\real z$，$x \\qif y$，$a \\qc b$')).toBe(
      'sech x，ln x，tr A，ℜ z，x if y，a, b',
    )
    expect(texToText('$\\mdet{a}$，$\\mqty(\\pmat{1})$，$\\mqty(\\dmat{1,2})$')).toBe('|a|，(σ₁)，(diag(1, 2))')
  })
})

// upgreek, which a MathJax post loads with \require{upgreek} (or a site with MATH_PACKAGES).
describe('the upgreek package', () => {
  it('sets \\upmu and the other lower-case letters upright after \\require{upgreek}, and only then', () => {
    expect(display('\\upmu').errors).toBe(1)
    const { html, mathErrors } = renderMarkdown('$\\require{upgreek}5\\,\\upmu\\mathrm{m}$，之后 $\\upalpha + \\Upomega$', 'post')
    expect(mathErrors).toBe(0)
    // Upright: text, not an italic math identifier.
    expect(html).toMatch(/<mtext>μ<\/mtext>/)
    expect(html).toMatch(/<mtext>α<\/mtext>/)
    expect(spoken(html)).toContain('Ω')
    expect(texToText('$5\\,\\upmu\\mathrm{m}$，$\\Upomega$，$\\upsilon$')).toBe('5 μm，Ω，υ')
    expect(renderMarkdown('$\\require{upgreek}\\upomicron$', 'post').html).toMatch(/<mtext>ο<\/mtext>/)
    expect(renderComment('$\\upmu$', commentRenderOptions(siteConfig({ MATH_PACKAGES: 'upgreek, physics' }))).html).not.toContain(
      'math-error',
    )
  })

  it('is refused in MATH_PACKAGES under a name MathJax does not have here', () => {
    expect(siteConfig({}).mathPackages).toEqual([])
    expect(siteConfig({ MATH_PACKAGES: '' }).mathPackages).toEqual([])
    expect(siteConfig({ MATH_PACKAGES: 'upgreek，physics,upgreek' }).mathPackages).toEqual(['upgreek', 'physics'])
    expect(() => siteConfig({ MATH_PACKAGES: 'physics,centernot' })).toThrow('Invalid setting MATH_PACKAGES: unknown package "centernot"')
  })
})

describe('the mathtools package', () => {
  it('is off until \\require{mathtools}, then has \\DeclarePairedDelimiter, \\prescript, \\splitfrac and the small matrices', () => {
    expect(display('\\prescript{14}{6}{C}').errors).toBe(1)
    expect(display('\\begin{psmallmatrix} 1 \\end{psmallmatrix}').errors).toBe(1)
    const md = [
      '$$\n\\require{mathtools}\\DeclarePairedDelimiter{\\abs}{\\lvert}{\\rvert}\n\\abs{x} + \\abs*{\\frac{a}{b}} + \\abs[\\Big]{y}\n$$',
      '之后：$\\prescript{14}{6}{\\mathrm{C}}$，$\\begin{psmallmatrix} 1 & 2 \\\\ 3 & 4 \\end{psmallmatrix}$，$\\begin{Vsmallmatrix} a \\end{Vsmallmatrix}$，' +
        '$x = \\splitfrac{a+b}{+c}$，$\\smashoperator{\\sum_{i \\in I}} x_i$，$\\adjustlimits\\lim_n \\sup_k a$，$\\mathtoolsset{showonlyrefs} y$',
      '$$\n\\begin{align} a &= b \\\\ \\shortintertext{所以} c &= d \\end{align}\n$$',
    ].join('\n\n')
    const { html, mathErrors } = renderMarkdown(md, 'post')
    expect(mathErrors).toBe(0)
    const parts = spoken(html).split(' | ')
    // |x| at the normal size, grown with *, \\Big when asked: KaTeX's MathML says which.
    expect(parts[0]).toBe('∣x∣+∣ab∣+∣y∣')
    expect(html).toMatch(/<mo fence="true">∣<\/mo><mfrac>/)
    expect(html).toMatch(/<mo fence="true" stretchy="true" minsize="1.8em" maxsize="1.8em">∣<\/mo><mi>y<\/mi>/)
    expect(parts[1]).toBe('614C')
    expect(parts[2]).toBe('(1234)')
    expect(parts[3]).toBe('∥a∥')
    expect(parts.slice(5, 8)).toEqual(['∑i∈Ixi', 'lim⁡nsup⁡ka', 'y'])
    expect(parseHtml(html).byClass('math-intertext')).toHaveLength(1)
    // On everywhere with MATH_PACKAGES; plain text reads it.
    expect(
      renderComment(
        '$\\prescript{a}{b}{c} + \\begin{bsmallmatrix} 1 \\end{bsmallmatrix}$',
        commentRenderOptions(siteConfig({ MATH_PACKAGES: 'mathtools' })),
      ).html,
    ).not.toContain('math-error')
    expect(texToText('$\\prescript{14}{6}{C}$，$\\DeclarePairedDelimiter{\\abs}{\\lvert}{\\rvert}\\abs{x}$')).toBe('¹⁴₆C，|x|')
  })

  it('has the rest of what MathJax’s mathtools has that a post uses: laps, boxes, colons, arrows, \\bigtimes, environments', () => {
    const md = [
      '$\\require{mathtools}$',
      '$$\n\\textllap{注} x + \\crampedllap{y} + \\mathmakebox[2em][l]{z} + \\mathmbox{w} + a \\centercolon b + \\nuparrow + \\ndownarrow + \\bigtimes_{i=1}^n A_i + \\xmathstrut[.1]{.5} v + \\sum_{\\crampedsubstack{i<n\\\\j<m}} u\n$$',
      '$$\n\\newtagform{brackets}{[}{]}\\usetagform{brackets} \\begin{psmallmatrix*}[r] 1 & -1 \\\\ -10 & 2 \\end{psmallmatrix*} + \\begin{smallmatrix*}[l] a \\end{smallmatrix*} + \\sum_{\\begin{crampedsubarray}{c} i<n \\\\ j<m \\end{crampedsubarray}} t\n$$',
      '$$\n\\begin{lgathered} a+b \\\\ c \\end{lgathered} + \\begin{rgathered} a+b \\\\ c \\end{rgathered} + \\begin{multlined}[t][10em] a+b+c \\\\ d \\end{multlined} + \\begin{spreadlines}{1em} s \\end{spreadlines}\n$$',
      '$$\n\\begin{align*} a &= b \\\\ \\shortvdotswithin{=} &= c \\end{align*}\n$$',
      '$$\n\\begin{equation} E = mc^2 \\label{eq:e} \\end{equation}\n$$\n\n见 $\\refeq{eq:e}$。',
    ].join('\n\n')
    const { html, mathErrors } = renderMarkdown(md, 'post')
    expect(mathErrors).toBe(0)
    const parts = spoken(html).split(' | ')
    expect(parts[1]).toMatch(/^注x\+y\+z\+w\+a:b\+↑\u0338\+↓\u0338\+×/)
    expect(parts[2]).toBe('(1−1−102)+a+∑i&lt;nj&lt;mt')
    expect(parts[3]).toBe('a+bc+a+bc+a+b+cd+s')
    // The dots in a row of their own, under the relation's column; the next row goes on.
    expect(parts[4]).toBe('a=b⋮=c')
    // mathtools' \refeq: the number without parentheses, a link to the equation.
    expect(html).toMatch(/<a tabindex="-1" href="#eq-eq:e">[\s\S]*?>1<\/span>/)
    // Each line of lgathered after the alignment point (at its left), of rgathered before it.
    expect(html).toMatch(/<mtd><mstyle[^>]*><mrow><\/mrow><\/mstyle><\/mtd><mtd><mstyle[^>]*><mrow><mrow><\/mrow><mi>a<\/mi>/)
    expect(
      texToText('$\\textllap{x} \\crampedllap[\\scriptstyle]{y} \\mathmakebox[1em][l]{z}$，$\\xmathstrut[.1]{.5} \\usetagform{b} x$'),
    ).toBe('x y z， x')
  })

  it('has cases* (and dcases*, rcases*, drcases*) with its text column, \\MoveEqLeft and \\cramped', () => {
    expect(display('\\begin{cases*} a & b \\end{cases*}').errors).toBe(1)
    const cases = display(
      '\\require{mathtools} f(x) = \\begin{cases*} x^2 & if $x \\ge 0$，即非负 \\\\[4pt] \\begin{matrix} a & b \\end{matrix} & {both} x \\cr 0 & otherwise \\end{cases*}',
    )
    expect(cases.errors).toBe(0)
    // What copy-tex copies is the TeX the author wrote (as MathJax's "Show Math As TeX" shows it), not
    // the rewriting KaTeX read (the text column as \text{…}).
    expect(cases.html).toContain(
      '<annotation encoding="application/x-tex">\\require{mathtools} f(x) = \\begin{cases*} x^2 &amp; if $x \\ge 0$，即非负 \\\\[4pt]',
    )
    // The second column is text, with its own formulas; `&` inside a nested environment stays there.
    const texts = [...cases.html.matchAll(/<mtext>([^<]*)<\/mtext>/g)].map((m) => m[1])
    expect(texts).toEqual(['if\u00a0', '，即非负', 'both\u00a0x', 'otherwise'])
    expect(cases.html).toMatch(/<mtext>if\u00a0<\/mtext><mstyle[^>]*><mi>x<\/mi><mo>≥<\/mo><mn>0<\/mn><\/mstyle>/)
    expect(cases.html).toMatch(/<mtd>(<mstyle[^>]*>)?<mtable[^>]*><mtr><mtd>(<mstyle[^>]*>)?<mi>a<\/mi>/)
    for (const env of ['dcases*', 'rcases*', 'drcases*'])
      expect(display(`\\require{mathtools}\\begin{${env}} 1 & one \\\\ 2 & two \\end{${env}}`).errors).toBe(0)
    // \\MoveEqLeft[3]: the first line starts 3em left of the alignment point, as mathtools defines it.
    const moved = display('\\require{mathtools}\\begin{align*} \\MoveEqLeft[3] a + b \\\\ &= c \\end{align*}')
    expect(moved.html).toMatch(
      /<mtd>(<mstyle[^>]*>)?<mspace width="3em"><\/mspace>(<\/mstyle>)?<\/mtd><mtd>(<mstyle[^>]*>)?<mrow><mrow><\/mrow><mspace width="-3em"><\/mspace><mi>a<\/mi>/,
    )
    expect(display('\\require{mathtools}\\begin{align*} \\MoveEqLeft a \\\\ &= c \\end{align*}').html).toContain('<mspace width="2em">')
    expect(spoken(display('\\require{mathtools} x^{\\cramped{y^2}} + \\cramped[\\scriptstyle]{z}').html)).toBe('xy2+z')
    // \\underbracket and \\overbracket: the argument with a segment under (over) it and the label below (above).
    const brackets = display('\\require{mathtools} \\underbracket[0.6pt][4pt]{a+b}_{n} + \\overbracket{c}^{m}')
    expect(brackets.errors).toBe(0)
    expect(withoutSource(brackets.html)).toContain('svg')
    expect(brackets.html).toMatch(/<munder>[\s\S]*<mi>n<\/mi><\/munder>[\s\S]*<mover>[\s\S]*<mi>m<\/mi><\/mover>/)
    expect(texToText('$\\underbracket[1pt]{a+b}_{n}$')).toBe('a+b_n')
    expect(texToText('\\(\\begin{cases*} 1 & if $x>0$ \\end{cases*}\\) $\\MoveEqLeft[3] a$ $\\cramped[\\scriptstyle]{x^2}$')).toBe(
      '1 & if x>0 a x²',
    )
  })
})
