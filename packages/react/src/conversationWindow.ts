import {
  EventType,
  type Session,
  type SessionEvent,
  type SessionStore,
  toTurns,
  type Turn,
} from '@ai-session-manager/core';
import type { ConversationSegment } from './conversationSlice.ts';
import { replaceEqualDeep } from './replaceEqualDeep.ts';

/** A position in a conversation: event `seq` of segment `sessionId`. */
export interface WindowPosition {
  sessionId: string;
  seq: number;
}

/** The events of one segment from `fromSeq` to its end (or to where the next part starts). */
export interface WindowPart {
  segment: Session;
  fromSeq: number;
  events: SessionEvent[];
  turns: Turn[];
}

/** One read of a window's live range: the anchor's segment to the head, oldest first. */
export interface LiveWindow {
  anchor: WindowPosition | null;
  parts: WindowPart[];
}

/** What useConversation returns with `{ window }`. */
export interface ConversationWindowSlice {
  /** Segments with at least one loaded event (plus the head), root-most first. */
  segments: ConversationSegment[];
  /** Loaded events (older pages, then the live newest ones), oldest first. */
  events: SessionEvent[];
  /** User and assistant messages among `events`, oldest first. */
  messages: Turn[];
  /** Older events exist that are not loaded yet. */
  hasOlder: boolean;
  isLoadingOlder: boolean;
  isLoading: boolean;
  error: Error | null;
  /** Load up to one more page of older events (stable: older pages are not re-read). */
  loadOlder: () => Promise<void>;
}

const NO_EVENTS: SessionEvent[] = [];
const NO_TURNS: Turn[] = [];
const NO_SEGMENTS: ConversationSegment[] = [];

export function loadingWindow(loadOlder: () => Promise<void>, isLoading = true): ConversationWindowSlice {
  return {
    segments: NO_SEGMENTS,
    events: NO_EVENTS,
    messages: NO_TURNS,
    hasOlder: false,
    isLoadingOlder: false,
    isLoading,
    error: null,
    loadOlder,
  };
}

/** A conversation's newest segment, accepting any of its segment ids as SessionManager.open does. */
async function headOf(store: SessionStore, conversationId: string): Promise<Session | undefined> {
  const head = await store.getHead(conversationId);
  if (head) return head;
  const session = await store.getSession(conversationId);
  return session && session.rootId !== conversationId ? store.getHead(session.rootId) : undefined;
}

/**
 * A segment's turns: core's toTurns over its events, following the branch its row selects
 * (branches live within one segment). Statuses are read now ('interrupted' once a lease ends).
 */
function turnsOf(segment: Session, events: readonly SessionEvent[]): Turn[] {
  if (events.length === 0) return NO_TURNS;
  const activeLeafId = segment.state.branched
    ? (segment.state.activeLeafId as string | undefined)
    : undefined;
  return toTurns(events, activeLeafId ? { activeLeafId } : {});
}

/** Events `fromSeq` ≤ seq < `toSeq` of one segment, oldest first, with one `[sessionId+seq]` range read. */
async function readRange(store: SessionStore, segment: Session, fromSeq: number, toSeq: number) {
  if (toSeq <= fromSeq) return { events: NO_EVENTS, turns: NO_TURNS };
  const events = (
    await store.getEvents(segment.id, { beforeSeq: toSeq, reverse: true, limit: toSeq - fromSeq })
  ).reverse();
  return { events, turns: turnsOf(segment, events) };
}

/**
 * Read the live part of a window: walk from the head back through `parentId` to the anchor's
 * segment (or, with no anchor yet, until `size` events are covered, which fixes the anchor), and
 * read each segment's events from the anchor on. Closed segments whose row is unchanged keep
 * their cached events; the head is read again (its events may be updated in place).
 */
