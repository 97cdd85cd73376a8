// The pure part of a rollover, shared by the stores.
import { conversationTotals, emptyTotals } from '../domain/totals.ts';
import type { Session } from '../domain/types.ts';
import { pendingCounts, planAppend, touched, withoutPendingCounts } from './chainWrites.ts';
import type { RolloverRequest } from './sessionStore.ts';

/** The old head (with its summary event) and the new head, for a rollover of `head`. */
export function planRollover(head: Session, request: RolloverRequest) {
  // The summary enters the log now, inside the store's transaction: stamped now, so a reply that
  // began and finished while the summary was being made (it is before it in the log) is before
  // it in time too, and no reply can look finished after the rollover that closed its segment.
  const summary = { ...request.summary, timestamp: new Date().toISOString() };
  const appended = planAppend(head, summary, undefined);
  if (appended.status !== 'appended') throw new Error('unreachable: a summary is never refused');
  const { headAt, priorTotals, ...oldHead } = appended.head;
  // The count of events waiting for their token count stays with the head.
  const waiting = pendingCounts(appended.head);
  if (waiting) oldHead.state = withoutPendingCounts(oldHead.state);
  const newHead: Session = {
    ...request.newSession,
    ...(waiting ? { state: { ...request.newSession.state, pendingCounts: waiting } } : {}),
    parentId: head.id,
    rootId: head.rootId,
    segmentIndex: head.segmentIndex + 1,
    updatedAt: request.newSession.createdAt,
    totals: emptyTotals(),
    // The conversation's totals move with the head: every closed segment is in priorTotals.
    priorTotals: conversationTotals(appended.head),
    headAt: touched(headAt ?? oldHead.updatedAt, request.newSession.createdAt),
  };
  return { summary: appended.event, oldHead: oldHead as Session, newHead };
}
