import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExampleServer, startAssistantUiExample } from './support/assistantUiExample';
import { launchChromium } from './support/chromium';
import { ARTIFACTS } from './support/paths';

// packages/assistant-ui/example in Debian Chromium: assistant-ui's LocalRuntime and thread list
// (useSessionThreadListRuntime), an offline model streaming word by word, every message and
// branch recorded in real IndexedDB. The open thread is in the URL (?thread=<id>).

let server: ExampleServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [server, browser] = await Promise.all([startAssistantUiExample(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The messages shown, each as its text plus its branch picker ("[2 / 2]") when it has one. */
function shown(page: Page): Promise<string[]> {
  return page.$$eval('.thread .message', (messages) =>
    messages.map((m) => {
      const text = m.querySelector('.bubble')?.textContent ?? '';
      const picker = m.querySelector('.branch-number')?.textContent?.replace(/\s+/g, ' ');
      return picker ? `${text} [${picker}]` : text;
    }),
  );
}

async function waitForShown(page: Page, expected: string[]): Promise<void> {
  await page
    .waitForFunction(
      (want) => {
        const got = [...document.querySelectorAll('.thread .message')].map((m) => {
          const text = m.querySelector('.bubble')?.textContent ?? '';
          const picker = m.querySelector('.branch-number')?.textContent?.replace(/\s+/g, ' ');
          return picker ? `${text} [${picker}]` : text;
        });
        return JSON.stringify(got) === JSON.stringify(want);
      },
      expected,
      { timeout: 15_000 },
    )
    .catch(async (error) => {
      expect(await shown(page)).toEqual(expected); // say what the page shows instead
      throw error;
    });
}

/** What the local model answers (example/localModel.ts). */
const reply = (text: string, take = 1) =>
  `You said ${text.split(' ').length} words: "${text}". That is all I know${take > 1 ? ` (take ${take})` : ''}, since I run offline in your browser.`;

/** The titles listed under `label` ("Threads" or "Archived threads"). */
function titles(page: Page, label: string): Promise<string[]> {
  return page.getByRole('list', { name: label, exact: true }).locator('.thread-title').allTextContents();
}

/** The end of the stored active branch: the root row's `state.activeLeafId`, read from IndexedDB (null: the newest message). */
function storedLeaf(page: Page, conversationId: string): Promise<string | null> {
  return page.evaluate(
    (id) =>
      new Promise<string | null>((resolve, reject) => {
        const open = indexedDB.open('assistant-ui-example');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('sessions').objectStore('sessions').get(id);
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            open.result.close();
            resolve((get.result?.state?.activeLeafId as string | null | undefined) ?? null);
          };
        };
      }),
    conversationId,
  );
}

/** The titles of the conversations stored as archived (root metadata), read from IndexedDB. */
function archivedTitles(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('assistant-ui-example');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('sessions').objectStore('sessions').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            open.result.close();
            const rows = all.result as { id: string; rootId: string; metadata: Record<string, unknown> }[];
            resolve(
              rows
                .filter((r) => r.id === r.rootId && r.metadata.archived === true)
                .map((r) => String(r.metadata.title)),
            );
          };
        };
      }),
  );
}

/** The stored assistant replies of the page's database: text and status. */
function storedReplies(page: Page): Promise<{ message: string; status: string | undefined }[]> {
  return page.evaluate(
    () =>
      new Promise<{ message: string; status: string | undefined }[]>((resolve, reject) => {
        const open = indexedDB.open('assistant-ui-example');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('events').objectStore('events').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            open.result.close();
            const events = all.result as {
              source: string;
              type: string;
              message: string;
              reply?: { status?: string };
            }[];
            resolve(
              events
                .filter((e) => e.source === 'llm' && e.type === 'message')
                .map((e) => ({ message: e.message, status: e.reply?.status })),
            );
          };
        };
      }),
  );
}

async function waitForIdle(page: Page): Promise<void> {
  await page.locator('.composer').getByText('Send').waitFor();
}

