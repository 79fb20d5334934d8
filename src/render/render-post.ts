import type { Token } from 'marked'
import { blockPlainText, lexMarkdown, renderMarkdown, renderTokens, type RenderOptions, type TocEntry } from './render-markdown'

import { RENDER_VERSION } from './versions'
import { POST_ID_MAX, SLUG_PATTERN } from '../lib/slug'
import { sliceWhole } from '../lib/unicode'

export { RENDER_VERSION }

export interface RenderedPost {
  html: string
  excerptHtml: string
  /** Plain-text summary for meta descriptions and listings (formulas as their TeX source). */
  description: string
  toc: TocEntry[]
  mathErrors: number
  renderVersion: string
  /** Ids of the posts this one links to (`/archives/<id>`), for their 被引用 lists. */
  links: string[]
}

/**
 * The posts a rendered body links to: relative `/archives/<id>` links, and absolute ones on the
 * site's own origin when it is known.
 */
export function internalLinks(html: string, siteUrl?: string | null): string[] {
  const ids = new Set<string>()
  const prefix = siteUrl ? siteUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : null
  const re = new RegExp(`href="(?:${prefix ? `${prefix}|` : ''})/archives/(${SLUG_PATTERN})(?:[#?/][^"]*)?"`, 'g')
  for (const m of html.matchAll(re)) if (m[1]!.length <= POST_ID_MAX) ids.add(m[1]!)
  return [...ids]
}

const MORE = /^\s*<!--\s*more\s*-->\s*$/im
const EXCERPT_CHARS = 220
const EXCERPT_MAX_BLOCKS = 4
const EXCERPT_BLOCKS = new Set(['paragraph', 'math', 'list', 'blockquote'])

/** The first paragraphs of a post, up to about EXCERPT_CHARS characters of text. */
function excerptTokens(tokens: Token[]): Token[] {
  const picked: Token[] = []
  let chars = 0
  for (const t of tokens) {
    if (t.type === 'space' || t.type === 'def') continue
    if (t.type === 'heading') {
      if (picked.length > 0) break
      continue
    }
    if (!EXCERPT_BLOCKS.has(t.type)) {
      if (picked.length > 0) break
      continue
    }
    picked.push(t)
    chars += blockPlainText(t).length
    if (chars >= EXCERPT_CHARS || picked.length >= EXCERPT_MAX_BLOCKS) break
  }
  return picked
}

function truncate(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim()
  if (t.length <= max) return t
  // Never between a pair's halves (a lone surrogate is not text).
  return sliceWhole(t, max - 1).trimEnd() + '…'
}

/**
 * Renders a post once, at publish time: the body, the excerpt shown on list pages (the text before
 * `<!--more-->`, else the summary, else the first paragraphs) and a plain-text description.
 */
export function renderPost(body: string, summary: string | undefined, options: RenderOptions = {}): RenderedPost {
  const full = renderMarkdown(body, 'post', options)
  const tokens = lexMarkdown(body, 'post')
  const firstBlocks = excerptTokens(tokens)
  // The excerpt shows the same equation numbers and can refer to equations after it.
  const partOptions: RenderOptions = { ...options, labels: full.labels }

  let excerptHtml: string
  const more = MORE.exec(body)
  if (more) {
    excerptHtml = renderMarkdown(body.slice(0, more.index), 'post', partOptions).html
  } else if (summary?.trim()) {
    excerptHtml = renderMarkdown(summary, 'post', partOptions).html
  } else {
    excerptHtml = renderTokens(firstBlocks, tokens.links, 'post', partOptions).html
  }

  const description = truncate(summary?.trim() || firstBlocks.map((t) => blockPlainText(t)).join(' '), 160)
  return {
    html: full.html,
    excerptHtml,
    description,
    toc: full.toc,
    mathErrors: full.mathErrors,
    renderVersion: RENDER_VERSION,
    links: internalLinks(full.html, options.siteUrl),
  }
}
