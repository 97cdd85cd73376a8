import { EventSource, EventType, type SessionEvent, type SessionManager } from '@ai-session-manager/core';
import { headPath, recordsMessage } from '@ai-session-manager/core/record';
import type { UIMessage } from 'ai';
import { UI_LINK } from './storedUIMessages.ts';

// Where useChat's regenerate and edit meet core's branches (versions in the head segment only).

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
  const path = await headPath(manager);
  const last = kept[kept.length - 1];
  if (!path || !last) return undefined;
  // Not findLastIndex/findLast: the package compiles against an ES2022 lib (test/strict-consumer).
  let at = -1;
  path.events.forEach((e, i) => {
    if (recordsMessage(UI_LINK, e, last.id)) at = i;
  });
  if (at < 0) return undefined;
  const next = path.events.slice(at + 1).find((e) => e.type === EventType.MESSAGE);
  return next && isMessage(next, EventSource.LLM) ? next.id : undefined;
}

/** The stored user message event of chat message `id` in the head segment, if its text differs from `text`. */
export async function userMessageToEdit(
  manager: SessionManager,
  id: string,
  text: string,
): Promise<string | undefined> {
  const path = await headPath(manager);
  const event = [...(path?.events ?? [])]
    .reverse()
    .find((e) => isMessage(e, EventSource.USER) && recordsMessage(UI_LINK, e, id));
  return event && event.message !== text ? event.id : undefined;
}
