// Faults during a rollover, and afterwards: a summarizer that misbehaves, a store that fails at
// each step of a rollover (both stores, through a wrapper), and IndexedDB failing each write of
// the rollover transaction (through a Dexie DBCore middleware). After every fault: no
// half-made segment, the message recorded or a clear error with nothing written, and the
// conversation keeps working (the next messages are recorded and roll over correctly).
import {
  DexieSessionStore,
  EventType,
  SessionManager,
  type SessionStore,
  StorageWriteError,
  type SummarizeFn,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories, uniqueDbName } from '../helpers';
import {
  type Chain,
  expectNoLoss,
  expectNoStrayRows,
  expectWellFormedChain,
  FaultyStore,
  figures,
  InjectedFault,
  injectMutationFaults,
  messagesOf,
  readChain,
  reportFigures,
} from './support';

reportFigures('faults');

const TURNS = 2;
const options = { infiniteContext: true, maxTurnsPerSegment: TURNS } as const;

/** Records alternate user and assistant messages; returns what was acknowledged. */
async function say(sm: SessionManager, texts: readonly string[], acknowledged: string[]): Promise<void> {
  for (const text of texts) {
    if (acknowledged.length % 2 === 0) await sm.userSays(text);
    else await sm.aiResponds(text);
    acknowledged.push(text);
  }
}

/**
 * The conversation keeps working after a fault: more messages are recorded, every closed
 * segment holds exactly TURNS messages (so rollovers happen where they should), the chain is
 * well formed, nothing acknowledged is lost, and a fresh manager sees the same.
 */
async function expectKeepsWorking(
  sm: SessionManager,
  store: SessionStore,
  acknowledged: string[],
): Promise<Chain> {
  const before = (await store.getSegments(sm.conversationId)).length;
  await say(sm, ['after 1', 'after 2', 'after 3', 'after 4', 'after 5'], acknowledged);
  const chain = await expectWellFormedChain(store, sm.conversationId);
  expect(chain.segments.length).toBeGreaterThanOrEqual(before + 2);
  chain.events.slice(0, -1).forEach((events) => {
    expect(events.filter((e) => e.type === EventType.MESSAGE)).toHaveLength(TURNS);
  });
  expectNoLoss(chain, acknowledged);
  const fresh = await SessionManager.open(sm.conversationId, { store, ...options });
  expect(fresh.sessionId).toBe(chain.segments.at(-1)!.id);
  expect((await fresh.getConversation()).map((t) => t.content)).toEqual(acknowledged);
  const forModel = await fresh.getMessagesForLLM();
  expect(forModel[0]!.role).toBe('system');
  expect(forModel[0]!.content).toMatch(/^Summary of the conversation so far/);
  figures.eventsWritten += chain.events.flat().length;
  return chain;
}

/** `after` is `before` plus one rollover: the old head closed by a summary, a new empty head. */
function expectOneMoreRollover(before: Chain, after: Chain): void {
  const n = before.segments.length;
  expect(after.segments).toHaveLength(n + 1);
  expect(after.segments.slice(0, n - 1)).toEqual(before.segments.slice(0, n - 1));
  expect(after.events.slice(0, n - 1)).toEqual(before.events.slice(0, n - 1));
  expect(after.events[n - 1]!.slice(0, -1)).toEqual(before.events[n - 1]);
  expect(after.events[n - 1]!.at(-1)!.type).toBe(EventType.SUMMARY);
  expect(after.events[n]).toEqual([]);
}

