/**
 * The web admin (/admin): sign-in through the API's failed-attempt gate, the signed session cookie,
 * CSRF and Origin checks on every change, the auth of every admin route, and the pages' actions
 * through the API (publish, stale edits, drafts, revisions, delete, moderation, the script's forwarder).
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { formatDay } from '../src/lib/dates'
import { createSession } from '../src/lib/session'
import type { Site } from '../src/objects/site'
import { withDraft } from '../src/routes/admin'
import { strings } from '../src/i18n'
import { adminErrorText } from '../src/routes/admin-errors'
import { apiError } from '../src/routes/admin-forward'
import { renamedUrl } from '../src/lib/slug'
import { BROWSER_UA, call, eventually, markdownPost, ORIGIN, postComment, putPost, request, roomStats, TOKEN, view } from './helpers'
import { parseHtml } from './html'

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
const FORM = 'application/x-www-form-urlencoded'

function login(token: string, ip = '203.0.113.50', vars: Record<string, string> = {}) {
  return call(
    '/admin/login',
    { method: 'POST', headers: { 'content-type': FORM, origin: ORIGIN, 'cf-connecting-ip': ip }, body: form({ token }) },
    vars,
  )
}

/** Signs in and returns the cookie header and the CSRF token the pages carry. */
async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const res = await login(TOKEN)
  expect(res.status).toBe(303)
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!
  const page = await call('/admin/posts', { headers: { cookie } })
  expect(page.status).toBe(200)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
  return { cookie, csrf }
}

