// @vitest-environment jsdom
import {
  DexieSessionStore,
  InvalidInputError,
  MemorySessionStore,
  SessionManager,
  type SessionStore,
  setDefaultStore,
  StorageWriteError,
} from '@ai-session-manager/core';
import {
  SessionProvider,
  useConversation,
  useSession,
  useSessions,
  useSessionStats,
  useSessionStore,
} from '@ai-session-manager/react';
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { uniqueDbName } from '../helpers';
import { freshStore, providerFor } from './reactHelpers';

function Recorder() {
  const s = useSession();
  return (
    <div>
      <span data-testid="error">{s.error ? `${s.error.name}: ${s.error.message}` : 'none'}</span>
      <button type="button" onClick={() => s.userSays(42 as unknown as string).catch(() => {})}>
        bad
      </button>
      <button type="button" onClick={() => s.userSays('fine')}>
        good
      </button>
    </div>
  );
}

describe('useSession', () => {
  afterEach(() => setDefaultStore(undefined));

  it('starts a new conversation whose ids are known on the first render', async () => {
    const store = freshStore();
    const seen: { sessionId: string; conversationId: string; isReady: boolean }[] = [];
    const { result } = renderHook(
      () => {
        const s = useSession(undefined, { systemPrompt: 'be brief' });
        seen.push({ sessionId: s.sessionId, conversationId: s.conversationId, isReady: s.isReady });
        return s;
      },
      { wrapper: providerFor(store) },
    );
    const first = seen[0]!;
    expect(first.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.conversationId).toBe(first.sessionId);
    expect(first.isReady).toBe(false);
    await waitFor(() => expect(result.current.isReady).toBe(true));
    // Nothing is written until the first message.
    expect(await store.getSession(first.sessionId)).toBeUndefined();

    let segmentId = '';
    await act(async () => {
      segmentId = await result.current.userSays('hello');
      await result.current.aiResponds('hi there', { model: 'gpt-4o-mini' });
      await result.current.toolUsed('search', { q: 'x' }, { hits: 1 });
    });
    expect(segmentId).toBe(first.sessionId);
    expect(result.current.sessionId).toBe(first.sessionId);
    const stored = await store.getSession(first.sessionId);
    expect(stored).toMatchObject({ systemPrompt: 'be brief', totals: { messages: 2, toolCalls: 1 } });
    expect(await result.current.getMessagesForLLM()).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: 'hi there' },
    ]);
  });

  it('continues an existing conversation from any of its segment ids', async () => {
    const store = freshStore();
    const sm = new SessionManager({
      store,
      systemPrompt: 'sys',
      infiniteContext: true,
      maxTurnsPerSegment: 2,
    });
    await sm.userSays('one');
    await sm.aiResponds('two');
    await sm.userSays('three'); // rolls over
    const [root, head] = await sm.getSessionChain();

    const { result } = renderHook(() => useSession(root), { wrapper: providerFor(store) });
    expect(result.current.conversationId).toBe(root);
    await waitFor(() => expect(result.current.isReady).toBe(true));
    expect(result.current.sessionId).toBe(head);

    const fromHead = renderHook(() => useSession(head), { wrapper: providerFor(store) });
    await waitFor(() => expect(fromHead.result.current.isReady).toBe(true));
    expect(fromHead.result.current.conversationId).toBe(root);
    expect(fromHead.result.current.sessionId).toBe(head);

    await act(async () => {
      await result.current.aiResponds('four');
    });
    expect((await store.getEvents(head!)).map((e) => e.message)).toEqual(['three', 'four']);
    expect(result.current.manager.systemPrompt).toBe('sys');
  });

  it('creates the manager once per hook instance and again only when conversationId changes', async () => {
    const store = freshStore();
    const summarize = vi.fn(() => 'summary');
    const { result, rerender } = renderHook(
      ({ id, prompt }: { id?: string; prompt: string }) =>
        useSession(id, { systemPrompt: prompt, summarize }),
      { wrapper: providerFor(store), initialProps: { prompt: 'a' } as { id?: string; prompt: string } },
    );
    const first = result.current.manager;
    const newId = result.current.conversationId;
    rerender({ prompt: 'b' }); // other options do not recreate it
    await waitFor(() => expect(result.current.isReady).toBe(true));
    expect(result.current.manager).toBe(first);
    expect(result.current.conversationId).toBe(newId);
    const actions = result.current.userSays;
    rerender({ prompt: 'c' });
    expect(result.current.userSays).toBe(actions); // bound actions are stable

    rerender({ id: 'chosen-id', prompt: 'c' });
    expect(result.current.manager).not.toBe(first);
    expect(result.current.conversationId).toBe('chosen-id');
    const second = result.current.manager;
    rerender({ id: 'chosen-id', prompt: 'd' });
    expect(result.current.manager).toBe(second);
    rerender({ prompt: 'd' }); // back to "a new conversation": a fresh id
    expect(result.current.manager).not.toBe(second);
    expect(result.current.conversationId).not.toBe(newId);
  });

  it('updates sessionId when a rollover moves to a new segment', async () => {
    const store = freshStore();
    const { result } = renderHook(
      () => useSession(undefined, { infiniteContext: true, maxTurnsPerSegment: 2 }),
      {
        wrapper: providerFor(store),
      },
    );
    const root = result.current.sessionId;
    await act(async () => {
      await result.current.userSays('q1');
      await result.current.aiResponds('a1');
    });
    expect(result.current.sessionId).toBe(root);
    await act(async () => {
      await result.current.userSays('q2'); // the segment holds 2 messages: this one starts segment 2
    });
    expect(result.current.sessionId).not.toBe(root);
    expect(result.current.conversationId).toBe(root);
    const head = await store.getHead(root);
    expect(head).toMatchObject({ id: result.current.sessionId, parentId: root, segmentIndex: 1 });
  });

  it('follows a rollover made by another writer', async () => {
    const store = freshStore();
    const writer = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 1 });
    await writer.userSays('first');
    const { result } = renderHook(() => useSession(writer.conversationId), { wrapper: providerFor(store) });
    await waitFor(() => expect(result.current.isReady).toBe(true));
    expect(result.current.sessionId).toBe(writer.conversationId);
    await act(async () => {
      await writer.userSays('second');
    });
    await waitFor(() => expect(result.current.sessionId).toBe(writer.sessionId));
    expect(writer.sessionId).not.toBe(writer.conversationId);
  });

  it('returns a failed write as error and as a rejected promise, and clears it on the next success', async () => {
    const store = freshStore();
    render(<Recorder />, { wrapper: providerFor(store) });
    expect(screen.getByTestId('error').textContent).toBe('none');
    await act(async () => screen.getByText('bad').click());
    expect(await screen.findByText(/^InvalidInputError/)).toBeTruthy();

    const { result } = renderHook(() => useSession(), { wrapper: providerFor(store) });
    let rejection: unknown;
    await act(async () => {
      await result.current.userSays(42 as unknown as string).catch((e: unknown) => {
        rejection = e;
      });
    });
    expect(rejection).toBeInstanceOf(InvalidInputError);
    expect(result.current.error).toBe(rejection);
    expect(await store.getSession(result.current.sessionId)).toBeUndefined(); // nothing written

    await act(async () => {
      await result.current.userSays('valid');
    });
    expect(result.current.error).toBeNull();
  });

  it('surfaces storage write failures the same way', async () => {
    const inner = new MemorySessionStore();
    const failing: SessionStore = Object.assign(Object.create(inner) as SessionStore, {
      appendEvent: () => Promise.reject(new StorageWriteError('disk full')),
    });
    const { result } = renderHook(() => useSession(), { wrapper: providerFor(failing) });
    await act(async () => {
      await expect(result.current.userSays('hi')).rejects.toBeInstanceOf(StorageWriteError);
    });
    expect(result.current.error).toBeInstanceOf(StorageWriteError);
    expect(result.current.error?.message).toBe('disk full');
  });

  it('uses core’s default store when the Provider has none, built lazily on first use', async () => {
    const name = uniqueDbName('default');
    let built = 0;
    setDefaultStore(undefined);
    const defaultStore = new DexieSessionStore({ name });
    // setDefaultStore is the documented way to choose what getDefaultStore returns.
    setDefaultStore(
      new Proxy(defaultStore, {
        get(target, prop) {
          if (prop === 'getSession') built += 1;
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
    );
    const { result } = renderHook(() => ({ s: useSession(), store: useSessionStore() }), {
      wrapper: providerFor(undefined),
    });
    await act(async () => {
      await result.current.s.userSays('stored by default');
    });
    expect(built).toBeGreaterThan(0);
    const events = await defaultStore.getEvents(result.current.s.sessionId);
    expect(events.map((e) => e.message)).toEqual(['stored by default']);
    expect(await result.current.store.getSession(result.current.s.sessionId)).toBeDefined();
  });
});

describe('hooks outside a SessionProvider', () => {
  it.each<[string, () => unknown]>([
    ['useSession', () => useSession()],
    ['useConversation', () => useConversation('x')],
    ['useSessionStats', () => useSessionStats('x')],
    ['useSessions', () => useSessions()],
    ['useSessionStore', () => useSessionStore()],
  ])('%s throws an error naming SessionProvider', (name, hook) => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => renderHook(hook)).toThrow(`${name} must be used inside a <SessionProvider>`);
    } finally {
      quiet.mockRestore();
    }
  });

  it('work inside one', () => {
    const store = new MemorySessionStore();
    expect(() =>
      render(
        <SessionProvider store={store}>
          <span />
        </SessionProvider>,
      ),
    ).not.toThrow();
  });
});
