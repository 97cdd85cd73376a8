import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  longTasks,
  messageTexts,
  observeLongTasks,
  openDemo,
  selectedConversation,
  sendMessage,
  setThresholds,
  statValue,
  waitForComposer,
  waitForMessageCount,
} from './support/demoPage';
import { setupDemoHarness } from './support/harness';
import { ARTIFACTS, DEMO_SRC } from './support/paths';

const demo = setupDemoHarness();

describe('demo viewer in Chromium', () => {
  it('answers offline with the local responder, records a calculator tool call, and updates stats live', async () => {
    const context = await demo.newContext();
    await observeLongTasks(context);
    const page = await openDemo(context, demo.url());
    expect(await statValue(page, 'messages')).toBe(0);

    await sendMessage(page, 'Hello there');
    await sendMessage(page, 'What is (12 + 30) * 2?');

    const texts = await messageTexts(page);
    expect(texts[0]).toBe('Hello there');
    expect(texts[1]).toContain('offline responder');
    expect(texts[3]).toBe('(12 + 30) * 2 = 84. I worked that out with the calculator tool.');
    const tool = page.getByTestId('tool-call-row');
    await expect.poll(() => tool.count()).toBe(1);
    expect(await tool.getByTestId('tool-call-name').textContent()).toBe('calculator');
    expect(await tool.getByTestId('tool-call-result').textContent()).toContain('"value":84');

    expect(await statValue(page, 'messages')).toBe(4);
    await expect.poll(() => statValue(page, 'tool-calls')).toBe(1);
    expect(await statValue(page, 'tokens')).toBeGreaterThan(20);
    expect(await statValue(page, 'segments')).toBe(1);
    // The sidebar lists it under its first message.
    await expect
      .poll(() => page.getByTestId('conversation-title').allTextContents())
      .toEqual(['Hello there']);
    // For the record (not asserted): the rank table is built in core's tokenizer worker.
    console.log(
      `main-thread long tasks from page load to two answers: ${(await longTasks(page)).join(', ')} ms`,
    );
  });

  it('rolls over at the turn threshold: two segments with the summary bridging them', async () => {
    // Tall enough for the whole timeline in the screenshot.
    const context = await demo.newContext({ viewport: { width: 1360, height: 1340 } });
    const page = await openDemo(context, demo.url());
    await setThresholds(page, { maxTurnsPerSegment: 4 });

    await sendMessage(page, 'Hello, I am planning a trip to Lisbon');
    await sendMessage(page, 'What is 3 * 250 for three nights?');
    // Segment 1 is full (4 messages): this message starts segment 2.
    await sendMessage(page, 'Remind me what the hotel costs');

    const cards = page.getByTestId('segment-card');
    await expect.poll(() => cards.count()).toBe(2);
    expect(await statValue(page, 'segments')).toBe(2);
    expect(await cards.nth(0).getAttribute('data-segment-index')).toBe('0');
    expect(await cards.nth(1).getAttribute('data-segment-index')).toBe('1');
    expect(await cards.nth(0).getByTestId('segment-turn-bar').textContent()).toContain('4 / 4 messages');

    // Timeline order: segment 1, its events, the summary, segment 2.
    const order = await page.$$eval('.timeline__row', (rows) =>
      rows.map((row) => row.className.match(/timeline__row--(segment|message|tool|summary)/)?.[1]),
    );
    expect(order).toEqual([
      'segment',
      'message',
      'message',
      'message',
      'tool',
      'message',
      'summary',
      'segment',
      'message',
      'message',
    ]);
    const summary = await page.getByTestId('summary-text').textContent();
    expect(summary).toContain('Lisbon');
    expect(await page.getByTestId('summary-bridge').textContent()).toContain('segment 1 → 2');

    await page.getByTestId('composer-input').blur();
    await page.screenshot({ path: join(ARTIFACTS, 'timeline.png') });
  });

  it('rolls over at the token threshold too, and the bar shows the segment full', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demo.url());
    await setThresholds(page, { tokenThreshold: 30 });
    await sendMessage(page, 'Hello, a first message to fill the segment');
    const bar = page.getByTestId('segment-token-bar').first();
    expect(await bar.locator('.meter__track').getAttribute('class')).toContain('meter__track--full');
    expect(await bar.textContent()).toMatch(/\/ 30 tokens/);
    await sendMessage(page, 'Second');
    await expect.poll(() => page.getByTestId('segment-card').count()).toBe(2);
    expect(await page.getByTestId('summary-bridge').count()).toBe(1);
  });

  it('finds every segment, message, tool call and stat again after a reload', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demo.url());
    await setThresholds(page, { maxTurnsPerSegment: 2 });
    await sendMessage(page, 'First message');
    await sendMessage(page, 'Compute 6 * 7');
    await sendMessage(page, 'Third message');
    const id = await selectedConversation(page);
    const before = {
      texts: await messageTexts(page),
      tokens: await statValue(page, 'tokens'),
      segments: await statValue(page, 'segments'),
    };
    expect(before.segments).toBe(3);

    await page.reload();
    await waitForComposer(page);
    await waitForMessageCount(page, 6);
    expect(await selectedConversation(page)).toBe(id);
    expect(await messageTexts(page)).toEqual(before.texts);
    expect(await statValue(page, 'tokens')).toBe(before.tokens);
    expect(await statValue(page, 'segments')).toBe(3);
    expect(await statValue(page, 'tool-calls')).toBe(1);
    expect(await page.getByTestId('segment-card').count()).toBe(3);
    expect(await page.getByTestId('summary-bridge').count()).toBe(2);
    // The thresholds (not secret) survive the reload too.
    expect(await page.getByTestId('segment-turn-bar').first().textContent()).toContain('/ 2 messages');

    // And the conversation continues in the newest segment.
    await sendMessage(page, 'Fourth message');
    expect(await statValue(page, 'segments')).toBe(4);
  });

  it('shows a message written in another tab live, without a reload', async () => {
    const context = await demo.newContext();
    const first = await openDemo(context, demo.url());
    await sendMessage(first, 'Written in the first tab');
    const id = await selectedConversation(first);

    const second = await context.newPage();
    await second.goto(`${demo.url()}#/c/${id}`);
    await waitForComposer(second);
    await waitForMessageCount(second, 2);

    await sendMessage(first, 'A new message, 2 + 2');
    await waitForMessageCount(second, 4, 10_000);
    expect(await messageTexts(second)).toContain('A new message, 2 + 2');
    expect(await statValue(second, 'tool-calls')).toBe(1);
    // The sidebar of the second tab follows as well.
    await expect.poll(() => second.getByTestId('conversation-item').count()).toBe(1);
  });

  it('renders a hostile message as text: no dialog, no injected element', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demo.url());
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const hostile = '<img src=x onerror=alert(1)>';
    await sendMessage(page, hostile);
    await sendMessage(page, '<script>alert(2)</script><b>bold?</b>');

    const texts = await messageTexts(page);
    expect(texts[0]).toBe(hostile);
    expect(texts[2]).toBe('<script>alert(2)</script><b>bold?</b>');
    const injected = await page.$$eval(
      '[data-testid="timeline"] img, [data-testid="timeline"] script, [data-testid="timeline"] b',
      (els) => els.length,
    );
    expect(injected).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    // The sidebar title is text too.
    expect(await page.getByTestId('conversation-title').textContent()).toBe(hostile);
  });

  it('has no HTML sinks in the demo source (no dangerouslySetInnerHTML, innerHTML…)', () => {
    const sources = readdirSync(DEMO_SRC, { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.tsx?$/.test(f),
    );
    expect(sources.length).toBeGreaterThan(10);
    const sinks =
      /dangerouslySetInnerHTML|\.innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment/;
    const offenders = sources.filter((file) => sinks.test(readFileSync(join(DEMO_SRC, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('deletes a conversation from the sidebar', async () => {
    const context = await demo.newContext();
    const page = await openDemo(context, demo.url());
    page.on('dialog', (dialog) => void dialog.accept());
    await sendMessage(page, 'Keep me');
    await page.getByTestId('new-conversation').click();
    await page.getByTestId('conversation-unsaved').waitFor();
    await sendMessage(page, 'Delete me');
    await expect.poll(() => page.getByTestId('conversation-item').count()).toBe(2);

    await page
      .locator('[data-testid="conversation-item"][aria-current="true"] [data-testid="delete-conversation"]')
      .click();
    await expect.poll(() => page.getByTestId('conversation-title').allTextContents()).toEqual(['Keep me']);
    await waitForMessageCount(page, 2);
    expect(await messageTexts(page)).toContain('Keep me');
  });
});

describe('OpenAI-compatible endpoint', () => {
  it('answers through the endpoint with tool calls and summaries, and keeps the key in memory only', async () => {
    const context = await demo.newContext({ acceptDownloads: true });
    const page = await openDemo(context, demo.url());
    const KEY = 'sk-test-secret-key-1234567890';
    const authorizations: string[] = [];
    /** How the fake endpoint fails its next requests: a 401 that repeats the key, a dropped connection. */
    let failReplies: 'auth' | 'network' | null = null;
    let failSummaries = false;
    // A fake endpoint on the demo's own origin: the test never needs a network.
    await page.route('**/fake-v1/chat/completions', async (route) => {
      authorizations.push(route.request().headers().authorization ?? '');
      const body = route.request().postDataJSON() as {
        model: string;
        messages: { role: string; content: string }[];
        tools?: unknown[];
      };
      const last = body.messages[body.messages.length - 1]!;
      if (
        (body.tools && failReplies === 'network') ||
        (!body.tools && failSummaries && failReplies === 'network')
      ) {
        await route.abort('failed');
        return;
      }
      if ((body.tools && failReplies === 'auth') || (!body.tools && failSummaries)) {
        await route.fulfill({
          status: 401,
          json: { error: { message: `Incorrect API key provided: ${KEY}` } },
        });
        return;
      }
      const usage = { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 };
      let message: Record<string, unknown>;
      if (!body.tools) message = { role: 'assistant', content: 'Summary written by the endpoint.' };
      else if (last.role === 'tool')
        message = { role: 'assistant', content: `The answer is ${JSON.parse(last.content).value}.` };
      else if (/\d/.test(last.content)) {
        message = {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'calculator', arguments: '{"expression":"6*7"}' },
            },
          ],
        };
      } else message = { role: 'assistant', content: `Echo from ${body.model}: ${last.content}` };
      await route.fulfill({ json: { id: 'cmpl-1', choices: [{ index: 0, message }], usage } });
    });

    await page.getByTestId('settings-toggle').click();
    await page.getByTestId('settings-max-turns').fill('2');
    await page.getByTestId('settings-responder-openai').check();
    await page.getByTestId('settings-base-url').fill(`${demo.url()}fake-v1`);
    await page.getByTestId('settings-model').fill('gpt-4o-mini');
    await page.getByTestId('settings-api-key').fill(KEY);
    await page.getByTestId('settings-apply').click();

    await sendMessage(page, 'Hello endpoint');
    await sendMessage(page, 'What is 6*7?');
    const texts = await messageTexts(page);
    expect(texts).toContain('Echo from gpt-4o-mini: Hello endpoint');
    expect(texts).toContain('The answer is 42.');
    expect(await page.getByTestId('tool-call-result').textContent()).toContain('"value":42');
    expect(authorizations.every((a) => a === `Bearer ${KEY}`)).toBe(true);
    // Rolling over at 2 messages asked the endpoint for the summary.
    expect(await page.getByTestId('summary-text').textContent()).toBe('Summary written by the endpoint.');
    expect(await page.getByTestId('summary-bridge').textContent()).toContain('callback');
    // Provider-reported usage for a priced model: tokens and a cost.
    expect(await statValue(page, 'cost')).toBeGreaterThan(0);

    // A failed call: the reason names the URL and the cause, never the key; nothing is recorded
    // or charged, and Retry answers the same message (no two user turns in a row).
    const url = `${demo.url()}fake-v1/chat/completions`;
    const before = { messages: await statValue(page, 'messages'), cost: await statValue(page, 'cost') };
    failReplies = 'auth';
    await page.getByTestId('composer-input').fill('Fail please');
    await page.getByTestId('composer-send').click();
    const failure = page.getByTestId('pending-error');
    await failure.waitFor();
    const reason = (await failure.textContent())!;
    expect(reason).toContain(`${url} answered 401: Incorrect API key provided: [redacted].`);
    expect(reason).toContain('The endpoint refused the API key');
    expect(reason).not.toContain(KEY);
    expect(await page.getByTestId('pending-text').textContent()).toBe('Fail please');
    expect(await statValue(page, 'messages')).toBe(before.messages);
    expect(await statValue(page, 'cost')).toBe(before.cost);
    expect(await messageTexts(page)).not.toContain('Fail please');
    // Sending another message first is refused, with the reason.
    await page.getByTestId('composer-input').fill('Another one');
    await page.getByTestId('composer-input').press('Enter');
    expect(await page.getByTestId('composer-notice').textContent()).toContain('Retry it, or Edit it');
    expect(await statValue(page, 'messages')).toBe(before.messages);

    // The network drops (offline, or CORS): said so, with the URL.
    failReplies = 'network';
    await page.getByTestId('retry-button').click();
    await expect.poll(() => failure.textContent()).toContain(`Could not reach ${url}`);
    expect(await failure.textContent()).toContain('(CORS)');

    // Back up: Retry records the question and its answer. The rollover it triggers asks for a
    // summary, which fails with a 401 that repeats the key: the built-in summary is used and the
    // stored reason is scrubbed.
    failReplies = null;
    failSummaries = true;
    await page.getByTestId('retry-button').click();
    await waitForMessageCount(page, before.messages + 2);
    await page.getByTestId('pending-message').waitFor({ state: 'detached' });
    const after = await messageTexts(page);
    expect(after.slice(-2)).toEqual(['Fail please', 'Echo from gpt-4o-mini: Fail please']);
    const roles = await page
      .getByTestId('message-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-role')));
    for (let i = 1; i < roles.length; i++) expect(roles[i], `message ${i}`).not.toBe(roles[i - 1]);
    await expect.poll(() => page.getByTestId('summary-bridge').count()).toBe(2);
    const fallback = (await page.getByTestId('summary-bridge').nth(1).textContent())!;
    expect(fallback).toContain('Summarizer failed, used the built-in summary:');
    expect(fallback).toContain('answered 401: Incorrect API key provided: [redacted]');
    expect(fallback).not.toContain(KEY);

    // The export does not carry it either.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-button').click(),
    ]);
    const exported = join(ARTIFACTS, 'endpoint-export.json');
    await download.saveAs(exported);
    const exportedText = readFileSync(exported, 'utf8');
    expect(exportedText).toContain('[redacted]');
    expect(exportedText).not.toContain(KEY);

    // The key is nowhere in storage: not localStorage, sessionStorage, cookies or IndexedDB.
    const stored = await page.evaluate(async () => {
      const dump: string[] = [
        JSON.stringify({ ...localStorage }),
        JSON.stringify({ ...sessionStorage }),
        document.cookie,
      ];
      for (const info of await indexedDB.databases()) {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(info.name!);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        for (const name of Array.from(db.objectStoreNames)) {
          const rows = await new Promise<unknown[]>((resolve, reject) => {
            const request = db.transaction(name).objectStore(name).getAll();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          dump.push(JSON.stringify(rows));
        }
        db.close();
      }
      return dump.join('\n');
    });
    expect(stored).toContain('The answer is 42.');
    expect(stored).toContain('summaryError');
    expect(stored).not.toContain(KEY);

    // After a reload the key is gone and the local responder answers again.
    await page.reload();
    await waitForComposer(page);
    await sendMessage(page, 'Back to local');
    expect((await messageTexts(page)).at(-2)).toBe('Back to local');
    expect(await page.getByTestId('composer-status').textContent()).toContain('local-responder');
  });
});
