/**
 * The case table of test/security/hostile-requests.test.ts: hostile requests, grouped by category,
 * each with the statuses it may be answered with. Every case is built so that, were it accepted,
 * it would change something the suite watches (a post's markdown, its comments, its counts, the
 * site snapshot, the set of posts), so "rejected and nothing changed" is a real check.
 */
import { TOKEN } from '../helpers'

export const SEED = 'hostile-seed'
export const OTHER = 'hostile-other'
export const CONTROL = 'hostile-control'
export const DRAFT = 'hostile-draft'
export const DELETED = 'hostile-deleted'

/** Comments seeded on SEED: 1 and 3 approved (3 replies to 1), 2 marked as spam. OTHER has 8. */
export const SEED_COMMENT_BODY = 'The first seeded comment.'
export const SEED_COMMENT_KEY = 'hostile-seed-key-1'
export const SEED_AUTHOR = 'Seed Reader'
export const SEED_EMAIL = 'seed@reader.example'
/** A comment id that exists on OTHER but not on SEED. */
export const OTHER_ONLY_COMMENT = 7

/** A marker that must never come back unescaped. */
export const MARKER = '<script>hostile(1)</script>'
export const MARKER_ENC = encodeURIComponent(MARKER)
export const FOREIGN = 'https://evil.example'
export const ORIGIN = 'https://blog.example'
export const BOT_UA = 'HostileSuiteBot/1.0 (+https://evil.example/bot)'

export type Category =
  'auth' | 'methods' | 'content-types' | 'bodies' | 'field-values' | 'path-ids' | 'comment-ids' | 'query-params' | 'csrf'

export interface Case {
  category: Category
  name: string
  method?: string
  path: string
  /** Added to (and overriding) the default browser user agent and client address. */
  headers?: Record<string, string> | [string, string][]
  /** A function for bodies that are expensive to build (built when the case runs). */
  body?: BodyInit | (() => BodyInit)
  /** The statuses this case may be answered with. */
  status: number | number[]
  /** The JSON error code expected (API routes). */
  code?: string | string[]
  /** The Allow header expected (405). */
  allow?: string
  /** Values (besides MARKER) that must not appear in the response body. */
  reflect?: string[]
  /** A same-origin control: allowed to succeed, and to change state on CONTROL only. */
  control?: boolean
  /** A 401 must carry `WWW-Authenticate: Bearer realm="blog"` (RFC 9110); default true. */
  wwwAuthenticate?: boolean
}

const ADMIN = { authorization: `Bearer ${TOKEN}` }
const json = (v: unknown) => JSON.stringify(v)
const JSON_CT = { 'content-type': 'application/json' }
const FORM_CT = { 'content-type': 'application/x-www-form-urlencoded' }
const MD_CT = { 'content-type': 'text/markdown; charset=utf-8' }

/** A post that would replace SEED if it were accepted. */
const PWNED_MD = `---\ntitle: "PWNED ${MARKER}"\n---\n\nReplaced by an attacker. ${MARKER}\n`
const PWNED_JSON = json({ title: `PWNED ${MARKER}`, body: `Replaced by an attacker. ${MARKER}` })

let serial = 0
/** A valid comment, different every time (so a duplicate check never hides an acceptance). */
export function validComment(extra: Record<string, unknown> = {}): Record<string, unknown> {
  serial++
  return { author: 'Mallory', body: `hostile comment number ${serial}`, ...extra }
}
function commentJson(extra: Record<string, unknown> = {}): string {
  return json(validComment(extra))
}
function commentForm(extra: Record<string, string> = {}): string {
  const c = validComment(extra) as Record<string, string>
  return new URLSearchParams(c).toString()
}

/** A Waline export with one comment for `postId` (checked against CONTROL with the real token). */
export function walineExport(postId: string, objectId: string): string {
  return json({
    type: 'waline',
    version: 1,
    data: {
      Comment: [
        {
          objectId,
          comment: `Imported by an attacker ${MARKER}`,
          nick: 'Importer',
          mail: 'importer@evil.example',
          link: '',
          status: 'approved',
          url: `/archives/${postId}/`,
          insertedAt: '2025-01-01T00:00:00.000Z',
          createdAt: '2025-01-01T00:00:00.000Z',
          updatedAt: '2025-01-01T00:00:00.000Z',
        },
      ],
    },
  })
}

const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`
const utf8AsLatin1 = (s: string) => String.fromCharCode(...new TextEncoder().encode(s))

// ---- auth ----------------------------------------------------------------------------------------

interface AdminRoute {
  name: string
  method: string
  path: string
  headers?: Record<string, string>
  body?: string
}

/** Every route that needs the admin token, with a body that would change state if it were let in. */
export const ADMIN_ROUTES: AdminRoute[] = [
  { name: 'PUT post', method: 'PUT', path: `/api/posts/${SEED}`, headers: MD_CT, body: PWNED_MD },
  { name: 'POST post', method: 'POST', path: '/api/posts', headers: JSON_CT, body: PWNED_JSON },
  { name: 'DELETE post', method: 'DELETE', path: `/api/posts/${SEED}` },
  { name: 'GET post', method: 'GET', path: `/api/posts/${SEED}` },
  { name: 'GET queue', method: 'GET', path: '/api/comments?status=spam' },
  { name: 'approve', method: 'POST', path: `/api/comments/${SEED}/2/approve` },
  { name: 'spam', method: 'POST', path: `/api/comments/${SEED}/1/spam` },
  { name: 'pin', method: 'POST', path: `/api/comments/${SEED}/1/pin` },
  { name: 'unpin', method: 'POST', path: `/api/comments/${SEED}/1/unpin` },
  { name: 'DELETE comment', method: 'DELETE', path: `/api/comments/${SEED}/3` },
  {
    name: 'batch',
    method: 'POST',
    path: '/api/comments/batch',
    headers: JSON_CT,
    body: json({ action: 'delete', comments: [1, 2, 3].map((commentId) => ({ postId: SEED, commentId })) }),
  },
  { name: 'erase', method: 'POST', path: '/api/comments/erase', headers: JSON_CT, body: json({ name: SEED_AUTHOR }) },
  {
    name: 'import',
    method: 'POST',
    path: '/api/import/comments?format=waline',
    headers: JSON_CT,
    body: walineExport(SEED, 'hostile-import-1'),
  },
  { name: 'stats', method: 'GET', path: '/api/stats' },
  { name: 'stats.svg', method: 'GET', path: `/api/stats.svg?post=${SEED}` },
  { name: 'rerender', method: 'POST', path: '/api/rerender' },
]

const AUTH_VARIANTS: { name: string; headers?: Record<string, string>; query?: string }[] = [
  { name: 'no Authorization' },
  { name: 'wrong token', headers: { authorization: 'Bearer wrong-token-0123456789' } },
  { name: 'Basic scheme', headers: { authorization: `Basic ${btoa(`admin:${TOKEN}`)}` } },
  // A lower-case scheme is RFC 7235-legal with the right token; with a wrong one it must fail.
  { name: 'lower-case scheme, wrong token', headers: { authorization: `bearer ${TOKEN}-not` } },
  { name: 'token in query', query: `token=${TOKEN}&access_token=${TOKEN}&authorization=Bearer%20${TOKEN}` },
  { name: 'token in cookie', headers: { cookie: `token=${TOKEN}; admin_token=${TOKEN}; authorization=Bearer%20${TOKEN}` } },
  { name: 'very long token', headers: { authorization: `Bearer ${TOKEN}${'A'.repeat(64 * 1024)}` } },
  // The UTF-8 bytes of a look-alike token, as a client sending UTF-8 would put them on the wire.
  { name: 'unicode token', headers: { authorization: utf8AsLatin1('Bearer ｔｅｓｔ-admin-token') } },
]

const EXTRA_AUTH_VARIANTS: { name: string; headers: Record<string, string> | [string, string][] }[] = [
  { name: 'token prefix', headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` } },
  { name: 'empty bearer', headers: { authorization: 'Bearer' } },
  {
    name: 'two credentials',
    headers: [
      ['authorization', 'Bearer wrong'],
      ['authorization', `Bearer ${TOKEN}`],
    ],
  },
  { name: 'other header', headers: { 'x-admin-token': TOKEN, 'x-api-key': TOKEN, 'proxy-authorization': `Bearer ${TOKEN}` } },
]