describe('assistant-ui example', () => {
  it('streams, branches by reload and edit, survives a reload on the selected branch, shows in a second tab live, and renames and archives in the list', async () => {
    const context = await browser!.newContext({ viewport: { width: 1100, height: 800 } });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${server!.url}?delay=60`);
      await page.getByLabel('Message', { exact: true }).fill('hello world');
      await page.locator('.composer').getByText('Send').click();

      // It streams: part of the reply is on screen (and Stop is offered) before the rest.
      const partial = await page.waitForFunction(
        () => {
          // (assistant-ui shows a "●" after the text of a message still running.)
          const bubble = (document.querySelector('.thread .message.assistant .bubble')?.textContent ?? '')
            .replace(/\s*●$/, '')
            .trim();
          const running = document.querySelector('.composer')?.textContent?.includes('Stop');
          return bubble.startsWith('You') && !bubble.endsWith('browser.') && running ? bubble : false;
        },
        undefined,
        { polling: 'raf' },
      );
      const seen = (await partial.jsonValue()) as string;
      expect(seen).toBe(reply('hello world').slice(0, seen.length));
      await waitForShown(page, ['hello world', reply('hello world')]);
      await waitForIdle(page);
      // The thread is a stored conversation, in the URL and in the list, titled from its first message.
      await page.waitForURL(/thread=/);
      const threadId = new URL(page.url()).searchParams.get('thread');
      expect(threadId).toMatch(/^[0-9a-f-]{36}$/);
      await expect.poll(() => titles(page, 'Threads')).toEqual(['hello world']);

      // Reload the reply: a second version.
      await page.locator('.message.assistant').getByText('Reload').click();
      await waitForShown(page, ['hello world', `${reply('hello world', 2)} [2 / 2]`]);
      await waitForIdle(page);
      // Edit the question: a second version of it, with its own reply.
      await page.locator('.message.user').getByText('Edit').click();
      await page.getByLabel('Edit message').fill('hello again');
      await page.getByText('Update').click();
      await waitForShown(page, ['hello again [2 / 2]', reply('hello again')]);
      await waitForIdle(page);
      // Back to the first question: its newest reply comes with it.
      await page.locator('.message.user').getByLabel('Previous version').click();
      const selected = ['hello world [1 / 2]', `${reply('hello world', 2)} [2 / 2]`];
      await waitForShown(page, selected);
      // The selection is stored (an older branch: the head row names its leaf).
      await expect.poll(() => storedLeaf(page, threadId!)).not.toBeNull();

      // A reload comes back to the same thread, on the same branch, with every version.
      await page.reload();
      await waitForShown(page, selected);
      await page.locator('.message.assistant').getByLabel('Previous version').click();
      await waitForShown(page, ['hello world [1 / 2]', `${reply('hello world')} [1 / 2]`]);
      await page.locator('.message.assistant').getByLabel('Next version').click();
      await waitForShown(page, selected);

      // A second tab opens the thread and finds the same tree and branch.
      const tab2 = await context.newPage();
      await tab2.goto(`${server!.url}?thread=${threadId}`);
      await waitForShown(tab2, selected);
      await tab2.locator('.message.user').getByLabel('Next version').click();
      await waitForShown(tab2, ['hello again [2 / 2]', reply('hello again')]);
      // Stored from this tab: the newest branch again (no leaf named).
      await expect.poll(() => storedLeaf(tab2, threadId!)).toBeNull();
      await expect.poll(() => titles(tab2, 'Threads')).toEqual(['hello world']);
      // A message sent in the second tab shows up in the first one, live, on that branch.
      await tab2.getByLabel('Message', { exact: true }).fill('from tab two');
      await tab2.locator('.composer').getByText('Send').click();
      const continued = ['hello again [2 / 2]', reply('hello again'), 'from tab two', reply('from tab two')];
      await waitForShown(tab2, continued);
      await waitForShown(page, continued);
      await tab2.close();

      // Rename and archive in the list; both survive a reload.
      await page.reload();
      await waitForShown(page, continued);
      const item = page.getByRole('list', { name: 'Threads', exact: true }).locator('.thread-item').first();
      await item.getByText('Rename').click();
      await item.getByLabel('Thread title').fill('Greetings');
      await item.getByText('Save').click();
      await expect.poll(() => titles(page, 'Threads')).toEqual(['Greetings']);
      await page.screenshot({ path: join(ARTIFACTS, 'assistant-ui-example.png') });
      await page
        .getByRole('list', { name: 'Threads', exact: true })
        .locator('.thread-item')
        .first()
        .getByText('Archive')
        .click();
      await expect.poll(() => titles(page, 'Archived threads')).toEqual(['Greetings']);
      // assistant-ui moves the thread at once; leave the page once the store holds the flag.
      await expect.poll(() => archivedTitles(page)).toEqual(['Greetings']);
      // A fresh page (no thread open) lists it among the archived ones only.
      await page.goto(server!.url);
      await expect.poll(() => titles(page, 'Archived threads')).toEqual(['Greetings']);
      expect(await titles(page, 'Threads')).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a reload in the middle of a reply keeps the text stored so far, and the thread goes on', async () => {
    const context = await browser!.newContext({ viewport: { width: 1100, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server!.url}?delay=150`);
      await page.getByLabel('Message', { exact: true }).fill('tell me a long story');
      await page.locator('.composer').getByText('Send').click();
      await page.waitForURL(/thread=/);
      // Wait until part of the reply is stored (it is written at most every 250 ms while it streams).
      await expect
        .poll(async () => (await storedReplies(page)).map((r) => [r.status, r.message.length > 0]), {
          timeout: 15_000,
        })
        .toEqual([['streaming', true]]);
      const full = reply('tell me a long story');
      await page.reload();
      // The reply as stored when the page went away: a beginning of the full text, not the whole of it.
      const [stored] = await storedReplies(page);
      expect(stored!.message.length).toBeGreaterThan(0);
      expect(stored!.message.length).toBeLessThan(full.length);
      expect(full.startsWith(stored!.message)).toBe(true);
      await waitForShown(page, ['tell me a long story', stored!.message]);
      // The thread goes on from there.
      await page.getByLabel('Message', { exact: true }).fill('and then?');
      await page.locator('.composer').getByText('Send').click();
      await waitForShown(page, ['tell me a long story', stored!.message, 'and then?', reply('and then?')]);
    } finally {
      await context.close();
    }
  });
});
