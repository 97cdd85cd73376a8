// The pure part of every chain write, shared by the stores so both behave identically:
// each store only reads the rows, calls these inside its transaction, and writes the result.
import { DuplicateIdError, InvalidInputError, ReplyStateError } from '../errors';
import { laterIso } from '../ids';
import { addEventToTotals, emptyTotals, sumTotals } from '../totals';
import type { EventDraft, Session, SessionEvent } from '../types';
import type { AppendResult, RolloverLimits, RolloverRequest } from './sessionStore';

/** What the lazily loaded update planner (eventUpdate.ts) uses of the up-front code. */
export const updateKit = { addEventToTotals, emptyTotals, laterIso, sumTotals, ReplyStateError };
export type UpdateKit = typeof updateKit;

export function isAtLimit(head: Session, limits: RolloverLimits | undefined): boolean {
  if (!limits) return false;
  return head.totals.totalTokens >= limits.totalTokens || head.totals.messages >= limits.messages;
}

/** The event and the head's new row, for an append to `head`. */
export function planAppend(
  head: Session,
  draft: EventDraft,
  limits: RolloverLimits | undefined,
): AppendResult {
  if (isAtLimit(head, limits)) return { status: 'needsRollover', head };
  const event: SessionEvent = { ...draft, sessionId: head.id, seq: head.totals.events };
  // Branches: the first message after an older branch was selected continues that branch.
  let { state } = head;
  if (state.activeLeafId && draft.type === 'message') {
    event.metadata = { branchParent: state.activeLeafId, ...draft.metadata };
    state = { ...state, activeLeafId: null };
  }
  if (event.metadata.branchParent !== undefined) state = { ...state, branched: true };
  const updated: Session = {
    ...head,
    state,
    totals: addEventToTotals(head.totals, event),
    updatedAt: laterIso(head.updatedAt, event.timestamp),
  };
  return { status: 'appended', event, head: updated };
}

/** A reply still streaming (live lease) in these events: a rollover waits until it ends. */
export function liveReplyIn(events: readonly SessionEvent[], now = Date.now()): string | undefined {
  return events.find((e) => e.metadata.status === 'streaming' && (e.metadata.leaseUntil as number) > now)?.id;
}

/** The old head (with its summary event) and the new head, for a rollover of `head`. */
export function planRollover(head: Session, request: RolloverRequest) {
  const appended = planAppend(head, request.summary, undefined);
  if (appended.status !== 'appended') throw new Error('unreachable: a summary is never refused');
  const newHead: Session = {
    ...request.newSession,
    parentId: head.id,
    rootId: head.rootId,
    segmentIndex: head.segmentIndex + 1,
    updatedAt: request.newSession.createdAt,
    totals: emptyTotals(),
  };
  return { summary: appended.event, oldHead: appended.head, newHead };
}

export function assertRoot(session: Session): void {
  if (session.parentId !== null || session.rootId !== session.id || session.segmentIndex !== 0) {
    throw new InvalidInputError('A new conversation must start with a root segment (rootId = id, no parent).');
  }
}

/** An import batch must be self-contained: unique ids, and every event in one of its segments. */
export function assertSelfContained(sessions: readonly Session[], events: readonly SessionEvent[]): void {
  const sessionIds = new Set(sessions.map((s) => s.id));
  if (sessionIds.size !== sessions.length) throw new DuplicateIdError('Import refused: two segments share an id.');
  if (new Set(events.map((e) => e.id)).size !== events.length) {
    throw new DuplicateIdError('Import refused: two events share an id.');
  }
  const orphan = events.find((e) => !sessionIds.has(e.sessionId));
  if (orphan) {
    throw new InvalidInputError(
      `Import refused: event ${orphan.id} belongs to segment ${orphan.sessionId}, which is not in the import.`,
      'sessionId',
    );
  }
}
