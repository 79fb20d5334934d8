import { describe, expect, it } from 'vitest'
import { renderComment } from '../../src/render/render-comment'
import { renderMarkdown } from '../../src/render/render-markdown'
import { texToText } from '../../src/render/tex-text'
import { parseHtml } from '../html'

/** The formulas of `html`: the TeX each was typeset from (KaTeX's MathML annotation), and the errors. */
function formulas(html: string): { sources: string[]; errors: number; mathml: string[] } {
  const page = parseHtml(html)
  return {
    sources: page.tags('annotation').map((e) => page.text(e)),
    errors: page.byClass('math-error').length + page.byClass('katex-error').length,
    mathml: [...html.matchAll(/<math[^>]*>([\s\S]*?)<\/math>/g)].map((m) => spoken(m[1]!)),
  }
}

/** What a screen reader reads of a formula's MathML: no TeX annotation, no phantoms (mhchem aligns subscripts with one). */
function spoken(mathml: string): string {
  return mathml
    .replace(/<annotation[\s\S]*?<\/annotation>/g, '')
    .replace(/<mphantom>[\s\S]*?<\/mphantom>/g, '')
    .replace(/<[^>]+>/g, '')
}

// What a chemistry or physics post on a MathJax blog writes with mhchem (\require{mhchem}, or the
// extension in its configuration): formulas, charges, states, arrows with conditions, precipitates
// and gases, hydrates, nuclides, and \pu for quantities with units.
const CHEMISTRY = [
  '\\ce{H2O}',
  '\\ce{2H2 + O2 -> 2H2O}',
  '\\ce{CO2(aq) + H2O <=> H2CO3 <=> H+ + HCO3-}',
  '\\ce{SO4^2- + Ba^2+ -> BaSO4 v}',
  '\\ce{CaCO3 ->[\\Delta] CaO + CO2 ^}',
  '\\ce{Hg^2+ ->[I-] HgI2 ->[I-] [Hg^{II}I4]^2-}',
  '\\ce{CuSO4*5H2O}',
  '\\ce{^{235}_{92}U + ^{1}_{0}n -> ^{141}_{56}Ba + ^{92}_{36}Kr + 3^{1}_{0}n}',
  '\\ce{NaOH(aq,$\\infty$)}',
  '\\pu{8.314 J K-1 mol-1}',
  '\\pu{2.3e-3 mol}',
  'n = \\frac{m}{M} = \\frac{\\pu{0.10 g}}{\\pu{44 g/mol}}',
]

describe('chemistry (mhchem) in posts and comments', () => {
  it('typesets \\ce and \\pu in a post, inline and display, with nothing left as an error', () => {
    const md = CHEMISTRY.map((tex, i) => (i % 2 ? `反应式$${tex}$成立。` : `$$\n${tex}\n$$`)).join('\n\n')
    const { html, mathErrors } = renderMarkdown(md, 'post')
    expect(mathErrors).toBe(0)
    const found = formulas(html)
    expect(found.errors).toBe(0)
    // Markdown left every source intact (`->`, `<=>`, `*`, `^`, `_`, `[…]`).
    expect(found.sources).toEqual(CHEMISTRY)
    // Typeset, not echoed: the subscript of H2O and the charge of SO4^2- are in the MathML.
    const page = parseHtml(html)
    expect(page.tags('msub').length).toBeGreaterThan(10)
    expect(found.mathml[0]).toBe('H2O')
    expect(found.mathml[3]).toContain('2−')
    // The reaction arrows are arrows: → and ⇌ (mhchem draws them as extensible arrows).
    expect(found.mathml.join(' ')).toMatch(/→|⟶/)
    expect(found.mathml[2]).toMatch(/⇌|⇄/)
  })

  it('typesets them in a reader’s comment too', () => {
    const { html } = renderComment('沉淀反应：$\\ce{Ag+ + Cl- -> AgCl v}$，气体的摩尔体积约$\\pu{22.4 L mol-1}$。')
    const found = formulas(html)
    expect(found.errors).toBe(0)
    expect(found.sources).toEqual(['\\ce{Ag+ + Cl- -> AgCl v}', '\\pu{22.4 L mol-1}'])
  })

  it('accepts \\require{mhchem} (MathJax’s way to load it) and ignores it', () => {
    const { html, mathErrors } = renderMarkdown('$$\n\\require{mhchem}\\ce{N2 + 3H2 <=> 2NH3}\n$$', 'post')
    expect(mathErrors).toBe(0)
    expect(formulas(html).mathml[0]).toMatch(/^N2\+3\s?H2⇌2\s?NH3$/)
  })

  it('keeps a malformed \\ce visible as its source, as any formula that does not parse', () => {
    const { html, mathErrors } = renderMarkdown('坏的：$\\ce{H2O$，其余照常。', 'post')
    expect(mathErrors).toBe(1)
    const page = parseHtml(html)
    expect(page.byClass('math-error')).toHaveLength(1)
    expect(page.text(page.byClass('math-error')[0]!)).toBe('\\ce{H2O')
    expect(page.text(page.tags('p')[0]!)).toContain('其余照常')
  })

  it('reads well as plain text (descriptions, link previews, the recent-comments sidebar)', () => {
    expect(texToText('$\\ce{H2O}$')).toBe('H₂O')
    expect(texToText('$\\ce{2H2 + O2 -> 2H2O}$')).toBe('2H₂ + O₂ → 2H₂O')
    expect(texToText('$\\ce{CO2(aq) + H2O <=> H2CO3}$')).toBe('CO₂(aq) + H₂O ⇌ H₂CO₃')
    expect(texToText('$\\ce{SO4^2- + Ba^2+ -> BaSO4 v}$')).toBe('SO₄²⁻ + Ba²⁺ → BaSO₄↓')
    expect(texToText('$\\ce{CaCO3 ->[\\Delta] CaO + CO2 ^}$')).toBe('CaCO₃ →(Δ) CaO + CO₂↑')
    expect(texToText('$\\ce{CuSO4*5H2O}$')).toBe('CuSO₄·5H₂O')
    expect(texToText('$\\ce{Fe^3+}$ 与 $\\ce{OH-}$')).toBe('Fe³⁺ 与 OH⁻')
    expect(texToText('$\\ce{^{14}_{6}C}$')).toBe('¹⁴₆C')
    expect(texToText('$\\pu{8.314 J K-1 mol-1}$')).toBe('8.314 J K⁻¹ mol⁻¹')
    expect(texToText('$\\pu{2.3e-3 mol}$')).toBe('2.3×10⁻³ mol')
    expect(texToText('$\\pu{44 g/mol}$')).toBe('44 g/mol')
  })
})
