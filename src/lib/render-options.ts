import type { SiteConfig } from '../config'
import { strings } from '../i18n'
import type { RenderOptions } from '../render/render-markdown'

/** How this site renders posts: its UI language (heading anchor labels) and its TeX macros. */
export function postRenderOptions(config: SiteConfig): RenderOptions {
  return { anchorLabel: strings(config.language).anchorLabel, macros: config.mathMacros, siteUrl: config.baseUrl }
}

/** How this site renders comments: its TeX macros. */
export function commentRenderOptions(config: SiteConfig): Pick<RenderOptions, 'macros'> {
  return { macros: config.mathMacros }
}
