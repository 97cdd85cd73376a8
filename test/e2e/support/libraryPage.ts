import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build, defaultClientConditions, preview } from 'vite';
import { freePort } from './viteServer';

/** What the fixture page puts on `window`: the whole public API of @ai-session-manager/core. */
export type LibraryWindow = { asm: typeof import('@ai-session-manager/core') };

const FIXTURE = fileURLToPath(new URL('../fixtures/library/', import.meta.url));

export interface LibraryServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Build test/e2e/fixtures/library (a page exposing core on `window.asm`, resolved to the
 * package's TypeScript source) into a temporary directory with Vite, and serve it with
 * `vite preview` on 127.0.0.1 and a free port. stop() closes the server and removes the build.
 */
export async function startLibraryServer(): Promise<LibraryServer> {
  const outDir = mkdtempSync(join(tmpdir(), 'asm-library-page-'));
  try {
    const common = {
      root: FIXTURE,
      configFile: false as const,
      logLevel: 'silent' as const,
      resolve: { conditions: ['@ai-session-manager/source', ...defaultClientConditions] },
    };
    await build({
      ...common,
      build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
    });
    const port = await freePort();
    const server = await preview({
      ...common,
      build: { outDir },
      preview: { host: '127.0.0.1', port, strictPort: true },
    });
    return {
      url: `http://127.0.0.1:${port}/`,
      async stop() {
        await server.close();
        rmSync(outDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
}

/** Open the library page and wait until core is on `window.asm`. */
export async function openLibraryPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => 'asm' in window);
}
