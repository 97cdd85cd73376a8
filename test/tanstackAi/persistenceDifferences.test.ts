// Issue 22: what TanStack AI's own ai-client tests found different from its built-in persistence,
// each read back through getItem (and a ChatClient) as the built-in adapters would give it.
import { sessionPersistence } from '@ai-session-manager/tanstack-ai';
import { ChatClient, type TextPart, type UIMessage } from '@tanstack/ai-client';
import { describe, expect, it, vi } from 'vitest';
import { newStore } from './harness';
import { scriptedConnection } from './scriptedModel';

const user = (id: string, content: string): UIMessage => ({
  id,
  role: 'user',
  parts: [{ type: 'text', content }],
});

/** A text part with metadata: TanStack's TextPart type has no `metadata`, its adapters keep it anyway. */
const textWith = (content: string, metadata: Record<string, unknown>): TextPart =>
  Object.assign<TextPart, object>({ type: 'text', content }, { metadata });

/** A persistence whose onError calls are collected. */
function persistenceWithErrors() {
  const errors: unknown[] = [];
  const persistence = sessionPersistence({ store: newStore(), onError: (error) => errors.push(error) });
  return { persistence, errors };
}

describe('sessionPersistence reads back what TanStack persistence would (issue 22)', () => {
  it('stores an assistant message holding only a tool-result part', async () => {
    const { persistence, errors } = persistenceWithErrors();
    const messages: UIMessage[] = [
      user('u1', 'run it'),
      {
        id: 'a1',
        role: 'assistant',
        parts: [{ type: 'tool-result', toolCallId: 'c1', content: 'ok', state: 'complete' }],
      },
    ];
    persistence.setItem('t-result', { messages });
    expect(await persistence.getItem('t-result')).toStrictEqual({ messages });
    expect(errors).toEqual([]);
  });

  it('keeps a tool-result part after text, and its createdAt as a Date', async () => {
    const { persistence } = persistenceWithErrors();
    const at = new Date('2026-01-02T03:04:05.000Z');
    const messages: UIMessage[] = [
      user('u1', 'go'),
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          { type: 'text', content: 'Here:' },
          { type: 'tool-result', toolCallId: 'c9', content: '{"n":1}', state: 'complete', createdAt: at },
        ],
      },
    ];
    persistence.setItem('t-result-date', { messages });
    expect(await persistence.getItem('t-result-date')).toStrictEqual({ messages });
  });

  it('keeps the metadata of parts, and text parts as the chat split them', async () => {
    const { persistence } = persistenceWithErrors();
    const messages: UIMessage[] = [
      { id: 'u1', role: 'user', parts: [textWith('hi', { lang: 'en' }), { type: 'text', content: 'there' }] },
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          textWith('ok', { source: { kind: 'doc', n: 2 } }),
          { type: 'text', content: ' and more' },
          {
            type: 'tool-call',
            id: 'c1',
            name: 'look',
            arguments: '{}',
            input: {},
            state: 'input-complete',
            output: 'seen',
          },
          {
            type: 'tool-result',
            toolCallId: 'c1',
            content: 'seen',
            state: 'complete',
            metadata: { cached: true },
          },
          textWith('done', { final: true }),
        ],
      },
    ];
    persistence.setItem('t-part-metadata', { messages });
    expect(await persistence.getItem('t-part-metadata')).toStrictEqual({ messages });
  });

  it('drops an invalid createdAt, and gives none to a message saved without one', async () => {
    const { persistence } = persistenceWithErrors();
    const at = new Date('2026-03-04T05:06:07.000Z');
    const messages: UIMessage[] = [
      { ...user('u1', 'no date') },
      { ...user('u2', 'invalid Date'), createdAt: new Date('not a date') },
      // What JSON storage or a hand-made list can hold, outside the type.
      { ...user('u3', 'invalid text'), createdAt: 'not a date' as unknown as Date },
      { ...user('u4', 'dated'), createdAt: at },
    ];
    persistence.setItem('t-dates', { messages });
    const read = (await persistence.getItem('t-dates'))!.messages;
    expect(read.map((m) => 'createdAt' in m)).toEqual([false, false, false, true]);
    expect(read[3]!.createdAt).toStrictEqual(at);
  });

  it('reads a thread saved as [] back as [], and one never saved as nothing', async () => {
    const { persistence, errors } = persistenceWithErrors();
    persistence.setItem('t-empty', { messages: [] });
    expect(await persistence.getItem('t-empty')).toStrictEqual({ messages: [] });
    expect(await persistence.getItem('t-never')).toBeNull();

    // Saved over a thread with messages, [] replaces them too.
    persistence.setItem('t-emptied', { messages: [user('u1', 'hi')] });
    await persistence.flush('t-emptied');
    persistence.setItem('t-emptied', { messages: [] });
    expect(await persistence.getItem('t-emptied')).toStrictEqual({ messages: [] });
    persistence.setItem('t-emptied', { messages: [user('u2', 'again')] });
    expect(await persistence.getItem('t-emptied')).toStrictEqual({ messages: [user('u2', 'again')] });
    expect(errors).toEqual([]);
  });

  it('an empty saved list wins over initialMessages; removeItem then deletes it', async () => {
    const { persistence } = persistenceWithErrors();
    persistence.setItem('t-empty-chat', { messages: [] });
    await persistence.flush('t-empty-chat');
    const client = new ChatClient({
      connection: persistence.connection(scriptedConnection(() => ({ text: 'hi' }))),
      persistence,
      threadId: 't-empty-chat',
      initialMessages: [user('i1', 'initial')],
    });
    await vi.waitFor(() => expect(client.getMessages()).toEqual([]));

    persistence.removeItem('t-empty-chat');
    expect(await persistence.getItem('t-empty-chat')).toBeNull();
  });
});

