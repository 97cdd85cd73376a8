// Faults during the writes streaming and branches add: flushes, finish, abort, regenerate,
// edit and select, through a store failing each call (before it runs, or after it committed)
// and through IndexedDB failing each mutation (Dexie DBCore middleware). After every fault:
// the chain is well formed (totals equal what the events add up to), a reply is counted at
// most once and never while unfinished, nothing acknowledged is lost, and the conversation
// keeps working (a retry or the next call succeeds).
import { DexieSessionStore, SessionManager, type SessionStore } from '@ai-session-manager/core';
import { ReplyStateError } from '@ai-session-manager/core/chat';
import { describe, expect, it } from 'vitest';
import { storeFactories, uniqueDbName } from '../helpers';
import {
  expectNoStrayRows,
  expectWellFormedChain,
  FaultyStore,
  figures,
  InjectedFault,
  injectMutationFaults,
  reportFigures,
} from './support';

reportFigures('streaming-faults');

const options = { infiniteContext: true, maxTurnsPerSegment: 4 } as const;

async function aiMessages(store: SessionStore, conversationId: string): Promise<number> {
  const chain = await expectWellFormedChain(store, conversationId);
  figures.eventsWritten += chain.events.flat().length;
  return chain.segments.reduce((sum, s) => sum + s.totals.aiMessages, 0);
}

describe.each(storeFactories)('streaming writes failing ($kind store)', (factory) => {
  it.each(['before', 'after'] as const)(
    'a flush failing (%s) loses no text: the next write carries it',
    async (when) => {
      const store = new FaultyStore(factory.create());
      const sm = new SessionManager({ store, ...options });
      await sm.userSays('q');
      const reply = await sm.beginResponse();
      reply.append('one ');
      store.failOn('updateEvent', 1, when);
      await expect(reply.flush()).rejects.toBeInstanceOf(InjectedFault);
      reply.append('two');
      await reply.finish();
      const events = await store.inner.getEvents(sm.sessionId);
      expect(events[1]!.message).toBe('one two');
      expect(await aiMessages(store.inner, sm.conversationId)).toBe(1);
    },
  );

  it('finish failing before it runs writes nothing; the retry counts the reply once', async () => {
    const store = new FaultyStore(factory.create());
    const sm = new SessionManager({ store, ...options });
    await sm.userSays('q');
    const reply = await sm.beginResponse();
    reply.append('answer');
    store.failOn('updateEvent', 1, 'before');
    await expect(reply.finish()).rejects.toBeInstanceOf(InjectedFault);
    expect(reply.status).toBe('streaming');
    expect(await aiMessages(store.inner, sm.conversationId)).toBe(0);
    await reply.finish();
    expect(await aiMessages(store.inner, sm.conversationId)).toBe(1);
  });

  it.each(['finish', 'abort'] as const)(
    '%s committed but reported as failed: a retry is refused, the reply is counted exactly once',
    async (call) => {
      const store = new FaultyStore(factory.create());
      const sm = new SessionManager({ store, ...options });
      await sm.userSays('q');
      const reply = await sm.beginResponse();
      reply.append('answer');
      store.failOn('updateEvent', 1, 'after');
      await expect(call === 'finish' ? reply.finish() : reply.abort()).rejects.toBeInstanceOf(InjectedFault);
      await expect(call === 'finish' ? reply.finish() : reply.abort()).rejects.toBeInstanceOf(
        ReplyStateError,
      );
      expect(await aiMessages(store.inner, sm.conversationId)).toBe(1);
      await sm.userSays('next');
      expect(await aiMessages(store.inner, sm.conversationId)).toBe(1);
    },
  );

  it.each([
    ['appendEvent', 'before'],
    ['appendEvent', 'after'],
  ] as const)(
    'beginResponse failing (%s, %s): at most the one event, still only an event',
    async (method, when) => {
      const store = new FaultyStore(factory.create());
      const sm = new SessionManager({ store, ...options });
      await sm.userSays('q');
      store.failOn(method, 1, when);
      await expect(sm.beginResponse({ eventId: 'r1' })).rejects.toBeInstanceOf(InjectedFault);
      expect(await aiMessages(store.inner, sm.conversationId)).toBe(0);
      const reply = await sm.beginResponse();
      await reply.finish();
      expect(await aiMessages(store.inner, sm.conversationId)).toBe(1);
    },
  );

  it.each([
    ['regenerate', 'appendEvent'],
    ['regenerate', 'getEvents'],
    ['edit', 'appendEvent'],
    ['edit', 'getSegments'],
    ['select', 'patchSession'],
    ['select', 'getSegments'],
  ] as const)('%s failing at %s writes nothing and the retry works', async (action, method) => {
    const store = new FaultyStore(factory.create());
    const sm = new SessionManager({ store, ...options });
    await sm.userSays('q');
    await sm.aiResponds('a', { eventId: 'a-1' });
    const second = await sm.regenerate();
    await second.finish();
    const before = await expectWellFormedChain(store.inner, sm.conversationId);
    const run = async () => {
      if (action === 'regenerate') await (await sm.regenerate()).finish();
      else if (action === 'edit') await sm.editMessage(before.events[0]![0]!.id, 'q edited');
      else await sm.selectAlternative('a-1');
    };
    store.failOn(method, 1, 'before');
    await expect(run()).rejects.toBeInstanceOf(InjectedFault);
    expect(await expectWellFormedChain(store.inner, sm.conversationId)).toEqual(before);
    await run();
    const turns = await sm.getConversation();
    if (action === 'regenerate') expect(turns[1]!.alternatives).toEqual({ index: 2, count: 3 });
    if (action === 'edit') expect(turns.map((t) => t.content)).toEqual(['q edited']);
    if (action === 'select') expect(turns[1]!.eventId).toBe('a-1');
    await sm.userSays('keeps working');
    await expectWellFormedChain(store.inner, sm.conversationId);
  });
});

