import * as z from 'zod'
import { SLUG_RE } from './lib/slug'
import { REACTION_EMOJI, REACTION_KEYS, type ReactionKey } from './model'

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
  /** MathJax packages on in every formula, not only after `\require{…}` (MATH_PACKAGES). */
  mathPackages: MathPackage[]
  comments: CommentSettings
  /** Failed admin sign-ins allowed per client per window (count 0: no limit). */
  adminAuthLimit: { count: number; seconds: number }
  /** How long a web admin session lasts (README: Web admin). */
  adminSessionHours: number
  /** Category and tag URL slugs by display name (README: Categories and tags). */
  slugs: { category: Record<string, string>; tag: Record<string, string> }
  /** Posts (with full content) in each feed. */
  feedPosts: number
  /** How long an isolate reuses the site snapshot and the list pages rendered from it (0: never). */
  listCacheMs: number
  /** How long the location's cache keeps a list page or feed rendered from one snapshot (0: off). */
  edgeCacheSeconds: number
  /** The post reactions offered under each post, in this order (REACTIONS; none: the section is off). */
  reactions: ReactionKey[]
  /** The sidebar's 友情链接 (SITE_LINKS), in this order; none: no such widget. */
  links: SiteLink[]
}

/** A link of the sidebar's 友情链接 (blogroll). */
export interface SiteLink {
  name: string
  /** An absolute http(s) URL. */
  url: string
  /** Shown as the link's title (on hover); '' when none. */
  description: string
}

