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
import { replaceEqualDeep } from './replaceEqualDeep';

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
  const have = base.events.length;
  if (have === count) return base;
  // beforeSeq pins the read to what the totals promise, even if a write lands meanwhile.
  const range = { beforeSeq: count, reverse: true, limit: count - have };
  const fresh = (await store.getEvents(segment.id, range)).reverse();
  return {
    ...base,
    events: base.events.concat(fresh),
    turns: base.turns.concat(toTurns(fresh)),
    summary: lastSummary(fresh) ?? base.summary,
  };
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
    messages: sameEvents
      ? prev.messages
      : flatten(
          loaded.map((l) => l.turns),
          NO_TURNS,
        ),
    headEvents: head?.events ?? NO_EVENTS,
    headMessages: head?.turns ?? NO_TURNS,
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
