import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderComment } from '../../src/render/render-comment'
import { renderMarkdown } from '../../src/render/render-markdown'
import { FORMULAS } from '../fixtures/formulas'
import { launch } from './browser'

// KaTeX's markup is written into pages as it comes (only the rest of a post is rebuilt by the
// sanitizer), so how a browser parses it decides where the page after a formula ends up: a
// self-closed MathML element inside a token element once put the rest of the page inside the
// formula's hidden MathML. Each formula here is parsed by Chromium, and must leave its own element
// closed behind it.

/** Formulas beyond the corpus: MathJax's commands (render/mathjax-compat.ts) and spacing inside operators. */
const MORE = [
  '\\mathop{x\\kern1em y}',
  '\\mathop{\\int\\mkern-21mu\\int}_V f',
  '\\operatorname{arg\\,max}_\\theta \\operatorname*{lim\\,sup}_{n} a_n',
  'a\\hskip 2em b\\hspace{1em}c\\mspace{18mu}d\\!\\!e',
  '\\iiiint_V f \\quad \\sideset{_1^2}{_3^4}\\sum_{i=1}^n a_i \\quad \\cancelto{0}{\\partial L}',
  'x\\raise{0.5em}{y}\\lower 2pt z \\mbox{ 若 } \\root 3 \\of {x+1} \\overparen{AB}',
  '\\pmatrix{a & b \\cr c & d} \\cases{1 & 若 $x>0$ \\cr 0 & 其他}',
  '\\bbox[yellow,border:1px solid red]{E=mc^2} \\enclose{box}{x} \\unicode{x2260} \\class{c}{y}',
  '\\ce{SO4^2- + Ba^2+ -> BaSO4 v} \\pu{8.314 J K-1 mol-1}',
  '\\require{physics} \\dv[2]{\\theta}{t} + \\qty(\\frac{a}{b}) + \\braket{\\phi}{\\psi} + \\mqty(a & b \\\\ c & d)',
  '\\begin{CD} A @>f>> B \\\\ @VgVV @VVhV \\\\ C @>>k> D \\end{CD}',
  '\\xrightarrow[\\text{下}]{\\text{上}} \\overset{\\text{def}}{=} \\underbrace{a+b}_{n} \\smash{\\tfrac12} \\phantom{x}',
  '\\color{BrickRed} a + \\textcolor[rgb]{1,0.5,0}{b} + \\fcolorbox{NavyBlue}{Melon}{$c$} + \\text{当 $x>0$ 时}',
  '\\begin{align} a &= b \\\\ \\intertext{所以 $b=c$} c &= \\Rule{1em}{1ex}{0ex} \\moveright 1em \\hbox{d} \\end{align}',
  '\\require{mathtools}\\DeclarePairedDelimiter{\\abs}{\\lvert}{\\rvert} \\abs*{\\splitfrac{a}{b}} + \\prescript{14}{6}{C} + \\begin{psmallmatrix} 1 & 2 \\end{psmallmatrix}',
  '\\begin{array}{>{\\columncolor{yellow}}c|c} \\rowcolor{#f59e0b40} x & y \\\\ 1 & \\cellcolor[rgb]{1,0.9,0.6} 2 \\end{array} \\enclose{circle}{1}',
  '\\begin{numcases}{f(x)=} x^2 & 若 $x \\ge 0$ \\label{nc} \\\\ 0 & 其他 \\end{numcases}',
  '\\require{mathtools} a \\centernot\\implies b + \\symbf{W}\\mathbfsf{T} + \\begin{cases*} 1 & 若 $x>0$ \\\\ 0 & 其他 \\end{cases*} \\stackbin{!}{=} \\framebox{框} \\underbracket{a+b}_{n}',
  '\\require{physics} \\sin[2](\\frac{x}{2}) + \\bra{a}\\ket{b} + \\qq{若} \\pqty{\\color{#123456}{x}} + \\mqty(\\pmat{2}) + \\dd[2]{x}',
  '\\begin{empheq}[left=\\text{组}\\empheqlbrace]{align} x &= 1 \\label{eh} \\\\ y &= \\frac{1}{2} \\end{empheq}',
  '{\\scr L} + \\eqalignno{a &= b & (1) \\cr} + \\left\\arrowvert x \\right\\arrowvert + \\ketbra{a}{b} + \\require{mathtools}\\bigtimes_{i} A_i',
]

/** Every formula as a post (inline between CJK text, or a display block) and as a reader's comment. */
function fragments(): { label: string; html: string }[] {
  const all = [...FORMULAS.map((f) => ({ tex: f.tex, display: f.display })), ...MORE.map((tex) => ({ tex, display: true }))]
  return all.flatMap(({ tex, display }, i) => {
    const md = display ? `$$\n${tex}\n$$\n` : `文字$${tex}$文字`
    return [
      { label: `#${i} post: ${tex.slice(0, 60)}`, html: renderMarkdown(md, 'post').html },
      { label: `#${i} comment: ${tex.slice(0, 60)}`, html: renderComment(md).html },
    ]
  })
}

let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

describe('formulas parsed by Chromium', () => {
  it('each stays inside its own element: nothing after a formula ends up inside it', async () => {
    const parts = fragments()
    expect(parts.length).toBeGreaterThan(2 * 160)
    const page = await browser.newPage()
    const body = parts.map((p, i) => `<section id="f${i}">${p.html}</section>`).join('\n')
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"></head><body>${body}<footer id="end"></footer></body></html>`)
    const misplaced = await page.evaluate((n) => {
      const out: number[] = []
      for (let i = 0; i < n; i++) if (document.getElementById(`f${i}`)?.parentElement !== document.body) out.push(i)
      if (document.getElementById('end')?.parentElement !== document.body) out.push(n)
      return out
    }, parts.length)
    expect(misplaced.map((i) => parts[i]?.label ?? 'the footer')).toEqual([])
    // And every formula is there: KaTeX's markup in each section; one element each, but the \intertext
    // formula is three (two pieces and the text), as a post and as a comment: 4 more.
    expect(await page.locator('section:has(.katex)').count()).toBe(parts.length)
    expect(await page.locator('.katex').count()).toBe(parts.length + 4)
    await page.close()
  })
})
