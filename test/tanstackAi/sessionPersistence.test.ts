import {
  EventSource,
  EventType,
  InvalidInputError,
  MemorySessionStore,
  tokenizerReady,
  type SessionStore,
} from '@ai-session-manager/core';
import { replyStatus } from '@ai-session-manager/core/chat';
import { sessionPersistence } from '@ai-session-manager/tanstack-ai';
import type { ChatClientPersistence, UIMessage } from '@tanstack/ai-client';
import { describe, expect, it, vi } from 'vitest';
import { chat, newStore, plain, reopen, storedEvents } from './harness';
import { words } from './scriptedModel';

const WRITES = [
  'appendEvent',
  'updateEvent',
  'updateSession',
  'ensureSession',
  'rollover',
  'deleteConversation',
];

/** A store that counts its write calls by method. */
function countingStore(
  inner: SessionStore,
): SessionStore & { writes: Record<string, number>; total(): number } {
  const writes: Record<string, number> = {};
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof key === 'string' && WRITES.includes(key) && typeof value === 'function') {
        return (...args: unknown[]) => {
          writes[key] = (writes[key] ?? 0) + 1;
          return value.apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return Object.assign(store, { writes, total: () => Object.values(writes).reduce((a, b) => a + b, 0) });
}

describe('sessionPersistence with TanStack ChatClient', () => {
  it('is a ChatClientPersistence', () => {
    const persistence = sessionPersistence({ store: new MemorySessionStore() });
    const typed: ChatClientPersistence = persistence satisfies ChatClientPersistence;
    expect(typeof typed.setItem).toBe('function');
  });

  it('records the user message and the streamed reply, one small write per flush', async () => {
    const store = countingStore(newStore());
    const persistence = sessionPersistence({ store, flushMs: 60_000 });
    const tokenizerWasCold = !tokenizerReady();
    const text = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    const perFlush: Array<Record<string, number>> = [];
    const { client } = chat(persistence, 'thread-stream', () => ({
      text,
      pause: {
        every: 10,
        // At each pause: flush what streamed so far, and count the writes that took, by method.
        wait: async () => {
          const before = { ...store.writes };
          await persistence.flush('thread-stream');
          const diff: Record<string, number> = {};
          for (const [method, n] of Object.entries(store.writes)) {
            if (n !== (before[method] ?? 0)) diff[method] = n - (before[method] ?? 0);
          }
          perFlush.push(diff);
        },
      },
    }));
    await client.sendMessage('Tell me fifty words');
    await persistence.flush('thread-stream');

    // The first pause also holds the conversation's creation, the user message and the reply's
    // first row (on a page whose tokenizer was still loading, also the user message's count
    // filled in after it was stored); after that, each flush of ten more deltas is one
    // updateEvent of the reply's row.
    expect(perFlush[0]).toMatchObject({ appendEvent: 2 });
    expect(perFlush[0]!.updateEvent).toBe(tokenizerWasCold ? 2 : 1);
    expect(perFlush.slice(1)).toEqual([
      { updateEvent: 1 },
      { updateEvent: 1 },
      { updateEvent: 1 },
      { updateEvent: 1 },
    ]);
    const events = await storedEvents(store, 'thread-stream');
    expect(events.map((e) => [e.source, e.type, e.message])).toEqual([
      [EventSource.USER, EventType.MESSAGE, 'Tell me fifty words'],
      [EventSource.LLM, EventType.MESSAGE, text],
    ]);
    expect(events[1]!.reply?.status).toBe('complete');
    expect(events[1]!.metadata.tanstackMessageId).toBe(client.getMessages()[1]!.id);
    expect(events[0]!.metadata.tanstackMessageId).toBe(client.getMessages()[0]!.id);
  });

  it('records the model the run names in its chunks; with none named, unknown and unpriced', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const { client } = chat(persistence, 'thread-model', (messages) =>
      messages.length === 1 ? { text: 'Named here.', model: 'gpt-4o' } : { text: 'Named nowhere.' },
    );
    await client.sendMessage('first');
    await client.sendMessage('second');
    await persistence.flush();
    const replies = (await storedEvents(store, 'thread-model')).filter((e) => e.source === EventSource.LLM);
    expect(replies.map((e) => e.tokenUsage?.model)).toEqual(['gpt-4o', 'unknown']);
    expect(replies[0]!.tokenUsage!.estimatedCostUsd).toBeGreaterThan(0);
    expect(replies[1]!.tokenUsage!.estimatedCostUsd).toBeNull();
    const manager = await persistence.manager('thread-model');
    expect((await manager.getStats()).unpricedTokens).toBeGreaterThan(0);
  });

  it("passes session.scrub to its managers: the user's text and the streamed reply are stored scrubbed", async () => {
    const store = new MemorySessionStore();
    const scrub = (t: string) => t.replaceAll('SECRET123', '[redacted]');
    const persistence = sessionPersistence({ store, session: { scrub } });
    const { client } = chat(persistence, 'thread-scrub', () => ({ text: 'Your key SECRET123 is revoked.' }));
    await client.sendMessage('Is SECRET123 valid?');
    await persistence.flush();
    const events = await storedEvents(store, 'thread-scrub');
    expect(events.map((e) => e.message)).toEqual(['Is [redacted] valid?', 'Your key [redacted] is revoked.']);
  });

  it('reloads the same messages with the same ids, dates and tool calls', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const { client } = chat(persistence, 'thread-reload', (messages) =>
      messages.length === 1
        ? {
            text: 'Let me compute that.',
            tool: { name: 'calculator', input: { expression: '6*7' }, output: { value: 42 } },
            after: ' It is 42.',
            usage: { promptTokens: 11, completionTokens: 9, totalTokens: 20 },
          }
        : { text: 'You are welcome.' },
    );
    await client.sendMessage('What is 6*7?');
    await client.sendMessage('Thanks');
    await persistence.flush();

    const { client: again } = await reopen(store, 'thread-reload');
    expect(plain(again.getMessages())).toEqual(plain(client.getMessages()));
    const [, reply] = again.getMessages();
    expect(reply!.parts.map((p) => p.type)).toEqual(['text', 'tool-call', 'tool-result', 'text']);

    const events = await storedEvents(store, 'thread-reload');
    const tool = events.find((e) => e.type === EventType.TOOL_CALL)!;
    expect(tool.message).toMatchObject({
      tool: 'calculator',
      arguments: { expression: '6*7' },
      result: { value: 42 },
      error: null,
    });
    // Linked to the text that asked for it. The first text is counted when the tool call arrives;
    // the run's provider usage goes on the last text less that count: the run is billed once.
    const texts = events.filter((e) => e.source === EventSource.LLM && e.type === EventType.MESSAGE);
    expect(tool.parentEventId).toBe(texts[0]!.id);
    const first = texts[0]!.tokenUsage!;
    expect(first.completionTokens).toBeGreaterThan(0);
    expect(texts[1]!.tokenUsage).toMatchObject({
      source: 'provider',
      promptTokens: 11,
      completionTokens: 9 - first.completionTokens,
      totalTokens: 20 - first.completionTokens,
    });
    const stats = await (await persistence.manager('thread-reload')).getStats();
    expect(stats).toMatchObject({ userMessages: 2, toolCalls: 1 });
    const run = texts.slice(0, 2).reduce((sum, e) => sum + e.tokenUsage!.completionTokens, 0);
    expect(run).toBe(9);
  });

  it('continues a reloaded thread without writing its old messages again', async () => {
    const store = countingStore(newStore());
    const first = sessionPersistence({ store });
    const { client } = chat(first, 'thread-continue', () => ({ text: 'One reply.' }));
    await client.sendMessage('First');
    await first.flush();

    const second = sessionPersistence({ store });
    const { client: again } = chat(second, 'thread-continue', () => ({ text: 'Second reply.' }));
    const stored = await second.getItem('thread-continue');
    await vi.waitFor(() => expect(again.getMessages().length).toBe(stored!.messages.length));
    await again.sendMessage('Second');
    await second.flush();
    const events = await storedEvents(store, 'thread-continue');
    expect(events.map((e) => e.message)).toEqual(['First', 'One reply.', 'Second', 'Second reply.']);
  });

  it('records regenerate as a new version of the reply; the old one stays', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    let n = 0;
    const { client } = chat(persistence, 'thread-regen', () => ({ text: `Answer number ${++n}` }));
    await client.sendMessage('Question');
    await client.reload();
    await persistence.flush();
    expect(client.getMessages().map((m) => m.parts[0])).toEqual([
      { type: 'text', content: 'Question' },
      { type: 'text', content: 'Answer number 2' },
    ]);

    const manager = await persistence.manager('thread-regen');
    const events = await storedEvents(store, 'thread-regen');
    const replies = events.filter((e) => e.source === EventSource.LLM);
    expect(replies.map((e) => e.message)).toEqual(['Answer number 1', 'Answer number 2']);
    const { versions, activeIndex } = await manager.getAlternatives(replies[1]!.id);
    expect(versions.map((v) => v.eventId)).toEqual([replies[0]!.id, replies[1]!.id]);
    expect(activeIndex).toBe(1);
    // The conversation as shown (and as sent to a model) follows the new version.
    expect((await manager.getConversation()).map((t) => t.content)).toEqual(['Question', 'Answer number 2']);

    const { client: again } = await reopen(store, 'thread-regen');
    expect(plain(again.getMessages())).toEqual(plain(client.getMessages()));
  });

  it('records an edit (list cut back, a new message sent) as a new version of the user message', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const { client } = chat(persistence, 'thread-edit', (messages) => ({
      text: `You said ${(messages[messages.length - 1]!.parts[0] as { content: string }).content}`,
    }));
    await client.sendMessage('Hello');
    await client.sendMessage('Bye');
    // An edit of "Bye" as TanStack apps do it: keep what came before, send the new text.
    client.setMessagesManually(client.getMessages().slice(0, 2));
    await client.sendMessage('Goodbye');
    await persistence.flush();

    const manager = await persistence.manager('thread-edit');
    expect((await manager.getConversation()).map((t) => t.content)).toEqual([
      'Hello',
      'You said Hello',
      'Goodbye',
      'You said Goodbye',
    ]);
    const events = await storedEvents(store, 'thread-edit');
    const bye = events.find((e) => e.message === 'Bye')!;
    const { versions } = await manager.getAlternatives(bye.id);
    expect(versions).toHaveLength(2);
    // Nothing stored is lost: the old branch is still there.
    expect(events.some((e) => e.message === 'You said Bye')).toBe(true);
    const { client: again } = await reopen(store, 'thread-edit');
    expect(plain(again.getMessages())).toEqual(plain(client.getMessages()));
  });

  it('a message removed from the middle of the list stays stored; the ones after it are not stored again', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const { client } = chat(persistence, 'thread-remove', (messages) => ({
      text: `Re: ${(messages[messages.length - 1]!.parts[0] as { content: string }).content}`,
    }));
    await client.sendMessage('one');
    await client.sendMessage('two');
    await persistence.flush();
    const before = await storedEvents(store, 'thread-remove');
    const [, firstReply] = client.getMessages();
    client.setMessagesManually(client.getMessages().filter((m) => m.id !== firstReply!.id));
    await client.sendMessage('three');
    await persistence.flush();
    const after = await storedEvents(store, 'thread-remove');
    // Nothing written twice: the two old messages after the removed one are not appended again.
    expect(after.map((e) => e.message)).toEqual([...before.map((e) => e.message), 'three', 'Re: three']);
    const { client: again } = await reopen(store, 'thread-remove');
    expect(again.getMessages().map((m) => (m.parts[0] as { content: string }).content)).toEqual([
      'one',
      'Re: one',
      'two',
      'Re: two',
      'three',
      'Re: three',
    ]);
  });

  it('keeps the text so far of a stopped reply, as aborted', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    let resolveStop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      resolveStop = resolve;
    });
    const { client } = chat(persistence, 'thread-stop', () => ({
      text: 'one two three four five six seven eight',
      pause: {
        every: 3,
        wait: async () => {
          resolveStop();
          await new Promise((r) => setTimeout(r, 5));
        },
      },
    }));
    const sending = client.sendMessage('Count');
    await stopped;
    client.stop();
    await sending;
    await persistence.flush();
    const events = await storedEvents(store, 'thread-stop');
    const reply = events.find((e) => e.source === EventSource.LLM)!;
    expect(reply.reply?.status).toBe('aborted');
    expect(reply.message).toBe(words('one two three').join(''));
  });

  it('leaves the text so far of a reply whose tab closed; it reads as interrupted after the lease', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store, flushMs: 60_000, leaseMs: 60_000 });
    let paused: () => void = () => {};
    const reached = new Promise<void>((resolve) => {
      paused = resolve;
    });
    const { client } = chat(persistence, 'thread-closed', () => ({
      text: 'partial answer here',
      hang: true,
      pause: { every: 3, wait: async () => paused() },
    }));
    void client.sendMessage('Start');
    await reached;
    // The stream waits after its third delta; the chat may still be applying that delta.
    await vi.waitFor(() =>
      expect(client.getMessages()[1]?.parts).toEqual([{ type: 'text', content: 'partial answer here' }]),
    );
    await persistence.flush('thread-closed');

    // Another tab reads the thread: the reply's text so far is there.
    const other = sessionPersistence({ store });
    const state = await other.getItem('thread-closed');
    expect(state!.messages.map((m) => m.parts)).toEqual([
      [{ type: 'text', content: 'Start' }],
      [{ type: 'text', content: 'partial answer here' }],
    ]);
    const reply = (await storedEvents(store, 'thread-closed')).find((e) => e.source === EventSource.LLM)!;
    expect(replyStatus(reply)).toBe('streaming');
    expect(replyStatus(reply, (reply.reply?.leaseUntil as number) + 1)).toBe('interrupted');
    client.stop();
  });

  it('rejects bad input with a clear error and writes nothing', async () => {
    const store = countingStore(new MemorySessionStore());
    const reported: unknown[] = [];
    // ChatClient swallows what setItem throws: onError is where an app hears about it.
    const persistence = sessionPersistence({ store, onError: (error) => reported.push(error) });
    const bad: Array<[unknown, RegExp]> = [
      [null, /state must be an object/],
      [{ messages: 'hello' }, /messages must be an array/],
      [{ messages: [{ id: '', role: 'user', parts: [] }] }, /messages\[0\]\.id must be a non-empty string/],
      [{ messages: [{ id: 'a', role: 'robot', parts: [] }] }, /messages\[0\]\.role/],
      [
        { messages: [{ id: 'a', role: 'user', parts: [{ type: 'text', content: 7 }] }] },
        /parts\[0\]\.content/,
      ],
      [
        {
          messages: [
            { id: 'a', role: 'user', parts: [] },
            { id: 'a', role: 'assistant', parts: [] },
          ],
        },
        /appears twice/,
      ],
    ];
    for (const [state, message] of bad) {
      expect(() => persistence.setItem('thread-bad', state as never)).toThrow(InvalidInputError);
      expect(() => persistence.setItem('thread-bad', state as never)).toThrow(message);
    }
    expect(() => persistence.setItem('', { messages: [] })).toThrow(/thread id/);
    expect(reported).toHaveLength(bad.length * 2 + 1);
    expect(reported.every((error) => error instanceof InvalidInputError)).toBe(true);
    await persistence.flush();
    expect(store.total()).toBe(0);
    expect(await store.getSession('thread-bad')).toBeUndefined();
  });

  it('removeItem (the chat cleared) deletes the conversation; the thread then starts afresh', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const { client } = chat(persistence, 'thread-clear', () => ({ text: 'Reply.' }));
    await client.sendMessage('Before');
    await persistence.flush();
    expect(await store.getSession('thread-clear')).toBeDefined();

    client.clear();
    await persistence.flush();
    expect(await store.getSession('thread-clear')).toBeUndefined();
    expect(await sessionPersistence({ store }).getItem('thread-clear')).toBeNull();

    await client.sendMessage('After');
    await persistence.flush();
    const state = await sessionPersistence({ store }).getItem('thread-clear');
    expect(state!.messages.map((m) => m.parts[0])).toEqual([
      { type: 'text', content: 'After' },
      { type: 'text', content: 'Reply.' },
    ]);
  });

  it('stores the resume snapshot on the conversation and hands it back', async () => {
    const store = new MemorySessionStore();
    const persistence = sessionPersistence({ store });
    const user: UIMessage = { id: 'u1', role: 'user', parts: [{ type: 'text', content: 'Hi' }] };
    const resume = { resumeState: { threadId: 'thread-resume', runId: 'run-1' } };
    persistence.setItem('thread-resume', { messages: [user], resume });
    await persistence.flush();
    expect(await sessionPersistence({ store }).getItem('thread-resume')).toMatchObject({ resume });
    persistence.setItem('thread-resume', { messages: [user] });
    await persistence.flush();
    expect(await sessionPersistence({ store }).getItem('thread-resume')).not.toHaveProperty('resume');
  });

  it('reads conversations recorded with core alone', async () => {
    const store = new MemorySessionStore();
    const persistence = sessionPersistence({ store });
    const manager = await persistence.manager('thread-core');
    await manager.userSays('Written by core');
    await manager.aiResponds('Answered by core');
    await manager.toolUsed('search', { q: 'x' }, ['a']);
    const state = await persistence.getItem('thread-core');
    expect(state!.messages.map((m) => [m.role, m.parts.map((p) => p.type)])).toEqual([
      ['user', ['text']],
      ['assistant', ['text', 'tool-call', 'tool-result']],
    ]);
  });
});

