import type { SessionManager } from '@ai-session-manager/core';
import { EventType } from '@ai-session-manager/core';
import { headPath, recordsMessage } from '@ai-session-manager/core/record';
import type { UIMessage } from 'ai';
import { type StoredChat, loadChatMessages } from './conversationMessages.ts';
import { UI_LINK } from './storedUIMessages.ts';

// The versions of a chat message (regenerated replies, edited questions), which useChat itself
// does not show: core keeps every version in the head segment's branches.

/** Which version of its message a chat message is (0-based), of how many. */
export interface MessageVersions {
  index: number;
  count: number;
}

/** The stored versions of chat message `messageId`: undefined when it has none stored (or one only). */
export async function messageVersions(
  manager: SessionManager,
  messageId: string,
): Promise<(MessageVersions & { eventIds: string[] }) | undefined> {
  const path = await headPath(manager);
  const event = path?.events.find(
    (e) => e.type === EventType.MESSAGE && recordsMessage(UI_LINK, e, messageId),
  );
  if (!event) return undefined;
  const { versions, activeIndex } = await manager.getAlternatives(event.id);
  if (versions.length < 2) return undefined;
  return { index: activeIndex, count: versions.length, eventIds: versions.map((v) => v.eventId) };
}

/**
 * Make version `index` of chat message `messageId` the shown one (core's selectAlternative: that
 * version and the newest branch under it); resolves to the stored conversation as it now reads.
 */
export async function selectMessageVersion<M extends UIMessage>(
  manager: SessionManager,
  messageId: string,
  index: number,
): Promise<StoredChat<M>> {
  const versions = await messageVersions(manager, messageId);
  const eventId = versions?.eventIds[index];
  if (eventId === undefined) throw new RangeError(`Message ${messageId} has no version ${index}.`);
  await manager.selectAlternative(eventId);
  return loadChatMessages<M>(manager.conversationId, { store: manager.store });
}
