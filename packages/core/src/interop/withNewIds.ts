import { remapBranch } from '../domain/activePath.ts';
import { newId } from '../domain/ids.ts';
import type { Session, SessionEvent } from '../domain/types.ts';
import type { ConversationDocument } from './conversationDocument.ts';

/**
 * The same conversation under fresh ids: segments, events and runs get new ids, and every link
 * (rootId, parentId, parentEventId, taskId, branch links, the selected leaf, the runs kept in
 * the root's state) follows them.
 * Provider tool call ids are not ours and are kept.
 */
export function withNewIds(doc: ConversationDocument): ConversationDocument {
  const ids = new Map<string, string>();
  const fresh = (id: string): string => {
    let next = ids.get(id);
    if (next === undefined) {
      next = newId();
      ids.set(id, next);
    }
    return next;
  };
  const sessions = doc.sessions.map(
    (s): Session => ({
      ...s,
      id: fresh(s.id),
      rootId: fresh(s.rootId),
      parentId: s.parentId === null ? null : fresh(s.parentId),
      state: withNewLeaf(withNewRunIds(s.state, fresh), fresh),
    }),
  );
  const events = doc.events.map((e): SessionEvent => {
    const copy: SessionEvent = { ...e, id: fresh(e.id), sessionId: fresh(e.sessionId) };
    if (e.parentEventId !== undefined) copy.parentEventId = fresh(e.parentEventId);
    if (e.taskId !== undefined) copy.taskId = fresh(e.taskId);
    if (e.branch) copy.branch = remapBranch(e.branch, fresh);
    return copy;
  });
  return { ...doc, conversationId: fresh(doc.conversationId), sessions, events };
}

/** The selected branch's leaf names an event: it follows the event's new id. */
function withNewLeaf(state: Record<string, unknown>, fresh: (id: string) => string): Record<string, unknown> {
  const leaf = state.activeLeafId;
  return typeof leaf === 'string' ? { ...state, activeLeafId: fresh(leaf) } : state;
}

function withNewRunIds(
  state: Record<string, unknown>,
  fresh: (id: string) => string,
): Record<string, unknown> {
  const runs = state.runs;
  if (!runs || typeof runs !== 'object' || Array.isArray(runs)) return state;
  const out: Record<string, unknown> = {}; // keys are fresh UUIDs
  for (const [id, record] of Object.entries(runs)) {
    const isRecord = record && typeof record === 'object' && (record as { id?: unknown }).id === id;
    out[fresh(id)] = isRecord ? { ...record, id: fresh(id) } : record;
  }
  return { ...state, runs: out };
}
