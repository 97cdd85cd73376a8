// Ask the browser not to evict the origin's data (`navigator.storage.persist()`) once there is
// something worth keeping: after the first conversation is written, not at page load, so that a
// browser that asks the user (Firefox) asks when it makes sense. Framework-free.
import { MemorySessionStore, type SessionStore } from '@ai-session-manager/core';

/** The part of `navigator.storage` this uses. */
export interface PersistableStorage {
  persist(): Promise<boolean>;
  persisted?(): Promise<boolean>;
}

/** Stores already asked for (a remount, StrictMode's second effect or a second Provider asks no more). */
const asked = new WeakSet<SessionStore>();

/**
 * Watches `store` until it holds a conversation, then calls `storage.persist()` once and reports
 * the browser's answer. Does nothing for a memory store, where persistence was already granted,
 * or where the API is missing. Returns the stop function.
 */
export function persistOnFirstConversation(
  store: SessionStore,
  onResult?: (granted: boolean) => void,
  storage: PersistableStorage | undefined = globalThis.navigator?.storage,
): () => void {
  if (typeof storage?.persist !== 'function' || store instanceof MemorySessionStore || asked.has(store)) {
    return () => {};
  }
  let done = false;
  let unwatch: (() => void) | undefined;
  const finish = () => {
    done = true;
    unwatch?.();
  };
  const ask = () => {
    if (done) return;
    finish();
    asked.add(store);
    storage.persist().then(
      (granted) => onResult?.(granted === true),
      () => onResult?.(false),
    );
  };
  void (async () => {
    const already = await storage.persisted?.().catch(() => false);
    if (done) return;
    if (already) {
      asked.add(store);
      return finish();
    }
    const stop = store.watch(() => store.listConversations({ limit: 1 }), {
      next: (list) => {
        if (list.length > 0) ask();
      },
      // A store that cannot be read has nothing to persist; the hooks report its error.
      error: () => finish(),
    });
    if (done) stop();
    else unwatch = stop;
  })().catch(() => finish()); // a store or browser that fails here has nothing to persist
  return finish;
}
