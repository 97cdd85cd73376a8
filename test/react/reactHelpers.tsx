import { DexieSessionStore, type SessionStore } from '@ai-session-manager/core';
import { SessionProvider } from '@ai-session-manager/react';
import type { ReactNode } from 'react';
import { uniqueDbName } from '../helpers';

/** A fresh IndexedDB-backed store (fake-indexeddb) on a database no other test uses. */
export function freshStore(): DexieSessionStore {
  return new DexieSessionStore({ name: uniqueDbName('react') });
}

/** A renderHook/render wrapper with a SessionProvider over `store`. */
export function providerFor(store?: SessionStore) {
  return ({ children }: { children: ReactNode }) => (
    <SessionProvider store={store}>{children}</SessionProvider>
  );
}

/** Counts renders of the component it is given to. */
export interface RenderCount {
  n: number;
}

export interface WatchCount {
  /** Watches started and not yet stopped. */
  active: number;
  /** Watches ever started. */
  started: number;
}

/** `store` with its watch calls counted, to prove live queries are released. */
export function countingWatches<S extends SessionStore>(store: S): { store: S; count: WatchCount } {
  const count: WatchCount = { active: 0, started: 0 };
  const wrapped = new Proxy(store, {
    get(target, prop) {
      if (prop === 'watch') {
        return ((query, observer) => {
          count.active += 1;
          count.started += 1;
          const stop = target.watch(query, observer);
          let stopped = false;
          return () => {
            if (!stopped) count.active -= 1;
            stopped = true;
            stop();
          };
        }) satisfies SessionStore['watch'];
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, count };
}

/** Wait long enough for ISO-millisecond timestamps to differ. */
export function tick(ms = 5): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