describe.each(storeFactories)('a misbehaving summarizer ($kind store)', (factory) => {
  const cases: [string, SummarizeFn, RegExp][] = [
    [
      'throws',
      () => {
        throw new Error('LLM down');
      },
      /LLM down/,
    ],
    ['rejects', async () => Promise.reject(new Error('rate limited')), /rate limited/],
    [
      'throws a non-Error',
      () => {
        throw 'plain string thrown';
      },
      /plain string thrown/,
    ],
    ['hangs past summaryTimeoutMs', () => new Promise<string>(() => {}), /longer than 25 ms/],
    [
      'answers after summaryTimeoutMs',
      () => new Promise((r) => setTimeout(() => r('too late'), 60)),
      /longer than 25 ms/,
    ],
    ['returns a number', () => 42 as unknown as string, /got number/],
    ['resolves to undefined', async () => undefined as unknown as string, /got undefined/],
    ['returns an object', () => ({ text: 'x' }) as unknown as string, /got object/],
    ['returns whitespace', () => '  \n ', /non-empty string/],
  ];

  it.each(cases)(
    'that %s: built-in summary, error recorded, and the conversation keeps working',
    async (_, bad, why) => {
      const store = factory.create();
      const sm = new SessionManager({ store, ...options, summaryTimeoutMs: 25, summarize: bad });
      const acknowledged: string[] = [];
      await say(sm, ['q0', 'a0', 'q1', 'a1', 'q2'], acknowledged);
      const chain = await expectWellFormedChain(store, sm.conversationId);
      expectNoLoss(chain, acknowledged);
      const summaries = chain.events.flat().filter((e) => e.type === EventType.SUMMARY);
      expect(summaries).toHaveLength(2);
      for (const s of summaries) {
        expect(s.metadata).toMatchObject({ summarizer: 'extractive' });
        expect(String(s.metadata.summaryError)).toMatch(why);
      }
      figures.faultsInjected += summaries.length;
      // The second fallback summary carries the first one forward.
      expect(summaries[1]!.message).toContain('q0');
      // A summarizer that recovers gets the previous (fallback) summary and is used again.
      const seen: (string | undefined)[] = [];
      sm.setSummaryCallback((_messages, previous) => {
        seen.push(previous);
        return `good summary ${seen.length}`;
      });
      const after = await expectKeepsWorking(sm, store, acknowledged);
      expect(seen[0]).toBe(summaries[1]!.message);
      const last = after.events.at(-2)!.at(-1)!;
      expect(last.metadata).toMatchObject({ summarizer: 'callback' });
      expect(last.metadata.summaryError).toBeUndefined();
      // A late answer from the timed-out callback writes nothing.
      await new Promise((r) => setTimeout(r, 80));
      expect(await readChain(store, sm.conversationId)).toEqual(after);
    },
  );

  it('a summarizer that calls back into its own manager costs the timeout, not a deadlock', async () => {
    const store = factory.create();
    let inner: Promise<unknown> | undefined;
    const sm: SessionManager = new SessionManager({
      store,
      ...options,
      summaryTimeoutMs: 25,
      summarize: async () => {
        // Queued behind the rollover that is waiting for this very callback.
        inner = sm.getConversation();
        await inner;
        return 'never used';
      },
    });
    const acknowledged: string[] = [];
    await say(sm, ['q0', 'a0', 'q1'], acknowledged);
    expect(await inner).toHaveLength(3);
    const chain = await expectWellFormedChain(store, sm.conversationId);
    expect(chain.events[0]!.at(-1)!.metadata.summaryError).toMatch(/longer than 25 ms/);
    figures.faultsInjected += 1;
    sm.setSummaryCallback(undefined);
    await expectKeepsWorking(sm, store, acknowledged);
  });
});

interface Step {
  name: string;
  method: 'appendEvent' | 'getEvents' | 'rollover';
  nth: number;
  when: 'before' | 'after';
  /** Whether the rollover is committed when the fault surfaces. */
  rolledOver: boolean;
}

// The calls a rollover makes, counted from the message that finds the head full (checked below).
const ROLLOVER_CALLS = ['appendEvent', 'getEvents', 'getEvents', 'rollover', 'appendEvent'];
const steps: Step[] = [
  {
    name: 'the append that finds the segment full',
    method: 'appendEvent',
    nth: 1,
    when: 'before',
    rolledOver: false,
  },
  {
    name: "the read of the segment's events",
    method: 'getEvents',
    nth: 1,
    when: 'before',
    rolledOver: false,
  },
  {
    name: 'the read of the previous summary',
    method: 'getEvents',
    nth: 2,
    when: 'before',
    rolledOver: false,
  },
  { name: 'store.rollover (refused)', method: 'rollover', nth: 1, when: 'before', rolledOver: false },
  {
    name: 'store.rollover (committed, reply lost)',
    method: 'rollover',
    nth: 1,
    when: 'after',
    rolledOver: true,
  },
  {
    name: 'the appendEvent after the rollover',
    method: 'appendEvent',
    nth: 2,
    when: 'before',
    rolledOver: true,
  },
];

