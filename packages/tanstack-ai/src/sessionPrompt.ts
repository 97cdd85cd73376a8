import type { SessionManager } from '@ai-session-manager/core';
import type { UIMessage } from '@tanstack/ai-client';
import { storedMessages } from './storedMessages.ts';

/** What a run's request carries instead of ChatClient's whole list. */
export interface SessionPrompt {
  /** The chat's messages the model gets: after a rollover, only those of the current segment. */
  messages: UIMessage[];
  /**
   * The system prompt and, after a rollover, the cumulative summary: for the server's
   * `chat({ systemPrompts })` (sent in the request's data; TanStack drops `system` UIMessages).
   */
  systemPrompts: string[];
}

/**
 * The session's prompt for `chat`, as the AI SDK adapter builds one: the system prompt and the
 * summary as system prompts, and the chat's messages of the current segment (as the chat holds
 * them). Before any rollover the messages are the chat's list; a chat that went back before the
 * current segment (a regenerate there) keeps its own messages.
 */
export async function sessionPrompt(
  manager: SessionManager,
  chat: readonly UIMessage[],
): Promise<SessionPrompt> {
  const forModel = await manager.getMessagesForLLM();
  const systemPrompts: string[] = [];
  for (const m of forModel) {
    if (m.role !== 'system') break;
    systemPrompts.push(m.content);
  }
  const head = await manager.store.getHead(manager.conversationId);
  if (!head?.parentId) return { messages: [...chat], systemPrompts };
  const leaf = typeof head.state.activeLeafId === 'string' ? head.state.activeLeafId : undefined;
  const inHead = new Set(
    storedMessages(await manager.store.getEvents(head.id), { activeLeafId: leaf }).map((m) => m.id),
  );
  const last = chat[chat.length - 1];
  if (last && !inHead.has(last.id)) return { messages: [...chat], systemPrompts };
  return { messages: chat.filter((m) => m.role === 'system' || inHead.has(m.id)), systemPrompts };
}
