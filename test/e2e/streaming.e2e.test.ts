import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  messageTexts,
  openDemo,
  selectedConversation,
  sendMessage,
  setThresholds,
  statValue,
  waitForComposer,
} from './support/demoPage';
import { setupDemoHarness } from './support/harness';
import { ARTIFACTS } from './support/paths';

const demo = setupDemoHarness();

/**
 * The demo with test hooks (see apps/demo/src/testHooks.ts): the local responder waits
 * `replyDelayMs` between the words it streams, and a reply's lease is `leaseMs`.
 */
function demoUrl(hooks: { replyDelayMs?: number; leaseMs?: number }, hash = ''): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(hooks)) params.set(name, String(value));
  return `${demo.url()}?${params}${hash}`;
}

const lastReply = (page: Page) => page.locator('[data-testid="message-row"][data-role="assistant"]').last();

async function replyText(page: Page): Promise<string> {
  return (await lastReply(page).getByTestId('message-text').textContent()) ?? '';
}

/** Type a message and send it, without waiting for the answer. */
async function startMessage(page: Page, text: string): Promise<void> {
  await page.bringToFront();
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-send').click();
}

/** Wait until the newest reply is streaming with at least `minLength` characters stored. */
async function waitForStreamingText(page: Page, minLength = 1): Promise<string> {
  await page.waitForFunction((min) => {
    const rows = document.querySelectorAll('[data-testid="message-row"][data-role="assistant"]');
    const row = rows[rows.length - 1];
    const text = row?.querySelector('[data-testid="message-text"]')?.textContent ?? '';
    return row?.getAttribute('data-status') === 'streaming' && text.length >= min;
  }, minLength);
  return replyText(page);
}

async function waitForReplyStatus(page: Page, status: string): Promise<void> {
  await page.waitForFunction((expected) => {
    const rows = document.querySelectorAll('[data-testid="message-row"][data-role="assistant"]');
    return rows[rows.length - 1]?.getAttribute('data-status') === expected;
  }, status);
}

const assistantRows = (page: Page) => page.locator('[data-testid="message-row"][data-role="assistant"]');
const userRows = (page: Page) => page.locator('[data-testid="message-row"][data-role="user"]');

