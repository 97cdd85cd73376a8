import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  messageTexts,
  openDemo,
  selectedConversation,
  sendMessage,
  setThresholds,
  waitForComposer,
} from './support/demoPage';
import { setupDemoHarness } from './support/harness';
import { ARTIFACTS } from './support/paths';

// The demo as a new user meets it: on a phone, in dark mode, with a broken link, the keyboard,
// the words it uses, and what it sends to the model.

const demo = setupDemoHarness();
const PHONE = { width: 390, height: 844 };

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** WCAG contrast ratio of two `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The nearest non-transparent background behind `selector`. */
function backgroundOf(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) => {
    for (let node: Element | null = el; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      if (bg && bg !== 'transparent' && !/rgba\(.*, 0\)$/.test(bg)) return bg;
    }
    return 'rgb(255, 255, 255)';
  });
}

describe('demo on a phone (390×844)', () => {
  it('fits the screen: no sideways scroll, a collapsible sidebar, readable messages, stats apart', async () => {
    const context = await demo.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await openDemo(context, demo.url());
    await sendMessage(page, 'Hello, I am planning a trip to Lisbon for three nights');
    await sendMessage(page, 'What is 3 * 250 for three nights?');

    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);

    // The conversation takes the whole width; the sidebar waits behind a button.
    const sidebar = page.locator('nav.sidebar');
    expect(await sidebar.isVisible()).toBe(false);
    const text = await page.getByTestId('message-text').first().boundingBox();
    expect(text!.width).toBeGreaterThan(250); // not a letter per line
    const lines = await page
      .getByTestId('message-text')
      .first()
      .evaluate((el) =>
        Math.round(el.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(el).lineHeight)),
      );
    expect(lines).toBeLessThanOrEqual(3);

    const stats = await page.locator('.stats__item').evaluateAll((items) =>
      items.map((item) => {
        const r = item.getBoundingClientRect();
        return {
          x: r.x,
          y: r.y,
          width: r.width,
          height: r.height,
          overflow: item.scrollWidth > item.clientWidth,
        };
      }),
    );
    expect(stats).toHaveLength(5);
    for (let i = 0; i < stats.length; i++) {
      expect(stats[i]!.overflow).toBe(false);
      expect(stats[i]!.x + stats[i]!.width).toBeLessThanOrEqual(PHONE.width);
      for (let j = i + 1; j < stats.length; j++)
        expect(overlaps(stats[i]!, stats[j]!), `stats ${i} and ${j}`).toBe(false);
    }
    await page.getByTestId('composer-input').blur();
    await page.screenshot({ path: join(ARTIFACTS, 'mobile.png') });

    // Open the list, switch to a new conversation: the drawer closes again.
    await page.getByTestId('sidebar-toggle').click();
    await expect.poll(() => sidebar.isVisible()).toBe(true);
    // Slid fully into view (after its 0.2 s transition), narrower than the screen.
    await expect.poll(async () => (await sidebar.boundingBox())?.x).toBe(0);
    const list = await sidebar.boundingBox();
    expect(list!.width).toBeLessThan(PHONE.width);
    await page.screenshot({ path: join(ARTIFACTS, 'mobile-sidebar.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => sidebar.isVisible()).toBe(false);
    await page.getByTestId('sidebar-toggle').click();
    await expect.poll(() => sidebar.isVisible()).toBe(true);
    const first = await selectedConversation(page);
    await page.getByTestId('new-conversation').click();
    await expect.poll(() => sidebar.isVisible()).toBe(false);
    expect(await selectedConversation(page)).not.toBe(first);
  });

  it('follows the system colour scheme: dark when the system is dark, light otherwise', async () => {
    const background = async (colorScheme: 'dark' | 'light') => {
      const context = await demo.newContext({ viewport: PHONE, colorScheme });
      const page = await openDemo(context, demo.url());
      await sendMessage(page, 'Dark or light?');
      await page.getByTestId('composer-input').blur();
      if (colorScheme === 'dark') await page.screenshot({ path: join(ARTIFACTS, 'mobile-dark.png') });
      const colours = {
        page: await backgroundOf(page, '.main'),
        text: await page.$eval('.message__text', (el) => getComputedStyle(el).color),
        message: await backgroundOf(page, '.message__text'),
      };
      await context.close();
      return colours;
    };
    const dark = await background('dark');
    const light = await background('light');
    expect(contrast(dark.page, 'rgb(0, 0, 0)')).toBeLessThan(2); // near black
    expect(contrast(light.page, 'rgb(255, 255, 255)')).toBeLessThan(1.2); // near white
    expect(contrast(dark.text, dark.message)).toBeGreaterThanOrEqual(7);
    expect(contrast(light.text, light.message)).toBeGreaterThanOrEqual(7);
  });
});

describe('demo details a new user notices', () => {
  it('a broken link (#/c/%E0%A4%A) does not blank the page, and the page follows later hash changes', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demo.url());
    await sendMessage(page, 'Remember me');
    const id = await selectedConversation(page);

    // Opened from the link: the page renders and opens the newest conversation instead.
    const linked = await context.newPage();
    await linked.goto(`${demo.url()}#/c/%E0%A4%A`);
    await waitForComposer(linked);
    await expect.poll(() => selectedConversation(linked)).toBe(id);
    await expect.poll(() => messageTexts(linked)).toContain('Remember me');
    await linked.close();

    // Same page, hash changed to the bad one and back: still there, still following.
    await page.evaluate(() => {
      window.location.hash = '#/c/%E0%A4%A';
    });
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/c/${id}`);
    await page.getByTestId('new-conversation').click();
    await expect.poll(() => selectedConversation(page)).not.toBe(id);
    await page.evaluate((target) => {
      window.location.hash = `#/c/${target}`;
    }, id);
    await expect.poll(() => page.getByTestId('conversation-heading').textContent()).toBe('Remember me');
    expect(await page.getByTestId('app-error').count()).toBe(0);
  });

  it('Settings: focus moves into it when it opens, Escape closes it and gives focus back', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demo.url());
    await page.getByTestId('settings-toggle').click();
    await page.getByTestId('settings-panel').waitFor();
    expect(
      await page.evaluate(() =>
        document.querySelector('[data-testid="settings-panel"]')?.contains(document.activeElement),
      ),
    ).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('settings-panel').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'settings-toggle',
    );
  });

  it('Enter while an answer is pending says so and keeps the text', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demo.url());
    let release: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/slow-v1/chat/completions', async (route) => {
      await answered;
      await route.fulfill({
        json: { choices: [{ index: 0, message: { role: 'assistant', content: 'Finally.' } }] },
      });
    });
    await useEndpoint(page, `${demo.url()}slow-v1`);

    await page.getByTestId('composer-input').fill('First question');
    await page.getByTestId('composer-input').press('Enter');
    await page.getByTestId('pending-message').waitFor();
    expect(await page.getByTestId('pending-text').textContent()).toBe('First question');
    await page.getByTestId('composer-input').fill('Second question');
    await page.getByTestId('composer-input').press('Enter');
    const notice = page.getByTestId('composer-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Still waiting for gpt-4o-mini to answer your last message');
    expect(await page.getByTestId('composer-input').inputValue()).toBe('Second question');

    release();
    await page.getByTestId('pending-message').waitFor({ state: 'detached' });
    // The reply is recorded as it streams: its row can show before its text does.
    await expect.poll(() => messageTexts(page)).toEqual(['First question', 'Finally.']);
  });

  it('explains "segment" and "extractive"; a full segment looks complete, not failed; summaries collapse', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demo.url());
    await setThresholds(page, { maxTurnsPerSegment: 2 });
    await sendMessage(
      page,
      `Hello, my name is Ada and my budget is 900 euros. ${'Some more words here. '.repeat(12)}`,
    );
    // Segment 1 is full: its bar is complete, in a calm colour, and says what happens next.
    const fill = page
      .locator('[data-testid="segment-token-bar"], [data-testid="segment-turn-bar"]')
      .locator('.meter__fill');
    const turnBar = page.getByTestId('segment-turn-bar').first();
    expect(await turnBar.locator('.meter__track').getAttribute('class')).toContain('meter__track--full');
    const colour = await turnBar
      .locator('.meter__fill')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    const [r, g, b] = colour.match(/\d+/g)!.map(Number);
    expect(r! - Math.max(g!, b!)).toBeLessThan(40); // not red
    expect(await fill.count()).toBeGreaterThan(0);
    expect(await page.getByTestId('segment-state').first().textContent()).toContain(
      'full, the next message starts a new segment',
    );

    await sendMessage(page, 'And now a second segment');
    expect(await page.getByTestId('segment-state').first().textContent()).toContain('closed');

    // The words, explained in the page.
    await page.getByTestId('glossary').locator('summary').click();
    expect(await page.getByTestId('glossary-segment').textContent()).toContain(
      'One stretch of the conversation',
    );
    expect(await page.getByTestId('glossary-segment').textContent()).toContain(
      'A full bar is normal, not an error',
    );
    expect(await page.getByTestId('glossary-extractive').textContent()).toContain('without a model');
    expect(await page.locator('.summary-bridge__tag').getAttribute('title')).toContain('without a model');

    // The summary is collapsed to its first lines, and opens in full.
    const bridge = page.getByTestId('summary-bridge');
    const text = page.getByTestId('summary-text');
    expect(await bridge.getAttribute('data-open')).toBe('false');
    const clipped = await text.evaluate((el) => ({ shown: el.clientHeight, full: el.scrollHeight }));
    expect(clipped.shown).toBeLessThan(clipped.full);
    await page.getByTestId('summary-toggle').click();
    expect(await bridge.getAttribute('data-open')).toBe('true');
    const opened = await text.evaluate((el) => ({ shown: el.clientHeight, full: el.scrollHeight }));
    expect(opened.shown).toBeGreaterThanOrEqual(opened.full);
    expect(await text.textContent()).toContain('Conversation start:\n- User: Hello, my name is Ada');
  });

  it('sidebar: secondary text has ≥ 4.5:1 contrast, long titles end in an ellipsis', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await demo.newContext({ colorScheme });
      const page = await openDemo(context, demo.url());
      const long = `A very long first message that goes on and on about the plans for a trip to Lisbon and Porto ${colorScheme}`;
      await sendMessage(page, long);
      await page.getByTestId('new-conversation').click();
      await page.getByTestId('conversation-unsaved').waitFor();
      await sendMessage(page, 'Short one');
      await expect.poll(() => page.getByTestId('conversation-item').count()).toBe(2);

      for (const selector of [
        '[data-testid="conversation-item"][aria-current="true"] .conversation__meta',
        '[data-testid="conversation-item"]:not([aria-current]) .conversation__meta',
      ]) {
        const colour = await page.$eval(selector, (el) => getComputedStyle(el).color);
        const ratio = contrast(colour, await backgroundOf(page, selector));
        expect(ratio, `${colorScheme} ${selector}`).toBeGreaterThanOrEqual(4.5);
      }
      const title = page.locator(
        '[data-testid="conversation-item"]:not([aria-current]) [data-testid="conversation-title"]',
      );
      const stored = (await title.textContent())!;
      expect(stored.endsWith('…')).toBe(true);
      expect(stored.length).toBeLessThanOrEqual(60);
      const shown = await title.evaluate((el) => ({
        overflow: getComputedStyle(el).textOverflow,
        cut: el.scrollWidth > el.clientWidth,
      }));
      expect(shown).toEqual({ overflow: 'ellipsis', cut: true });
      await context.close();
    }
  });
});

