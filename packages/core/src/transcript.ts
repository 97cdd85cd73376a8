import { type ChatMessage, EventSource, EventType, type SessionEvent, type Turn } from './types';

/** User and assistant messages as chat messages for a model; other events are skipped. */
export function toChatMessages(events: readonly SessionEvent[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const e of events) {
    if (e.type !== EventType.MESSAGE || typeof e.message !== 'string') continue;
    if (e.source === EventSource.USER) messages.push({ role: 'user', content: e.message });
    else if (e.source === EventSource.LLM) messages.push({ role: 'assistant', content: e.message });
  }
  return messages;
}

/** User and assistant messages with their segment, time and model, for display. */
export function toTurns(events: readonly SessionEvent[]): Turn[] {
  const turns: Turn[] = [];
  for (const e of events) {
    if (e.type !== EventType.MESSAGE || typeof e.message !== 'string') continue;
    if (e.source !== EventSource.USER && e.source !== EventSource.LLM) continue;
    const turn: Turn = {
      role: e.source === EventSource.USER ? 'user' : 'assistant',
      content: e.message,
      timestamp: e.timestamp,
      sessionId: e.sessionId,
      eventId: e.id,
    };
    if (typeof e.metadata.model === 'string' && e.source === EventSource.LLM) turn.model = e.metadata.model;
    if (typeof e.metadata.provider === 'string') turn.provider = e.metadata.provider;
    turns.push(turn);
  }
  return turns;
}
