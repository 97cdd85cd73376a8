import {
  createThreadHistoryAdapter,
  type SessionThreadHistoryAdapter,
  sessionThreadListAdapter,
} from '@ai-session-manager/assistant-ui';
import {
  DexieSessionStore,
  InvalidInputError,
  MemorySessionStore,
  SessionManager,
} from '@ai-session-manager/core';
import type { ThreadMessage } from '@assistant-ui/react';
import { describe, expect, it, vi } from 'vitest';
import { HOLD_MS } from '../../packages/assistant-ui/src/heldChildren.ts';
import { fakeThread } from './fakeThread';
import { uniqueDbName } from '../helpers';
import { assistant, item, message, user } from './messages';

/** What a message shows: its role, text parts, and each tool call as `[name]`. */
const look = (m: ThreadMessage) =>
  `${m.role}: ${m.content
    .map((p) => (p.type === 'text' ? p.text : p.type === 'tool-call' ? `[${p.toolName}]` : ''))
    .filter(Boolean)
    .join(' ')}`;

/** The selected branch of a loaded thread, first message first. */
async function branch(adapter: SessionThreadHistoryAdapter) {
  const repo = await adapter.load();
  const byId = new Map(repo.messages.map((m) => [m.message.id, m]));
  const path: ThreadMessage[] = [];
  for (let at = repo.headId; at; at = byId.get(at)?.parentId ?? null) path.unshift(byId.get(at)!.message);
  return path;
}

describe('a thread written by core directly', () => {
  it('loads with its tool calls on the reply that used them, across summarized segments', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    await sm.userSays('What is the weather in Paris?');
    await sm.toolUsed('weather', { city: 'Paris' }, { temp: 20 }, { toolCallId: 'call-1' });
    await sm.aiResponds('It is 20 degrees.');
    await sm.userSays('And in Rome?');
    await sm.aiResponds('Sunny.');
    await sm.userSays('Thanks');
    await sm.aiResponds('You are welcome.');
    expect((await sm.getSessionChain()).length).toBeGreaterThan(1);

    const adapter = createThreadHistoryAdapter({ store, conversationId: sm.conversationId });
    expect((await branch(adapter)).map(look)).toEqual([
      'user: What is the weather in Paris?',
      'assistant: It is 20 degrees. [weather]',
      'user: And in Rome?',
      'assistant: Sunny.',
      'user: Thanks',
      'assistant: You are welcome.',
    ]);
    const reply = (await branch(adapter))[1]!;
    expect(reply.content.find((p) => p.type === 'tool-call')).toMatchObject({
      toolCallId: 'call-1',
      args: { city: 'Paris' },
      result: { temp: 20 },
    });
    // The thread goes on from where core left it.
    const last = (await branch(adapter)).at(-1)!.id;
    await adapter.append(user('u-next', last, 'One more thing'));
    expect((await branch(adapter)).map(look).at(-1)).toBe('user: One more thing');
  });
});

/** The loaded tree as `id <- parent` lines, and the head. */
async function tree(adapter: SessionThreadHistoryAdapter) {
  const repo = await adapter.load();
  return { headId: repo.headId, lines: repo.messages.map((m) => `${m.message.id} <- ${m.parentId}`) };
}

/** A second adapter on the same conversation: a reload. */
const reload = (store: MemorySessionStore, adapter: SessionThreadHistoryAdapter) =>
  createThreadHistoryAdapter({ store, conversationId: adapter.conversationId! });

