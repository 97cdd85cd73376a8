import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { IDLE_SLICE, LOADING_SLICE, selectConversation } from './conversationSlice';
import { useConversationStore } from './useConversationStore';

export interface UseConversationOptions {
  /** false: only the current (newest) segment's messages and events. Default true. */
  includeAllSegments?: boolean;
}

export type UseConversationResult = ReturnType<typeof selectConversation>;

/**
 * A conversation's messages, events (tool calls, summaries) and segments, live: it updates on
 * writes from any component, store instance or tab, and only when this conversation changes.
 */
export function useConversation(
  conversationId: string | null | undefined,
  { includeAllSegments = true }: UseConversationOptions = {},
): UseConversationResult {
  const store = useConversationStore('useConversation');
  useEffect(
    () => (conversationId ? store.getState().retainConversation(conversationId) : undefined),
    [store, conversationId],
  );
  return useStore(
    store,
    useShallow((s) => {
      const slice = conversationId ? (s.conversations[conversationId] ?? LOADING_SLICE) : IDLE_SLICE;
      return selectConversation(slice, includeAllSegments);
    }),
  );
}
