import { EventType, type SessionEvent, SessionManager, type SessionStore } from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../../helpers';

/** Every invariant a chain must keep whatever the interleaving of writers. */
async function expectConsistentChain(store: SessionStore, conversationId: string): Promise<SessionEvent[]> {
  const segments = await store.getSegments(conversationId);
  segments.forEach((s, i) => {
    expect(s.segmentIndex).toBe(i);
    expect(s.parentId).toBe(i === 0 ? null : segments[i - 1]!.id);
  });
  const all: SessionEvent[] = [];
  for (const s of segments) {
    const events = await store.getEvents(s.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(s.totals.events).toBe(events.length);
    expect(s.totals.totalTokens).toBe(events.reduce((n, e) => n + (e.tokenUsage?.totalTokens ?? 0), 0));
    const summaries = events.filter((e) => e.type === EventType.SUMMARY);
    // Exactly one summary closes every segment but the head, and it is the last event.
    if (s !== segments.at(-1)) expect(summaries.map((e) => e.seq)).toEqual([events.length - 1]);
    else expect(summaries).toEqual([]);
    all.push(...events);
  }
  expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  return all;
}

describe.each(storeFactories)('two writers on one conversation ($kind store)', (factory) => {
  it('lose, duplicate or reorder nothing, and never both roll over a segment', async () => {
    const store = factory.create();
    const options = { infiniteContext: true, maxTurnsPerSegment: 3 } as const;
    const a = new SessionManager({ store, ...options });
    await a.userSays('start');
    const b = await SessionManager.open(a.conversationId, { store: factory.reopen(store), ...options });
    const writes: Promise<string>[] = [];
    for (let i = 0; i < 30; i++) {
      writes.push(a.userSays(`a${i}`));
      writes.push(b.aiResponds(`b${i}`));
    }
    await Promise.all(writes);
    const events = await expectConsistentChain(store, a.conversationId);
    const messages = events.filter((e) => e.type === EventType.MESSAGE).map((e) => e.message as string);
    expect(messages).toHaveLength(61);
    expect(new Set(messages).size).toBe(61);
    // Each writer's own messages keep their order.
    const order = (p: string) => messages.filter((m) => m.startsWith(p)).map((m) => Number(m.slice(1)));
    expect(order('a')).toEqual([...Array(30).keys()]);
    expect(order('b')).toEqual([...Array(30).keys()]);
    // Both managers converge on the same head and read the same conversation.
    expect(await a.getConversation()).toEqual(await b.getConversation());
    expect(a.sessionId).toBe(b.sessionId);
  });

  it('a racing rollover of the same segment happens once', async () => {
    const store = factory.create();
    const options = { infiniteContext: true, maxTurnsPerSegment: 2 } as const;
    const a = new SessionManager({ store, ...options });
    await a.userSays('1');
    await a.aiResponds('2');
    const b = await SessionManager.open(a.conversationId, { store: factory.reopen(store), ...options });
    // Both see a full segment and both try to roll it over.
    await Promise.all([a.userSays('from a'), b.userSays('from b')]);
    const segments = await store.getSegments(a.conversationId);
    expect(segments).toHaveLength(2);
    await expectConsistentChain(store, a.conversationId);
    const head = await store.getEvents(segments[1]!.id);
    expect(head.map((e) => e.message).sort()).toEqual(['from a', 'from b']);
  });
});
