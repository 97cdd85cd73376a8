// What the model is sent through `persistence.connection(…)`: the system prompt and, after a
// rollover, the cumulative summary as the request's `systemPrompts` (for the server's
// `chat({ systemPrompts })`), and the current segment's messages, not ChatClient's whole list.
import { sessionPersistence } from '@ai-session-manager/tanstack-ai';
import { describe, expect, it, vi } from 'vitest';
import { chat as chatClient, newStore, texts } from './harness';

async function send(client: ReturnType<typeof chatClient>['client'], text: string) {
  await client.sendMessage(text);
  await vi.waitFor(() => expect(client.getIsLoading()).toBe(false));
}

describe('the model gets the session prompt (issue 22)', () => {
  it('without a system prompt or rollover, the chat list and data go unchanged', async () => {
    const persistence = sessionPersistence({ store: newStore() });
    const { client, connection } = chatClient(persistence, 'p-plain', () => ({ text: 'ok' }));
    await send(client, 'one');
    await send(client, 'two');
    expect(texts(connection.requests[1]!)).toEqual(['one', 'ok', 'two']);
    expect((connection.data[1] as { systemPrompts?: unknown } | undefined)?.systemPrompts).toBeUndefined();
  });

  it('the system prompt as systemPrompts; after a rollover the summary too, and the current segment only', async () => {
    const persistence = sessionPersistence({
      store: newStore(),
      session: { systemPrompt: 'Be brief.', infiniteContext: true, maxTurnsPerSegment: 2 },
    });
    const { client, connection } = chatClient(persistence, 'p-rolled', (messages) => ({
      text: `answer to ${texts(messages).at(-1)}`,
    }));
    await send(client, 'one');
    expect(texts(connection.requests[0]!)).toEqual(['one']);
    expect(connection.data[0]).toMatchObject({ systemPrompts: ['Be brief.'] });
    await send(client, 'two');
    await send(client, 'three');
    expect(client.getMessages()).toHaveLength(6);
    expect(texts(connection.requests[2]!)).toEqual(['three']);
    expect(connection.data[2]).toMatchObject({
      systemPrompts: ['Be brief.', expect.stringMatching(/^Summary of the conversation[\s\S]*answer to two/)],
    });
  });
});
