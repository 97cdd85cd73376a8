// @vitest-environment jsdom
import {
  MemorySessionStore,
  SessionManager,
  StorageUnavailableError,
  setDefaultStore,
} from '@ai-session-manager/core';
import {
  SessionProvider,
  useConversation,
  useSession,
  useSessions,
  useSessionStats,
} from '@ai-session-manager/react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

function Page({ id }: { id: string }) {
  const s = useSession();
  const existing = useSession(id);
  const c = useConversation(id);
  const st = useSessionStats(id);
  const l = useSessions();
  const w = useConversation(id, { window: 10 });
  const paged = useSessions({ limit: 5 });
  return (
    <main>
      <p id="new">{s.sessionId ? 'has-id' : 'no-id'}</p>
      <p id="ready">{String(s.isReady || existing.isReady)}</p>
      <p id="loading">{[c.isLoading, st.isLoading, l.isLoading, w.isLoading, paged.isLoading].join(',')}</p>
      <p id="count">{c.messages.length}</p>
    </main>
  );
}

describe('server rendering', () => {
  const original = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB');
  let touched = 0;

  beforeEach(() => {
    touched = 0;
    setDefaultStore(undefined); // no default store built by an earlier test
    // As on a server: no IndexedDB, and any attempt to reach it is counted.
    Object.defineProperty(globalThis, 'indexedDB', {
      configurable: true,
      get() {
        touched += 1;
        return undefined;
      },
    });
  });

  afterEach(() => {
    if (original) Object.defineProperty(globalThis, 'indexedDB', original);
    setDefaultStore(undefined);
  });

  it('renders with the default store without touching indexedDB', () => {
    const html = renderToString(
      <SessionProvider>
        <Page id="conv" />
      </SessionProvider>,
    );
    expect(html).toContain('has-id');
    expect(html).toContain('<p id="ready">false</p>');
    expect(html).toContain('<p id="loading">true,true,true,true,true</p>');
    expect(touched).toBe(0);
  });

  it('renders with an explicit store without reading it', async () => {
    const store = new MemorySessionStore();
    await new SessionManager({ store, sessionId: 'conv' }).userSays('stored');
    let reads = 0;
    const counted = new Proxy(store, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          reads += 1;
          return value.apply(target, args);
        };
      },
    });
    const html = renderToString(
      <SessionProvider store={counted}>
        <Page id="conv" />
      </SessionProvider>,
    );
    expect(html).toContain('<p id="loading">true,true,true,true,true</p>');
    expect(html).toContain('<p id="count">0</p>');
    expect(reads).toBe(0); // effects (and so watches) never run on the server
    expect(touched).toBe(0);
  });

  it('in a browser without IndexedDB, reports the default store’s error as a value, never a crash', async () => {
    const { result } = renderHook(
      () => ({
        s: useSession(),
        c: useConversation('conv'),
        l: useSessions(),
        w: useConversation('conv', { window: 5 }),
        p: useSessions({ limit: 5 }),
        st: useSessionStats('conv'),
      }),
      { wrapper: ({ children }) => <SessionProvider>{children}</SessionProvider> },
    );
    await waitFor(() => expect(result.current.s.error).toBeInstanceOf(StorageUnavailableError));
    expect(result.current.s.error?.message).toContain('MemorySessionStore');
    await waitFor(() => expect(result.current.c.error).toBeInstanceOf(StorageUnavailableError));
    expect(result.current.l.error).toBeInstanceOf(StorageUnavailableError);
    await waitFor(() => expect(result.current.w.error).toBeInstanceOf(StorageUnavailableError));
    expect(result.current.w.isLoading).toBe(false);
    await waitFor(() => expect(result.current.p.error).toBeInstanceOf(StorageUnavailableError));
    await waitFor(() => expect(result.current.st.error).toBeInstanceOf(StorageUnavailableError));
    await act(async () => {
      await expect(result.current.s.userSays('hi')).rejects.toBeInstanceOf(StorageUnavailableError);
    });
  });
});
