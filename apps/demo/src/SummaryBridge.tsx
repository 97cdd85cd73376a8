import type { SessionEvent } from '@ai-session-manager/core';
import { memo, useState } from 'react';
import { formatCount } from './format';
import { scrubSecrets } from './scrubSecrets';

const SUMMARIZER: Record<string, string> = {
  extractive: 'extractive: built from the messages’ own words, without a model',
  callback: 'callback: written by the model',
};

/** The summary written when a segment rolled over: what the next segment starts from. Collapsed until opened. */
export const SummaryBridge = memo(function SummaryBridge({
  event,
  fromIndex,
}: {
  event: SessionEvent<string>;
  fromIndex: number;
}) {
  const [open, setOpen] = useState(false);
  const summarizer = typeof event.metadata.summarizer === 'string' ? event.metadata.summarizer : undefined;
  const failure =
    typeof event.metadata.summaryError === 'string' ? scrubSecrets(event.metadata.summaryError) : undefined;
  const text = typeof event.message === 'string' ? event.message : String(event.message);
  return (
    <div
      className={`summary-bridge${open ? ' summary-bridge--open' : ''}`}
      data-testid="summary-bridge"
      data-event-id={event.id}
      data-open={open}
    >
      <div className="summary-bridge__head">
        <span className="summary-bridge__arrow" aria-hidden="true">
          ⤵
        </span>
        Summary bridging segment {fromIndex + 1} → {fromIndex + 2}
        {summarizer && (
          <span className="summary-bridge__tag" title={SUMMARIZER[summarizer] ?? summarizer}>
            {summarizer}
          </span>
        )}
        {event.tokenUsage && <span>{formatCount(event.tokenUsage.totalTokens)} tok</span>}
        <button
          type="button"
          className="button button--ghost summary-bridge__toggle"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
          data-testid="summary-toggle"
        >
          {open ? 'Collapse' : 'Show all'}
        </button>
      </div>
      {/* The whole text is in the page (searchable, copyable); collapsed, only its first lines show. */}
      <p className="summary-bridge__text" data-testid="summary-text">
        {text}
      </p>
      {open && summarizer && SUMMARIZER[summarizer] && (
        <p className="summary-bridge__note">{SUMMARIZER[summarizer]}.</p>
      )}
      {failure && (
        <p className="summary-bridge__error">Summarizer failed, used the built-in summary: {failure}</p>
      )}
    </div>
  );
});
