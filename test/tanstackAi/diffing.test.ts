import { EventSource } from '@ai-session-manager/core';
import { sessionPersistence } from '@ai-session-manager/tanstack-ai';
import { toolDefinition } from '@tanstack/ai';
import { ChatClient } from '@tanstack/ai-client';
import { describe, expect, it, vi } from 'vitest';
import { chat, newStore, plain, reopen, storedEvents, texts } from './harness';
import { scriptedConnection, words } from './scriptedModel';

const replies = async (store: Parameters<typeof storedEvents>[0], threadId: string) =>
  (await storedEvents(store, threadId)).filter((e) => e.source === EventSource.LLM);

/**
 * A chat on `threadId` that asks "Count" and is stopped once the answer's first two words are
 * out; the next request answers `next`. `sending` is the stopped send.
 */
async function stoppedAfterTwoWords(threadId: string, next: string) {
  const store = newStore();
  const persistence = sessionPersistence({ store });
  let n = 0;
  let stopNow: () => void = () => {};
  const reached = new Promise<void>((resolve) => {
    stopNow = resolve;
  });
  const { client } = chat(persistence, threadId, () =>
    ++n === 1
      ? { text: 'one two three four five six', pause: { every: 2, wait: async () => stopNow() } }
      : { text: next },
  );
  const sending = client.sendMessage('Count');
  await reached;
  // At once: the stream goes on after the pause, and a later stop would keep more words.
  client.stop();
  return { store, persistence, client, sending };
}

