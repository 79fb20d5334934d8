/**
 * The write path's rendering, in one module that render/load.ts loads on first use: KaTeX, marked,
 * highlight.js, js-yaml and htmlparser2 are behind it. Nothing a reader's request runs imports
 * this module (or those libraries) statically.
 */
export { renderPost, internalLinks } from './render-post'
export { renderComment, commentExcerpt } from './render-comment'
export { parseFrontMatter, stringifyFrontMatter } from './front-matter'
export { searchDocOf } from '../search/doc'
