import { activePath, EventType, type SessionEvent, type SessionManager } from './fromCore.ts';
import type { LinkKeys } from './messageLink.ts';

// Versions (edit, regenerate) are made in the head segment only: core forks a new conversation
// for older ones, which a chat bound to one conversation cannot follow; those are recorded as
// new messages instead.

export interface HeadPath {
  headId: string;
  /** The head segment's events on its active branch. */
  events: SessionEvent[];
}

export async function headPath(manager: SessionManager): Promise<HeadPath | undefined> {
  await manager.ready();
  const head = await manager.store.getHead(manager.conversationId);
  if (!head) return undefined;
  const leaf = typeof head.state.activeLeafId === 'string' ? head.state.activeLeafId : undefined;
  return { headId: head.id, events: activePath(await manager.store.getEvents(head.id), leaf) };
}

/** Whether `e` records message `messageId`: by its link, or (unlinked, core's own) by its id. */
export function recordsMessage(keys: LinkKeys, e: SessionEvent, messageId: string): boolean {
  const linked = e.metadata[keys.messageId];
  return linked === messageId || (linked === undefined && e.id === messageId);
}

/**
 * The stored message event (in the head segment) a new version of message `messageId`'s unit
 * `unit` replaces; `eventId` pins it when the ledger knows it. Undefined: nothing to version.
 */
export async function versionTarget(
  manager: SessionManager,
  keys: LinkKeys,
  { messageId, unit, eventId }: { messageId: string; unit: string; eventId?: string | null },
): Promise<string | undefined> {
  const head = await manager.store.getHead(manager.conversationId);
  if (!head) return undefined;
  const events = await manager.store.getEvents(head.id);
  const event = events.find(
    (e) =>
      e.type === EventType.MESSAGE &&
      e.metadata[keys.messageId] === messageId &&
      (keys.unit === undefined || e.metadata[keys.unit] === unit) &&
      (eventId == null || eventId === e.id),
  );
  return event?.id;
}
