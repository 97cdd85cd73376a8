import type { ChatMessage, SessionEvent, ToolCallMessage } from '../domain/types.ts';
import { EventType } from '../domain/types.ts';

export function isToolCallEvent(e: SessionEvent): e is SessionEvent<ToolCallMessage> {
  const m = e.message as Partial<ToolCallMessage> | null;
  return e.type === EventType.TOOL_CALL && !!m && typeof m === 'object' && typeof m.tool === 'string';
}

/**
 * Tool calls as one system message the model can read: plain text rather than OpenAI
 * `tool` messages, which the API rejects without the assistant `tool_calls` that asked for them.
 */
export function toolContextMessage(events: readonly SessionEvent<ToolCallMessage>[]): ChatMessage {
  const lines = events.map(({ message: m }) => {
    const call = `${m.tool}(${JSON.stringify(m.arguments ?? null)})`;
    return m.error
      ? `- ${call} failed: ${m.error}`
      : `- ${call} returned ${JSON.stringify(m.result ?? null)}`;
  });
  return { role: 'system', content: `Tool results:\n${lines.join('\n')}` };
}
