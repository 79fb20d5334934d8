import type { SiteConfig } from '../config'
import { strings } from '../i18n'
import type { RenderOptions } from '../render/render-markdown'

/** How this site renders posts: its UI language (heading anchors' and footnotes' labels) and its TeX macros. */
export function postRenderOptions(config: SiteConfig): RenderOptions {
  const t = strings(config.language)
  return {
    anchorLabel: t.anchorLabel,
    footnoteLabels: { heading: t.footnotesHeading, back: t.footnoteBack },
    macros: config.mathMacros,
    siteUrl: config.baseUrl,
  }
}

/** How this site renders comments: its TeX macros. */
export function commentRenderOptions(config: SiteConfig): Pick<RenderOptions, 'macros'> {
  return { macros: config.mathMacros }
}
