// Conversation scale (issue 11) and conversation-level API: stats from the head row alone,
// the paged conversation list, context vs billed tokens, updateMetadata, infiniteContext kept
// with the conversation, future timestamps clamped, tombstones, and rollovers under Web Locks.
import {
  CHAIN_IDS,
  ConversationDeletedError,
  exportConversation,
  importConversation,
  InvalidInputError,
  type LockManagerLike,
  type Session,
  SessionManager,
  type SessionStore,
  statsFromSegments,
  sumTotals,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../../helpers';

/** Counts the store calls a manager makes. */
function counting(store: SessionStore) {
  const calls: Record<string, number> = {};
  const proxy = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls[String(key)] = (calls[String(key)] ?? 0) + 1;
        return value.apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

async function chat(sm: SessionManager, turns: number, prefix = 'turn'): Promise<void> {
  for (let i = 0; i < turns; i++) {
    await sm.userSays(`${prefix} ${i} from the user`);
    await sm.aiResponds(`${prefix} ${i} from the assistant`);
  }
}

/** A lock manager as the Web Locks API behaves: one holder per name, the others wait in order. */
class FakeLockManager implements LockManagerLike {
  private tails = new Map<string, Promise<unknown>>();
  requests = 0;
  request<T>(name: string, callback: () => Promise<T>): Promise<T> {
    this.requests++;
    const previous = this.tails.get(name) ?? Promise.resolve();
    const run = previous.then(callback, callback);
    this.tails.set(
      name,
      run.catch(() => undefined),
    );
    return run;
  }
}

describe.each(storeFactories)('conversation scale ($kind store)', (factory) => {
  it('getStats({ includeAllSegments }) reads the head and root rows, never every segment', async () => {
    const { store, calls } = counting(factory.create());
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    await chat(sm, 6);
    await sm.toolUsed('search', { q: 'x' }, { hits: 1 });
    const segments = await store.getSegments(sm.conversationId);
    expect(segments.length).toBeGreaterThan(3);
    for (const key of Object.keys(calls)) delete calls[key];
    const stats = await sm.getStats({ includeAllSegments: true });
    expect(calls.getSegments).toBeUndefined();
    expect(calls.getChainEnds).toBe(1);
    const expected = statsFromSegments(segments, { infiniteContext: true, includeAllSegments: true })!;
    expect({ ...stats, lastUpdate: '' }).toEqual({ ...expected, lastUpdate: '' });
    expect(stats.toolCalls).toBe(1);
    expect(stats.sessionChain).toEqual(segments.map((s) => s.id));
    const head = segments.at(-1)!;
    expect(head.priorTotals).toEqual(sumTotals(segments.slice(0, -1).map((s) => s.totals)));
    // Only the current segment: the head's own totals.
    expect((await sm.getStats({ includeAllSegments: false })).totalEvents).toBe(head.totals.events);
  });

  it('stats list at most the newest CHAIN_IDS segment ids: the cost of opening does not grow with the chain', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 1 });
    for (let i = 0; i < CHAIN_IDS + 5; i++) await sm.userSays(`message ${i}`);
    const segments = await store.getSegments(sm.conversationId);
    expect(segments).toHaveLength(CHAIN_IDS + 5);
    const ids: number[] = [];
    const watched = new Proxy(store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'getChainEnds') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: [string, number?]) => {
          const ends = await (value as SessionStore['getChainEnds'])!.apply(target, args);
          ids.push(ends?.ids.length ?? 0);
          return ends;
        };
      },
    });
    const fresh = await SessionManager.open(sm.conversationId, { store: watched, infiniteContext: true });
    const stats = await fresh.getStats();
    expect(stats.sessionSegments).toBe(CHAIN_IDS + 5);
    expect(stats.sessionChain).toEqual(segments.slice(5).map((s) => s.id));
    expect(stats.totalMessages).toBe(CHAIN_IDS + 5);
    expect(Math.max(...ids)).toBe(CHAIN_IDS);
    // The whole chain is one call away.
    expect(await fresh.getSessionChain()).toEqual(segments.map((s) => s.id));
  });

  it('listConversations: one row per conversation, newest first, paged with limit and before', async () => {
    const store = factory.create();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
      await chat(sm, i + 1, `c${i}`);
      ids.push(sm.conversationId);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const all = await store.listConversations();
    expect(all.map((c) => c.conversationId)).toEqual([...ids].reverse());
    for (const c of all) {
      const segments = await store.getSegments(c.conversationId);
      expect(c.segments).toBe(segments.length);
      expect(c.headSessionId).toBe(segments.at(-1)!.id);
      expect(c.totals).toEqual(sumTotals(segments.map((s) => s.totals)));
    }
    const first = await store.listConversations({ limit: 2 });
    const second = await store.listConversations({ limit: 2, before: first.at(-1)! });
    const third = await store.listConversations({ limit: 2, before: second.at(-1)! });
    expect([...first, ...second, ...third]).toEqual(all);
    expect(await store.listConversations({ before: all.at(-1)! })).toEqual([]);
  });

  it('updateMetadata merges into the root row, moves the conversation up the list, and refuses non-objects', async () => {
    const store = factory.create();
    const a = new SessionManager({
      store,
      infiniteContext: true,
      maxTurnsPerSegment: 2,
      metadata: { tags: ['x'] },
    });
    await chat(a, 3);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const b = new SessionManager({ store });
    await b.userSays('newer');
    expect((await store.listConversations())[0]!.conversationId).toBe(b.conversationId);
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect(await a.updateMetadata({ title: 'Trip to Rome', pinned: true })).toEqual({
      tags: ['x'],
      title: 'Trip to Rome',
      pinned: true,
    });
    const listed = await store.listConversations();
    expect(listed[0]).toMatchObject({ conversationId: a.conversationId, title: 'Trip to Rome' });
    expect(listed[0]!.metadata).toEqual({ tags: ['x'], title: 'Trip to Rome', pinned: true });
    expect((await store.getSession(a.conversationId))!.metadata.title).toBe('Trip to Rome');
    for (const bad of [null, 'title', ['x'], { fn: () => 1 }]) {
      await expect(a.updateMetadata(bad as never)).rejects.toBeInstanceOf(InvalidInputError);
    }
    expect((await store.getSession(a.conversationId))!.metadata).toEqual(listed[0]!.metadata);
    // Recording continues on the head after the marker moved.
    await a.userSays('still here');
    expect((await a.getConversation()).at(-1)!.content).toBe('still here');
  });

  it('a watched conversation list sees updateMetadata live', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store });
    await sm.userSays('hello');
    const titles: (string | undefined)[] = [];
    let resolveTitled: () => void = () => {};
    const titled = new Promise<void>((resolve) => {
      resolveTitled = resolve;
    });
    const stop = store.watch(() => store.listConversations({ limit: 10 }), {
      next: (list) => {
        titles.push(list[0]?.title);
        if (list[0]?.title === 'Renamed') resolveTitled();
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await sm.updateMetadata({ title: 'Renamed' });
    await titled;
    stop();
    expect(titles[0]).toBeUndefined();
    expect(titles.at(-1)).toBe('Renamed');
  });

  it('infiniteContext is stored with the conversation and used when reopening without it', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    await chat(sm, 2);
    const again = await SessionManager.open(sm.conversationId, { store, maxTurnsPerSegment: 2 });
    expect(again.infiniteContext).toBe(true);
    await chat(again, 2);
    expect((await store.getSegments(sm.conversationId)).length).toBeGreaterThan(2);
    const off = await SessionManager.open(sm.conversationId, { store, infiniteContext: false });
    expect(off.infiniteContext).toBe(false);
  });

  it('the rollover threshold measures context tokens: provider-reported usage is billing', async () => {
    const store = factory.create();
    const sm = new SessionManager({
      store,
      infiniteContext: true,
      tokenThreshold: 1000,
      maxTurnsPerSegment: 50,
    });
    await sm.userSays('hi');
    // A huge prompt was billed, but the reply itself is short: no rollover on the next message.
    await sm.aiResponds('hello', { usage: { prompt_tokens: 50_000, completion_tokens: 2 } });
    await sm.userSays('again');
    const segments = await store.getSegments(sm.conversationId);
    expect(segments).toHaveLength(1);
    const stats = await sm.getStats();
    expect(stats.totalTokens).toBeGreaterThan(50_000);
    expect(stats.contextTokens).toBeLessThan(20);
    const events = await sm.getEvents();
    expect(events[1]!.tokenUsage).toMatchObject({
      source: 'provider',
      promptTokens: 50_000,
      contextTokens: 1,
    });
  });

  it('a future imported timestamp does not pin a conversation first after later writes', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store });
    await sm.userSays('from the future');
    const doc = await exportConversation(sm.conversationId, { store });
    await store.deleteConversation(sm.conversationId);
    const future = '2999-01-01T00:00:00.000Z';
    const edited = JSON.parse(JSON.stringify(doc));
    edited.sessions[0].updatedAt = future;
    await importConversation(edited, { store });
    const other = new SessionManager({ store });
    await other.userSays('now');
    expect((await store.listConversations())[0]!.conversationId).toBe(sm.conversationId);
    const again = await SessionManager.open(sm.conversationId, { store });
    await again.userSays('a later write');
    const head = (await store.getHead(sm.conversationId))!;
    expect(head.updatedAt < future).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await other.userSays('newest');
    expect((await store.listConversations())[0]!.conversationId).toBe(other.conversationId);
  });

  it('a manager created before deleteConversation does not write the deleted id again; import may', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store });
    await sm.userSays('hello');
    const doc = await exportConversation(sm.conversationId, { store });
    const late = new SessionManager({ store, sessionId: sm.conversationId });
    const never = new SessionManager({ store });
    await store.deleteConversation(sm.conversationId);
    await store.deleteConversation(never.sessionId);
    await expect(late.userSays('too late')).rejects.toBeInstanceOf(ConversationDeletedError);
    await expect(never.userSays('never written, then deleted')).rejects.toBeInstanceOf(
      ConversationDeletedError,
    );
    await expect(sm.userSays('loaded before the delete')).rejects.toBeInstanceOf(ConversationDeletedError);
    expect(await store.listConversations()).toEqual([]);
    expect(await store.getSession(sm.conversationId)).toBeUndefined();
    await importConversation(doc, { store });
    const back = await SessionManager.open(sm.conversationId, { store });
    await back.userSays('restored');
    expect((await back.getConversation()).map((t) => t.content)).toEqual(['hello', 'restored']);
  });

  it('with a lock manager, two writers racing for a rollover make exactly one summary', async () => {
    const store = factory.create();
    const locks = new FakeLockManager();
    let summaries = 0;
    const summarize = async () => {
      summaries++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 'summary';
    };
    const options = { store, infiniteContext: true, maxTurnsPerSegment: 2, summarize, locks };
    const a = new SessionManager(options);
    await chat(a, 1);
    const b = await SessionManager.open(a.conversationId, options);
    // Both see a full head and both need a rollover.
    await Promise.all([a.userSays('from a'), b.userSays('from b')]);
    const segments = await store.getSegments(a.conversationId);
    expect(segments).toHaveLength(2);
    expect(summaries).toBe(1);
    expect(locks.requests).toBe(2);
    const texts = (await a.getConversation()).map((t) => t.content);
    expect(texts.slice(-2).sort()).toEqual(['from a', 'from b']);
  });

  it('without locks (null) the optimistic path still never rolls a segment over twice', async () => {
    const store = factory.create();
    let summaries = 0;
    const summarize = async () => {
      summaries++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 'summary';
    };
    const options = { store, infiniteContext: true, maxTurnsPerSegment: 2, summarize, locks: null };
    const a = new SessionManager(options);
    await chat(a, 1);
    const b = await SessionManager.open(a.conversationId, options);
    await Promise.all([a.userSays('from a'), b.userSays('from b')]);
    expect(await store.getSegments(a.conversationId)).toHaveLength(2);
    // The loser's summary is thrown away: the cost the lock removes.
    expect(summaries).toBe(2);
  });
});