describe.each(storeFactories)('a store failing at each step of a rollover ($kind store)', (factory) => {
  /** A conversation of two segments whose head is full: the next message rolls it over. */
  async function fullHead() {
    const store = new FaultyStore(factory.create());
    const sm = new SessionManager({ store, ...options });
    const acknowledged: string[] = [];
    await say(sm, ['m0', 'm1', 'm2', 'm3'], acknowledged);
    return { store, sm, acknowledged };
  }

  it('makes the calls the steps below fail, in this order', async () => {
    const { store, sm, acknowledged } = await fullHead();
    store.failOn('appendEvent', 99);
    await say(sm, ['m4'], acknowledged);
    expect(store.calls).toEqual(ROLLOVER_CALLS);
  });

  it.each(steps)('fails at $name: clear error, no half-made segment, keeps working', async (step) => {
    const { store, sm, acknowledged } = await fullHead();
    const before = await expectWellFormedChain(store.inner, sm.conversationId);
    store.failOn(step.method, step.nth, step.when);
    const error = await sm.userSays('m4').catch((e: unknown) => e);
    expect(store.armed).toBe(false); // the fault was hit
    expect(error).toBeInstanceOf(InjectedFault);
    const after = await expectWellFormedChain(store.inner, sm.conversationId);
    if (step.rolledOver) expectOneMoreRollover(before, after);
    else expect(after).toEqual(before);
    expect(messagesOf(after)).not.toContain('m4');
    expectNoLoss(after, acknowledged);
    await expectKeepsWorking(sm, store.inner, acknowledged);
  });

  it('a second writer that rolled over first is adopted, not forked', async () => {
    const { store, sm, acknowledged } = await fullHead();
    const other = await SessionManager.open(sm.conversationId, { store: store.inner, ...options });
    // `sm` reads the full head, then the other writer rolls it over before `sm` does.
    store.failOn('appendEvent', 99);
    const original = store.inner.rollover.bind(store.inner);
    let raced = false;
    store.inner.rollover = async (request) => {
      if (!raced) {
        raced = true;
        await other.userSays('from the other writer');
        acknowledged.push('from the other writer');
      }
      return original(request);
    };
    await sm.aiResponds('m4');
    acknowledged.push('m4');
    store.inner.rollover = original;
    const chain = await expectWellFormedChain(store.inner, sm.conversationId);
    expect(chain.segments).toHaveLength(3);
    expectNoLoss(chain, acknowledged);
  });
});

