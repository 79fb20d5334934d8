import type { SiteConfig } from '../config'
import { strings } from '../i18n'
import type { RenderOptions } from '../render/render-markdown'

/** How this site renders posts: its UI language (heading anchors' and footnotes' labels), its TeX macros and packages. */
export function postRenderOptions(config: SiteConfig): RenderOptions {
  const t = strings(config.language)
  return {
    anchorLabel: t.anchorLabel,
    footnoteLabels: { heading: t.footnotesHeading, back: t.footnoteBack },
    macros: config.mathMacros,
    mathPackages: config.mathPackages,
    siteUrl: config.baseUrl,
  }
}

/** How this site renders comments: its TeX macros and packages. */
export function commentRenderOptions(config: SiteConfig): Pick<RenderOptions, 'macros' | 'mathPackages'> {
  return { macros: config.mathMacros, mathPackages: config.mathPackages }
}
