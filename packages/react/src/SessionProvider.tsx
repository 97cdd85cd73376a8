import { getDefaultStore, type SessionStore } from '@ai-session-manager/core';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { type ConversationStore, createConversationStore } from './conversationStore.ts';
import { LazySessionStore } from './lazySessionStore.ts';
import { SessionContext } from './sessionContext.ts';
import { persistOnFirstConversation } from './storagePersistence.ts';

export interface SessionProviderProps {
  /** Where sessions live. Default: core's shared IndexedDB store, built on first use (never on the server). */
  store?: SessionStore;
  /**
   * Ask the browser to keep this origin's data (`navigator.storage.persist()`) once the first
   * conversation is written, so IndexedDB is not evicted under storage pressure. Default true.
   */
  persistStorage?: boolean;
  /** The browser's answer to that request (true: persistent). */
  onPersistStorage?: (granted: boolean) => void;
  children?: ReactNode;
}

interface Owned {
  store: SessionStore | undefined;
  /** What the hooks read: `store`, or the default store built on first use. */
  sessionStore: SessionStore;
  api: ConversationStore;
}

function own(store: SessionStore | undefined): Owned {
  const sessionStore = store ?? new LazySessionStore(getDefaultStore);
  return { store, sessionStore, api: createConversationStore(sessionStore) };
}

/** Gives the hooks below it one zustand store over `store`; hooks throw without it. */
export function SessionProvider({
  store,
  persistStorage = true,
  onPersistStorage,
  children,
}: SessionProviderProps) {
  const [owned, setOwned] = useState(() => own(store));
  let current = owned;
  // A different store prop means different data: start over rather than mix the two.
  if (current.store !== store) {
    current = own(store);
    setOwned(current);
  }
  const { sessionStore } = current;
  // The latest callback, without restarting the watch when an inline function changes identity.
  const onPersist = useRef(onPersistStorage);
  onPersist.current = onPersistStorage;
  useEffect(() => {
    if (!persistStorage) return;
    // Effects never run on the server, so the default store is only built in the browser.
    let target: SessionStore;
    try {
      target = sessionStore instanceof LazySessionStore ? sessionStore.resolve() : sessionStore;
    } catch {
      return; // no IndexedDB: nothing to persist, and the hooks report the error
    }
    return persistOnFirstConversation(target, (granted) => onPersist.current?.(granted));
  }, [sessionStore, persistStorage]);
  return <SessionContext.Provider value={current.api}>{children}</SessionContext.Provider>;
}