describe('import computes v2 rows from an export written before them', () => {
  it.each(storeFactories)('priorTotals, headAt and contextTokens on the $kind store', async (factory) => {
    const store = factory.create();
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    await chat(sm, 4);
    const doc = await exportConversation(sm.conversationId, { store });
    // As version-1 code exported it: no store-kept fields, no contextTokens anywhere.
    const old = JSON.parse(JSON.stringify(doc));
    for (const s of old.sessions as Session[]) {
      delete s.priorTotals;
      delete s.headAt;
      delete (s.totals as Partial<Session['totals']>).contextTokens;
    }
    for (const e of old.events) delete e.tokenUsage?.contextTokens;
    const target = factory.create();
    await importConversation(old, { store: target });
    const segments = await target.getSegments(sm.conversationId);
    const original = await store.getSegments(sm.conversationId);
    expect(segments.map((s) => s.priorTotals)).toEqual(original.map((s) => s.priorTotals));
    expect(segments.map((s) => s.headAt !== undefined)).toEqual(
      original.map((_, i) => i === original.length - 1),
    );
    for (const s of segments) expect(s.totals.contextTokens).toBe(s.totals.totalTokens);
    const [listed] = await target.listConversations();
    expect(listed!.totals).toEqual(sumTotals(segments.map((s) => s.totals)));
  });
});

