// The pure part of every chain write, shared by the stores so both behave identically:
// each store only reads the rows, calls these inside its transaction, and writes the result.
import {
  DuplicateIdError,
  HeadMovedError,
  InvalidInputError,
  SessionNotFoundError,
} from '../domain/errors.ts';
import { laterIso, nowIso } from '../domain/ids.ts';
import { isLive } from '../domain/replyStatus.ts';
import { addEventToTotals, conversationTotals, sumTotals } from '../domain/totals.ts';
import type { EventDraft, Session, SessionEvent } from '../domain/types.ts';
import type { AppendResult, PatchSessionOptions, RolloverLimits, SessionChange } from './sessionStore.ts';

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
  // Branches: the first message after an older branch was selected continues that branch.
  let { state } = head;
  if (typeof state.activeLeafId === 'string' && draft.type === 'message') {
    event.branch = { parent: state.activeLeafId, ...draft.branch };
    state = { ...state, activeLeafId: null };
  }
  if (event.branch?.parent !== undefined) state = { ...state, branched: true };
  // A reload finds messages whose count a closed tab never filled in (see fillPending).
  if (event.tokenUsage?.pending) state = { ...state, pendingCounts: pendingCounts(head) + 1 };
  const updatedAt = touched(head.updatedAt, event.timestamp);
  const updated: Session = {
    ...head,
    state,
    totals: addEventToTotals(head.totals, event),
    updatedAt,
    headAt: touched(head.headAt ?? updatedAt, updatedAt),
  };
  return { status: 'appended', event, head: updated };
}

/**
 * A segment row after `change`, computed from the row as stored: refused (nothing written) when
 * the row is gone or, with `mustBeHead`, no longer the head (only the head carries headAt).
 */
export function patchedRow(
  stored: Session | undefined,
  id: string,
  change: (stored: Session) => SessionChange,
  options: PatchSessionOptions,
): Session {
  if (!stored) throw new SessionNotFoundError(id);
  if (options.mustBeHead && stored.headAt === undefined) throw new HeadMovedError(id);
  return { ...stored, ...change(structuredClone(stored)), updatedAt: touched(stored.updatedAt) };
}

/** How many events of the conversation wait for their token count (kept on the head). */
export function pendingCounts(head: Session): number {
  const n = head.state.pendingCounts;
  return typeof n === 'number' && n > 0 ? n : 0;
}

/** `state` without the pending-count marker (it moves to a new head; a copy starts without it). */
export function withoutPendingCounts(state: Record<string, unknown>): Record<string, unknown> {
  const { pendingCounts: _moved, ...rest } = state;
  return rest;
}

/** A reply still streaming (live lease) in these events: a rollover waits until it ends. */
export function liveReplyIn(events: readonly SessionEvent[], now = Date.now()): string | undefined {
  return events.find((e) => isLive(e, now))?.id;
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
 * `storedHead` gives a conversation's stored head when the batch continues it (imports in
 * batches): its totals count as earlier, and it comes back in `demoted` without the head fields.
 */
export function importRows(
  sessions: readonly Session[],
  storedHead: (rootId: string) => Session | undefined = () => undefined,
): { rows: Session[]; demoted: Session[] } {
  const byRoot = new Map<string, Session[]>();
  for (const s of sessions) {
    const group = byRoot.get(s.rootId) ?? [];
    group.push(s);
    byRoot.set(s.rootId, group);
  }
  const rows: Session[] = [];
  const demoted: Session[] = [];
  for (const [rootId, group] of byRoot) {
    group.sort((a, b) => a.segmentIndex - b.segmentIndex);
    const before = storedHead(rootId);
    const continues = before !== undefined && before.segmentIndex < group[0]!.segmentIndex;
    let prior = continues ? conversationTotals(before) : undefined;
    let headAt = continues ? (before.headAt ?? before.updatedAt) : group[0]!.updatedAt;
    if (continues) demoted.push(withoutHeadFields(before));
    group.forEach((s, i) => {
      const row = withoutHeadFields(s);
      row.totals = { ...row.totals, contextTokens: row.totals.contextTokens ?? row.totals.totalTokens };
      headAt = laterIso(headAt, row.updatedAt);
      if (i === group.length - 1) {
        if (prior) row.priorTotals = prior;
        row.headAt = headAt;
      } else {
        prior = prior ? sumTotals([prior, row.totals]) : sumTotals([row.totals]);
      }
      rows.push(row);
    });
  }
  return { rows, demoted };
}

function withoutHeadFields(s: Session): Session {
  const { headAt: _h, priorTotals: _p, ...row } = s;
  return row;
}

export function assertRoot(session: Session): void {
  if (session.parentId !== null || session.rootId !== session.id || session.segmentIndex !== 0) {
    throw new InvalidInputError(
      'A new conversation must start with a root segment (rootId = id, no parent).',
    );
  }
}

/** An import batch must be self-contained: unique ids, and every event in one of its segments. */
export function assertSelfContained(sessions: readonly Session[], events: readonly SessionEvent[]): void {
  const sessionIds = new Set(sessions.map((s) => s.id));
  if (sessionIds.size !== sessions.length)
    throw new DuplicateIdError('Import refused: two segments share an id.');
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
