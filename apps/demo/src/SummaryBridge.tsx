import type { SessionEvent } from '@ai-session-manager/core';
import { memo } from 'react';
import { formatCount } from './format';
import { scrubSecrets } from './scrubSecrets';

/** The summary written when a segment rolled over: what the next segment starts from. */
export const SummaryBridge = memo(function SummaryBridge({
  event,
  fromIndex,
}: {
  event: SessionEvent<string>;
  fromIndex: number;
}) {
  const summarizer = typeof event.metadata.summarizer === 'string' ? event.metadata.summarizer : undefined;
  const failure =
    typeof event.metadata.summaryError === 'string' ? scrubSecrets(event.metadata.summaryError) : undefined;
  return (
    <div className="summary-bridge" data-testid="summary-bridge" data-event-id={event.id}>
      <div className="summary-bridge__head">
        <span className="summary-bridge__arrow" aria-hidden="true">
          ⤵
        </span>
        Summary bridging segment {fromIndex + 1} → {fromIndex + 2}
        {summarizer && <span className="summary-bridge__tag">{summarizer}</span>}
        {event.tokenUsage && <span>{formatCount(event.tokenUsage.totalTokens)} tok</span>}
      </div>
      <p className="summary-bridge__text" data-testid="summary-text">
        {typeof event.message === 'string' ? event.message : String(event.message)}
      </p>
      {failure && (
        <p className="summary-bridge__error">Summarizer failed, used the built-in summary: {failure}</p>
      )}
    </div>
  );
});
