import type { SessionEvent, ToolCallMessage } from '@ai-session-manager/core';
import { memo } from 'react';
import { useChatState } from './chatContext';
import { formatJson, formatTime } from './format';

/** A tool call with its arguments and result (or error), as recorded by `toolUsed`. */
export const ToolCallRow = memo(function ToolCallRow({ event }: { event: SessionEvent<ToolCallMessage> }) {
  const chat = useChatState();
  // A tool call of a reply on another branch is not shown (the row stays, empty).
  if (chat?.hidden?.has(event.id)) return <span hidden data-off-path="" />;
  const call = event.message;
  const failed = call.error !== null && call.error !== undefined;
  return (
    <div
      className={`tool-call${failed ? ' tool-call--error' : ''}`}
      data-testid="tool-call-row"
      data-event-id={event.id}
    >
      <div className="tool-call__head">
        <span className="tool-call__icon" aria-hidden="true">
          ƒ
        </span>
        <span className="tool-call__name" data-testid="tool-call-name">
          {call.tool}
        </span>
        <code className="tool-call__args">{formatJson(call.arguments)}</code>
        <time dateTime={event.timestamp}>{formatTime(event.timestamp)}</time>
      </div>
      <div className="tool-call__result" data-testid="tool-call-result">
        {failed ? `error: ${call.error}` : `→ ${formatJson(call.result)}`}
      </div>
    </div>
  );
});
