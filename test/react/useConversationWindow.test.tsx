// @vitest-environment jsdom
import {
  DexieSessionStore,
  EventType,
  MemorySessionStore,
  SessionManager,
  type SessionStore,
} from '@ai-session-manager/core';
import {
  type UseConversationWindowResult,
  useConversation,
  useSessionStats,
} from '@ai-session-manager/react';
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { countingReads, freshStore, providerFor, type RenderCount } from './reactHelpers';

/** A chained conversation: `turns` user/assistant pairs, a rollover every 2 messages. */
async function chained(store: SessionStore, turns: number) {
  const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
  for (let i = 0; i < turns; i++) {
    await sm.userSays(`q${i}`);
    await sm.aiResponds(`a${i}`);
  }
  return sm;
}

async function loaded(result: { current: UseConversationWindowResult }) {
  await waitFor(() => expect(result.current.isLoading).toBe(false));
}

describe('useConversation with { window }', () => {
  it('holds the newest N events across segments, with their segments and summaries', async () => {
    const store = freshStore();
    const sm = await chained(store, 6); // 6 segments: q/a + summary in each closed one
    const all = await sm.getEvents({ includeAllSegments: true });
    const { result } = renderHook(() => useConversation(sm.conversationId, { window: 5 }), {
      wrapper: providerFor(store),
    });
    expect(result.current.isLoading).toBe(true);
    await loaded(result);
    const c = result.current;
    expect(c.error).toBeNull();
    expect(c.events).toEqual(all.slice(-5));
    expect(c.messages.map((m) => m.content)).toEqual(['q4', 'a4', 'q5', 'a5']);
    expect(c.hasOlder).toBe(true);
    expect(c.isLoadingOlder).toBe(false);
    // Only the segments the window touches, root-most first, each with the summary that closed it.
    const chain = await sm.getSessionChain();
    expect(c.segments.map((s) => s.id)).toEqual(chain.slice(-2));
    const summary = c.events.find((e) => e.type === EventType.SUMMARY)!;
    expect(c.segments[0]!.summary).toBe(summary.message);
    expect(c.segments[1]!.summary).toBeNull();
  });

  it('loads older pages on demand back to the first event, and then reports no more', async () => {
    const store = freshStore();
    const sm = await chained(store, 5);
    const all = await sm.getEvents({ includeAllSegments: true });
    const { result } = renderHook(() => useConversation(sm.conversationId, { window: 3, pageSize: 4 }), {
      wrapper: providerFor(store),
    });
    await loaded(result);
    expect(result.current.events).toEqual(all.slice(-3));
    let pages = 0;
    while (result.current.hasOlder) {
      const before = result.current.events.length;
      await act(() => result.current.loadOlder());
      pages += 1;
      expect(result.current.events).toEqual(all.slice(-(before + Math.min(4, all.length - before))));
    }
    expect(pages).toBe(Math.ceil((all.length - 3) / 4));
    expect(result.current.events).toEqual(all);
    expect(result.current.messages).toEqual(await sm.getConversation({ includeAllSegments: true }));
    expect(result.current.segments.map((s) => s.id)).toEqual(await sm.getSessionChain());
    await act(() => result.current.loadOlder()); // nothing older: a no-op
    expect(result.current.events).toEqual(all);
  });

  it('reads only the window: a few segment rows and N events, never every segment or event', async () => {
    const base = freshStore();
    const sm = await chained(base, 40); // 40 segments, 119 events
    const { store, reads } = countingReads(base);
    const { result } = renderHook(() => useConversation(sm.conversationId, { window: 6 }), {
      wrapper: providerFor(store),
    });
    await loaded(result);
    expect(result.current.events).toHaveLength(6);
    expect(reads.calls.getSegments ?? 0).toBe(0);
    expect(reads.segmentRows).toBeLessThanOrEqual(3); // the head and its parents back to the 6th newest event
    expect(reads.eventRows).toBe(6);

    await act(() => result.current.loadOlder());
    expect(result.current.events).toHaveLength(12);
    expect(reads.eventRows).toBe(12);
    expect(reads.calls.getSegments ?? 0).toBe(0);
  });

  it('shows events written through another store instance (another tab), a rollover inside the window included', async () => {
    const store = freshStore();
    const sm = await chained(store, 3);
    const other = new DexieSessionStore({ name: store.name }); // as another tab would open it
    const tab = await SessionManager.open(sm.conversationId, {
      store: other,
      infiniteContext: true,
      maxTurnsPerSegment: 2,
    });
    const { result } = renderHook(() => useConversation(sm.conversationId, { window: 4, pageSize: 2 }), {
      wrapper: providerFor(store),
    });
    await loaded(result);
    await act(() => result.current.loadOlder());
    const firstShown = result.current.events[0]!;
    const headBefore = result.current.segments.at(-1)!.id;

    await act(async () => {
      await tab.userSays('from the other tab'); // the head holds 2 messages: this rolls over first
      await tab.aiResponds('answered there');
    });
    await waitFor(() => expect(result.current.messages.at(-1)?.content).toBe('answered there'));
    const all = await sm.getEvents({ includeAllSegments: true });
    // The window grew by the new events; nothing was dropped or duplicated.
    expect(result.current.events).toEqual(all.slice(-(6 + 3)));
    const segments = result.current.segments.map((s) => s.id);
    expect(segments.at(-1)).toBe(tab.sessionId);
    expect(segments).toContain(headBefore);
    expect(tab.sessionId).not.toBe(headBefore);
    // The old head is closed now, and its summary shows up.
    expect(result.current.segments.find((s) => s.id === headBefore)!.summary).toEqual(expect.any(String));
    // Older pages are kept as read, not read again.
    expect(result.current.events[0]).toBe(firstShown);
    other.close();
  });

  it('starts with the newest events of a conversation that does not exist yet, and follows its first writes', async () => {
    const store = freshStore();
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    const { result } = renderHook(() => useConversation(sm.conversationId, { window: 2 }), {
      wrapper: providerFor(store),
    });
    await loaded(result);
    expect(result.current).toMatchObject({ events: [], messages: [], segments: [], hasOlder: false });
    await act(async () => {
      await sm.userSays('one');
      await sm.aiResponds('two');
      await sm.userSays('three'); // rollover
    });
    await waitFor(() =>
      expect(result.current.messages.map((m) => m.content)).toEqual(['one', 'two', 'three']),
    );
    expect(result.current.hasOlder).toBe(false);
  });

  it('empties when the conversation is deleted, and starts over at the newest events when it comes back', async () => {
    const store = freshStore();
    const sm = await chained(store, 4);
    const doc = await sm.getEvents({ includeAllSegments: true });
    const sessions = await store.getSegments(sm.conversationId);
    const { result } = renderHook(() => useConversation(sm.conversationId, { window: 3, pageSize: 3 }), {
      wrapper: providerFor(store),
    });
    await loaded(result);
    await act(() => result.current.loadOlder());
    expect(result.current.events).toHaveLength(6);
    await act(() => store.deleteConversation(sm.conversationId));
    await waitFor(() => expect(result.current.events).toEqual([]));
    expect(result.current).toMatchObject({ segments: [], hasOlder: false, error: null });
    await act(() => store.importRecords(sessions, doc));
    await waitFor(() => expect(result.current.events).toEqual(doc.slice(-3)));
    expect(result.current.hasOlder).toBe(true);
  });

  it('works the same over MemorySessionStore', async () => {
    const store = new MemorySessionStore();
    const sm = await chained(store, 3);
    const all = await sm.getEvents({ includeAllSegments: true });
    const { result } = renderHook(() => useConversation(sm.conversationId, { window: 4 }), {
      wrapper: providerFor(store),
    });
    await loaded(result);
    expect(result.current.events).toEqual(all.slice(-4));
    await act(async () => {
      await sm.userSays('more');
    });
    await waitFor(() => expect(result.current.messages.at(-1)?.content).toBe('more'));
    await act(() => result.current.loadOlder());
    expect(result.current.events).toEqual(await sm.getEvents({ includeAllSegments: true }));
  });

  it('is idle without an id and rejects a window that is not a positive integer', () => {
    const store = freshStore();
    const idle = renderHook(() => useConversation(undefined, { window: 10 }), {
      wrapper: providerFor(store),
    });
    expect(idle.result.current).toMatchObject({ events: [], isLoading: false, hasOlder: false });
    expect(() =>
      renderHook(() => useConversation('x', { window: 0 }), { wrapper: providerFor(store) }),
    ).toThrow(/window/);
  });
});

