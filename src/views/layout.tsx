import { raw } from 'hono/html'
import type { Child, FC, PropsWithChildren } from 'hono/jsx'
import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import { KATEX_CSS, SITE_CSS } from './assets'

export interface PageMeta {
  config: SiteConfig
  t: Strings
  /** The page's own title; the site title is appended. Omitted on the front page. */
  title?: string
  description?: string
  canonical?: string
  sidebar?: Child
  /** Page-specific elements at the end of <head> (a post's citation meta tags and script). */
  head?: Child
}

/** The frame of every HTML page: head, site header, main column, sidebar, footer. */
export const Layout: FC<PropsWithChildren<PageMeta>> = ({ config, t, title, description, canonical, sidebar, head, children }) => (
  <>
    {/* Standards mode: KaTeX's layout depends on it. */}
    {raw('<!DOCTYPE html>')}
    <html lang={t.htmlLang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title ? `${title} - ${config.title}` : config.title}</title>
        {description ? <meta name="description" content={description} /> : null}
        {canonical ? <link rel="canonical" href={canonical} /> : null}
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href={KATEX_CSS} />
        <link rel="stylesheet" href={SITE_CSS} />
        {head ?? null}
      </head>
      <body>
        <header class="site-header">
          <div class="site-header-inner">
            <a class="site-title" href="/">
              {config.title}
            </a>
            {config.description ? <p class="site-description">{config.description}</p> : null}
          </div>
        </header>
        <div class="layout">
          <main id="main" class="content">
            {children}
          </main>
          {sidebar ? (
            <aside id="sidebar" class="sidebar">
              {sidebar}
            </aside>
          ) : null}
        </div>
        <footer class="site-footer">
          <p>
            © {new Date().getUTCFullYear()} {config.author} · {t.poweredBy}
          </p>
        </footer>
      </body>
    </html>
  </>
)
