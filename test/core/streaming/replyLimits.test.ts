// The edges of a streamed reply: timing options a timer can hold, a reply that stops receiving
// deltas (idle) lets its lease run out, bad finish/abort options leave it streaming, and a
// manager takes over or discards only replies of its own conversation.
import {
  EventSource,
  EventType,
  InvalidInputError,
  MemorySessionStore,
  SessionAwareToolProcessor,
  SessionManager,
} from '@ai-session-manager/core';
import { ReplyStateError, replyStatus } from '@ai-session-manager/core/chat';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { storeFactories } from '../../helpers';

const MAX_TIMER_MS = 2 ** 31 - 1;

afterEach(() => {
  vi.useRealTimers();
});

async function storedReply(sm: SessionManager, eventId: string) {
  return (await sm.getEvents()).find((e) => e.id === eventId)!;
}

describe('timing options are bounded by what a timer can hold', () => {
  it('beginResponse and resumeResponse refuse timing options past 2^31-1 ms, naming them', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('Hi');
    for (const option of ['flushMs', 'leaseMs', 'idleMs'] as const) {
      for (const value of [2 ** 40, MAX_TIMER_MS + 1, 0, -5, 1.5, Number.NaN, '100']) {
        const error = await sm.beginResponse({ [option]: value } as never).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidInputError);
        expect(error).toMatchObject({ path: option });
        expect((error as Error).message).toContain(option);
        expect((error as Error).message).toContain(String(MAX_TIMER_MS));
      }
      await expect(sm.resumeResponse('any', { [option]: 2 ** 40 })).rejects.toMatchObject({ path: option });
    }
    expect((await sm.getStats()).totalEvents).toBe(1);
    const reply = await sm.beginResponse({
      flushMs: MAX_TIMER_MS,
      leaseMs: MAX_TIMER_MS,
      idleMs: MAX_TIMER_MS,
    });
    await reply.finish();
  });

  it('the tool processor refuses a retryDelayMs a timer cannot hold', () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    expect(() => new SessionAwareToolProcessor({ manager: sm, tools: {}, retryDelayMs: 2 ** 40 })).toThrow(
      /retryDelayMs.*2147483647/,
    );
    expect(
      () => new SessionAwareToolProcessor({ manager: sm, tools: {}, retryDelayMs: MAX_TIMER_MS }),
    ).not.toThrow();
  });
});

