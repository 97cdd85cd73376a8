import { type SessionStats, type SessionStore, statsFromSegments } from '@ai-session-manager/core';

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