describe('every TanStack part is stored, whole and in place (issue 22)', () => {
  it('thinking, image, audio, document and structured output read back exactly, around text and tools', async () => {
    const { persistence, errors } = persistenceWithErrors();
    const image = {
      type: 'image',
      source: { type: 'data', value: 'iVBORw0KGgo=', mimeType: 'image/png' },
      metadata: { detail: 'low' },
    };
    const messages = [
      {
        id: 'u1',
        role: 'user',
        parts: [
          { type: 'text', content: 'Look at these' },
          image,
          {
            type: 'document',
            source: { type: 'url', value: 'https://example.com/a.pdf', mimeType: 'application/pdf' },
          },
          { type: 'audio', source: { type: 'data', value: 'UklGRg==', mimeType: 'audio/wav' } },
          { type: 'text', content: 'and answer.' },
        ],
      },
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          { type: 'thinking', content: 'I should call the tool first.' },
          {
            type: 'tool-call',
            id: 'c1',
            name: 'look',
            arguments: '{}',
            state: 'input-complete',
            output: { ok: true },
          },
          { type: 'tool-result', toolCallId: 'c1', content: '{"ok":true}', state: 'complete' },
          { type: 'thinking', content: 'Now answer.' },
          { type: 'text', content: 'A dot and a brief.' },
          { type: 'structured-output', data: { items: 2 } },
        ],
      },
      { id: 'a2', role: 'assistant', parts: [{ type: 'thinking', content: 'Only thinking here.' }] },
    ] as unknown as UIMessage[];
    persistence.setItem('t-multimodal', { messages });
    expect(await persistence.getItem('t-multimodal')).toStrictEqual({ messages });
    expect(errors).toEqual([]);
  });

  it('inline media bytes go to the Blob table (once) and count toward the context', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const image = { type: 'image', source: { type: 'data', value: png, mimeType: 'image/png' } };
    const messages = [
      { id: 'u1', role: 'user', parts: [{ type: 'text', content: 'What is it?' }, image] },
      { id: 'a1', role: 'assistant', parts: [{ type: 'text', content: 'A dot.' }, image] },
    ] as unknown as UIMessage[];
    persistence.setItem('t-blob', { messages });
    expect(await persistence.getItem('t-blob')).toStrictEqual({ messages });
    await persistence.flush();
    const rows = await store.db.events.toArray();
    // The question's bytes are a Blob; the reply (the last message: still live until a run ends
    // it) keeps them inline until it is finished, then they are the same Blob.
    const user = rows.find((r) => r.source === 'user')!;
    expect(JSON.stringify(user)).not.toContain(png);
    expect(await store.attachmentUsage()).toEqual({ count: 1, bytes: 70 });
    expect(user.tokenUsage!.mediaTokens).toBeGreaterThan(0);
  });
});
