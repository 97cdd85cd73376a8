import { Dexie, type Table } from 'dexie';
import type { Session, SessionEvent } from '../types';

/**
 * The IndexedDB schema, declared once. Every schema change adds a `.version(n)` here with
 * its upgrade, and a migration test that opens a database written by version n - 1.
 */
export class SessionDatabase extends Dexie {
  sessions!: Table<Session, string>;
  events!: Table<SessionEvent, string>;

  constructor(name: string, dependencies?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange }) {
    super(name, dependencies);
    this.version(1).stores({
      // [rootId+segmentIndex] finds a conversation's head with one index read.
      sessions: 'id, parentId, rootId, updatedAt, [rootId+segmentIndex]',
      // Unique [sessionId+seq]: a second writer can never reuse a position in a segment.
      events: 'id, &[sessionId+seq], taskId',
    });
  }
}

export const SCHEMA_VERSION = 1;
