import { type ChatMessage, extractiveSummary } from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { createLocalResponder } from '../../apps/demo/src/localResponder';
import { collectReply } from '../../apps/demo/src/responder';

const asSystem = (summary: string): ChatMessage => ({
  role: 'system',
  content: `Summary of the conversation so far:\n${summary}`,
});

describe('local responder: what it says about its memory is true', () => {
  it('quotes the start the summary kept, and says how many messages the summary left out', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'Plan a trip to Lisbon' }];
    for (let i = 0; i < 200; i++)
      messages.push({ role: i % 2 ? 'user' : 'assistant', content: `Message ${i} ${'x'.repeat(80)}` });
    const summary = await extractiveSummary(messages);
    const reply = await collectReply(
      createLocalResponder({ delayMs: 1 }).stream({ text: 'Hello', history: [asSystem(summary)] }),
    );
    const dropped = /\((\d+) earlier messages are left out/.exec(summary)?.[1];
    expect(dropped).toBeDefined();
    expect(reply.text).toContain('keeps how this conversation started (“Plan a trip to Lisbon”)');
    expect(reply.text).toContain(`${dropped} older messages are left out of it`);
    expect(reply.text).not.toContain('I still know');
  });

  it('claims nothing it cannot check when the summary is not the built-in one', async () => {
    const reply = await collectReply(
      createLocalResponder({ delayMs: 1 }).stream({
        text: 'Hello',
        history: [asSystem('Free text by a model.')],
      }),
    );
    expect(reply.text).toContain('Earlier segments reach me only as a summary, not word for word.');
  });
});
