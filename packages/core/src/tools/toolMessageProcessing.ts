// SessionAwareToolProcessor.processLLMMessage's implementation, loaded on first use with the
// tool call runner (onDemand.ts), so apps that never process tool calls do not download it.
import { newId } from '../domain/ids.ts';
import type { AiRespondsOptions, SessionManager } from '../session/sessionManager.ts';
import type { ToolResultMessage } from './sessionAwareToolProcessor.ts';
import { readAssistantMessage, runToolCall, type ToolRunContext } from './toolCallRunner.ts';

/**
 * Record `message` on `manager`, run its tool calls (concurrently), record them in call order,
 * and resolve to one tool message per call (see SessionAwareToolProcessor.processLLMMessage).
 */
export async function processToolMessage(
  manager: SessionManager,
  context: ToolRunContext,
  message: unknown,
  respondOptions: Omit<AiRespondsOptions, 'eventId'>,
): Promise<ToolResultMessage[]> {
  const { text, calls } = readAssistantMessage(message);
  const eventId = newId();
  await manager.aiResponds(text, { ...respondOptions, eventId });
  const outcomes = await Promise.all(calls.map((call) => runToolCall(context, call)));
  const replies: ToolResultMessage[] = [];
  for (const [i, call] of calls.entries()) {
    const { result, error, attempts, cached } = outcomes[i]!;
    await manager.toolUsed(call.name, call.args, error === null ? result : null, {
      parentEventId: eventId,
      toolCallId: call.id,
      error,
      attempts,
      cached,
    });
    replies.push({ role: 'tool', tool_call_id: call.id, content: error ?? JSON.stringify(result) });
  }
  return replies;
}
