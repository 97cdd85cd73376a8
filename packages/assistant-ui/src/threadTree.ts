import { EventSource, EventType, type SessionEvent } from '@ai-session-manager/core';
import { activeMessageIds, branchParents } from '@ai-session-manager/core/chat';
import { AUI_DELETED, auiIdOf, isShownMessage } from './messageCodec.ts';

// assistant-ui's tree (parentId per message, a selected head) read off core's branch tree: a
// message's parent is the message stored before it unless it names `branch.parent`;
// versions of a message are siblings under one parent; the selected head is the end of core's
// active path (the head segment's `state.activeLeafId`, else the newest message).

export interface TreeNode {
  event: SessionEvent;
  /** The assistant-ui id of the message. */
  id: string;
  /** The assistant-ui id of its parent (null: first message). */
  parentId: string | null;
  /** Its tool events, in storage order. */
  tools: SessionEvent[];
}

export interface ThreadTree {
  /** Messages in storage order (parents before children), by assistant-ui id. */
  nodes: Map<string, TreeNode>;
  /** Assistant-ui id → ids of its children, oldest first (null: the first messages). */
  children: Map<string | null, string[]>;
  /** Event id → assistant-ui id. */
  byEvent: Map<string, string>;
  /** The assistant-ui id of the end of the active path (null: empty thread). */
  headId: string | null;
  /** The event id of the newest message (what an unbranched append continues). */
  newestEventId: string | null;
  /** Assistant-ui ids of the messages deleted through the adapter (not in `nodes`). */
  deleted: Set<string>;
  /** Of each deleted message, the assistant-ui id of its nearest ancestor still shown (null: none). */
  liftedParent: Map<string, string | null>;
}

/** The thread stored in `events` (every segment's, oldest first) as a tree. */
export function threadTree(events: readonly SessionEvent[], activeLeafId?: string | null): ThreadTree {
  // Messages deleted through the adapter keep their place while parents are computed, so their
  // children move up to their parent instead of to whatever was stored before them.
  const deleted = new Set<string>();
  const nodesView = events.map((e) => {
    if (e.metadata[AUI_DELETED] !== true) return e;
    deleted.add(e.id);
    return { ...e, reply: undefined };
  });
  const parents = branchParents(nodesView);
  const liftDeleted = (id: string | null | undefined): string | null => {
    const seen = new Set<string>();
    let at = id ?? null;
    while (at !== null && deleted.has(at) && !seen.has(at)) {
      seen.add(at);
      at = parents.get(at) ?? null;
    }
    return at !== null && deleted.has(at) ? null : at;
  };
  const tools = new Map<string, SessionEvent[]>();
  const add = (link: string, list: SessionEvent[]) => {
    const at = tools.get(link);
    if (at) at.push(...list);
    else tools.set(link, [...list]);
  };
  // A tool event with no parentEventId (recorded by core directly: userSays, toolUsed, aiResponds)
  // belongs to the assistant message before it, or, after a user message, to the reply that
  // follows (assistant-ui refuses tool calls on a user message).
  let owner: string | undefined;
  let waiting: SessionEvent[] = [];
  for (const e of events) {
    if (isShownMessage(e)) {
      owner = e.source === EventSource.LLM ? e.id : undefined;
      if (owner && waiting.length) {
        add(owner, waiting);
        waiting = [];
      }
    } else if (e.type === EventType.TOOL_CALL) {
      if (e.parentEventId !== undefined) add(e.parentEventId, [e]);
      else if (owner) add(owner, [e]);
      else waiting.push(e);
    }
  }
  const byEvent = new Map<string, string>();
  const nodes = new Map<string, TreeNode>();
  const children = new Map<string | null, string[]>();
  let newestEventId: string | null = null;
  for (const e of events) {
    if (!isShownMessage(e) || !parents.has(e.id)) continue;
    const id = auiIdOf(e);
    // The same message stored twice (a retried write): the first copy stands.
    if (nodes.has(id)) continue;
    const parentEvent = liftDeleted(parents.get(e.id));
    const parentId = parentEvent === null ? null : (byEvent.get(parentEvent) ?? null);
    byEvent.set(e.id, id);
    nodes.set(id, { event: e, id, parentId, tools: tools.get(e.id) ?? [] });
    const siblings = children.get(parentId);
    if (siblings) siblings.push(id);
    else children.set(parentId, [id]);
    newestEventId = e.id;
  }
  const shown = events.filter((e) => byEvent.has(e.id));
  const path = activeMessageIds(shown, activeLeafId && byEvent.has(activeLeafId) ? activeLeafId : undefined);
  let headId: string | null = null;
  for (const e of shown) if (path.has(e.id)) headId = byEvent.get(e.id) ?? headId;
  const deletedIds = new Set(
    events
      .filter((e) => deleted.has(e.id))
      .map(auiIdOf)
      .filter((id) => !nodes.has(id)),
  );
  const liftedParent = new Map<string, string | null>();
  for (const e of events) {
    if (!deleted.has(e.id) || nodes.has(auiIdOf(e))) continue;
    const lifted = liftDeleted(parents.get(e.id));
    liftedParent.set(auiIdOf(e), lifted === null ? null : (byEvent.get(lifted) ?? null));
  }
  return { nodes, children, byEvent, headId, newestEventId, deleted: deletedIds, liftedParent };
}
