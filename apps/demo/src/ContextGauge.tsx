import type { ContextUsage } from '@ai-session-manager/core';
import { useConversation, useSession } from '@ai-session-manager/react';
import { useEffect, useState } from 'react';
import { formatCount } from './format';
import { Meter } from './Meter';
import type { Responder } from './responder';
import { sessionOptions } from './sessionOptions';
import type { Thresholds } from './settings';

interface ContextGaugeProps {
  conversationId: string;
  thresholds: Thresholds;
  responder: Responder;
}

/**
 * How full the model's context window is with what the next request would carry (system prompt,
 * summary, the current segment): `getContextUsage`, read again when a message is added or finishes.
 */
export function ContextGauge({ conversationId, thresholds, responder }: ContextGaugeProps) {
  const session = useSession(conversationId, sessionOptions(thresholds, responder));
  const { events } = useConversation(conversationId, { window: 1 });
  const newest = events?.at(-1);
  // A reply counts once it is finished: its status, not every streamed flush, triggers a re-read.
  const version = `${newest?.id ?? ''}:${newest?.reply?.status ?? ''}`;
  const [usage, setUsage] = useState<ContextUsage | null>(null);
  const read = session.getContextUsage;

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read when the newest message changes
  useEffect(() => {
    let current = true;
    read({ model: responder.model }).then(
      (next) => {
        if (current) setUsage(next);
      },
      () => undefined, // the stats bar and the timeline report storage errors
    );
    return () => {
      current = false;
    };
  }, [read, responder.model, version]);

  if (!usage) return null;
  const window = usage.contextWindow;
  const text = window
    ? `${formatCount(usage.tokens)} / ${formatCount(window)} tokens (${((usage.fraction ?? 0) * 100).toFixed(1)}%)`
    : `${formatCount(usage.tokens)} tokens (window of ${usage.model} unknown)`;
  return (
    <div
      className="context-gauge"
      data-testid="context-gauge"
      data-tokens={usage.tokens}
      data-window={window ?? ''}
      data-summary={String(usage.includesSummary)}
      title="Tokens of the next request (system prompt, summary of earlier segments, this segment) against the model's context window"
    >
      <span className="context-gauge__label">context window</span>
      <Meter testId="context-gauge-meter" share={Math.min(1, usage.fraction ?? 0)} text={text} />
      {usage.includesSummary && <span className="context-gauge__note">summary included</span>}
    </div>
  );
}
