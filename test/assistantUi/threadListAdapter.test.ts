import { offlineTitle, sessionThreadListAdapter } from '@ai-session-manager/assistant-ui';
import {
  DexieSessionStore,
  InvalidInputError,
  MemorySessionStore,
  SessionManager,
  SessionNotFoundError,
} from '@ai-session-manager/core';
import type { RemoteThreadListAdapter } from '@assistant-ui/react';
import { describe, expect, it } from 'vitest';
import { uniqueDbName } from '../helpers';
import { message } from './messages';

/** Read a title stream as assistant-ui does: the text of its text part. */
async function streamedText(stream: ReadableStream<unknown>): Promise<string> {
  const reader = stream.getReader();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    const chunk = value as { type: string; textDelta?: string };
    if (chunk.type === 'text-delta') text += chunk.textDelta;
  }
}

describe('sessionThreadListAdapter', () => {
  it('is a RemoteThreadListAdapter of the installed assistant-ui', () => {
    const adapter = sessionThreadListAdapter({
      store: new MemorySessionStore(),
    }) satisfies RemoteThreadListAdapter;
    expect(typeof adapter.unstable_useAdapters).toBe('function');
  });

  it('initializes a thread as a stored conversation, lists it, renames, archives, unarchives and deletes it', async () => {
    const store = new DexieSessionStore({ name: uniqueDbName('aui-list') });
    const adapter = sessionThreadListAdapter({ store });
    const { remoteId } = await adapter.initialize('local-1', { custom: { color: 'blue' } });
    // The conversation exists (listed) before its first message.
    expect(await SessionManager.open(remoteId, { store })).toBeInstanceOf(SessionManager);
    let { threads } = await adapter.list();
    expect(threads).toEqual([
      expect.objectContaining({
        remoteId,
        status: 'regular',
        custom: { color: 'blue' },
        lastMessageAt: expect.any(Date),
      }),
    ]);

    await adapter.rename(remoteId, 'Trip to Rome');
    expect((await adapter.fetch(remoteId)).title).toBe('Trip to Rome');
    // The title is core's convention: what every sidebar (useSessions, listConversations) shows.
    expect((await store.listConversations())[0]?.title).toBe('Trip to Rome');

    await adapter.archive(remoteId);
    ({ threads } = await adapter.list());
    expect(threads[0]).toMatchObject({ remoteId, status: 'archived', title: 'Trip to Rome' });
    await adapter.unarchive(remoteId);
    expect((await adapter.fetch(remoteId)).status).toBe('regular');
    await adapter.updateCustom(remoteId, { color: 'red' });
    expect((await adapter.fetch(remoteId)).custom).toEqual({ color: 'red' });

    await adapter.delete(remoteId);
    expect((await adapter.list()).threads).toEqual([]);
    await expect(adapter.fetch(remoteId)).rejects.toBeInstanceOf(SessionNotFoundError);
  });

  it('lists newest first, a page at a time', async () => {
    const store = new MemorySessionStore();
    const adapter = sessionThreadListAdapter({ store, pageSize: 2 });
    const ids: string[] = [];
    for (const name of ['first', 'second', 'third']) {
      const { remoteId } = await adapter.initialize(name);
      await adapter.rename(remoteId, name);
      ids.push(remoteId);
      // Distinct update times (the list breaks ties by id, which is random).
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const page1 = await adapter.list();
    expect(page1.threads.map((t) => t.title)).toEqual(['third', 'second']);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await adapter.list({ after: page1.nextCursor });
    expect(page2.threads.map((t) => t.title)).toEqual(['first']);
    expect(page2.nextCursor).toBeUndefined();
    // A message in the oldest thread brings it to the top.
    await new Promise((resolve) => setTimeout(resolve, 3));
    await new SessionManager({ sessionId: ids[0]!, store }).userSays('back again');
    expect((await adapter.list()).threads.map((t) => t.title)).toEqual(['first', 'third']);
  });

  it('generates an offline title from the first user message, streams it and stores it', async () => {
    const store = new MemorySessionStore();
    const adapter = sessionThreadListAdapter({ store });
    const { remoteId } = await adapter.initialize('t');
    const messages = [
      message('u1', 'user', '  How do I   bake sourdough bread at home without a proofing basket?\nThanks'),
      message('a1', 'assistant', 'Use a bowl.'),
    ];
    const stream = await adapter.generateTitle(remoteId, messages);
    const title = await streamedText(stream as ReadableStream<unknown>);
    expect(title).toBe('How do I bake sourdough bread at home without…');
    expect(title).toBe(offlineTitle(messages));
    // Stored before the stream was handed back.
    expect((await adapter.fetch(remoteId)).title).toBe(title);
    expect(offlineTitle([message('u', 'user', 'Hi there')])).toBe('Hi there');
    expect(offlineTitle([message('a', 'assistant', 'only me')])).toBeUndefined();
  });

  it('bad input gets a clear error and writes nothing', async () => {
    const store = new MemorySessionStore();
    const adapter = sessionThreadListAdapter({ store });
    const { remoteId } = await adapter.initialize('t');
    await expect(adapter.rename(remoteId, 42 as never)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(adapter.rename('', 'x')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(adapter.rename('no-such-thread', 'x')).rejects.toBeInstanceOf(SessionNotFoundError);
    await expect(adapter.list({ after: 'not a cursor' })).rejects.toThrow(/Not a cursor/);
    expect((await adapter.fetch(remoteId)).title).toBeUndefined();
    expect((await store.listConversations()).map((c) => c.conversationId)).toEqual([remoteId]);
    expect(() => sessionThreadListAdapter({ pageSize: 0 })).toThrow(InvalidInputError);
  });
});
