import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ConversationDocument,
  exportConversation,
  MemorySessionStore,
  SessionManager,
} from '@ai-session-manager/core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { openDemo, sendMessage, statValue, waitForMessageCount } from './support/demoPage';
import { setupDemoHarness } from './support/harness';

// Script-like text reaches the demo through every field it renders (messages, tool names,
// arguments, results and errors, summaries, the summarizer's failure, the model name, the title,
// the conversation id in the URL) by importing a crafted export, and through refused imports whose
// error messages quote the file. All of it must show as text: no dialog, no injected element.

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(1)</script>';
const SVG = '<svg onload=alert(1)>';
const LINK = 'javascript:alert(1)';
const IFRAME = '"><iframe src=javascript:alert(1)>';
/** U+202E RIGHT-TO-LEFT OVERRIDE: displays as "harmless-txt.exe"-style spoofing; kept as is. */
const RTL = 'invoice\u202Etxt.exe\u202C.pdf';
/** Zero-width space, non-joiner, joiner, word joiner and BOM inside a word. */
const ZERO_WIDTH = 'ze\u200Bro\u200Cwi\u200Ddth\u2060te\uFEFFxt';
const PAYLOADS = { IMG, SCRIPT, SVG, LINK, IFRAME, RTL, ZERO_WIDTH };

const CONVERSATION_ID = `conv-${IMG}`;
const TITLE = `${IMG}${IFRAME} ${SCRIPT}`;
const HOSTILE_MODEL = `model ${SVG}`;

const demo = setupDemoHarness();
const dir = mkdtempSync(join(tmpdir(), 'asm-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A valid export built with core in Node: hostile text in messages, tool names, arguments,
 * results and errors, a callback summary, a failing summarizer's message, a model name, the
 * title and other metadata, and the conversation id itself. Three segments.
 */
async function hostileDocument(): Promise<{ doc: ConversationDocument; messages: string[] }> {
  const store = new MemorySessionStore();
  const sm = new SessionManager({
    store,
    sessionId: CONVERSATION_ID,
    systemPrompt: `You are ${SCRIPT}`,
    infiniteContext: true,
    tokenThreshold: 1_000_000,
    maxTurnsPerSegment: 4,
    metadata: { title: TITLE, note: SVG, link: LINK },
    summarize: () => `Summary ${SVG} then ${IFRAME} and ${LINK}`,
  });
  const messages = [
    IMG,
    `${SCRIPT} see ${LINK}`,
    SVG,
    `<a href="${LINK}">click</a>`,
    RTL,
    ZERO_WIDTH,
    IFRAME,
    `${IMG}${ZERO_WIDTH}`,
  ];
  await sm.userSays(messages[0]!, { note: IFRAME });
  await sm.toolUsed(IMG, { query: SVG, href: LINK }, SCRIPT);
  await sm.aiResponds(messages[1]!, { model: 'gpt-4o-mini', provider: IFRAME });
  await sm.userSays(messages[2]!);
  await sm.toolUsed(IFRAME, { html: IMG }, null, { error: `${SVG} failed` });
  await sm.aiResponds(messages[3]!, { model: HOSTILE_MODEL });
  // Segment 2, after a summary written by the callback.
  await sm.userSays(messages[4]!);
  await sm.aiResponds(messages[5]!);
  await sm.userSays(messages[6]!);
  await sm.aiResponds(messages[7]!);
  // The next rollover's summarizer fails with a hostile message: the built-in summary is used.
  sm.setSummaryCallback(() => {
    throw new Error(`summarizer broke on ${IMG}`);
  });
  const last = `last ${SCRIPT}`;
  await sm.userSays(last);
  messages.push(last);
  const doc = await exportConversation(sm.conversationId, { store });
  // The summarizer tag is free metadata: make it hostile too.
  for (const event of doc.events) if (event.type === 'summary') event.metadata.summarizer = IFRAME;
  return { doc, messages };
}

/**
 * From the first script on, record every element of a kind content could use to run script or
 * load something (img, script, iframe, svg, object, link…) that is added to the page's body.
 */
async function watchForInjection(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const added: string[] = [];
    (window as unknown as { __injected: string[] }).__injected = added;
    const DANGEROUS =
      'img, script, iframe, svg, math, object, embed, frame, frameset, link, meta, base, style, a[href], [srcdoc]';
    const watch = () =>
      new MutationObserver((records) => {
        for (const record of records) {
          for (const node of Array.from(record.addedNodes)) {
            if (!(node instanceof Element)) continue;
            const found = [
              ...(node.matches(DANGEROUS) ? [node] : []),
              ...Array.from(node.querySelectorAll(DANGEROUS)),
            ];
            for (const el of found) added.push(el.outerHTML.slice(0, 120));
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    if (document.body) watch();
    else document.addEventListener('DOMContentLoaded', watch, { once: true });
  });
}

async function injected(page: Page): Promise<{ added: string[]; handlers: string[]; jsLinks: number }> {
  return page.evaluate(() => {
    const handlers: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) handlers.push(`${el.tagName.toLowerCase()}[${attr.name}]`);
      }
    }
    return {
      added: (window as unknown as { __injected: string[] }).__injected,
      handlers,
      jsLinks: document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i]').length,
    };
  });
}

function recordDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return dialogs;
}

/** Rows of the demo's own database, read with the raw IndexedDB API. */
function storedRows(page: Page): Promise<{ sessions: number; events: number }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('ai-session-manager-demo');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const count = (name: string) =>
      new Promise<number>((resolve, reject) => {
        const request = db.transaction(name).objectStore(name).count();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const rows = { sessions: await count('sessions'), events: await count('events') };
    db.close();
    return rows;
  });
}

describe('hostile content in the demo', () => {
  it('renders script-like text from an imported conversation as text: no dialog, no injected element', async () => {
    const { doc, messages } = await hostileDocument();
    expect(doc.sessions).toHaveLength(3);
    const file = join(dir, 'hostile-conversation.json');
    writeFileSync(file, JSON.stringify(doc));

    // Tall enough for every row of the (virtualized) timeline to be in the DOM at once.
    const context = await demo.newContext({ viewport: { width: 1360, height: 3000 } });
    await watchForInjection(context);
    const page = await openDemo(context, demo.url());
    const dialogs = recordDialogs(page);
    const scriptsBefore = await page.locator('script').count();

    await page.getByTestId('import-input').setInputFiles(file);
    await page.getByTestId('import-notice').waitFor();
    await page.waitForFunction(
      (expected) => window.location.hash === `#/c/${encodeURIComponent(expected)}`,
      CONVERSATION_ID,
    );
    await waitForMessageCount(page, messages.length);
    expect(await statValue(page, 'segments')).toBe(3);
    expect(await statValue(page, 'tool-calls')).toBe(2);
    const timeline = page.getByTestId('timeline');
    const rows = Number(await timeline.getAttribute('data-rows'));
    await expect.poll(() => page.locator('.timeline__row').count()).toBe(rows);

    // Every payload is there, character for character, as text.
    expect(await page.getByTestId('message-text').allTextContents()).toEqual(messages);
    expect(await page.getByTestId('tool-call-name').allTextContents()).toEqual([IMG, IFRAME]);
    expect(await page.locator('.tool-call__args').allTextContents()).toEqual([
      JSON.stringify({ query: SVG, href: LINK }),
      JSON.stringify({ html: IMG }),
    ]);
    expect(await page.getByTestId('tool-call-result').allTextContents()).toEqual([
      `→ ${JSON.stringify(SCRIPT)}`,
      `error: ${SVG} failed`,
    ]);
    const summaries = await page.getByTestId('summary-text').allTextContents();
    expect(summaries[0]).toBe(`Summary ${SVG} then ${IFRAME} and ${LINK}`);
    expect(summaries[1]).toContain(RTL); // the built-in summary quotes the segment's messages
    const bridges = await page.getByTestId('summary-bridge').allTextContents();
    expect(bridges[0]).toContain(IFRAME);
    expect(bridges[1]).toContain(`Summarizer failed, used the built-in summary: summarizer broke on ${IMG}`);
    expect(await page.locator('.message__author').allTextContents()).toContain(HOSTILE_MODEL);
    expect(await page.getByTestId('conversation-title').allTextContents()).toEqual([TITLE]);
    expect(await page.getByTestId('conversation-heading').textContent()).toBe(TITLE);
    const text = (await page.locator('body').textContent()) ?? '';
    for (const [name, payload] of Object.entries(PAYLOADS)) {
      expect(text.includes(payload), `${name} is shown as text`).toBe(true);
    }

    // Nothing was interpreted: no dialog, no element or handler came from the content.
    const found = await injected(page);
    expect(found.added).toEqual([]);
    expect(found.handlers).toEqual([]);
    expect(found.jsLinks).toBe(0);
    expect(await page.locator('script').count()).toBe(scriptsBefore);
    expect(await timeline.locator('img, script, iframe, svg, a').count()).toBe(0);
    expect(await page.locator('img[src="x"], iframe, svg[onload]').count()).toBe(0);
    // Event handlers would have fired by now (an <img src=x> errors at once); give them time anyway.
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    // Control: the same payload parsed as HTML is caught by these checks.
    await page.evaluate((html) => {
      const div = document.createElement('div');
      div.innerHTML = html;
      document.body.append(div);
    }, IMG);
    await expect.poll(() => dialogs).toEqual(['alert: 1']);
    expect((await injected(page)).added).toEqual(['<img src="x" onerror="alert(1)">']);
    console.log(
      `hostile content: ${Object.keys(PAYLOADS).length} payloads in ${rows} timeline rows ` +
        `(messages, tool names/args/results/errors, summaries, model, title, id): ` +
        `0 dialogs, 0 injected elements, 0 on* attributes`,
    );
  });

  it('refuses malformed and hostile files with a clear error and writes nothing', async () => {
    const { doc } = await hostileDocument();
    const tampered = structuredClone(doc);
    tampered.events[2]!.seq = 0;
    const HUGE = 24 * 1024 * 1024;
    const files: { name: string; content: string; error: RegExp }[] = [
      {
        name: 'truncated.json',
        content: `{"format":"ai-session-manager","version":1,"sessions":[${IMG}`,
        error: /^Import failed: The conversation document is not valid JSON: /,
      },
      {
        name: 'wrong-shape.json',
        content: JSON.stringify({
          format: 'ai-session-manager',
          version: 1,
          conversationId: IMG,
          sessions: SCRIPT,
          events: [],
        }),
        error: /^Import failed: Invalid conversation document at sessions: /,
      },
      {
        name: 'foreign-format.json',
        content: JSON.stringify({ format: IFRAME, version: 1 }),
        error: /^Import failed: Invalid conversation document at format: expected "ai-session-manager", got /,
      },
      {
        name: 'tampered-seq.json',
        content: JSON.stringify(tampered),
        error:
          /^Import failed: Invalid conversation document at events\[2\]\.seq: seq 0 appears twice in segment "conv-<img/,
      },
      {
        name: 'huge-string.json',
        content: JSON.stringify(`${IMG}${'A'.repeat(HUGE)}`),
        error: /^Import failed: The conversation document must be an object\./,
      },
      {
        name: 'huge-garbage.json',
        content: `${SCRIPT}${'<'.repeat(HUGE)}`,
        error: /^Import failed: The conversation document is not valid JSON: /,
      },
    ];

    const context = await demo.newContext();
    await watchForInjection(context);
    const page = await openDemo(context, demo.url());
    const dialogs = recordDialogs(page);
    await sendMessage(page, 'Already here');
    const before = await storedRows(page);
    expect(before).toEqual({ sessions: 1, events: 2 });

    const errors: string[] = [];
    for (const { name, content, error } of files) {
      const file = join(dir, name);
      writeFileSync(file, content);
      const started = Date.now();
      await page.getByTestId('import-input').setInputFiles(file);
      const alert = page.getByTestId('import-error');
      await alert.waitFor();
      const message = (await alert.textContent())!.replace(/×$/, '');
      errors.push(
        `${name} (${(content.length / 1024).toFixed(0)} KB, ${Date.now() - started} ms): ${message}`,
      );
      expect(message, name).toMatch(error);
      // Clear: one bounded sentence naming the problem, not the file quoted back in full.
      expect(message.length, name).toBeLessThan(400);
      expect(await alert.getAttribute('role')).toBe('alert');
      expect(await page.getByTestId('import-notice').count()).toBe(0);
      await alert.getByRole('button', { name: 'Dismiss' }).click();
      await alert.waitFor({ state: 'detached' });
      rmSync(file);
    }
    // The refused files quoted hostile text back in their errors; it was shown as text.
    expect(errors.some((e) => e.includes(IFRAME))).toBe(true);

    expect(await storedRows(page)).toEqual(before);
    expect(await page.getByTestId('conversation-item').count()).toBe(1);
    expect(await page.getByTestId('message-text').allTextContents()).toEqual([
      'Already here',
      expect.any(String),
    ]);
    const found = await injected(page);
    expect(found).toEqual({ added: [], handlers: [], jsLinks: 0 });
    expect(dialogs).toEqual([]);
    console.log(`refused imports:\n  ${errors.join('\n  ')}`);
  });
});