async function settled(adapter: SessionThreadHistoryAdapter) {
  for (let i = 0; i < 3; i += 1) {
    await adapter.idle();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('branches', () => {
  it('a branch picked in the thread is the one a reload shows, including an older edit with its own replies', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'one'));
    await adapter.append(assistant('a1', 'u1', 'two'));
    await adapter.append(user('u2', 'a1', 'three'));
    await adapter.append(assistant('a2', 'u2', 'four'));
    // Edit the first message, and its reply: a second branch from the root.
    await adapter.append(user('u1b', null, 'one, edited'));
    await adapter.append(assistant('a1b', 'u1b', 'two, again'));
    expect((await tree(reload(store, adapter))).headId).toBe('a1b');

    const thread = fakeThread(await adapter.load());
    const stop = adapter.observe(thread);
    // Back to the first version: the thread shows that branch down to its last message.
    thread.select('a2');
    await settled(adapter);
    expect((await branch(reload(store, adapter))).map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2']);
    // A reply version in the middle of it: regenerate a1, then pick the old one again.
    await adapter.append(assistant('a1c', 'u1', 'two, regenerated'));
    thread.import(await adapter.load());
    expect(thread.getState().messages.map((m) => m.id)).toEqual(['u1', 'a1c']);
    thread.select('a2');
    await settled(adapter);
    expect((await branch(reload(store, adapter))).map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2']);
    // …and the edit's branch again.
    thread.select('a1b');
    await settled(adapter);
    expect((await branch(reload(store, adapter))).map((m) => m.id)).toEqual(['u1b', 'a1b']);
    stop();
  });

  it('an edit of an older message (not the first) is a version of it, and a reload shows both', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'one'));
    await adapter.append(assistant('a1', 'u1', 'two'));
    await adapter.append(user('u2', 'a1', 'three'));
    await adapter.append(assistant('a2', 'u2', 'four'));
    await adapter.append(user('u3', 'a2', 'five'));
    await adapter.append(assistant('a3', 'u3', 'six'));
    await adapter.append(user('u2b', 'a1', 'three, edited'));
    await adapter.append(assistant('a2b', 'u2b', 'four, again'));
    expect(await tree(reload(store, adapter))).toEqual({
      headId: 'a2b',
      lines: [
        'u1 <- null',
        'a1 <- u1',
        'u2 <- a1',
        'a2 <- u2',
        'u3 <- a2',
        'a3 <- u3',
        'u2b <- a1',
        'a2b <- u2b',
      ],
    });
    const sm = await SessionManager.open(adapter.conversationId!, { store });
    expect((await sm.getConversation()).map((t) => t.content)).toEqual([
      'one',
      'two',
      'three, edited',
      'four, again',
    ]);
  });
});

describe('delete', () => {
  it('a deleted message with children: they move up to its parent, after a reload too, and the thread goes on', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'one'));
    await adapter.append(assistant('a1', 'u1', 'two'));
    await adapter.append(user('u2', 'a1', 'three'));
    await adapter.append(user('u2b', 'a1', 'three, edited'));
    await adapter.append(assistant('a2', 'u2b', 'four'));
    await adapter.delete([assistant('a1', 'u1', 'two')]);
    expect(await tree(reload(store, adapter))).toEqual({
      headId: 'a2',
      lines: ['u1 <- null', 'u2 <- u1', 'u2b <- u1', 'a2 <- u2b'],
    });
    await adapter.append(user('u3', 'a2', 'five'));
    await adapter.delete([user('u3', 'a2', 'five')]);
    // The last message deleted: the next one goes under what is shown last.
    await adapter.append(user('u4', 'a2', 'six'));
    await adapter.append(assistant('a4', 'u4', 'seven'));
    expect(await tree(reload(store, adapter))).toEqual({
      headId: 'a4',
      lines: ['u1 <- null', 'u2 <- u1', 'u2b <- u1', 'a2 <- u2b', 'u4 <- a2', 'a4 <- u4'],
    });
  });

  it('deleting the message of the selected branch leaves the thread on a branch that exists', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'one'));
    await adapter.append(assistant('a1', 'u1', 'two'));
    await adapter.append(assistant('a1b', 'u1', 'two, again'));
    const sm = await SessionManager.open(adapter.conversationId!, { store });
    const events = await sm.getEvents();
    await sm.selectAlternative(events.find((e) => e.metadata.auiMessageId === 'a1')!.id);
    expect((await tree(reload(store, adapter))).headId).toBe('a1');
    await adapter.delete([assistant('a1', 'u1', 'two')]);
    expect(await tree(reload(store, adapter))).toEqual({ headId: 'a1b', lines: ['u1 <- null', 'a1b <- u1'] });
  });
});

