import {
  DexieSessionStore,
  DuplicateIdError,
  emptyTotals,
  EventSource,
  EventType,
  MemorySessionStore,
  type Session,
  SessionManager,
  SessionNotFoundError,
  StorageUnavailableError,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories, uniqueDbName } from '../../helpers';

function rootSession(id: string): Session {
  const now = new Date().toISOString();
  return {
    id,
    parentId: null,
    rootId: id,
    segmentIndex: 0,
    metadata: {},
    state: {},
    createdAt: now,
    updatedAt: now,
    totals: emptyTotals(),
  };
}

const draft = (id: string, message = 'x') => ({
  id,
  timestamp: new Date().toISOString(),
  source: EventSource.USER,
  type: EventType.MESSAGE,
  message,
  metadata: {},
});

describe.each(storeFactories)('$kind store', (factory) => {
  it('appends with seq from the running totals and updates them in the same write', async () => {
    const store = factory.create();
    await store.ensureSession(rootSession('c1'));
    const r1 = await store.appendEvent('c1', draft('e1'));
    const r2 = await store.appendEvent('c1', draft('e2'));
    expect(r1.status === 'appended' && r1.event.seq).toBe(0);
    expect(r2.status === 'appended' && r2.event.seq).toBe(1);
    expect((await store.getSession('c1'))!.totals).toMatchObject({ events: 2, messages: 2, userMessages: 2 });
  });

  it('refuses an append at a rollover limit and writes nothing', async () => {
    const store = factory.create();
    await store.ensureSession(rootSession('c1'));
    await store.appendEvent('c1', draft('e1'));
    const result = await store.appendEvent('c1', draft('e2'), {
      rolloverAt: { messages: 1, totalTokens: 1e9 },
    });
    expect(result.status).toBe('needsRollover');
    expect(await store.getEvents('c1')).toHaveLength(1);
  });

  it('reads event ranges newest first with a limit', async () => {
    const store = factory.create();
    await store.ensureSession(rootSession('c1'));
    for (let i = 0; i < 10; i++) await store.appendEvent('c1', draft(`e${i}`, `m${i}`));
    const page = await store.getEvents('c1', { beforeSeq: 8, limit: 3, reverse: true });
    expect(page.map((e) => e.seq)).toEqual([7, 6, 5]);
  });

  it('a summary is stamped when the rollover commits: after every event written while it was being made', async () => {
    const store = factory.create();
    await store.ensureSession(rootSession('c1'));
    // Drafted first; then a message lands while the summary is being made.
    const summary = { ...draft('s1', 'summary'), source: EventSource.SYSTEM, type: EventType.SUMMARY };
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late = await store.appendEvent('c1', draft('e1'));
    const now = new Date().toISOString();
    const result = await store.rollover({
      fromSessionId: 'c1',
      summary,
      newSession: { id: 'c2', metadata: {}, state: {}, createdAt: now },
    });
    expect(result.rolledOver).toBe(true);
    const events = await store.getEvents('c1');
    expect(events.map((e) => e.id)).toEqual(['e1', 's1']);
    expect(late.status === 'appended' && late.event.timestamp <= events[1]!.timestamp).toBe(true);
    expect(events[1]!.timestamp > summary.timestamp).toBe(true);
  });

  it('appending to an unknown session throws SessionNotFoundError', async () => {
    await expect(factory.create().appendEvent('missing', draft('e1'))).rejects.toBeInstanceOf(
      SessionNotFoundError,
    );
  });

  it('lists conversations newest first and deletes a whole chain', async () => {
    const store = factory.create();
    const a = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 1 });
    await a.userSays('a1');
    await a.userSays('a2');
    const b = new SessionManager({ store });
    await new Promise((r) => setTimeout(r, 5));
    await b.userSays('b1');
    let list = await store.listConversations();
    expect(list.map((c) => c.conversationId)).toEqual([b.conversationId, a.conversationId]);
    expect(list[1]).toMatchObject({ segments: 2, headSessionId: a.sessionId });
    expect(list[1]!.totals.messages).toBe(2);
    await new Promise((r) => setTimeout(r, 5));
    await a.userSays('a3');
    list = await store.listConversations();
    expect(list[0]!.conversationId).toBe(a.conversationId);
    await store.deleteConversation(a.conversationId);
    expect((await store.listConversations()).map((c) => c.conversationId)).toEqual([b.conversationId]);
    expect(await store.getEvents(a.sessionId)).toEqual([]);
  });

  it('listConversations refuses a limit or before that would silently list nothing', async () => {
    const store = factory.create();
    await new SessionManager({ store }).userSays('hi');
    const bad = [
      { limit: -1 },
      { limit: Number.NaN },
      { limit: 1.5 },
      { limit: '2' },
      { before: 42 },
      { before: null },
    ];
    for (const options of [...bad, { before: { updatedAt: 1, conversationId: 'x' } }]) {
      const path = 'limit' in options ? 'limit' : 'before';
      await expect(store.listConversations(options as never)).rejects.toMatchObject({
        name: 'InvalidInputError',
        path,
      });
    }
    await expect(store.listConversations(null as never)).rejects.toMatchObject({ name: 'InvalidInputError' });
    expect(await store.listConversations({ limit: 0 })).toEqual([]);
    expect(await store.listConversations({ limit: 1 })).toHaveLength(1);
    expect(await store.listConversations({ before: '9999' })).toHaveLength(1);
  });

  it('importRecords is all-or-nothing on duplicate ids', async () => {
    const store = factory.create();
    await store.ensureSession(rootSession('taken'));
    await expect(
      store.importRecords([rootSession('fresh'), rootSession('taken')], []),
    ).rejects.toBeInstanceOf(DuplicateIdError);
    expect(await store.getSession('fresh')).toBeUndefined();
  });

  it('refuses a second event with the same id and writes nothing', async () => {
    const store = factory.create();
    await store.ensureSession(rootSession('c1'));
    await store.appendEvent('c1', draft('same', 'first'));
    await expect(store.appendEvent('c1', draft('same', 'second'))).rejects.toBeInstanceOf(DuplicateIdError);
    expect((await store.getEvents('c1')).map((e) => e.message)).toEqual(['first']);
    expect((await store.getSession('c1'))!.totals.events).toBe(1);
  });

  it('importRecords refuses a batch that is not self-contained and writes nothing', async () => {
    const store = factory.create();
    const event = { ...draft('e1'), sessionId: 'elsewhere', seq: 0 };
    await expect(store.importRecords([rootSession('a')], [event])).rejects.toThrow(/not in the import/);
    await expect(store.importRecords([rootSession('b'), rootSession('b')], [])).rejects.toBeInstanceOf(
      DuplicateIdError,
    );
    const twice = { ...draft('e1'), sessionId: 'c', seq: 0 };
    await expect(
      store.importRecords([rootSession('c')], [twice, { ...twice, seq: 1 }]),
    ).rejects.toBeInstanceOf(DuplicateIdError);
    expect(await store.listConversations()).toEqual([]);
  });

  it('returns copies, so callers cannot change stored rows by mutation', async () => {
    const store = factory.create();
    await store.ensureSession(rootSession('c1'));
    const s = (await store.getSession('c1'))!;
    s.metadata.hacked = true;
    expect((await store.getSession('c1'))!.metadata).toEqual({});
  });

  it('watch re-runs a query after writes', async () => {
    const store = factory.create();
    const seen: number[] = [];
    const stop = store.watch(async () => (await store.listConversations()).length, {
      next: (n) => seen.push(n),
    });
    await new Promise((r) => setTimeout(r, 30));
    await store.ensureSession(rootSession('c1'));
    await new Promise((r) => setTimeout(r, 60));
    stop();
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
  });
});

describe('DexieSessionStore', () => {
  it('persists across store instances on the same database, as after a reload', async () => {
    const name = uniqueDbName();
    const first = new DexieSessionStore({ name });
    const sm = new SessionManager({ store: first });
    await sm.userSays('persisted');
    first.close();
    const second = new DexieSessionStore({ name });
    expect((await second.getEvents(sm.sessionId)).map((e) => e.message)).toEqual(['persisted']);
  });

  it('without IndexedDB, construction throws a clear error naming MemorySessionStore', () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error simulate server rendering / Node
    delete globalThis.indexedDB;
    try {
      expect(() => new DexieSessionStore()).toThrow(StorageUnavailableError);
      expect(() => new DexieSessionStore()).toThrow(/MemorySessionStore/);
      expect(() => new SessionManager()).toThrow(/MemorySessionStore/);
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('MemorySessionStore works where IndexedDB is missing', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('hi');
    expect((await sm.getStats()).totalMessages).toBe(1);
  });
});
