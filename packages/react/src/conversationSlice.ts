import {
  type ConversationSummary,
  EventType,
  type Session,
  type SessionEvent,
  type SessionStats,
  type SessionStore,
  statsFromSegments,
  toTurns,
  type Turn,
} from '@ai-session-manager/core';
import { replaceEqualDeep } from './replaceEqualDeep.ts';

/** A segment row with the text of the SUMMARY event that closed it (null for the open head). */
export interface ConversationSegment extends Session {
  summary: string | null;
}

/** Everything the hooks show about one conversation, kept per observed conversation id. */
export interface ConversationSlice {
  /** Every segment, root first. */
  segments: ConversationSegment[];
  /** Every event of every segment (messages, tool calls, summaries), oldest first. */
  events: SessionEvent[];
  /** User and assistant messages of every segment, oldest first. */
  messages: Turn[];
  /** Events of the newest segment only. */
  headEvents: SessionEvent[];
  /** Messages of the newest segment only. */
  headMessages: Turn[];
  /** Null while loading or while nothing has been recorded. */
  stats: SessionStats | null;
  isLoading: boolean;
  error: Error | null;
}

export interface ConversationListSlice {
  /** Most recently updated first. */
  conversations: ConversationSummary[];
  isLoading: boolean;
  error: Error | null;
}

/** One segment's events as last read; closed segments never change, so they are read once. */
export interface SegmentEvents {
  sessionId: string;
  createdAt: string;
  events: SessionEvent[];
  turns: Turn[];
  summary: string | null;
}

/** One read of a conversation. */
export interface ConversationSnapshot {
  segments: Session[];
  loaded: SegmentEvents[];
}

const NO_EVENTS: SessionEvent[] = [];
const NO_TURNS: Turn[] = [];

export const LOADING_SLICE: ConversationSlice = Object.freeze({
  segments: [],
  events: NO_EVENTS,
  messages: NO_TURNS,
  headEvents: NO_EVENTS,
  headMessages: NO_TURNS,
  stats: null,
  isLoading: true,
  error: null,
});

/** What hooks show when given no conversation id. */
export const IDLE_SLICE: ConversationSlice = Object.freeze({ ...LOADING_SLICE, isLoading: false });

export const LOADING_LIST: ConversationListSlice = Object.freeze({
  conversations: [],
  isLoading: true,
  error: null,
});

/**
 * Read a conversation's segments and their events. Only events not in `previous` are read:
 * events are append-only with gapless `seq`, and a segment's `totals.events` is written in the
 * same transaction as its events, so an append costs one small range read, not the history.
 */
export async function readConversation(
  store: SessionStore,
  conversationId: string,
  previous: readonly SegmentEvents[],
): Promise<ConversationSnapshot> {
  let segments = await store.getSegments(conversationId);
  if (segments.length === 0) {
    // Accept any segment id, as SessionManager.open does.
    const session = await store.getSession(conversationId);
    if (session && session.rootId !== conversationId) segments = await store.getSegments(session.rootId);
  }
  const cached = new Map(previous.map((p) => [p.sessionId, p]));
  const loaded = await Promise.all(segments.map((s) => readSegment(store, s, cached.get(s.id))));
  return { segments, loaded };
}

async function readSegment(store: SessionStore, segment: Session, cached: SegmentEvents | undefined) {
  const count = segment.totals.events;
  // A recreated segment (deleted, then imported again) or a shrunk one is read again whole.
  const base =
    cached && cached.createdAt === segment.createdAt && cached.events.length <= count
      ? cached
      : {
          sessionId: segment.id,
          createdAt: segment.createdAt,
          events: NO_EVENTS,
          turns: NO_TURNS,
          summary: null,
        };
  // Streamed replies change in place: read again from the first one still streaming (which also
  // makes the live query watch their rows), and recompute that segment's turns (status is time-based).
  const streaming = base.events.findIndex((e) => e.reply?.status === 'streaming');
  const have = streaming < 0 ? base.events.length : streaming;
  if (have === count) return base;
  // beforeSeq pins the read to what the totals promise, even if a write lands meanwhile.
  const range = { beforeSeq: count, reverse: true, limit: count - have };
  const fresh = (await store.getEvents(segment.id, range)).reverse();
  const events = base.events.slice(0, have).concat(fresh);
  return {
    ...base,
    events,
    turns: streaming < 0 ? base.turns.concat(toTurns(fresh)) : toTurns(events),
    summary: lastSummary(fresh) ?? base.summary,
  };
}