export async function readLiveWindow(
  store: SessionStore,
  conversationId: string,
  size: number,
  anchor: WindowPosition | null,
  previous: readonly WindowPart[],
): Promise<LiveWindow> {
  const head = await headOf(store, conversationId);
  if (!head) return { anchor: null, parts: [] };
  const chain: Session[] = []; // newest first
  let covered = 0;
  let found = false;
  for (let segment: Session | undefined = head; segment; ) {
    chain.push(segment);
    if (anchor) {
      if (segment.id === anchor.sessionId) {
        found = true;
        break;
      }
    } else {
      covered += segment.totals.events;
      if (covered >= size) break;
    }
    segment = segment.parentId ? await store.getSession(segment.parentId) : undefined;
  }
  // The anchor's segment is gone (deleted, imported again): start over at the newest events.
  if (anchor && !found) return readLiveWindow(store, conversationId, size, null, []);
  chain.reverse();
  const oldest = chain[0]!;
  const start: WindowPosition = anchor ?? {
    sessionId: oldest.id,
    seq: Math.max(0, oldest.totals.events - (size - (covered - oldest.totals.events))),
  };
  const cached = new Map(previous.map((p) => [p.segment.id, p]));
  const parts = await Promise.all(
    chain.map(async (segment): Promise<WindowPart> => {
      const fromSeq = segment.id === start.sessionId ? start.seq : 0;
      const count = segment.totals.events;
      const hit = cached.get(segment.id);
      if (
        hit &&
        segment !== head &&
        hit.fromSeq === fromSeq &&
        hit.segment.updatedAt === segment.updatedAt &&
        hit.segment.createdAt === segment.createdAt &&
        hit.events.length === count - fromSeq
      ) {
        return hit.segment === segment ? hit : { ...hit, segment };
      }
      const read = await readRange(store, segment, fromSeq, count);
      // The head is read again on every change (streamed replies change in place): keep what is equal.
      if (hit && hit.fromSeq === fromSeq) {
        const events = replaceEqualDeep(hit.events, read.events);
        const turns = replaceEqualDeep(hit.turns, read.turns);
        if (events === hit.events && turns === hit.turns)
          return hit.segment === segment ? hit : { ...hit, segment };
        return { segment, fromSeq, events, turns };
      }
      return { segment, fromSeq, ...read };
    }),
  );
  return { anchor: start, parts };
}

/**
 * Read up to `pageSize` events older than `oldest` (a part's segment and start), walking back
 * through `parentId`: one range read per segment touched, one row read per parent.
 */
export async function readOlderPage(
  store: SessionStore,
  oldest: Pick<WindowPart, 'segment' | 'fromSeq'>,
  pageSize: number,
): Promise<WindowPart[]> {
  const page: WindowPart[] = [];
  let segment = oldest.segment;
  let upto = oldest.fromSeq;
  let remaining = pageSize;
  while (remaining > 0) {
    if (upto <= 0) {
      const parent = segment.parentId ? await store.getSession(segment.parentId) : undefined;
      if (!parent) break;
      segment = parent;
      upto = parent.totals.events;
      continue;
    }
    const fromSeq = Math.max(0, upto - remaining);
    const read = await readRange(store, segment, fromSeq, upto);
    page.unshift({ segment, fromSeq, ...read });
    remaining -= upto - fromSeq;
    upto = fromSeq;
  }
  return page;
}

/** Whether events exist before the oldest loaded part. */
export function hasOlderThan(parts: readonly WindowPart[]): boolean {
  const first = parts[0];
  return first ? first.fromSeq > 0 || first.segment.parentId !== null : false;
}

/** Join older pages and the live parts (oldest first) into one window slice, sharing what did not change. */
export function buildWindowSlice(
  prev: ConversationWindowSlice,
  older: readonly WindowPart[],
  live: readonly WindowPart[],
  prevParts: readonly WindowPart[],
): ConversationWindowSlice {
  const parts = [...older, ...live];
  const sameLength = parts.length === prevParts.length;
  const sameEvents = sameLength && parts.every((p, i) => p.events === prevParts[i]!.events);
  const sameTurns = sameLength && parts.every((p, i) => p.turns === prevParts[i]!.turns);
  const bySegment = new Map<string, { segment: Session; summary: string | null }>();
  for (const part of parts) {
    const entry = bySegment.get(part.segment.id);
    const summary = lastSummary(part.events) ?? entry?.summary ?? null;
    // A later part holds the newer row of the same segment.
    bySegment.set(part.segment.id, { segment: part.segment, summary });
  }
  const segments = replaceEqualDeep(
    prev.segments,
    [...bySegment.values()].map(({ segment, summary }): ConversationSegment => ({ ...segment, summary })),
  );
  const next: ConversationWindowSlice = {
    ...prev,
    segments,
    events: sameEvents ? prev.events : parts.flatMap((p) => p.events),
    messages: sameTurns ? prev.messages : parts.flatMap((p) => p.turns),
    hasOlder: hasOlderThan(parts),
    isLoading: false,
    error: null,
  };
  const unchanged = (Object.keys(next) as (keyof ConversationWindowSlice)[]).every(
    (k) => next[k] === prev[k],
  );
  return unchanged ? prev : next;
}

function lastSummary(events: readonly SessionEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === EventType.SUMMARY && typeof e.message === 'string') return e.message;
  }
  return null;
}
