// Shared by the reliability suites: the invariants no fault may break, fault injectors for both
// stores, and the figures (events written, faults injected, inputs tried, losses) each suite
// prints when it ends, which RELIABILITY.md quotes.
import {
  addEventToTotals,
  type DexieSessionStore,
  emptyTotals,
  sumTotals,
  EventType,
  type Observer,
  type Session,
  type SessionEvent,
  type SessionStore,
  type SessionTotals,
} from '@ai-session-manager/core';
import { afterAll, expect } from 'vitest';

// --- figures -------------------------------------------------------------------------------

export const figures = { eventsWritten: 0, faultsInjected: 0, inputsTried: 0, losses: 0 };

/** Print this suite's figures once it has run (one line, greppable: `[reliability]`). */
export function reportFigures(suite: string, extra: () => Record<string, unknown> = () => ({})): void {
  afterAll(() => {
    console.log(`[reliability] ${suite} ${JSON.stringify({ ...figures, ...extra() })}`);
  });
}

// --- invariants ----------------------------------------------------------------------------

export interface Chain {
  segments: Session[];
  /** Events per segment, in seq order. */
  events: SessionEvent[][];
}

/** Every segment and event of a conversation, as stored. */
export async function readChain(store: SessionStore, conversationId: string): Promise<Chain> {
  const segments = await store.getSegments(conversationId);
  const events = await Promise.all(segments.map((s) => store.getEvents(s.id)));
  return { segments, events };
}

/** A segment's totals recomputed from its events, in order (so float sums match exactly). */
export function totalsOf(events: readonly SessionEvent[]): SessionTotals {
  return events.reduce(addEventToTotals, emptyTotals());
}

/** Rows written before the token kinds existed lack them; they read as 0 (see SessionTotals). */
export const withKinds = <T extends object>(t: T | undefined) =>
  t && { cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, unpricedTokens: 0, ...t };

/**
 * No half-made segment: the chain is linear (root first, each segment continuing the one
 * before, one conversation id), seqs have no gaps, stored totals equal what the events add up
 * to, every segment but the head ends with exactly one summary, and the head has none.
 */
export async function expectWellFormedChain(store: SessionStore, conversationId: string): Promise<Chain> {
  const chain = await readChain(store, conversationId);
  const { segments, events } = chain;
  expect(segments.length).toBeGreaterThan(0);
  const ids = new Set<string>();
  segments.forEach((s, i) => {
    expect(s.segmentIndex).toBe(i);
    expect(s.rootId).toBe(conversationId);
    expect(s.parentId).toBe(i === 0 ? null : segments[i - 1]!.id);
    const list = events[i]!;
    expect(list.map((e) => e.seq)).toEqual(list.map((_, n) => n));
    for (const e of list) {
      expect(e.sessionId).toBe(s.id);
      expect(ids.has(e.id)).toBe(false);
      ids.add(e.id);
    }
    expect(withKinds(s.totals)).toEqual(totalsOf(list));
    // Conversation totals (schema v2): the head alone carries the earlier segments' sum and the
    // list marker; they never diverge from the segments' own totals.
    const isHead = i === segments.length - 1;
    expect(s.headAt !== undefined).toBe(isHead);
    if (!isHead || i === 0) expect(s.priorTotals).toBeUndefined();
    else
      expect(withKinds(s.priorTotals)).toEqual(
        segments.slice(0, -1).reduce((sum, x) => sumTotals([sum, x.totals]), emptyTotals()),
      );
    const summaries = list.filter((e) => e.type === EventType.SUMMARY).map((e) => e.seq);
    expect(summaries).toEqual(i === segments.length - 1 ? [] : [list.length - 1]);
  });
  return chain;
}

/**
 * For a Dexie store, also look at the raw tables: no event outside a known segment, no
 * segment outside a well-formed chain (a half-written rollover would leave one of these).
 */
export async function expectNoStrayRows(store: DexieSessionStore): Promise<void> {
  const sessions = await store.db.sessions.toArray();
  const conversations = new Set(sessions.map((s) => s.rootId));
  let segments = 0;
  let events = 0;
  for (const id of conversations) {
    const chain = await expectWellFormedChain(store, id);
    segments += chain.segments.length;
    events += chain.events.flat().length;
  }
  expect(segments).toBe(sessions.length);
  expect(events).toBe(await store.db.events.count());
}

/** The user and assistant messages of a chain, in order. */
export function messagesOf(chain: Chain): string[] {
  return chain.events
    .flat()
    .filter((e) => e.type === EventType.MESSAGE)
    .map((e) => e.message as string);
}

/**
 * Every acknowledged message is stored exactly once and in order; counts anything missing as
 * a loss (the figure RELIABILITY.md reports) before asserting there is none.
 */
export function expectNoLoss(chain: Chain, acknowledged: readonly string[]): void {
  const stored = messagesOf(chain);
  const missing = acknowledged.filter((m) => !stored.includes(m));
  figures.losses += missing.length;
  expect(missing).toEqual([]);
  expect(stored).toEqual(acknowledged);
}

// --- a SessionStore that fails on request ---------------------------------------------------

type Method = Exclude<keyof SessionStore, 'watch' | 'close'>;