describe('export holds the conversation, not the head bookkeeping', () => {
  it.each(storeFactories)(
    'no headAt or priorTotals in the document; import restores them ($kind)',
    async (factory) => {
      const store = factory.create();
      const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
      await chat(sm, 4);
      const doc = await exportConversation(sm.conversationId, { store });
      for (const s of doc.sessions) {
        expect(s).not.toHaveProperty('headAt');
        expect(s).not.toHaveProperty('priorTotals');
      }
      const target = factory.create();
      await importConversation(doc, { store: target });
      const original = await store.getSegments(sm.conversationId);
      expect(await target.getSegments(sm.conversationId)).toEqual(original);
    },
  );
});

describe('importRecords in batches continues a stored conversation', () => {
  it.each(storeFactories)('the same head fields as one import ($kind store)', async (factory) => {
    const store = factory.create();
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    await chat(sm, 5);
    const doc = await exportConversation(sm.conversationId, { store });
    const target = factory.create();
    const bySegment = (ids: Set<string>) => doc.events.filter((e) => ids.has(e.sessionId));
    for (const part of [doc.sessions.slice(0, 2), doc.sessions.slice(2)]) {
      await target.importRecords(part, bySegment(new Set(part.map((s) => s.id))));
    }
    expect(await target.getSegments(sm.conversationId)).toEqual(await store.getSegments(sm.conversationId));
    expect(await target.listConversations()).toEqual(await store.listConversations());
  });
});