describe('quick appends', () => {
  it('messages appended without waiting for each other are stored in call order, under their parents', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await Promise.all([
      adapter.append(user('u1', null, 'one')),
      adapter.append(assistant('a1', 'u1', 'two')),
      adapter.append(user('u2', 'a1', 'three')),
      adapter.append(assistant('a2', 'u2', 'four')),
      adapter.append(assistant('a2b', 'u2', 'four, again')),
    ]);
    expect(await tree(reload(store, adapter))).toEqual({
      headId: 'a2b',
      lines: ['u1 <- null', 'a1 <- u1', 'u2 <- a1', 'a2 <- u2', 'a2b <- u2'],
    });
  });
});

describe('two thread lists on one database (two tabs)', () => {
  it('a thread renamed, archived and unarchived in one is listed so in the other', async () => {
    const name = uniqueDbName('aui-two-lists');
    const listA = sessionThreadListAdapter({ store: new DexieSessionStore({ name }) });
    const listB = sessionThreadListAdapter({ store: new DexieSessionStore({ name }) });
    const { remoteId } = await listA.initialize('t1');
    const other = (await listA.initialize('t2')).remoteId;
    await listA.rename(remoteId, 'Trip');
    await listA.archive(remoteId);
    expect((await listB.list()).threads.find((t) => t.remoteId === remoteId)).toMatchObject({
      title: 'Trip',
      status: 'archived',
    });
    await listB.unarchive(remoteId);
    await listB.rename(remoteId, 'Trip to Rome');
    const { threads } = await listA.list();
    expect(threads.map((t) => [t.remoteId, t.title, t.status])).toEqual([
      [remoteId, 'Trip to Rome', 'regular'],
      [other, undefined, 'regular'],
    ]);
    expect(await listA.fetch(remoteId)).toMatchObject({ title: 'Trip to Rome', status: 'regular' });
  });
});

describe('bad input', () => {
  it('an append under a parent that never arrives writes nothing, not even the thread of a list, and is reported', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const store = new MemorySessionStore();
      const list = sessionThreadListAdapter({ store });
      let remoteId: string | undefined;
      const errors: unknown[] = [];
      const history = createThreadHistoryAdapter({
        store,
        onError: (error) => errors.push(error),
        thread: {
          remoteId: () => remoteId,
          initialize: async () => (remoteId ??= (await list.initialize('t')).remoteId),
        },
      });
      await history.append(assistant('a1', 'nowhere', 'orphan'));
      expect(await store.listConversations()).toEqual([]);
      await vi.advanceTimersByTimeAsync(HOLD_MS + 1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(InvalidInputError);
      expect(String((errors[0] as Error).message)).toMatch(/parent nowhere/);
      expect(await store.listConversations()).toEqual([]);
      // The thread is still usable.
      await history.append(user('u1', null, 'hello'));
      expect((await history.load()).messages.map((m) => m.message.id)).toEqual(['u1']);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a child appended before its parent (as assistant-ui's runtime may) is stored under it once the parent arrives", async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'hello'));
    // Fired together, child first, as the runtime logs them: "child under P, then P".
    await Promise.all([
      adapter.append(user('u2', 'a1', 'and then?')),
      adapter.append(assistant('a1', 'u1', 'hi')),
    ]);
    const loaded = await adapter.load();
    expect(loaded.messages.map((m) => [m.message.id, m.parentId])).toEqual([
      ['u1', null],
      ['a1', 'u1'],
      ['u2', 'a1'],
    ]);
  });

  it('an append under a message that was just deleted goes under its nearest ancestor still shown', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'hello'));
    await adapter.append(assistant('a1', 'u1', 'hi'));
    await adapter.delete?.([assistant('a1', 'u1', 'hi')]);
    await adapter.append(assistant('a2', 'a1', 'again'));
    const loaded = await adapter.load();
    expect(loaded.messages.map((m) => [m.message.id, m.parentId])).toEqual([
      ['u1', null],
      ['a2', 'u1'],
    ]);
  });

  it('a bad update, delete or append leaves what is stored as it was, with an error that names the problem', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'one'));
    await adapter.append(assistant('a1', 'u1', 'two'));
    const before = await tree(adapter);
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => adapter.update({ parentId: 'u1' } as never), /ExportedMessageRepositoryItem/],
      [() => adapter.update({ message: message('a1', 'assistant', 'x') } as never), /parentId/],
      [
        () =>
          adapter.update(
            item(
              'u1',
              message('a1', 'assistant', [{ type: 'text', text: 'x' }], { metadata: { custom: { n: NaN } } }),
            ),
          ),
        /metadata\.custom\.n is NaN/,
      ],
      [() => adapter.delete('a1' as never), /items must be an array/],
      [
        () =>
          adapter.append({
            parentId: 'a1',
            message: { ...message('u2', 'user', 'x'), content: 'x' },
          } as never),
        /content must be an array/,
      ],
    ];
    for (const [call, pattern] of cases) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(String((error as Error).message)).toMatch(pattern);
    }
    // Items that are not messages are skipped by delete, as missing ones are.
    await adapter.delete([null, {}, { message: null }] as never);
    expect(await tree(adapter)).toEqual(before);
    expect(await tree(reload(store, adapter))).toEqual(before);
  });
});

