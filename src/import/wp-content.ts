import { htmlToMarkdown } from './html-to-markdown'

/**
 * A WordPress post's content (content:encoded) as this blog's markdown: the shortcodes that carry
 * math or code are turned into their markdown first, the HTML is converted by html-to-markdown, and
 * the `<!--more-->` marker survives as this blog's excerpt marker.
 *
 * - WP-LaTeX / Jetpack: `[latex]…[/latex]` and `$latex …$` (with `&bg=…&fg=…&s=…` dropped) → `$…$`.
 *   QuickLaTeX's `[latexpage]` switch is dropped (its `$…$` and `\[…\]` are this blog's syntax).
 * - `[caption …]…[/caption]` → its content (the image and the caption text).
 * - `[code lang="x"]`, `[sourcecode language="x"]` (SyntaxHighlighter) → a code block.
 * - Any other shortcode is left as text, and named in the warnings.
 */

const MORE_TOKEN = 'WPIMPORTMORE7f3c1e'
const MORE = /<!--more(?:\s[^>]*)?-->/i

const LATEX_PARAMS = /(?:&(?:amp;)?(?:bg|fg|s)=[^&$]*)+\s*$/

/** Shortcodes that are expected in posts and have no markdown form here. */
const KNOWN_SHORTCODE = /\[(\/?)([a-z][a-z0-9_-]*)(?=[\s\]])[^\]\n]*\]/gi

const HANDLED = new Set(['latex', 'latexpage', 'caption', 'wp_caption', 'code', 'sourcecode', 'source'])

function escapeCode(code: string): string {
  return code.replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function wordpressContent(html: string): { markdown: string; warnings: string[] } {
  const warnings: string[] = []
  let src = html.replace(/\r\n?/g, '\n')
  // Math first, so nothing below reads inside a formula.
  src = src.replace(/\[latex(?:\s[^\]]*)?\]([\s\S]*?)\[\/latex\]/gi, (_, tex: string) => `$${tex.trim()}$`)
  src = src.replace(/\$latex[ \t\n]+([\s\S]*?)\$/g, (_, tex: string) => `$${tex.replace(LATEX_PARAMS, '').trim()}$`)
  src = src.replace(/\[\/?latexpage\]/gi, '')
  src = src.replace(/\[(?:wp_)?caption(?:\s[^\]]*)?\]([\s\S]*?)\[\/(?:wp_)?caption\]/gi, (_, inner: string) => `<figure>${inner}</figure>`)
  src = src.replace(
    /\[(code|sourcecode|source)(?:\s[^\]]*)?\]\n?([\s\S]*?)\n?\[\/\1\]/gi,
    (_, _name: string, code: string) => `\n\n<pre><code>${escapeCode(code)}</code></pre>\n\n`,
  )
  const unknown = new Set<string>()
  for (const m of src.matchAll(KNOWN_SHORTCODE)) {
    const name = m[2]!.toLowerCase()
    // A closing tag, or a self-standing opener such as [gallery ids="…"], is a shortcode; [1] or [a, b] is not.
    if (!HANDLED.has(name) && (m[1] === '/' || /\s[a-z_-]+=/i.test(m[0]) || /^\[(?:gallery|embed|audio|video|playlist)\b/i.test(m[0]))) {
      unknown.add(name)
    }
  }
  for (const name of unknown) warnings.push(`shortcode [${name}] has no equivalent here: left as text`)
  // `<!--more-->` is an HTML comment, which the converter drops: carry it through as a word of its own.
  const more = MORE.test(src)
  if (more) src = src.replace(MORE, `\n\n<p>${MORE_TOKEN}</p>\n\n`)
  let markdown = htmlToMarkdown(src, { newlines: true, lineBreak: '\\\n', images: true })
  if (more) markdown = markdown.replace(MORE_TOKEN, '<!--more-->')
  return { markdown, warnings }
}
