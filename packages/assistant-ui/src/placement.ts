import type { BranchLink } from '@ai-session-manager/core';
import { versionGroup } from '@ai-session-manager/core/chat';
import type { Read } from './eventSnapshot.ts';

export type Placement = { kind: 'regenerate'; eventId: string } | { kind: 'append'; branch?: BranchLink };

/**
 * Where a message under `parentId` goes: a new version of the parent's first child of the same
 * role (through core's editMessage/regenerate when that child is in the head segment, else
 * named in its branch link), a continuation of another branch (named parent), or a plain append.
 */
export function placement(read: Read, parentId: string | null, role: 'user' | 'llm'): Placement {
  const { tree } = read;
  const parentEvent = parentId === null ? null : tree.nodes.get(parentId)!.event.id;
  const sibling = (tree.children.get(parentId) ?? [])
    .map((id) => tree.nodes.get(id)!.event)
    .find((e) => e.source === role);
  if (sibling) {
    if (sibling.sessionId === read.headSessionId) return { kind: 'regenerate', eventId: sibling.id };
    return { kind: 'append', branch: { versionOf: versionGroup(sibling), parent: parentEvent } };
  }
  const continuesNewest = parentEvent === tree.newestEventId && !read.activeLeafId;
  return continuesNewest ? { kind: 'append' } : { kind: 'append', branch: { parent: parentEvent } };
}
