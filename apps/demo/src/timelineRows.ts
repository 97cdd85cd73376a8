import {
  EventSource,
  EventType,
  type Session,
  type SessionEvent,
  type ToolCallMessage,
} from '@ai-session-manager/core';

/**
 * The timeline's reads: the newest 120 events when a conversation opens (live), 120 more per page
 * when scrolling up — a few screens of rows, so opening a 100,000-event conversation reads what is
 * on screen plus a margin. Hooks passing the same options share the timeline's window.
 */
export const TIMELINE_WINDOW = { window: 120, pageSize: 120 } as const;

/** One line of the virtualized timeline. Segments are drawn as cards made of consecutive rows. */
export type TimelineRow =
  | { kind: 'segment'; key: string; segment: Session; isLast: boolean }
  | { kind: 'message'; key: string; event: SessionEvent<string>; role: 'user' | 'assistant'; isLast: boolean }
  | { kind: 'tool'; key: string; event: SessionEvent<ToolCallMessage>; isLast: boolean }
  | { kind: 'summary'; key: string; event: SessionEvent<string>; from: Session; isLast: boolean }
  | { kind: 'empty-segment'; key: string; segment: Session; isLast: boolean }
  /** Earlier events exist that are not loaded (yet): shown above the oldest loaded row. */
  | { kind: 'older'; key: string; isLast: boolean };

export interface TimelineRowOptions {
  /** The events start after the conversation's first one: begin with an `older` row. */
  hasOlder?: boolean;
}

/**
 * Flatten segments and their events (any order in, seq order out) into timeline rows. With a
 * window of the newest events, `segments` are the ones it touches and the oldest may be partial.
 */
export function buildTimelineRows(
  segments: readonly Session[],
  events: readonly SessionEvent[],
  { hasOlder = false }: TimelineRowOptions = {},
): TimelineRow[] {
  const bySegment = new Map<string, SessionEvent[]>();
  for (const event of events) {
    let list = bySegment.get(event.sessionId);
    if (!list) {
      list = [];
      bySegment.set(event.sessionId, list);
    }
    list.push(event);
  }
  const rows: TimelineRow[] = hasOlder ? [{ kind: 'older', key: 'older', isLast: true }] : [];
  const ordered = [...segments].sort((a, b) => a.segmentIndex - b.segmentIndex);
  for (const segment of ordered) {
    rows.push({ kind: 'segment', key: `segment:${segment.id}`, segment, isLast: false });
    const list = bySegment.get(segment.id) ?? [];
    if (!isSorted(list)) list.sort((a, b) => a.seq - b.seq);
    const start = rows.length;
    for (const event of list) {
      const row = toRow(event, segment);
      if (row) rows.push(row);
    }
    if (rows.length === start) {
      rows.push({ kind: 'empty-segment', key: `empty:${segment.id}`, segment, isLast: false });
    }
    rows[rows.length - 1]!.isLast = true;
  }
  return rows;
}

function isSorted(events: readonly SessionEvent[]): boolean {
  for (let i = 1; i < events.length; i++) if (events[i - 1]!.seq > events[i]!.seq) return false;
  return true;
}

function toRow(event: SessionEvent, segment: Session): TimelineRow | null {
  switch (event.type) {
    case EventType.MESSAGE:
      if (event.source === EventSource.SYSTEM) return null;
      return {
        kind: 'message',
        key: event.id,
        event: event as SessionEvent<string>,
        role: event.source === EventSource.USER ? 'user' : 'assistant',
        isLast: false,
      };
    case EventType.TOOL_CALL:
      return { kind: 'tool', key: event.id, event: event as SessionEvent<ToolCallMessage>, isLast: false };
    case EventType.SUMMARY:
      return {
        kind: 'summary',
        key: event.id,
        event: event as SessionEvent<string>,
        from: segment,
        isLast: false,
      };
    default:
      return null;
  }
}
