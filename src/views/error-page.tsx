import type { Context } from 'hono'
import type { AppEnv } from '../app-env'
import { siteConfig } from '../config'
import { strings } from '../i18n'
import { Layout } from './layout'
import { Message } from './message-page'

/** An HTML error page in the site's frame (used for every non-API error). */
export function renderErrorPage(c: Context<AppEnv>, status: number, message?: string) {
  const config = c.var.config ?? siteConfig(c.env)
  const t = c.var.t ?? strings(config.language)
  const title = status === 404 ? t.notFoundTitle : status === 410 ? t.goneTitle : status < 500 ? t.badRequestTitle : t.errorTitle
  const text = status === 404 ? t.notFoundText : status === 410 ? t.goneText : (message ?? t.errorTitle)
  return c.html(
    <Layout config={config} t={t} title={title}>
      <Message title={title} text={text} />
    </Layout>,
    status as 404,
  )
}
