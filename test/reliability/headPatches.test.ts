// Issue 20, cause 2: every write to a session row is a patch computed from the row as stored,
// in the write's own transaction, so another tab's write in between is never lost, and a write
// meant for the head never lands on a segment that was rolled over meanwhile.
//
// Two managers over one database stand in for two tabs. `interleaved` runs the other tab's
// whole action at the moment this tab's first row write reaches the store: the window in which
// a read-then-write-whole-row design loses the other tab's change.
import { BranchError, type SessionStore, SessionManager } from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../helpers';
import { expectWellFormedChain, FaultyStore, InjectedFault } from './support';

const ROW_WRITES = new Set(['patchSession', 'updateSession']);

/** `store`, but the first row write runs `other` to completion before it goes in. */
function interleaved(store: SessionStore, other: () => Promise<unknown>): SessionStore {
  let pending: (() => Promise<unknown>) | undefined = other;
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (!ROW_WRITES.has(String(key))) return value.bind(target);
      return async (...args: unknown[]) => {
        const run = pending;
        pending = undefined;
        if (run) await run();
        return value.apply(target, args);
      };
    },
  });
}

/** A conversation with two versions of the reply; `older` is the first. */
async function withVersions(store: SessionStore) {
  const sm = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
  await sm.userSays('Pick a city');
  await sm.aiResponds('Rome', { eventId: 'older' });
  const newer = await sm.regenerate('older');
  newer.append('Paris');
  await newer.finish();
  return sm;
}

for (const factory of storeFactories) {
  describe(`head and root writes are checked patches (${factory.kind})`, () => {
    it('tab A sets a title while tab B (opened earlier) sets pinned: both stay, in storage and the list', async () => {
      const store = factory.create();
      const first = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
      await first.userSays('hello');
      const tabB = await SessionManager.open(first.conversationId, { store: factory.reopen(store) });
      const tabA = await SessionManager.open(first.conversationId, {
        store: interleaved(factory.reopen(store), () => tabB.updateMetadata({ pinned: true })),
      });
      await tabA.updateMetadata({ title: 'Trip' });
      expect((await store.getSession(first.conversationId))!.metadata).toEqual({
        title: 'Trip',
        pinned: true,
      });
      const [listed] = await store.listConversations();
      expect(listed).toMatchObject({ title: 'Trip', metadata: { title: 'Trip', pinned: true } });
    });

    it("a run started in one tab does not undo another tab's branch selection", async () => {
      const store = factory.create();
      const sm = await withVersions(store);
      const tabB = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      const tabA = await SessionManager.open(sm.conversationId, {
        store: interleaved(factory.reopen(store), () => tabB.selectAlternative('older')),
      });
      const run = await tabA.startRun({ goal: 'plan' });
      const reader = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      expect((await reader.getConversation()).map((t) => t.content)).toEqual(['Pick a city', 'Rome']);
      expect(reader.activeLeafId).toBe('older');
      expect((await reader.getRuns()).map((r) => r.id)).toEqual([run.id]);
      // The message written after choosing the older version stays in the chat and the prompt.
      await tabB.userSays('Why Rome?');
      await run.complete();
      const after = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      expect((await after.getMessagesForLLM()).map((m) => m.content)).toEqual([
        'Pick a city',
        'Rome',
        'Why Rome?',
      ]);
    });

    it('selectAlternative in one tab keeps a run another tab started meanwhile', async () => {
      const store = factory.create();
      const sm = await withVersions(store);
      const tabB = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      let started = '';
      const tabA = await SessionManager.open(sm.conversationId, {
        store: interleaved(factory.reopen(store), async () => {
          started = (await tabB.startRun({ goal: 'other tab' })).id;
        }),
      });
      await tabA.selectAlternative('older');
      const reader = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      expect((await reader.getRuns()).map((r) => [r.id, r.status])).toEqual([[started, 'running']]);
      expect(reader.activeLeafId).toBe('older');
    });

    it("selectAlternative racing another tab's rollover fails with BranchError and leaves the closed segment as it was", async () => {
      const store = factory.create();
      const options = { defaultModel: 'gpt-4o-mini', infiniteContext: true, maxTurnsPerSegment: 3 };
      const sm = new SessionManager({ store, ...options });
      await sm.userSays('Pick a city');
      await sm.aiResponds('Rome', { eventId: 'older' });
      const newer = await sm.regenerate('older');
      newer.append('Paris');
      await newer.finish();
      const closed = (await store.getHead(sm.conversationId))!;
      const tabB = await SessionManager.open(sm.conversationId, { store: factory.reopen(store), ...options });
      const tabA = await SessionManager.open(sm.conversationId, {
        store: interleaved(factory.reopen(store), () => tabB.userSays('Next question')),
        ...options,
      });
      await expect(tabA.selectAlternative('older')).rejects.toBeInstanceOf(BranchError);
      const segments = await store.getSegments(sm.conversationId);
      expect(segments).toHaveLength(2);
      expect(segments[0]!.state).toEqual(closed.state);
      expect(segments[1]!.state.activeLeafId ?? null).toBeNull();
      expect((await tabA.getMessagesForLLM()).at(-1)!.content).toBe('Next question');
    });

    it("updateSystemPrompt racing another tab's rollover lands on the new head", async () => {
      const store = factory.create();
      const options = { defaultModel: 'gpt-4o-mini', infiniteContext: true, maxTurnsPerSegment: 2 };
      const sm = new SessionManager({ store, ...options, systemPrompt: 'old' });
      await sm.userSays('one');
      await sm.aiResponds('two');
      const tabB = await SessionManager.open(sm.conversationId, { store: factory.reopen(store), ...options });
      const tabA = await SessionManager.open(sm.conversationId, {
        store: interleaved(factory.reopen(store), () => tabB.userSays('three')),
        ...options,
      });
      await tabA.updateSystemPrompt('new');
      const segments = await store.getSegments(sm.conversationId);
      expect(segments.map((s) => s.systemPrompt)).toEqual(['old', 'new']);
    });

    it('a patch of a deleted row is refused and writes nothing', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
      await sm.userSays('hello');
      await store.deleteConversation(sm.conversationId);
      await expect(
        store.patchSession(sm.conversationId, () => ({ metadata: { x: 1 } })),
      ).rejects.toMatchObject({
        name: 'SessionNotFoundError',
      });
      expect(await store.getSession(sm.conversationId)).toBeUndefined();
    });
  });
}

