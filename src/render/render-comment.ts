import { blockPlainText, lexMarkdown, renderMarkdown, type RenderOptions } from './render-markdown'
import { texToText } from './tex-text'
import { sliceWhole } from '../lib/unicode'

/** Like RENDER_VERSION for posts: stored comments made by another renderer are re-rendered. */
export { COMMENT_RENDER_VERSION } from './versions'

export interface RenderedComment {
  html: string
  /** Short plain text for the recent-comments list (formulas made readable: α ≤ √x, see tex-text). */
  excerpt: string
}

/** Deeper nesting than this is flattened before marked sees it (marked's cost grows with depth). */
const MAX_QUOTE_DEPTH = 8
const MAX_INDENT = 24

function flattenDeepNesting(body: string): string {
  return body
    .split('\n')
    .map((line) => {
      const quote = /^((?:\s*>){9,})/.exec(line)
      if (quote) line = '>'.repeat(MAX_QUOTE_DEPTH) + ' ' + line.slice(quote[1]!.length)
      const indent = /^[ \t]+/.exec(line)
      if (indent && indent[0].length > MAX_INDENT) line = ' '.repeat(MAX_INDENT) + line.slice(indent[0].length)
      return line
    })
    .join('\n')
}

/** Renders a reader's comment: markdown and math, all raw HTML escaped, links nofollow. */
export function renderComment(
  body: string,
  options: Pick<RenderOptions, 'macros' | 'mathPackages'> = {},
  excerptLength = 80,
): RenderedComment {
  const source = flattenDeepNesting(body)
  const { html } = renderMarkdown(source, 'comment', options)
  return { html, excerpt: excerptOf(source, excerptLength) }
}

/**
 * A comment's plain text, as the recent-comments list shows it: markdown read by marked's lexer (no
 * `**`, link targets or code fences left), formulas made readable, cut at `length` characters.
 */
export function commentExcerpt(body: string, length = 80): string {
  return excerptOf(flattenDeepNesting(body), length)
}

function excerptOf(source: string, length: number): string {
  const text = lexMarkdown(source, 'comment')
    .map((t) => blockPlainText(t, texToText))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
  return text.length > length ? sliceWhole(text, length - 1) + '…' : text
}
