import type { ConversationSummary, SessionStore } from '@ai-session-manager/core';
import type { ConversationListSlice } from './conversationSlice';

/** What useSessions returns with `{ limit }`: the newest `pages × limit` conversations, live. */
export interface PagedConversationListSlice extends ConversationListSlice {
  /** More conversations exist beyond the loaded ones. */
  hasMore: boolean;
  isLoadingMore: boolean;
  /** Show `limit` more conversations; resolves once they are shown. */
  loadMore: () => Promise<void>;
}

/** `listConversations` paging options (newest first; `before`: only conversations updated before it). */
export interface ListPageOptions {
  limit?: number;
  before?: string;
}

type PagedList = (options?: ListPageOptions) => Promise<ConversationSummary[]>;

/**
 * The newest `count` conversations and whether there are more. Stores that page through an
 * index read `count + 1` rows; one that ignores the options still gets the right answer.
 */
export async function readConversationPage(
  store: SessionStore,
  count: number,
): Promise<{ conversations: ConversationSummary[]; hasMore: boolean }> {
  const list = await (store.listConversations as PagedList).call(store, { limit: count + 1 });
  return { conversations: list.length > count ? list.slice(0, count) : list, hasMore: list.length > count };
}
