import { MONTH_NAMES } from '../lib/dates'
import type { WrittenDate } from './convert'

/**
 * The generator-specific text of a Hexo, Hugo or Jekyll post: tag plugins and shortcodes in the
 * body, and permalink patterns (for the old addresses that redirect to the imported post).
 */

export type Generator = 'hexo' | 'hugo' | 'jekyll'

function fence(lang: string, code: string): string {
  const ticks = /```/.test(code) ? '````' : '```'
  return `${ticks}${lang}\n${code.replace(/^\n+|\n+$/g, '')}\n${ticks}`
}

function attr(args: string, name: string): string | null {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|(\\S+))`).exec(args)
  return m ? (m[1] ?? m[2] ?? m[3] ?? null) : null
}

/**
 * The body with what has a markdown form converted, and warnings for what is left as text:
 *
 * - Hexo: `{% raw %}`/`{% endraw %}` dropped (their content kept), `{% math %}…{% endmath %}` →
 *   `$$…$$`, `{% codeblock [lang:x] %}` → a fenced block, `{% blockquote %}` → a quote.
 * - Jekyll (Liquid): `{% raw %}` dropped, `{% highlight x %}` → a fenced block.
 * - Hugo: `{{< figure src=… caption=… >}}` → an image, `{{< highlight x >}}` → a fenced block.
 *
 * `$…$` and `$$…$$` are already this blog's math syntax and pass unchanged.
 */
export function convertBody(body: string, from: Generator): { body: string; warnings: string[] } {
  const warnings: string[] = []
  let out = body.replace(/\r\n?/g, '\n')
  if (from === 'hexo' || from === 'jekyll') {
    out = out.replace(/\{%-?\s*(?:end)?raw\s*-?%\}/g, '')
    out = out.replace(/\{%\s*math\s*%\}([\s\S]*?)\{%\s*endmath\s*%\}/g, (_, tex: string) => `$$\n${tex.trim()}\n$$`)
    out = out.replace(/\{%\s*codeblock\b([^%]*)%\}\n?([\s\S]*?)\{%\s*endcodeblock\s*%\}/g, (_, args: string, code: string) => {
      const lang = /\blang:(\S+)/.exec(args)?.[1] ?? ''
      return fence(lang, code)
    })
    out = out.replace(/\{%\s*highlight\s+(\S+)[^%]*%\}\n?([\s\S]*?)\{%\s*endhighlight\s*%\}/g, (_, lang: string, code: string) =>
      fence(lang, code),
    )
    out = out.replace(/\{%\s*blockquote\b[^%]*%\}\n?([\s\S]*?)\{%\s*endblockquote\s*%\}/g, (_, text: string) =>
      text
        .trim()
        .split('\n')
        .map((l) => `> ${l}`.trimEnd())
        .join('\n'),
    )
    const tags = new Set([...out.matchAll(/\{%-?\s*([a-z_]+)/gi)].map((m) => m[1]!))
    const kind = from === 'hexo' ? 'tag plugin' : 'Liquid tag'
    for (const t of tags) warnings.push(`${kind} {% ${t} %} has no equivalent here: left as text`)
    if (from === 'jekyll' && /\{\{[^}]*\}\}/.test(out)) warnings.push('Liquid output {{ … }} is not evaluated here: left as text')
  } else {
    out = out.replace(/\{\{<\s*figure\s([^>]*?)\/?\s*>\}\}/g, (_, args: string) => {
      const src = attr(args, 'src') ?? ''
      const text = attr(args, 'alt') ?? attr(args, 'caption') ?? attr(args, 'title') ?? ''
      return `![${text.replace(/[[\]]/g, '')}](${src})`
    })
    out = out.replace(/\{\{<\s*highlight\s+(\S+)[^>]*>\}\}\n?([\s\S]*?)\{\{<\s*\/highlight\s*>\}\}/g, (_, lang: string, code: string) =>
      fence(lang, code),
    )
    const codes = new Set([...out.matchAll(/\{\{[<%]\s*\/?\s*([a-z0-9_-]+)/gi)].map((m) => m[1]!))
    for (const s of codes) warnings.push(`shortcode {{< ${s} >}} has no equivalent here: left as text`)
  }
  return { body: out, warnings }
}

const pad = (n: number) => String(n).padStart(2, '0')
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** Hugo's urlize: lower case (unless disabled), spaces to dashes, URL punctuation dropped. */
export function urlize(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^\p{L}\p{N}\-_./]/gu, '')
}

/** Jekyll's slugify (default mode): lower case, every run of non-alphanumerics a dash. */
export function jekyllSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
}

/** The values a permalink pattern may name; a token absent here makes the pattern unusable. */
export type PermalinkValues = Record<string, string>

/** Date tokens of all three generators, from the date as written (the source site's wall clock). */
export function dateTokens(w: WrittenDate): PermalinkValues {
  const start = Date.UTC(w.year, 0, 1)
  const t = Date.UTC(w.year, w.month - 1, w.day)
  return {
    year: String(w.year),
    short_year: String(w.year).slice(2),
    month: pad(w.month),
    i_month: String(w.month),
    monthname: MONTH_NAMES[w.month - 1]!.toLowerCase(),
    day: pad(w.day),
    i_day: String(w.day),
    hour: pad(w.hour),
    minute: pad(w.minute),
    second: pad(w.second),
    y_day: String((t - start) / 86_400_000 + 1).padStart(3, '0'),
    yearday: String((t - start) / 86_400_000 + 1),
    weekday: String(new Date(t).getUTCDay()),
    weekdayname: WEEKDAYS[new Date(t).getUTCDay()]!.toLowerCase(),
  }
}

/** Jekyll's named permalink styles. */
export const JEKYLL_STYLES: Record<string, string> = {
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
}

/**
 * Fills a permalink pattern (`:year/:month/:title/`); null, with the token's name, when it names one
 * that is not known for this post.
 */
export function fillPermalink(pattern: string, values: PermalinkValues): { path: string } | { unknown: string } {
  let unknown: string | null = null
  const path = pattern.replace(/:([a-z_]+)/gi, (token, name: string) => {
    // Longest known name first: `:title:output_ext`, `:i_month`.
    if (Object.hasOwn(values, name)) return values[name]!
    unknown ??= name
    return token
  })
  if (unknown) return { unknown }
  return { path: ('/' + path).replace(/\/{2,}/g, '/') }
}
