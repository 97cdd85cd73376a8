// @vitest-environment jsdom
import { DexieSessionStore, SessionManager } from '@ai-session-manager/core';
import { useSessions } from '@ai-session-manager/react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { freshStore, providerFor, tick } from './reactHelpers';

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
});
