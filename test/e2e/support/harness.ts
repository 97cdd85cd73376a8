import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium } from './chromium';
import { ARTIFACTS } from './paths';
import { startPreview, type ViteServer } from './viteServer';

export interface DemoHarness {
  /** The preview server's address, e.g. http://127.0.0.1:41234/ */
  url(): string;
  /** A fresh browser context (its own empty IndexedDB and localStorage), closed after the test. */
  newContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>;
}

/**
 * For one test file: serve the built demo with `vite preview` and launch Debian's Chromium before
 * its tests, stop both after. Every test gets fresh contexts and fails on uncaught page errors.
 */
export function setupDemoHarness(): DemoHarness {
  let server: ViteServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [server, browser] = await Promise.all([startPreview(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    const errors = pageErrors.splice(0);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  });

  const watchErrors = (page: Page) => {
    page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
  };

  return {
    url: () => {
      if (!server) throw new Error('the preview server is not running');
      return server.url;
    },
    async newContext(options = {}) {
      if (!browser) throw new Error('the browser is not running');
      const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, ...options });
      context.on('page', watchErrors);
      contexts.push(context);
      return context;
    },
  };
}