function authCases(): Case[] {
  const cases: Case[] = []
  for (const route of ADMIN_ROUTES) {
    for (const v of AUTH_VARIANTS) {
      cases.push({
        category: 'auth',
        name: `${route.method} ${route.name}: ${v.name}`,
        method: route.method,
        path: v.query ? withQuery(route.path, v.query) : route.path,
        headers: { ...route.headers, ...v.headers },
        body: route.body,
        status: 401,
        code: 'unauthorized',
        reflect: [TOKEN],
      })
    }
  }
  for (const route of ADMIN_ROUTES.filter((r) => ['PUT post', 'DELETE post', 'erase'].includes(r.name))) {
    for (const v of EXTRA_AUTH_VARIANTS) {
      cases.push({
        category: 'auth',
        name: `${route.method} ${route.name}: ${v.name}`,
        method: route.method,
        path: route.path,
        headers: Array.isArray(v.headers) ? [...Object.entries(route.headers ?? {}), ...v.headers] : { ...route.headers, ...v.headers },
        body: route.body,
        status: 401,
        code: 'unauthorized',
        reflect: [TOKEN],
      })
    }
  }
  // A reader's comment: the admin token or the writer's edit token (cookie or X-Comment-Token), nothing else.
  const forged = 'A'.repeat(32)
  const edits: [string, string, Record<string, string>][] = [
    ['PATCH', 'forged X-Comment-Token', { 'x-comment-token': forged }],
    ['PATCH', 'forged edit cookie', { cookie: `ce_${SEED}_1=${forged}` }],
    ['PATCH', 'edit cookie of another comment', { cookie: `ce_${SEED}_3=${forged}` }],
    ['DELETE', 'forged X-Comment-Token', { 'x-comment-token': forged }],
    ['DELETE', 'forged edit cookie', { cookie: `ce_${SEED}_1=${forged}` }],
    ['DELETE', 'admin token in cookie', { cookie: `ce_${SEED}_1=${TOKEN}` }],
  ]
  for (const [method, name, headers] of edits) {
    cases.push({
      category: 'auth',
      name: `${method} reader comment: ${name}`,
      method,
      path: `/api/posts/${SEED}/comments/1`,
      headers: method === 'PATCH' ? { ...JSON_CT, ...headers } : headers,
      body: method === 'PATCH' ? json({ body: `Edited by an attacker ${MARKER}` }) : undefined,
      status: 403,
      code: 'not_your_comment',
      reflect: [TOKEN],
    })
  }
  // Routes open to everybody where the token adds something (the 博主 badge, editing any comment): a wrong
  // token is a 401 there too (docs/API.md), so they cannot be used to test tokens, and nothing is stored.
  for (const v of AUTH_VARIANTS.filter((v) => v.headers?.authorization)) {
    cases.push({
      category: 'auth',
      name: `POST comment: ${v.name}`,
      method: 'POST',
      path: `/api/posts/${SEED}/comments`,
      headers: { ...JSON_CT, ...v.headers },
      body: commentJson(),
      status: 401,
      code: 'unauthorized',
      reflect: [TOKEN],
    })
  }
  for (const [method, body] of [
    ['PATCH', json({ body: `Edited by an attacker ${MARKER}` })],
    ['DELETE', undefined],
  ] as const) {
    cases.push({
      category: 'auth',
      name: `${method} reader comment: wrong bearer`,
      method,
      path: `/api/posts/${SEED}/comments/1`,
      headers: { ...JSON_CT, authorization: 'Bearer wrong-token' },
      body,
      status: 401,
      code: 'unauthorized',
      reflect: [TOKEN],
    })
  }
  cases.push({
    category: 'auth',
    name: 'comment form: wrong bearer',
    method: 'POST',
    path: `/archives/${SEED}/comments`,
    headers: { ...FORM_CT, origin: ORIGIN, authorization: 'Bearer wrong-token' },
    body: commentForm(),
    status: 401,
    reflect: [TOKEN],
  })
  return cases
}

// ---- methods -------------------------------------------------------------------------------------

function methodCases(): Case[] {
  const api: [string, string, string][] = [
    ['PUT', '/api/posts', 'GET, POST'],
    ['PATCH', '/api/posts', 'GET, POST'],
    ['DELETE', '/api/posts', 'GET, POST'],
    ['OPTIONS', '/api/posts', 'GET, POST'],
    ['PUT', `/api/posts/${SEED}/revisions`, 'GET'],
    ['DELETE', `/api/posts/${SEED}/revisions/1`, 'GET'],
    ['GET', `/api/posts/${SEED}/revisions/1/restore`, 'POST'],
    ['GET', `/api/posts/${SEED}/preview-link`, 'POST'],
    ['GET', `/api/posts/${SEED}/rename`, 'POST'],
    ['POST', `/api/posts/${SEED}`, 'GET, PUT, DELETE'],
    ['PATCH', `/api/posts/${SEED}`, 'GET, PUT, DELETE'],
    ['OPTIONS', `/api/posts/${SEED}`, 'GET, PUT, DELETE'],
    ['TRACE', `/api/posts/${SEED}`, 'GET, PUT, DELETE'],
    ['PROPFIND', `/api/posts/${SEED}`, 'GET, PUT, DELETE'],
    ['PURGE', `/api/posts/${SEED}`, 'GET, PUT, DELETE'],
    ['MKCOL', `/api/posts/${SEED}/comments`, 'GET, POST'],
    ['PUT', `/api/posts/${SEED}/comments`, 'GET, POST'],
    ['DELETE', `/api/posts/${SEED}/comments`, 'GET, POST'],
    ['PATCH', `/api/posts/${SEED}/comments`, 'GET, POST'],
    ['POST', `/api/posts/${SEED}/views`, 'GET'],
    ['PUT', `/api/posts/${SEED}/views`, 'GET'],
    ['DELETE', `/api/posts/${SEED}/views`, 'GET'],
    ['POST', `/api/posts/${SEED}/comments/1`, 'GET, PATCH, DELETE'],
    ['PUT', `/api/posts/${SEED}/comments/1`, 'GET, PATCH, DELETE'],
    ['POST', '/api/comments', 'GET'],
    ['DELETE', '/api/comments', 'GET'],
    ['GET', '/api/comments/preview', 'POST'],
    ['PUT', '/api/comments/preview', 'POST'],
    ['GET', '/api/comments/erase', 'POST'],
    ['DELETE', '/api/comments/erase', 'POST'],
  ]
  const cases: Case[] = api.map(([method, path, allow]) => ({
    category: 'methods',
    name: `${method} ${path}`,
    method,
    path,
    // A body that would be a valid write, so a method mix-up could not go unnoticed.
    headers: method === 'GET' || method === 'OPTIONS' || method === 'TRACE' ? ADMIN : { ...ADMIN, ...MD_CT },
    body: method === 'GET' || method === 'OPTIONS' || method === 'TRACE' ? undefined : PWNED_MD,
    status: 405,
    code: 'method_not_allowed',
    allow,
  }))
  // Also without the token: the methods of a route are no secret, and nothing is written.
  // The API's 404 does not repeat the path back.
  cases.push({ category: 'methods', name: 'unknown API route with markup', path: `/api/${MARKER_ENC}`, status: 404, code: 'not_found' })
  cases.push({
    category: 'methods',
    name: `POST /api/posts/${MARKER} (no token)`,
    method: 'POST',
    path: `/api/posts/${MARKER_ENC}`,
    status: 405,
    code: 'method_not_allowed',
    allow: 'GET, PUT, DELETE',
  })
  // Every other API route answers a wrong method with 405 and Allow, too.
  const more: [string, string, string][] = [
    ['POST', '/api/stats', 'GET'],
    ['POST', '/api/stats.svg', 'GET'],
    ['GET', '/api/rerender', 'POST'],
    ['GET', '/api/import/comments?format=waline', 'POST'],
    ['GET', `/api/comments/${SEED}/1/approve`, 'POST'],
    ['GET', `/api/comments/${SEED}/1/spam`, 'POST'],
    ['GET', `/api/comments/${SEED}/1/pin`, 'POST'],
    ['DELETE', `/api/comments/${SEED}/1/unpin`, 'POST'],
    ['GET', `/api/posts/${SEED}/comments/1/like`, 'POST'],
    ['GET', `/api/comments/${SEED}/1`, 'DELETE'],
    ['PUT', `/api/comments/${SEED}/1`, 'DELETE'],
    ['POST', '/api/health', 'GET'],
    ['POST', '/api/comments/form', 'GET'],
  ]
  for (const [method, path, allow] of more) {
    cases.push({ category: 'methods', name: `${method} ${path}`, method, path, status: 405, code: 'method_not_allowed', allow })
  }

  // Pages: a wrong method on a reader's address is a 405 page with Allow (GET, HEAD; POST where a
  // form posts); on an address that does not exist, a 404 (README: What a reader sees).
  const pages: [string, string, string | null][] = [
    ['POST', `/archives/${SEED}`, 'GET, HEAD'],
    ['PUT', '/', 'GET, HEAD'],
    ['DELETE', `/archives/${SEED}`, 'GET, HEAD'],
    ['PATCH', '/archives', 'GET, HEAD'],
    ['DELETE', `/archives/${SEED}/cite.bib`, 'GET, HEAD'],
    ['TRACE', '/', 'GET, HEAD'],
    ['OPTIONS', `/archives/${SEED}`, 'GET, HEAD'],
    ['PUT', `/archives/${SEED}/comments`, 'GET, HEAD, POST'],
    ['DELETE', `/archives/${SEED}/comments/1`, 'GET, HEAD'],
    ['PUT', `/archives/${SEED}/comments/1/like`, 'GET, HEAD, POST'],
    ['PROPFIND', '/popular', 'GET, HEAD'],
    ['PUT', '/archives/no-such-post', null],
    ['DELETE', '/page/999', null],
    ['PATCH', `/${MARKER_ENC}`, null],
  ]
  for (const [method, path, allow] of pages) {
    cases.push({
      category: 'methods',
      name: `${method} ${path}`,
      method,
      path,
      headers: method === 'TRACE' || method === 'OPTIONS' ? { origin: ORIGIN } : { origin: ORIGIN, ...FORM_CT },
      body: method === 'TRACE' || method === 'OPTIONS' ? undefined : commentForm(),
      ...(allow === null ? { status: 404 } : { status: 405, allow }),
    })
  }
  // HEAD on pages: the page's headers, no body, and never a reader's view (checked by the state comparison).
  for (const path of [`/archives/${SEED}`, '/', `/archives/${SEED}/cite.bib`, `/archives/${SEED}/comment-page-1`, '/popular']) {
    cases.push({ category: 'methods', name: `HEAD ${path}`, method: 'HEAD', path, status: 200, control: true })
  }
  cases.push({ category: 'methods', name: 'HEAD /archives/no-such-post', method: 'HEAD', path: '/archives/no-such-post', status: 404 })
  cases.push({ category: 'methods', name: `HEAD /api/posts/${SEED} (no token)`, method: 'HEAD', path: `/api/posts/${SEED}`, status: 401 })
  return cases
}

