import { defineConfig } from 'vitest/config'

// Browser tests: Node runs Chromium (playwright-core) against `wrangler dev` started by globalSetup.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
