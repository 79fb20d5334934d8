import katex from 'katex'
import { describe, expect, it } from 'vitest'
import { KATEX_SYMBOLS } from '../../src/render/katex-symbols'
import { katexShown, SYMBOLS, texToText } from '../../src/render/tex-text'

// Plain text (descriptions, the sidebar, feeds) reads a symbol command as the character KaTeX
// typesets it as, from a table made from KaTeX (KaTeX itself is not loaded on a reader's way).
describe("the plain-text table of KaTeX's symbols", () => {
  it('holds what the installed KaTeX typesets each symbol as (run npm run gen:symbols after upgrading KaTeX)', () => {
    const names = Object.keys(KATEX_SYMBOLS)
    expect(names.length).toBeGreaterThan(400)
    expect(names.filter((name) => katexShown(katex, name) !== KATEX_SYMBOLS[name])).toEqual([])
    // Only names tex-text's own table does not have.
    expect(names.filter((name) => Object.hasOwn(SYMBOLS, name))).toEqual([])
  })

  it('is what plain text falls back on, and leaves commands that are not symbols out', () => {
    expect(KATEX_SYMBOLS.leqslant).toBe('⩽')
    expect(texToText('$a \\lt b$，$p \\Longrightarrow q$')).toBe('a < b，p ⟹ q')
    expect(katexShown(katex, 'frac')).toBe('')
    expect(katexShown(katex, 'quad')).toBe('')
    expect(katexShown(katex, 'noSuchCommand')).toBe('')
  })
})
