import { useEffect } from 'react';
import { useStore } from 'zustand';
import { IDLE_STATS, LOADING_STATS, type StatsSlice } from './conversationStats.ts';
import { useConversationStore } from './useConversationStore.ts';

export type UseSessionStatsResult = StatsSlice;

/** Live SessionStats of a whole conversation, from running totals on segment rows (no event is read). */
export function useSessionStats(conversationId: string | null | undefined): UseSessionStatsResult {
  const store = useConversationStore('useSessionStats');
  useEffect(
    () => (conversationId ? store.getState().retainStats(conversationId) : undefined),
    [store, conversationId],
  );
  return useStore(store, (s) => (conversationId ? (s.stats[conversationId] ?? LOADING_STATS) : IDLE_STATS));
}
