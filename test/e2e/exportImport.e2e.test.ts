import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  messageTexts,
  openDemo,
  selectedConversation,
  sendMessage,
  setThresholds,
  statValue,
  waitForMessageCount,
} from './support/demoPage';
import { setupDemoHarness } from './support/harness';
import { ARTIFACTS } from './support/paths';

const demo = setupDemoHarness();

describe('export and import', () => {
  it('exports to a file and imports it: same ids into a fresh database, a copy with new ids next to the original', async () => {
    const context = await demo.newContext({ acceptDownloads: true });
    const page = await openDemo(context, demo.url());
    await setThresholds(page, { maxTurnsPerSegment: 2 });
    await sendMessage(page, 'Export me');
    await sendMessage(page, 'What is 2 ^ 10?');
    const id = await selectedConversation(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-button').click(),
    ]);
    const file = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(file);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc).toMatchObject({ format: 'ai-session-manager', version: 3, conversationId: id });
    expect(doc.sessions).toHaveLength(2);
    expect(doc.events.filter((e: { type: string }) => e.type === 'message')).toHaveLength(4);

    // 1. Into a fresh database (another context): the same conversation, same ids.
    const other = await demo.newContext();
    const fresh = await openDemo(other, demo.url());
    await fresh.getByTestId('import-input').setInputFiles(file);
    await fresh.getByTestId('import-notice').waitFor();
    await fresh.waitForFunction((expected) => window.location.hash === `#/c/${expected}`, id);
    await waitForMessageCount(fresh, 4);
    expect(await messageTexts(fresh)).toEqual(await messageTexts(page));
    expect(await statValue(fresh, 'segments')).toBe(2);
    expect(await statValue(fresh, 'tool-calls')).toBe(1);

    // 2. Into the database it came from: imported as a copy under fresh ids.
    await page.getByTestId('import-input').setInputFiles(file);
    const notice = page.getByTestId('import-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('imported as a copy');
    const copyId = await selectedConversation(page);
    expect(copyId).not.toBe(id);
    await waitForMessageCount(page, 4);
    expect(await statValue(page, 'segments')).toBe(2);
    await expect.poll(() => page.getByTestId('conversation-item').count()).toBe(2);
    // The copy is the newest conversation: first in the list.
    await expect
      .poll(() => page.getByTestId('conversation-title').allTextContents())
      .toEqual(['Export me (copy)', 'Export me']);
    // The notice sits in its own row: it does not cover the stats.
    const [noticeBox, statsBox] = [
      await notice.boundingBox(),
      await page.getByTestId('stats-bar').boundingBox(),
    ];
    expect(noticeBox!.y + noticeBox!.height).toBeLessThanOrEqual(statsBox!.y);
    expect(await page.getByTestId('stat-segments').isVisible()).toBe(true);

    // 3. A file that is not an export is refused with a clear error, and nothing is added.
    const bad = join(ARTIFACTS, 'not-an-export.json');
    writeFileSync(bad, JSON.stringify({ format: 'other' }));
    await page.getByTestId('import-input').setInputFiles(bad);
    const error = page.getByTestId('import-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Import failed/);
    expect(await page.getByTestId('conversation-item').count()).toBe(2);
  });
});
