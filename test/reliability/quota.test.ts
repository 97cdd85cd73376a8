// Storage limits. IndexedDB refusing a write with QuotaExceededError (injected through a Dexie
// DBCore middleware, both as a rejected request and as a transaction aborted at commit, which
// is how Chromium reports a full origin) surfaces as the typed StorageQuotaError, commits
// nothing, and leaves the stats equal to what the stored events add up to. And the small API
// apps use to warn before the quota is reached: getStorageEstimate / requestPersistentStorage.
import {
  DexieSessionStore,
  exportConversation,
  getStorageEstimate,
  importConversation,
  MemorySessionStore,
  requestPersistentStorage,
  SessionManager,
  type SessionStats,
  StorageQuotaError,
  StorageWriteError,
} from '@ai-session-manager/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { uniqueDbName } from '../helpers';
import {
  expectNoLoss,
  expectNoStrayRows,
  expectWellFormedChain,
  figures,
  injectMutationFaults,
  quotaExceeded,
  readChain,
  reportFigures,
  totalsOf,
} from './support';

reportFigures('quota');

const options = { infiniteContext: true, maxTurnsPerSegment: 2 } as const;

async function setup() {
  const store = new DexieSessionStore({ name: uniqueDbName('quota') });
  const faults = injectMutationFaults(store);
  const sm = new SessionManager({ store, systemPrompt: 'sys', ...options });
  return { store, faults, sm };
}

/** Stats agree with the stored events: every segment's totals are what its events add up to. */
async function expectConsistentStats(store: DexieSessionStore, sm: SessionManager): Promise<SessionStats> {
  const chain = await expectWellFormedChain(store, sm.conversationId);
  const stats = await sm.getStats({ includeAllSegments: true });
  const all = totalsOf(chain.events.flat());
  expect(stats).toMatchObject({
    totalEvents: all.events,
    totalMessages: all.messages,
    toolCalls: all.toolCalls,
    totalTokens: all.totalTokens,
    sessionSegments: chain.segments.length,
  });
  expect(stats.estimatedCost).toBeCloseTo(all.estimatedCostUsd, 12);
  return stats;
}

async function expectQuotaError(promise: Promise<unknown>): Promise<StorageQuotaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageQuotaError);
  expect(error).toBeInstanceOf(StorageWriteError);
  expect((error as Error).message).toMatch(/quota is full.*nothing was saved/);
  return error as StorageQuotaError;
}

/** The parts of fake-indexeddb's transaction used to fail a commit the way a full origin does. */
interface FakeTransaction {
  error: unknown;
  _abort(errorName: string): void;
  _markFinished(): void;
}

/**
 * Chromium checks the quota when a transaction commits: every request succeeded, then the
 * transaction aborts with QuotaExceededError. Done here by turning fake-indexeddb's commit of
 * each read-write transaction into its own abort path (rollback, `abort` event, that error).
 */
function abortAtCommit(store: DexieSessionStore): { arm(): void; disarm(): void; aborted: string[][] } {
  let armed = false;
  const aborted: string[][] = [];
  /** What each transaction wrote (table:type), so only transactions that wrote are failed. */
  const writes = new WeakMap<object, string[]>();
  store.db.use({
    stack: 'dbcore',
    name: 'quota-at-commit',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (request) => {
            writes.get(request.trans)?.push(`${name}:${request.type}`);
            return table.mutate(request);
          },
        };
      },
      transaction: (stores, mode, options) => {
        const trans = down.transaction(stores, mode, options) as unknown as FakeTransaction;
        if (mode === 'readwrite' && armed) {
          writes.set(trans, []);
          const markFinished = trans._markFinished.bind(trans);
          let failed = false;
          trans._markFinished = () => {
            const wrote = writes.get(trans) ?? [];
            if (failed || trans.error || wrote.length === 0) return markFinished();
            aborted.push(wrote);
            failed = true;
            figures.faultsInjected += 1;
            trans._abort('QuotaExceededError'); // calls _markFinished again, which now finishes
          };
        }
        return trans as unknown as ReturnType<typeof down.transaction>;
      },
    }),
  });
  return {
    aborted,
    arm: () => {
      armed = true;
    },
    disarm: () => {
      armed = false;
    },
  };
}