describe('IndexedDB failing each mutation of a streamed reply and its branch writes', () => {
  it('every mutation from begin to select, failed in turn: well formed, counted once, retry works', async () => {
    /** Runs the writes with mutation `n` failed (0: none); returns the mutations seen. */
    async function run(n: number): Promise<number> {
      const store = new DexieSessionStore({ name: uniqueDbName('stream-faults') });
      const faults = injectMutationFaults(store);
      const sm = new SessionManager({ store, ...options });
      await sm.userSays('q');
      await sm.aiResponds('a', { eventId: 'a-1' });
      if (n > 0) faults.failNth(n);
      else faults.failNth(Number.POSITIVE_INFINITY);
      let reply: Awaited<ReturnType<SessionManager['beginResponse']>> | undefined;
      const steps: (() => Promise<unknown>)[] = [
        async () => {
          reply ??= await sm.regenerate();
        },
        async () => {
          if (!reply!.text) reply!.append('partial ');
          await reply!.flush();
        },
        async () => {
          if (!reply!.text.endsWith('done')) reply!.append('done');
          await reply!.finish();
        },
        () => sm.selectAlternative('a-1'),
      ];
      for (const step of steps) {
        try {
          await step();
        } catch (error) {
          expect(String(error)).toMatch(/injected|rolled back/);
          await step(); // the retry succeeds (the fault was one mutation)
        }
      }
      const seen = faults.seen.length;
      faults.heal();
      expect(await aiMessages(store, sm.conversationId)).toBe(2);
      await expectNoStrayRows(store);
      const turns = await sm.getConversation();
      expect(turns.map((t) => t.content)).toEqual(['q', 'a']);
      expect(turns[1]!.alternatives).toEqual({ index: 0, count: 2 });
      expect((await sm.getAlternatives('a-1')).versions[1]!.content).toBe('partial done');
      store.close();
      return seen;
    }
    const mutations = await run(0);
    expect(mutations).toBeGreaterThanOrEqual(4);
    for (let n = 1; n <= mutations; n++) await run(n);
  });
});
