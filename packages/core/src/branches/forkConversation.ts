// "Branch in new chat": editing or regenerating a message of a closed (summarized) segment
// starts a new conversation instead of branching in place. The new conversation gets copies
// (fresh ids) of every segment before the message's segment, so the summary chain up to there
// comes along, and a segment holding the active path of the message's segment up to the
// message's parent. Its root's metadata says where it came from: `forkedFrom`.
import { activePath, branchParents, remapBranch } from '../domain/activePath.ts';
import { newId, nowIso } from '../domain/ids.ts';
import { isFinished } from '../domain/replyStatus.ts';
import { addEventToTotals, emptyTotals, sumTotals } from '../domain/totals.ts';
import type { Session, SessionEvent } from '../domain/types.ts';
import { withoutPendingCounts } from '../storage/chainWrites.ts';
import type { BranchHost, ForkedConversation } from './branchHost.ts';

export async function forkConversation(
  host: BranchHost,
  segments: readonly Session[],
  events: readonly SessionEvent[],
  target: SessionEvent,
): Promise<ForkedConversation> {
  const at = segments.findIndex((s) => s.id === target.sessionId);
  const rootId = newId();
  const ids = new Map<string, string>(
    segments.slice(0, at + 1).map((s, i) => [s.id, i === 0 ? rootId : newId()]),
  );
  const eventIds = new Map(events.map((e) => [e.id, newId()]));
  const remap = (id: string) => eventIds.get(id) ?? id;
  /** Closed segments keep their branches (ids remapped); the forked segment is one linear path. */
  const copyEvent = (e: SessionEvent, seq: number, linear: boolean): SessionEvent => {
    const copy: SessionEvent = { ...e, id: eventIds.get(e.id)!, sessionId: ids.get(e.sessionId)!, seq };
    if (e.parentEventId !== undefined) copy.parentEventId = remap(e.parentEventId);
    delete copy.branch;
    if (!linear && e.branch) copy.branch = remapBranch(e.branch, remap);
    delete copy.taskId;
    return copy;
  };
  const copiedEvents = events
    .filter((e) => ids.has(e.sessionId) && e.sessionId !== target.sessionId)
    .map((e) => copyEvent(e, e.seq, false));
  // The message's own segment: its active path up to the message's parent, finished events only.
  const parent = branchParents(events).get(target.id) ?? null;
  const own = events.filter((e) => e.sessionId === target.sessionId);
  const path = activePath(own, parent);
  const stop = parent === null ? 0 : path.findIndex((e) => e.id === parent) + 1;
  const kept = path
    .slice(0, stop)
    .filter((e) => e.type !== 'message' || isFinished(e))
    .map((e, seq) => copyEvent(e, seq, true));
  const now = nowIso();
  const sessions: Session[] = segments.slice(0, at + 1).map((s, i) => {
    const copy: Session = {
      ...s,
      id: ids.get(s.id)!,
      parentId: s.parentId === null ? null : ids.get(s.parentId)!,
      rootId,
      // A fork starts with nothing pending: the count of the old head is not about its copies.
      state: { ...withoutPendingCounts(s.state), activeLeafId: null },
    };
    if (i === 0)
      copy.metadata = {
        ...s.metadata,
        forkedFrom: { conversationId: host.conversationId(), eventId: target.id },
      };
    if (i === at) {
      copy.totals = kept.reduce(addEventToTotals, emptyTotals());
      copy.updatedAt = now;
      copy.state = { ...copy.state, branched: false };
      if (segments.some((x) => x.priorTotals))
        copy.priorTotals = sumTotals(segments.slice(0, at).map((x) => x.totals));
    }
    return copy;
  });
  await host.store.importRecords(sessions, [...copiedEvents, ...kept]);
  return host.openConversation(rootId);
}
