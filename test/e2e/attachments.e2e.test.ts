// Attachments in the demo, in Chromium with real IndexedDB: an image attached in the composer
// (button and drag-and-drop) reaches a vision endpoint as an image part, shows in the timeline
// with its counted tokens, survives a reload, is seen by a second tab, travels through export →
// import into a fresh profile, and its Blob goes with the conversation. The endpoint streams
// reasoning (`reasoning_content`), shown collapsed above the reply and stored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDemo, selectedConversation, waitForMessageCount } from './support/demoPage';
import { setupDemoHarness } from './support/harness';
import { ARTIFACTS, ROOT } from './support/paths';

const demo = setupDemoHarness();
// A real 300×200 PNG made by Chromium's encoder (test/fixtures/images).
const PNG = readFileSync(join(ROOT, 'test/fixtures/images/solid-300x200.png'));

/** Blobs in the demo's attachments table (the page's own IndexedDB). */
function storedFiles(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('ai-session-manager-demo');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('attachments').objectStore('attachments').count();
          count.onsuccess = () => {
            resolve(count.result);
            db.close();
          };
        };
      }),
  );
}

describe('attachments in the demo', () => {
  it('an image goes to the vision endpoint, shows with its tokens, survives reload, export/import and a second tab; delete frees it', async () => {
    const context = await demo.newContext({ acceptDownloads: true });
    const page = await openDemo(context, demo.url());
    const requests: { messages: { role: string; content: unknown }[] }[] = [];
    await page.route('**/vision-v1/chat/completions', async (route) => {
      const body = route.request().postDataJSON();
      requests.push(body);
      const chunk = (delta: object) => `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`;
      await route.fulfill({
        headers: { 'content-type': 'text/event-stream' },
        body:
          chunk({ reasoning_content: 'The picture is one flat colour; ' }) +
          chunk({ reasoning_content: 'no objects in it.' }) +
          chunk({ content: 'A plain ' }) +
          chunk({ content: 'rectangle.' }) +
          'data: [DONE]\n\n',
      });
    });
    await page.getByTestId('settings-toggle').click();
    await page.getByTestId('settings-responder-openai').check();
    await page.getByTestId('settings-base-url').fill(`${demo.url()}vision-v1`);
    await page.getByTestId('settings-model').fill('gpt-4o');
    await page.getByTestId('settings-api-key').fill('sk-test-vision');
    await page.getByTestId('settings-apply').click();

    // Attach with the button (the file input) and by dropping a second copy on the composer.
    await page
      .getByTestId('composer-file-input')
      .setInputFiles({ name: 'flat.png', mimeType: 'image/png', buffer: PNG });
    const drop = await page.evaluateHandle((b64) => {
      const transfer = new DataTransfer();
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
      return transfer;
    }, PNG.toString('base64'));
    await page.dispatchEvent('[data-testid="composer"]', 'drop', { dataTransfer: drop });
    await expect.poll(() => page.getByTestId('composer-files').locator('li').count()).toBe(2);
    await page.getByTestId('composer-input').fill('What is in this picture?');
    await page.getByTestId('composer-send').click();
    await waitForMessageCount(page, 2);
    await page.waitForSelector('[data-testid="composer-status"][data-busy="false"]');

    // The endpoint got the image as an image part, beside the text.
    const last = requests[0]!.messages.at(-1)!;
    expect(last.role).toBe('user');
    expect(last.content).toEqual([
      { type: 'text', text: 'What is in this picture?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
    ]);
    const user = page.locator('[data-testid="message-row"][data-role="user"]');
    await expect.poll(() => user.getByTestId('message-image').count()).toBe(2);
    // gpt-4o's tile rule for 300×200 (one 512-px tile): 85 + 170 = 255 tokens each.
    expect(await user.getByTestId('media-tokens').textContent()).toContain('510 tok');
    const reasoning = page.getByTestId('message-reasoning');
    await reasoning.waitFor();
    expect(await reasoning.textContent()).toContain('no objects in it.');
    expect(await page.locator('[data-role="assistant"] [data-testid="message-text"]').textContent()).toBe(
      'A plain rectangle.',
    );
    await page.getByTestId('message-reasoning').locator('summary').click();
    await page.screenshot({ path: join(ARTIFACTS, 'attachments.png') });
    // One Blob for the two copies of the same bytes.
    expect(await storedFiles(page)).toBe(1);
    await expect.poll(() => page.getByTestId('storage-files').getAttribute('data-count')).toBe('1');

    // An edit of the question keeps its images: the new version holds them, and the endpoint gets them.
    await page.locator('[data-role="user"]').getByTestId('edit-button').click();
    await page.getByTestId('edit-input').fill('And now?');
    await page.getByTestId('edit-save').click();
    await expect.poll(() => requests.length).toBe(2);
    expect(JSON.stringify(requests[1]!.messages.at(-1)!.content)).toContain('image_url');
    await page.waitForSelector('[data-testid="composer-status"][data-busy="false"]');
    await expect.poll(() => page.locator('[data-role="user"]').getByTestId('message-image').count()).toBe(2);
    expect(await storedFiles(page)).toBe(1);

    // A second tab sees it; a reload keeps it (image, tokens, reasoning).
    const second = await context.newPage();
    await second.goto(page.url());
    await expect.poll(() => second.getByTestId('message-image').count()).toBe(2);
    await page.reload();
    await expect.poll(() => page.getByTestId('message-image').count()).toBe(2);
    expect(await page.getByTestId('message-reasoning').textContent()).toContain('one flat colour');
    await second.close();

    // Export → import into a fresh profile: the image comes along, checked against its hash.
    const id = await selectedConversation(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-button').click(),
    ]);
    const file = join(ARTIFACTS, 'attachments-export.json');
    await download.saveAs(file);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.attachments).toEqual([
      {
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        mediaType: 'image/png',
        size: PNG.length,
        included: true,
      },
    ]);
    const other = await demo.newContext();
    const fresh = await openDemo(other, demo.url());
    await fresh.getByTestId('import-input').setInputFiles(file);
    await fresh.waitForFunction((expected) => window.location.hash === `#/c/${expected}`, id);
    await expect.poll(() => fresh.getByTestId('message-image').count()).toBe(2);
    expect(await fresh.getByTestId('media-tokens').textContent()).toContain('510 tok');
    expect(await storedFiles(fresh)).toBe(1);
    await other.close();

    // Deleting the conversation frees the Blob.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('delete-conversation').click();
    await expect.poll(() => storedFiles(page)).toBe(0);
    await context.close();
  });
});
