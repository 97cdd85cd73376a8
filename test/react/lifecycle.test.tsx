// @vitest-environment jsdom
import { MemorySessionStore, SessionManager, type SessionStore } from '@ai-session-manager/core';
import {
  type ConversationStore,
  SessionProvider,
  useConversation,
  useConversationStore,
  useSession,
  useSessions,
  useSessionStats,
} from '@ai-session-manager/react';
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { type ReactNode, StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { countingWatches, freshStore, providerFor } from './reactHelpers';

interface Captured {
  current?: ConversationStore;
}

function Capture({ into }: { into: Captured }) {
  into.current = useConversationStore();
  return null;
}

function ConversationView({ id, label = 'view' }: { id: string; label?: string }) {
  const { isLoading } = useConversation(id);
  useSessionStats(id);
  return <span>{isLoading ? 'loading' : label}</span>;
}

function Views({ store, ids, into }: { store: SessionStore; ids: string[]; into: Captured }) {
  return (
    <SessionProvider store={store}>
      <Capture into={into} />
      {ids.map((id, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the same id appears twice on purpose
        <ConversationView key={i} id={id} />
      ))}
    </SessionProvider>
  );
}

function RecorderAndList() {
  const s = useSession();
  useSessions();
  return <span>{s.isReady ? 'ready' : 'loading'}</span>;
}

function Text({ id }: { id: string }) {
  const { messages } = useConversation(id);
  return <span data-testid="text">{messages.map((m) => m.content).join()}</span>;
}

describe('slice lifecycle', () => {
  it('shares one watch per conversation and releases it (and the slice) when the last observer unmounts', async () => {
    const { store, count } = countingWatches(freshStore());
    const api: Captured = {};
    const { rerender, unmount } = render(<Views store={store} ids={['a', 'a', 'b']} into={api} />);
    await waitFor(() => expect(screen.queryByText('loading')).toBeNull());
    // One events watch and one stats watch per conversation, however many hooks observe it.
    expect(count.active).toBe(4);
    expect(Object.keys(api.current!.getState().conversations).sort()).toEqual(['a', 'b']);
    expect(Object.keys(api.current!.getState().stats).sort()).toEqual(['a', 'b']);

    rerender(<Views store={store} ids={['a']} into={api} />); // b's last observer goes; a keeps one
    await waitFor(() => expect(count.active).toBe(2));
    expect(Object.keys(api.current!.getState().conversations)).toEqual(['a']);
    expect(Object.keys(api.current!.getState().stats)).toEqual(['a']);

    unmount();
    await waitFor(() => expect(count.active).toBe(0));
    expect(api.current!.getState().conversations).toEqual({});
    expect(api.current!.getState().stats).toEqual({});
  });

  it('keeps the watch when a view is replaced by another view of the same conversation in one commit', async () => {
    const { store, count } = countingWatches(freshStore());
    const { rerender } = render(<ConversationView id="same" label="a" />, { wrapper: providerFor(store) });
    await screen.findByText('a');
    rerender(<ConversationView key="other" id="same" label="b" />);
    await screen.findByText('b');
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
    expect(count).toEqual({ active: 2, started: 2 }); // events and stats, each started once
  });

  it('releases the list watch and the recorders’ head watches on unmount', async () => {
    const { store, count } = countingWatches(new MemorySessionStore() as SessionStore);
    const api: Captured = {};
    const { unmount } = render(
      <SessionProvider store={store}>
        <Capture into={api} />
        <RecorderAndList />
      </SessionProvider>,
    );
    await screen.findByText('ready');
    await waitFor(() => expect(count.active).toBe(2)); // the list and the recorder's head
    expect(Object.keys(api.current!.getState().recorders)).toHaveLength(1);
    unmount();
    await waitFor(() => expect(count.active).toBe(0));
    expect(api.current!.getState().recorders).toEqual({});
    expect(api.current!.getState().conversationList).toBeUndefined();
  });

  it('works under StrictMode without leaking watches', async () => {
    const { store, count } = countingWatches(freshStore());
    const wrapper = ({ children }: { children: ReactNode }) => (
      <StrictMode>
        <SessionProvider store={store}>{children}</SessionProvider>
      </StrictMode>
    );
    const { result, unmount } = renderHook(
      () => {
        const s = useSession();
        return { s, c: useConversation(s.conversationId) };
      },
      { wrapper },
    );
    await waitFor(() => expect(result.current.s.isReady).toBe(true));
    await act(async () => {
      await result.current.s.userSays('strict');
    });
    await waitFor(() => expect(result.current.c.messages.map((m) => m.content)).toEqual(['strict']));
    unmount();
    await waitFor(() => expect(count.active).toBe(0));
  });

  it('reports a failing live query as error, without crashing render', async () => {
    const inner = new MemorySessionStore();
    const broken: SessionStore = Object.assign(Object.create(inner) as SessionStore, {
      getSegments: () => Promise.reject(new Error('read failed')),
      listConversations: () => Promise.reject(new Error('list failed')),
    });
    const { result } = renderHook(
      () => ({ c: useConversation('x'), l: useSessions(), st: useSessionStats('x') }),
      {
        wrapper: providerFor(broken),
      },
    );
    await waitFor(() => expect(result.current.c.error?.message).toBe('read failed'));
    expect(result.current.c.isLoading).toBe(false);
    expect(result.current.st.error?.message).toBe('read failed');
    await waitFor(() => expect(result.current.l.error?.message).toBe('list failed'));
  });

  it('starts over when the Provider gets another store', async () => {
    const first = new MemorySessionStore();
    const second = new MemorySessionStore();
    await new SessionManager({ store: first, sessionId: 'c' }).userSays('in first');
    await new SessionManager({ store: second, sessionId: 'c' }).userSays('in second');
    const { rerender } = render(
      <SessionProvider store={first}>
        <Text id="c" />
      </SessionProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('text').textContent).toBe('in first'));
    rerender(
      <SessionProvider store={second}>
        <Text id="c" />
      </SessionProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('text').textContent).toBe('in second'));
  });
});
