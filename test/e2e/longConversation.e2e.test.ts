import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bigConversation } from './support/bigConversation';
import { messageTexts, openDemo, sendMessage, statValue, waitForMessageCount } from './support/demoPage';
import { setupDemoHarness } from './support/harness';
import { ARTIFACTS } from './support/paths';

const demo = setupDemoHarness();

describe('a long conversation', () => {
  it('keeps thousands of messages virtualized and responsive', async () => {
    const MESSAGES = 3000;
    const doc = await bigConversation(MESSAGES, 500);
    const file = join(ARTIFACTS, 'long-conversation.json');
    writeFileSync(file, JSON.stringify(doc));

    const context = await demo.newContext();
    const page = await openDemo(context, demo.url());
    const started = Date.now();
    await page.getByTestId('import-input').setInputFiles(file);
    await waitForMessageCount(page, MESSAGES, 60_000);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="message-row"]').length > 0);
    const importMs = Date.now() - started;
    expect(await statValue(page, 'segments')).toBe(6);

    // Only the newest events are read (a window; older pages load on scrolling up), and only
    // what is on screen (plus overscan) is in the DOM.
    const rows = Number(await page.getByTestId('timeline').getAttribute('data-rows'));
    expect(rows).toBeGreaterThan(20);
    expect(rows).toBeLessThan(MESSAGES / 4);
    expect(await page.getByTestId('timeline').getAttribute('data-has-older')).toBe('true');
    const rendered = await page.locator('.timeline__row').count();
    expect(rendered).toBeLessThan(60);
    // It opens at the end of the conversation.
    expect(await messageTexts(page)).toContain(
      `Answer ${MESSAGES / 2}: ${MESSAGES / 2 - 1} + ${(MESSAGES / 2 - 1) * 2} = ${(MESSAGES / 2 - 1) * 3}.`,
    );

    // Fling from the bottom to the top, two screens per frame, timing every frame, until the
    // first message is loaded (older pages arrive while scrolling up).
    const frames = await page.evaluate(async () => {
      const timeline = document.querySelector<HTMLElement>('[data-testid="timeline"]')!;
      const step = 2 * timeline.clientHeight;
      const times: number[] = [];
      const begin = performance.now();
      let last = begin;
      while (
        (timeline.scrollTop > 0 || timeline.dataset.hasOlder === 'true') &&
        performance.now() - begin < 60_000
      ) {
        timeline.scrollTop = Math.max(0, timeline.scrollTop - step);
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times.sort((a, b) => a - b);
    });
    const p50 = frames[Math.floor(frames.length / 2)]!;
    const p95 = frames[Math.floor(frames.length * 0.95)]!;
    const longestFrameMs = frames[frames.length - 1]!;
    expect(await page.getByTestId('timeline').getAttribute('data-has-older')).toBe('false');
    await expect.poll(() => messageTexts(page)).toContain('Question 1: what is 0 + 0?');
    expect(await page.locator('.timeline__row').count()).toBeLessThan(60);

    // A new message in the long conversation shows up promptly.
    const sendStarted = Date.now();
    await sendMessage(page, 'One more: 1 + 1');
    const sendMs = Date.now() - sendStarted;
    await expect.poll(() => messageTexts(page)).toContain('One more: 1 + 1');
    console.log(
      `long conversation: ${MESSAGES} messages imported and shown in ${importMs} ms, ` +
        `${frames.length} scroll frames: median ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, ` +
        `longest ${longestFrameMs.toFixed(1)} ms; send + answer ${sendMs} ms; ${rendered} rows in the DOM`,
    );
    // Loose bounds, as the machine may be busy: most frames fit the display's refresh; the
    // printed figures are what to read.
    expect(p50).toBeLessThan(50);
    expect(p95).toBeLessThan(250);
  });
});
