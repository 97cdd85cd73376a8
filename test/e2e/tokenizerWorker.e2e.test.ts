// SPEC §10 target 5: the demo loads the tokenizer's ranks and builds the rank table in core's
// module worker, never on the page, both as built (`vite build`, served by `vite preview`) and
// under `pnpm demo` (Vite's dev server, core from its TypeScript source).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { sendMessage, statValue, waitForComposer } from './support/demoPage';
import { startDevServer, startPreview, type ViteServer } from './support/viteServer';

// Vite's dev server serves them as pre-bundled deps, e.g. js-tiktoken_ranks_o200k___base.js.
const RANKS = /(o200k|cl100k)_+base/;

const servers = [
  ['the built demo (vite build)', startPreview],
  ['pnpm demo (the dev server)', startDevServer],
] as const;

for (const [name, start] of servers) {
  describe(`tokenizer worker in ${name}`, () => {
    let server: ViteServer | undefined;
    let browser: Browser | undefined;

    beforeAll(async () => {
      [server, browser] = await Promise.all([start(), launchChromium()]);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it('imports the ranks and counts in the worker; the page never loads them', async () => {
      const context = await browser!.newContext();
      try {
        // Long tasks with their start, to report the ones while the worker loads the ranks.
        await context.addInitScript(() => {
          const tasks: [number, number][] = [];
          (window as unknown as { __tasks: typeof tasks }).__tasks = tasks;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) tasks.push([performance.timeOrigin + e.startTime, e.duration]);
          }).observe({ type: 'longtask', buffered: true });
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        const workerStarted = page.waitForEvent('worker', { predicate: (w) => /tokenWorker/.test(w.url()) });
        await page.goto(server!.url);
        await waitForComposer(page);
        const worker = await workerStarted;

        // The demo preloads o200k_base when idle; the worker imports that chunk itself.
        const rankFetch = async () =>
          worker.evaluate((pattern) => {
            const entry = performance
              .getEntriesByType('resource')
              .find((e) => new RegExp(pattern).test(e.name)) as PerformanceResourceTiming | undefined;
            return entry ? performance.timeOrigin + entry.startTime : null;
          }, RANKS.source);
        await expect.poll(rankFetch, { timeout: 30_000 }).not.toBeNull();
        const ranksFetchedAt = (await rankFetch())!;

        await sendMessage(page, 'How many tokens is this message?');
        expect(await statValue(page, 'tokens')).toBeGreaterThan(0);

        const pageRanks = await page.evaluate(
          (pattern) =>
            performance
              .getEntriesByType('resource')
              .map((e) => e.name)
              .filter((url) => new RegExp(pattern).test(url)),
          RANKS.source,
        );
        expect(pageRanks, 'rank chunks the page loaded itself').toEqual([]);
        expect(errors).toEqual([]);

        const tasks = await page.evaluate(
          () => (window as unknown as { __tasks: [number, number][] }).__tasks,
        );
        const after = tasks.filter(([at]) => at >= ranksFetchedAt).map(([, ms]) => Math.round(ms));
        console.log(
          `${name}: page long tasks from page load: [${tasks.map(([, ms]) => Math.round(ms)).join(', ')}] ms; ` +
            `since the worker fetched the ranks (incl. a chat turn): [${after.join(', ')}] ms`,
        );
      } finally {
        await context.close();
      }
    });
  });
}
