import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { secureHeaders } from 'hono/secure-headers'
import type { AppEnv } from './app-env'
import { siteConfig, siteOrigin } from './config'
import { strings } from './i18n'
import { AppError, errorBody } from './lib/errors'
import { pageReason } from './lib/request'
import { isOverloaded } from './lib/stubs'
import { forgetSnapshot } from './storage/read-model'
import { forgetPointer } from './search/query'
import { recordReplayable, replay } from './lib/replay'
import api from './routes/api'
import feeds from './routes/feeds'
import pages, { quickPostPage } from './routes/pages'
import search from './routes/search'
import preview from './routes/preview'
import { adminRoutes } from './routes/admin'
import media from './routes/media'
import redirects, { notFoundRedirect } from './routes/redirects'
import { allowedMethods } from './routes/methods'
import { renderErrorPage } from './views/error-page'

const app = new Hono<AppEnv>()

// First, so that it sees each answer after every other middleware: records the replayable ones (lib/replay.ts).
app.use(recordReplayable)

const TURNSTILE_ORIGIN = 'https://challenges.cloudflare.com'

/**
 * With Turnstile on (TURNSTILE_SITE_KEY), post pages load its script and frame: the policy admits
 * exactly that origin for scripts and frames, nothing else. Runs after secureHeaders has set it.
 */
app.use(async (c, next) => {
  await next()
  const csp = c.res.headers.get('content-security-policy')
  if (!csp || !siteConfig(c.env).comments.turnstileSiteKey) return
  c.res.headers.set(
    'content-security-policy',
    csp.replace("script-src 'self'", `script-src 'self' ${TURNSTILE_ORIGIN}`) + `; frame-src ${TURNSTILE_ORIGIN}`,
  )
})

// Uploaded images may be shown by feed readers and other sites: secureHeaders' same-origin CORP would block them.
app.use('/media/*', async (c, next) => {
  await next()
  c.res.headers.set('cross-origin-resource-policy', 'cross-origin')
})

app.use(
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      // KaTeX positions glyphs with style attributes.
      styleSrcAttr: ["'unsafe-inline'"],
      fontSrc: ["'self'"],
      imgSrc: ["'self'", 'https:', 'data:'],
      mediaSrc: ["'self'", 'https:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
      formAction: ["'self'"],
    },
    referrerPolicy: 'strict-origin-when-cross-origin',
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    crossOriginEmbedderPolicy: false,
    // The rule of frame-ancestors 'none', for browsers that only know this header (secureHeaders'
    // default, SAMEORIGIN, would let them frame the blog's pages in its own pages).
    xFrameOptions: 'DENY',
    // Retired headers, left out (each costs every answer its bytes and its handling: docs/PERFORMANCE.md,
    // "Headers"): X-XSS-Protection (the filter it turned off is gone from browsers; the CSP covers
    // scripts), X-Download-Options (Internet Explorer 8), X-Permitted-Cross-Domain-Policies (Flash),
    // X-DNS-Prefetch-Control (browsers do not prefetch the hosts of links on HTTPS pages).
    xXssProtection: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xDnsPrefetchControl: false,
    // A route that sets one of these headers itself keeps it (the draft preview's no-referrer).
    overwrite: false,
  }),
)

// A write through this isolate (publish, delete, comment, moderation) makes its next list page read
// the snapshot again instead of reusing its copy (LIST_CACHE_SECONDS). A request refused with a 4xx
// wrote nothing (a junk PUT, a comment turned away) and keeps the copy: otherwise anyone could make
// every isolate read KV again at will. A 5xx may have written part of its work, so it forgets too.
app.use(async (c, next) => {
  await next()
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return
  const refused = c.res.status >= 400 && c.res.status < 500
  if (!refused) {
    forgetSnapshot()
    forgetPointer()
  }
})

app.use(async (c, next) => {
  const config = siteConfig(c.env)
  c.set('config', config)
  c.set('t', strings(config.language))
  c.set('origin', siteOrigin(config, c.req.url))
  await next()
})

