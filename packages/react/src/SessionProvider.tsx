import { getDefaultStore, type SessionStore } from '@ai-session-manager/core';
import { type ReactNode, useState } from 'react';
import { type ConversationStore, createConversationStore } from './conversationStore';
import { LazySessionStore } from './lazySessionStore';
import { SessionContext } from './sessionContext';

export interface SessionProviderProps {
  /** Where sessions live. Default: core's shared IndexedDB store, built on first use (never on the server). */
  store?: SessionStore;
  children?: ReactNode;
}

interface Owned {
  store: SessionStore | undefined;
  api: ConversationStore;
}

function own(store: SessionStore | undefined): Owned {
  return { store, api: createConversationStore(store ?? new LazySessionStore(getDefaultStore)) };
}

/** Gives the hooks below it one zustand store over `store`; hooks throw without it. */
export function SessionProvider({ store, children }: SessionProviderProps) {
  const [owned, setOwned] = useState(() => own(store));
  let current = owned;
  // A different store prop means different data: start over rather than mix the two.
  if (current.store !== store) {
    current = own(store);
    setOwned(current);
  }
  return <SessionContext.Provider value={current.api}>{children}</SessionContext.Provider>;
}