describe('what the model sees', () => {
  it('lists the system prompt, the summary and the turns that fit, with tokens against the budget, live', async () => {
    const context = await demo.newContext({ viewport: { width: 1360, height: 1200 } });
    const page = await openDemo(context, demo.url());
    await setThresholds(page, { maxTurnsPerSegment: 4 });
    await sendMessage(page, 'Hello, I am planning a trip to Lisbon');
    await sendMessage(page, 'What is 3 * 250 for three nights?');
    await sendMessage(page, 'Remind me what the hotel costs'); // segment 2 starts here

    await page.getByTestId('context-toggle').click();
    const lines = page.getByTestId('context-line');
    await expect.poll(() => lines.count()).toBe(4);
    expect(await lines.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')))).toEqual([
      'system',
      'summary',
      'user',
      'assistant',
    ]);
    const texts = await page.locator('.context-line__text').allTextContents();
    expect(texts[0]).toBe('You are the assistant of the ai-session-manager demo. Answer briefly.');
    expect(texts[1]).toContain('Conversation start:\n- User: Hello, I am planning a trip to Lisbon');
    expect(texts[2]).toBe('Remind me what the hotel costs');
    const timeline = await messageTexts(page);
    expect(texts[3]).toBe(timeline.at(-1));

    // Tokens per message and in total, against the 8,000-token budget.
    const each = (await page.getByTestId('context-line-tokens').allTextContents()).map((t) =>
      Number(t.replace(/\D/g, '')),
    );
    expect(each.every((n) => n > 0)).toBe(true);
    const budget = (await page.getByTestId('context-budget').textContent())!;
    const [total, of] = budget.match(/[\d,]+/g)!.map((n) => Number(n.replace(/,/g, '')));
    expect(of).toBe(8000);
    // The request's count is its messages' plus the reply priming (3 tokens).
    expect(total).toBe(each.reduce((a, b) => a + b, 0) + 3);
    await page.screenshot({ path: join(ARTIFACTS, 'context-panel.png') });

    // It follows the conversation.
    await sendMessage(page, 'One more thing');
    await expect.poll(() => lines.count()).toBe(6);
    expect((await page.locator('.context-line__text').allTextContents())[4]).toBe('One more thing');
  });
});

describe('what the model sees, over budget', () => {
  it('says which turns do not fit the 8,000-token budget', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demo.url());
    await setThresholds(page, { tokenThreshold: 100_000 });
    await sendMessage(page, `Please keep all of this: ${'lorem ipsum dolor '.repeat(3000)}`); // ~9,000 tokens
    await page.getByTestId('context-toggle').click();
    const notice = page.getByTestId('context-left-out');
    await notice.waitFor();
    expect(await notice.textContent()).toBe('1 older message of this segment does not fit and is not sent.');
    expect(
      await page
        .getByTestId('context-line')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-kind'))),
    ).toEqual(['system', 'assistant']);
  });
});

async function useEndpoint(page: Page, baseUrl: string, apiKey = 'sk-test-key-0123456789') {
  await page.getByTestId('settings-toggle').click();
  await page.getByTestId('settings-responder-openai').check();
  await page.getByTestId('settings-base-url').fill(baseUrl);
  await page.getByTestId('settings-model').fill('gpt-4o-mini');
  await page.getByTestId('settings-api-key').fill(apiKey);
  await page.getByTestId('settings-apply').click();
  await page.getByTestId('settings-panel').waitFor({ state: 'detached' });
}
