import { StorageUnavailableError } from '../domain/errors.ts';
import type { DexieSessionStore } from './dexieSessionStore.ts';
import type { MemorySessionStore } from './memorySessionStore.ts';
import type { OpenedSessionStore, OpenSessionStoreOptions } from './openSessionStore.ts';

/** openSessionStore's work (see there). */
export async function openStoreWith(
  options: OpenSessionStoreOptions,
  Dexie: typeof DexieSessionStore,
  Memory: typeof MemorySessionStore,
): Promise<OpenedSessionStore> {
  const { fallback = 'throw', ...storeOptions } = options;
  let store: DexieSessionStore | undefined;
  try {
    store = new Dexie(storeOptions);
    return { store: await store.open(), kind: 'indexeddb' };
  } catch (error) {
    store?.close();
    if (fallback !== 'memory' || !(error instanceof StorageUnavailableError)) throw error;
    return { store: new Memory(), kind: 'memory', error };
  }
}