function WindowCount({ id, renders }: { id: string; renders: RenderCount }) {
  renders.n += 1;
  const { events } = useConversation(id, { window: 3 });
  return <span data-testid={`window-${id}`}>{events.length}</span>;
}

describe('windowed re-renders and stats reads', () => {
  it('a window on X does not re-render when Y changes', async () => {
    const store = freshStore();
    const x = new SessionManager({ store, sessionId: 'x' });
    const y = new SessionManager({ store, sessionId: 'y' });
    await x.userSays('x1');
    await y.userSays('y1');
    const renders = { n: 0 };
    render(<WindowCount id="x" renders={renders} />, { wrapper: providerFor(store) });
    await waitFor(() => expect(screen.getByTestId('window-x').textContent).toBe('1'));
    const before = renders.n;
    for (let i = 0; i < 3; i++) {
      await act(async () => {
        await y.userSays(`y${i}`);
      });
    }
    expect(renders.n).toBe(before);
    await act(async () => {
      await x.userSays('x2');
    });
    await waitFor(() => expect(screen.getByTestId('window-x').textContent).toBe('2'));
    expect(renders.n).toBe(before + 1);
  });

  it('useSessionStats reads the root and head rows (conversation totals on the head), never every segment or an event', async () => {
    const base = freshStore();
    const sm = await chained(base, 30); // 30 segments
    const { store, reads } = countingReads(base);
    const { result } = renderHook(() => useSessionStats(sm.conversationId), { wrapper: providerFor(store) });
    await waitFor(() => expect(result.current.isLoading).toBe(false));
    expect(result.current.stats).toEqual(await sm.getStats({ includeAllSegments: true }));
    expect(result.current.stats?.sessionSegments).toBe(30);
    expect(reads.calls.getEvents ?? 0).toBe(0);
    expect(reads.calls.getSegments ?? 0).toBe(0);
    // The head (where its newest ids start), then root and head with those ids.
    expect(reads.segmentRows).toBe(3);

    // Live, and still two rows per update (plus the ids of new segments only).
    const writer = await SessionManager.open(sm.conversationId, {
      store: base,
      infiniteContext: true,
      maxTurnsPerSegment: 2,
    });
    await act(async () => {
      await writer.userSays('rolls over');
    });
    // The rollover and the message are two transactions: wait for the state after both.
    const after = await writer.getStats({ includeAllSegments: true });
    expect(after.sessionSegments).toBe(31);
    await waitFor(() => expect(result.current.stats).toEqual(after));
    expect(reads.calls.getSegments ?? 0).toBe(0);
    expect(reads.calls.getEvents ?? 0).toBe(0);
  });
});
