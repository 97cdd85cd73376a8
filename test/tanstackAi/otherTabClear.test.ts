import { EventSource, SessionManager } from '@ai-session-manager/core';
import { sessionPersistence, THREAD_ID } from '@ai-session-manager/tanstack-ai';
import type { UIMessage } from '@tanstack/ai-client';
import { describe, expect, it, vi } from 'vitest';
import { chat, newStore, plain, reopen, storedEvents, texts, threadConversations } from './harness';
import type { ScriptedReply } from './scriptedModel';

const echo =
  (tab: string) =>
  (messages: UIMessage[]): ScriptedReply => ({
    text: `${tab} answers ${texts(messages).at(-1)}`,
  });

/** Two tabs on one thread: A records it, B loads it; both report write errors into `errors`. */
async function twoTabs(threadId: string) {
  const store = newStore();
  const errors: unknown[] = [];
  const tabA = sessionPersistence({ store, onError: (error) => errors.push(error) });
  const { client: a } = chat(tabA, threadId, echo('A'));
  await a.sendMessage('first');
  await tabA.flush();
  const { client: b, persistence: tabB } = await reopen(store, threadId, echo('B'), (e) => errors.push(e));
  return { store, errors, a, tabA, b, tabB };
}

describe("sessionPersistence: another tab's clear()", () => {
  it("this tab's next send stores its whole list; the other tab then continues in the same conversation", async () => {
    const { store, errors, a, tabA, b, tabB } = await twoTabs('thread-clear-b');
    a.clear();
    await tabA.flush();
    expect(await sessionPersistence({ store }).getItem('thread-clear-b')).toBeNull();

    // Tab B still shows the thread and keeps chatting: what it shows is stored again, as
    // TanStack's own adapters rewrite the whole thread on the next setItem.
    await b.sendMessage('second, from B');
    await tabB.flush();
    expect(errors).toEqual([]);
    const read = await sessionPersistence({ store }).getItem('thread-clear-b');
    expect(plain(read!.messages)).toEqual(plain(b.getMessages()));

    // Tab A (cleared) chats on: its messages join the thread's conversation, not a second one.
    await a.sendMessage('third, from A');
    await tabA.flush();
    expect(errors).toEqual([]);
    expect(await threadConversations(store, 'thread-clear-b')).toHaveLength(1);
    const after = await sessionPersistence({ store }).getItem('thread-clear-b');
    expect(texts(after!.messages)).toEqual([...texts(b.getMessages()), ...texts(a.getMessages())]);
    // Tab B mounting the thread again (same persistence) reads that conversation too.
    expect(plain((await tabB.getItem('thread-clear-b'))!.messages)).toEqual(plain(after!.messages));
  });

  it('two tabs that both send after a clear end in one conversation holding both', async () => {
    const { store, errors, a, tabA, b, tabB } = await twoTabs('thread-clear-both');
    a.clear();
    await tabA.flush();
    await Promise.all([a.sendMessage('from A'), b.sendMessage('from B')]);
    await Promise.all([tabA.flush(), tabB.flush()]);
    expect(errors).toEqual([]);
    expect(await threadConversations(store, 'thread-clear-both')).toHaveLength(1);
    const read = await sessionPersistence({ store }).getItem('thread-clear-both');
    expect(new Set(texts(read!.messages))).toEqual(
      new Set([...texts(a.getMessages()), ...texts(b.getMessages())]),
    );
    expect(read!.messages).toHaveLength(a.getMessages().length + b.getMessages().length);
  });

  it("a clear after another tab's clear and send deletes what the thread holds now", async () => {
    const { store, errors, a, tabA, b, tabB } = await twoTabs('thread-clear-twice');
    b.clear();
    await tabB.flush();
    await b.sendMessage('after B cleared');
    await tabB.flush();
    // Tab A still shows the old list; its clear() removes the thread as TanStack's adapters do.
    a.clear();
    await tabA.flush();
    expect(errors).toEqual([]);
    expect(await sessionPersistence({ store }).getItem('thread-clear-twice')).toBeNull();
    expect(await threadConversations(store, 'thread-clear-twice')).toEqual([]);
  });

  it('a thread an earlier version continued under a random id after a clear is read and continued there', async () => {
    const store = newStore();
    const threadId = 'thread-clear-legacy';
    // What earlier versions left: the thread id deleted, the thread in a conversation tagged with it.
    await store.deleteConversation(threadId);
    const legacy = new SessionManager({ store, metadata: { [THREAD_ID]: threadId } });
    await legacy.userSays('old question');
    await legacy.aiResponds('old answer');

    const { client, persistence } = await reopen(store, threadId, echo('A'));
    expect(texts(client.getMessages())).toEqual(['old question', 'old answer']);
    await client.sendMessage('new question');
    await persistence.flush();
    expect((await threadConversations(store, threadId)).map((c) => c.conversationId)).toEqual([
      legacy.conversationId,
    ]);
    expect(texts((await sessionPersistence({ store }).getItem(threadId))!.messages)).toEqual(
      texts(client.getMessages()),
    );
    client.clear();
    await persistence.flush();
    await client.sendMessage('after the clear');
    await persistence.flush();
    expect(await threadConversations(store, threadId)).toHaveLength(1);
    expect(texts((await sessionPersistence({ store }).getItem(threadId))!.messages)).toEqual([
      'after the clear',
      'A answers after the clear',
    ]);
  });

  it('a cleared thread does not continue in the conversation of a thread named like its next id', async () => {
    const store = newStore();
    const persistence = sessionPersistence({ store });
    const { client: other } = chat(persistence, 'thread-x~1', echo('X1'));
    await other.sendMessage('I am thread x~1');
    const { client } = chat(persistence, 'thread-x', echo('X'));
    await client.sendMessage('before');
    await persistence.flush();
    client.clear();
    await persistence.flush();
    await client.sendMessage('after');
    await persistence.flush();
    const read = (threadId: string) => sessionPersistence({ store }).getItem(threadId);
    expect(texts((await read('thread-x'))!.messages)).toEqual(texts(client.getMessages()));
    expect(texts((await read('thread-x~1'))!.messages)).toEqual(texts(other.getMessages()));
  });

  it('a reply streaming in this tab when another tab clears is stored whole in the new conversation', async () => {
    const store = newStore();
    const errors: unknown[] = [];
    const tabA = sessionPersistence({ store, onError: (e) => errors.push(e) });
    const { client: a } = chat(tabA, 'thread-clear-live', echo('A'));
    await a.sendMessage('first');
    await tabA.flush();
    const tabB = sessionPersistence({ store, flushMs: 1, onError: (e) => errors.push(e) });
    let pauses = 0;
    const { client: b } = chat(tabB, 'thread-clear-live', () => ({
      text: 'one two three four five six seven eight',
      pause: {
        every: 3,
        wait: async () => {
          if (++pauses === 1) {
            // The reply's row is stored; then tab A clears the thread.
            await tabB.flush('thread-clear-live');
            a.clear();
            await tabA.flush();
          } else {
            // Long enough for tab B's next flush of the reply to be refused.
            await new Promise((resolve) => setTimeout(resolve, 30));
          }
        },
      },
    }));
    const stored = await tabB.getItem('thread-clear-live');
    expect(stored!.messages).toHaveLength(2);
    // As a tab does: the chat shows the stored thread before the user sends.
    await vi.waitFor(() => expect(b.getMessages()).toHaveLength(2));
    await b.sendMessage('second, from B');
    await tabB.flush();
    expect(errors).toEqual([]);
    const read = await sessionPersistence({ store }).getItem('thread-clear-live');
    expect(plain(read!.messages)).toEqual(plain(b.getMessages()));
    expect(texts(read!.messages).at(-1)).toBe('one two three four five six seven eight');
    const [conversation] = await threadConversations(store, 'thread-clear-live');
    const replies = (await storedEvents(store, conversation!.conversationId)).filter(
      (e) => e.source === EventSource.LLM,
    );
    expect(replies.map((e) => e.reply?.status)).toEqual(['complete', 'complete']);
  });

  it("a streaming reply whose write the other tab's clear refused is stored whole, though a later write of it met no refusal", async () => {
    const store = newStore();
    const errors: unknown[] = [];
    const tabA = sessionPersistence({ store, onError: (e) => errors.push(e) });
    const { client: a } = chat(tabA, 'thread-clear-refused', echo('A'));
    await a.sendMessage('first');
    await tabA.flush();
    // Tab B's writes can be held: a second flush of the reply then queues behind its first, which
    // is refused (the conversation is gone); the second finds the reply stopped and writes nothing.
    let holding = false;
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const held = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const storeB = new Proxy(store, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (key !== 'updateEvent') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<typeof store.updateEvent>) => {
          if (holding) {
            entered();
            await released;
          }
          return target.updateEvent(...args);
        };
      },
    });
    const tabB = sessionPersistence({ store: storeB, onError: (e) => errors.push(e) });
    let pauses = 0;
    let firstFlush: Promise<unknown> = Promise.resolve();
    const { client: b } = chat(tabB, 'thread-clear-refused', () => ({
      text: 'one two three four five six seven eight',
      pause: {
        every: 2,
        wait: async () => {
          pauses += 1;
          if (pauses === 1) {
            await tabB.flush('thread-clear-refused');
            a.clear();
            await tabA.flush();
            holding = true;
          } else if (pauses === 2) {
            firstFlush = tabB.flush('thread-clear-refused').then(
              () => undefined,
              (error: unknown) => error,
            );
            await held;
            const secondFlush = tabB.flush('thread-clear-refused');
            // The second flush's write has queued behind the held one.
            await new Promise((resolve) => setTimeout(resolve, 0));
            holding = false;
            release();
            await secondFlush;
          }
        },
      },
    }));
    await tabB.getItem('thread-clear-refused');
    await vi.waitFor(() => expect(b.getMessages()).toHaveLength(2));
    await b.sendMessage('second, from B');
    await tabB.flush();
    expect(errors).toEqual([]);
    const read = await sessionPersistence({ store }).getItem('thread-clear-refused');
    expect(plain(read!.messages)).toEqual(plain(b.getMessages()));
    expect(texts(read!.messages).at(-1)).toBe('one two three four five six seven eight');
    expect(await firstFlush).toBeUndefined();
  });

  it("flush() while a reply streams, after another tab's clear, resolves once the chat's list is stored again", async () => {
    const store = newStore();
    const errors: unknown[] = [];
    const tabA = sessionPersistence({ store, onError: (e) => errors.push(e) });
    const { client: a } = chat(tabA, 'thread-clear-flush', echo('A'));
    await a.sendMessage('first');
    await tabA.flush();
    const tabB = sessionPersistence({ store, onError: (e) => errors.push(e) });
    let pauses = 0;
    let storedMidway: string[] | undefined;
    let shownMidway: string[] | undefined;
    const { client: b } = chat(tabB, 'thread-clear-flush', () => ({
      text: 'one two three four five six',
      pause: {
        every: 2,
        wait: async () => {
          pauses += 1;
          if (pauses === 1) {
            await tabB.flush('thread-clear-flush');
            a.clear();
            await tabA.flush();
          } else if (pauses === 2) {
            // The reply's write is refused (its conversation is gone): flush() writes the list anew.
            await tabB.flush('thread-clear-flush');
            shownMidway = texts(b.getMessages());
            const read = await sessionPersistence({ store }).getItem('thread-clear-flush');
            storedMidway = read ? texts(read.messages) : undefined;
          }
        },
      },
    }));
    await tabB.getItem('thread-clear-flush');
    await vi.waitFor(() => expect(b.getMessages()).toHaveLength(2));
    await b.sendMessage('second, from B');
    await tabB.flush();
    expect(errors).toEqual([]);
    expect(shownMidway).toHaveLength(4);
    expect(storedMidway).toEqual(shownMidway);
    const read = await sessionPersistence({ store }).getItem('thread-clear-flush');
    expect(plain(read!.messages)).toEqual(plain(b.getMessages()));
    expect(texts(read!.messages).at(-1)).toBe('one two three four five six');
  });
});
