import {
  InvalidInputError,
  RunStateError,
  SessionManager,
  type SessionEvent,
  exportConversation,
} from '@ai-session-manager/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { storeFactories } from '../../helpers';

const sumTokens = (events: SessionEvent[]) =>
  events.reduce((s, e) => s + (e.tokenUsage?.totalTokens ?? 0), 0);

describe.each(storeFactories)('runs on $kind store', (factory) => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tags the events recorded while a run is active, and only those', async () => {
    const sm = new SessionManager({ store: factory.create() });
    await sm.userSays('before');
    const run = await sm.startRun({ purpose: 'answer' });
    expect(run.status).toBe('running');
    await sm.userSays('inside');
    await sm.aiResponds('inside too');
    await sm.toolUsed('calc', { e: '1+1' }, 2);
    await run.complete();
    await sm.aiResponds('after');
    const events = await sm.getEvents();
    expect(events.map((e) => [e.message, e.taskId])).toEqual([
      ['before', undefined],
      ['inside', run.id],
      ['inside too', run.id],
      [{ tool: 'calc', arguments: { e: '1+1' }, result: 2, error: null }, run.id],
      ['after', undefined],
    ]);
    expect(run.status).toBe('completed');
    expect(run.metadata).toEqual({ purpose: 'answer' });
  });

  it('orders tagging with calls already queued on the manager', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const before = sm.userSays('queued before the run');
    const started = sm.startRun();
    const inside = sm.userSays('queued inside the run');
    const run = await started;
    await Promise.all([before, inside]);
    const [a, b] = await sm.getEvents();
    expect(a!.taskId).toBeUndefined();
    expect(b!.taskId).toBe(run.id);
  });

  it('sums tokens and cost by run, across a rollover, matching the tagged events', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    await sm.userSays('outside the run, not counted');
    const run = await sm.startRun();
    await sm.aiResponds('one', { usage: { prompt_tokens: 10, completion_tokens: 5 } });
    await sm.userSays('two'); // rolls over: this lands in segment 2
    await sm.aiResponds('three', { usage: { prompt_tokens: 7, completion_tokens: 3 } });
    await run.complete();
    expect((await sm.getSessionChain()).length).toBe(2);
    const tagged = (await sm.getEvents({ includeAllSegments: true })).filter((e) => e.taskId === run.id);
    expect(new Set(tagged.map((e) => e.sessionId)).size).toBe(2);
    const usage = await run.getTokenUsage();
    expect(usage.totalTokens).toBe(sumTokens(tagged));
    expect(usage.events).toBe(tagged.length);
    expect(usage.completionTokens).toBe(
      tagged.reduce((s, e) => s + (e.tokenUsage?.completionTokens ?? 0), 0),
    );
    const stats = await sm.getRunStats(run.id);
    expect(stats.totals.totalTokens).toBe(usage.totalTokens);
    expect(stats.totals.messages).toBe(3);
    expect(stats.run.status).toBe('completed');
  });

  it('has a duration in ms once finished, null while running', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-01-01T00:00:00.000Z'));
    const sm = new SessionManager({ store: factory.create() });
    const run = await sm.startRun();
    expect(run.duration).toBeNull();
    expect(run.startedAt).toBe('2025-01-01T00:00:00.000Z');
    vi.setSystemTime(new Date('2025-01-01T00:00:01.500Z'));
    await run.complete();
    expect(run.duration).toBe(1500);
    expect((await sm.getRunStats(run.id)).duration).toBe(1500);
  });

  it('persists runs: a reload sees every run with its status, reason and times', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store });
    const a = await sm.startRun({ n: 1 });
    await sm.userSays('x');
    await a.complete();
    const b = await sm.startRun({ n: 2 });
    await b.fail('model timed out');
    const c = await sm.startRun({ n: 3 });
    await c.cancel('user pressed stop');
    const again = await SessionManager.open(sm.sessionId, { store: factory.reopen(store) });
    const runs = await again.getRuns();
    expect(runs.map((r) => [r.id, r.status, r.reason, r.metadata])).toEqual([
      [a.id, 'completed', null, { n: 1 }],
      [b.id, 'failed', 'model timed out', { n: 2 }],
      [c.id, 'cancelled', 'user pressed stop', { n: 3 }],
    ]);
    expect(runs[0]).toEqual(a.record);
    expect((await again.getRunStats(a.id)).totals.events).toBe(1);
  });

  it('keeps runs on the root segment, so they survive rollovers and export', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    const run = await sm.startRun();
    for (const text of ['a', 'b', 'c', 'd', 'e']) await sm.userSays(text);
    await run.complete();
    expect((await sm.getSessionChain()).length).toBeGreaterThan(1);
    expect((await sm.getRuns()).map((r) => r.status)).toEqual(['completed']);
    const doc = await exportConversation(sm.conversationId, { store });
    expect(Object.keys(doc.sessions[0]!.state.runs as object)).toEqual([run.id]);
  });

  it('refuses transitions out of a final state with a clear error and changes nothing', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const run = await sm.startRun();
    await run.fail('boom');
    await expect(run.complete()).rejects.toThrow(/Cannot mark run .* completed: it is already failed/);
    await expect(run.cancel('late')).rejects.toBeInstanceOf(RunStateError);
    await expect(run.fail('again')).rejects.toBeInstanceOf(RunStateError);
    const [stored] = await sm.getRuns();
    expect(stored).toMatchObject({ status: 'failed', reason: 'boom' });
  });

  it('creates pending runs that start later; completing one that never started is refused', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const run = await sm.createRun({ queued: true });
    expect(run.status).toBe('pending');
    await sm.userSays('not yet in the run');
    await expect(run.complete()).rejects.toThrow(/a pending run can only become running, failed, cancelled/);
    await run.start();
    await sm.userSays('in the run');
    await run.complete();
    const events = await sm.getEvents();
    expect(events.map((e) => e.taskId)).toEqual([undefined, run.id]);
    const other = await sm.createRun();
    await other.cancel('not needed');
    expect(other.duration).toBeNull();
    expect((await sm.getRuns()).map((r) => r.status)).toEqual(['completed', 'cancelled']);
  });

  it('allows one running run per manager', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const first = await sm.startRun();
    await expect(sm.startRun()).rejects.toThrow(/is still running on this manager/);
    await first.complete();
    const second = await sm.startRun();
    expect(second.status).toBe('running');
    expect((await sm.getRuns()).length).toBe(2);
  });

  it('lets another manager end a run left running (e.g. after a reload); the stored state wins', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store });
    const run = await sm.startRun();
    await sm.userSays('working');
    const other = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
    const handle = await other.getRun(run.id);
    expect(handle?.status).toBe('running');
    await handle!.fail('tab was closed');
    await expect(run.complete()).rejects.toBeInstanceOf(RunStateError);
    expect(run.status).toBe('failed');
    // The run is over, so this manager stops tagging.
    await sm.userSays('after');
    expect((await sm.getEvents()).at(-1)!.taskId).toBeUndefined();
    expect(await other.getRun('nope')).toBeUndefined();
  });

  it('getRunStats of an unknown run id is an InvalidInputError', async () => {
    const sm = new SessionManager({ store: factory.create() });
    await sm.userSays('x');
    await expect(sm.getRunStats('missing')).rejects.toBeInstanceOf(InvalidInputError);
  });
});
