// Conversation totals under faults (issue 11): the head's priorTotals + totals must always equal
// the sum of every segment's totals, whatever fails. Two managers (two tabs) write to one
// conversation with rollovers every 2 messages while IndexedDB refuses a random write of a
// random call (a DBCore middleware); after every call, failed or not, the conversation totals
// read from the head alone (getStats, listConversations) are compared with the segment sums.
import {
  DexieSessionStore,
  type SessionManager as SessionManagerType,
  SessionManager,
  type SessionStore,
  statsFromSegments,
  sumTotals,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { memoryFactory, uniqueDbName } from '../helpers';
import { expectWellFormedChain, FaultyStore, figures, injectMutationFaults, reportFigures } from './support';

reportFigures('conversationTotals', () => ({ callsTried, callsFailed }));

let callsTried = 0;
let callsFailed = 0;

/** mulberry32, so every run tries the same faults. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const options = { infiniteContext: true, maxTurnsPerSegment: 2, locks: null } as const;

/** One random call on `sm`; resolves whether it failed (the fault is expected to be typed). */
async function randomCall(sm: SessionManagerType, next: () => number, n: number): Promise<boolean> {
  const r = next();
  try {
    if (r < 0.35) await sm.userSays(`user ${n}`);
    else if (r < 0.6)
      await sm.aiResponds(
        `assistant ${n}`,
        r < 0.45 ? { usage: { prompt_tokens: 900, completion_tokens: 7 } } : {},
      );
    else if (r < 0.8) await sm.toolUsed('lookup', { n }, { ok: n });
    else if (r < 0.9) await sm.updateMetadata({ title: `title ${n}` });
    else await sm.updateSystemPrompt(`prompt ${n}`);
    return false;
  } catch {
    return true;
  }
}

/** Conversation totals from the head row agree with the sum of the segment rows, everywhere. */
async function expectNoDivergence(store: SessionStore, conversationId: string): Promise<void> {
  const chain = await expectWellFormedChain(store, conversationId);
  const sum = sumTotals(chain.segments.map((s) => s.totals));
  const [listed] = await store.listConversations();
  expect(listed!.totals).toEqual(sum);
  const fresh = await SessionManager.open(conversationId, { store, ...options });
  const stats = await fresh.getStats({ includeAllSegments: true });
  const expected = statsFromSegments(chain.segments, { infiniteContext: true })!;
  expect({ ...stats, lastUpdate: '' }).toEqual({ ...expected, lastUpdate: '' });
}

describe('conversation totals never diverge from the sum of segment totals', () => {
  it('two writers, IndexedDB refusing a random write of a random call (Dexie store)', async () => {
    const store = new DexieSessionStore({ name: uniqueDbName('totals-faults') });
    const faults = injectMutationFaults(store);
    const next = random(0x70_7a15);
    const a = new SessionManager({ store, ...options });
    await a.userSays('start');
    const b = await SessionManager.open(a.conversationId, { store, ...options });
    try {
      for (let n = 0; n < 120; n++) {
        const faulty = next() < 0.5;
        if (faulty) faults.failNth(1 + Math.floor(next() * 4));
        const [fa, fb] = await Promise.all([randomCall(a, next, n), randomCall(b, next, n + 1000)]);
        callsTried += 2;
        callsFailed += Number(fa) + Number(fb);
        faults.heal();
        await expectNoDivergence(store, a.conversationId);
      }
      expect(callsFailed).toBeGreaterThan(10);
      figures.eventsWritten += await store.db.events.count();
    } finally {
      store.close();
    }
  });

  it('a store call failing before or after it ran (memory store, through a wrapper)', async () => {
    const inner = memoryFactory.create();
    const store = new FaultyStore(inner);
    const next = random(0x5eed);
    const sm = new SessionManager({ store, ...options });
    for (let n = 0; n < 80; n++) {
      if (next() < 0.3) {
        const method = (['appendEvent', 'rollover', 'updateSession'] as const)[Math.floor(next() * 3)]!;
        store.failOn(method, 1, next() < 0.5 ? 'before' : 'after');
      }
      callsTried += 1;
      callsFailed += Number(await randomCall(sm, next, n));
      await expectNoDivergence(inner, sm.conversationId);
    }
  });
});
