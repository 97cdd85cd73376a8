import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { messageTexts, openDemo, sendMessage } from './support/demoPage';
import { startDevServer, type ViteServer } from './support/viteServer';

let server: ViteServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  [server, browser] = await Promise.all([startDevServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('pnpm demo (the dev server)', () => {
  it('prints its 127.0.0.1 address and serves a working demo from the packages’ TypeScript source', async () => {
    expect(server!.output()).toContain(server!.url);
    const context = await browser!.newContext();
    const errors: string[] = [];
    context.on('page', (page) => page.on('pageerror', (error) => errors.push(error.message)));
    try {
      const page = await openDemo(context, server!.url);
      await sendMessage(page, 'What is 6 * 7?');
      expect(await messageTexts(page)).toEqual([
        'What is 6 * 7?',
        '6 * 7 = 42. I worked that out with the calculator tool.',
      ]);
      // The dev server resolves the workspace packages to their source through the "@ai-session-manager/source" condition.
      const core = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((entry) => entry.name)
          .find((name) => name.includes('/packages/core/src/')),
      );
      expect(core).toBeDefined();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
