import type { Context } from 'hono'
import type { AppEnv } from '../app-env'
import { siteConfig } from '../config'
import { strings } from '../i18n'
import { Layout } from './layout'
import { Message } from './message-page'

/**
 * An HTML error page in the site's frame (used for every non-API error). A 404 or 410 says the
 * page's own words unless `reason` (a reason written for readers) is given.
 */
export function renderErrorPage(c: Context<AppEnv>, status: number, message?: string, reason?: string) {
  let config = c.var.config
  if (!config) {
    try {
      config = siteConfig(c.env)
    } catch (err) {
      // A wrong setting: say which one, without the site frame that needs the settings.
      return c.text(`${status === 500 ? 'Configuration error' : 'Error'}: ${err instanceof Error ? err.message : String(err)}`, 500)
    }
  }
  const t = c.var.t ?? strings(config.language)
  const read = c.req.method === 'GET' || c.req.method === 'HEAD'
  const title =
    status === 404
      ? t.notFoundTitle
      : status === 410
        ? t.goneTitle
        : status === 405
          ? t.methodNotAllowedTitle
          : status < 500
            ? read
              ? t.invalidRequestTitle
              : t.badRequestTitle
            : t.errorTitle
  const text = reason ?? (status === 404 ? t.notFoundText : status === 410 ? t.goneText : (message ?? t.errorTitle))
  return c.html(
    <Layout config={config} t={t} title={title}>
      <Message title={title} text={text} />
    </Layout>,
    status as 404,
  )
}