describe('update', () => {
  it('a reply updated to end differently loads with its new status (cancelled, then complete, then failed)', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'Delete the file?'));
    const reply = (status?: ThreadMessage['status']) =>
      item('u1', message('a1', 'assistant', [{ type: 'text', text: 'Will do.' }], status ? { status } : {}));
    const statusAfterReload = async () => (await reload(store, adapter).load()).messages[1]!.message.status;
    await adapter.append(reply({ type: 'incomplete', reason: 'cancelled' }));
    expect(await statusAfterReload()).toEqual({ type: 'incomplete', reason: 'cancelled' });
    await adapter.update(reply());
    expect(await statusAfterReload()).toMatchObject({ type: 'complete' });
    await adapter.update(reply({ type: 'incomplete', reason: 'error', error: 'boom' }));
    expect(await statusAfterReload()).toEqual({ type: 'incomplete', reason: 'error', error: 'boom' });
    // Core's readers agree on how it ended.
    const sm = await SessionManager.open(adapter.conversationId!, { store });
    expect((await sm.getEvents())[1]!.reply?.status).toBe('aborted');
    await adapter.update(reply());
    expect(await statusAfterReload()).toMatchObject({ type: 'complete' });
    expect((await sm.getEvents())[1]!.reply?.status).not.toBe('aborted');
  });

  it("a reply rewritten in place goes through the manager's scrub: its text and the error", async () => {
    const store = new MemorySessionStore();
    const scrub = (t: string) => t.replaceAll('SECRET123', '[redacted]');
    const adapter = createThreadHistoryAdapter({ store, session: { scrub } });
    await adapter.append(user('u1', null, 'Key SECRET123?'));
    const reply = (text: string, status?: ThreadMessage['status']) =>
      item('u1', message('a1', 'assistant', [{ type: 'text', text }], status ? { status } : {}));
    await adapter.append(reply('Checking SECRET123'));
    await adapter.update(
      reply('Refused SECRET123', { type: 'incomplete', reason: 'error', error: '401 SECRET123' }),
    );
    const events = await store.getEvents(adapter.conversationId!);
    expect(events.map((e) => e.message)).toEqual(['Key [redacted]?', 'Refused [redacted]']);
    // assistant-ui keeps the error text in the status: scrubbed as well.
    expect(events[1]!.metadata.auiStatus).toMatchObject({ reason: 'error', error: '401 [redacted]' });
    expect(JSON.stringify(events)).not.toContain('SECRET123');
  });
});
