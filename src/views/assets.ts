import katex from 'katex'

/** KaTeX's CSS and fonts, copied by scripts/build-assets.mjs into a folder named by its version. */
export const KATEX_CSS = `/assets/katex-${katex.version}/katex.min.css`

/** The site stylesheet; bump the query when public/assets/site.css changes (cached for a day). */
export const SITE_CSS = '/assets/site.css?v=9'

/** Applies the stored light/dark choice before the first paint and runs the header toggle; bump the query when public/assets/theme.js changes. */
export const THEME_JS = '/assets/theme.js?v=1'