describe('IndexedDB failing each write of the rollover transaction (Dexie DBCore middleware)', () => {
  async function fullHead() {
    const store = new DexieSessionStore({ name: uniqueDbName('faults') });
    const faults = injectMutationFaults(store);
    const sm = new SessionManager({ store, ...options });
    const acknowledged: string[] = [];
    await say(sm, ['m0', 'm1', 'm2', 'm3'], acknowledged);
    return { store, faults, sm, acknowledged };
  }

  it('the rollover writes summary, old head, new head in one transaction, then the message', async () => {
    const { faults, sm, acknowledged } = await fullHead();
    faults.failNth(99);
    await say(sm, ['m4'], acknowledged);
    expect(faults.seen.slice(0, 3)).toEqual(['events:add', 'sessions:put', 'sessions:add']);
    expect(faults.seen.slice(3).sort()).toEqual(['events:add', 'sessions:put']);
  });

  it('every write after the committed rollover fails: typed error, the rollover stands whole, keeps working', async () => {
    const { store, faults, sm, acknowledged } = await fullHead();
    const before = await readChain(store, sm.conversationId);
    faults.failFrom(4);
    const error = await sm.userSays('m4').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageWriteError);
    faults.heal();
    const after = await expectWellFormedChain(store, sm.conversationId);
    expectOneMoreRollover(before, after);
    expectNoLoss(after, acknowledged);
    await expectNoStrayRows(store);
    await expectKeepsWorking(sm, store, acknowledged);
  });

  it.each([
    [1, 'the summary event add'],
    [2, 'the old head put'],
    [3, 'the new head add'],
  ])('mutation %i (%s) fails: the whole rollover is rolled back, typed error, keeps working', async (n) => {
    const { store, faults, sm, acknowledged } = await fullHead();
    const before = await readChain(store, sm.conversationId);
    faults.failNth(n);
    const error = await sm.userSays('m4').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageWriteError);
    expect((error as StorageWriteError).message).toMatch(/rolled back/);
    expect(await expectWellFormedChain(store, sm.conversationId)).toEqual(before);
    await expectNoStrayRows(store);
    await expectKeepsWorking(sm, store, acknowledged);
    await expectNoStrayRows(store);
  });

  it.each([4, 5])(
    'mutation %i (the message after the rollover) fails: recorded on a retry or refused, never half-made',
    async (n) => {
      const { store, faults, sm, acknowledged } = await fullHead();
      const before = await readChain(store, sm.conversationId);
      faults.failNth(n);
      const outcome = await sm.userSays('m4').then(
        () => 'recorded',
        (e: unknown) => e,
      );
      const after = await expectWellFormedChain(store, sm.conversationId);
      if (outcome === 'recorded') {
        acknowledged.push('m4');
      } else {
        expect(outcome).toBeInstanceOf(StorageWriteError);
        expectOneMoreRollover(before, after);
      }
      expectNoLoss(after, acknowledged);
      await expectNoStrayRows(store);
      await expectKeepsWorking(sm, store, acknowledged);
    },
  );
});

describe.each(storeFactories)('a store failing the first write of a manager ($kind store)', (factory) => {
  it.each([
    ['getSession', 1, 'before'],
    ['getHead', 1, 'before'],
  ] as const)('a failed load (%s) is retried by the next call', async (method, nth, when) => {
    const store = new FaultyStore(factory.create());
    const first = new SessionManager({ store, ...options });
    await first.userSays('q0');
    store.failOn(method, nth, when);
    const sm = await SessionManager.open(first.conversationId, { store, ...options }).catch(
      (e: unknown) => e,
    );
    expect(sm).toBeInstanceOf(InjectedFault);
    const again = new SessionManager({ store, sessionId: first.conversationId, ...options });
    store.failOn(method, nth, when);
    await expect(again.aiResponds('a0')).rejects.toBeInstanceOf(InjectedFault);
    await again.aiResponds('a0');
    const acknowledged = ['q0', 'a0'];
    expectNoLoss(await expectWellFormedChain(store.inner, first.conversationId), acknowledged);
    await expectKeepsWorking(again, store.inner, acknowledged);
  });

  it.each([
    ['rollover', 'before'],
    ['rollover', 'after'],
    ['getEvents', 'before'],
  ] as const)(
    'continuing a conversation with parentId when %s fails (%s): retried without a fork or a stuck manager',
    async (method, when) => {
      const store = new FaultyStore(factory.create());
      const first = new SessionManager({ store, ...options });
      const acknowledged: string[] = [];
      await say(first, ['q0', 'a0'], acknowledged);
      const next = new SessionManager({ store, parentId: first.sessionId, ...options });
      const newId = next.sessionId;
      store.failOn(method, 1, when);
      await expect(next.userSays('q1')).rejects.toBeInstanceOf(InjectedFault);
      expectNoLoss(await expectWellFormedChain(store.inner, first.conversationId), acknowledged);
      await next.userSays('q1');
      acknowledged.push('q1');
      expect(next.sessionId).toBe(newId);
      const chain = await expectWellFormedChain(store.inner, first.conversationId);
      expect(chain.segments.map((s) => s.id)).toEqual([first.sessionId, newId]);
      expectNoLoss(chain, acknowledged);
      await expectKeepsWorking(next, store.inner, acknowledged);
    },
  );
});
