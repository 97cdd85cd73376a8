import type { Page } from 'playwright-core';
import { expect } from 'vitest';

// The page of a useChat example (packages/ai-sdk/example, packages/tanstack-ai/example): both
// render [data-testid="message"] rows with data-role, a composer and a chat status.

/** Texts of the rendered messages, tool parts included, in order ("user: hi"). */
export function transcript(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="message"]', (messages) =>
    messages.map(
      (m) => `${m.getAttribute('data-role')}: ${(m.textContent ?? '').replace(/^(user|assistant)/, '')}`,
    ),
  );
}

export async function waitForTranscript(page: Page, expected: string[]): Promise<void> {
  await page
    .waitForFunction(
      (want) => {
        const got = [...document.querySelectorAll('[data-testid="message"]')].map(
          (m) => `${m.getAttribute('data-role')}: ${(m.textContent ?? '').replace(/^(user|assistant)/, '')}`,
        );
        return JSON.stringify(got) === JSON.stringify(want);
      },
      expected,
      { timeout: 15_000 },
    )
    .catch(async (error) => {
      // Say what the page shows instead.
      expect(await transcript(page)).toEqual(expected);
      throw error;
    });
}

/** Wait until the reply being streamed shows some text; resolves to that text (role label included). */
export async function partialReply(page: Page, before: number): Promise<string> {
  const partial = await page.waitForFunction(
    (count) => {
      const status = document.querySelector('[data-testid="chat-status"]')?.getAttribute('data-status');
      const reply = document.querySelectorAll('[data-testid="message"]')[count + 1]?.textContent ?? '';
      return status === 'streaming' && reply.length > 'assistant'.length ? reply : false;
    },
    before,
    { polling: 'raf' },
  );
  return (await partial.jsonValue()) as string;
}

/** Send `text`; resolves once the reply is complete, with how the reply looked while it streamed. */
export async function send(page: Page, text: string): Promise<{ partial: string }> {
  await page.bringToFront();
  const before = await page.getByTestId('message').count();
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-send').click();
  const partial = await partialReply(page, before);
  await page.waitForSelector('[data-testid="chat-status"][data-status="ready"]');
  return { partial };
}