describe('demo: streamed replies, stop, regenerate, edit and branches (Chromium)', () => {
  it('a reply streams: the text grows on screen, then it is recorded once, complete', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demoUrl({ replyDelayMs: 80 }));
    await startMessage(page, 'Tell me something about rivers, mountains and valleys');

    const first = await waitForStreamingText(page);
    expect(await lastReply(page).getByTestId('message-status').textContent()).toBe('writing…');
    await page.screenshot({ path: join(ARTIFACTS, 'streaming.png') });
    // The question is recorded with the first chunk; the reply is not counted while it streams.
    expect(await userRows(page).count()).toBe(1);
    expect(await statValue(page, 'messages')).toBe(1);
    await expect.poll(() => page.getByTestId('stop-button').isVisible()).toBe(true);
    await waitForStreamingText(page, first.length + 1);

    await waitForReplyStatus(page, 'complete');
    const final = await replyText(page);
    expect(final.startsWith(first)).toBe(true);
    expect(final.length).toBeGreaterThan(first.length);
    await expect.poll(() => statValue(page, 'messages')).toBe(2);
    expect(await page.getByTestId('stop-button').count()).toBe(0);
    expect(await lastReply(page).getByTestId('message-status').count()).toBe(0);
  });

  it('Stop ends the reply: the partial text stays, marked stopped, and is counted', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demoUrl({ replyDelayMs: 150 }));
    await startMessage(page, 'Tell me something about rivers, mountains and valleys');
    await waitForStreamingText(page, 5);
    await page.getByTestId('stop-button').click();

    await waitForReplyStatus(page, 'aborted');
    expect(await lastReply(page).getByTestId('message-status').textContent()).toBe('stopped');
    const kept = await replyText(page);
    expect(kept.length).toBeGreaterThan(0);
    await page.waitForSelector('[data-testid="composer-status"][data-busy="false"]');
    await expect.poll(() => statValue(page, 'messages')).toBe(2);
    // Nothing more is written after Stop, also not after a reload.
    await page.reload();
    await waitForComposer(page);
    await waitForReplyStatus(page, 'aborted');
    expect(await replyText(page)).toBe(kept);
  });

  it('Regenerate writes a new version; the switcher shows 1 / 2 and 2 / 2 and flips between them', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demoUrl({ replyDelayMs: 5 }));
    await sendMessage(page, 'Hello there');
    const original = await replyText(page);

    await lastReply(page).getByTestId('regenerate-button').click();
    await expect.poll(() => replyText(page)).toMatch(/^Take 2: /);
    await waitForReplyStatus(page, 'complete');
    const regenerated = await replyText(page);
    expect(await lastReply(page).getByTestId('version-label').textContent()).toBe('2 / 2');
    // Only the active version is on the timeline.
    expect(await messageTexts(page)).toEqual(['Hello there', regenerated]);

    await lastReply(page).getByTestId('version-prev').click();
    await expect.poll(() => lastReply(page).getByTestId('version-label').textContent()).toBe('1 / 2');
    expect(await messageTexts(page)).toEqual(['Hello there', original]);
    await lastReply(page).getByTestId('version-next').click();
    await expect.poll(() => replyText(page)).toBe(regenerated);

    // The choice is stored: a reload shows the same version.
    await page.reload();
    await waitForComposer(page);
    await expect.poll(() => messageTexts(page)).toEqual(['Hello there', regenerated]);
  });

  it('Edit sends a new version of a message; what followed the old one stays on its branch', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demoUrl({ replyDelayMs: 5 }));
    await sendMessage(page, 'Hello there');
    await sendMessage(page, 'What is 2 + 2?');
    const before = await messageTexts(page);
    expect(await page.getByTestId('tool-call-row').count()).toBe(1);

    await userRows(page).first().getByTestId('edit-button').click();
    await page.getByTestId('edit-input').fill('What is 3 * 3?');
    await page.getByTestId('edit-save').click();
    await expect
      .poll(() => messageTexts(page))
      .toEqual(['What is 3 * 3?', '3 * 3 = 9. I worked that out with the calculator tool.']);
    await waitForReplyStatus(page, 'complete');
    expect(await userRows(page).first().getByTestId('version-label').textContent()).toBe('2 / 2');
    // The old branch's tool call is hidden with it; the new answer's is shown.
    await expect.poll(() => page.getByTestId('tool-call-row').count()).toBe(1);
    expect(await page.getByTestId('tool-call-result').textContent()).toContain('"value":9');

    await page.screenshot({ path: join(ARTIFACTS, 'versions.png') });
    await userRows(page).first().getByTestId('version-prev').click();
    await expect.poll(() => messageTexts(page)).toEqual(before);
    expect(await userRows(page).first().getByTestId('version-label').textContent()).toBe('1 / 2');
    expect(await page.getByTestId('tool-call-result').textContent()).toContain('"value":4');
  });

  it('a reload mid-reply shows the partial reply as interrupted: Resume as is keeps it, Discard drops it', async () => {
    const context = await demo.newContext();
    const url = demoUrl({ replyDelayMs: 200, leaseMs: 1500 });
    const page = await openDemo(context, url);
    await startMessage(page, 'Tell me something about rivers, mountains and valleys');
    const partial = await waitForStreamingText(page, 5);

    await page.reload();
    await waitForComposer(page);
    await waitForReplyStatus(page, 'interrupted');
    expect(await lastReply(page).getByTestId('message-status').textContent()).toBe('interrupted');
    const saved = await replyText(page);
    expect(saved.startsWith(partial)).toBe(true);
    await lastReply(page).getByTestId('resume-button').click();
    await waitForReplyStatus(page, 'complete');
    expect(await replyText(page)).toBe(saved);
    await expect.poll(() => statValue(page, 'messages')).toBe(2);

    await startMessage(page, 'And now something about the sea and its tides');
    await waitForStreamingText(page, 5);
    await page.reload();
    await waitForComposer(page);
    await waitForReplyStatus(page, 'interrupted');
    await lastReply(page).getByTestId('discard-button').click();
    // The discarded reply is gone; the question stays, and the conversation goes on.
    await expect.poll(() => assistantRows(page).count()).toBe(1);
    expect(await userRows(page).count()).toBe(2);
    expect(await statValue(page, 'messages')).toBe(3);
    await page.reload();
    await waitForComposer(page);
    await expect.poll(() => assistantRows(page).count()).toBe(1);
  });

  it('a second tab sees the reply grow, written in another tab, then complete', async () => {
    const context = await demo.newContext();
    const writer = await openDemo(context, demoUrl({ replyDelayMs: 120 }));
    await sendMessage(writer, 'Hello there');
    const hash = await writer.evaluate(() => window.location.hash);
    const reader = await openDemo(context, demoUrl({ replyDelayMs: 120 }, hash));
    await expect.poll(() => messageTexts(reader)).toHaveLength(2);

    await startMessage(writer, 'Tell me something about rivers, mountains and valleys');
    const first = await waitForStreamingText(reader);
    expect(await lastReply(reader).getByTestId('message-status').textContent()).toBe(
      'writing in another tab…',
    );
    // The reader cannot stop another tab's reply, nor act on it.
    expect(await reader.getByTestId('stop-button').count()).toBe(0);
    expect(await lastReply(reader).getByTestId('resume-button').count()).toBe(0);
    await waitForStreamingText(reader, first.length + 1);
    await writer.bringToFront();
    await waitForReplyStatus(reader, 'complete');
    expect(await replyText(reader)).toBe(await replyText(writer));
  });

  it('closing the writing tab mid-reply: the other tab shows it interrupted once the lease runs out, and can keep it', async () => {
    const context = await demo.newContext();
    const url = demoUrl({ replyDelayMs: 200, leaseMs: 1500 });
    const writer = await openDemo(context, url);
    await sendMessage(writer, 'Hello there');
    const hash = await writer.evaluate(() => window.location.hash);
    const reader = await openDemo(context, `${url}${hash}`);
    await expect.poll(() => messageTexts(reader)).toHaveLength(2);

    await startMessage(writer, 'Tell me something about rivers, mountains and valleys');
    await waitForStreamingText(reader, 5);
    // Gone without unload handlers, as a crashed or killed tab.
    await writer.close({ runBeforeUnload: false });

    await waitForReplyStatus(reader, 'interrupted');
    await reader.screenshot({ path: join(ARTIFACTS, 'interrupted.png') });
    const saved = await replyText(reader);
    expect(saved.length).toBeGreaterThan(0);
    await lastReply(reader).getByTestId('resume-button').click();
    await waitForReplyStatus(reader, 'complete');
    expect(await replyText(reader)).toBe(saved);
    await expect.poll(() => statValue(reader, 'messages')).toBe(4);
  });

  it('editing or regenerating a message in an older, summarized segment opens a new conversation with the history up to it', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demoUrl({ replyDelayMs: 5 }));
    await setThresholds(page, { maxTurnsPerSegment: 4 });
    await sendMessage(page, 'Hello, I am planning a trip to Lisbon');
    await sendMessage(page, 'What is 3 * 250 for three nights?');
    await sendMessage(page, 'Remind me what the hotel costs');
    await expect.poll(() => page.getByTestId('segment-card').count()).toBe(2);
    const original = await selectedConversation(page);
    const originalTexts = await messageTexts(page);

    // Versions in a closed segment are read-only; editing there branches into a new chat.
    await userRows(page).nth(1).getByTestId('edit-button').click();
    await page.getByTestId('edit-input').fill('What is 4 * 250 for four nights?');
    await page.getByTestId('edit-save').click();
    await expect.poll(() => selectedConversation(page)).not.toBe(original);
    expect(await page.getByTestId('fork-notice').textContent()).toContain('opened in a new conversation');
    await expect
      .poll(() => messageTexts(page))
      .toEqual([
        'Hello, I am planning a trip to Lisbon',
        originalTexts[1],
        'What is 4 * 250 for four nights?',
        '4 * 250 = 1,000. I worked that out with the calculator tool.',
      ]);
    await waitForReplyStatus(page, 'complete');
    await expect.poll(() => page.getByTestId('conversation-item').count()).toBe(2);

    // The original conversation is unchanged.
    await page.evaluate((id) => {
      window.location.hash = `#/c/${encodeURIComponent(id)}`;
    }, original);
    await expect.poll(() => messageTexts(page)).toEqual(originalTexts);

    // Regenerating a reply there forks too: a third conversation, where the new version streams.
    await page.getByTestId('fork-notice').getByRole('button', { name: 'Dismiss' }).click();
    await assistantRows(page).first().getByTestId('regenerate-button').click();
    await expect.poll(() => selectedConversation(page)).not.toBe(original);
    expect(await page.getByTestId('fork-notice').textContent()).toContain('Regenerated');
    await expect.poll(() => replyText(page)).toMatch(/^Take 2: /);
    await waitForReplyStatus(page, 'complete');
    expect((await messageTexts(page))[0]).toBe('Hello, I am planning a trip to Lisbon');
    await expect.poll(() => page.getByTestId('conversation-item').count()).toBe(3);
  });

  it('an OpenAI-compatible endpoint streams over SSE: usage from the last chunk; a failure mid-stream keeps the part, scrubbed', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demoUrl({}));
    const KEY = 'sk-test-secret-key-1234567890';
    const bodies: Record<string, unknown>[] = [];
    const sse = (events: unknown[]) =>
      events.map((e) => `data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`).join('');
    const delta = (content: string) => ({ choices: [{ index: 0, delta: { content } }] });
    await page.route('**/sse-v1/chat/completions', async (route) => {
      const body = route.request().postDataJSON() as {
        messages: { role: string; content: string }[];
        tools?: unknown[];
      };
      bodies.push(body);
      const last = body.messages[body.messages.length - 1]!;
      if (!body.tools) {
        await route.fulfill({ json: { choices: [{ message: { role: 'assistant', content: 'Summary.' } }] } });
        return;
      }
      const events = /break/i.test(last.content)
        ? [delta('Partial '), delta('answer '), { error: { message: `Overloaded (key ${KEY})` } }]
        : [
            delta('Streamed '),
            delta('over '),
            delta('SSE.'),
            {
              choices: [],
              usage: {
                prompt_tokens: 50,
                completion_tokens: 10,
                total_tokens: 60,
                prompt_tokens_details: { cached_tokens: 32 },
                completion_tokens_details: { reasoning_tokens: 4 },
              },
            },
            '[DONE]',
          ];
      await route.fulfill({ headers: { 'content-type': 'text/event-stream' }, body: sse(events) });
    });
    await page.getByTestId('settings-toggle').click();
    await page.getByTestId('settings-responder-openai').check();
    await page.getByTestId('settings-base-url').fill(`${demo.url()}sse-v1`);
    await page.getByTestId('settings-model').fill('gpt-4o-mini');
    await page.getByTestId('settings-api-key').fill(KEY);
    await page.getByTestId('settings-apply').click();

    await sendMessage(page, 'Hello endpoint');
    expect(bodies[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(await replyText(page)).toBe('Streamed over SSE.');
    expect(await lastReply(page).textContent()).toContain('10 tok');
    // Cached prompt and reasoning tokens the endpoint reported are counted in the stats.
    expect(await page.getByTestId('stat-cached').textContent()).toBe('32');
    expect(await page.getByTestId('stat-reasoning').textContent()).toBe('4');

    await sendMessage(page, 'Please break');
    await waitForReplyStatus(page, 'aborted');
    expect(await replyText(page)).toBe('Partial answer ');
    const reason = (await lastReply(page).getByTestId('message-abort-reason').textContent()) ?? '';
    expect(reason).toContain('Overloaded (key [redacted])');
    expect(reason).not.toContain(KEY);
    expect(await page.getByTestId('chat-notice').textContent()).toContain('The answer broke off');
    const stored = await page.evaluate(async () => {
      const open = indexedDB.open('ai-session-manager-demo');
      const db = await new Promise<IDBDatabase>((resolve) => {
        open.onsuccess = () => resolve(open.result);
      });
      const all = db.transaction('events').objectStore('events').getAll();
      return new Promise<string>((resolve) => {
        all.onsuccess = () => resolve(JSON.stringify(all.result));
      });
    });
    expect(stored).toContain('Overloaded (key [redacted])');
    expect(stored).not.toContain(KEY);
  });
});
