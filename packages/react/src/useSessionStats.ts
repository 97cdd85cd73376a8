import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { IDLE_SLICE, LOADING_SLICE, selectStats } from './conversationSlice';
import { useConversationStore } from './useConversationStore';

export type UseSessionStatsResult = ReturnType<typeof selectStats>;

/** Live SessionStats of a whole conversation, from its segments' running totals (no event scan). */
export function useSessionStats(conversationId: string | null | undefined): UseSessionStatsResult {
  const store = useConversationStore('useSessionStats');
  useEffect(
    () => (conversationId ? store.getState().retainConversation(conversationId) : undefined),
    [store, conversationId],
  );
  return useStore(
    store,
    useShallow((s) =>
      selectStats(conversationId ? (s.conversations[conversationId] ?? LOADING_SLICE) : IDLE_SLICE),
    ),
  );
}
