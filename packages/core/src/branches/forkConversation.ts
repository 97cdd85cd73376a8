// "Branch in new chat": editing or regenerating a message of a closed (summarized) segment
// starts a new conversation instead of branching in place. The new conversation gets copies
// (fresh ids) of every segment before the message's segment, so the summary chain up to there
// comes along, and a segment holding the active path of the message's segment up to the
// message's parent. Its root's metadata says where it came from: `forkedFrom`.
import type { SessionManager } from '../session/sessionManager.ts';
import type { ManagerInternals } from '../streaming/managerInternals.ts';
import { kit } from '../streaming/kit.ts';
import type { Session, SessionEvent } from '../domain/types.ts';

export async function forkConversation(
  m: ManagerInternals,
  segments: readonly Session[],
  events: readonly SessionEvent[],
  target: SessionEvent,
): Promise<SessionManager> {
  const at = segments.findIndex((s) => s.id === target.sessionId);
  const rootId = kit().newId();
  const ids = new Map<string, string>(
    segments.slice(0, at + 1).map((s, i) => [s.id, i === 0 ? rootId : kit().newId()]),
  );
  const eventIds = new Map(events.map((e) => [e.id, kit().newId()]));
  const remap = (id: unknown) => (typeof id === 'string' ? (eventIds.get(id) ?? id) : id);
  /** Closed segments keep their branches (ids remapped); the forked segment is one linear path. */
  const copyEvent = (e: SessionEvent, seq: number, linear: boolean): SessionEvent => {
    const copy: SessionEvent = { ...e, id: eventIds.get(e.id)!, sessionId: ids.get(e.sessionId)!, seq };
    if (e.parentEventId !== undefined) copy.parentEventId = remap(e.parentEventId) as string;
    const { versionOf, branchParent, ...metadata } = e.metadata;
    copy.metadata = linear
      ? metadata
      : {
          ...metadata,
          ...(versionOf === undefined ? {} : { versionOf: remap(versionOf) }),
          ...(branchParent === undefined ? {} : { branchParent: remap(branchParent) }),
        };
    delete copy.taskId;
    return copy;
  };
  const copiedEvents = events
    .filter((e) => ids.has(e.sessionId) && e.sessionId !== target.sessionId)
    .map((e) => copyEvent(e, e.seq, false));
  // The message's own segment: its active path up to the message's parent, finished events only.
  const parent = kit().branchParents(events).get(target.id) ?? null;
  const own = events.filter((e) => e.sessionId === target.sessionId);
  const path = kit().activePath(own, parent);
  const stop = parent === null ? 0 : path.findIndex((e) => e.id === parent) + 1;
  const kept = path
    .slice(0, stop)
    .filter((e) => e.type !== 'message' || kit().isFinished(e))
    .map((e, seq) => copyEvent(e, seq, true));
  const now = kit().nowIso();
  const sessions: Session[] = segments.slice(0, at + 1).map((s, i) => {
    const copy: Session = {
      ...s,
      id: ids.get(s.id)!,
      parentId: s.parentId === null ? null : ids.get(s.parentId)!,
      rootId,
      state: { ...s.state, activeLeafId: null },
    };
    if (i === 0)
      copy.metadata = { ...s.metadata, forkedFrom: { conversationId: m.conversationId, eventId: target.id } };
    if (i === at) {
      copy.totals = kept.reduce(kit().addEventToTotals, kit().emptyTotals());
      copy.updatedAt = now;
      copy.state = { ...copy.state, branched: false };
      if (segments.some((x) => x.priorTotals))
        copy.priorTotals = kit().sumTotals(segments.slice(0, at).map((x) => x.totals));
    }
    return copy;
  });
  await m.store.importRecords(sessions, [...copiedEvents, ...kept]);
  // The manager's own class (no import of it here, so this module stays in its lazy chunk).
  const Manager = (m as unknown as { constructor: typeof SessionManager }).constructor;
  return Manager.open(rootId, {
    store: m.store,
    infiniteContext: m.infiniteContext,
    tokenThreshold: m.tokenThreshold,
    maxTurnsPerSegment: m.maxTurnsPerSegment,
    defaultModel: m.defaultModel,
    summaryTimeoutMs: m.summaryTimeoutMs,
    ...(m.summarize ? { summarize: m.summarize } : {}),
  });
}
