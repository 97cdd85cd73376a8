import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDemo, sendMessage, setThresholds } from './support/demoPage';
import { setupDemoHarness } from './support/harness';
import { ARTIFACTS } from './support/paths';

// Storage that is not evicted, a browser that refuses IndexedDB, and the context gauge, in the
// demo in Chromium.

const demo = setupDemoHarness();

describe('demo: storage', () => {
  it('asks for persistent storage once the first conversation is written, and shows the estimate', async () => {
    const context = await demo.newContext();
    // Count the calls the page makes (the browser's own persist() answers as it would).
    await context.addInitScript(() => {
      const storage = navigator.storage;
      if (!storage) return; // about:blank, before the demo loads
      const original = storage.persist.bind(storage);
      (window as unknown as { persistCalls: number }).persistCalls = 0;
      storage.persist = () => {
        (window as unknown as { persistCalls: number }).persistCalls += 1;
        return original();
      };
    });
    const page = await openDemo(context, demo.url());
    const status = page.getByTestId('storage-status');
    await status.waitFor();
    expect(await status.getAttribute('data-kind')).toBe('indexeddb');
    await page.waitForSelector('[data-testid="storage-usage"]');
    // Nothing written yet: no request at page load.
    expect(await page.evaluate(() => (window as unknown as { persistCalls: number }).persistCalls)).toBe(0);

    await sendMessage(page, 'Hello, keep this conversation please');
    await page.waitForFunction(() => (window as unknown as { persistCalls: number }).persistCalls === 1);
    const persisted = await page.evaluate(() => navigator.storage.persisted());
    // The status reads what the browser says (the refresh follows the conversation list).
    await page.waitForFunction(
      (expected) =>
        document.querySelector('[data-testid="storage-status"]')?.getAttribute('data-persisted') ===
        String(expected),
      persisted,
    );

    // A reload asks no more when the browser granted it, and at most once more otherwise.
    await page.reload();
    await page.getByTestId('composer-input').waitFor();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { persistCalls: number }).persistCalls)).toBe(
      persisted ? 0 : 1,
    );
    await context.close();
  });

  it('keeps working in memory, and says so, when the browser refuses IndexedDB', async () => {
    const context = await demo.newContext();
    // As Firefox's private windows did: every open fails with InvalidStateError.
    await context.addInitScript(() => {
      IDBFactory.prototype.open = function refuse() {
        const request = {} as IDBOpenDBRequest & Record<string, unknown>;
        setTimeout(() => {
          Object.defineProperty(request, 'error', {
            value: new DOMException(
              'A mutation operation was attempted on a database that did not allow mutations.',
              'InvalidStateError',
            ),
          });
          (request.onerror as ((e: unknown) => void) | null)?.({
            target: request,
            type: 'error',
            preventDefault() {},
            stopPropagation() {},
          });
        });
        return request;
      };
    });
    const page = await openDemo(context, demo.url());
    const status = page.getByTestId('storage-status');
    await status.waitFor();
    expect(await status.getAttribute('data-kind')).toBe('memory');
    expect(await status.textContent()).toMatch(/last only until this tab closes/);
    expect(await status.textContent()).toMatch(/private window/);
    await sendMessage(page, 'Does this still work?');
    expect(await page.getByTestId('message-row').count()).toBe(2);
    await context.close();
  });
});

describe('demo: context gauge', () => {
  it('shows the next request against the window, and the summary after a rollover', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demo.url());
    await setThresholds(page, { maxTurnsPerSegment: 4 });
    const gauge = page.getByTestId('context-gauge');
    await gauge.waitFor();
    expect(await gauge.getAttribute('data-window')).toBe('128000');

    await sendMessage(page, 'My name is Ada and I like tea');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="context-gauge"]')?.getAttribute('data-tokens')) > 10,
    );
    const first = Number(await gauge.getAttribute('data-tokens'));
    expect(await gauge.getAttribute('data-summary')).toBe('false');
    expect(await page.getByTestId('context-gauge-meter').textContent()).toMatch(/\/ 128,000 tokens/);

    await sendMessage(page, 'I also like long walks along the river in the evening');
    await page.waitForFunction(
      (before) =>
        Number(document.querySelector('[data-testid="context-gauge"]')?.getAttribute('data-tokens')) > before,
      first,
    );
    // The third exchange rolls over: the next request carries the summary and the new segment only.
    await sendMessage(page, 'What do you know about me?');
    await page.waitForSelector('[data-testid="context-gauge"][data-summary="true"]');
    await page.screenshot({ path: join(ARTIFACTS, 'context-gauge.png') });
    await context.close();
  });
});