describe('sessionPersistence: what a reload shows after edits, stops and late data', () => {
  it('metadata that arrives with the end of a reply (usage, model) is stored, and its usage counted', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const usage = { promptTokens: 30, completionTokens: 7, totalTokens: 37 };
    const { client } = chat(persistence, 'thread-late-meta', () => ({
      text: 'A reply with late metadata.',
      endMetadata: { usage, model: 'gpt-4o-mini' },
    }));
    await client.sendMessage('Hi');
    await persistence.flush();
    expect(client.getMessages()[1]!.metadata).toMatchObject({ usage });
    const { client: again } = await reopen(store, 'thread-late-meta');
    expect(plain(again.getMessages())).toEqual(plain(client.getMessages()));
    const [reply] = await replies(store, 'thread-late-meta');
    expect(reply!.tokenUsage).toMatchObject(usage);
  });

  it('a run that fails (RUN_ERROR) keeps its text so far, as aborted; the chat goes on after it', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    let n = 0;
    const { client } = chat(persistence, 'thread-run-error', () =>
      ++n === 1 ? { text: 'Half an answer', error: 'provider overloaded' } : { text: 'A whole answer.' },
    );
    await client.sendMessage('First');
    await client.sendMessage('Second');
    await persistence.flush();
    const { client: again } = await reopen(store, 'thread-run-error');
    expect(texts(again.getMessages())).toEqual(texts(client.getMessages()));
    const stored = await replies(store, 'thread-run-error');
    expect(stored.map((e) => [e.message, e.reply?.status])).toEqual([
      ['Half an answer', 'aborted'],
      ['A whole answer.', 'complete'],
    ]);
  });

  it('stop() mid-reply, then reload(): the stopped text stays, the new reply is shown', async () => {
    const { store, persistence, client, sending } = await stoppedAfterTwoWords(
      'thread-stop-regen',
      'A fresh answer.',
    );
    await sending;
    await client.reload();
    await persistence.flush();
    const { client: again } = await reopen(store, 'thread-stop-regen');
    expect(plain(again.getMessages())).toEqual(plain(client.getMessages()));
    const stored = await replies(store, 'thread-stop-regen');
    expect(stored.map((e) => e.reply?.status)).toEqual(['aborted', 'complete']);
    expect(stored[0]!.message).toBe(words('one two').join(''));
    const stats = await (await persistence.manager('thread-stop-regen')).getStats();
    expect(stats.userMessages).toBe(1);
  });

  it('reload() right after stop(): the new reply is stored and shown after a reload', async () => {
    const { store, persistence, client, sending } = await stoppedAfterTwoWords(
      'thread-stop-reload',
      'Again, whole.',
    );
    const reloading = client.reload();
    await Promise.all([sending, reloading]);
    await persistence.flush();
    const { client: again } = await reopen(store, 'thread-stop-reload');
    expect(plain(again.getMessages())).toEqual(plain(client.getMessages()));
    const stored = await replies(store, 'thread-stop-reload');
    expect(stored.at(-1)!.reply?.status).toBe('complete');
  });

  it('an edit of the first message (the list set to empty, then a send): a version, nothing deleted', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const { client } = chat(persistence, 'thread-edit-first', (messages) => ({
      text: `Re: ${texts(messages).at(-1)}`,
    }));
    await client.sendMessage('one');
    await client.sendMessage('two');
    await persistence.flush();
    // ChatClient hands an empty list over as removeItem, the same call clear() makes.
    client.setMessagesManually([]);
    await client.sendMessage('ONE');
    await persistence.flush();
    const { client: again } = await reopen(store, 'thread-edit-first');
    expect(texts(again.getMessages())).toEqual(['ONE', 'Re: ONE']);
    const manager = await persistence.manager('thread-edit-first');
    const events = await storedEvents(store, 'thread-edit-first');
    expect(events.map((e) => e.message)).toEqual(['one', 'Re: one', 'two', 'Re: two', 'ONE', 'Re: ONE']);
    const one = events.find((e) => e.message === 'one')!;
    const { versions, activeIndex } = await manager.getAlternatives(one.id);
    expect(versions).toHaveLength(2);
    expect(activeIndex).toBe(1);
  });

  it('clear() still deletes the thread', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const { client } = chat(persistence, 'thread-clear-later', () => ({ text: 'Fine.' }));
    await client.sendMessage('one');
    await persistence.flush();
    client.clear();
    await persistence.flush();
    expect(await sessionPersistence({ store }).getItem('thread-clear-later')).toBeNull();
  });

  it('an edit of an older user message: a new version there, what followed stays on the old branch', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const { client } = chat(persistence, 'thread-edit-old', (messages) => ({
      text: `Re: ${texts(messages).at(-1)}`,
    }));
    await client.sendMessage('one');
    await client.sendMessage('two');
    await client.sendMessage('three');
    client.setMessagesManually(client.getMessages().slice(0, 2));
    await client.sendMessage('TWO');
    await persistence.flush();
    const { client: again } = await reopen(store, 'thread-edit-old');
    expect(plain(again.getMessages())).toEqual(plain(client.getMessages()));
    const manager = await persistence.manager('thread-edit-old');
    const events = await storedEvents(store, 'thread-edit-old');
    const two = events.find((e) => e.message === 'two')!;
    expect((await manager.getAlternatives(two.id)).versions).toHaveLength(2);
    expect(events.some((e) => e.message === 'three')).toBe(true);
  });

  it('several quick runs, their lists coalescing, are each stored once and whole', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const { client } = chat(persistence, 'thread-fast', (messages) => ({
      text: `Reply to ${texts(messages).at(-1)}`,
    }));
    for (let i = 0; i < 5; i++) await client.sendMessage(`m${i}`);
    await persistence.flush();
    const { client: again } = await reopen(store, 'thread-fast');
    expect(plain(again.getMessages())).toEqual(plain(client.getMessages()));
    const stored = await replies(store, 'thread-fast');
    expect(stored.map((e) => e.reply?.status)).toEqual(Array(5).fill('complete'));
  });
});

