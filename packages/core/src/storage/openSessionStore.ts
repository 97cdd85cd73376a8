import { StorageUnavailableError } from '../domain/errors.ts';
import { DexieSessionStore, type DexieSessionStoreOptions } from './dexieSessionStore.ts';
import { MemorySessionStore } from './memorySessionStore.ts';
import type { SessionStore } from './sessionStore.ts';

export interface OpenSessionStoreOptions extends DexieSessionStoreOptions {
  /**
   * When IndexedDB cannot be used: 'throw' (default) rejects with StorageUnavailableError;
   * 'memory' resolves to a MemorySessionStore, so the app keeps working for this page's life.
   */
  fallback?: 'throw' | 'memory';
}

export interface OpenedSessionStore {
  store: SessionStore;
  /** 'memory' after a fallback: nothing written survives a reload. Tell the user. */
  kind: 'indexeddb' | 'memory';
  /** Why IndexedDB could not be used (with kind 'memory'). */
  error?: StorageUnavailableError;
}

/**
 * Opens the IndexedDB store at start-up rather than at the first write, so that a browser that
 * refuses IndexedDB (Firefox private windows before 115, a blocked site, no IndexedDB at all)
 * is known before the user types, and the app can choose the memory fallback.
 */
export async function openSessionStore(options: OpenSessionStoreOptions = {}): Promise<OpenedSessionStore> {
  const { fallback = 'throw', ...storeOptions } = options;
  let store: DexieSessionStore | undefined;
  try {
    store = new DexieSessionStore(storeOptions);
    return { store: await store.open(), kind: 'indexeddb' };
  } catch (error) {
    store?.close();
    if (fallback !== 'memory' || !(error instanceof StorageUnavailableError)) throw error;
    return { store: new MemorySessionStore(), kind: 'memory', error };
  }
}
