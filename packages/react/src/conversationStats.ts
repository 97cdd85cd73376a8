import { type SessionStats, type SessionStore, statsFromSegments } from '@ai-session-manager/core';
import { type Slot, toError } from './liveSlot';
import { replaceEqualDeep } from './replaceEqualDeep';

/** What useSessionStats returns. */
export interface StatsSlice {
  /** Null while loading or while nothing has been recorded. */
  stats: SessionStats | null;
  isLoading: boolean;
  error: Error | null;
}

export const LOADING_STATS: StatsSlice = Object.freeze({ stats: null, isLoading: true, error: null });
export const IDLE_STATS: StatsSlice = Object.freeze({ stats: null, isLoading: false, error: null });

/**
 * A conversation's stats from running totals on segment rows; no event is read.
 * `infiniteContext` is reported true once the conversation has rolled over (rows do not record the option).
 */
export async function readStats(store: SessionStore, conversationId: string): Promise<SessionStats | null> {
  let segments = await store.getSegments(conversationId);
  if (segments.length === 0) {
    // Accept any segment id, as SessionManager.open does.
    const session = await store.getSession(conversationId);
    if (session && session.rootId !== conversationId) segments = await store.getSegments(session.rootId);
  }
  return statsFromSegments(segments, { infiniteContext: segments.length > 1 });
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
    next: (stats) => update({ stats, isLoading: false, error: null }),
    error: (error) => update({ isLoading: false, error: toError(error) }),
  });
}