// ---- content types -------------------------------------------------------------------------------

function contentTypeCases(): Case[] {
  const cases: Case[] = []
  const putTypes: [string, string | undefined][] = [
    ['form-encoded', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['text/html', 'text/html'],
    ['application/xml', 'application/xml'],
    ['application/jsonx', 'application/jsonx'],
    ['two types', 'application/json, text/plain'],
    ['missing', undefined],
  ]
  for (const [name, type] of putTypes) {
    cases.push({
      category: 'content-types',
      name: `PUT post as ${name}`,
      method: 'PUT',
      path: `/api/posts/${SEED}`,
      headers: type ? { ...ADMIN, 'content-type': type } : ADMIN,
      // A byte body, so that the runtime adds no text/plain of its own when the type is missing.
      body: new TextEncoder().encode(PWNED_MD),
      status: 415,
      code: 'unsupported_media_type',
    })
  }
  cases.push({
    category: 'content-types',
    name: 'POST post as form-encoded',
    method: 'POST',
    path: '/api/posts',
    headers: { ...ADMIN, ...FORM_CT },
    body: 'title=PWNED&body=x',
    status: 415,
    code: 'unsupported_media_type',
  })
  cases.push({
    category: 'content-types',
    name: 'PUT prerendered as markdown',
    method: 'PUT',
    path: `/api/posts/${SEED}?prerendered=1`,
    headers: { ...ADMIN, ...MD_CT },
    body: PWNED_MD,
    status: 415,
    code: 'unsupported_media_type',
  })
  const commentTypes: [string, string | undefined][] = [
    ['form-encoded', 'application/x-www-form-urlencoded'],
    ['text/plain', 'text/plain'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['text/json', 'text/json'],
    ['application/x-json', 'application/x-json'],
    ['application/json-seq', 'application/json-seq'],
    ['missing', undefined],
  ]
  for (const [name, type] of commentTypes) {
    cases.push({
      category: 'content-types',
      name: `POST comment as ${name}`,
      method: 'POST',
      path: `/api/posts/${SEED}/comments`,
      headers: type ? { 'content-type': type } : {},
      body: new TextEncoder().encode(commentJson()),
      status: 415,
      code: 'unsupported_media_type',
    })
  }
  const others: [string, string, string, Record<string, string>][] = [
    ['preview as text/plain', 'POST', '/api/comments/preview', {}],
    ['PATCH comment as form (admin)', 'PATCH', `/api/posts/${SEED}/comments/1`, ADMIN],
    ['erase as form (admin)', 'POST', '/api/comments/erase', ADMIN],
  ]
  for (const [name, method, path, headers] of others) {
    cases.push({
      category: 'content-types',
      name,
      method,
      path,
      headers: { ...headers, 'content-type': name.includes('text/plain') ? 'text/plain' : 'application/x-www-form-urlencoded' },
      body: name.startsWith('erase') ? `name=${encodeURIComponent(SEED_AUTHOR)}` : `body=${encodeURIComponent(`edited ${MARKER}`)}`,
      status: 415,
      code: 'unsupported_media_type',
    })
  }
  // Charset tricks: the body is read as UTF-8 whatever the parameter says, so these do not parse.
  const utf16 = (s: string) => {
    const out = new Uint8Array(s.length * 2)
    for (let i = 0; i < s.length; i++) {
      out[i * 2] = s.charCodeAt(i) & 0xff
      out[i * 2 + 1] = s.charCodeAt(i) >> 8
    }
    return out
  }
  cases.push({
    category: 'content-types',
    name: 'comment as UTF-16LE JSON (charset=utf-16le)',
    method: 'POST',
    path: `/api/posts/${SEED}/comments`,
    headers: { 'content-type': 'application/json; charset=utf-16le' },
    body: utf16(commentJson()),
    status: 415,
    code: 'unsupported_media_type',
  })
  cases.push({
    category: 'content-types',
    name: 'comment as UTF-7 (charset=utf-7)',
    method: 'POST',
    path: `/api/posts/${SEED}/comments`,
    headers: { 'content-type': 'application/json; charset=utf-7' },
    body: '+AHsAIg-author+ACI-: +ACI-x+ACI-, +ACI-body+ACI-: +ACI-+ADw-script+AD4-+ACIAfQ-',
    status: 415,
    code: 'unsupported_media_type',
  })
  cases.push({
    category: 'content-types',
    name: 'PUT post as UTF-16 markdown (charset=utf-16)',
    method: 'PUT',
    path: `/api/posts/${SEED}`,
    headers: { ...ADMIN, 'content-type': 'text/markdown; charset=utf-16' },
    body: utf16(PWNED_MD),
    status: 415,
    code: 'unsupported_media_type',
  })
  // JSON or text to the HTML form endpoint: not a form, so no fields: the page says why, nothing is stored.
  cases.push({
    category: 'content-types',
    name: 'JSON to the comment form (same origin)',
    method: 'POST',
    path: `/archives/${SEED}/comments`,
    headers: { origin: ORIGIN, ...JSON_CT },
    body: commentJson(),
    status: 400,
  })
  cases.push({
    category: 'content-types',
    name: 'JSON to the comment form (foreign origin)',
    method: 'POST',
    path: `/archives/${SEED}/comments`,
    headers: { origin: FOREIGN, ...JSON_CT },
    body: commentJson(),
    status: 400,
  })
  cases.push({
    category: 'content-types',
    name: 'text/plain to the comment form (same origin)',
    method: 'POST',
    path: `/archives/${SEED}/comments`,
    headers: { origin: ORIGIN, 'content-type': 'text/plain' },
    body: commentForm(),
    status: 400,
  })
  return cases
}

// ---- bodies --------------------------------------------------------------------------------------

function bodyCases(): Case[] {
  const cases: Case[] = []
  const c = (name: string, rest: Omit<Case, 'category' | 'name'>) => cases.push({ category: 'bodies', name, ...rest })
  const commentPath = `/api/posts/${SEED}/comments`
  const malformed = ['{"author": "x", "body": ', "{'author': 'x', 'body': 'y'}", '{"author":"x","body":"y",}', '', 'NaN', `${MARKER}`]
  for (const b of malformed) {
    c(`malformed comment JSON ${JSON.stringify(b.slice(0, 20))}`, {
      method: 'POST',
      path: commentPath,
      headers: JSON_CT,
      body: b,
      status: 400,
      code: 'malformed_json',
    })
  }
  for (const b of ['[]', 'null', '1', '"text"', 'true', json([validComment()])]) {
    c(`comment JSON ${b.slice(0, 20)}`, {
      method: 'POST',
      path: commentPath,
      headers: JSON_CT,
      body: b,
      status: 400,
      code: 'invalid_comment',
    })
  }
  // The comment form, same origin, with bodies that are not form data (a 400, never a 500).
  const badForms: [string, string, string][] = [
    ['multipart without a boundary', 'multipart/form-data', 'author=x&body=y'],
    ['multipart cut short', 'multipart/form-data; boundary=XX', '--XX\r\nContent-Disposition: form-data; name="body"\r\n\r\ncut'],
    [
      'multipart with another boundary',
      'multipart/form-data; boundary=XX',
      '--YY\r\nContent-Disposition: form-data; name="body"\r\n\r\nx\r\n--YY--\r\n',
    ],
  ]
  for (const [name, type, body] of badForms) {
    c(`comment form: ${name}`, {
      method: 'POST',
      path: `/archives/${SEED}/comments`,
      headers: { 'content-type': type, origin: ORIGIN },
      body,
      status: 400,
    })
  }
  c('comment JSON nested 30,000 deep', {
    method: 'POST',
    path: commentPath,
    headers: JSON_CT,
    body: () => '['.repeat(30_000) + ']'.repeat(30_000),
    status: 400,
    code: ['invalid_comment', 'malformed_json'],
  })
  c('comment with a deeply nested parent', {
    method: 'POST',
    path: commentPath,
    headers: JSON_CT,
    body: () => commentJson().slice(0, -1) + ',"parent":' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + '}',
    status: 400,
    code: 'invalid_comment',
  })
  c('comment body over 128 KB', {
    method: 'POST',
    path: commentPath,
    headers: JSON_CT,
    body: () => commentJson({ pad: 'p'.repeat(140_000) }),
    status: 413,
    code: 'payload_too_large',
  })
  c('comment body over 128 KB, streamed (no Content-Length)', {
    method: 'POST',
    path: commentPath,
    headers: JSON_CT,
    body: () => new Blob([commentJson({ pad: 'p'.repeat(140_000) })]).stream(),
    status: 413,
    code: 'payload_too_large',
  })
  c('Content-Length larger than the limit', {
    method: 'POST',
    path: commentPath,
    headers: { ...JSON_CT, 'content-length': '200000' },
    body: commentJson(),
    status: 413,
    code: 'payload_too_large',
  })
  c('non-numeric Content-Length, invalid body', {
    method: 'POST',
    path: commentPath,
    headers: { ...JSON_CT, 'content-length': 'abc' },
    body: json({ author: 'x'.repeat(60), body: 'y' }),
    status: 400,
    code: ['bad_content_length', 'invalid_comment'],
  })
  c('non-numeric Content-Length, 70 KB body', {
    method: 'POST',
    path: commentPath,
    headers: { ...JSON_CT, 'content-length': 'abc' },
    body: () => json({ author: 'x', body: 'b'.repeat(70_000) }),
    status: [400, 413],
    code: ['bad_content_length', 'invalid_comment', 'payload_too_large'],
  })
  // The bytes received count, not what Content-Length claims.
  c('lying Content-Length, valid padded comment', {
    method: 'POST',
    path: commentPath,
    headers: { ...JSON_CT, 'content-length': '10' },
    body: () => commentJson({ pad: 'p'.repeat(140_000) }),
    status: 413,
    code: 'payload_too_large',
  })
  c('non-numeric Content-Length, 1.1 MB post', {
    method: 'PUT',
    path: `/api/posts/${SEED}`,
    headers: { ...ADMIN, ...MD_CT, 'content-length': 'abc' },
    body: () => PWNED_MD + 'x'.repeat(1_100_000),
    status: [400, 413],
    code: ['bad_content_length', 'payload_too_large'],
  })
  c('preview body over 128 KB', {
    method: 'POST',
    path: '/api/comments/preview',
    headers: JSON_CT,
    body: () => json({ body: 'x'.repeat(140_000) }),
    status: 413,
    code: 'payload_too_large',
  })
  c('preview JSON null', {
    method: 'POST',
    path: '/api/comments/preview',
    headers: JSON_CT,
    body: 'null',
    status: 400,
    code: 'invalid_comment',
  })
  c('PATCH comment over 128 KB (admin)', {
    method: 'PATCH',
    path: `/api/posts/${SEED}/comments/1`,
    headers: { ...ADMIN, ...JSON_CT },
    body: () => json({ body: 'x'.repeat(140_000) }),
    status: 413,
    code: 'payload_too_large',
  })
  c('PATCH comment malformed JSON (admin)', {
    method: 'PATCH',
    path: `/api/posts/${SEED}/comments/1`,
    headers: { ...ADMIN, ...JSON_CT },
    body: '{"body":',
    status: 400,
    code: 'malformed_json',
  })
  c('PATCH comment JSON array (admin)', {
    method: 'PATCH',
    path: `/api/posts/${SEED}/comments/1`,
    headers: { ...ADMIN, ...JSON_CT },
    body: json([{ body: 'edited' }]),
    status: 400,
    code: 'invalid_comment',
  })
  // Posts (admin): the token lets the request in; the body must still be refused whole.
  const put = (name: string, body: string | (() => BodyInit), status: number, code: string, headers: Record<string, string> = JSON_CT) =>
    c(name, { method: 'PUT', path: `/api/posts/${SEED}`, headers: { ...ADMIN, ...headers }, body, status, code })
  put('PUT post malformed JSON', '{"title": "PWNED", "body": ', 400, 'malformed_json')
  put('PUT post JSON array', json([JSON.parse(PWNED_JSON)]), 400, 'invalid_post')
  put('PUT post JSON null', 'null', 400, 'invalid_post')
  put('PUT post JSON number', '42', 400, 'invalid_post')
  put('PUT post JSON nested 400,000 deep', () => '['.repeat(400_000) + ']'.repeat(400_000), 400, 'invalid_post')
  put('PUT post over 1 MB', () => PWNED_MD + 'x'.repeat(1_000_001), 413, 'payload_too_large', MD_CT)
  put('PUT post claiming 2 MB (Content-Length)', PWNED_MD, 413, 'payload_too_large', { ...MD_CT, 'content-length': '2000000' })
  put('PUT post title as a list', '---\ntitle: [1, 2]\n---\nx\n', 400, 'invalid_post', MD_CT)
  put('PUT post YAML js/function tag', '---\ntitle: !!js/function "function(){}"\n---\nx\n', 400, 'invalid_post', MD_CT)
  put('PUT post YAML __proto__', '---\n__proto__: {title: PWNED}\n---\nx\n', 400, 'invalid_post', MD_CT)
  put(
    'PUT post YAML alias bomb',
    '---\n' +
      'a: &a ["x","x","x","x","x","x","x","x","x"]\n' +
      ['b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`).join('\n') +
      '\ntitle: *h\n---\nx\n',
    400,
    'invalid_post',
    MD_CT,
  )
  put('PUT post markdown nested too deeply', () => '---\ntitle: PWNED\n---\n' + '>'.repeat(100_000), 422, 'unrenderable', MD_CT)
  put('PUT post with id differing from the URL', json({ id: OTHER, title: 'PWNED', body: 'x' }), 400, 'invalid_post')
  put('PUT post with an unreadable date', json({ title: 'PWNED', body: 'x', date: 'the day after tomorrow' }), 400, 'invalid_post')
  // Messages do not repeat input back.
  put('PUT post with a markup date', json({ title: 'PWNED', body: 'x', date: MARKER }), 400, 'invalid_post')
  put('PUT post with a markup updated date', json({ title: 'PWNED', body: 'x', updated: MARKER }), 400, 'invalid_post')
  c('PUT prerendered post from another renderer', {
    method: 'PUT',
    path: `/api/posts/${SEED}?prerendered=1`,
    headers: { ...ADMIN, ...JSON_CT },
    body: json({
      title: 'PWNED',
      body: 'x',
      rendered: { html: MARKER, excerptHtml: MARKER, description: '', toc: [], mathErrors: 0, renderVersion: 'bogus-1', links: [] },
    }),
    status: 409,
    code: 'renderer_mismatch',
  })
  c('PUT prerendered post claiming 17 MB (Content-Length)', {
    method: 'PUT',
    path: `/api/posts/${SEED}?prerendered=1`,
    headers: { ...ADMIN, ...JSON_CT, 'content-length': '17000000' },
    body: PWNED_JSON,
    status: 413,
    code: 'payload_too_large',
  })
  c('POST post with an id in the body', {
    method: 'POST',
    path: '/api/posts',
    headers: { ...ADMIN, ...JSON_CT },
    body: json({ id: SEED, title: 'PWNED', body: 'x' }),
    status: 400,
    code: 'invalid_post',
  })
  // Comment import (admin): files that are not the named format are refused whole.
  const imp = (name: string, format: string, body: string | (() => BodyInit)) =>
    c(name, {
      method: 'POST',
      path: `/api/import/comments?format=${format}`,
      headers: { ...ADMIN, ...JSON_CT },
      body,
      status: 400,
      code: 'invalid_import',
    })
  imp('import waline null', 'waline', 'null')
  imp('import waline [null]', 'waline', '[null]')
  imp('import waline comment without objectId', 'waline', json({ data: { Comment: [{ url: `/archives/${SEED}`, comment: MARKER }] } }))
  imp('import waline nested 200,000 deep', 'waline', () => '['.repeat(200_000))
  imp('import waline empty file', 'waline', '')
  imp('import twikoo object', 'twikoo', json({ comment: [{}] }))
  imp('import twikoo [null]', 'twikoo', '[null]')
  imp(
    'import WXR with an entity bomb',
    'wxr',
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss><channel><item>' +
      `<wp:post_name>${SEED}</wp:post_name><wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>&lol3;</wp:comment_content>` +
      '</wp:comment></item></channel></rss>',
  )
  imp('import WXR truncated', 'wxr', '<rss><channel><item>')
  c('import over 32 MB (Content-Length)', {
    method: 'POST',
    path: '/api/import/comments?format=waline',
    headers: { ...ADMIN, ...JSON_CT, 'content-length': String(33 * 1024 * 1024) },
    body: walineExport(SEED, 'hostile-import-2'),
    status: 413,
    code: 'payload_too_large',
  })
  c('import over 32 MB, streamed', {
    method: 'POST',
    path: '/api/import/comments?format=waline',
    headers: { ...ADMIN, ...JSON_CT },
    body: () => new Blob([new Uint8Array(33 * 1024 * 1024).fill(0x20)]).stream(),
    status: 413,
    code: 'payload_too_large',
  })
  // Erase (admin): exactly one of email and name.
  for (const b of [
    'null',
    '[]',
    '{}',
    json({ email: 'x' }),
    json({ email: 'a@b.example', name: SEED_AUTHOR }),
    json({ name: '' }),
    json({ email: { $ne: null } }),
  ]) {
    c(`erase ${b}`, {
      method: 'POST',
      path: '/api/comments/erase',
      headers: { ...ADMIN, ...JSON_CT },
      body: b,
      status: 400,
      code: 'invalid_request',
    })
  }
  c('erase malformed JSON', {
    method: 'POST',
    path: '/api/comments/erase',
    headers: { ...ADMIN, ...JSON_CT },
    body: `{"name": "${SEED_AUTHOR}"`,
    status: 400,
    code: 'malformed_json',
  })
  c('comment form over 128 KB', {
    method: 'POST',
    path: `/archives/${SEED}/comments`,
    headers: { origin: ORIGIN, ...FORM_CT },
    body: () => commentForm({ pad: 'p'.repeat(140_000) }),
    status: 413,
  })
  return cases
}

// ---- field values --------------------------------------------------------------------------------

function fieldCases(): Case[] {
  const cases: Case[] = []
  const api = (name: string, fields: Record<string, unknown>, status: number, code: string, headers: Record<string, string> = {}) =>
    cases.push({
      category: 'field-values',
      name,
      method: 'POST',
      path: `/api/posts/${SEED}/comments`,
      headers: { ...JSON_CT, ...headers },
      body: commentJson(fields),
      status,
      code,
    })
  const long = (n: number) => (MARKER + 'x'.repeat(n)).slice(0, n)
  api('author over 50 characters', { author: long(51) }, 400, 'invalid_comment')
  api('author missing', { author: undefined }, 400, 'invalid_comment')
  api('author only spaces', { author: '   \t ' }, 400, 'invalid_comment')
  api('author a number', { author: 12345 }, 400, 'invalid_comment')
  api('author a list', { author: ['Mallory'] }, 400, 'invalid_comment')
  api('body over 10,000 characters', { body: long(10_001) }, 400, 'invalid_comment')
  api('body only white space', { body: ' \n\t ' }, 400, 'invalid_comment')
  api('body null', { body: null }, 400, 'invalid_comment')
  api('body an operator object', { body: { $gt: '' } }, 400, 'invalid_comment')
  api('url over 300 characters', { url: `https://evil.example/${'a'.repeat(290)}` }, 400, 'invalid_comment')
  for (const url of [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    '  javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\u0000script:alert(1)',
    `data:text/html,${MARKER}`,
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '//evil.example/',
    'ftp://evil.example/',
    'http://',
    '/archives/hostile-seed',
  ]) {
    api(`url ${JSON.stringify(url)}`, { url }, 400, 'invalid_comment')
  }
  api('email not an address', { email: 'not-an-email' }, 400, 'invalid_comment')
  api('email with markup', { email: `${MARKER}@evil.example` }, 400, 'invalid_comment')
  api('email over 254 characters', { email: `${'a'.repeat(250)}@evil.example` }, 400, 'invalid_comment')
  api('email without a domain dot', { email: 'a@b' }, 400, 'invalid_comment')
  api('email with NUL', { email: 'a\u0000@evil.example' }, 400, 'invalid_comment')
  api('key with markup', { key: MARKER }, 400, 'invalid_comment')
  api('key over 100 characters', { key: 'k'.repeat(101) }, 400, 'invalid_comment')
  api('key with NUL', { key: 'key\u0000' }, 400, 'invalid_comment')
  api('Idempotency-Key header with spaces', {}, 400, 'invalid_comment', { 'idempotency-key': 'bad key!' })
  api('Idempotency-Key header differing from key', { key: 'field-key-1' }, 400, 'invalid_comment', { 'idempotency-key': 'header-key-1' })
  api('key reused for different content', { key: SEED_COMMENT_KEY }, 422, 'idempotency_key_reused')
  // (The same text from another reader is theirs to post: a duplicate is the same writer's.)
  api('duplicate of an existing comment', { author: SEED_AUTHOR, email: SEED_EMAIL, body: SEED_COMMENT_BODY }, 409, 'duplicate_comment')
  api('notify "yes"', { notify: 'yes' }, 400, 'invalid_comment')
  api('intent "delete"', { intent: 'delete' }, 400, 'invalid_comment')
  api('honeypot filled', { website: 'https://spam.example' }, 400, 'rejected_as_spam')
  api('too many links', { body: Array.from({ length: 6 }, (_, i) => `https://l${i}.example`).join(' ') }, 422, 'too_many_links')
  api('too many formulas', { body: Array.from({ length: 61 }, (_, i) => `$x_${i}$`).join(' ') }, 422, 'too_much_math')
  api('markdown nested too deeply', { body: '- '.repeat(4000) + 'deep' }, 422, 'unrenderable')
  // parent: a comment id of this post (digits, or a digit string from the form).
  for (const parent of [-1, 0, 'abc', 1.5, 1e308, null, {}, '1; DROP TABLE comments']) {
    api(`parent ${JSON.stringify(parent)}`, { parent }, 400, 'invalid_comment')
  }
  api('parent "1e9" (not digits)', { parent: '1e9' }, 400, 'invalid_comment')
  api('parent 2^53 + 1', { parent: 9007199254740993 }, 400, 'invalid_comment')
  api(`parent ${OTHER_ONLY_COMMENT} (a comment of another post)`, { parent: OTHER_ONLY_COMMENT }, 400, 'parent_not_found')
  api('parent 2 (a comment marked as spam)', { parent: 2 }, 400, 'parent_not_found')
  // Invalid UTF-8 on the wire: an overlong "<" (C0 BC), an encoded surrogate (ED A0 80) and stray bytes are read as
  // U+FFFD, never as markup; the author is over 50 characters either way.
  const bytes = (before: string, after: string) => {
    const enc = new TextEncoder()
    const junk = [0xc0, 0xbc, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0xc0, 0xbe, 0xed, 0xa0, 0x80, 0xff, 0xfe]
    return new Uint8Array([...enc.encode(before), ...junk, ...enc.encode(after)])
  }
  cases.push({
    category: 'field-values',
    name: 'invalid UTF-8 in the author (JSON)',
    method: 'POST',
    path: `/api/posts/${SEED}/comments`,
    headers: JSON_CT,
    body: bytes('{"author": "', `${'x'.repeat(50)}", "body": "invalid utf-8 ${serial++}"}`),
    status: 400,
    code: 'invalid_encoding',
    reflect: ['<script>'],
  })
  cases.push({
    category: 'field-values',
    name: 'form: invalid UTF-8 in the author',
    method: 'POST',
    path: `/archives/${SEED}/comments`,
    headers: { origin: ORIGIN, ...FORM_CT },
    body: bytes('author=', `${'x'.repeat(50)}&body=invalid+utf-8+${serial++}`),
    status: 400,
    reflect: ['<script>'],
  })
  // An excerpt too large to keep (the text before <!--more--> or the first paragraphs) is a 422, never a 500.
  cases.push({
    category: 'field-values',
    name: 'PUT post whose excerpt is too large',
    method: 'PUT',
    path: `/api/posts/${SEED}`,
    headers: { ...ADMIN, ...MD_CT },
    body: () => '---\ntitle: a\n---\n' + '&'.repeat(990_000),
    status: 422,
    code: 'excerpt_too_large',
  })

  // Control characters, broken Unicode and non-numeric parents are refused.
  api('author with NUL', { author: 'a\u0000b' }, 400, 'invalid_comment')
  api('author with a newline', { author: 'a\nb' }, 400, 'invalid_comment')
  api('author with a lone surrogate', { author: 'a\ud800b' }, 400, 'invalid_comment')
  api('body with a lone surrogate', { body: 'x\udc00y' }, 400, 'invalid_comment')
  api('url with a lone surrogate', { url: 'https://reader.example/\ud800' }, 400, 'invalid_comment')
  api('url with a control character', { url: 'https://reader.example/\u0007' }, 400, 'invalid_comment')
  api('body with a control character', { body: 'x\u0007y' }, 400, 'invalid_comment')
  api('parent true', { parent: true }, 400, 'invalid_comment')
  api('parent [1]', { parent: [1] }, 400, 'invalid_comment')
  cases.push({
    category: 'field-values',
    name: 'comment on an unknown post',
    method: 'POST',
    path: '/api/posts/no-such-post/comments',
    headers: JSON_CT,
    body: commentJson(),
    status: 404,
    code: 'post_not_found',
  })
  cases.push({
    category: 'field-values',
    name: 'comment on a draft',
    method: 'POST',
    path: `/api/posts/${DRAFT}/comments`,
    headers: JSON_CT,
    body: commentJson(),
    status: 404,
    code: 'post_not_found',
  })
  cases.push({
    category: 'field-values',
    name: 'comment on a deleted post',
    method: 'POST',
    path: `/api/posts/${DELETED}/comments`,
    headers: JSON_CT,
    body: commentJson(),
    status: 410,
    code: 'post_deleted',
  })
  // The HTML form keeps a refused comment's text in the form: escaped, never markup.
  const form = (name: string, fields: Record<string, string>, query = '', status = 400, post = SEED) =>
    cases.push({
      category: 'field-values',
      name: `form: ${name}`,
      method: 'POST',
      path: `/archives/${post}/comments${query}`,
      headers: { origin: ORIGIN, ...FORM_CT },
      body: commentForm(fields),
      status,
    })
  form('author over 50 characters with markup', { author: long(51) })
  form('body over 10,000 characters with markup', { author: MARKER, body: long(10_001) })
  form('javascript: url, markup author', { author: MARKER, url: 'javascript:alert(1)' })
  form('markup url', { author: MARKER, url: `https://x.example/"><${MARKER}` + 'x'.repeat(300) })
  form('parent "abc"', { author: MARKER, parent: 'abc' })
  form('honeypot filled', { author: MARKER, website: 'https://spam.example' })
  form('markup in the key query', { author: long(60) }, `?key=${MARKER_ENC}`)
  form('preview of an over-long body', { author: MARKER, body: long(10_001), intent: 'preview' })
  form('comment on a draft', { author: MARKER }, '', 404, DRAFT)
  form('comment on a deleted post', { author: MARKER }, '', 410, DELETED)
  cases.push({
    category: 'field-values',
    name: 'preview body over 10,000 characters',
    method: 'POST',
    path: '/api/comments/preview',
    headers: JSON_CT,
    body: json({ body: long(10_001) }),
    status: 400,
    code: 'invalid_comment',
  })
  for (const [name, body] of [
    ['empty', ''],
    ['a number', 5],
    ['over 10,000 characters', long(10_001)],
  ] as const) {
    cases.push({
      category: 'field-values',
      name: `PATCH comment body ${name} (admin)`,
      method: 'PATCH',
      path: `/api/posts/${SEED}/comments/1`,
      headers: { ...ADMIN, ...JSON_CT },
      body: json({ body }),
      status: 400,
      code: 'invalid_comment',
    })
  }
  return cases
}

// ---- ids in paths --------------------------------------------------------------------------------

/** [the id as it goes into the URL, the decoded value if it must not come back]. */
const HOSTILE_IDS: [string, string | null][] = [
  [`..%2F${SEED}`, `../${SEED}`],
  [`${SEED}%2F..`, `${SEED}/..`],
  [`%2F${SEED}`, null],
  [`${SEED}%00`, `${SEED}\u0000`],
  ['%00', null],
  ['x'.repeat(101), 'x'.repeat(101)],
  ['%EF%BD%85ntropy', 'ｅntropy'],
  [`hostile-%EF%BD%93eed`, 'hostile-ｓeed'],
  [SEED.toUpperCase(), SEED.toUpperCase()],
  [`${SEED}.`, null],
  [`${SEED}%20`, null],
  [`${SEED}%0A`, null],
  [`-${SEED}`, null],
  ['hostile--seed', null],
  ['hostile_seed', 'hostile_seed'],
  [MARKER_ENC, MARKER],
  [`%E2%80%AE${SEED}`, `\u202e${SEED}`],
  ['hostile-%C5%BFeed', 'hostile-ſeed'],
  ['%252E%252E', '%2E%2E'],
]

function pathIdCases(): Case[] {
  const cases: Case[] = []
  const add = (id: string, decoded: string | null, name: string, rest: Omit<Case, 'category' | 'name'>) =>
    cases.push({ category: 'path-ids', name: `${name} ${id.slice(0, 40)}`, reflect: decoded ? [decoded] : [], ...rest })
  for (const [id, decoded] of HOSTILE_IDS) {
    add(id, decoded, 'GET /archives/', { path: `/archives/${id}`, status: 404 })
    add(id, decoded, 'PUT /api/posts/ (admin)', {
      method: 'PUT',
      path: `/api/posts/${id}`,
      headers: { ...ADMIN, ...MD_CT },
      body: PWNED_MD,
      status: 400,
      code: 'invalid_id',
    })
    add(id, decoded, 'POST /api/posts/:id/comments', {
      method: 'POST',
      path: `/api/posts/${id}/comments`,
      headers: JSON_CT,
      body: commentJson(),
      status: 400,
      code: 'invalid_id',
    })
  }
  const some = HOSTILE_IDS.filter((_, i) => i % 3 === 0)
  for (const [id, decoded] of some) {
    add(id, decoded, 'GET cite.bib', { path: `/archives/${id}/cite.bib`, status: 404 })
    add(id, decoded, 'GET comment-page-2', { path: `/archives/${id}/comment-page-2`, status: 404 })
    add(id, decoded, 'GET comment permalink', { path: `/archives/${id}/comments/1`, status: 404 })
    add(id, decoded, 'POST comment form', {
      method: 'POST',
      path: `/archives/${id}/comments`,
      headers: { origin: ORIGIN, ...FORM_CT },
      body: commentForm(),
      status: 404,
    })
    add(id, decoded, 'GET /api/posts/:id/views', { path: `/api/posts/${id}/views`, status: 400, code: 'invalid_id' })
    add(id, decoded, 'GET /api/posts/:id (admin)', { path: `/api/posts/${id}`, headers: ADMIN, status: 400, code: 'invalid_id' })
    add(id, decoded, 'DELETE /api/posts/:id (admin)', {
      method: 'DELETE',
      path: `/api/posts/${id}`,
      headers: ADMIN,
      status: 400,
      code: 'invalid_id',
    })
    add(id, decoded, 'POST approve (admin)', {
      method: 'POST',
      path: `/api/comments/${id}/2/approve`,
      headers: ADMIN,
      status: 400,
      code: 'invalid_id',
    })
    add(id, decoded, 'PATCH comment (admin)', {
      method: 'PATCH',
      path: `/api/posts/${id}/comments/1`,
      headers: { ...ADMIN, ...JSON_CT },
      body: json({ body: 'edited' }),
      status: 400,
      code: 'invalid_id',
    })
  }
  return cases
}

// ---- comment ids ---------------------------------------------------------------------------------

const HOSTILE_CIDS = ['0', '-1', '1e9', 'abc', '01', '1.0', '1%00', '9999999999', '%EF%BC%91', '0x1', '+1', MARKER_ENC]

function commentIdCases(): Case[] {
  const cases: Case[] = []
  const add = (name: string, rest: Omit<Case, 'category' | 'name'>) => cases.push({ category: 'comment-ids', name, ...rest })
  for (const cid of HOSTILE_CIDS) {
    add(`GET comment ${cid}`, { path: `/api/posts/${SEED}/comments/${cid}`, status: 400, code: 'invalid_id' })
    add(`DELETE moderated comment ${cid} (admin)`, {
      method: 'DELETE',
      path: `/api/comments/${SEED}/${cid}`,
      headers: ADMIN,
      status: 400,
      code: 'invalid_id',
    })
  }
  for (const cid of ['0', '-1', '1e9', 'abc']) {
    add(`PATCH comment ${cid} (admin)`, {
      method: 'PATCH',
      path: `/api/posts/${SEED}/comments/${cid}`,
      headers: { ...ADMIN, ...JSON_CT },
      body: json({ body: 'edited' }),
      status: 400,
      code: 'invalid_id',
    })
    add(`DELETE comment ${cid} (admin)`, {
      method: 'DELETE',
      path: `/api/posts/${SEED}/comments/${cid}`,
      headers: ADMIN,
      status: 400,
      code: 'invalid_id',
    })
    add(`approve ${cid} (admin)`, {
      method: 'POST',
      path: `/api/comments/${SEED}/${cid}/approve`,
      headers: ADMIN,
      status: 400,
      code: 'invalid_id',
    })
    add(`spam ${cid} (admin)`, {
      method: 'POST',
      path: `/api/comments/${SEED}/${cid}/spam`,
      headers: ADMIN,
      status: 400,
      code: 'invalid_id',
    })
    add(`pin ${cid} (admin)`, { method: 'POST', path: `/api/comments/${SEED}/${cid}/pin`, headers: ADMIN, status: 400, code: 'invalid_id' })
    add(`unpin ${cid} (admin)`, {
      method: 'POST',
      path: `/api/comments/${SEED}/${cid}/unpin`,
      headers: ADMIN,
      status: 400,
      code: 'invalid_id',
    })
    add(`permalink ${cid}`, { path: `/archives/${SEED}/comments/${cid}`, status: 404 })
    add(`like ${cid}`, {
      method: 'POST',
      path: `/api/posts/${SEED}/comments/${cid}/like`,
      headers: { origin: ORIGIN },
      status: 400,
      code: 'invalid_id',
    })
    add(`like form ${cid}`, { method: 'POST', path: `/archives/${SEED}/comments/${cid}/like`, headers: { origin: ORIGIN }, status: 404 })
  }
  // Well-formed ids that name no comment of this post (one exists on OTHER only).
  for (const cid of ['999999999', String(OTHER_ONLY_COMMENT)]) {
    add(`GET comment ${cid} (none)`, { path: `/api/posts/${SEED}/comments/${cid}`, status: 404 })
    add(`approve ${cid} (none, admin)`, { method: 'POST', path: `/api/comments/${SEED}/${cid}/approve`, headers: ADMIN, status: 404 })
    add(`spam ${cid} (none, admin)`, { method: 'POST', path: `/api/comments/${SEED}/${cid}/spam`, headers: ADMIN, status: 404 })
    add(`like ${cid} (none)`, { method: 'POST', path: `/api/posts/${SEED}/comments/${cid}/like`, headers: { origin: ORIGIN }, status: 404 })
    add(`pin ${cid} (none, admin)`, { method: 'POST', path: `/api/comments/${SEED}/${cid}/pin`, headers: ADMIN, status: 404 })
    add(`unpin ${cid} (none, admin)`, { method: 'POST', path: `/api/comments/${SEED}/${cid}/unpin`, headers: ADMIN, status: 404 })
    add(`DELETE moderated ${cid} (none, admin)`, { method: 'DELETE', path: `/api/comments/${SEED}/${cid}`, headers: ADMIN, status: 404 })
    add(`PATCH ${cid} (none, admin)`, {
      method: 'PATCH',
      path: `/api/posts/${SEED}/comments/${cid}`,
      headers: { ...ADMIN, ...JSON_CT },
      body: json({ body: 'edited' }),
      status: 404,
    })
  }
  add('GET spam comment 2 (hidden)', { path: `/api/posts/${SEED}/comments/2`, status: 404 })
  add('approve on an unknown post (admin)', { method: 'POST', path: '/api/comments/no-such-post/1/approve', headers: ADMIN, status: 404 })
  // A spam comment cannot be liked, nor one on a draft or a deleted post.
  add('like a spam comment', { method: 'POST', path: `/api/posts/${SEED}/comments/2/like`, headers: { origin: ORIGIN }, status: 404 })
  add('like on a draft', { method: 'POST', path: `/api/posts/${DRAFT}/comments/1/like`, headers: { origin: ORIGIN }, status: 404 })
  add('like on a deleted post', { method: 'POST', path: `/api/posts/${DELETED}/comments/1/like`, headers: { origin: ORIGIN }, status: 410 })
  add('pin on an unknown post (admin)', { method: 'POST', path: '/api/comments/no-such-post/1/pin', headers: ADMIN, status: 404 })
  // Comment 2 is spam, comment 3 a reply: neither can be pinned, and nothing changes.
  add('pin a spam comment (admin)', { method: 'POST', path: `/api/comments/${SEED}/2/pin`, headers: ADMIN, status: 409 })
  add('pin a reply (admin)', { method: 'POST', path: `/api/comments/${SEED}/3/pin`, headers: ADMIN, status: 409 })
  return cases
}

// ---- query parameters ----------------------------------------------------------------------------

function queryCases(): Case[] {
  const cases: Case[] = []
  const add = (name: string, rest: Omit<Case, 'category' | 'name'>) => cases.push({ category: 'query-params', name, ...rest })
  for (const n of ['0', '-1', '01', '1e3', '2.0', '%2B2', '0x2', '%EF%BC%92', '9999999', '999999', '2%00', MARKER_ENC]) {
    add(`/page/${n}`, { path: `/page/${n}`, status: 404 })
  }
  add('/page/1 redirects', { path: '/page/1', status: 301, control: true })
  for (const n of ['0', '01', '-1', '9999999', '99999']) {
    add(`comment-page-${n}`, { path: `/archives/${SEED}/comment-page-${n}`, status: 404 })
  }
  const stats = (path: string, query: string, status = 400, code = 'invalid_query') =>
    add(`${path}?${query}`, { path: `${path}?${query}`, headers: ADMIN, status, code, reflect: [MARKER, 'HOSTILE-SEED'] })
  for (const q of [
    'days=0',
    'days=-1',
    'days=367',
    'days=1e3',
    'days=abc',
    'days=',
    'days=99999999999999999999',
    'days=30&days=31',
    `days=${MARKER_ENC}`,
    `post=${MARKER_ENC}`,
    'post=HOSTILE-SEED',
  ]) {
    stats('/api/stats', q)
  }
  for (const q of ['days=0', 'days=400', `post=${MARKER_ENC}`, 'post=..%2Fhostile-seed']) stats('/api/stats.svg', q)
  stats('/api/stats', 'post=no-such-post', 404, 'not_found')
  stats('/api/stats.svg', 'post=no-such-post', 404, 'not_found')
  for (const q of [
    'status=PENDING',
    'status=all',
    `status=${MARKER_ENC}`,
    'limit=0',
    'limit=501',
    'limit=1000',
    'limit=-1',
    'limit=abc',
    'limit=1e2',
    'status=pending&status=spam',
  ]) {
    stats('/api/comments', q)
  }
  for (const q of ['sync=2', 'prerendered=yes', 'sync=1&sync=1', `sync=${MARKER_ENC}`]) {
    add(`PUT ?${q}`, {
      method: 'PUT',
      path: `/api/posts/${SEED}?${q}`,
      headers: { ...ADMIN, ...MD_CT },
      body: PWNED_MD,
      status: 400,
      code: 'invalid_query',
    })
  }
  for (const q of ['format=csv', '', 'format=WALINE', `format=${MARKER_ENC}`]) {
    add(`import ?${q}`, {
      method: 'POST',
      path: `/api/import/comments${q ? `?${q}` : ''}`,
      headers: { ...ADMIN, ...JSON_CT },
      body: walineExport(SEED, 'hostile-import-3'),
      status: 400,
      code: 'invalid_query',
    })
  }
  // A post page ignores what it does not understand, and shows none of it (a crawler: not a view).
  for (const q of [`replyto=${MARKER_ENC}`, 'replyto=-1', 'replyto=2', `key=${MARKER_ENC}`, `${MARKER_ENC}=1`]) {
    add(`post page ?${q}`, { path: `/archives/${SEED}?${q}`, headers: { 'user-agent': BOT_UA }, status: 200, control: true })
  }
  add(`front page ?${MARKER_ENC}`, { path: `/?q=${MARKER_ENC}&page=${MARKER_ENC}`, status: 200, control: true })
  // Unsubscribe links: signed; anything else is a 400 page, and a GET never changes anything.
  for (const q of [
    `post=${SEED}&comment=1&sig=${'A'.repeat(32)}`,
    `post=${SEED}&comment=1&sig=${MARKER_ENC}`,
    `post=..%2F${SEED}&comment=1&sig=${'A'.repeat(32)}`,
    `post=${SEED}&comment=0&sig=${'A'.repeat(32)}`,
    `post=${SEED}&comment=1`,
    '',
  ]) {
    add(`unsubscribe ?${q.slice(0, 50)}`, { path: `/comments/unsubscribe${q ? `?${q}` : ''}`, status: 400 })
  }
  for (const f of [`${MARKER_ENC}.svg`, '..%2F..%2Fwrangler.toml', `${'0'.repeat(32)}.svg%00.html`, `${'g'.repeat(32)}.svg`]) {
    add(`avatar ${f.slice(0, 40)}`, { path: `/avatars/${f}`, status: 404 })
  }
  return cases
}

// ---- CSRF ----------------------------------------------------------------------------------------

export function csrfCases(unsubscribeSig: string, controlSig: string): Case[] {
  const cases: Case[] = []
  const form = (name: string, headers: Record<string, string>, extra: Record<string, string> = {}, type = FORM_CT['content-type']) =>
    cases.push({
      category: 'csrf',
      name,
      method: 'POST',
      path: `/archives/${SEED}/comments`,
      headers: { 'content-type': type, ...headers },
      body: type.startsWith('multipart') ? multipart(validComment(extra) as Record<string, string>) : commentForm(extra),
      status: 403,
    })
  form('foreign Origin', { origin: FOREIGN })
  form('Origin null', { origin: 'null' })
  form('no Origin, foreign Referer', { referer: `${FOREIGN}/attack.html` })
  form('no Origin, no Referer', {})
  form('no Origin, same-origin Referer (Referer is not proof)', { referer: `${ORIGIN}/archives/${SEED}` })
  form('http:// downgrade of the Origin', { origin: 'http://blog.example' })
  form('look-alike Origin suffix', { origin: 'https://blog.example.evil.example' })
  form('sibling subdomain Origin', { origin: 'https://evil.blog.example' })
  form('Origin with another port', { origin: 'https://blog.example:8443' })
  form('Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' })
  form('Sec-Fetch-Site same-site, foreign Origin', { 'sec-fetch-site': 'same-site', origin: 'https://evil.blog.example' })
  form('foreign Origin and Referer', { origin: FOREIGN, referer: `${FOREIGN}/x` })
  form('foreign Origin, preview', { origin: FOREIGN }, { intent: 'preview' })
  form('foreign Origin, multipart', { origin: FOREIGN }, {}, 'multipart/form-data; boundary=hostileboundary')
  form('foreign Origin, text/plain', { origin: FOREIGN }, {}, 'text/plain')
  form('foreign Origin, upper-case form type', { origin: FOREIGN }, {}, 'APPLICATION/X-WWW-FORM-URLENCODED')
  // The like button (赞), through the API (no body) and as the page's form: from this site only.
  const like = (name: string, path: string, headers: Record<string, string>) =>
    cases.push({ category: 'csrf', name: `like: ${name}`, method: 'POST', path, headers, status: 403 })
  for (const [where, path] of [
    ['API', `/api/posts/${SEED}/comments/1/like`],
    ['form', `/archives/${SEED}/comments/1/like`],
  ] as const) {
    like(`${where}, foreign Origin`, path, { origin: FOREIGN })
    like(`${where}, no Origin`, path, {})
    like(`${where}, Sec-Fetch-Site cross-site`, path, { 'sec-fetch-site': 'cross-site' })
    like(`${where}, foreign Origin, form type`, path, { origin: FOREIGN, ...FORM_CT })
    like(`${where}, same Origin, a bot`, path, { origin: ORIGIN, 'user-agent': BOT_UA })
  }
  const unsubscribe = (name: string, headers: Record<string, string>) =>
    cases.push({
      category: 'csrf',
      name: `unsubscribe: ${name}`,
      method: 'POST',
      path: `/comments/unsubscribe?post=${SEED}&comment=1&sig=${unsubscribeSig}`,
      headers: { ...FORM_CT, ...headers },
      body: '',
      status: 403,
    })
  unsubscribe('foreign Origin', { origin: FOREIGN })
  unsubscribe('no Origin, foreign Referer', { referer: `${FOREIGN}/x` })
  // Same-origin controls, on CONTROL: these must work (else the refusals above prove nothing).
  const control = (name: string, headers: Record<string, string>, extra: Record<string, string>, status: number) =>
    cases.push({
      category: 'csrf',
      name: `control: ${name}`,
      method: 'POST',
      path: `/archives/${CONTROL}/comments`,
      headers: { ...FORM_CT, ...headers },
      body: commentForm(extra),
      status,
      control: true,
    })
  control('same Origin', { origin: ORIGIN }, {}, 303)
  control('Sec-Fetch-Site same-origin, no Origin', { 'sec-fetch-site': 'same-origin' }, {}, 303)
  control('same Origin, preview', { origin: ORIGIN }, { intent: 'preview', author: MARKER, body: `preview ${MARKER}` }, 200)
  cases.push({
    category: 'csrf',
    name: 'control: unsubscribe, same Origin',
    method: 'POST',
    path: `/comments/unsubscribe?post=${CONTROL}&comment=1&sig=${controlSig}`,
    headers: { ...FORM_CT, origin: ORIGIN },
    body: '',
    status: 200,
    control: true,
  })
  return cases
}

function multipart(fields: Record<string, string>): string {
  return (
    Object.entries(fields)
      .map(([k, v]) => `--hostileboundary\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') + '--hostileboundary--\r\n'
  )
}

/** Every case but the CSRF ones (those need signatures made at run time). */
export function staticCases(): Case[] {
  return [
    ...authCases(),
    ...methodCases(),
    ...contentTypeCases(),
    ...bodyCases(),
    ...fieldCases(),
    ...pathIdCases(),
    ...commentIdCases(),
    ...queryCases(),
  ]
}
