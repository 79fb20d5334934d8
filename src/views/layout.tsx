import { raw } from 'hono/html'
import type { Child, FC, PropsWithChildren } from 'hono/jsx'
import type { SiteConfig } from '../config'
import type { Strings } from '../i18n'
import { KATEX_CSS, SCROLLERS_JS, SITE_CSS, THEME_JS } from './assets'
import { SearchForm } from './search-page'
import { FeedLinks, siteFeeds, SocialMeta, type FeedLink } from './seo'
import { texToText } from '../render/tex-text'

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
  /** Feeds of this page (a category's or tag's), announced before the site's own (views/seo.tsx). */
  feeds?: FeedLink[]
  /** Open Graph type: `article` on post pages. */
  ogType?: 'website' | 'article'
}

/** The licence the footer names (and links) for the site's posts. */
const LICENSE = { name: 'CC BY-NC-SA 4.0', url: 'https://creativecommons.org/licenses/by-nc-sa/4.0/' }

/** The icon and the stylesheets every page has, the admin's too. */
export const SiteStyles: FC = () => (
  <>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href={KATEX_CSS} />
    <link rel="stylesheet" href={SITE_CSS} />
  </>
)

/** Not deferred: it puts the reader's stored theme on <html> before the first paint (no inline script under the CSP). */
export const ThemeScript: FC = () => <script src={THEME_JS} />

/** Deferred: judges which scroll boxes need a tab stop once the page is laid out (public/assets/scrollers.js). */
const ScrollersScript: FC = () => <script src={SCROLLERS_JS} defer />

export const SkipLink: FC<{ t: Strings }> = ({ t }) => (
  <a class="skip-link" href="#main">
    {t.skipToContent}
  </a>
)

/** The light/dark switch in the header: shown and run by /assets/theme.js; without JavaScript the system's setting applies. */
export const ThemeToggle: FC<{ t: Strings }> = ({ t }) => (
  <button
    type="button"
    class="theme-toggle"
    data-theme-toggle=""
    data-label-light={t.themeLight}
    data-label-dark={t.themeDark}
    data-label-system={t.themeSystem}
    title={t.themeToggleLabel}
    hidden
  >
    {t.themeSystem}
  </button>
)

/**
 * The frame of every HTML page: head, skip link, site header (title, navigation, theme toggle),
 * main column, sidebar, footer (licence). Landmarks: banner, navigation, main, complementary, contentinfo.
 */
export const Layout: FC<PropsWithChildren<PageMeta>> = ({
  config,
  t,
  title,
  description,
  canonical,
  sidebar,
  head,
  feeds,
  ogType,
  children,
}) => (
  <>
    {/* Standards mode: KaTeX's layout depends on it. */}
    {raw('<!DOCTYPE html>')}
    <html lang={t.htmlLang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title ? `${title} - ${config.title}` : config.title}</title>
        {description ? <meta name="description" content={texToText(description)} /> : null}
        {canonical ? <link rel="canonical" href={canonical} /> : null}
        <SocialMeta
          config={config}
          title={title}
          description={description && texToText(description)}
          url={canonical}
          type={ogType ?? 'website'}
        />
        <FeedLinks feeds={[...(feeds ?? []), ...siteFeeds(config, t)]} />
        <SiteStyles />
        <ThemeScript />
        <ScrollersScript />
        {head ?? null}
      </head>
      <body>
        <SkipLink t={t} />
        <header class="site-header">
          <div class="site-header-inner">
            <div class="site-brand">
              <a class="site-title" href="/">
                {config.title}
              </a>
              {config.description ? <p class="site-description">{config.description}</p> : null}
            </div>
            <nav class="site-nav" aria-label={t.siteNav}>
              <ul>
                <li>
                  <a href="/">{t.navHome}</a>
                </li>
                <li>
                  <a href="/categories">{t.navCategories}</a>
                </li>
                <li>
                  <a href="/archives">{t.navArchive}</a>
                </li>
                <li>
                  <a href="/popular">{t.navPopular}</a>
                </li>
              </ul>
            </nav>
            <SearchForm t={t} id="header-search-q" compact />
            <ThemeToggle t={t} />
          </div>
        </header>
        <div class="layout">
          <main id="main" class="content" tabindex={-1}>
            {children}
          </main>
          {sidebar ? (
            <aside id="sidebar" class="sidebar">
              {sidebar}
            </aside>
          ) : null}
        </div>
        <footer class="site-footer">
          <p class="site-license">
            {t.licenseBefore}
            <a rel="license" href={LICENSE.url}>
              {LICENSE.name}
            </a>
            {t.licenseAfter}
          </p>
          <p>
            © {new Date().getUTCFullYear()} {config.author} · {t.poweredBy}
          </p>
        </footer>
      </body>
    </html>
  </>
)
