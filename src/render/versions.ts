import { FEED_FORM_REVISION } from './feed-html'

/**
 * The versions that name a renderer, without the renderer: the read path compares stored records
 * and comments with them (and names KaTeX's stylesheet by its version) but never renders, so it
 * does not load KaTeX, marked or highlight.js for them (render/load.ts).
 */

/** KaTeX's version, as `katex.version` says (test/render/versions.test.ts checks it after an upgrade). */
export const KATEX_VERSION = '0.19.1'

/** highlight.js's version (`hljs.versionString`, checked the same way): a new version can change code markup. */
export const HIGHLIGHTER_VERSION = '11.12.0'

/** Bump when this renderer's own output changes (markup the theme relies on, numbering, …). */
const RENDERER_REVISION = 30 // 2: AMS numbering, environments, math-error, highlighting, footnotes, figures; 3: equation links out of the tab order in KaTeX's hidden part; 4: formulas readable in the table of contents, footnotes named for screen readers; 5: table-of-contents entries capped at 200 characters; 6: code blocks focusable (tabindex=0: a keyboard scrolls a long line); 7: mhchem's \ce and \pu typeset (they were errors); 8: MathML's empty elements closed with an end tag (a self-closed <mspace/> in an operator swallowed the page after it); 9: more of MathJax's commands (\mbox, \raise, plain TeX's \pmatrix and \cases, \sideset, \cancelto, …) and flalign; 10: the upgreek package (\upmu …) after \require{upgreek}; 11: \definecolor; 12: \style's colours and bold; 13: a $ inside braces does not end an inline formula (MathJax's rule); MathJax's dvips colour names and \color[model]{…}; 14: \Rule, \Space, \moveleft, \moveright, \raise…\hbox{…}; 15: \newenvironment; 16: \intertext; 17: the mathtools package; 18: MathJax 3.2's math alphabets and \sym…, \stackbin, \overunderset, \framebox, centernot, mathtools' cases* and \MoveEqLeft; \not read in plain text; 19: the cases package's numcases and subnumcases; 20: colortbl's \rowcolor, \cellcolor, \columncolor; \enclose{circle} around one character; an array's column spec not in plain text; 21: \intertext's pieces share their columns; 22: \underbracket, \overbracket; 23: numcases' numbers without a sideways overflow; 24: cases*'s TeX annotation without internal macro names; 25: the whole physics package as MathJax has it (long names, stars, sizes, \sin[2](x), \qq, matrices), a # in an argument it rereads kept; 26: MathJax base's old font switches, \eqalignno, xalignat, \uproot; braket's \ketbra; mhchem's arrows; more of mathtools; every KaTeX symbol in plain text; 27: the empheq environment; 28: display formulas and tables focusable (tabindex=0: a keyboard scrolls one wider than the column); 29: the MathML annotation (what copy-tex copies) and a failed formula hold the author's TeX, not the numbering's or the compatibility layer's rewriting; 30: a \colorbox in a translucent colour marked (the dark theme backs the opaque ones with white)

/**
 * The identity of the renderer that made a stored post: this code's revision plus the versions of
 * KaTeX and highlight.js, so that upgrading either re-renders every post (README: Re-rendering),
 * and the revision of the feed form kept in each post's feed item (render/feed-html.ts), so that a
 * new form writes every post's item again.
 */
export const RENDER_VERSION = `${RENDERER_REVISION}+katex-${KATEX_VERSION}+hljs-${HIGHLIGHTER_VERSION}+feed-${FEED_FORM_REVISION}`

/** The identity of the renderer that made a stored comment. */
export const COMMENT_RENDER_VERSION = `28+katex-${KATEX_VERSION}` // 3: formulas readable in the excerpt; 4: code blocks focusable; 5: mhchem's \ce and \pu; 6: MathML's empty elements closed with an end tag; 7: more of MathJax's commands; 8: upgreek; 9: \definecolor; 10: \style's colours; 11: a $ inside braces does not end an inline formula; dvips colour names, \color[model]{…}; 12: \Rule, \Space, \moveleft, \moveright, \raise…\hbox; 13: \newenvironment; 14: \intertext; 15: mathtools; 16: math alphabets, centernot, cases*, \not in plain text; 17: numcases; 18: colortbl, \enclose{circle}; 19: \intertext's columns; 20: \underbracket, \overbracket; 21: numcases; 22: cases*'s annotation; 23: the physics package; 24: more of MathJax's commands, every KaTeX symbol in the excerpt; 25: empheq; 26: display formulas and tables focusable; 27: the annotation holds the author's TeX; 28: translucent \colorbox marked
