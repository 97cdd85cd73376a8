import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { PagedConversationListSlice } from './conversationPages.ts';
import { type ConversationListSlice, LOADING_LIST } from './conversationSlice.ts';
import { useConversationStore } from './useConversationStore.ts';

export type UseSessionsResult = ConversationListSlice;
export type UseSessionsPagedResult = PagedConversationListSlice;

export interface UseSessionsOptions {
  /** Page size: list the newest `limit` conversations and `loadMore()` the next `limit`. */
  limit?: number;
}

const LOADING_PAGES: PagedConversationListSlice = Object.freeze({
  ...LOADING_LIST,
  hasMore: false,
  isLoadingMore: false,
  loadMore: () => Promise.resolve(),
});

/**
 * Conversations in the store, most recently updated first, live (for a sidebar). With
 * `{ limit }` only the newest `limit` are read, and `loadMore()` shows `limit` more.
 */
export function useSessions(options: UseSessionsOptions & { limit: number }): UseSessionsPagedResult;
export function useSessions(options?: UseSessionsOptions): UseSessionsResult;
export function useSessions({ limit }: UseSessionsOptions = {}): UseSessionsResult | UseSessionsPagedResult {
  const store = useConversationStore('useSessions');
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new RangeError(`useSessions: \`limit\` must be a positive integer, got ${String(limit)}.`);
  }
  useEffect(() => {
    const state = store.getState();
    return limit === undefined ? state.retainConversationList() : state.retainConversationPages(limit);
  }, [store, limit]);
  return useStore(store, (s) =>
    limit === undefined
      ? (s.conversationList ?? LOADING_LIST)
      : (s.conversationPages[String(limit)] ?? LOADING_PAGES),
  );
}
