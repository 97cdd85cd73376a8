import { DexieSessionStore, MemorySessionStore, type SessionStore } from '@ai-session-manager/core';

let counter = 0;

/** A database name no other test uses, so tests never share state. */
export function uniqueDbName(prefix = 'test'): string {
  counter += 1;
  return `${prefix}-${Date.now()}-${counter}-${Math.random().toString(36).slice(2)}`;
}

export interface StoreFactory {
  kind: 'dexie' | 'memory';
  /** A fresh, empty store. */
  create(): SessionStore;
  /** A second handle on the same data, as another tab or a reload would open it. */
  reopen(store: SessionStore): SessionStore;
}

export const dexieFactory: StoreFactory = {
  kind: 'dexie',
  create: () => new DexieSessionStore({ name: uniqueDbName() }),
  reopen: (store) => new DexieSessionStore({ name: (store as DexieSessionStore).name }),
};

export const memoryFactory: StoreFactory = {
  kind: 'memory',
  create: () => new MemorySessionStore(),
  // Memory has no persistence: "another tab" can only share the instance.
  reopen: (store) => store,
};

export const storeFactories: StoreFactory[] = [dexieFactory, memoryFactory];
