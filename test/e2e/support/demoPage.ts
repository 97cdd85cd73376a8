import type { BrowserContext, Page } from 'playwright-core';

/** Open the demo and wait until a conversation is selected and the composer is usable. */
export async function openDemo(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await waitForComposer(page);
  return page;
}

export async function waitForComposer(page: Page): Promise<void> {
  await page.getByTestId('composer-input').waitFor();
  await page.waitForFunction(() => /^#\/c\/./.test(window.location.hash));
}

/** The conversation id in the URL. */
export async function selectedConversation(page: Page): Promise<string> {
  const hash = await page.evaluate(() => window.location.hash);
  return decodeURIComponent(hash.replace(/^#\/c\//, ''));
}

export async function statValue(page: Page, name: string): Promise<number> {
  const text = (await page.getByTestId(`stat-${name}`).textContent()) ?? '';
  return Number(text.replace(/[^0-9.]/g, ''));
}

/** Wait until the live "messages" stat reaches `count`. */
export async function waitForMessageCount(page: Page, count: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const text = document.querySelector('[data-testid="stat-messages"]')?.textContent ?? '';
      return Number(text.replace(/[^0-9]/g, '')) >= expected;
    },
    count,
    { timeout },
  );
}

/** Send a message and wait for the responder's answer to be recorded (two more messages). */
export async function sendMessage(page: Page, text: string): Promise<void> {
  // A user types in the tab in front; background tabs get their timers throttled.
  await page.bringToFront();
  const before = await statValue(page, 'messages');
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-send').click();
  await waitForMessageCount(page, before + 2);
  await page.waitForSelector('[data-testid="composer-status"][data-busy="false"]');
  // Stats and the timeline are separate live queries: wait until the timeline shows the reply finished too.
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('[data-testid="message-row"]');
    const last = rows[rows.length - 1];
    return (
      last?.getAttribute('data-role') === 'assistant' && last.getAttribute('data-status') !== 'streaming'
    );
  });
}

/** Set the infinite-context thresholds through the settings panel. */
export async function setThresholds(
  page: Page,
  thresholds: { tokenThreshold?: number; maxTurnsPerSegment?: number },
): Promise<void> {
  await page.getByTestId('settings-toggle').click();
  if (thresholds.tokenThreshold !== undefined) {
    await page.getByTestId('settings-token-threshold').fill(String(thresholds.tokenThreshold));
  }
  if (thresholds.maxTurnsPerSegment !== undefined) {
    await page.getByTestId('settings-max-turns').fill(String(thresholds.maxTurnsPerSegment));
  }
  await page.getByTestId('settings-apply').click();
  await page.getByTestId('settings-panel').waitFor({ state: 'detached' });
}

/** Texts of the message rows currently rendered, in timeline order. */
export function messageTexts(page: Page): Promise<string[]> {
  return page.getByTestId('message-text').allTextContents();
}

/** Record main-thread long tasks (> 50 ms) in every page of `context`, from the first script on. */
export async function observeLongTasks(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const tasks: number[] = [];
    (window as unknown as { __longTasks: number[] }).__longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push(Math.round(entry.duration));
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Durations of the long tasks seen so far, in ms. */
export function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __longTasks?: number[] }).__longTasks ?? []);
}