app.route('/api', api)
// The web admin calls the API through the whole app (its settings and error answers), with the token added on the server.
app.route(
  '/admin',
  adminRoutes((req, env, ctx) => app.fetch(req, env, ctx)),
)
app.route('/', media)
app.route('/', redirects)
app.route('/', search)
app.route('/', preview)
app.route('/', feeds)
app.route('/', pages)

const isApi = (path: string) => path === '/api' || path.startsWith('/api/')

app.notFound(async (c) => {
  // The path is not repeated back (a hostile path would be reflected).
  if (isApi(c.req.path)) return c.json(errorBody('not_found', 'There is no such API route.'), 404)
  // A reader's address asked with a method it does not take (PUT /archives/x): 405 with Allow.
  const allow = await allowedMethods(c, (req, env, ctx) => app.fetch(req, env, ctx))
  if (allow) {
    c.header('Allow', allow)
    return renderErrorPage(c, 405, c.var.t.methodNotAllowedText(allow.split(', ')))
  }
  // An old address (front matter aliases) or a page's short address /<id>: 301 (routes/redirects.ts).
  return (await notFoundRedirect(c)) ?? renderErrorPage(c, 404)
})

app.onError((err, c) => {
  let status: number
  let code: string
  let message: string
  let headers: Record<string, string> = {}
  if (err instanceof AppError) {
    ;({ status, code, message, headers } = err)
    // A body refused before any route's own check (lib/request.ts) is worded in English for the API; a page says it in the site's language.
    if (!isApi(c.req.path) && c.var.t) message = pageReason(c.var.t.commentErrors, code) ?? message
  } else if (err instanceof HTTPException) {
    // Middleware that built its own JSON answer (bearer auth) keeps it.
    if (isApi(c.req.path) && err.res?.headers.get('content-type')?.startsWith('application/json')) return err.res
    status = err.status
    if (status === 401) headers = { 'WWW-Authenticate': 'Bearer realm="blog"' }
    if (status === 429) headers = { 'Retry-After': err.res?.headers.get('retry-after') ?? '60' }
    code = status === 403 ? 'forbidden' : status === 401 ? 'unauthorized' : 'bad_request'
    // (A page's 403 is a form from another site, or a reader's browser that hid where its form came
    // from. The comment form and the unsubscribe button give their own words: lib/request.ts sameSiteForm.)
    const crossSite = isApi(c.req.path) ? undefined : c.var.t?.crossSiteForm
    message = status === 403 ? (crossSite ?? 'Cross-site form submissions are not accepted.') : err.message || 'Bad request'
  } else if (isOverloaded(err)) {
    // A Durable Object refusing more work: the client should come back shortly, nothing was lost.
    console.error(JSON.stringify({ event: 'object_overloaded', path: c.req.path }))
    status = 503
    code = 'overloaded'
    message = 'This page is very busy right now; please try again in a moment.'
    headers = { 'Retry-After': '2' }
  } else {
    console.error(JSON.stringify({ event: 'unhandled_error', path: c.req.path, error: String(err), stack: (err as Error)?.stack }))
    status = 500
    code = 'internal_error'
    message = 'Something went wrong on our side.'
  }
  for (const [k, v] of Object.entries(headers)) c.header(k, v)
  if (isApi(c.req.path)) return c.json(errorBody(code, message), status as 400)
  // The reactions form sent where there are none (REACTIONS="", a standalone page, `reactions: false`):
  // a 404 that says why, in the site's language, rather than "page not found".
  return renderErrorPage(c, status, message, code === 'reactions_off' ? message : undefined)
})

const appFetch = (req: Request, env: Cloudflare.Env, ctx: ExecutionContext) => app.fetch(req, env, ctx)

export default {
  // A hot kept page's recorded answer, while it is still the one the app would give; a reader's
  // post page made under its recorded headers (the quick way); else the app.
  fetch: (req: Request, env: Cloudflare.Env, ctx: ExecutionContext) =>
    replay(req, env) ?? quickPostPage(req, env, (r) => appFetch(r, env, ctx)) ?? appFetch(req, env, ctx),
} satisfies ExportedHandler<Cloudflare.Env>

export { PostRoom } from './objects/post-room'
export { Site } from './objects/site'
export { ViewShard } from './objects/view-shard'
export { CommentGate } from './objects/comment-gate'
export { SearchIndex } from './objects/search-index'
