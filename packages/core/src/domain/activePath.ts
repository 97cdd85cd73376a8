// Branches as a tree over the stored (append-only) events. A message's parent is the message
// before it in storage order, unless it names one in `branch.parent` (a version made
// by regenerate or edit names its original's parent; the first message written after the
// selection moved to an older branch names that branch's leaf). Versions of one message share
// `branch.versionOf` (the first version's id). The active path is the chain of parents from
// the active leaf: the segment head's `state.activeLeafId` when set, else the newest message.
import { type BranchLink, EventSource, EventType, type SessionEvent } from './types.ts';
import { assertNonEmptyString, objectArg } from './validate.ts';

/** A user or assistant message that takes part in the tree (a discarded reply does not). */
export function isBranchNode(e: SessionEvent): boolean {
  return (
    e.type === EventType.MESSAGE &&
    (e.source === EventSource.USER || e.source === EventSource.LLM) &&
    e.reply?.status !== 'discarded'
  );
}

/** The version group of a message: the id of its first version. */
export function versionGroup(e: SessionEvent): string {
  return e.branch?.versionOf ?? e.id;
}

/** A caller's branch option checked and copied: versionOf a non-empty id, parent an id or null. */
export function toBranchLink(value: unknown, path: string): BranchLink {
  const { versionOf, parent } = objectArg<BranchLink>(value, path);
  const link: BranchLink = {};
  if (versionOf !== undefined) {
    assertNonEmptyString(versionOf, `${path}.versionOf`);
    link.versionOf = versionOf;
  }
  if (parent !== undefined) {
    if (parent !== null) assertNonEmptyString(parent, `${path}.parent`);
    link.parent = parent;
  }
  return link;
}

/** A branch link with its ids renamed (a copy of a conversation under new ids). */
export function remapBranch(link: BranchLink, remap: (id: string) => string): BranchLink {
  const out: BranchLink = {};
  if (link.versionOf !== undefined) out.versionOf = remap(link.versionOf);
  if (link.parent !== undefined) out.parent = link.parent === null ? null : remap(link.parent);
  return out;
}

/** Each message's parent id (null: the first message of what was read). */
export function branchParents(events: readonly SessionEvent[]): Map<string, string | null> {
  const parents = new Map<string, string | null>();
  let previous: string | null = null;
  for (const e of events) {
    if (!isBranchNode(e)) continue;
    const named = e.branch?.parent;
    parents.set(e.id, named === undefined ? previous : named);
    previous = e.id;
  }
  return parents;
}

/** The ids of the messages on the path that ends at `leafId` (default: the newest message). */
export function activeMessageIds(
  events: readonly SessionEvent[],
  leafId?: string | null,
  parents = branchParents(events),
): Set<string> {
  let at: string | null | undefined = leafId && parents.has(leafId) ? leafId : [...parents.keys()].at(-1);
  const path = new Set<string>();
  while (at && parents.has(at) && !path.has(at)) {
    path.add(at);
    at = parents.get(at);
  }
  return path;
}

/**
 * The events of the active path, in order: its messages, the tool calls of those messages
 * (by parentEventId, else the message before them), and every summary or other event.
 * Messages on other branches and discarded replies are left out; nothing is changed.
 */
export function activePath(events: readonly SessionEvent[], leafId?: string | null): SessionEvent[] {
  const branched = events.some((e) => e.branch?.parent !== undefined);
  if (!branched) return events.filter((e) => e.reply?.status !== 'discarded');
  const parents = branchParents(events);
  const path = activeMessageIds(events, leafId, parents);
  const out: SessionEvent[] = [];
  let owner: string | undefined;
  for (const e of events) {
    if (isBranchNode(e)) {
      owner = e.id;
      if (path.has(e.id)) out.push(e);
    } else if (e.type === EventType.MESSAGE && e.reply?.status === 'discarded') {
      // Discarded replies are never shown nor sent.
    } else if (e.type === EventType.TOOL_CALL) {
      const link = e.parentEventId ?? owner;
      if (link === undefined || path.has(link) || !parents.has(link)) out.push(e);
    } else out.push(e);
  }
  return out;
}

/** Every version of each message group that has more than one, in storage order. */
export function versionsByGroup(events: readonly SessionEvent[]): Map<string, SessionEvent[]> {
  const groups = new Map<string, SessionEvent[]>();
  for (const e of events) {
    if (!isBranchNode(e)) continue;
    const group = versionGroup(e);
    const list = groups.get(group);
    if (list) list.push(e);
    else groups.set(group, [e]);
  }
  for (const [group, list] of groups) if (list.length < 2) groups.delete(group);
  return groups;
}
