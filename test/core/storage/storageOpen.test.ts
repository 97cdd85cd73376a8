// IndexedDB that will not open (Firefox private windows before 115, a blocked site, a broken
// profile): StorageUnavailableError with the browser's error as cause, and a memory fallback the
// app chooses with openSessionStore({ fallback: 'memory' }). Nothing already stored is touched.
import {
  DexieSessionStore,
  MemorySessionStore,
  openSessionStore,
  SessionManager,
  StorageUnavailableError,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { uniqueDbName } from '../../helpers';

/** An IDBFactory whose open() fails as Firefox's private mode did: InvalidStateError. */
function refusingFactory(name = 'InvalidStateError'): IDBFactory {
  const real = indexedDB;
  return {
    cmp: real.cmp.bind(real),
    databases: real.databases.bind(real),
    deleteDatabase: real.deleteDatabase.bind(real),
    open() {
      const request = { error: null, result: undefined } as unknown as IDBOpenDBRequest &
        Record<string, unknown>;
      setTimeout(() => {
        Object.assign(request, {
          error: new DOMException(
            'A mutation operation was attempted on a database that did not allow mutations.',
            name,
          ),
        });
        const event = { target: request, type: 'error', preventDefault() {}, stopPropagation() {} };
        (request.onerror as ((e: unknown) => void) | null)?.(event);
      });
      return request;
    },
  } as IDBFactory;
}

describe('openSessionStore', () => {
  it('opens IndexedDB when it works, and the store records and reads', async () => {
    const opened = await openSessionStore({ name: uniqueDbName('open') });
    expect(opened.kind).toBe('indexeddb');
    expect(opened.store).toBeInstanceOf(DexieSessionStore);
    const sm = new SessionManager({ store: opened.store });
    await sm.userSays('hello');
    expect((await sm.getConversation()).map((t) => t.content)).toEqual(['hello']);
  });

  it('rejects with StorageUnavailableError naming the fallback when the browser refuses IndexedDB', async () => {
    const error = await openSessionStore({
      name: uniqueDbName('refused'),
      indexedDB: refusingFactory(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    const message = (error as Error).message;
    expect(message).toMatch(/private window/);
    expect(message).toMatch(/fallback: 'memory'/);
    expect(message).toMatch(/did not allow mutations/);
    expect((error as StorageUnavailableError).cause).toBeDefined();
  });

  it("with fallback: 'memory', resolves to a working memory store and says why", async () => {
    const opened = await openSessionStore({
      name: uniqueDbName('fallback'),
      indexedDB: refusingFactory(),
      fallback: 'memory',
    });
    expect(opened.kind).toBe('memory');
    expect(opened.store).toBeInstanceOf(MemorySessionStore);
    expect(opened.error).toBeInstanceOf(StorageUnavailableError);
    const sm = new SessionManager({ store: opened.store });
    await sm.userSays('kept in memory');
    await sm.aiResponds('yes');
    expect((await sm.getStats()).totalMessages).toBe(2);
  });

  it('a store used without opening first fails its first call with StorageUnavailableError, not a raw DOMException', async () => {
    const store = new DexieSessionStore({
      name: uniqueDbName('lazy'),
      indexedDB: refusingFactory('SecurityError'),
    });
    const sm = new SessionManager({ store });
    await expect(sm.userSays('hello')).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(store.listConversations()).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('a refused open changes nothing already stored', async () => {
    const name = uniqueDbName('intact');
    const first = new DexieSessionStore({ name });
    const sm = new SessionManager({ store: first });
    await sm.userSays('stored before');
    first.close();
    await expect(openSessionStore({ name, indexedDB: refusingFactory() })).rejects.toBeInstanceOf(
      StorageUnavailableError,
    );
    const again = await openSessionStore({ name });
    const reopened = await SessionManager.open(sm.conversationId, { store: again.store });
    expect((await reopened.getConversation()).map((t) => t.content)).toEqual(['stored before']);
  });

  it('without IndexedDB at all (server rendering, Node), the fallback also applies', async () => {
    const saved = globalThis.indexedDB;
    Reflect.deleteProperty(globalThis, 'indexedDB');
    try {
      await expect(openSessionStore()).rejects.toThrow(/MemorySessionStore/);
      const opened = await openSessionStore({ fallback: 'memory' });
      expect(opened.kind).toBe('memory');
      expect(opened.error).toBeInstanceOf(StorageUnavailableError);
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});
