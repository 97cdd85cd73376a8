import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExampleServer, startAiSdkExample } from './support/aiSdkExample';
import { send, transcript, waitForTranscript } from './support/chatExamplePage';
import { launchChromium } from './support/chromium';
import { ARTIFACTS } from './support/paths';

// packages/ai-sdk/example in Debian Chromium: the AI SDK's useChat (through useSessionChat)
// with an offline model behind a ChatTransport, every message recorded in real IndexedDB.
// `?turns=5`: five messages per segment (the tool exchange holds two assistant messages, one per
// step), so the third exchange starts the second segment.

let server: ExampleServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [server, browser] = await Promise.all([startAiSdkExample(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="messages"][data-loading="false"]', { state: 'attached' });
  await page.waitForSelector('[data-testid="chat-status"][data-status="ready"]');
}

/** Text of the last assistant message on `page`, without its role label. */
function lastReply(page: Page): Promise<string> {
  return page.$$eval('[data-testid="message"][data-role="assistant"]', (els) =>
    (els.at(-1)?.textContent ?? '').replace(/^assistant/, ''),
  );
}

const STORY_START = 'Once upon a time a small browser tab kept a diary';
const STORY_END = 'The end.';

describe('useChat with @ai-session-manager/ai-sdk in Chromium', () => {
  it('streams, calls a tool, survives a reload, shows in a second tab, and sends the summary after a rollover', async () => {
    const context = await browser!.newContext({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    context.on('page', (p) => p.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`)));
    try {
      const page = await context.newPage();
      await page.goto(`${server!.url}?turns=5`);
      await ready(page);
      await page.waitForFunction(() => /^#\/c\/./.test(window.location.hash));

      // Send and stream: the reply shows up part by part before it is complete.
      const first = await send(page, 'hello there');
      const answer1 = 'You said “hello there”. I was sent 2 messages.';
      expect(answer1.startsWith(first.partial.replace(/^assistant/, ''))).toBe(true);
      expect(first.partial.length).toBeLessThan(`assistant${answer1}`.length);
      // The request carried the system prompt and the user message.
      expect(
        await page.getByTestId('request-message').evaluateAll((els) => els.map((e) => e.dataset.role)),
      ).toEqual(['system', 'user']);

      // A tool call: streamed input, output, then the answer in a second step.
      await send(page, 'what is 6 * 7?');
      await page.waitForSelector('[data-testid="tool-part"][data-state="output-available"]');
      const afterTool = [
        'user: hello there',
        `assistant: ${answer1}`,
        'user: what is 6 * 7?',
        'assistant: Let me work that out.calculator(6 * 7) → 426 * 7 = 42.',
      ];
      await waitForTranscript(page, afterTool);
      await page.waitForFunction(
        () => document.querySelector('[data-testid="stat-messages"]')?.textContent === '5',
      );
      expect(await page.getByTestId('stat-tools').textContent()).toBe('1');

      // Reload: everything is read back from IndexedDB, tool call included.
      await page.reload();
      await ready(page);
      await waitForTranscript(page, afterTool);

      // A second tab on the same conversation.
      const tab2 = await context.newPage();
      await tab2.goto(page.url());
      await ready(tab2);
      await waitForTranscript(tab2, afterTool);

      // Third exchange from the first tab: the segment is full (5 messages), so this rolls over,
      // and the model gets the system prompt, the cumulative summary and the new message only.
      await send(page, 'third message');
      const afterThird = [
        ...afterTool,
        'user: third message',
        'assistant: You said “third message”. I was sent 3 messages, starting with a summary of our earlier turns.',
      ];
      await waitForTranscript(page, afterThird);
      const request = await page
        .getByTestId('request-message')
        .evaluateAll((els) => els.map((e) => [e.dataset.role, e.textContent ?? '']));
      expect(request.map(([role]) => role)).toEqual(['system', 'system', 'user']);
      expect(request[1]![1]).toMatch(/^system: Summary of the conversation so far:/);
      expect(request[2]![1]).toBe('user: third message');
      await page.waitForFunction(
        () => document.querySelector('[data-testid="stat-segments"]')?.textContent === '2',
      );
      // The second tab saw it live, rollover included.
      await waitForTranscript(tab2, afterThird);
      await tab2.waitForFunction(
        () => document.querySelector('[data-testid="stat-segments"]')?.textContent === '2',
      );

      // And the second tab can write too; the first sees it.
      await send(tab2, 'from the second tab');
      const afterFourth = [
        ...afterThird,
        'user: from the second tab',
        'assistant: You said “from the second tab”. I was sent 5 messages, starting with a summary of our earlier turns.',
      ];
      await waitForTranscript(page, afterFourth);
      await page.screenshot({ path: join(ARTIFACTS, 'ai-sdk-example.png'), fullPage: true });

      // One more reload of the first tab: four exchanges over two segments, in order.
      await page.reload();
      await ready(page);
      await waitForTranscript(page, afterFourth);
      expect(await transcript(page)).toEqual(afterFourth);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('saves a reply while it streams: a second tab sees it grow, and closing the writing tab keeps the text so far', async () => {
    const context = await browser!.newContext({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    context.on('page', (p) => p.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`)));
    try {
      const writer = await context.newPage();
      await writer.goto(server!.url);
      await ready(writer);
      await writer.waitForFunction(() => /^#\/c\/./.test(window.location.hash));
      const reader = await context.newPage();
      await reader.goto(writer.url());
      await ready(reader);

      // The reader tab shows the reply part-way while the writer is still streaming it.
      await writer.bringToFront();
      await writer.getByTestId('composer-input').fill('tell me a story');
      await writer.getByTestId('composer-send').click();
      await reader.waitForFunction(
        (start) => {
          const replies = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
          const text = (replies[replies.length - 1]?.textContent ?? '').replace(/^assistant/, '');
          return text.startsWith(start.slice(0, 10)) && !text.endsWith('The end.');
        },
        STORY_START,
        { timeout: 15_000, polling: 50 },
      );
      expect(await writer.getByTestId('chat-status').getAttribute('data-status')).toBe('streaming');
      await writer.waitForSelector('[data-testid="chat-status"][data-status="ready"]');
      await reader.waitForFunction((end) => {
        const replies = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
        return (replies[replies.length - 1]?.textContent ?? '').endsWith(end);
      }, STORY_END);
      expect(await lastReply(reader)).toBe(await lastReply(writer));

      // Another story; the writing tab is closed mid-reply. What was saved stays, in both the
      // open tab and after its reload.
      await writer.getByTestId('composer-input').fill('another story');
      await writer.getByTestId('composer-send').click();
      await reader.waitForFunction(
        () => {
          const messages = document.querySelectorAll('[data-testid="message"]');
          const last = messages[messages.length - 1];
          const text = (last?.textContent ?? '').replace(/^assistant/, '');
          return messages.length === 4 && last?.getAttribute('data-role') === 'assistant' && text.length > 20;
        },
        undefined,
        { timeout: 15_000, polling: 50 },
      );
      await writer.close();
      await reader.reload();
      await ready(reader);
      await reader.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 4);
      const kept = await lastReply(reader);
      expect(kept.length).toBeGreaterThan(20);
      expect(kept.endsWith(STORY_END)).toBe(false);
      expect(STORY_START.startsWith(kept.slice(0, 20))).toBe(true);

      // The conversation goes on from the open tab; the unfinished reply is not sent to the model.
      await send(reader, 'still there?');
      const roles = await reader
        .getByTestId('request-message')
        .evaluateAll((els) => els.map((e) => e.dataset.role));
      expect(roles).toEqual(['system', 'user', 'assistant', 'user', 'user']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
