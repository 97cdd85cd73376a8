import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Vitest config for the unit and integration suites under test/ (fake-indexeddb).
// Workspace packages resolve to their TypeScript source through the "@ai-session-manager/source" export condition.
export default defineConfig({
  resolve: { conditions: ['@ai-session-manager/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@ai-session-manager/source', ...defaultServerConditions] } },
  test: {
    globals: true,
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    setupFiles: ['test/setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // CI reads the JSON report to print its closing line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci-results/unit.json' }]] : ['default'],
  },
});