/** How comments behave (README: Comments). */
export interface CommentSettings {
  /** open: shown at once; first: hold a commenter's first comment; all: hold every comment. */
  moderation: 'open' | 'first' | 'all'
  maxDepth: number
  perPage: number
  order: 'oldest' | 'newest'
  editMinutes: number
  /** Close comments this many days after a post's date (0: never). */
  closeAfterDays: number
  minSeconds: number
  /** At most `count` comments per visitor per `seconds` (count 0: no limit). */
  rateLimit: { count: number; seconds: number }
  maxLinks: number
  maxMath: number
  blockedWords: string[]
  turnstileSiteKey: string | null
  turnstileVerifyUrl: string
  /** Akismet's comment-check endpoint (AKISMET_API_URL); used when the secret AKISMET_KEY is set. */
  akismetUrl: string
  authorEmail: string | null
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

/**
 * A setting holding JSON that `schema` checks; unset or blank: `empty`. `what` names the JSON expected
 * (shown, with `example`, when the text is not JSON); `explain` words a schema issue.
 */
const jsonVar = <T>(
  schema: z.ZodType<T>,
  empty: () => T,
  what: string,
  example: string,
  explain: (issue: z.core.$ZodIssue | undefined) => string | undefined,
) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return empty()
      let value: unknown
      try {
        value = JSON.parse(v)
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be ${what} such as ${example}` })
        return z.NEVER
      }
      const parsed = schema.safeParse(value)
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: explain(parsed.error.issues[0]) ?? `must look like ${example}` })
        return z.NEVER
      }
      return parsed.data
    })

/** A setting holding a JSON object whose entries `record` checks. */
const jsonRecordVar = (record: z.ZodType<Record<string, string>>, example: string) =>
  jsonVar(
    record,
    () => ({}),
    'a JSON object',
    example,
    (issue) => {
      // A bad key is reported as "Invalid key in record" with the reason one level down.
      const inner =
        issue && 'issues' in issue && Array.isArray(issue.issues) ? (issue.issues.flat()[0] as { message?: string } | undefined) : undefined
      return inner?.message ?? issue?.message
    },
  )

/** The MathJax packages a site may turn on everywhere (render/mathjax-compat.ts PACKAGES has their commands). */
export const MATH_PACKAGE_NAMES = ['physics', 'upgreek', 'mathtools'] as const
export type MathPackage = (typeof MATH_PACKAGE_NAMES)[number]

/** MATH_PACKAGES: package names, comma-separated; unset or empty: none. An unknown name is an error. */
const mathPackagesVar = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const names = (v ?? '')
      .split(/[,，]/)
      .map((k) => k.trim())
      .filter((k) => k.length > 0)
    for (const name of names) {
      if (!(MATH_PACKAGE_NAMES as readonly string[]).includes(name)) {
        ctx.addIssue({ code: 'custom', message: `unknown package "${name}" (known: ${MATH_PACKAGE_NAMES.join(', ')})` })
        return z.NEVER
      }
    }
    return [...new Set(names)] as MathPackage[]
  })

const macrosVar = jsonRecordVar(
  z
    .record(z.string().regex(/^\\[A-Za-z]+$/, 'macro names look like \\name'), z.string().max(2000))
    .refine((m) => Object.keys(m).length <= 500, 'at most 500 macros'),
  '{"\\\\R": "\\\\mathbb{R}"}',
)

/** A JSON object mapping display names to URL slugs, e.g. {"数学研究": "mathematics"}. */
const slugsVar = jsonRecordVar(
  z
    .record(
      z.string().trim().min(1).max(100),
      z.string().max(100).regex(SLUG_RE, 'slugs are lower-case letters and digits separated by single dashes'),
    )
    .refine((m) => Object.keys(m).length <= 5000, 'at most 5000 names'),
  '{"数学研究": "mathematics"}',
)

const rateVar = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = v?.trim() || fallback
      if (s === '0') return { count: 0, seconds: 60 }
      const m = /^(\d{1,4})\/(\d{1,5})$/.exec(s)
      if (!m || Number(m[2]) < 1) {
        ctx.addIssue({ code: 'custom', message: 'must look like 5/60 (comments per seconds) or 0' })
        return z.NEVER
      }
      return { count: Number(m[1]), seconds: Number(m[2]) }
    })

/** An outside service's http(s) URL; empty: the service's own (`fallback`). */
const serviceUrlVar = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = v?.trim() || fallback
      if (!/^https?:\/\//.test(s)) {
        ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' })
        return z.NEVER
      }
      return s
    })

const wordsVar = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(/[\n,，]/)
      .map((w) => w.trim().toLowerCase())
      .filter((w) => w.length > 0)
      .slice(0, 1000),
  )

/**
 * REACTIONS: keys of the reaction catalogue (model.ts REACTION_EMOJI), comma-separated, in the order
 * shown; unset: all of them; an empty string: none (the section and its routes are off). A key
 * not in the catalogue, or one named twice, is an error.
 */
const reactionsVar = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return [...REACTION_KEYS]
    const keys = v
      .split(/[,，]/)
      .map((k) => k.trim())
      .filter((k) => k.length > 0)
    for (const [i, k] of keys.entries()) {
      if (!Object.hasOwn(REACTION_EMOJI, k)) {
        ctx.addIssue({ code: 'custom', message: `unknown reaction "${k}" (known: ${REACTION_KEYS.join(', ')}; empty turns reactions off)` })
        return z.NEVER
      }
      if (keys.indexOf(k) !== i) {
        ctx.addIssue({ code: 'custom', message: `reaction "${k}" is named twice` })
        return z.NEVER
      }
    }
    return keys as ReactionKey[]
  })

const LINKS_EXAMPLE = '[{"name": "arXiv", "url": "https://arxiv.org/", "description": "预印本"}]'

/** SITE_LINKS: a JSON array of {name, url, description?}; unset or empty: no links. An issue names its link. */
const linksVar = jsonVar(
  z
    .array(
      z.object({
        name: z.string().trim().min(1, 'a link needs a name').max(100, 'a link name is at most 100 characters'),
        url: z
          .string()
          .max(500, 'a link URL is at most 500 characters')
          .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'a link URL must be an absolute http(s) URL'),
        description: z
          .string()
          .trim()
          .max(200, 'a link description is at most 200 characters')
          .optional()
          .transform((d) => d ?? ''),
      }),
      { error: `must be a JSON array such as ${LINKS_EXAMPLE}` },
    )
    .max(100, 'at most 100 links'),
  () => [],
  'a JSON array',
  LINKS_EXAMPLE,
  (issue) => issue && `${issue.message}${issue.path.length > 0 ? ` (link ${Number(issue.path[0]) + 1})` : ''}`,
)

const optionalText = z
  .string()
  .optional()
  .transform((v) => v?.trim() || null)

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
  MATH_PACKAGES: mathPackagesVar,
  COMMENT_MODERATION: z
    .enum(['open', 'first', 'all'])
    .optional()
    .transform((v) => v ?? 'open'),
  COMMENT_MAX_DEPTH: intVar(1, 10, 4),
  COMMENTS_PER_PAGE: intVar(1, 500, 50),
  COMMENT_ORDER: z
    .enum(['oldest', 'newest'])
    .optional()
    .transform((v) => v ?? 'oldest'),
  COMMENT_EDIT_MINUTES: intVar(0, 1440, 10),
  COMMENTS_CLOSE_AFTER_DAYS: intVar(0, 36500, 0),
  COMMENT_MIN_SECONDS: intVar(0, 600, 3),
  COMMENT_RATE_LIMIT: rateVar('5/60'),
  ADMIN_AUTH_LIMIT: rateVar('10/300'),
  ADMIN_SESSION_HOURS: intVar(1, 720, 12),
  COMMENT_MAX_LINKS: intVar(0, 100, 5),
  COMMENT_MAX_MATH: intVar(0, 1000, 60),
  BLOCKED_WORDS: wordsVar,
  TURNSTILE_SITE_KEY: optionalText,
  AKISMET_API_URL: serviceUrlVar('https://rest.akismet.com/1.1/comment-check'),
  TURNSTILE_VERIFY_URL: serviceUrlVar('https://challenges.cloudflare.com/turnstile/v0/siteverify'),
  AUTHOR_EMAIL: optionalText,
  CATEGORY_SLUGS: slugsVar,
  TAG_SLUGS: slugsVar,
  FEED_POSTS: intVar(1, 100, 10),
  LIST_CACHE_SECONDS: intVar(0, 60, 2),
  EDGE_CACHE_SECONDS: intVar(0, 604800, 3600),
  REACTIONS: reactionsVar,
  SITE_LINKS: linksVar,
})

/** The `[vars]` the settings come from (the Worker's env, or wrangler.toml read by a Node script). */
export type SiteVars = Partial<Record<keyof z.input<typeof configSchema>, string>>

const cache = new WeakMap<object, SiteConfig>()

/** The site's own origin: BASE_URL when set, else the request's. */
export function siteOrigin(config: SiteConfig, requestUrl: string): string {
  return config.baseUrl ?? requestOrigin(requestUrl)
}

/**
 * The origin of a request's URL, which the runtime hands over serialized (lower-case host, no default
 * port, a path): for http(s) without user info it is the text before the path, else the URL parser's.
 */
export function requestOrigin(url: string): string {
  const scheme = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : 0
  const path = scheme > 0 ? url.indexOf('/', scheme) : -1
  const origin = path > 0 ? url.slice(0, path) : ''
  return origin && !origin.includes('@') ? origin : new URL(url).origin
}

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
    mathPackages: v.MATH_PACKAGES,
    adminAuthLimit: v.ADMIN_AUTH_LIMIT,
    adminSessionHours: v.ADMIN_SESSION_HOURS,
    slugs: { category: v.CATEGORY_SLUGS, tag: v.TAG_SLUGS },
    feedPosts: v.FEED_POSTS,
    listCacheMs: v.LIST_CACHE_SECONDS * 1000,
    edgeCacheSeconds: v.EDGE_CACHE_SECONDS,
    reactions: v.REACTIONS,
    links: v.SITE_LINKS,
    comments: {
      moderation: v.COMMENT_MODERATION,
      maxDepth: v.COMMENT_MAX_DEPTH,
      perPage: v.COMMENTS_PER_PAGE,
      order: v.COMMENT_ORDER,
      editMinutes: v.COMMENT_EDIT_MINUTES,
      closeAfterDays: v.COMMENTS_CLOSE_AFTER_DAYS,
      minSeconds: v.COMMENT_MIN_SECONDS,
      rateLimit: v.COMMENT_RATE_LIMIT,
      maxLinks: v.COMMENT_MAX_LINKS,
      maxMath: v.COMMENT_MAX_MATH,
      blockedWords: v.BLOCKED_WORDS,
      turnstileSiteKey: v.TURNSTILE_SITE_KEY,
      turnstileVerifyUrl: v.TURNSTILE_VERIFY_URL,
      akismetUrl: v.AKISMET_API_URL,
      authorEmail: v.AUTHOR_EMAIL,
    },
  }
  cache.set(env, config)
  return config
}
