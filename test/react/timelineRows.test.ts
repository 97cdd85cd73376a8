import {
  EventSource,
  EventType,
  emptyTotals,
  type Session,
  type SessionEvent,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { buildTimelineRows } from '../../apps/demo/src/timelineRows';

const totals = emptyTotals();

function segment(id: string, segmentIndex: number): Session {
  const at = '2025-01-01T00:00:00.000Z';
  return {
    id,
    parentId: null,
    rootId: 'root',
    segmentIndex,
    metadata: {},
    state: {},
    createdAt: at,
    updatedAt: at,
    totals,
  };
}

function message(sessionId: string, seq: number, type: string = EventType.MESSAGE): SessionEvent {
  return {
    id: `${sessionId}-${seq}`,
    sessionId,
    seq,
    timestamp: '2025-01-01T00:00:00.000Z',
    source: seq % 2 === 0 ? EventSource.USER : EventSource.LLM,
    type: type as SessionEvent['type'],
    message: `m${seq}`,
    metadata: {},
  };
}

describe('timeline rows of a window', () => {
  it('starts with an "older" row while earlier events are not loaded, then the segments it touches', () => {
    const a = segment('a', 3);
    const b = segment('b', 4);
    const rows = buildTimelineRows(
      [a, b],
      [message('a', 5), message('a', 6, EventType.SUMMARY), message('b', 0)],
      {
        hasOlder: true,
      },
    );
    expect(rows.map((r) => [r.kind, r.key])).toEqual([
      ['older', 'older'],
      ['segment', 'segment:a'],
      ['message', 'a-5'],
      ['summary', 'a-6'],
      ['segment', 'segment:b'],
      ['message', 'b-0'],
    ]);
    expect(rows.filter((r) => r.isLast).map((r) => r.key)).toEqual(['older', 'a-6', 'b-0']);
    expect(buildTimelineRows([a, b], [message('b', 0)])[0]!.kind).toBe('segment');
  });
});
