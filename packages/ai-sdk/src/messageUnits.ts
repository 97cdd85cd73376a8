import type { MessagePart } from '@ai-session-manager/core';
import { type UIMessageUnit, uiMessageUnits } from '@ai-session-manager/core/record';
import type { UIMessage } from 'ai';

/**
 * What one UIMessage is recorded as, in order (core's one reader of AI SDK parts): a user message
 * is one text unit; an assistant message is a text unit per run of text parts (a tool part or a
 * new step ends a run) and a tool unit per tool call. Every other part (reasoning, files, sources,
 * data) is stored with the unit it comes with (`unit.parts`).
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
    u.kind === 'text'
      ? [['t', u.text, shown(u.parts)]]
      : u.complete
        ? [['c', u.toolCallId, u.name, u.output, u.error, shown(u.parts)]]
        : [],
  );
  return JSON.stringify([message.role, units]);
}

/** Parts as they show: whether a text is still streaming or done is no difference. */
function shown(parts: readonly MessagePart[] | undefined): unknown[] | null {
  if (!parts) return null;
  return parts.map(({ state, ...rest }) =>
    rest.type === 'text' || rest.type === 'reasoning' ? rest : { state, ...rest },
  );
}
