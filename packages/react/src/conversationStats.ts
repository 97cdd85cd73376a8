import {
  readChainEnds,
  type SessionStats,
  type SessionStore,
  statsFromHead,
  statsFromSegments,
} from '@ai-session-manager/core';
import { type Slot, toError } from './liveSlot.ts';
import { replaceEqualDeep } from './replaceEqualDeep.ts';

/** What useSessionStats returns. */
export interface StatsSlice {
  /** Null while loading or while nothing has been recorded. */
  stats: SessionStats | null;
  isLoading: boolean;
  error: Error | null;
}

export const LOADING_STATS: StatsSlice = Object.freeze({ stats: null, isLoading: true, error: null });
export const IDLE_STATS: StatsSlice = Object.freeze({ stats: null, isLoading: false, error: null });

/** One read of a conversation's stats. */
export interface StatsRead {
  stats: SessionStats | null;
}

/**
 * A conversation's stats from running totals; no event is read. With a store that keeps
 * conversation totals on the head (`getChainEnds`, schema v2) it reads two rows and at most the
 * newest CHAIN_IDS segment ids (core's readChainEnds), whatever the segment count; otherwise
 * every segment row. `infiniteContext` is reported true once the conversation has rolled over
 * (rows do not record the option).
 */
export async function readStats(store: SessionStore, conversationId: string): Promise<StatsRead> {
  const ends = await readChainEnds(store, conversationId);
  if (ends) {
    const options = { infiniteContext: ends.head.segmentIndex > 0, sessionChain: ends.chain };
    return { stats: statsFromHead(ends.root, ends.head, options) };
  }
  const segments = await store.getSegments(conversationId);
  if (segments.length === 0) {
    // Accept any segment id, as SessionManager.open does.
    const session = await store.getSession(conversationId);
    if (session && session.rootId !== conversationId) return readStats(store, session.rootId);
  }
  return { stats: statsFromSegments(segments, { infiniteContext: segments.length > 1 }) };
}

/** Feed one stats slice from a live query over segment rows. Returns the stop function. */
export function startStatsFeed(
  store: SessionStore,
  conversationId: string,
  slot: Slot<StatsSlice>,
): () => void {
  slot.init(LOADING_STATS);
  const update = (patch: Partial<StatsSlice>) =>
    slot.update((prev) => {
      const next = { ...prev, ...patch, stats: replaceEqualDeep(prev.stats, patch.stats ?? prev.stats) };
      const same =
        next.stats === prev.stats && next.isLoading === prev.isLoading && next.error === prev.error;
      return same ? prev : next;
    });
  return store.watch(async () => readStats(store, conversationId), {
    next: (read) => {
      update({ stats: read.stats, isLoading: false, error: null });
    },
    error: (error) => update({ isLoading: false, error: toError(error) }),
  });
}
