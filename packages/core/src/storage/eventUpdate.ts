// The pure part of `updateEvent`, shared by both stores. Each store reads the rows, calls this
// inside its transaction, and writes what it returns.
import { ReplyStateError } from '../domain/errors.ts';
import { isFinished } from '../domain/replyStatus.ts';
import { addEventToTotals, emptyTotals, sumTotals, totalsDifference } from '../domain/totals.ts';
import type { ReplyState, Session, SessionEvent } from '../domain/types.ts';
import { pendingCounts, touched } from './chainWrites.ts';
import type { SessionDatabase } from './sessionDatabase.ts';
import type { EventPatch, UpdateEventOptions } from './sessionStore.ts';

/**
 * The event after `patch`, and the segment rows to write: its segment (and the head, when the
 * segment is closed and the head carries priorTotals) with the event's counts added, when counting.
 */
export function planEventUpdate(
  stored: SessionEvent | undefined,
  segment: Session | undefined,
  head: Session | undefined,
  patch: EventPatch,
  options: UpdateEventOptions,
): { event: SessionEvent; sessions: Session[] } {
  const counting = options.countInTotals || options.fillPending;
  if (!stored || (counting && !segment))
    throw new ReplyStateError('No such event in this store; nothing was written.');
  options.check?.(stored);
  const event: SessionEvent = { ...stored, metadata: merged(stored.metadata, patch.metadata) };
  if (patch.reply) event.reply = merged(stored.reply ?? {}, patch.reply) as ReplyState;
  if ('message' in patch) event.message = patch.message;
  if (patch.tokenUsage) event.tokenUsage = patch.tokenUsage;
  if (patch.parts) event.parts = patch.parts;
  if (!counting || !segment) return { event, sessions: [] };
  if (options.countInTotals && (isFinished(stored) || !isFinished(event))) {
    throw new ReplyStateError(
      `Event ${stored.id} is already counted (or still in flight); nothing was written.`,
    );
  }
  if (options.fillPending && (!stored.tokenUsage?.pending || event.tokenUsage?.pending)) {
    throw new ReplyStateError(
      `Event ${stored.id} has no pending token count to fill in; nothing was written.`,
    );
  }
  const delta = totalsDifference(
    addEventToTotals(emptyTotals(), event),
    addEventToTotals(emptyTotals(), stored),
  );
  const updatedAt = touched(segment.updatedAt);
  const rows: Session[] = [{ ...segment, totals: sumTotals([segment.totals, delta]), updatedAt }];
  // The head's list marker moves, so the conversation comes first in listConversations.
  if (segment.headAt !== undefined) rows[0]!.headAt = touched(segment.headAt);
  if (head && head.id !== segment.id) {
    // Contract: whoever adds to a closed segment adds the same to the head's priorTotals.
    const next: Session = { ...head, updatedAt: touched(head.updatedAt) };
    if (head.priorTotals) next.priorTotals = sumTotals([head.priorTotals, delta]);
    if (head.headAt !== undefined) next.headAt = touched(head.headAt);
    rows.push(next);
  }
  if (options.fillPending) {
    const headRow = rows.find((r) => r.headAt !== undefined);
    if (headRow) headRow.state = { ...headRow.state, pendingCounts: Math.max(0, pendingCounts(headRow) - 1) };
  }
  return { event, sessions: rows };
}

/** `base` with `patch`'s keys set (undefined deletes a key). */
function merged<T extends object>(base: T, patch: object | undefined): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out as T;
}

/** DexieSessionStore.updateEvent's transaction body. */
export async function updateInDexie(
  db: SessionDatabase,
  headOf: (rootId: string) => Promise<Session | undefined>,
  eventId: string,
  patch: EventPatch,
  options: UpdateEventOptions,
): Promise<SessionEvent> {
  const stored = await db.events.get(eventId);
  const counting = options.countInTotals || options.fillPending;
  const segment = stored && counting ? await db.sessions.get(stored.sessionId) : undefined;
  const head = segment && (await headOf(segment.rootId));
  const { event, sessions } = planEventUpdate(stored, segment, head, patch, options);
  await db.events.put(event);
  if (sessions.length) await db.sessions.bulkPut(sessions);
  return event;
}

/** MemorySessionStore.updateEvent's body: synchronous, so atomic in a single-threaded runtime. */
export function updateInMemory(
  events: Map<string, SessionEvent[]>,
  segments: Map<string, Session>,
  headFor: (sessionId: string) => Session,
  eventId: string,
  patch: EventPatch,
  options: UpdateEventOptions,
): SessionEvent {
  const list = [...events.values()].find((l) => l.some((e) => e.id === eventId)) ?? [];
  const at = list.findIndex((e) => e.id === eventId);
  const segment = segments.get(list[at]?.sessionId ?? '');
  const { event, sessions } = planEventUpdate(
    list[at],
    segment,
    segment && headFor(segment.id),
    patch,
    options,
  );
  list[at] = event;
  for (const s of sessions) segments.set(s.id, s);
  return event;
}
