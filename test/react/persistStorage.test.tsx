// @vitest-environment jsdom
// SessionProvider asks for persistent storage (navigator.storage.persist) once the first
// conversation is written — not at page load, not twice — and can be told not to.
import { MemorySessionStore, SessionManager } from '@ai-session-manager/core';
import { persistOnFirstConversation, SessionProvider } from '@ai-session-manager/react';
import { act, render, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freshStore, tick } from './reactHelpers';

interface FakeStorage {
  persist: ReturnType<typeof vi.fn>;
  persisted: ReturnType<typeof vi.fn>;
}

/** navigator.storage as a browser that grants persistence when asked. */
function stubStorage(alreadyPersisted = false): FakeStorage {
  const storage = {
    persist: vi.fn(async () => true),
    persisted: vi.fn(async () => alreadyPersisted),
  };
  Object.defineProperty(navigator, 'storage', { value: storage, configurable: true });
  return storage;
}

afterEach(() => {
  Reflect.deleteProperty(navigator, 'storage');
});

describe('SessionProvider asks for persistent storage', () => {
  it('after the first conversation is written, once, and reports the answer', async () => {
    const storage = stubStorage();
    const store = freshStore();
    const answers: boolean[] = [];
    const view = render(
      <SessionProvider store={store} onPersistStorage={(granted) => answers.push(granted)}>
        <p>chat</p>
      </SessionProvider>,
    );
    await act(tick);
    await act(tick);
    expect(storage.persisted).toHaveBeenCalled();
    expect(storage.persist).not.toHaveBeenCalled(); // nothing written yet: no prompt at page load

    await act(async () => {
      await new SessionManager({ store }).userSays('hello');
    });
    await waitFor(() => expect(storage.persist).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(answers).toEqual([true]));

    // More writes, a remount: not asked again.
    await act(async () => {
      await new SessionManager({ store }).userSays('another conversation');
    });
    view.unmount();
    render(
      <SessionProvider store={store}>
        <p>chat</p>
      </SessionProvider>,
    );
    await act(tick);
    await act(tick);
    expect(storage.persist).toHaveBeenCalledTimes(1);
  });

  it('asks at once when the store already holds a conversation', async () => {
    const storage = stubStorage();
    const store = freshStore();
    await new SessionManager({ store }).userSays('from an earlier visit');
    render(
      <SessionProvider store={store}>
        <p>chat</p>
      </SessionProvider>,
    );
    await waitFor(() => expect(storage.persist).toHaveBeenCalledTimes(1));
  });

  it('does not ask with persistStorage={false}, when already persistent, or for a memory store', async () => {
    const storage = stubStorage();
    const optedOut = freshStore();
    await new SessionManager({ store: optedOut }).userSays('hi');
    render(
      <SessionProvider store={optedOut} persistStorage={false}>
        <p>chat</p>
      </SessionProvider>,
    );
    const memory = new MemorySessionStore();
    await new SessionManager({ store: memory }).userSays('hi');
    render(
      <SessionProvider store={memory}>
        <p>chat</p>
      </SessionProvider>,
    );
    await act(tick);
    await act(tick);
    expect(storage.persist).not.toHaveBeenCalled();

    const persisted = stubStorage(true);
    const store = freshStore();
    await new SessionManager({ store }).userSays('hi');
    render(
      <SessionProvider store={store}>
        <p>chat</p>
      </SessionProvider>,
    );
    await waitFor(() => expect(persisted.persisted).toHaveBeenCalled());
    await act(tick);
    expect(persisted.persist).not.toHaveBeenCalled();
  });

  it('a browser without navigator.storage, or one that refuses, breaks nothing', async () => {
    const store = freshStore();
    await new SessionManager({ store }).userSays('hi');
    const stop = persistOnFirstConversation(store); // jsdom has no navigator.storage
    stop();
    const refusing = { persist: vi.fn(async () => Promise.reject(new Error('denied'))) };
    const answers: boolean[] = [];
    persistOnFirstConversation(freshStore(), (granted) => answers.push(granted), refusing);
    const withData = freshStore();
    await new SessionManager({ store: withData }).userSays('hi');
    persistOnFirstConversation(withData, (granted) => answers.push(granted), refusing);
    await waitFor(() => expect(answers).toEqual([false]));
  });
});
