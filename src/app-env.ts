import type { SiteConfig } from './config'
import type { Strings } from './i18n'
import type { Fresh, Replayable } from './lib/replay'

/** Hono's environment for this app: the Worker's bindings plus per-request settings. */
export interface AppEnv {
  Bindings: Cloudflare.Env
  Variables: {
    config: SiteConfig
    t: Strings
    /** The site's absolute origin: BASE_URL, or the request's origin when BASE_URL is empty. */
    origin: string
    /** Set by sendKept for a page whose whole answer may be replayed (lib/replay.ts). */
    replay?: Replayable
    /** Set by the post page for an answer whose headers a quick way may reuse (lib/replay.ts, Fresh). */
    fresh?: Fresh
  }
}
