import { KATEX_VERSION } from '../render/versions'
import { ASSETS } from './asset-manifest'

/** KaTeX's CSS and fonts, copied by scripts/build-assets.mjs into a folder named by its version. */
export const KATEX_CSS = `/assets/katex-${KATEX_VERSION}/katex.min.css`

/** KaTeX's copy-tex extension, beside its stylesheet: a copied formula is its TeX source (post pages). */
export const KATEX_COPY_TEX_JS = `/assets/katex-${KATEX_VERSION}/copy-tex.min.js`

/** KaTeX's fonts (woff2), beside its stylesheet. */
export const KATEX_FONTS = `/assets/katex-${KATEX_VERSION}/fonts`

/** The site stylesheet, at its content-hashed URL (scripts/build-assets.mjs; cached for a year). */
export const SITE_CSS = ASSETS['site.css']

/** Applies the stored light/dark choice before the first paint and runs the header toggle. */
export const THEME_JS = ASSETS['theme.js']

/** Takes the scroll boxes that fit (display formulas, code blocks, tables) out of the tab order (every page). */
export const SCROLLERS_JS = ASSETS['scrollers.js']

/** The comment form's preview, edit and reply helpers (post pages). */
export const COMMENTS_JS = ASSETS['comments.js']

/** The citation block's copy buttons (post pages). */
export const CITE_JS = ASSETS['cite.js']

/** Refreshes the count of a post page restored from the back-forward cache. */
export const VIEWS_JS = ASSETS['views.js']

/** The search page's extra styles. */
export const SEARCH_CSS = ASSETS['search.css']