describe('sessionPersistence: run ends and tool replies', () => {
  it('regenerating a reply with a tool call keeps the old one complete and versions it', async () => {
    const store = new MemorySessionStore();
    const persistence = sessionPersistence({ store });
    let n = 0;
    const { client } = chat(persistence, 'thread-regen-tool', () => ({
      text: `Let me compute (${++n}).`,
      tool: { name: 'calculator', input: { expression: '6*7' }, output: { value: 42 } },
      after: ' It is 42.',
    }));
    await client.sendMessage('What is 6*7?');
    // At once, as a user clicking "regenerate" the moment the reply ends.
    await client.reload();
    await persistence.flush();
    const events = await storedEvents(store, 'thread-regen-tool');
    const texts = events.filter((e) => e.source === EventSource.LLM);
    expect(texts.map((e) => [e.message, e.reply?.status])).toEqual([
      ['Let me compute (1).', 'complete'],
      [' It is 42.', 'complete'],
      ['Let me compute (2).', 'complete'],
      [' It is 42.', 'complete'],
    ]);
    expect(texts[2]!.branch?.versionOf).toBe(texts[0]!.id);
    expect(events.filter((e) => e.type === EventType.TOOL_CALL)).toHaveLength(2);
    const { client: again } = await reopen(store, 'thread-regen-tool');
    expect(plain(again.getMessages())).toEqual(plain(client.getMessages()));
  });
});

describe('sessionPersistence: removeItem from ChatClient at startup', () => {
  it('ignores the removeItem ChatClient makes before getItem has hydrated it; a clear still deletes', async () => {
    const store = newStore();
    const first = sessionPersistence({ store });
    const { client } = chat(first, 'thread-startup', () => ({ text: 'Stored reply.' }));
    await client.sendMessage('Keep me');
    await first.flush();

    // A new tab: its ChatClient is stopped before the stored thread has loaded, which makes it
    // call removeItem (its state is empty and has no resume pointer).
    const second = sessionPersistence({ store });
    const removes = vi.spyOn(second, 'removeItem');
    const { client: again } = chat(second, 'thread-startup', () => ({ text: 'More.' }));
    again.stop();
    expect(removes).toHaveBeenCalled();
    await vi.waitFor(() => expect(again.getMessages()).toHaveLength(2));
    await second.flush();
    expect((await storedEvents(store, 'thread-startup')).map((e) => e.message)).toEqual([
      'Keep me',
      'Stored reply.',
    ]);

    again.clear();
    await second.flush();
    expect(await store.getSession('thread-startup')).toBeUndefined();
  });
});
