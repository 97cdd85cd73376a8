import { DexieSessionStore } from './dexieSessionStore.ts';
import type { SessionStore } from './sessionStore.ts';

let shared: SessionStore | undefined;

/**
 * The store used when none is passed: one DexieSessionStore on the default database,
 * created on first use (never at import, so server rendering can import the package).
 * Throws StorageUnavailableError, naming MemorySessionStore, where IndexedDB is missing.
 */
export function getDefaultStore(): SessionStore {
  shared ??= new DexieSessionStore();
  return shared;
}

/** Replace the store used when none is passed (e.g. a MemorySessionStore on the server). */
export function setDefaultStore(store: SessionStore | undefined): void {
  shared = store;
}
