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

export interface ReadCount {
  /** Calls per SessionStore read method. */
  calls: Record<string, number>;
  /** Segment rows returned by getSession, getHead, getChainEnds (root and head) and getSegments. */
  segmentRows: number;
  /** Conversation rows returned by listConversations. */
  listRows: number;
  /** Event rows returned by getEvents. */
  eventRows: number;
}

const READS = new Set([
  'getSession',
  'getSegments',
  'getHead',
  'getChainEnds',
  'getEvents',
  'listConversations',
]);

/** `store` with its reads counted, to prove a hook reads only what it shows. */
export function countingReads<S extends SessionStore>(store: S): { store: S; reads: ReadCount } {
  const reads: ReadCount = { calls: {}, segmentRows: 0, listRows: 0, eventRows: 0 };
  const wrapped = new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const name = String(prop);
      if (!READS.has(name)) return value.bind(target);
      return async (...args: unknown[]) => {
        const result = await value.apply(target, args);
        reads.calls[name] = (reads.calls[name] ?? 0) + 1;
        if (name === 'getEvents') reads.eventRows += (result as unknown[]).length;
        if (name === 'getSegments') reads.segmentRows += (result as unknown[]).length;
        if ((name === 'getSession' || name === 'getHead') && result) reads.segmentRows += 1;
        if (name === 'getChainEnds' && result) reads.segmentRows += 2;
        if (name === 'listConversations') reads.listRows += (result as unknown[]).length;
        return result;
      };
    },
  });
  return { store: wrapped, reads };
}
