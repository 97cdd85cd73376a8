// @vitest-environment jsdom
import { DexieSessionStore, SessionManager } from '@ai-session-manager/core';
import { useSessions } from '@ai-session-manager/react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { countingReads, freshStore, providerFor, tick } from './reactHelpers';

describe('useSessions', () => {
  it('lists conversations newest first and reorders live', async () => {
    const store = freshStore();
    const { result } = renderHook(() => useSessions(), { wrapper: providerFor(store) });
    expect(result.current).toEqual({ conversations: [], isLoading: true, error: null });
    await waitFor(() => expect(result.current.isLoading).toBe(false));
    expect(result.current.conversations).toEqual([]);

    const a = new SessionManager({ store, sessionId: 'a', systemPrompt: 'first' });
    const b = new SessionManager({ store, sessionId: 'b' });
    await act(async () => {
      await a.userSays('hello a');
      await tick();
      await b.userSays('hello b');
    });
    await waitFor(() =>
      expect(result.current.conversations.map((c) => c.conversationId)).toEqual(['b', 'a']),
    );
    expect(result.current.conversations[1]).toMatchObject({ systemPrompt: 'first', totals: { messages: 1 } });

    await tick();
    await act(async () => {
      await a.aiResponds('a again');
    });
    await waitFor(() =>
      expect(result.current.conversations.map((c) => c.conversationId)).toEqual(['a', 'b']),
    );
    expect(result.current.conversations[0]!.totals.messages).toBe(2);

    // Writes from another store instance on the same database (another tab) show up too.
    const other = new DexieSessionStore({ name: store.name });
    await tick();
    await act(async () => {
      await new SessionManager({ store: other, sessionId: 'c' }).userSays('from another tab');
    });
    await waitFor(() =>
      expect(result.current.conversations.map((c) => c.conversationId)).toEqual(['c', 'a', 'b']),
    );
    other.close();
  });

  it('keeps unchanged rows by reference', async () => {
    const store = freshStore();
    const a = new SessionManager({ store, sessionId: 'a' });
    const b = new SessionManager({ store, sessionId: 'b' });
    await a.userSays('a');
    await tick();
    await b.userSays('b');
    const { result } = renderHook(() => useSessions(), { wrapper: providerFor(store) });
    await waitFor(() => expect(result.current.conversations).toHaveLength(2));
    const rowA = result.current.conversations.find((c) => c.conversationId === 'a');
    await tick();
    await act(async () => {
      await b.aiResponds('b again');
    });
    await waitFor(() => expect(result.current.conversations[0]!.totals.messages).toBe(2));
    expect(result.current.conversations.find((c) => c.conversationId === 'a')).toBe(rowA);
  });

  it('pages with { limit }: the newest `limit`, loadMore for the next, live within what is shown', async () => {
    const base = freshStore();
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) {
      await new SessionManager({ store: base, sessionId: id }).userSays(id);
      await tick();
    }
    const { store, reads } = countingReads(base);
    const { result } = renderHook(() => useSessions({ limit: 2 }), { wrapper: providerFor(store) });
    expect(result.current).toMatchObject({ conversations: [], isLoading: true, hasMore: false });
    await waitFor(() => expect(result.current.isLoading).toBe(false));
    expect(result.current.conversations.map((c) => c.conversationId)).toEqual(['c5', 'c4']);
    expect(result.current.hasMore).toBe(true);
    // One page (and one row to know there is more), through the store's index.
    expect(reads.listRows / reads.calls.listConversations!).toBe(3);

    await act(() => result.current.loadMore());
    expect(result.current.conversations.map((c) => c.conversationId)).toEqual(['c5', 'c4', 'c3', 'c2']);
    expect(result.current).toMatchObject({ hasMore: true, isLoadingMore: false });
    await act(() => result.current.loadMore());
    expect(result.current.conversations.map((c) => c.conversationId)).toEqual(['c5', 'c4', 'c3', 'c2', 'c1']);
    expect(result.current.hasMore).toBe(false);

    // A write moves a conversation to the top; nothing is shown twice or lost.
    await tick();
    await act(async () => {
      await (await SessionManager.open('c2', { store: base })).aiResponds('bump');
    });
    await waitFor(() =>
      expect(result.current.conversations.map((c) => c.conversationId)).toEqual([
        'c2',
        'c5',
        'c4',
        'c3',
        'c1',
      ]),
    );
  });

  it('a first page shows a new conversation at the top and keeps the page size', async () => {
    const store = freshStore();
    for (const id of ['a', 'b', 'c']) {
      await new SessionManager({ store, sessionId: id }).userSays(id);
      await tick();
    }
    const { result } = renderHook(() => useSessions({ limit: 2 }), { wrapper: providerFor(store) });
    await waitFor(() =>
      expect(result.current.conversations.map((c) => c.conversationId)).toEqual(['c', 'b']),
    );
    await act(async () => {
      await new SessionManager({ store, sessionId: 'd' }).userSays('d');
    });
    await waitFor(() =>
      expect(result.current.conversations.map((c) => c.conversationId)).toEqual(['d', 'c']),
    );
    expect(result.current.hasMore).toBe(true);
  });
});
