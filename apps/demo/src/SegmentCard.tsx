import type { Session } from '@ai-session-manager/core';
import { memo } from 'react';
import { formatCost, formatCount, formatDate } from './format';
import { Meter } from './Meter';

interface SegmentCardProps {
  segment: Session;
  tokenThreshold: number;
  maxTurnsPerSegment: number;
  isHead: boolean;
}

/** The head of a segment's card: its index, token total against the threshold, and message count. */
export const SegmentCard = memo(function SegmentCard({
  segment,
  tokenThreshold,
  maxTurnsPerSegment,
  isHead,
}: SegmentCardProps) {
  const { totalTokens, messages, toolCalls, estimatedCostUsd } = segment.totals;
  const tokenShare = Math.min(1, totalTokens / tokenThreshold);
  const turnShare = Math.min(1, messages / maxTurnsPerSegment);
  return (
    <header
      className={`segment-card${isHead ? ' segment-card--head' : ''}`}
      data-testid="segment-card"
      data-segment-index={segment.segmentIndex}
      data-session-id={segment.id}
    >
      <div className="segment-card__title">
        <span className="segment-card__badge">Segment {segment.segmentIndex + 1}</span>
        <span className="segment-card__id" title={segment.id}>
          {segment.id.slice(0, 8)}
        </span>
        {isHead ? (
          <span className="segment-card__live" data-testid="segment-state">
            {tokenShare >= 1 || turnShare >= 1
              ? 'current · full, the next message starts a new segment'
              : 'current'}
          </span>
        ) : (
          <span className="segment-card__closed" data-testid="segment-state">
            closed · summarized
          </span>
        )}
        <span className="segment-card__date">{formatDate(segment.createdAt)}</span>
      </div>
      <Meter
        testId="segment-token-bar"
        share={tokenShare}
        text={`${formatCount(totalTokens)} / ${formatCount(tokenThreshold)} tokens`}
      />
      <Meter
        testId="segment-turn-bar"
        share={turnShare}
        text={`${formatCount(messages)} / ${formatCount(maxTurnsPerSegment)} messages`}
      />
      <div className="segment-card__extra">
        {formatCount(toolCalls)} tool call{toolCalls === 1 ? '' : 's'} · {formatCost(estimatedCostUsd)}
      </div>
    </header>
  );
});