describe('QuotaExceededError from IndexedDB', () => {
  const writes: [string, (sm: SessionManager) => Promise<unknown>][] = [
    ['userSays', (sm) => sm.userSays('one more')],
    ['aiResponds', (sm) => sm.aiResponds('one more', { usage: { prompt_tokens: 10, completion_tokens: 5 } })],
    ['toolUsed', (sm) => sm.toolUsed('calc', { x: 1 }, { y: 2 })],
    ['updateSystemPrompt', (sm) => sm.updateSystemPrompt('new prompt')],
    ['startRun', (sm) => sm.startRun({ goal: 'x' })],
  ];

  it.each(writes)(
    '%s on a full origin: StorageQuotaError, nothing committed, stats consistent',
    async (_, write) => {
      const { store, faults, sm } = await setup();
      const acknowledged = ['q0', 'a0', 'q1'];
      await sm.userSays('q0');
      await sm.aiResponds('a0');
      await sm.userSays('q1');
      const before = await readChain(store, sm.conversationId);
      const statsBefore = await expectConsistentStats(store, sm);
      faults.failFrom(1, quotaExceeded);
      await expectQuotaError(write(sm));
      expect(await readChain(store, sm.conversationId)).toEqual(before);
      expect(await expectConsistentStats(store, sm)).toEqual(statsBefore);
      expect(sm.systemPrompt).toBe('sys');
      await expectNoStrayRows(store);
      // Space freed: the same call works and the conversation goes on.
      faults.heal();
      await write(sm);
      await sm.userSays('after');
      acknowledged.push(...(await sm.getConversation()).slice(3).map((t) => t.content));
      expectNoLoss(await expectWellFormedChain(store, sm.conversationId), acknowledged);
      await expectConsistentStats(store, sm);
      figures.eventsWritten += (await sm.getStats()).totalEvents;
    },
  );

  it('the very first write (creating the conversation) refused: nothing exists, the same id works later', async () => {
    const { store, faults, sm } = await setup();
    const id = sm.sessionId;
    faults.failFrom(1, quotaExceeded);
    await expectQuotaError(sm.userSays('hello'));
    expect(await store.listConversations()).toEqual([]);
    expect(await store.db.events.count()).toBe(0);
    faults.heal();
    await sm.userSays('hello');
    expect(sm.sessionId).toBe(id);
    expectNoLoss(await expectWellFormedChain(store, id), ['hello']);
    figures.eventsWritten += await store.db.events.count();
  });

  it.each([1, 2, 3])(
    'a rollover refused at its write %i: no new segment, no summary, stats consistent, then it rolls over',
    async (n) => {
      const { store, faults, sm } = await setup();
      await sm.userSays('q0');
      await sm.aiResponds('a0');
      const before = await readChain(store, sm.conversationId);
      const stats = await expectConsistentStats(store, sm);
      faults.failFrom(n, quotaExceeded);
      await expectQuotaError(sm.userSays('q1'));
      expect(await readChain(store, sm.conversationId)).toEqual(before);
      expect(await expectConsistentStats(store, sm)).toEqual(stats);
      await expectNoStrayRows(store);
      faults.heal();
      await sm.userSays('q1');
      const chain = await expectWellFormedChain(store, sm.conversationId);
      expect(chain.segments).toHaveLength(2);
      expectNoLoss(chain, ['q0', 'a0', 'q1']);
      figures.eventsWritten += chain.events.flat().length;
    },
  );

  it('a transaction aborted at commit with QuotaExceededError is the same typed error, with nothing committed', async () => {
    const store = new DexieSessionStore({ name: uniqueDbName('quota-commit') });
    const commit = abortAtCommit(store);
    const sm = new SessionManager({ store, ...options });
    await sm.userSays('q0');
    await sm.aiResponds('a0');
    const before = await readChain(store, sm.conversationId);
    commit.arm();
    await expectQuotaError(sm.userSays('q1')); // the rollover transaction fails at commit
    expect(commit.aborted).toEqual([['events:add', 'sessions:put', 'sessions:add']]);
    await expectQuotaError(sm.toolUsed('t', {}, {}));
    expect(await readChain(store, sm.conversationId)).toEqual(before);
    await expectNoStrayRows(store);
    commit.disarm();
    await sm.userSays('q1');
    expectNoLoss(await expectWellFormedChain(store, sm.conversationId), ['q0', 'a0', 'q1']);
    figures.eventsWritten += await store.db.events.count();
  });

  it('importing a conversation into a full origin writes none of it', async () => {
    const source = new MemorySessionStore();
    const sm = new SessionManager({ store: source, ...options });
    for (let i = 0; i < 5; i++) await sm.userSays(`m${i}`);
    const doc = await exportConversation(sm.conversationId, { store: source });
    const { store, faults } = await setup();
    faults.failFrom(1, quotaExceeded);
    await expectQuotaError(importConversation(doc, { store }));
    expect(await store.db.sessions.count()).toBe(0);
    expect(await store.db.events.count()).toBe(0);
    faults.heal();
    await importConversation(doc, { store });
    expect(await store.db.events.count()).toBe(doc.events.length);
    figures.eventsWritten += doc.events.length;
  });
});

