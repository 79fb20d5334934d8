import type { SiteConfig } from './config'
import type { Strings } from './i18n'

/** Hono's environment for this app: the Worker's bindings plus per-request settings. */
export interface AppEnv {
  Bindings: Cloudflare.Env
  Variables: {
    config: SiteConfig
    t: Strings
    /** The site's absolute origin: BASE_URL, or the request's origin when BASE_URL is empty. */
    origin: string
  }
}
