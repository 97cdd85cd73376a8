// DexieSessionStore's conversation-level writes (session patch, delete, import, rollover): each
// runs inside the write transaction the store opens.
import { Dexie } from 'dexie';
import type { Session, SessionEvent } from '../domain/types.ts';
import type { PatchSessionOptions, RolloverRequest, RolloverResult, SessionChange } from './sessionStore.ts';
import { planRollover } from './rolloverPlan.ts';
import { importRows, liveReplyIn, patchedRow, touched } from './chainWrites.ts';
import { headRow, type SessionDatabase } from './sessionDatabase.ts';

/** patchSession's transaction body: the change applied to the row as stored, checked first. */
export async function dexiePatchSession(
  db: SessionDatabase,
  id: string,
  change: (stored: Session) => SessionChange,
  options: PatchSessionOptions,
): Promise<Session> {
  const existing = await db.sessions.get(id);
  const updated = patchedRow(existing, id, change, options);
  // The conversation moves up the list: its head's marker is bumped (the same row, or the head's).
  const head = updated.headAt !== undefined ? updated : await headRow(db, updated.rootId);
  if (head) head.headAt = touched(head.headAt ?? head.updatedAt);
  await db.sessions.bulkPut(head && head !== updated ? [updated, head] : [updated]);
  return updated;
}

export async function dexieDeleteConversation(db: SessionDatabase, conversationId: string): Promise<void> {
  await db.tombstones.put({ id: conversationId, deletedAt: new Date().toISOString() });
  const ids = await db.sessions.where('rootId').equals(conversationId).primaryKeys();
  for (const id of ids) {
    await db.events.where('[sessionId+seq]').between([id, Dexie.minKey], [id, Dexie.maxKey]).delete();
  }
  await db.sessions.bulkDelete(ids);
}

/**
 * bulkAdd fails on any id already stored (ConstraintError → DuplicateIdError) and the
 * transaction rolls back whole, so no read of every id is needed first.
 */
export async function dexieImportRecords(db: SessionDatabase, sessions: Session[], events: SessionEvent[]) {
  const roots = [...new Set(sessions.map((s) => s.rootId))];
  const heads = await Promise.all(roots.map((id) => headRow(db, id)));
  const stored = new Map(roots.map((id, i) => [id, heads[i]]));
  const { rows, demoted } = importRows(sessions, (id) => stored.get(id));
  await db.sessions.bulkAdd(rows);
  await db.sessions.bulkPut(demoted);
  await db.events.bulkAdd(events);
  await db.tombstones.bulkDelete(roots);
}

/** A rollover inside the store's transaction: only if `fromSessionId` is still the head. */
export async function dexieRollover(
  db: SessionDatabase,
  head: Session,
  request: RolloverRequest,
): Promise<RolloverResult> {
  if (head.id !== request.fromSessionId) return { rolledOver: false, head };
  // A reply still streaming in the head keeps it open: the rollover waits until it ends.
  const events = await db.events
    .where('[sessionId+seq]')
    .between([head.id, Dexie.minKey], [head.id, Dexie.maxKey])
    .toArray();
  const blockedBy = liveReplyIn(events);
  if (blockedBy) return { rolledOver: false, head, blockedBy };
  const { summary, oldHead, newHead } = planRollover(head, request);
  await db.events.add(summary);
  await db.sessions.put(oldHead);
  await db.sessions.add(newHead);
  return { rolledOver: true, head: newHead };
}
