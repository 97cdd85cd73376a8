import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// End-to-end suite: builds apps/demo, serves it with `vite preview` and drives Debian's Chromium
// through playwright-core. One file at a time: each file starts its own preview server and browser.
export default defineConfig({
  // Tests build fixture documents with the core package's TypeScript source.
  ssr: { resolve: { conditions: ['@ai-session-manager/source', ...defaultServerConditions] } },
  resolve: { conditions: ['@ai-session-manager/source', ...defaultServerConditions] },
  test: {
    environment: 'node',
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/support/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    teardownTimeout: 30_000,
    // CI reads the JSON report to print its closing line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci-results/e2e.json' }]] : ['default'],
  },
});