describe.each(storeFactories)('row writes failing in the store ($kind)', (factory) => {
  const writes: [string, (sm: SessionManager) => Promise<unknown>][] = [
    ['updateMetadata', (sm) => sm.updateMetadata({ pinned: true })],
    ['startRun', (sm) => sm.startRun({ goal: 'x' })],
    ['selectAlternative', (sm) => sm.selectAlternative('older')],
    ['updateSystemPrompt', (sm) => sm.updateSystemPrompt('be brief')],
  ];
  it.each(writes)(
    '%s failing before or after its commit: the error surfaces, the row is whole, a retry works',
    async (_, write) => {
      for (const when of ['before', 'after'] as const) {
        const store = new FaultyStore(factory.create());
        const sm = await withVersions(store);
        await sm.updateMetadata({ title: 'Trip' });
        const before = (await store.inner.getHead(sm.conversationId))!;
        store.failOn('patchSession', 1, when);
        await expect(write(sm)).rejects.toBeInstanceOf(InjectedFault);
        const after = (await store.inner.getHead(sm.conversationId))!;
        // Either nothing changed, or (failed after commit) exactly the write took; never half of it.
        if (when === 'before') expect(after).toEqual(before);
        expect(after.metadata.title).toBe('Trip');
        expect(after.totals).toEqual(before.totals);
        await write(sm);
        await expectWellFormedChain(store.inner, sm.conversationId);
        expect((await store.inner.getHead(sm.conversationId))!.metadata.title).toBe('Trip');
      }
    },
  );
});
