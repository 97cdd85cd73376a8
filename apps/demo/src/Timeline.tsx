import { useConversation } from '@ai-session-manager/react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useMemo, useRef } from 'react';
import { MessageRow } from './MessageRow';
import { SegmentCard } from './SegmentCard';
import type { Thresholds } from './settings';
import { SummaryBridge } from './SummaryBridge';
import { buildTimelineRows, TIMELINE_WINDOW, type TimelineRow } from './timelineRows';
import { ToolCallRow } from './ToolCallRow';

interface TimelineProps {
  conversationId: string;
  thresholds: Thresholds;
  /** Changes when the user sends a message: jump to the end and follow it again. */
  followSignal?: number;
}

const ESTIMATED_HEIGHT: Record<TimelineRow['kind'], number> = {
  segment: 110,
  message: 84,
  tool: 64,
  summary: 120,
  'empty-segment': 48,
  older: 48,
};

/** Closer than this to the top (in screens), scrolling up loads the previous page. */
const LOAD_OLDER_SCREENS = 2;

/** Within this many pixels of the bottom, new rows keep the timeline scrolled to the end. */
const STICK_DISTANCE = 120;

/** The first row on screen, where it was, so rows added above it leave it in place. */
interface ScrollAnchor {
  key: unknown;
  /** The row's start minus scrollTop. */
  offset: number;
}

/**
 * The conversation as a timeline of chained segments. Only the newest events are read (a live
 * window), older ones a page at a time when the reader scrolls up; and only the rows on screen
 * are in the DOM (virtualized with @tanstack/react-virtual), so long conversations stay smooth.
 */
export function Timeline({ conversationId, thresholds, followSignal = 0 }: TimelineProps) {
  const { events, segments, isLoading, error, hasOlder, isLoadingOlder, loadOlder } = useConversation(
    conversationId,
    TIMELINE_WINDOW,
  );
  const rows = useMemo(() => buildTimelineRows(segments, events, { hasOlder }), [segments, events, hasOlder]);
  // The window always holds the head: it is the newest segment.
  const headId = segments.length ? segments[segments.length - 1]!.id : undefined;
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const anchor = useRef<ScrollAnchor | null>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => ESTIMATED_HEIGHT[rows[index]?.kind ?? 'message'],
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 8,
    useFlushSync: false,
  });

  const wantsOlder = useRef(false);
  wantsOlder.current = hasOlder && !isLoadingOlder;
  const maybeLoadOlder = useCallback(() => {
    const el = scrollRef.current;
    if (!el || !wantsOlder.current || stickToBottom.current) return;
    if (el.scrollTop < LOAD_OLDER_SCREENS * el.clientHeight) {
      wantsOlder.current = false;
      // A failed page shows as the timeline's error; scrolling again retries.
      loadOlder().catch(() => {});
    }
  }, [loadOlder]);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_DISTANCE;
    const first = virtualizer.getVirtualItems().find((item) => item.end > el.scrollTop);
    anchor.current = first ? { key: first.key, offset: first.start - el.scrollTop } : null;
    maybeLoadOlder();
  }, [virtualizer, maybeLoadOlder]);

  // Rows added or removed above the first row on screen (an older page, the "earlier" row) keep it in place.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the rows change
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const at = anchor.current;
    if (!el || !at || stickToBottom.current) return;
    const index = rows.findIndex((row) => row.key === at.key);
    const start = index >= 0 ? virtualizer.measurementsCache[index]?.start : undefined;
    if (start !== undefined && Math.abs(start - at.offset - el.scrollTop) > 1) {
      virtualizer.scrollToOffset(start - at.offset);
    }
    // Still near the top after a page (a short page, a fast fling): ask for the next one.
    maybeLoadOlder();
  }, [rows]);

  // A different conversation starts at its end, and sending a message returns there.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the conversation changes or on send
  useLayoutEffect(() => {
    stickToBottom.current = true;
  }, [conversationId, followSignal]);

  // Follow new rows while the reader is at the bottom.
  useLayoutEffect(() => {
    if (stickToBottom.current && rows.length > 0)
      virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [rows.length, virtualizer]);

  return (
    <div
      className="timeline"
      ref={scrollRef}
      onScroll={onScroll}
      data-testid="timeline"
      data-rows={rows.length}
      data-has-older={hasOlder}
    >
      {error ? (
        <div className="timeline__status" data-testid="timeline-error" role="alert">
          Could not load this conversation: {error.message}
        </div>
      ) : rows.length === 0 ? (
        <div className="timeline__status" data-testid="timeline-empty">
          {isLoading
            ? 'Loading…'
            : 'No messages yet. Say something below: the local responder answers offline.'}
        </div>
      ) : null}
      <div className="timeline__canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index]!;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className={`timeline__row timeline__row--${row.kind}${row.isLast ? ' timeline__row--last' : ''}`}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <div className="timeline__cell">
                <RowContent row={row} thresholds={thresholds} headId={headId} />
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function RowContent({
  row,
  thresholds,
  headId,
}: {
  row: TimelineRow;
  thresholds: Thresholds;
  headId?: string;
}) {
  switch (row.kind) {
    case 'segment':
      return (
        <SegmentCard
          segment={row.segment}
          tokenThreshold={thresholds.tokenThreshold}
          maxTurnsPerSegment={thresholds.maxTurnsPerSegment}
          isHead={row.segment.id === headId}
        />
      );
    case 'message':
      return <MessageRow event={row.event} role={row.role} />;
    case 'tool':
      return <ToolCallRow event={row.event} />;
    case 'summary':
      return <SummaryBridge event={row.event} fromIndex={row.from.segmentIndex} />;
    case 'empty-segment':
      return <div className="segment-empty">No messages in this segment yet.</div>;
    case 'older':
      return (
        <div className="segment-empty" data-testid="timeline-older">
          Earlier messages: scroll up to load them.
        </div>
      );
  }
}
