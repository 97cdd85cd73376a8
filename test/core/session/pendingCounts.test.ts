// Issue 20: no message waits for the tokenizer. The first messages of a page are stored before
// the rank tables have loaded (durable at once) and counted right after, totals included, in one
// transaction; a count a closed tab never filled in is finished when the conversation is opened.
// (Vitest gives each test file its own modules: the tokenizer starts unloaded here.)
import {
  EventSource,
  EventType,
  exportConversation,
  importConversation,
  MemorySessionStore,
  type SessionEvent,
  SessionManager,
  type SessionStore,
  countTokens,
  tokenizerReady,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../../helpers';

/** The store, recording what each append and update carried. */
function recording(store: SessionStore) {
  const log: string[] = [];
  const wrapped = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (key === 'appendEvent') {
        return (id: string, draft: SessionEvent, ...rest: unknown[]) => {
          log.push(`append ${draft.tokenUsage?.pending ? 'pending' : 'counted'}`);
          return value.call(target, id, draft, ...rest);
        };
      }
      if (key === 'updateEvent') {
        return (id: string, patch: unknown, options: { fillPending?: boolean } = {}) => {
          if (options.fillPending) log.push('fill');
          return value.call(target, id, patch, options);
        };
      }
      return value.bind(target);
    },
  });
  return { store: wrapped, log };
}

describe('the first message of a page is stored before the tokenizer loads', () => {
  it('userSays writes it at once (pending), then fills in the count and the totals', async () => {
    expect(tokenizerReady('gpt-4o-mini')).toBe(false);
    const { store, log } = recording(storeFactories[0]!.create());
    const sm = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
    await sm.userSays('Hello there, how are you today?');
    await sm.aiResponds('Fine, thanks.', { usage: { prompt_tokens: 20, completion_tokens: 4 } });
    expect(log[0]).toBe('append pending');
    expect(log[1]).toBe('fill');
    const [user, reply] = await sm.getEvents();
    const tokens = await countTokens('Hello there, how are you today?', 'gpt-4o-mini');
    expect(user!.tokenUsage).toMatchObject({
      promptTokens: tokens,
      contextTokens: tokens,
      source: 'counted',
    });
    expect(user!.tokenUsage).not.toHaveProperty('pending');
    // The provider's figures stay what was billed; the text's own count fills contextTokens.
    expect(reply!.tokenUsage).toMatchObject({ promptTokens: 20, completionTokens: 4, source: 'provider' });
    expect(reply!.tokenUsage!.contextTokens).toBe(await countTokens('Fine, thanks.', 'gpt-4o-mini'));
    const head = (await store.getHead(sm.conversationId))!;
    expect(head.state.pendingCounts ?? 0).toBe(0);
    expect(head.totals.promptTokens).toBe(tokens + 20);
    expect(head.totals.contextTokens).toBe(
      user!.tokenUsage!.contextTokens! + reply!.tokenUsage!.contextTokens!,
    );
    // Once loaded, a message is counted before it is written: one append, no fill.
    expect(tokenizerReady('gpt-4o-mini')).toBe(true);
    log.length = 0;
    await sm.userSays('And now?');
    expect(log).toEqual(['append counted']);
  });
});

/** What a tab that closed between the write and the count leaves: a pending message. */
async function leftPending(store: SessionStore, sessionId: string, text: string) {
  const { tokenUsage } = (await store.getEvents(sessionId))[0]!;
  await store.appendEvent(sessionId, {
    id: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    source: EventSource.USER,
    type: EventType.MESSAGE,
    message: text,
    metadata: {},
    tokenUsage: {
      ...tokenUsage!,
      promptTokens: 0,
      totalTokens: 0,
      contextTokens: 0,
      estimatedCostUsd: 0,
      pending: true,
    },
  });
}

for (const factory of storeFactories) {
  describe(`a count a closed tab left pending (${factory.kind})`, () => {
    it('is filled in, totals too, by the next manager that opens the conversation', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
      await sm.userSays('first');
      await leftPending(store, sm.sessionId, 'a message whose tab closed');
      expect((await store.getHead(sm.conversationId))!.state.pendingCounts).toBe(1);
      const reopened = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      const stats = await reopened.getStats();
      const tokens = await countTokens('a message whose tab closed', 'gpt-4o-mini');
      const first = await countTokens('first', 'gpt-4o-mini');
      expect(stats.promptTokens).toBe(first + tokens);
      const events = await reopened.getEvents();
      expect(events.map((e) => e.tokenUsage?.pending ?? false)).toEqual([false, false]);
      expect((await store.getHead(sm.conversationId))!.state.pendingCounts).toBe(0);
    });

    it('a rollover carries the waiting count to the new head; the event in the closed segment is filled there', async () => {
      const store = factory.create();
      const options = { defaultModel: 'gpt-4o-mini', infiniteContext: true, maxTurnsPerSegment: 2 };
      const sm = new SessionManager({ store, ...options });
      await sm.userSays('one');
      await leftPending(store, sm.sessionId, 'two, never counted');
      await sm.userSays('three'); // the head is full: this rolls it over first
      const segments = await store.getSegments(sm.conversationId);
      expect(segments).toHaveLength(2);
      expect(segments[0]!.state.pendingCounts).toBeUndefined();
      expect(segments[1]!.state.pendingCounts).toBe(1);
      const reopened = await SessionManager.open(sm.conversationId, {
        store: factory.reopen(store),
        ...options,
      });
      await reopened.getStats();
      const [closed, head] = await store.getSegments(sm.conversationId);
      const counted = await countTokens('two, never counted', 'gpt-4o-mini');
      const pending = (await store.getEvents(closed!.id)).find((e) => e.message === 'two, never counted')!;
      expect(pending.tokenUsage).toMatchObject({ promptTokens: counted });
      expect(closed!.totals.promptTokens).toBe(
        (await store.getEvents(closed!.id)).reduce((n, e) => n + (e.tokenUsage?.promptTokens ?? 0), 0),
      );
      expect(head!.state.pendingCounts).toBe(0);
      expect(head!.priorTotals!.promptTokens).toBe(closed!.totals.promptTokens);
    });

    it('is filled in once when two managers race for it', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
      await sm.userSays('first');
      await leftPending(store, sm.sessionId, 'raced');
      const a = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      const b = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      await Promise.all([a.getStats(), b.getStats()]);
      const head = (await store.getHead(sm.conversationId))!;
      const sum = (await store.getEvents(head.id)).reduce((n, e) => n + (e.tokenUsage?.promptTokens ?? 0), 0);
      expect(head.totals.promptTokens).toBe(sum);
      expect(head.state.pendingCounts).toBe(0);
    });
  });
}

describe('a pending count in an exported file', () => {
  it('imports, and is filled in when the copy is opened', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
    await sm.userSays('first');
    await leftPending(store, sm.sessionId, 'exported while pending');
    const doc = await exportConversation(sm.conversationId, { store });
    const target = new MemorySessionStore();
    const { conversationId } = await importConversation(doc, { store: target, newIds: true });
    const copy = await SessionManager.open(conversationId, { store: target });
    const stats = await copy.getStats();
    expect(stats.promptTokens).toBe(
      (await countTokens('first', 'gpt-4o-mini')) +
        (await countTokens('exported while pending', 'gpt-4o-mini')),
    );
  });
});
