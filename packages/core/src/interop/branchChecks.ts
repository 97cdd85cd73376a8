// The branch links of a conversation document: each names a message stored before it, and a
// version names the first version of a message of its own role. A link that points nowhere, at
// itself or ahead would truncate the history the model gets, so the document is refused.
import { InvalidInputError } from '../domain/errors.ts';
import { EventSource, EventType, type SessionEvent } from '../domain/types.ts';
import type { ConversationDocument } from './conversationDocument.ts';

/** `bySegment`: each segment's events in seq order. Throws InvalidInputError naming the link. */
export function checkBranchLinks(doc: ConversationDocument, bySegment: Map<string, SessionEvent[]>): void {
  const at = new Map(doc.events.map((e, i) => [e, i]));
  const segments = [...doc.sessions].sort((a, b) => a.segmentIndex - b.segmentIndex);
  // Storage order: segment by segment, seq by seq. A link may only name an event seen before.
  const seen = new Map<string, SessionEvent>();
  for (const segment of segments) {
    for (const e of bySegment.get(segment.id) ?? []) {
      const path = `events[${at.get(e)}].branch`;
      if (e.branch) checkLink(e, path, seen);
      seen.set(e.id, e);
    }
  }
  const leaf = segments.at(-1)?.state.activeLeafId;
  if (leaf !== undefined && leaf !== null && !isMessage(seen.get(String(leaf)))) {
    const i = doc.sessions.indexOf(segments.at(-1)!);
    fail(`sessions[${i}].state.activeLeafId`, `no message "${String(leaf)}" in this conversation`);
  }
}

function checkLink(e: SessionEvent, path: string, before: Map<string, SessionEvent>): void {
  if (!isMessage(e)) fail(path, 'only user and assistant messages have a place in the branch tree');
  const { versionOf, parent } = e.branch!;
  if (parent !== undefined && parent !== null) {
    if (parent === e.id) fail(`${path}.parent`, 'a message cannot follow itself');
    if (!isMessage(before.get(parent)))
      fail(`${path}.parent`, `no message "${parent}" stored before this one`);
  }
  if (versionOf !== undefined) {
    if (versionOf === e.id) fail(`${path}.versionOf`, 'a message cannot be a version of itself');
    const first = before.get(versionOf);
    if (!isMessage(first)) fail(`${path}.versionOf`, `no message "${versionOf}" stored before this one`);
    if (first.source !== e.source) fail(`${path}.versionOf`, `"${versionOf}" is a message of another role`);
    if (first.branch?.versionOf !== undefined) {
      fail(`${path}.versionOf`, `"${versionOf}" is itself a version: name the first version`);
    }
  }
}

function isMessage(e: SessionEvent | undefined): e is SessionEvent {
  return (
    e !== undefined &&
    e.type === EventType.MESSAGE &&
    (e.source === EventSource.USER || e.source === EventSource.LLM)
  );
}

function fail(path: string, reason: string): never {
  throw new InvalidInputError(`Invalid conversation document at ${path}: ${reason}.`, path);
}
