import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// Tests run inside workerd with the real KV namespace and Durable Objects from wrangler.toml.
// Each test file gets its own storage. The bindings below override wrangler.toml and any local
// .dev.vars, so the tests never depend on a developer's settings.
const received: { url: string; headers: Record<string, string>; body: string }[] = []

async function stubService(request: Request): Promise<Response> {
  const url = new URL(request.url)
  if (url.hostname !== 'stub.test') return new Response('no network in tests', { status: 502 })
  if (url.pathname === '/log') {
    if (request.method === 'DELETE') received.length = 0
    return Response.json(received)
  }
  if (url.pathname === '/turnstile') {
    const form = await request.formData()
    const token = String(form.get('response'))
    if (token === 'stub-error') return new Response('down', { status: 500 })
    return Response.json({ success: token === 'stub-pass' && form.get('secret') === 'test-turnstile-secret' })
  }
  if (url.pathname === '/akismet') {
    // As Akismet's comment-check answers: "invalid" for a wrong key, "true" for spam (its own test
    // author "viagra-test-123"), "false" otherwise; a 500 when the text asks for it. Logged for the fields.
    const body = await request.text()
    received.push({ url: request.url, headers: {}, body })
    const form = new URLSearchParams(body)
    if (form.get('api_key') !== 'test-akismet-key') return new Response('invalid')
    if (form.get('comment_content')?.includes('akismet-down')) return new Response('down', { status: 500 })
    return new Response(form.get('comment_author') === 'viagra-test-123' ? 'true' : 'false')
  }
  if (url.pathname === '/mail' || url.pathname === '/hook') {
    const headers: Record<string, string> = {}
    request.headers.forEach((value, name) => (headers[name] = value))
    received.push({ url: request.url, headers, body: await request.text() })
    return Response.json({ id: `stub-${received.length}` })
  }
  return new Response('unknown stub', { status: 404 })
}

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          ADMIN_TOKEN: 'test-admin-token',
          BASE_URL: 'https://blog.example',
          // Push counts and write the snapshot immediately, so tests see them without waiting.
          COUNT_PUSH_SECONDS: '0',
          SNAPSHOT_SECONDS: '0',
          // The anti-spam timing checks are tested on their own (test/comment-spam.test.ts passes its
          // own settings); elsewhere tests post comments at machine speed from one address.
          COMMENT_MIN_SECONDS: '0',
          COMMENT_RATE_LIMIT: '0',
          // Failed sign-ins are limited per client; the security suite sends hundreds on purpose
          // (test/reliability.test.ts turns the limit on).
          ADMIN_AUTH_LIMIT: '0',
          COMMENT_SECRET: 'test-comment-secret',
          // Slug mappings of the tests' own (wrangler.toml's name the sample content's categories).
          // Every list page reads KV afresh (test/pages/list-cache.test.ts turns the isolate cache on).
          LIST_CACHE_SECONDS: '0',
          CATEGORY_SLUGS: '{"物理": "physics"}',
          TAG_SLUGS: '',
          // Every secret of .dev.vars.example, so a developer's .dev.vars never changes a test.
          VIEW_SALT: 'test-view-salt',
          TURNSTILE_SECRET: '',
          AKISMET_KEY: '',
          EMAIL_API_KEY: '',
          NOTIFY_WEBHOOK_SECRET: '',
        },
        // An R2 bucket for the image store's R2 mode (test/api/images.test.ts); wrangler.toml leaves it unbound.
        r2Buckets: ['MEDIA_BUCKET'],
        // Outside services the Worker may call, stubbed here on the test's side (these machines reach
        // no outside service): Turnstile's siteverify, Akismet's comment-check, an HTTP e-mail API and a webhook. What the mail
        // and webhook stubs received is readable at https://stub.test/log (reset with DELETE).
        outboundService: stubService,
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**'],
    testTimeout: 30_000,
    // Vitest runs (cores - 1) files at once, so one at a time on a 2-core machine, where a file spends
    // more time starting its workerd than testing. Two at once: the suite's 358 s became 263 s here
    // (each file has its own storage; the one file that reads the stubs' log is the only one that
    // writes to it).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
})