describe('getStorageEstimate and requestPersistentStorage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const stubStorage = (storage: Partial<Record<'estimate' | 'persisted' | 'persist', unknown>> | undefined) =>
    vi.stubGlobal('navigator', storage === undefined ? {} : { storage });

  it('report usage, quota and persistence from navigator.storage', async () => {
    const persist = vi.fn(async () => true);
    stubStorage({
      estimate: async () => ({ usage: 1234, quota: 10_000 }),
      persisted: async () => false,
      persist,
    });
    expect(await getStorageEstimate()).toEqual({ usage: 1234, quota: 10_000, persisted: false });
    expect(await requestPersistentStorage()).toBe(true);
    expect(persist).toHaveBeenCalledOnce();
  });

  it('fill in what the browser leaves out (no persisted(), missing figures)', async () => {
    stubStorage({ estimate: async () => ({}) });
    expect(await getStorageEstimate()).toEqual({ usage: 0, quota: 0, persisted: false });
    stubStorage({
      estimate: async () => ({ usage: 5, quota: 9 }),
      persisted: () => Promise.reject(new Error('x')),
    });
    expect(await getStorageEstimate()).toEqual({ usage: 5, quota: 9, persisted: false });
  });

  it('return null / false, never throw, where the API is missing, refused or broken', async () => {
    vi.stubGlobal('navigator', undefined);
    expect(await getStorageEstimate()).toBeNull();
    expect(await requestPersistentStorage()).toBe(false);
    stubStorage(undefined);
    expect(await getStorageEstimate()).toBeNull();
    expect(await requestPersistentStorage()).toBe(false);
    stubStorage({
      estimate: () => {
        throw new TypeError('sync throw');
      },
      persist: () => {
        throw new TypeError('sync throw');
      },
    });
    expect(await getStorageEstimate()).toBeNull();
    expect(await requestPersistentStorage()).toBe(false);
    stubStorage({
      estimate: () => Promise.reject(new DOMException('denied', 'SecurityError')),
      persist: async () => false,
    });
    expect(await getStorageEstimate()).toBeNull();
    expect(await requestPersistentStorage()).toBe(false);
  });

  it('give an app what it needs to warn before the quota is reached', async () => {
    stubStorage({ estimate: async () => ({ usage: 95, quota: 100 }), persisted: async () => true });
    const estimate = await getStorageEstimate();
    expect(estimate && estimate.usage / estimate.quota).toBeGreaterThan(0.9);
    expect(estimate?.persisted).toBe(true);
  });
});
