import type { SessionEvent } from '@ai-session-manager/core';
import { memo } from 'react';
import { formatCost, formatCount, formatTime } from './format';

interface MessageRowProps {
  event: SessionEvent<string>;
  role: 'user' | 'assistant';
}

/** A user or assistant message. Its text is a React text node: never parsed as HTML. */
export const MessageRow = memo(function MessageRow({ event, role }: MessageRowProps) {
  const usage = event.tokenUsage;
  const model = typeof event.metadata.model === 'string' ? event.metadata.model : undefined;
  const tokens = usage
    ? (role === 'user' ? usage.promptTokens : usage.completionTokens) || usage.totalTokens
    : 0;
  return (
    <article
      className={`message message--${role}`}
      data-testid="message-row"
      data-role={role}
      data-event-id={event.id}
    >
      <header className="message__meta">
        <span className="message__author">{role === 'user' ? 'You' : (model ?? 'Assistant')}</span>
        <time dateTime={event.timestamp}>{formatTime(event.timestamp)}</time>
        {usage && (
          <span title={`${usage.source} with ${usage.model}`}>
            {formatCount(tokens)} tok{usage.source === 'estimated' ? ' (est.)' : ''}
          </span>
        )}
        {usage?.estimatedCostUsd != null && usage.estimatedCostUsd > 0 && (
          <span>{formatCost(usage.estimatedCostUsd)}</span>
        )}
      </header>
      <p className="message__text" data-testid="message-text">
        {typeof event.message === 'string' ? event.message : String(event.message)}
      </p>
    </article>
  );
});