export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

interface Plan {
  method: Method;
  nth: number;
  /** 'before': the call fails and the real store never sees it; 'after': it ran, then failed. */
  when: 'before' | 'after';
}

/** Delegates to a real store; fails the Nth call (counted from `failOn`) of one method. */
export class FaultyStore implements SessionStore {
  private counts = new Map<Method, number>();
  private plan: Plan | undefined;
  /** Every call, in order, since the last `failOn`. */
  calls: Method[] = [];

  constructor(readonly inner: SessionStore) {}

  failOn(method: Method, nth: number, when: Plan['when'] = 'before'): void {
    this.plan = { method, nth, when };
    this.counts.clear();
    this.calls = [];
  }

  get armed(): boolean {
    return this.plan !== undefined;
  }

  private async call<T>(method: Method, run: () => Promise<T>): Promise<T> {
    const n = (this.counts.get(method) ?? 0) + 1;
    this.counts.set(method, n);
    this.calls.push(method);
    const plan = this.plan;
    if (!plan || plan.method !== method || plan.nth !== n) return run();
    this.plan = undefined;
    figures.faultsInjected += 1;
    const fault = new InjectedFault(`injected fault: ${method} call ${n} (${plan.when})`);
    if (plan.when === 'after') await run();
    throw fault;
  }

  getSession(id: string) {
    return this.call('getSession', () => this.inner.getSession(id));
  }
  getSegments(conversationId: string) {
    return this.call('getSegments', () => this.inner.getSegments(conversationId));
  }
  getHead(conversationId: string) {
    return this.call('getHead', () => this.inner.getHead(conversationId));
  }
  ensureSession(...args: Parameters<SessionStore['ensureSession']>) {
    return this.call('ensureSession', () => this.inner.ensureSession(...args));
  }
  updateSession(...args: Parameters<SessionStore['updateSession']>) {
    return this.call('updateSession', () => this.inner.updateSession(...args));
  }
  patchSession(...args: Parameters<SessionStore['patchSession']>) {
    return this.call('patchSession', () => this.inner.patchSession(...args));
  }
  appendEvent(...args: Parameters<SessionStore['appendEvent']>) {
    return this.call('appendEvent', () => this.inner.appendEvent(...args));
  }
  rollover(...args: Parameters<SessionStore['rollover']>) {
    return this.call('rollover', () => this.inner.rollover(...args));
  }
  getEvents(...args: Parameters<SessionStore['getEvents']>) {
    return this.call('getEvents', () => this.inner.getEvents(...args));
  }
  updateEvent(...args: Parameters<SessionStore['updateEvent']>) {
    return this.call('updateEvent', () => this.inner.updateEvent(...args));
  }
  getEventsByTask(taskId: string) {
    return this.call('getEventsByTask', () => this.inner.getEventsByTask(taskId));
  }
  listConversations() {
    return this.call('listConversations', () => this.inner.listConversations());
  }
  deleteConversation(conversationId: string) {
    return this.call('deleteConversation', () => this.inner.deleteConversation(conversationId));
  }
  importRecords(...args: Parameters<SessionStore['importRecords']>) {
    return this.call('importRecords', () => this.inner.importRecords(...args));
  }
  watch<T>(query: () => Promise<T>, observer: Observer<T>) {
    return this.inner.watch(query, observer);
  }
}

// --- IndexedDB faults through a Dexie DBCore middleware --------------------------------------

export interface MutationFaults {
  /** Reject only the Nth mutation (add, put, delete…) from now, in any table, with `error()`. */
  failNth(n: number, error?: () => unknown): void;
  /** Reject every mutation from the Nth from now until `heal()`, as a full disk does. */
  failFrom(n: number, error?: () => unknown): void;
  heal(): void;
  /** Mutations (table:type) seen since the last arming, failed or not. */
  seen: string[];
}

export const quotaExceeded = () => new DOMException('quota', 'QuotaExceededError');

const injected = (n: number) => () => new InjectedFault(`injected IndexedDB fault on mutation ${n}`);

/** Must run before the store's first query: Dexie builds its middleware stack when it opens. */
export function injectMutationFaults(store: DexieSessionStore): MutationFaults {
  let armed = false;
  let from = 0;
  let to = 0;
  let count = 0;
  let makeError: () => unknown = injected(0);
  const arm = (first: number, last: number, error: () => unknown) => {
    armed = true;
    from = first;
    to = last;
    count = 0;
    makeError = error;
    faults.seen = [];
  };
  const faults: MutationFaults = {
    seen: [],
    failNth: (n, error = injected(n)) => arm(n, n, error),
    failFrom: (n, error = injected(n)) => arm(n, Number.POSITIVE_INFINITY, error),
    heal() {
      armed = false;
    },
  };
  store.db.use({
    stack: 'dbcore',
    name: 'reliability-faults',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (request) => {
            if (!armed) return table.mutate(request);
            faults.seen.push(`${name}:${request.type}`);
            count += 1;
            if (count < from || count > to) return table.mutate(request);
            figures.faultsInjected += 1;
            return Promise.reject(makeError());
          },
        };
      },
    }),
  });
  return faults;
}
