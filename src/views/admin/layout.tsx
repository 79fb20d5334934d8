import { raw } from 'hono/html'
import type { Child, FC, PropsWithChildren } from 'hono/jsx'
import type { SiteConfig } from '../../config'
import type { Strings } from '../../i18n'
import { ASSETS } from '../asset-manifest'
import { SiteStyles, SkipLink, ThemeScript, ThemeToggle } from '../layout'

/** The admin's stylesheet and script (public/assets/admin.css, admin.js), at their content-hashed URLs. */
const ADMIN_CSS = ASSETS['admin.css']
const ADMIN_JS = ASSETS['admin.js']

/** A line above the page's content: the result of the last action, or why it failed. */
export interface Notice {
  kind: 'ok' | 'error'
  text: string
  /** A link after the text (e.g. to the latest version after a 412). */
  link?: { href: string; text: string }
}

export interface AdminPageProps {
  config: SiteConfig
  t: Strings
  title: string
  /** The session's CSRF token; absent on the sign-in page (no navigation, no sign-out). */
  csrf?: string
  notice?: Notice | null
  /** Which navigation entry is the current page. */
  current?: 'posts' | 'new' | 'comments' | 'stats' | 'images'
}

export const NoticeLine: FC<{ notice?: Notice | null }> = ({ notice }) =>
  notice ? (
    <p class={`admin-notice admin-notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      {notice.text}
      {notice.link ? (
        <>
          {' '}
          <a href={notice.link.href}>{notice.link.text}</a>
        </>
      ) : null}
    </p>
  ) : null

/** The hidden CSRF field every admin form carries. */
export const CsrfField: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />

/**
 * The frame of every admin page: the site's stylesheet and theme (light/dark) plus the admin's own,
 * never indexed. Signed in, the header has the admin navigation and the sign-out button.
 */
export const AdminLayout: FC<PropsWithChildren<AdminPageProps>> = ({ config, t, title, csrf, notice, current, children }) => {
  const a = t.admin
  const navItem = (key: AdminPageProps['current'], href: string, text: string): Child => (
    <li>
      <a href={href} aria-current={current === key ? 'page' : undefined}>
        {text}
      </a>
    </li>
  )
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={t.htmlLang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex, nofollow" />
          <title>{`${title} - ${a.title} - ${config.title}`}</title>
          <SiteStyles />
          <link rel="stylesheet" href={ADMIN_CSS} />
          <ThemeScript />
          <script src={ADMIN_JS} defer />
        </head>
        <body class="admin">
          <SkipLink t={t} />
          <header class="site-header">
            <div class="site-header-inner">
              <div class="site-brand">
                <a class="site-title" href={csrf ? '/admin/posts' : '/admin'}>
                  {config.title} · {a.title}
                </a>
              </div>
              {csrf ? (
                <nav class="site-nav" aria-label={a.nav}>
                  <ul>
                    {navItem('posts', '/admin/posts', a.navPosts)}
                    {navItem('new', '/admin/new', a.navNew)}
                    <li>
                      {/* The admin's script adds how many comments wait for moderation. */}
                      <a
                        href="/admin/comments"
                        aria-current={current === 'comments' ? 'page' : undefined}
                        data-pending-count={a.pendingCount}
                        data-pending-count-one={a.pendingCountOne}
                      >
                        {a.navComments}
                      </a>
                    </li>
                    {navItem('stats', '/admin/stats', a.navStats)}
                    {navItem('images', '/admin/images', a.navImages)}
                    <li>
                      <a href="/">{a.navSite}</a>
                    </li>
                  </ul>
                </nav>
              ) : null}
              <ThemeToggle t={t} />
              {csrf ? (
                <form method="post" action="/admin/logout" class="admin-signout">
                  <CsrfField token={csrf} />
                  <button type="submit">{a.signOut}</button>
                </form>
              ) : null}
            </div>
          </header>
          <main id="main" class="content admin-main" tabindex={-1}>
            <h1>{title}</h1>
            <NoticeLine notice={notice} />
            {children}
          </main>
        </body>
      </html>
    </>
  )
}
