// The pure part of every chain write, shared by the stores so both behave identically:
// each store only reads the rows, calls these inside its transaction, and writes the result.
import { DuplicateIdError, InvalidInputError } from '../errors';
import { laterIso, nowIso } from '../ids';
import { addEventToTotals, sumTotals } from '../totals';
import type { EventDraft, Session, SessionEvent } from '../types';
import type { AppendResult, RolloverLimits } from './sessionStore';

export function isAtLimit(head: Session, limits: RolloverLimits | undefined): boolean {
  if (!limits) return false;
  // The threshold measures what the segment occupies in the context window, not what was billed.
  const context = head.totals.contextTokens ?? head.totals.totalTokens;
  return context >= limits.totalTokens || head.totals.messages >= limits.messages;
}

/** The event and the head's new row, for an append to `head`. */
export function planAppend(
  head: Session,
  draft: EventDraft,
  limits: RolloverLimits | undefined,
): AppendResult {
  if (isAtLimit(head, limits)) return { status: 'needsRollover', head };
  const event: SessionEvent = { ...draft, sessionId: head.id, seq: head.totals.events };
  const updatedAt = touched(head.updatedAt, event.timestamp);
  const updated: Session = {
    ...head,
    totals: addEventToTotals(head.totals, event),
    updatedAt,
    headAt: touched(head.headAt ?? updatedAt, updatedAt),
  };
  return { status: 'appended', event, head: updated };
}

/**
 * The update time after a write at `at`: the later of the two, except that a stored time in
 * the future (an imported file's) is first clamped to now, so it cannot pin a conversation
 * first in the list forever.
 */
export function touched(stored: string, at: string = nowIso()): string {
  const now = nowIso();
  return laterIso(stored > now ? now : stored, at > now ? now : at);
}

/**
 * Import rows as the v2 schema keeps them: per conversation, each segment's totals complete
 * (contextTokens from totalTokens for files written before it existed), the head carrying the
 * sum of the earlier segments (priorTotals) and the list marker (headAt), nothing on the others.
 */
export function importRows(sessions: readonly Session[]): Session[] {
  const byRoot = new Map<string, Session[]>();
  for (const s of sessions) {
    const { headAt: _h, priorTotals: _p, ...row } = s;
    const totals = { ...row.totals, contextTokens: row.totals.contextTokens ?? row.totals.totalTokens };
    const group = byRoot.get(s.rootId) ?? [];
    group.push({ ...row, totals });
    byRoot.set(s.rootId, group);
  }
  const rows: Session[] = [];
  for (const group of byRoot.values()) {
    group.sort((a, b) => a.segmentIndex - b.segmentIndex);
    const head = group[group.length - 1]!;
    const earlier = group.slice(0, -1);
    if (earlier.length) head.priorTotals = sumTotals(earlier.map((s) => s.totals));
    head.headAt = group.map((s) => s.updatedAt).reduce(laterIso);
    rows.push(...group);
  }
  return rows;
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