/**
 * The earliest lease end of a reply still streaming in these loaded groups (segments or window
 * parts): when its status turns 'interrupted' with no write, so a reader must look again.
 */
export function nextLeaseEnd(loaded: readonly { events: readonly SessionEvent[] }[]): number | undefined {
  let end: number | undefined;
  for (const l of loaded) {
    for (const e of l.events) {
      const lease = e.reply?.leaseUntil;
      if (e.reply?.status === 'streaming' && lease !== undefined && (end === undefined || lease < end))
        end = lease;
    }
  }
  return end;
}

function lastSummary(events: readonly SessionEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === EventType.SUMMARY && typeof e.message === 'string') return e.message;
  }
  return null;
}

/** The next slice for a snapshot; unchanged parts (or the whole slice) keep their reference. */
export function buildSlice(
  prev: ConversationSlice,
  prevLoaded: readonly SegmentEvents[],
  snapshot: ConversationSnapshot,
): ConversationSlice {
  const { loaded } = snapshot;
  const segments = replaceEqualDeep(
    prev.segments,
    snapshot.segments.map((s, i): ConversationSegment => ({ ...s, summary: loaded[i]!.summary })),
  );
  const sameEvents =
    loaded.length === prevLoaded.length && loaded.every((l, i) => l.events === prevLoaded[i]!.events);
  const head = loaded[loaded.length - 1];
  const next: ConversationSlice = {
    segments,
    events: sameEvents
      ? prev.events
      : flatten(
          loaded.map((l) => l.events),
          NO_EVENTS,
        ),
    messages:
      sameEvents && segments === prev.segments
        ? prev.messages
        : replaceEqualDeep(prev.messages, messagesOf(segments, loaded)),
    headEvents: head?.events ?? NO_EVENTS,
    headMessages: branched(segments)
      ? messagesOf(segments.slice(-1), loaded.slice(-1))
      : (head?.turns ?? NO_TURNS),
    stats:
      segments === prev.segments && !prev.isLoading
        ? prev.stats
        : replaceEqualDeep(prev.stats, statsOf(segments)),
    isLoading: false,
    error: null,
  };
  const unchanged = (Object.keys(next) as (keyof ConversationSlice)[]).every((k) => next[k] === prev[k]);
  return unchanged ? prev : next;
}

function branched(segments: readonly Session[]): boolean {
  return segments.some((s) => s.state.branched);
}

/** The active path's turns (core's toTurns over every event when the conversation has branches). */
function messagesOf(segments: readonly Session[], loaded: readonly SegmentEvents[]): Turn[] {
  if (!branched(segments)) {
    return flatten(
      loaded.map((l) => l.turns),
      NO_TURNS,
    );
  }
  const events = loaded.flatMap((l) => l.events);
  return toTurns(events, { activeLeafId: segments.at(-1)?.state.activeLeafId as string | undefined });
}

function flatten<T>(parts: T[][], empty: T[]): T[] {
  if (parts.length === 0) return empty;
  return parts.length === 1 ? parts[0]! : parts.flat();
}

/** `infiniteContext` is reported true once the conversation has rolled over: rows do not record the option. */
function statsOf(segments: readonly Session[]): SessionStats | null {
  return statsFromSegments(segments, { infiniteContext: segments.length > 1 });
}

/** What useConversation returns for a slice. */
export function selectConversation(slice: ConversationSlice, includeAllSegments: boolean) {
  return {
    messages: includeAllSegments ? slice.messages : slice.headMessages,
    events: includeAllSegments ? slice.events : slice.headEvents,
    segments: slice.segments,
    isLoading: slice.isLoading,
    error: slice.error,
  };
}

/** What useSessionStats returns for a slice. */
export function selectStats(slice: ConversationSlice) {
  return { stats: slice.stats, isLoading: slice.isLoading, error: slice.error };
}
