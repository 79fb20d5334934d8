import * as z from 'zod'

/** Site settings, read from the `[vars]` of wrangler.toml (README: Settings). */
export interface SiteConfig {
  title: string
  description: string
  author: string
  /** Absolute origin without a trailing slash, or null to use the request's origin. */
  baseUrl: string | null
  language: 'zh' | 'en'
  citeKey: string
  timezone: string
  pageSize: number
  countPushSeconds: number
  /** A reader reloading a post within this many minutes counts once (0: every load counts). */
  readerWindowMinutes: number
  /** Above this many views per second, a post's views go through view shards (see README). */
  shardAboveViewsPerSecond: number
  /** How many shard objects a sharded post uses. */
  viewShards: number
  snapshotSeconds: number
  /** Site-wide TeX macros for posts and comments, e.g. `{"\\R": "\\mathbb{R}"}`. */
  mathMacros: Record<string, string>
}

const intVar = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback
      const n = Number(v)
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}` })
        return z.NEVER
      }
      return n
    })

const timeZone = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const tz = v?.trim() || 'Asia/Shanghai'
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz })
    } catch {
      ctx.addIssue({ code: 'custom', message: `unknown time zone "${tz}"` })
      return z.NEVER
    }
    return tz
  })

const macrosVar = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return {}
    let value: unknown
    try {
      value = JSON.parse(v)
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"\\\\R": "\\\\mathbb{R}"}' })
      return z.NEVER
    }
    const parsed = z
      .record(z.string().regex(/^\\[A-Za-z]+$/, 'macro names look like \\name'), z.string().max(2000))
      .refine((m) => Object.keys(m).length <= 500, 'at most 500 macros')
      .safeParse(value)
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'must map \\names to TeX' })
      return z.NEVER
    }
    return parsed.data
  })

const configSchema = z.object({
  SITE_TITLE: z.string().trim().min(1).max(200).catch('Science Blog'),
  SITE_DESCRIPTION: z.string().max(500).catch(''),
  SITE_AUTHOR: z.string().trim().min(1).max(100).catch('Author'),
  BASE_URL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = v?.trim() ?? ''
      if (s === '') return null
      try {
        const u = new URL(s)
        if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error()
        return u.origin + u.pathname.replace(/\/+$/, '')
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' })
        return z.NEVER
      }
    }),
  LANGUAGE: z
    .enum(['zh', 'en'])
    .optional()
    .transform((v) => v ?? 'zh'),
  CITE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .optional()
    .transform((v) => v ?? 'blog'),
  TIMEZONE: timeZone,
  PAGE_SIZE: intVar(1, 50, 10),
  COUNT_PUSH_SECONDS: intVar(0, 3600, 30),
  READER_WINDOW_MINUTES: intVar(0, 24 * 60, 30),
  SHARD_ABOVE_VIEWS_PER_SECOND: intVar(1, 1_000_000, 300),
  VIEW_SHARDS: intVar(2, 64, 8),
  SNAPSHOT_SECONDS: intVar(0, 3600, 30),
  MATH_MACROS: macrosVar,
})

/** The `[vars]` the settings come from (the Worker's env, or wrangler.toml read by a Node script). */
export type SiteVars = Partial<Record<keyof z.input<typeof configSchema>, string>>

const cache = new WeakMap<object, SiteConfig>()

/**
 * Parses the site settings once per `env` object.
 * A wrong setting is an operator error: it throws with the variable's name, so `wrangler dev`
 * and the logs say exactly what to fix.
 */
export function siteConfig(env: SiteVars): SiteConfig {
  const hit = cache.get(env)
  if (hit) return hit
  const parsed = configSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`Invalid setting ${String(issue?.path[0])}: ${issue?.message}`)
  }
  const v = parsed.data
  const config: SiteConfig = {
    title: v.SITE_TITLE,
    description: v.SITE_DESCRIPTION,
    author: v.SITE_AUTHOR,
    baseUrl: v.BASE_URL,
    language: v.LANGUAGE,
    citeKey: v.CITE_KEY,
    timezone: v.TIMEZONE,
    pageSize: v.PAGE_SIZE,
    countPushSeconds: v.COUNT_PUSH_SECONDS,
    readerWindowMinutes: v.READER_WINDOW_MINUTES,
    shardAboveViewsPerSecond: v.SHARD_ABOVE_VIEWS_PER_SECOND,
    viewShards: v.VIEW_SHARDS,
    snapshotSeconds: v.SNAPSHOT_SECONDS,
    mathMacros: v.MATH_MACROS,
  }
  cache.set(env, config)
  return config
}
