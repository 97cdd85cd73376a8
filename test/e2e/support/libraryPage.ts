import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { defaultClientConditions } from 'vite';
import { type PreviewServer, previewBuild } from './previewBuild';

/** What the fixture page puts on `window`: the whole public API of @ai-session-manager/core. */
export type LibraryWindow = { asm: typeof import('@ai-session-manager/core') };

const FIXTURE = fileURLToPath(new URL('../fixtures/library/', import.meta.url));

export type LibraryServer = PreviewServer;

/**
 * Build test/e2e/fixtures/library (a page exposing core on `window.asm`, resolved to the
 * package's TypeScript source) and serve it (see previewBuild).
 */
export function startLibraryServer(): Promise<LibraryServer> {
  return previewBuild(
    'library-page',
    {
      root: FIXTURE,
      configFile: false,
      logLevel: 'silent',
      resolve: { conditions: ['@ai-session-manager/source', ...defaultClientConditions] },
    },
    { target: 'es2022', chunkSizeWarningLimit: 8000 },
  );
}

/** Open the library page and wait until core is on `window.asm`. */
export async function openLibraryPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => 'asm' in window);
}