describe('sessionPersistence: a client tool', () => {
  // The run's end can reach the persistence before the chat shows the tool call (seen under load):
  // a message taken as whole then must still be looked at when the chat changes it.
  it("a client tool's result, added after its run ended, is stored with the call; the reload shows it", async () => {
    const store = newStore();
    const errors: unknown[] = [];
    const persistence = sessionPersistence({ store, onError: (e) => errors.push(e) });
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const clock = toolDefinition({ name: 'clock', description: 'the time' }).client(async () => {
      await slow;
      return { now: '12:00' };
    });
    const connection = scriptedConnection((messages) =>
      messages.some((m) =>
        m.parts.some((p) => p.type === 'tool-result' || (p.type === 'tool-call' && p.output)),
      )
        ? { text: 'It is noon.', usage: { promptTokens: 20, completionTokens: 4, totalTokens: 24 } }
        : {
            text: 'Let me look.',
            clientTool: { name: 'clock', input: {} },
            usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
          },
    );
    const client = new ChatClient({
      connection: persistence.connection(connection),
      persistence,
      threadId: 'thread-client-tool',
      tools: [clock],
    });
    const sending = client.sendMessage('What time is it?');
    await vi.waitFor(() =>
      expect(
        client
          .getMessages()
          .at(-1)
          ?.parts.some((p) => p.type === 'tool-call'),
      ).toBe(true),
    );
    await persistence.flush();
    release();
    await sending;
    await vi.waitFor(() => expect(texts(client.getMessages()).join(' ')).toContain('noon'));
    await persistence.flush();
    expect(errors).toEqual([]);
    const { client: again } = await reopen(store, 'thread-client-tool');
    expect(plain(again.getMessages())).toEqual(plain(client.getMessages()));
    const stats = await (await persistence.manager('thread-client-tool')).getStats();
    expect(stats.toolCalls).toBe(1);
    // Each request's provider usage is recorded once, on its own text.
    const stored = await replies(store, 'thread-client-tool');
    expect(stored.map((e) => e.tokenUsage?.totalTokens)).toEqual([15, 24]);
  });
});

describe('sessionPersistence: a run that ends with a tool call', () => {
  it("the run's provider usage goes on its text even when the chat showed the tool call before the run ended", async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const usage = { promptTokens: 12, completionTokens: 6, totalTokens: 18 };
    const { client } = chat(persistence, 'thread-tool-last', () => ({
      text: 'Let me compute that.',
      tool: { name: 'calculator', input: { expression: '6*7' }, output: { value: 42 } },
      usage,
      // The chat's list with the tool call is stored before the run ends.
      afterTool: async () => {
        await vi.waitFor(() =>
          expect(
            client
              .getMessages()
              .at(-1)
              ?.parts.some((p) => p.type === 'tool-result'),
          ).toBe(true),
        );
        await persistence.flush('thread-tool-last');
      },
    }));
    await client.sendMessage('What is 6*7?');
    await persistence.flush();
    const [reply] = await replies(store, 'thread-tool-last');
    expect(reply!.reply?.status).toBe('complete');
    expect(reply!.tokenUsage).toMatchObject({ ...usage, source: 'provider' });
    const { client: again } = await reopen(store, 'thread-tool-last');
    expect(plain(again.getMessages())).toEqual(plain(client.getMessages()));
  });

  it('a stop after the tool call keeps the text before it whole (complete), as the chat shows it', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const { client } = chat(persistence, 'thread-tool-stop', () => ({
      text: 'Let me compute that.',
      tool: { name: 'calculator', input: { expression: '6*7' }, output: { value: 42 } },
      after: ' It is 42.',
      afterTool: async () => {
        await vi.waitFor(() =>
          expect(
            client
              .getMessages()
              .at(-1)
              ?.parts.some((p) => p.type === 'tool-result'),
          ).toBe(true),
        );
        await persistence.flush('thread-tool-stop');
        client.stop();
      },
    }));
    await client.sendMessage('What is 6*7?');
    await persistence.flush();
    const [reply] = await replies(store, 'thread-tool-stop');
    expect(reply!.reply?.status).toBe('complete');
    const { client: again } = await reopen(store, 'thread-tool-stop');
    expect(plain(again.getMessages())).toEqual(plain(client.getMessages()));
  });
});
