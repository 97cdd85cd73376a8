import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, transcript, waitForTranscript } from './support/chatExamplePage';
import { launchChromium, launchPersistentChromium } from './support/chromium';
import { ARTIFACTS } from './support/paths';
import { type ExampleServer, startTanstackAiExample } from './support/tanstackAiExample';

// packages/tanstack-ai/example in Debian Chromium: TanStack AI's useChat with sessionPersistence
// (every message recorded in real IndexedDB) and an offline model behind a connection adapter.

let server: ExampleServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [server, browser] = await Promise.all([startTanstackAiExample(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="messages"][data-loaded="true"]', { state: 'attached' });
  await page.waitForSelector('[data-testid="chat-status"][data-status="ready"]');
}

/** The text IndexedDB holds for the reply still streaming, once it is more than ten words (else ''). */
function storedReplyText(): Promise<string> {
  return new Promise((resolve) => {
    const open = indexedDB.open('ai-session-manager');
    // Never create the database here (an empty one would block the app's own upgrade).
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => resolve('');
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('events')) {
        db.close();
        resolve('');
        return;
      }
      const read = db.transaction('events').objectStore('events').getAll();
      read.onsuccess = () => {
        db.close();
        const reply = (read.result as { message: unknown; reply?: { status?: string } }[]).find(
          (e) => e.reply?.status === 'streaming',
        );
        const text = typeof reply?.message === 'string' ? reply.message : '';
        resolve(text.split(' ').length > 10 ? text : '');
      };
    };
  });
}

const STORY_START = 'Once upon a time a small browser tab kept a diary';

describe('TanStack AI useChat with @ai-session-manager/tanstack-ai in Chromium', () => {
  it('streams, calls a tool, regenerates as a version, survives a reload and shows in a second tab', async () => {
    const context = await browser!.newContext({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    context.on('page', (p) => p.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`)));
    try {
      const page = await context.newPage();
      await page.goto(server!.url);
      await ready(page);
      await page.waitForFunction(() => /^#\/t\/./.test(window.location.hash));

      // Send and stream: the reply shows up part by part before it is complete.
      const first = await send(page, 'hello there');
      const answer1 = 'You said “hello there”. This is answer 1 (run 1).';
      expect(answer1.startsWith(first.partial.replace(/^assistant/, ''))).toBe(true);
      expect(first.partial.length).toBeLessThan(`assistant${answer1}`.length);

      // A tool call, with its result, inside the reply.
      await send(page, 'what is 6 * 7?');
      await page.waitForSelector('[data-testid="tool-part"][data-state="complete"]');
      const withTool = [
        'user: hello there',
        `assistant: ${answer1}`,
        'user: what is 6 * 7?',
        'assistant: Let me work that out. calculator(6 * 7) → 426 * 7 = 42.',
      ];
      await waitForTranscript(page, withTool);
      await page.waitForSelector('[data-testid="stat-tools"]:text("1")');

      // Regenerate: a new reply replaces the old on screen; the old one stays stored as version 1.
      await page.bringToFront();
      await page.getByTestId('regenerate').click();
      await page.waitForSelector('[data-testid="chat-status"][data-status="streaming"]');
      await page.waitForSelector('[data-testid="chat-status"][data-status="ready"]');
      await waitForTranscript(page, withTool);
      await page.waitForSelector('[data-testid="reply-version"]:text("2/2")');
      // Stored: 2 user messages and 5 assistant texts (the first answer, and both versions of
      // the tool answer, each a text before its tool call and one after).
      await page.waitForSelector('[data-testid="stat-messages"]:text("7")');
      await page.waitForSelector('[data-testid="stat-tools"]:text("2")');

      // Reload: everything comes back from IndexedDB, with the regenerated version selected.
      const url = page.url();
      await page.reload();
      await ready(page);
      await waitForTranscript(page, withTool);
      await page.waitForSelector('[data-testid="reply-version"]:text("2/2")');
      await page.screenshot({ path: join(ARTIFACTS, 'tanstack-ai-example.png'), fullPage: true });

      // A second tab on the same thread sees the conversation, and continues it.
      const second = await context.newPage();
      await second.goto(url);
      await ready(second);
      await waitForTranscript(second, withTool);
      await send(second, 'and from the second tab');
      const third = await context.newPage();
      await third.goto(url);
      await ready(third);
      await waitForTranscript(third, [
        ...withTool,
        'user: and from the second tab',
        'assistant: You said “and from the second tab”. This is answer 3 (run 1).',
      ]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('keeps the text so far of a reply whose tab was closed mid-stream', async () => {
    // A browser profile on disk, as a real one: the writing tab closes, the database stays.
    const profile = mkdtempSync(join(tmpdir(), 'asm-tanstack-profile-'));
    const context = await launchPersistentChromium(profile);
    const errors: string[] = [];
    context.on('page', (p) => p.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`)));
    try {
      const page = await context.newPage();
      await page.goto(server!.url);
      await ready(page);
      await page.getByTestId('composer-input').fill('tell me a story');
      await page.getByTestId('composer-send').click();
      // Stream until IndexedDB holds part of the reply (written every 250 ms; the first write of
      // a page also waits for the tokenizer to load), then close the tab mid-reply.
      let savedText = '';
      for (let i = 0; i < 200 && !savedText; i++) {
        savedText = await page.evaluate(storedReplyText);
        if (!savedText) await page.waitForTimeout(100);
      }
      expect(savedText.split(' ').length).toBeGreaterThan(10);
      const url = page.url();
      await page.close();
      const again = await context.newPage();
      await again.goto(url);
      await ready(again);
      expect(errors).toEqual([]);
      const [user, reply] = await transcript(again);
      expect(user).toBe('user: tell me a story');
      expect(reply).toMatch(new RegExp(`^assistant: ${STORY_START}`));
      // At least what was saved before the tab closed, and not the whole story.
      expect(reply!.startsWith(`assistant: ${savedText}`)).toBe(true);
      expect(reply!.endsWith('The end.')).toBe(false);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
