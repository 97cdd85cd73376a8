import { EventSource, EventType, type SessionEvent, type SessionManager } from '@ai-session-manager/core';
import { activePath } from '@ai-session-manager/core/chat';
import { headPath, recordsMessage } from '@ai-session-manager/core/record';
import type { UIMessage } from 'ai';
import { UI_LINK } from './storedUIMessages.ts';

// Where useChat's regenerate and edit meet core's branches: a version in the head segment, or, for
// a message in a closed (summarized) segment, core's fork into a new conversation (the recorder
// then follows it).

const isMessage = (e: SessionEvent, source: string) => e.type === EventType.MESSAGE && e.source === source;

/**
 * The stored reply a regenerate replaces: the first assistant message event after the chat's
 * last kept message (`kept`), on the active path of the head segment. Undefined when there is
 * none there (nothing to version: the new reply is simply recorded).
 */
export async function replyToRegenerate(
  manager: SessionManager,
  kept: readonly UIMessage[],
): Promise<string | undefined> {
  const last = kept[kept.length - 1];
  if (!last) return undefined;
  for await (const events of searchOrder(manager)) {
    // Not findLastIndex/findLast: the package compiles against an ES2022 lib (test/strict-consumer).
    let at = -1;
    events.forEach((e, i) => {
      if (recordsMessage(UI_LINK, e, last.id)) at = i;
    });
    if (at < 0) continue;
    const next = events.slice(at + 1).find((e) => e.type === EventType.MESSAGE);
    return next && isMessage(next, EventSource.LLM) ? next.id : undefined;
  }
  return undefined;
}

/** The stored user message event of chat message `id` in the head segment, if its text differs from `text`. */
export async function userMessageToEdit(
  manager: SessionManager,
  id: string,
  text: string,
): Promise<string | undefined> {
  for await (const events of searchOrder(manager)) {
    const event = [...events]
      .reverse()
      .find((e) => isMessage(e, EventSource.USER) && recordsMessage(UI_LINK, e, id));
    if (event) return event.message !== text ? event.id : undefined;
  }
  return undefined;
}

/**
 * Where a chat message is looked for: the head segment's active path first (a version there),
 * then the closed segments, newest first, each read only when the ones after it missed (core
 * forks a new conversation for a message there).
 */
async function* searchOrder(manager: SessionManager): AsyncGenerator<SessionEvent[]> {
  const path = await headPath(manager);
  if (!path) return;
  yield path.events;
  const segments = await manager.store.getSegments(manager.conversationId);
  for (const segment of segments.reverse()) {
    if (segment.id === path.headId) continue;
    const leaf = typeof segment.state.activeLeafId === 'string' ? segment.state.activeLeafId : undefined;
    yield activePath(await manager.store.getEvents(segment.id), leaf);
  }
}
