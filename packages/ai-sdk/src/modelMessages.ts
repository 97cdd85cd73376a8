import { EventType, type SessionManager, toUIMessages } from '@ai-session-manager/core';
import type { UIMessage } from 'ai';
import { storedUIMessages } from './storedUIMessages.ts';

/**
 * What the model is sent, as UIMessages: the system prompt, the chat's own system messages,
 * after a rollover the cumulative summary, then the current segment's messages, as
 * getMessagesForLLM builds a prompt. Messages are sent as the chat holds them (every part, pending
 * tool calls included), and only those it holds (a
 * regenerated reply or what followed an edited message is not). Reads the current segment and
 * the summary only, however long the conversation. A chat that went back before the current
 * segment (regenerating a summarized reply) sends its own messages: the summary is of what followed.
 */
export async function modelMessages<M extends UIMessage>(
  manager: SessionManager,
  chatMessages: readonly M[],
): Promise<M[]> {
  await manager.ready();
  const { store } = manager;
  const head = await store.getHead(manager.conversationId);
  const system = chatMessages.filter((m) => m.role === 'system');
  const prompt = toUIMessages([], { systemPrompt: manager.systemPrompt }) as unknown as M[];
  if (!head) return [...prompt, ...chatMessages];
  const summary = head.parentId ? await summaryEvent(manager, head.parentId) : [];
  const summaryMessages = toUIMessages(summary, { includeSummary: true }) as unknown as M[];
  const chatById = new Map(chatMessages.map((m) => [m.id, m]));
  const activeLeafId = typeof head.state.activeLeafId === 'string' ? head.state.activeLeafId : undefined;
  const events = await store.getEvents(head.id);
  // Only what the chat holds: not a reply it regenerates, nor what followed a message it edited.
  const current = storedUIMessages<M>(events, activeLeafId ? { activeLeafId } : {}).flatMap((m) => {
    const held = chatById.get(m.id);
    return held ? [held] : [];
  });
  // The chat went back before the current segment (a regenerate in a summarized one, which forks):
  // the summary is of what came after, so the model gets the chat's own messages.
  const last = chatMessages[chatMessages.length - 1];
  if (last && !current.some((m) => m.id === last.id)) return [...prompt, ...chatMessages];
  return [...prompt, ...system, ...summaryMessages, ...current];
}

/** The summary written at the end of segment `sessionId` (the last event, or any in imports). */
async function summaryEvent(manager: SessionManager, sessionId: string) {
  const last = await manager.store.getEvents(sessionId, { reverse: true, limit: 1 });
  if (last[0]?.type === EventType.SUMMARY) return last;
  const all = await manager.store.getEvents(sessionId, { reverse: true });
  return all.filter((e) => e.type === EventType.SUMMARY).slice(0, 1);
}