describe('a reply that receives no delta for idleMs', () => {
  it('stops renewing its lease, reads as interrupted, and another manager can take it over', async () => {
    vi.useFakeTimers();
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    await sm.userSays('Think hard');
    const reply = await sm.beginResponse({ leaseMs: 3000, idleMs: 10_000 });
    reply.append('Let me think');
    // Deltas keep it live; the heartbeat renews the lease between them.
    await vi.advanceTimersByTimeAsync(9000);
    expect(replyStatus(await storedReply(sm, reply.eventId))).toBe('streaming');
    reply.append('…');
    await vi.advanceTimersByTimeAsync(9000);
    expect(replyStatus(await storedReply(sm, reply.eventId))).toBe('streaming');
    // No delta for idleMs: the heartbeat stops, the lease runs out.
    await vi.advanceTimersByTimeAsync(5000);
    expect(replyStatus(await storedReply(sm, reply.eventId))).toBe('interrupted');
    expect(vi.getTimerCount()).toBe(0);
    const other = await SessionManager.open(sm.conversationId, { store });
    const resumed = await other.resumeResponse(reply.eventId);
    expect(resumed.text).toBe('Let me think…');
    await resumed.finish();
    // The idle handle was taken over: its writes are refused.
    await expect(reply.finish()).rejects.toBeInstanceOf(ReplyStateError);
    expect((await sm.getStats()).aiMessages).toBe(1);
  });

  it('its own later append makes it live again and finish works when no one took it over', async () => {
    vi.useFakeTimers();
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('Think hard');
    const reply = await sm.beginResponse({ leaseMs: 3000, idleMs: 5000 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(replyStatus(await storedReply(sm, reply.eventId))).toBe('interrupted');
    reply.append('Done thinking.');
    await vi.advanceTimersByTimeAsync(500);
    expect(replyStatus(await storedReply(sm, reply.eventId))).toBe('streaming');
    await vi.advanceTimersByTimeAsync(4000);
    expect(replyStatus(await storedReply(sm, reply.eventId))).toBe('streaming');
    const done = await reply.finish();
    expect(done).toMatchObject({ message: 'Done thinking.', reply: { status: 'complete' } });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an idle reply no longer holds its head from rolling over', async () => {
    vi.useFakeTimers();
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    await sm.userSays('q1');
    await sm.beginResponse({ leaseMs: 3000, idleMs: 5000 });
    await sm.userSays('q2');
    await sm.userSays('q3');
    expect(await store.getSegments(sm.conversationId)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    await sm.userSays('q4');
    expect(await store.getSegments(sm.conversationId)).toHaveLength(2);
  });

  it('the default idleMs is ten minutes', async () => {
    vi.useFakeTimers();
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('Think hard');
    const reply = await sm.beginResponse();
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    expect(replyStatus(await storedReply(sm, reply.eventId))).toBe('streaming');
    await vi.advanceTimersByTimeAsync(60_000 + 15_000);
    expect(replyStatus(await storedReply(sm, reply.eventId))).toBe('interrupted');
  });
});

describe('finish and abort options that are not objects or strings', () => {
  it('finish(null), finish("x") and abort(bad) throw InvalidInputError and leave the reply streaming', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('Hi');
    const reply = await sm.beginResponse();
    reply.append('partial');
    for (const bad of [null, 'gpt-4o', 7, [], true]) {
      await expect(reply.finish(bad as never)).rejects.toBeInstanceOf(InvalidInputError);
      expect(reply.status).toBe('streaming');
    }
    for (const bad of [null, 7, {}, []]) {
      await expect(reply.abort(bad as never)).rejects.toBeInstanceOf(InvalidInputError);
      expect(reply.status).toBe('streaming');
    }
    expect((await sm.getStats()).aiMessages).toBe(0);
    await reply.finish();
    expect((await sm.getStats()).aiMessages).toBe(1);
  });
});

describe.each(storeFactories)('resume and discard stay within the conversation ($kind store)', (factory) => {
  it("a manager refuses another conversation's reply, writing nothing; its own manager may take it", async () => {
    const store = factory.create();
    const x = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    for (const text of ['q1', 'q2', 'q3']) await x.userSays(text);
    // A reply its tab left behind (lease run out), in X's second segment.
    const dead = crypto.randomUUID();
    await store.appendEvent(x.sessionId, {
      id: dead,
      timestamp: new Date().toISOString(),
      source: EventSource.LLM,
      type: EventType.MESSAGE,
      message: 'cut',
      metadata: { model: 'gpt-4o-mini' },
      reply: { status: 'streaming', leaseUntil: Date.now() - 1, owner: 'dead-tab' },
    });
    const live = await x.beginResponse();
    const y = new SessionManager({ store: factory.reopen(store) });
    await y.userSays('elsewhere');
    for (const id of [dead, live.eventId]) {
      await expect(y.resumeResponse(id)).rejects.toMatchObject({
        name: 'InvalidInputError',
        path: 'eventId',
      });
      await expect(y.discardResponse(id)).rejects.toMatchObject({
        name: 'InvalidInputError',
        path: 'eventId',
      });
    }
    const stored = (await store.getEvents(x.sessionId)).find((e) => e.id === dead)!;
    expect(stored.reply).toMatchObject({ status: 'streaming', owner: 'dead-tab' });
    expect(live.status).toBe('streaming');
    expect((await y.getEvents()).map((e) => e.message)).toEqual(['elsewhere']);
    const resumed = await x.resumeResponse(dead);
    expect(resumed.conversationId).toBe(x.conversationId);
    await resumed.finish();
    await live.finish();
    const fresh = new SessionManager({ store });
    await expect(fresh.discardResponse(dead)).rejects.toBeInstanceOf(InvalidInputError);
  });
});
