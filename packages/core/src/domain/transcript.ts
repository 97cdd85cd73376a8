import { activePath, versionGroup, versionsByGroup } from './activePath.ts';
import { isFinished, replyStatus } from './replyStatus.ts';
import {
  type ChatMessage,
  EventSource,
  EventType,
  type SessionEvent,
  type Turn,
  type TurnStatus,
} from './types.ts';

/** Which branch to follow; default: the path that ends at the newest message. */
export interface PathOptions {
  /** The segment head's `state.activeLeafId` (set when an older branch is selected). */
  activeLeafId?: string | null;
}

/**
 * User and assistant messages of the active path as chat messages for a model; other events
 * are skipped, and so is every unfinished reply (streaming, interrupted or discarded).
 */
export function toChatMessages(events: readonly SessionEvent[], options: PathOptions = {}): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const e of activePath(events, options.activeLeafId)) {
    if (e.type !== EventType.MESSAGE || typeof e.message !== 'string' || !isFinished(e)) continue;
    if (e.source === EventSource.USER) messages.push({ role: 'user', content: e.message });
    else if (e.source === EventSource.LLM) messages.push({ role: 'assistant', content: e.message });
  }
  return messages;
}

/**
 * User and assistant messages of the active path with their segment, time, model, status and,
 * where a message has versions, which one it is: what a chat UI shows (a pure function).
 */
export function toTurns(
  events: readonly SessionEvent[],
  options: PathOptions & { now?: number } = {},
): Turn[] {
  const turns: Turn[] = [];
  const groups = versionsByGroup(events);
  for (const e of activePath(events, options.activeLeafId)) {
    if (e.type !== EventType.MESSAGE || typeof e.message !== 'string') continue;
    if (e.source !== EventSource.USER && e.source !== EventSource.LLM) continue;
    const turn: Turn = {
      role: e.source === EventSource.USER ? 'user' : 'assistant',
      content: e.message,
      timestamp: e.timestamp,
      sessionId: e.sessionId,
      eventId: e.id,
      status: replyStatus(e, options.now) as TurnStatus,
    };
    if (typeof e.metadata.model === 'string' && e.source === EventSource.LLM) turn.model = e.metadata.model;
    if (typeof e.metadata.provider === 'string') turn.provider = e.metadata.provider;
    const versions = groups.get(versionGroup(e));
    if (versions) turn.alternatives = { index: versions.indexOf(e), count: versions.length };
    turns.push(turn);
  }
  return turns;
}
