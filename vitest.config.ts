import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

// Tests run inside workerd with the real KV namespace and Durable Objects from wrangler.toml.
// Each test file gets its own storage. The bindings below override wrangler.toml and any local
// .dev.vars, so the tests never depend on a developer's settings.
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
        },
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**'],
    testTimeout: 30_000,
  },
})
