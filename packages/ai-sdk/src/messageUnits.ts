import { type UIMessageUnit, uiMessageUnits } from '@ai-session-manager/core/record';
import type { UIMessage } from 'ai';

/**
 * What one UIMessage is recorded as, in order (core's one reader of AI SDK parts): a user message
 * is one text unit; an assistant message is a text unit per run of text parts (a tool part or a
 * new step ends a run) and a tool unit per tool call. Reasoning, files, sources and data parts
 * are not recorded.
 */
export type MessageUnit = UIMessageUnit;

/**
 * Split `message` into units. `done`: the response is over (finished, stopped or failed), so
 * its last text run is complete too; before that, a run is complete once something follows it.
 */
export function messageUnits(message: UIMessage, done: boolean): MessageUnit[] {
  return uiMessageUnits(message, done);
}

/** What a message shows once recorded and read back: equal signatures need no refresh. */
export function contentSignature(message: UIMessage): string {
  // Tool calls still waiting for their output are not stored: they are no difference.
  const units = messageUnits(message, true).flatMap((u) =>
    u.kind === 'text' ? [['t', u.text]] : u.complete ? [['c', u.toolCallId, u.name, u.output, u.error]] : [],
  );
  return JSON.stringify([message.role, units]);
}
