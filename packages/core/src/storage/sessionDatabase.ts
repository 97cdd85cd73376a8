import { Dexie, type Table } from 'dexie';
import type { Session, SessionEvent } from '../domain/types.ts';
import { hasLegacyFields, withReservedFields } from '../domain/reservedFields.ts';
import { importRows } from './chainWrites.ts';
import type { AttachmentRef, AttachmentRow } from './attachmentRows.ts';

/** A deleted conversation: its id may not be used for a new root again (an import may). */
export interface Tombstone {
  id: string;
  deletedAt: string;
}

/**
 * The IndexedDB schema, declared once. Every schema change adds a `.version(n)` here with
 * its upgrade, and a migration test that opens a database written by version n - 1.
 */
export class SessionDatabase extends Dexie {
  sessions!: Table<Session, string>;
  events!: Table<SessionEvent, string>;
  tombstones!: Table<Tombstone, string>;
  attachments!: Table<AttachmentRow, string>;
  attachmentRoots!: Table<AttachmentRef, [string, string]>;

  constructor(name: string, dependencies?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange }) {
    super(name, dependencies);
    this.version(1).stores({
      // [rootId+segmentIndex] finds a conversation's head with one index read.
      sessions: 'id, parentId, rootId, updatedAt, [rootId+segmentIndex]',
      // Unique [sessionId+seq]: a second writer can never reuse a position in a segment.
      events: 'id, &[sessionId+seq], taskId',
    });
    // v2: conversation totals on the head (priorTotals) and a sparse index of heads only
    // ([headAt+rootId]: headAt exists on head rows alone), so stats read one row and the
    // conversation list one row per conversation, newest first.
    this.version(2)
      .stores({ sessions: 'id, parentId, rootId, updatedAt, [rootId+segmentIndex], [headAt+rootId]' })
      .upgrade(async (tx) => {
        const sessions = tx.table<Session, string>('sessions');
        await sessions.bulkPut(importRows(await sessions.toArray()).rows);
      });
    // v3: tombstones of deleted conversations.
    this.version(3).stores({ tombstones: 'id' });
    // v4: the library's reply state and branch links leave the caller's metadata for
    // `event.reply` and `event.branch`.
    this.version(4)
      .stores({})
      .upgrade((tx) =>
        tx
          .table<SessionEvent, string>('events')
          .toCollection()
          .modify((event, ref) => {
            if (hasLegacyFields(event)) ref.value = withReservedFields(event);
          }),
      );
    // v5: files and images as Blobs, once per content (SHA-256), apart from the event rows; a row
    // per (file, conversation) that references it, so deleting the last one frees the Blob.
    // No rows to move: events held no parts before v5. (v6 is planned for sync: an outbox and device ids.)
    this.version(5).stores({ attachments: 'hash', attachmentRoots: '[hash+rootId], rootId' });
  }
}

export const SCHEMA_VERSION = 5;

/** A conversation's newest segment: one read of the [rootId+segmentIndex] index. */
export function headRow(db: SessionDatabase, conversationId: string): Promise<Session | undefined> {
  return db.sessions
    .where('[rootId+segmentIndex]')
    .between([conversationId, Dexie.minKey], [conversationId, Dexie.maxKey])
    .last();
}