/** A form POST as the admin's browser sends it. */
function post(s: { cookie: string }, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return call(path, { method: 'POST', headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': FORM, ...headers }, body: form(fields) })
}

async function apiPost(id: string) {
  const res = await request(`/api/posts/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } })
  return {
    status: res.status,
    etag: res.headers.get('etag'),
    json: res.status === 200 ? ((await res.json()) as { status: string; title: string; body: string; revision: number }) : null,
  }
}

describe('admin sign-in', () => {
  it('shows a labelled password field, never indexed or cached', async () => {
    const res = await call('/admin')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('x-robots-tag')).toContain('noindex')
    const html = await res.text()
    expect(html).toContain('<label for="admin-token">管理令牌</label>')
    expect(html).toMatch(/<input id="admin-token" name="token" type="password"/)
    expect(html).toContain('<meta name="robots" content="noindex, nofollow"/>')
  })

  it('refuses a wrong token with the message and no cookie', async () => {
    const res = await login('not-the-token', '203.0.113.51')
    expect(res.status).toBe(401)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(await res.text()).toContain('令牌不正确。')
  })

  it('exchanges the right token for an HttpOnly, Secure, SameSite=Strict cookie with an expiry, without the token', async () => {
    const res = await login(TOKEN, '203.0.113.52')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/posts')
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^blog_admin=\d+\.[0-9a-f]{32}\.[A-Za-z0-9_-]{32};/)
    expect(cookie).toContain('Max-Age=43200')
    expect(cookie).toMatch(/Expires=\w{3}, /)
    expect(cookie).toContain('Path=/admin')
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('Secure')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).not.toContain(TOKEN)
    const page = await call('/admin/posts', { headers: { cookie: cookie.split(';')[0]! } })
    expect(await page.text()).not.toContain(TOKEN)
  })

  it('ADMIN_SESSION_HOURS sets the length of a session', async () => {
    const res = await login(TOKEN, '203.0.113.53', { ADMIN_SESSION_HOURS: '2' })
    expect(res.headers.get('set-cookie')).toContain('Max-Age=7200')
  })

  it('refuses a sign-in posted from another site', async () => {
    const res = await call('/admin/login', {
      method: 'POST',
      headers: { 'content-type': FORM, origin: 'https://evil.example' },
      body: form({ token: TOKEN }),
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('counts wrong tokens in the same gate as the API (ADMIN_AUTH_LIMIT): then even the right one gets 429', async () => {
    const vars = { ADMIN_AUTH_LIMIT: '3/300' }
    const ip = '198.51.100.240'
    for (let i = 0; i < 3; i++) expect((await login(`wrong-${i}`, ip, vars)).status).toBe(401)
    const blocked = await login(TOKEN, ip, vars)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(blocked.headers.get('set-cookie')).toBeNull()
    // The same client is locked out of the API too (one gate), another client is not.
    const api = await call('/api/posts', { headers: { authorization: `Bearer ${TOKEN}`, 'cf-connecting-ip': ip } }, vars)
    expect(api.status).toBe(429)
    expect((await login(TOKEN, '198.51.100.241', vars)).status).toBe(303)
  })

  it('a wrong API token counts against the sign-in form as well', async () => {
    const vars = { ADMIN_AUTH_LIMIT: '2/300' }
    const ip = '198.51.100.242'
    for (let i = 0; i < 2; i++) await call('/api/posts', { headers: { authorization: `Bearer bad-${i}`, 'cf-connecting-ip': ip } }, vars)
    expect((await login(TOKEN, ip, vars)).status).toBe(429)
  })

  it('with no ADMIN_TOKEN nobody can sign in', async () => {
    const res = await login('', '203.0.113.54', { ADMIN_TOKEN: '' })
    expect(res.status).toBe(401)
  })
})

describe('admin session', () => {
  const pages = [
    '/admin/posts',
    '/admin/new',
    '/admin/comments',
    '/admin/stats',
    '/admin/stats?post=x',
    '/admin/comments/x/1/reply',
    '/admin/comments/x/1/edit',
    '/admin/edit/x',
    '/admin/edit/x/revisions',
    '/admin/edit/x/revisions/1',
  ]
  const posts = [
    '/admin/logout',
    '/admin/new',
    '/admin/edit/x',
    '/admin/edit/x/delete',
    '/admin/edit/x/preview',
    '/admin/edit/x/revisions/1/restore',
    '/admin/comments/x/1/approve',
    '/admin/comments/x/1/reply',
    '/admin/comments/x/1/edit',
    '/admin/comments/bulk',
  ]

  it('every admin page redirects to the sign-in without a session, every action is refused, the script API answers 401', async () => {
    for (const path of pages) {
      const res = await call(path)
      expect(res.status, path).toBe(303)
      // The sign-in comes back here (the post list is where it goes anyway).
      expect(res.headers.get('location'), path).toBe(path === '/admin/posts' ? '/admin' : `/admin?next=${encodeURIComponent(path)}`)
    }
    for (const path of posts) {
      const res = await call(path, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': FORM },
        body: form({ _csrf: 'x', source: 'a', intent: 'publish' }),
      })
      expect(res.status, path).toBe(401)
      expect(await res.text(), path).toContain('会话已过期或无效')
    }
    for (const [method, path] of [
      ['PUT', '/admin/api/posts/x?dry_run=1'],
      ['GET', '/admin/api/posts'],
      ['POST', '/admin/api/images'],
    ]) {
      const res = await call(path!, { method, headers: { origin: ORIGIN } })
      expect(res.status, path).toBe(401)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    }
  })

  it('signs in back to the page that asked (a link in a mail), never to another site or the script API', async () => {
    const target = '/admin/comments?status=pending&post=x'
    const sent = await call(target)
    expect(sent.headers.get('location')).toBe(`/admin?next=${encodeURIComponent(target)}`)
    const form = await (await call(sent.headers.get('location')!)).text()
    expect(form).toContain(`<input type="hidden" name="next" value="${target.replace(/&/g, '&amp;')}"/>`)
    const signIn = (next: string, token = TOKEN, ip = '203.0.113.58') =>
      call('/admin/login', {
        method: 'POST',
        headers: { 'content-type': FORM, origin: ORIGIN, 'cf-connecting-ip': ip },
        body: form_({ token, next }),
      })
    const form_ = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
    expect((await signIn(target)).headers.get('location')).toBe(target)
    // Any page a GET opens, its parameters included.
    for (const page of ['/admin/edit/some-post/revisions/2', '/admin/comments/some-post/1/reply', '/admin/new', '/admin/stats?post=x']) {
      expect((await signIn(page)).headers.get('location'), page).toBe(page)
    }
    // A wrong token keeps where it was going.
    const wrong = await signIn(target, 'not-the-token', '203.0.113.59')
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).toContain(`name="next" value="${target.replace(/&/g, '&amp;')}"`)
    for (const next of [
      'https://evil.example/admin/posts',
      '//evil.example/admin/posts',
      '/\\evil.example/admin/',
      '/admin/../posts',
      '/admin/%2e%2e/x',
      '/admin/api/posts',
      '/archives/x',
      'javascript:alert(1)',
      '/admin/posts\r\nSet-Cookie: x=1',
      // Addresses of this admin that a GET does not open (an action that only takes POST would
      // answer 405, an unknown one 404): the post list instead.
      '/admin/logout',
      '/admin/logout?x=1',
      '/admin/login',
      '/admin/edit/some-post/delete',
      '/admin/edit/some-post/revisions/2/restore',
      '/admin/comments/bulk',
      '/admin/comments/some-post/1/approve',
      '/admin/images/0123456789abcdef.png/delete',
      '/admin/no-such-page',
    ]) {
      const res = await signIn(next)
      expect(res.status, next).toBe(303)
      expect(res.headers.get('location'), next).toBe('/admin/posts')
      expect(await (await call(`/admin?next=${encodeURIComponent(next)}`)).text(), next).not.toContain('name="next"')
    }
  })

  it('refuses a tampered, expired or other-token cookie', async () => {
    const { value } = await createSession(TOKEN, 1)
    const tampered = value.replace(/^\d+/, (s) => String(Number(s) + 3600))
    const expired = (await createSession(TOKEN, 1, Date.now() - 2 * 3600_000)).value
    const rotated = (await createSession('the-old-token', 1)).value
    for (const v of [tampered, expired, rotated, 'garbage']) {
      expect((await call('/admin/posts', { headers: { cookie: `blog_admin=${v}` } })).status).toBe(303)
    }
    expect((await call('/admin/posts', { headers: { cookie: `blog_admin=${value}` } })).status).toBe(200)
  })

  it('sign-out clears the cookie', async () => {
    const s = await signIn()
    const res = await post(s, '/admin/logout', { _csrf: s.csrf })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin')
    expect(res.headers.get('set-cookie')).toMatch(/^blog_admin=;.*Max-Age=0/)
  })
})

describe('admin CSRF', () => {
  it('a missing or wrong CSRF token, or another Origin, gets 403 and changes nothing', async () => {
    await putPost('csrf-target', { title: 'Before' })
    const before = await apiPost('csrf-target')
    const s = await signIn()
    const source = markdownPost({ title: 'After' }, 'Changed.')
    const other = await signIn()
    const attempts = [
      post(s, '/admin/edit/csrf-target', { source, intent: 'publish' }),
      post(s, '/admin/edit/csrf-target', { _csrf: 'A'.repeat(32), source, intent: 'publish' }),
      // Another session's token is not this session's.
      post(s, '/admin/edit/csrf-target', { _csrf: other.csrf, source, intent: 'publish' }),
      post(s, '/admin/edit/csrf-target', { _csrf: s.csrf, source, intent: 'publish' }, { origin: 'https://evil.example' }),
      call('/admin/edit/csrf-target', {
        method: 'POST',
        headers: { cookie: s.cookie, 'content-type': FORM },
        body: form({ _csrf: s.csrf, source, intent: 'publish' }),
      }),
      post(s, '/admin/edit/csrf-target/delete', { _csrf: 'nope' }),
      call('/admin/api/posts/csrf-target', { method: 'DELETE', headers: { cookie: s.cookie, origin: ORIGIN } }),
      call('/admin/api/posts/csrf-target', { method: 'DELETE', headers: { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': other.csrf } }),
    ]
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(403)
    const after = await apiPost('csrf-target')
    expect(after.json!.title).toBe('Before')
    expect(after.etag).toBe(before.etag)
  })
})

describe('admin addresses asked with a method they do not take', () => {
  // [method, path, Allow]: the admin's own routes say which methods they take, before the session or CSRF checks.
  const CASES: [string, string, string][] = [
    ['GET', '/admin/login', 'POST'],
    ['GET', '/admin/logout', 'POST'],
    ['POST', '/admin', 'GET, HEAD'],
    ['PUT', '/admin/posts', 'GET, HEAD'],
    ['DELETE', '/admin/posts', 'GET, HEAD'],
    ['GET', '/admin/edit/some-post/delete', 'POST'],
    ['GET', '/admin/edit/some-post/revisions/2/restore', 'POST'],
    ['GET', '/admin/comments/bulk', 'POST'],
    ['GET', '/admin/comments/some-post/3/approve', 'POST'],
    ['DELETE', '/admin/comments/some-post/3/reply', 'GET, HEAD, POST'],
    ['PATCH', '/admin/new', 'GET, HEAD, POST'],
    ['GET', '/admin/images/0123456789abcdef.png/delete', 'POST'],
  ]

  it('answers 405 with Allow and a page saying so, signed in or not; an address that does not exist stays a 404', async () => {
    const s = await signIn()
    for (const cookie of [s.cookie, '']) {
      for (const [method, path, allow] of CASES) {
        const res = await call(path, { method, headers: { cookie, origin: ORIGIN }, redirect: 'manual' })
        const what = `${method} ${path}${cookie ? '' : ' (signed out)'}`
        expect(res.status, what).toBe(405)
        expect(res.headers.get('allow'), what).toBe(allow)
        expect(res.headers.get('cache-control'), what).toBe('no-store')
        const page = parseHtml(await res.text())
        expect(page.text(page.byClass('admin-notice-error')[0]!), what).toBe(`这个地址只接受 ${allow.replaceAll(', ', '、')} 请求。`)
      }
    }
    for (const [method, path] of [
      ['GET', '/admin/no-such-page'],
      ['POST', '/admin/no-such-page'],
      ['PUT', '/admin/edit/some-post/extra/part'],
    ] as const) {
      const res = await call(path, { method, headers: { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': s.csrf }, redirect: 'manual' })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(res.headers.get('allow')).toBeNull()
    }
    // The script's API keeps its own JSON 405 (the forwarder's).
    const api = await call('/admin/api/posts/x', { method: 'PATCH', headers: { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': s.csrf } })
    expect(api.status).toBe(405)
    expect(api.headers.get('content-type')).toContain('application/json')
  })
})

describe('admin forms that are not form data', () => {
  it('a multipart body without its boundary, or cut short, gets 400 and changes nothing', async () => {
    await putPost('malformed-form-target', { title: 'Before' })
    const before = await apiPost('malformed-form-target')
    const s = await signIn()
    const bodies: [string, string][] = [
      ['multipart/form-data', `_csrf=${s.csrf}&intent=publish`],
      ['multipart/form-data; boundary=XX', `--XX\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${s.csrf}`],
    ]
    for (const [type, body] of bodies) {
      for (const path of ['/admin/edit/malformed-form-target', '/admin/edit/malformed-form-target/delete', '/admin/new']) {
        const res = await call(path, { method: 'POST', headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': type }, body })
        expect(res.status, `${path} ${type}`).toBe(400)
        expect(await res.text()).toContain('无法读取提交的表单')
      }
    }
    const after = await apiPost('malformed-form-target')
    expect(after.status).toBe(200)
    expect(after.etag).toBe(before.etag)
  })
})

describe('admin pages and actions', () => {
  it('says when a post with a future date will go out', async () => {
    const s = await signIn()
    const source = markdownPost({ title: '明天的文章', date: '2099-05-01 08:30' }, '稍后发布。')
    const created = await post(s, '/admin/new', { _csrf: s.csrf, id: 'admin-later', source, intent: 'publish' })
    expect(created.headers.get('location')).toBe('/admin/edit/admin-later?done=scheduled')
    const page = await (await call('/admin/edit/admin-later?done=scheduled', { headers: { cookie: s.cookie } })).text()
    expect(page).toContain('已定时：将于 2099-05-01 08:30 自动发布。')
  })

  it('writes a post with math, publishes it, refuses a stale edit, unpublishes, lists revisions, restores and deletes', async () => {
    const s = await signIn()
    const source = markdownPost({ title: '积分笔记' }, '$$\\int_0^1 x^2\\,dx = \\tfrac13$$')
    const created = await post(s, '/admin/new', { _csrf: s.csrf, id: 'admin-math', source, intent: 'publish' })
    expect(created.status).toBe(303)
    expect(created.headers.get('location')).toBe('/admin/edit/admin-math?done=published')
    const first = await apiPost('admin-math')
    expect(first.json!.status).toBe('published')
    expect(first.json!.body).toContain('\\int_0^1')
    expect(await (await request('/')).text()).toContain('积分笔记')

    // The editor holds the file and its revision.
    const page = await (await call('/admin/edit/admin-math?done=published', { headers: { cookie: s.cookie } })).text()
    expect(page).toContain('已发布。')
    expect(page).toContain(`name="etag" value="&quot;r${first.json!.revision}&quot;"`)
    expect(page).toContain('title: &quot;积分笔记&quot;')

    // An id in use cannot be taken by a new post.
    const taken = await post(s, '/admin/new', { _csrf: s.csrf, id: 'admin-math', source, intent: 'publish' })
    expect(taken.status).toBe(409)
    expect(await taken.text()).toContain('这个 ID 已被使用')

    // Someone else edits; the stale form gets 412 with the text kept and nothing changed.
    await putPost('admin-math', { title: '积分笔记（新）' }, 'newer')
    const stale = await post(s, '/admin/edit/admin-math', {
      _csrf: s.csrf,
      source: markdownPost({ title: 'Mine' }, 'my edit'),
      intent: 'publish',
      etag: first.etag!,
    })
    expect(stale.status).toBe(412)
    const staleHtml = await stale.text()
    expect(staleHtml).toContain('你的更改没有保存')
    expect(staleHtml).toContain('my edit')
    // The page is the stored post's: its title, and the buttons of a published post.
    expect(staleHtml).toContain('<title>编辑：积分笔记（新）')
    expect(staleHtml).toContain('撤回为草稿')
    expect((await apiPost('admin-math')).json!.title).toBe('积分笔记（新）')

    // Unpublish (back to draft) from the current revision.
    const current = await apiPost('admin-math')
    const drafted = await post(s, '/admin/edit/admin-math', {
      _csrf: s.csrf,
      source: markdownPost({ title: 'Draft now' }, 'x'),
      intent: 'draft',
      etag: current.etag!,
    })
    expect(drafted.status).toBe(303)
    expect(drafted.headers.get('location')).toBe('/admin/edit/admin-math?done=draft')
    expect((await apiPost('admin-math')).json!.status).toBe('draft')
    expect((await request('/archives/admin-math')).status).toBe(404)

    // Renamed from the editor: the post moves, the old address redirects, the editor says so.
    const renamed = await post(s, '/admin/edit/admin-math/rename', { _csrf: s.csrf, to: 'admin-math-2' })
    expect(renamed.status).toBe(303)
    expect(renamed.headers.get('location')).toBe('/admin/edit/admin-math-2?renamed=admin-math')
    const renamedPage = await (await call('/admin/edit/admin-math-2?renamed=admin-math', { headers: { cookie: s.cookie } })).text()
    expect(renamedPage).toContain('已改名（旧 ID admin-math 会跳转到这里）。')
    expect((await apiPost('admin-math-2')).json!.status).toBe('draft')
    expect((await post(s, '/admin/edit/admin-math-2/rename', { _csrf: s.csrf, to: 'Bad Id' })).status).toBe(400)
    expect((await post(s, '/admin/edit/admin-math-2/rename', { to: 'admin-math-3' })).status).toBe(403)
    // Back to its old id (a post may take back an id it had); the rest of the test goes on there.
    const renamedBack = await post(s, '/admin/edit/admin-math-2/rename', { _csrf: s.csrf, to: 'admin-math' })
    expect(renamedBack.headers.get('location')).toBe('/admin/edit/admin-math?renamed=admin-math-2')
    expect((await apiPost('admin-math')).json!.title).toBe('Draft now')

    // Drafts are listed with a preview link that redirects to the signed preview.
    const list = await (await call('/admin/posts?status=draft', { headers: { cookie: s.cookie } })).text()
    expect(list).toContain('data-post-id="admin-math"')
    const preview = await post(s, '/admin/edit/admin-math/preview', { _csrf: s.csrf })
    expect(preview.status).toBe(303)
    expect(preview.headers.get('location')).toMatch(/\/preview\/admin-math\?token=/)

    // Revisions: listed, one shown, restored.
    const revisions = await (await call('/admin/edit/admin-math/revisions', { headers: { cookie: s.cookie } })).text()
    expect(revisions).toContain(`data-revision="${first.json!.revision}"`)
    const one = await call(`/admin/edit/admin-math/revisions/${first.json!.revision}`, { headers: { cookie: s.cookie } })
    expect(await one.text()).toContain('\\int_0^1')
    const restored = await post(s, `/admin/edit/admin-math/revisions/${first.json!.revision}/restore`, { _csrf: s.csrf })
    expect(restored.status).toBe(303)
    const back = await apiPost('admin-math')
    expect(back.json!.title).toBe('积分笔记')
    expect(back.json!.status).toBe('published')

    // Delete.
    const deleted = await post(s, '/admin/edit/admin-math/delete', { _csrf: s.csrf })
    expect(deleted.status).toBe(303)
    expect(deleted.headers.get('location')).toBe('/admin/posts?deleted=admin-math')
    expect((await apiPost('admin-math')).status).toBe(410)
  })

  it('a new post without an id gets the next number; bad input is a 4xx page with the text kept', async () => {
    const s = await signIn()
    const res = await post(s, '/admin/new', { _csrf: s.csrf, id: '', source: markdownPost({ title: 'Numbered' }, 'n'), intent: 'draft' })
    expect(res.status).toBe(303)
    const id = /\/admin\/edit\/([0-9]+)\?done=draft$/.exec(res.headers.get('location')!)![1]!
    expect((await apiPost(id)).json!.status).toBe('draft')
    const bad = await post(s, '/admin/new', { _csrf: s.csrf, id: '', source: '---\nauthor: x\n---\nno title here', intent: 'publish' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('no title here')
    expect((await post(s, '/admin/new', { _csrf: s.csrf, id: 'Bad Id', source: 'x', intent: 'publish' })).status).toBe(400)
    expect((await post(s, '/admin/new', { _csrf: s.csrf, source: 'x', intent: 'launch' })).status).toBe(400)
  })

  it('moderates comments: the queue lists a held comment, approving shows it', async () => {
    await putPost('admin-mod', { title: 'Moderated' })
    const held = await postComment('admin-mod', { author: 'Spammer', body: 'buy casino chips' })
    expect(held.status).toBe(201)
    // BLOCKED_WORDS keeps it as spam in this test's own env.
    const vars = { BLOCKED_WORDS: 'casino' }
    const spam = await call(
      '/api/posts/admin-mod/comments',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ author: 'S2', body: 'casino again' }) },
      vars,
    )
    const { comment } = (await spam.json()) as { comment: { id: number; status: string } }
    expect(comment.status).toBe('spam')
    const s = await signIn()
    // The queue is the Site object's index, which the post's object updates after the change.
    await eventually(async () => {
      const queue = await (await call('/admin/comments?status=spam', { headers: { cookie: s.cookie } })).text()
      expect(queue).toContain(`data-comment="admin-mod/${comment.id}"`)
    })
    const approved = await post(s, `/admin/comments/admin-mod/${comment.id}/approve?status=spam`, { _csrf: s.csrf })
    expect(approved.status).toBe(303)
    expect(approved.headers.get('location')).toBe('/admin/comments?status=spam&done=1')
    const listed = (await (await request('/api/posts/admin-mod/comments')).json()) as { comments: { id: number }[] }
    expect(listed.comments.map((c) => c.id)).toContain(comment.id)
    // The queue is the Site object's index, updated when the post's object reports the change.
    await eventually(async () => {
      const after = await (await call('/admin/comments?status=spam', { headers: { cookie: s.cookie } })).text()
      expect(after).not.toContain(`data-comment="admin-mod/${comment.id}"`)
    })
  })

  it('pins and unpins from the approved list: buttons for top-level comments only, CSRF-protected, pinned ones marked', async () => {
    await putPost('admin-pin', { title: 'Pinning' })
    const top = await postComment('admin-pin', { author: 'Top', body: 'a question answered' })
    const { comment } = (await top.json()) as { comment: { id: number } }
    const reply = await postComment('admin-pin', { author: 'Re', body: 'the answer', parent: comment.id })
    const { comment: answer } = (await reply.json()) as { comment: { id: number } }
    const s = await signIn()
    const pinForm = `action="/admin/comments/admin-pin/${comment.id}/pin?status=approved"`
    const unpinForm = `action="/admin/comments/admin-pin/${comment.id}/unpin?status=approved"`
    const row = (html: string, id: number) => {
      const at = html.indexOf(`data-comment="admin-pin/${id}"`)
      expect(at).toBeGreaterThan(-1)
      return html.slice(at, html.indexOf('</tr>', at))
    }
    const listed = await eventually(async () => {
      const html = await (await call('/admin/comments?status=approved', { headers: { cookie: s.cookie } })).text()
      expect(html).toContain(`data-comment="admin-pin/${answer.id}"`)
      expect(html).toContain(pinForm)
      return html
    })
    expect(row(listed, comment.id)).toContain('>置顶</button>')
    expect(row(listed, comment.id)).toContain(`name="_csrf" value="${s.csrf}"`)
    expect(row(listed, comment.id)).not.toContain('已置顶')
    // A reply cannot be pinned: no button.
    expect(row(listed, answer.id)).not.toContain('/pin?')
    // Not in the pending queue either.
    expect(await (await call('/admin/comments?status=pending', { headers: { cookie: s.cookie } })).text()).not.toContain('/pin?')

    // Without the CSRF token nothing changes.
    const forged = await post(s, `/admin/comments/admin-pin/${comment.id}/pin?status=approved`, {})
    expect(forged.status).toBe(403)
    const pinnedNow = async () =>
      ((await (await request('/api/posts/admin-pin/comments')).json()) as { comments: { id: number; pinned: boolean }[] }).comments.find(
        (c) => c.id === comment.id,
      )!.pinned
    expect(await pinnedNow()).toBe(false)

    const pinned = await post(s, `/admin/comments/admin-pin/${comment.id}/pin?status=approved`, { _csrf: s.csrf })
    expect(pinned.status).toBe(303)
    expect(pinned.headers.get('location')).toBe('/admin/comments?status=approved&done=1')
    expect(await pinnedNow()).toBe(true)
    // The list follows the site's comment index, which the post's object updates after the change.
    const after = await eventually(async () => {
      const html = await (await call('/admin/comments?status=approved', { headers: { cookie: s.cookie } })).text()
      expect(html).toContain(unpinForm)
      return html
    })
    expect(row(after, comment.id)).toContain('已置顶')
    expect(row(after, comment.id)).toContain('>取消置顶</button>')
    expect(row(after, comment.id)).not.toContain(pinForm)

    // Pinning the reply by hand is refused with the API's reason.
    const refused = await post(s, `/admin/comments/admin-pin/${answer.id}/pin?status=approved`, { _csrf: s.csrf })
    expect(refused.status).toBe(409)
    expect(await refused.text()).toContain('only a top-level comment can be pinned')

    const unpinned = await post(s, `/admin/comments/admin-pin/${comment.id}/unpin?status=approved`, { _csrf: s.csrf })
    expect(unpinned.status).toBe(303)
    expect(await pinnedNow()).toBe(false)
    // The admin's script reaches the same routes through the forwarder.
    const forwarded = await call(`/admin/api/comments/admin-pin/${comment.id}/pin`, {
      method: 'POST',
      headers: { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': s.csrf },
    })
    expect(forwarded.status).toBe(200)
    expect(await forwarded.json()).toMatchObject({ pinned: true })
  })
})

describe('admin pages at a renamed post’s old id', () => {
  it('go to the same page at the new id; a reply sent there keeps its text and says where the post went', async () => {
    const s = await signIn()
    expect((await putPost('admin-old-id', { title: 'Renamed in the admin' }, 'x')).status).toBe(201)
    const cid = await postComment('admin-old-id', { author: 'Reader', body: 'a question' }).then(
      async (r) => ((await r.json()) as { comment: { id: number } }).comment.id,
    )
    const moved = await request('/api/posts/admin-old-id/rename', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'admin-new-id' }),
    })
    expect(moved.status).toBe(200)
    const get = (path: string) => call(path, { headers: { cookie: s.cookie } })
    for (const [from, to] of [
      ['/admin/edit/admin-old-id', '/admin/edit/admin-new-id'],
      ['/admin/edit/admin-old-id/revisions', '/admin/edit/admin-new-id/revisions'],
      ['/admin/stats?post=admin-old-id&days=7', '/admin/stats?post=admin-new-id&days=7'],
      [`/admin/comments/admin-old-id/${cid}/reply`, `/admin/comments/admin-new-id/${cid}/reply`],
    ]) {
      const res = await get(from!)
      expect([from, res.status, res.headers.get('location')]).toEqual([from, 302, to])
      expect((await get(to!)).status).toBe(200)
    }
    // The moderation queue narrowed to the old id: the same list for the new id.
    const queue = await get('/admin/comments?status=approved&post=admin-old-id')
    expect([queue.status, queue.headers.get('location')]).toEqual([302, '/admin/comments?status=approved&post=admin-new-id'])
    expect(await (await get(queue.headers.get('location')!)).text()).toContain('a question')
    // The script's API: the redirect stays with the forwarder (which adds the token).
    const script = await call('/admin/api/posts/admin-old-id', { headers: { cookie: s.cookie } })
    expect([script.status, script.headers.get('location')]).toEqual([308, '/admin/api/posts/admin-new-id'])
    // A reply typed on a page from before the rename: 307 to the same form at the new id, which the
    // browser sends again there (method and body kept); stored once, at the post.
    const fields = { _csrf: s.csrf, body: '我的回复 $x^2$', key: 'admin-old-id-key' }
    const reply = await post(s, `/admin/comments/admin-old-id/${cid}/reply`, fields)
    expect([reply.status, reply.headers.get('location')]).toEqual([307, `/admin/comments/admin-new-id/${cid}/reply`])
    expect((await post(s, reply.headers.get('location')!, fields)).status).toBe(303)
    expect(((await roomStats('admin-new-id')) as { comments: number }).comments).toBe(2)
    // A numbered post whose id is also the comment's number: only the post's place changes.
    expect(renamedUrl('https://blog.example/admin/comments/5/5/reply?x=1', '5', '6')).toBe('/admin/comments/6/5/reply?x=1')
    expect(renamedUrl('https://blog.example/api/stats?post=5&days=7', '5', '6')).toBe('/api/stats?post=6&days=7')
    expect(renamedUrl('https://blog.example/admin/posts', '5', '6')).toBeNull()
    // Where the old id is not in the admin's address, the refusal names the new id.
    const message = 'Post "a-b" was renamed to "c-d".'
    expect(adminErrorText(strings('zh'), { code: 'post_moved', message })).toBe('文章“a-b”已改名为“c-d”：请到“c-d”的页面再操作一次。')
  })
})

describe('admin moderation queue links', () => {
  it("links a comment to its permalink while its post is published, to the post's editor (marked) once it is a draft or scheduled", async () => {
    const posts = { published: 'admin-q-pub', draft: 'admin-q-draft', scheduled: 'admin-q-later', deleted: 'admin-q-gone' }
    const ids: Record<string, number> = {}
    for (const [kind, id] of Object.entries(posts)) {
      expect((await putPost(id, { title: `Queue ${kind}` })).status).toBe(201)
      const res = await postComment(id, { author: 'Reader', body: `on the ${kind} post` })
      expect(res.status).toBe(201)
      ids[kind] = ((await res.json()) as { comment: { id: number } }).comment.id
    }
    // The post then goes back to a draft, is rescheduled, or is deleted; its comment stays in the queue.
    expect((await putPost(posts.draft, { title: 'Queue draft', draft: true })).status).toBe(200)
    expect((await putPost(posts.scheduled, { title: 'Queue scheduled', date: '2099-01-01 08:00' })).status).toBe(200)
    expect((await request(`/api/posts/${posts.deleted}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
      200,
    )
    const s = await signIn()
    const row = (html: string, kind: keyof typeof posts) =>
      new RegExp(
        `<tr data-comment="${posts[kind]}/${ids[kind]}"><td><input [^>]*/></td><td>(.*?) <a class="admin-id" href="/admin/comments\\?status=approved&amp;post=${posts[kind]}">只看这篇</a></td>`,
      ).exec(html)?.[1]
    const html = await eventually(async () => {
      const page = await (await call('/admin/comments?status=approved', { headers: { cookie: s.cookie } })).text()
      for (const kind of Object.keys(posts) as (keyof typeof posts)[]) expect(row(page, kind), kind).toBeDefined()
      return page
    })
    expect(row(html, 'published')).toBe(`<a href="/archives/${posts.published}/comments/${ids.published}">Queue published</a>`)
    expect(row(html, 'draft')).toBe(`<a href="/admin/edit/${posts.draft}">Queue draft</a><span class="admin-id"> (草稿)</span>`)
    expect(row(html, 'scheduled')).toBe(
      `<a href="/admin/edit/${posts.scheduled}">Queue scheduled</a><span class="admin-id"> (定时发布)</span>`,
    )
    expect(row(html, 'deleted')).toBe(`Queue deleted<span class="admin-id"> (已删除)</span>`)
    // The permalink of the draft's comment is indeed nothing a reader (or the admin) can open; the editor is.
    expect((await request(`/archives/${posts.draft}/comments/${ids.draft}`)).status).toBe(404)
    expect((await call(`/admin/edit/${posts.draft}`, { headers: { cookie: s.cookie } })).status).toBe(200)
    // The API's queue says which status each post has.
    const api = (await (await request('/api/comments?status=approved', { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      comments: { postId: string; postStatus: string | null }[]
    }
    expect(api.comments.find((c) => c.postId === posts.scheduled)?.postStatus).toBe('scheduled')
  })
})

describe("admin refusals in the site's language", () => {
  it('a post too large for the blog is refused with the limit and the text kept, new or edited', async () => {
    expect((await putPost('admin-too-large', { title: 'Large' })).status).toBe(201)
    const s = await signIn()
    const etag = (await apiPost('admin-too-large')).etag!
    const source = `---\ntitle: Large\n---\n\n${'a'.repeat(1_000_001)}\n`
    for (const [path, fields] of [
      ['/admin/new', {}],
      ['/admin/edit/admin-too-large', { etag }],
    ] as const) {
      const res = await post(s, path, { _csrf: s.csrf, source, intent: 'publish', ...fields })
      expect(res.status, path).toBe(413)
      const html = await res.text()
      const page = parseHtml(html)
      expect(page.text(page.byClass('admin-notice-error')[0]!), path).toContain('提交的内容太大了（最多 1,000,000 字节）。')
      expect(page.text(page.byId('admin-source')!), path).toContain('a'.repeat(1_000_001))
    }
    expect((await apiPost('admin-too-large')).json!.revision).toBe(1)
  })

  /** A signed-in browser's call with other settings (LANGUAGE = "en"). */
  const as = (s: { cookie: string }, vars: Record<string, string>) => (path: string, fields: Record<string, string>) =>
    call(path, { method: 'POST', headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': FORM }, body: form(fields) }, vars)

  it('a refused publish says why in Chinese, naming the field; in English with LANGUAGE = "en"', async () => {
    const s = await signIn()
    const untitled = await post(s, '/admin/new', { _csrf: s.csrf, id: '', source: '---\nauthor: x\n---\nno title', intent: 'publish' })
    expect(untitled.status).toBe(400)
    const html = await untitled.text()
    expect(html).toContain('操作失败：title 不能为空。')
    expect(html).not.toContain('title is required')
    // Several fields at once, each named.
    const long = markdownPost({ title: 'x'.repeat(301), comments: 'yes' }, 'b')
    const several = await (await post(s, '/admin/new', { _csrf: s.csrf, id: '', source: long, intent: 'draft' })).text()
    expect(several).toContain('title 太长了，最多 300 个字符；comments 只能是 true 或 false。')
    const badDate = await (
      await post(s, '/admin/new', { _csrf: s.csrf, id: '', source: markdownPost({ title: 't', date: 'someday' }, 'b'), intent: 'draft' })
    ).text()
    expect(badDate).toContain('date 不是可识别的日期')
    const yaml = await (await post(s, '/admin/new', { _csrf: s.csrf, id: '', source: '---\ntitle: [oops\n---\nb', intent: 'draft' })).text()
    expect(yaml).toContain('前言不是有效的 YAML：')
    // English: the admin's own wording, not the API's message.
    const en = await as(s, { LANGUAGE: 'en' })('/admin/new', {
      _csrf: s.csrf,
      id: '',
      source: markdownPost({ title: 'x'.repeat(301) }, 'b'),
      intent: 'publish',
    })
    expect(en.status).toBe(400)
    const enHtml = await en.text()
    expect(enHtml).toContain('Failed: title is too long: at most 300 characters.')
    expect(enHtml).not.toContain('title is longer than 300 characters')
  })

  it('409 conflicts, a stale edit and a post that is not there, on the admin pages', async () => {
    await putPost('admin-err-a', { title: 'A', aliases: ['/old-a.html'] })
    await putPost('admin-err-b', { title: 'B' })
    const s = await signIn()
    // An alias another post holds: 409, with both named.
    const alias = await post(s, '/admin/edit/admin-err-b', {
      _csrf: s.csrf,
      source: markdownPost({ title: 'B', aliases: ['/old-a.html'] }, 'b'),
      intent: 'publish',
    })
    expect(alias.status).toBe(409)
    expect(await alias.text()).toContain('旧地址“/old-a.html”已经跳转到文章“admin-err-a”，请先在那篇文章里删去它。')
    // Renamed to an id in use: 409 on an admin page (its navigation and its notice), not the API's English.
    const taken = await post(s, '/admin/edit/admin-err-b/rename', { _csrf: s.csrf, to: 'admin-err-a' })
    expect(taken.status).toBe(409)
    const takenHtml = await taken.text()
    expect(takenHtml).toContain(
      'class="admin-notice admin-notice-error" role="alert">已经有一篇文章的 ID 是“admin-err-a”（包括已删除的文章）。',
    )
    expect(takenHtml).toContain('href="/admin/posts"')
    expect(takenHtml).not.toContain('There is already a post')
    // The admin's own form check names the field.
    const bad = await post(s, '/admin/edit/admin-err-b/rename', { _csrf: s.csrf, to: 'Bad Id' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('to 只能由小写字母和数字组成，中间用单个连字符分隔。')
    // Not there: the post, a revision.
    const missing = await call('/admin/edit/admin-err-none', { headers: { cookie: s.cookie } })
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('没有文章“admin-err-none”。')
    const revision = await post(s, '/admin/edit/admin-err-b/revisions/99/restore', { _csrf: s.csrf })
    expect(revision.status).toBe(404)
    expect(await revision.text()).toContain('没有修订版本 r99')
    // The queue's search box takes what the API does not (101 to 200 characters): the API's limit, in words.
    const longQ = await call(`/admin/comments?q=${'x'.repeat(150)}`, { headers: { cookie: s.cookie } })
    expect(longQ.status).toBe(400)
    expect(await longQ.text()).toContain('q 须为 1 到 100 个字符。')
  })

  it("the script's forwarder answers with the code and a message in the site's language (the API's own for a code without words)", async () => {
    await putPost('admin-err-c', { title: 'C' })
    const s = await signIn()
    const h = { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': s.csrf, 'content-type': 'text/markdown' }
    const error = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error
    const untitled = await call('/admin/api/posts?dry_run=1', { method: 'POST', headers: h, body: '---\ntitle: ""\n---\n\nbody' })
    expect(untitled.status).toBe(400)
    expect(await error(untitled)).toEqual({ code: 'invalid_post', message: 'title 不能为空。' })
    // The refusals of a lone surrogate, of a term with no address, and of an alias that is a page's short address.
    const broken = await call('/admin/api/posts?dry_run=1', { method: 'POST', headers: h, body: '---\ntitle: "a\\ud800b"\n---\n\nbody' })
    expect(broken.status).toBe(400)
    expect(await error(broken)).toEqual({ code: 'invalid_post', message: 'title 含有不完整的 Unicode 字符（单独的代理项，如 \\ud800）。' })
    const control = await call('/admin/api/posts?dry_run=1', { method: 'POST', headers: h, body: '---\ntitle: "a\\u001bb"\n---\n\nbody' })
    expect(control.status).toBe(400)
    expect(await error(control)).toEqual({
      code: 'invalid_post',
      message: 'title 含有控制字符（U+0000 至 U+001F 中除制表符和换行以外的字符，或 U+007F）。',
    })
    const dots = await call('/admin/api/posts?dry_run=1', {
      method: 'POST',
      headers: h,
      body: markdownPost({ title: 't', tags: ['..'] }, 'b'),
    })
    expect(dots.status).toBe(400)
    expect((await error(dots)).message).toBe(
      'tags 里的“..”生成不了地址（它的 slug 会是空的、“.”或“..”）：请用 tag_slugs 给它一个 slug，或改个名字。',
    )
    await putPost('admin-err-page', { title: 'Page', type: 'page' })
    const shadowed = await call('/admin/api/posts/admin-err-c?dry_run=1', {
      method: 'PUT',
      headers: h,
      body: markdownPost({ title: 'C', aliases: ['/admin-err-page'] }, 'x'),
    })
    expect(shadowed.status).toBe(409)
    expect(await error(shadowed)).toEqual({
      code: 'alias_taken',
      message: '旧地址“/admin-err-page”是页面“admin-err-page”的短地址，会先打开那个页面：请换一个旧地址。',
    })
    const stale = await call('/admin/api/posts/admin-err-c?dry_run=1', {
      method: 'PUT',
      headers: { ...h, 'if-match': '"r999"' },
      body: markdownPost({ title: 'C' }, 'x'),
    })
    expect(stale.status).toBe(412)
    expect(await error(stale)).toEqual({
      code: 'precondition_failed',
      message: '这篇文章在你打开之后被修改过，没有做任何更改。请重新打开它再试。',
    })
    const image = await call('/admin/api/images?name=a.png', {
      method: 'POST',
      headers: { ...h, 'content-type': 'image/png' },
      body: 'not a png',
    })
    expect(image.status).toBe(415)
    expect((await error(image)).message).toBe('文件的内容不是 image/png 图片。')
    // Signed out: the sign-in's words.
    const signedOut = await call('/admin/api/posts', { headers: { origin: ORIGIN } })
    expect((await error(signedOut)).message).toBe('会话已过期或无效，请重新登录。')
    // The query's refusals: a list of choices, a number.
    const bogus = await call('/admin/api/posts?status=bogus', { headers: h })
    expect(bogus.status).toBe(400)
    expect(await error(bogus)).toEqual({ code: 'invalid_query', message: 'status 只能是 all、published、draft、scheduled 或 deleted。' })
    const pageZero = await call('/admin/api/posts?page=0&limit=999', { headers: h })
    expect(pageZero.status).toBe(400)
    expect(await error(pageZero)).toEqual({ code: 'invalid_query', message: 'page 只能是不小于 1 的整数；limit 只能是 1 到 200 的整数。' })
    const queueEn = await call('/admin/api/comments?status=bogus&limit=0', { headers: h }, { LANGUAGE: 'en' })
    expect(await error(queueEn)).toEqual({
      code: 'invalid_query',
      message: 'status must be pending, spam or approved; limit must be a whole number from 1 to 500.',
    })
    // No words for this refusal: the API's message.
    const slash = await call('/admin/api/images?name=a%2Fb.png', {
      method: 'POST',
      headers: { ...h, 'content-type': 'image/png' },
      body: 'not a png',
    })
    expect(slash.status).toBe(400)
    expect(await error(slash)).toEqual({ code: 'invalid_query', message: 'name may not contain control characters or slashes' })
    // The forwarder's own refusals, in the site's language too (English with LANGUAGE=en).
    const unreachable = await call('/admin/api/health', { headers: h })
    expect(unreachable.status).toBe(404)
    expect(await error(unreachable)).toEqual({ code: 'not_found', message: '管理后台不能访问这个 API 地址。' })
    const patch = await call('/admin/api/posts/admin-err-c', { method: 'PATCH', headers: h })
    expect(patch.status).toBe(405)
    expect(patch.headers.get('allow')).toBe('GET, PUT, DELETE')
    expect(await error(patch)).toEqual({ code: 'method_not_allowed', message: '这个地址只接受 GET、PUT、DELETE 请求。' })
    const sync = await call('/admin/api/posts?sync=1', { headers: h })
    expect(sync.status).toBe(400)
    expect(await error(sync)).toEqual({ code: 'invalid_query', message: '管理后台不转发查询参数“sync”。' })
    const en = await call('/admin/api/posts?sync=1', { headers: h }, { LANGUAGE: 'en' })
    expect(await error(en)).toEqual({ code: 'invalid_query', message: 'The admin does not forward the query parameter "sync".' })
    // An API answer that is not its error shape (apiError's api_error), on an admin page.
    const bare = await apiError(new Response('<html>Bad gateway</html>', { status: 502 }))
    expect(adminErrorText(strings('zh'), bare)).toBe('API 返回了 502，没有说明原因。')
  })
})

describe('admin script API (/admin/api/*)', () => {
  it('renders a dry run (math included) for the live preview and stores nothing', async () => {
    const s = await signIn()
    const res = await call('/admin/api/posts/admin-preview?dry_run=1', {
      method: 'PUT',
      headers: { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': s.csrf, 'content-type': 'text/markdown' },
      body: markdownPost({ title: 'P' }, '$$\\int_0^1 x^2\\,dx = \\tfrac13$$'),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toBeNull()
    const body = (await res.json()) as { dryRun: boolean; html: string; mathErrors: number; post: Record<string, unknown> }
    expect(body.dryRun).toBe(true)
    expect(body.html).toContain('class="katex')
    expect(body.mathErrors).toBe(0)
    // The header's fields as read from the front matter (the preview shows them above the body), the site's author by default.
    expect(body.post).toEqual({
      title: 'P',
      author: env.SITE_AUTHOR,
      date: null,
      updated: null,
      category: null,
      tags: [],
      type: 'post',
      draft: false,
    })
    expect((await apiPost('admin-preview')).status).toBe(404)
    // A new post's preview (POST) as well.
    const fresh = await call('/admin/api/posts?dry_run=1', {
      method: 'POST',
      headers: { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': s.csrf, 'content-type': 'text/markdown' },
      body: markdownPost({ title: '<b>T</b> & "Q"', date: '2024-05-01 08:30', category: '数学', tags: ['a', 'b'], draft: true }, '$x$'),
    })
    expect(fresh.status).toBe(200)
    expect(((await fresh.json()) as { post: unknown }).post).toMatchObject({
      title: '<b>T</b> & "Q"',
      date: '2024-05-01T08:30:00+08:00',
      category: '数学',
      tags: ['a', 'b'],
      draft: true,
    })
  })

  it('reaches only the admin routes, with known query parameters', async () => {
    const s = await signIn()
    const h = { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': s.csrf }
    const cases: [string, string, number][] = [
      ['POST', '/admin/api/rerender', 404],
      ['POST', '/admin/api/import/comments', 404],
      ['POST', '/admin/api/posts/x/comments', 404],
      ['GET', '/admin/api/health', 404],
      ['GET', '/admin/api/posts/%2e%2e/health', 404],
      ['GET', '/admin/api/posts/..%2Fhealth', 404],
      ['PATCH', '/admin/api/posts/x', 405],
      ['GET', '/admin/api/posts?sync=1', 400],
      ['PUT', '/admin/api/posts/x?prerendered=1', 400],
      ['GET', '/admin/api/posts?status=draft', 200],
      ['GET', '/admin/api/posts?status=bogus', 400],
    ]
    for (const [method, path, status] of cases) {
      const res = await call(path, { method, headers: h })
      expect(res.status, `${method} ${path}`).toBe(status)
      expect(res.headers.get('content-type'), path).toContain('application/json')
    }
  })
})

describe('admin image upload', () => {
  it('stores an image sent by the editor through the forwarder (POST /api/images)', async () => {
    const s = await signIn()
    const png = Uint8Array.from(
      atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='),
      (ch) => ch.charCodeAt(0),
    )
    const headers = { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': s.csrf, 'content-type': 'image/png' }
    const res = await call('/admin/api/images?name=dot.png', { method: 'POST', headers, body: png })
    expect([200, 201]).toContain(res.status)
    const image = (await res.json()) as { url: string; contentType: string }
    expect(image.contentType).toBe('image/png')
    expect((await request(new URL(image.url, ORIGIN).pathname)).status).toBe(200)
    // Without the CSRF header: refused, nothing read.
    const { 'x-csrf-token': _drop, ...noCsrf } = headers
    expect((await call('/admin/api/images?name=dot.png', { method: 'POST', headers: noCsrf, body: png })).status).toBe(403)
  })
})

describe('withDraft', () => {
  it('sets the draft flag in the front matter and leaves unparsable files alone', async () => {
    expect(await withDraft('---\ntitle: "A"\ndraft: false\n---\n\nbody\n', true)).toBe('---\ntitle: "A"\ndraft: true\n---\n\nbody\n')
    expect(await withDraft('---\ntitle: "A"\n---\n\nbody', false)).toBe('---\ntitle: "A"\ndraft: false\n---\n\nbody')
    expect(await withDraft('---\n[oops\n---\nbody', true)).toBe('---\n[oops\n---\nbody')
  })
})

describe("the admin's forms refuse bytes that are not UTF-8", () => {
  it('the editor, the reply and the comment edit answer 400 with the reason and the text back (U+FFFD where the bytes were); nothing is saved', async () => {
    await putPost('admin-bytes', { title: 'Bytes' }, 'the body')
    const top = await postComment('admin-bytes', { author: 'Reader', body: 'the first text' })
    const { comment } = (await top.json()) as { comment: { id: number } }
    const s = await signIn()
    const before = await apiPost('admin-bytes')
    // A percent-encoded 0xFF (the runtime would read it as U+FFFD).
    const send = (path: string, fields: string) =>
      call(path, {
        method: 'POST',
        headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': FORM },
        body: `_csrf=${encodeURIComponent(s.csrf)}&${fields}`,
      })
    const source = (title: string) => encodeURIComponent(`---\ntitle: "${title}"\n---\n\nbody`).replace('XX', '%FF')
    const textareaOf = (html: string) => /<textarea[^>]*>([^]*?)<\/textarea>/.exec(html)![1]!
    const refusals = [
      send('/admin/new', `source=${source('cafXX')}&intent=publish&id=admin-bytes-new`),
      send('/admin/edit/admin-bytes', `source=${source('cafXX')}&intent=publish&etag=${encodeURIComponent(before.etag!)}`),
      send(`/admin/comments/admin-bytes/${comment.id}/reply`, 'body=caf%FF+au+lait&key=bytes-1'),
      send(`/admin/comments/admin-bytes/${comment.id}/edit`, 'body=caf%FF+au+lait'),
    ]
    for (const res of await Promise.all(refusals)) {
      expect(res.status).toBe(400)
      const html = await res.text()
      expect(html).toContain('没有保存任何内容')
      expect(textareaOf(html)).toContain('caf\uFFFD')
    }
    // Nothing saved: no new post, the post's revision, no reply, the comment's text.
    expect((await apiPost('admin-bytes-new')).status).toBe(404)
    expect((await apiPost('admin-bytes')).etag).toBe(before.etag)
    expect((await roomStats('admin-bytes')).comments).toBe(1)
    const stored = await request(`/api/posts/admin-bytes/comments/${comment.id}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(((await stored.json()) as { comment: { body: string } }).comment.body).toBe('the first text')
    // In English too; and UTF-8 (a U+FFFD typed as such) is taken.
    const en = await call(
      `/admin/comments/admin-bytes/${comment.id}/edit`,
      {
        method: 'POST',
        headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': FORM },
        body: `_csrf=${encodeURIComponent(s.csrf)}&body=caf%FF`,
      },
      { LANGUAGE: 'en' },
    )
    expect(en.status).toBe(400)
    expect(await en.text()).toContain('nothing was saved')
    const typed = await send(`/admin/comments/admin-bytes/${comment.id}/edit`, `body=${encodeURIComponent('caf \uFFFD')}`)
    expect(typed.status).toBe(303)
  })
})

describe('admin statistics (统计) and the counts in the post list', () => {
  it("shows the site's readers per day and its most read posts, one post's exact figures, and each post's readers and comments in the list", async () => {
    await putPost('admin-stats-a', { title: 'Stats A' })
    await putPost('admin-stats-b', { title: 'Stats B' })
    for (let i = 0; i < 3; i++) await view('/archives/admin-stats-a', `198.51.100.${200 + i}`)
    await view('/archives/admin-stats-b', '198.51.100.210')
    expect((await postComment('admin-stats-a', { author: 'Reader', body: 'counted' })).status).toBe(201)
    const s = await signIn()
    const get = (path: string, vars: Record<string, string> = {}) => call(path, { headers: { cookie: s.cookie } }, vars)
    const rowOf = (html: string, id: string) => {
      const at = html.indexOf(`data-post-id="${id}"`)
      expect(at, id).toBeGreaterThan(-1)
      return parseHtml(`<table><tr ${html.slice(at, html.indexOf('</tr>', at))}</tr></table>`)
    }
    const numbers = (html: string, id: string) => {
      const row = rowOf(html, id)
      return row.byClass('admin-number').map((td) => row.text(td))
    }
    // The posts' objects push their totals to the site (COUNT_PUSH_SECONDS is 0 here).
    await eventually(async () => {
      const res = await get('/admin/stats')
      expect(res.status).toBe(200)
      const html = await res.text()
      // All-time readers, readers in the last 30 days, comments.
      expect(numbers(html, 'admin-stats-a')).toEqual(['3', '3', '1'])
      expect(numbers(html, 'admin-stats-b')).toEqual(['1', '1', '0'])
      const list = await (await get('/admin/posts')).text()
      expect(numbers(list, 'admin-stats-a')).toEqual(['3', '1'])
      expect(numbers(list, 'admin-stats-b')).toEqual(['1', '0'])
    })
    const site = parseHtml(await (await get('/admin/stats?days=7')).text())
    // The chart: one bar a day, in the page (its colours the theme's), named; the period marked; the totals.
    const svg = site.tags('svg').find((el) => site.attr(el, 'class') === 'admin-chart')!
    expect(svg).toBeDefined()
    expect(site.attr(svg, 'aria-label')).toBe('全站每天的读者（近 7 天）')
    expect(site.tags('rect').filter((r) => site.isInside(r, svg))).toHaveLength(7)
    expect(
      site
        .tags('a')
        .filter((a) => site.attr(a, 'aria-current') === 'page')
        .map((a) => site.text(a)),
    ).toEqual(['统计', '近 7 天', '按近 7 天'])
    const totals = site.byClass('admin-totals')[0]!
    expect(site.text(totals)).toContain('近 7 天的读者')
    const title = site.tags('a').find((a) => site.text(a) === 'Stats A')!
    expect(site.attr(title, 'href')).toBe('/admin/stats?post=admin-stats-a&days=7')
    // One post: its exact figures from its object, 30 days by default.
    const one = await get('/admin/stats?post=admin-stats-a')
    expect(one.status).toBe(200)
    const post = parseHtml(await one.text())
    expect(post.text(post.tags('h1')[0]!)).toBe('统计：Stats A')
    expect(post.text(post.byClass('admin-totals')[0]!)).toBe('全部读者3近 30 天的读者3评论1')
    expect(post.tags('rect')).toHaveLength(30)
    expect(post.tags('a').some((a) => post.attr(a, 'href') === '/archives/admin-stats-a')).toBe(true)
    // Its reactions (文章反应), every offered one with its count, after two readers' reactions.
    expect(post.text(post.byClass('admin-totals')[1]!)).toBe('👍 赞0💡 有启发0🤯 烧脑0🤔 没看懂0❤️ 喜欢0')
    for (const ip of ['198.51.100.220', '198.51.100.221']) {
      const res = await call('/api/posts/admin-stats-a/reactions', {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json', 'user-agent': BROWSER_UA, 'cf-connecting-ip': ip },
        body: JSON.stringify({ reaction: 'insightful' }),
      })
      expect(res.status).toBe(200)
    }
    const reacted = parseHtml(await (await get('/admin/stats?post=admin-stats-a')).text())
    expect(reacted.text(reacted.byClass('admin-totals')[1]!)).toBe('👍 赞0💡 有启发2🤯 烧脑0🤔 没看懂0❤️ 喜欢0')
    // A standalone page takes no reactions: its statistics show none.
    await putPost('admin-stats-page', { title: 'About', type: 'page' })
    const aboutPage = parseHtml(await (await get('/admin/stats?post=admin-stats-page')).text())
    expect(aboutPage.byClass('admin-totals')).toHaveLength(1)
    expect(aboutPage.text(aboutPage.tags('h1')[0]!)).toBe('统计：About')
    // Nor does a post whose front matter says `reactions: false`.
    await putPost('admin-stats-quiet', { title: 'Quiet', reactions: false })
    const quiet = parseHtml(await (await get('/admin/stats?post=admin-stats-quiet')).text())
    expect(quiet.text(quiet.tags('h1')[0]!)).toBe('统计：Quiet')
    expect(quiet.byClass('admin-totals')).toHaveLength(1)
    const json = await request('/api/stats?post=admin-stats-a', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(((await json.json()) as { reactions: Record<string, number> }).reactions).toEqual({ insightful: 2 })
    // Refusals: a period it does not offer, a post it does not know; in English too.
    const bad = await get('/admin/stats?days=8')
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('days 只能是 7、30、90 或 365。')
    const missing = await get('/admin/stats?post=admin-stats-none')
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('没有文章“admin-stats-none”。')
    const en = parseHtml(await (await get('/admin/stats?post=admin-stats-a&days=90', { LANGUAGE: 'en' })).text())
    expect(en.text(en.tags('h1')[0]!)).toBe('Statistics: Stats A')
    expect(en.tags('rect')).toHaveLength(90)
  })
})

describe('the most read posts of the period or of all time (统计 → 排序)', () => {
  it('ranks by the readers of the period by default and of all time with rank=all, in the API, the page and its links', async () => {
    await putPost('admin-rank-old', { title: 'Rank old' })
    await putPost('admin-rank-new', { title: 'Rank new' })
    // The figures as the posts' objects would have pushed them: one read long ago, one read today.
    const today = formatDay(Date.now(), 'Asia/Shanghai')
    await runInDurableObject(env.SITE.getByName('site'), (_: Site, state) => {
      const sql = state.storage.sql
      sql.exec(
        'INSERT OR REPLACE INTO stats (post_id, views, comments) VALUES (?, ?, 0), (?, ?, 0)',
        'admin-rank-old',
        1e6,
        'admin-rank-new',
        1e5,
      )
      sql.exec(
        'INSERT OR REPLACE INTO daily_views (post_id, day, views) VALUES (?, ?, ?), (?, ?, ?)',
        'admin-rank-old',
        '2020-01-01',
        1e6,
        'admin-rank-new',
        today,
        1e5,
      )
    })
    const admin = { authorization: `Bearer ${TOKEN}` }
    const ids = async (query: string) => {
      const res = await request(`/api/stats?${query}`, { headers: admin })
      expect(res.status, query).toBe(200)
      const body = (await res.json()) as { rank: string; posts: { id: string }[] }
      return [body.rank, ...body.posts.map((p) => p.id).filter((id) => id.startsWith('admin-rank-'))]
    }
    expect(await ids('days=7')).toEqual(['period', 'admin-rank-new', 'admin-rank-old'])
    expect(await ids('days=7&rank=period')).toEqual(['period', 'admin-rank-new', 'admin-rank-old'])
    expect(await ids('days=7&rank=all')).toEqual(['all', 'admin-rank-old', 'admin-rank-new'])
    expect((await request('/api/stats?rank=top', { headers: admin })).status).toBe(400)

    const s = await signIn()
    const page = async (query: string) => parseHtml(await (await call(`/admin/stats?${query}`, { headers: { cookie: s.cookie } })).text())
    const first = (html: ReturnType<typeof parseHtml>) =>
      html
        .tags('tr')
        .map((tr) => html.attr(tr, 'data-post-id'))
        .find((id) => id !== undefined)
    const current = (html: ReturnType<typeof parseHtml>) =>
      html
        .tags('a')
        .filter((a) => html.attr(a, 'aria-current') === 'page')
        .map((a) => [html.text(a), html.attr(a, 'href')])
    const byPeriod = await page('days=7')
    expect(first(byPeriod)).toBe('admin-rank-new')
    expect(current(byPeriod)).toEqual([
      ['统计', '/admin/stats'],
      ['近 7 天', '/admin/stats?days=7'],
      ['按近 7 天', '/admin/stats?days=7'],
    ])
    const ofAllTime = await page('days=7&rank=all')
    expect(first(ofAllTime)).toBe('admin-rank-old')
    // The period links keep the ranking.
    expect(current(ofAllTime)).toEqual([
      ['统计', '/admin/stats'],
      ['近 7 天', '/admin/stats?rank=all&days=7'],
      ['按全部读者', '/admin/stats?days=7&rank=all'],
    ])
    expect(ofAllTime.tags('a').some((a) => ofAllTime.attr(a, 'href') === '/admin/stats?rank=all&days=30')).toBe(true)
  })
})

describe('the images page (图片)', () => {
  const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  /** PNG bytes made unique by `seed`, `size` long. */
  const png = (seed: string, size = 200) => {
    const bytes = new Uint8Array(size)
    bytes.set(PNG)
    bytes.set(new TextEncoder().encode(seed), PNG.length)
    return bytes
  }
  /** The upload form as the browser sends it: multipart with the CSRF field and the file. */
  const uploadForm = (s: { cookie: string; csrf: string }, file: File | null, vars: Record<string, string> = {}, csrf = s.csrf) => {
    const body = new FormData()
    body.set('_csrf', csrf)
    if (file) body.set('file', file)
    return call('/admin/images', { method: 'POST', headers: { cookie: s.cookie, origin: ORIGIN }, body }, vars)
  }
  const noticeOf = async (res: Response) => {
    const html = parseHtml(await res.text())
    return html.text(html.byClass('admin-notice')[0]!)
  }

  it('uploads through a plain form, lists each image with its markdown, and deletes it after asking', async () => {
    const s = await signIn()
    const uploaded = await uploadForm(s, new File([png('admin-images-1')], '傅里叶变换 [草图].png', { type: 'image/png' }))
    expect(uploaded.status).toBe(303)
    const to = uploaded.headers.get('location')!
    const key = /^\/admin\/images\?uploaded=([0-9a-f]{16}\.png)$/.exec(to)![1]!
    expect((await call(`/media/${key}`)).status).toBe(200)

    const listed = await call(to, { headers: { cookie: s.cookie } })
    expect(listed.status).toBe(200)
    const html = await listed.text()
    const page = parseHtml(html)
    expect(page.text(page.byClass('admin-notice')[0]!)).toBe(`图片 ${key} 已上传。`)
    expect(
      page
        .tags('a')
        .filter((a) => page.attr(a, 'aria-current') === 'page')
        .map((a) => page.text(a)),
    ).toEqual(['图片'])
    const at = html.indexOf(`data-image="${key}"`)
    expect(at).toBeGreaterThan(-1)
    const row = parseHtml(`<table><tr ${html.slice(at, html.indexOf('</tr>', at))}</tr></table>`)
    expect(row.text(row.tags('td')[1]!)).toBe(`傅里叶变换 [草图].png (${key})`)
    expect(row.text(row.byClass('admin-number')[0]!)).toBe('200 B')
    const markdown = row.tags('input').find((i) => row.attr(i, 'class') === 'admin-markdown')!
    expect(row.attr(markdown, 'value')).toBe(`![傅里叶变换 草图](/media/${key})`)
    expect(row.attr(row.tags('img')[0]!, 'src')).toBe(`/media/${key}`)
    const del = row.tags('form')[0]!
    expect(row.attr(del, 'action')).toBe(`/admin/images/${key}/delete`)
    expect(row.attr(del, 'data-confirm')).toContain('确定删除这张图片吗')
    expect(row.text(row.byClass('admin-image-uses')[0]!)).toBe('未使用')

    // A name the API would refuse (a hand-made form: slashes, a control character, an emoji cut at
    // 150 characters) is kept as a note without them, whole characters only.
    const odd = await uploadForm(s, new File([png('admin-images-odd')], `a/b\\c\u0007${'𝑥'.repeat(80)}.png`, { type: 'image/png' }))
    expect(odd.status).toBe(303)
    const oddKey = /uploaded=([0-9a-f]{16}\.png)$/.exec(odd.headers.get('location')!)![1]!
    const names = (await (await request('/api/images?limit=1000', { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      images: { key: string; name: string }[]
    }
    expect(names.images.find((i) => i.key === oddKey)?.name).toBe(`abc${'𝑥'.repeat(73)}`)

    // The same bytes again: the same address, nothing new.
    const again = await uploadForm(s, new File([png('admin-images-1')], 'again.png', { type: 'image/png' }))
    expect(again.headers.get('location')).toBe(to)

    // Deleting: without the session's token nothing happens; with it the image is gone.
    expect((await post(s, `/admin/images/${key}/delete`, { _csrf: 'forged' })).status).toBe(403)
    expect((await call(`/media/${key}`)).status).toBe(200)
    const deleted = await post(s, `/admin/images/${key}/delete`, { _csrf: s.csrf })
    expect(deleted.status).toBe(303)
    expect(deleted.headers.get('location')).toBe(`/admin/images?deleted=${key}`)
    expect((await call(`/media/${key}`)).status).toBe(404)
    const after = await call(`/admin/images?deleted=${key}`, { headers: { cookie: s.cookie } })
    const afterHtml = await after.text()
    expect(afterHtml).not.toContain(`data-image="${key}"`)
    expect(afterHtml).toContain(`图片 ${key} 已删除。`)
    const twice = await post(s, `/admin/images/${key}/delete`, { _csrf: s.csrf })
    expect(twice.status).toBe(404)
  })

  it('names the posts that show each image, and says how many before deleting one', async () => {
    const s = await signIn()
    const uploaded = await uploadForm(s, new File([png('admin-images-used')], 'used.png', { type: 'image/png' }))
    const key = /uploaded=([0-9a-f]{16}\.png)$/.exec(uploaded.headers.get('location')!)![1]!
    expect((await putPost('admin-img-a', { title: '图像的频谱', date: '2024-04-01 09:00' }, `![谱](/media/${key})`)).status).toBe(201)
    expect((await putPost('admin-img-b', { title: '未完成的草稿', draft: true }, `见下图：\n\n![](/media/${key})`)).status).toBe(201)
    const html = await (await call('/admin/images', { headers: { cookie: s.cookie } })).text()
    const at = html.indexOf(`data-image="${key}"`)
    const row = parseHtml(`<table><tr ${html.slice(at, html.indexOf('</tr>', at))}</tr></table>`)
    const uses = row.byClass('admin-image-uses')[0]!
    expect(
      row
        .tags('a')
        .filter((a) => row.attr(a, 'href')?.startsWith('/admin/edit/'))
        .map((a) => [row.attr(a, 'href'), row.text(a)]),
    ).toEqual([
      ['/admin/edit/admin-img-a', '图像的频谱'],
      ['/admin/edit/admin-img-b', '未完成的草稿'],
    ])
    expect(row.text(uses)).toBe('图像的频谱未完成的草稿 (草稿)')
    expect(row.attr(row.tags('form')[0]!, 'data-confirm')).toBe('这张图片仍被 2 篇文章使用，删除后它们将无法再显示它。确定删除吗？')
  })

  it('refuses a missing file, a file that is not the image it says, one too large and a forged form, in Chinese, storing nothing', async () => {
    const s = await signIn()
    const none = await uploadForm(s, null)
    expect(none.status).toBe(400)
    expect(await noticeOf(none)).toBe('请先选择一个图片文件。')
    const empty = await uploadForm(s, new File([], 'empty.png', { type: 'image/png' }))
    expect(empty.status).toBe(400)
    expect(await noticeOf(empty)).toBe('请先选择一个图片文件。')
    const text = await uploadForm(s, new File(['<svg onload=alert(1)>'], 'x.png', { type: 'image/png' }))
    expect(text.status).toBe(415)
    expect(await noticeOf(text)).toMatch(/png/)
    expect(await noticeOf(await uploadForm(s, new File(['<svg/>'], 'x.svg', { type: 'image/svg+xml' })))).toBe(
      '不接受 SVG 图片：SVG 文件里可以带脚本。请先转成 PNG 或 WebP。',
    )
    const big = await uploadForm(s, new File([png('admin-images-big', 4096)], 'big.png', { type: 'image/png' }), {
      IMAGE_MAX_BYTES: '2048',
    })
    expect(big.status).toBe(413)
    expect(await noticeOf(big)).toMatch(/2,048/)
    // Far past IMAGE_MAX_BYTES, the form is not even read.
    const huge = await uploadForm(s, new File([png('admin-images-huge', 200_000)], 'huge.png', { type: 'image/png' }), {
      IMAGE_MAX_BYTES: '2048',
    })
    expect(huge.status).toBe(413)
    const forged = await uploadForm(s, new File([png('admin-images-forged')], 'f.png', { type: 'image/png' }), {}, 'forged')
    expect(forged.status).toBe(403)
    const list = (await (await request('/api/images?limit=1000', { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      images: { name: string }[]
    }
    expect(list.images.map((i) => i.name).filter((n) => ['big.png', 'huge.png', 'f.png', 'x.png', 'x.svg'].includes(n))).toEqual([])
    // A page address that is not one a store makes: refused before the API is asked.
    const badCursor = await call('/admin/images?cursor=a%20b', { headers: { cookie: s.cookie } })
    expect(badCursor.status).toBe(400)
    expect(await noticeOf(badCursor)).toContain('cursor')
    // One the store does not know (its answer: 400 invalid_cursor), in the admin's words.
    const unknown = await apiError(
      Response.json({ error: { code: 'invalid_cursor', message: 'cursor is not one this list gave.' } }, { status: 400 }),
    )
    expect(adminErrorText(strings('zh'), unknown)).toBe('这个翻页地址不对，请从第一页重新翻。')
  })
})

describe("the post list's search box", () => {
  it('finds posts whose title or id holds the text (as typed: % and _ are plain), keeps it in the tabs and pages; the API takes q too', async () => {
    await putPost('admin-find-alpha', { title: 'Fourier 变换笔记' })
    await putPost('admin-find-beta', { title: '100%_sure' })
    await putPost('admin-find-gamma', { title: '100 percent sure', draft: true })
    const s = await signIn()
    const get = async (path: string) => {
      const res = await call(path, { headers: { cookie: s.cookie } })
      return { status: res.status, page: parseHtml(await res.text()) }
    }
    const ids = (page: ReturnType<typeof parseHtml>) =>
      page
        .tags('tr')
        .map((tr) => page.attr(tr, 'data-post-id'))
        .filter((id): id is string => id !== undefined)
    // Case aside for ASCII letters, in the title or the id.
    expect(ids((await get('/admin/posts?q=FOURIER')).page)).toEqual(['admin-find-alpha'])
    expect(ids((await get('/admin/posts?q=find-beta')).page)).toEqual(['admin-find-beta'])
    // LIKE's own characters are found as typed: "%_" is in one title only.
    expect(ids((await get(`/admin/posts?q=${encodeURIComponent('100%_')}`)).page)).toEqual(['admin-find-beta'])
    // With a status: the draft only under 草稿, and the tabs keep the text.
    const drafts = await get('/admin/posts?status=draft&q=100')
    expect(ids(drafts.page)).toEqual(['admin-find-gamma'])
    const tab = drafts.page.tags('a').find((a) => drafts.page.text(a) === '已发布')!
    expect(drafts.page.attr(tab, 'href')).toBe('/admin/posts?status=published&q=100')
    const box = drafts.page.byId('admin-post-q')!
    expect(drafts.page.attr(box, 'value')).toBe('100')
    // Nothing found says so; an empty box is no filter; a text longer than the API's 100 characters is refused in words.
    const none = await get('/admin/posts?q=no-such-words-here')
    expect(ids(none.page)).toEqual([])
    expect(none.page.text(none.page.tags('main')[0]!)).toContain('没有标题或 ID 含有“no-such-words-here”的文章。')
    expect(ids((await get('/admin/posts?q=+')).page)).toEqual(
      expect.arrayContaining(['admin-find-alpha', 'admin-find-beta', 'admin-find-gamma']),
    )
    const long = await get(`/admin/posts?q=${'x'.repeat(150)}`)
    expect(long.status).toBe(400)
    expect(long.page.text(long.page.tags('main')[0]!)).toContain('q 须为 1 到 100 个字符。')
    // The API: q narrows the list and stays in `next`.
    const api = await request('/api/posts?q=admin-find&limit=1', { headers: { authorization: `Bearer ${TOKEN}` } })
    const body = (await api.json()) as { total: number; next: string | null; posts: { id: string }[] }
    expect(body.total).toBe(3)
    expect(body.next).toBe('/api/posts?status=all&page=2&limit=1&q=admin-find')
    const bad = await request('/api/posts?q=a%01b', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(bad.status).toBe(400)
    const twice = await request('/api/posts?q=a&q=b', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(twice.status).toBe(400)
    expect(((await twice.json()) as { error: { message: string } }).error.message).toBe('q must be given once')
  })
})

describe("the admin's own query checks", () => {
  // Every query parameter of the admin's pages, hand-typed wrong or given twice: a 400 whose reason
  // is in the site's language (zod's own words or the API's English never reach the page).
  const PARAMS: [path: string, params: string[]][] = [
    ['/admin/posts', ['status', 'page', 'deleted', 'q']],
    ['/admin/stats', ['days', 'post', 'rank']],
    ['/admin/images', ['cursor', 'uploaded', 'deleted']],
    ['/admin/edit/admin-query', ['done', 'renamed', 'restored']],
    ['/admin/comments', ['status', 'before', 'done', 'n', 'failed', 'post', 'q', 'replied', 'edited']],
  ]
  const ENGLISH = /\b(?:Invalid|expected|received|must|Too big|holds)\b/

  it('answers a wrong or repeated value with 400 and a reason in Chinese', async () => {
    await putPost('admin-query', { title: 'Query' })
    const s = await signIn()
    for (const [path, params] of PARAMS) {
      for (const name of params) {
        for (const query of [`${name}=%01${'x'.repeat(250)}`, `${name}=a&${name}=b`]) {
          const res = await call(`${path}?${query}`, { headers: { cookie: s.cookie } })
          const url = `${path}?${query.slice(0, 30)}`
          expect(res.status, url).toBe(400)
          const page = parseHtml(await res.text())
          const notice = page.text(page.byClass('admin-notice-error')[0]!)
          expect(notice, url).toContain(name)
          expect(notice, url).not.toMatch(ENGLISH)
        }
      }
    }
  })

  it('says in Chinese why the API refused a value the admin let through (a moderation page that is not one the queue gave)', async () => {
    const s = await signIn()
    for (const query of ['before=zzz', 'before=1.2', 'post=a--b']) {
      const res = await call(`/admin/comments?${query}`, { headers: { cookie: s.cookie } })
      expect(res.status, query).toBe(400)
      const page = parseHtml(await res.text())
      const notice = page.text(page.byClass('admin-notice-error')[0]!)
      expect(notice, query).toContain(query.split('=')[0]!)
      expect(notice, query).not.toMatch(ENGLISH)
    }
  })
})
