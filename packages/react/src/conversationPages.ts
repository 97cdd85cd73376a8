import type { ConversationSummary, SessionStore } from '@ai-session-manager/core';
import { type ConversationListSlice, LOADING_LIST } from './conversationSlice.ts';
import { type Slot, toError } from './liveSlot.ts';
import { replaceEqualDeep } from './replaceEqualDeep.ts';

/** What useSessions returns with `{ limit }`: the newest `pages × limit` conversations, live. */
export interface PagedConversationListSlice extends ConversationListSlice {
  /** More conversations exist beyond the loaded ones. */
  hasMore: boolean;
  isLoadingMore: boolean;
  /** Show `limit` more conversations; resolves once they are shown. */
  loadMore: () => Promise<void>;
}

/**
 * The newest `count` conversations and whether there are more: `count + 1` head rows through the
 * store's index (a store that ignores `limit` still gives the right answer, only slower).
 */
export async function readConversationPage(
  store: SessionStore,
  count: number,
): Promise<{ conversations: ConversationSummary[]; hasMore: boolean }> {
  const list = await store.listConversations({ limit: count + 1 });
  return { conversations: list.length > count ? list.slice(0, count) : list, hasMore: list.length > count };
}

/**
 * Feed one paged list: a live query over the newest `count` conversations; `loadMore` replaces
 * it with one over `count + limit` (rows shown so far stay until it answers). Returns the stop function.
 */
export function startPagesFeed(
  store: SessionStore,
  limit: number,
  slot: Slot<PagedConversationListSlice>,
): () => void {
  let count = limit;
  let stop = () => {};
  let waiting: (() => void)[] = [];
  const update = (patch: Partial<PagedConversationListSlice>) =>
    slot.update((prev) => {
      const next = { ...prev, ...patch };
      next.conversations = replaceEqualDeep(prev.conversations, next.conversations);
      const same = (Object.keys(next) as (keyof PagedConversationListSlice)[]).every(
        (k) => next[k] === prev[k],
      );
      return same ? prev : next;
    });
  const settle = () => {
    const done = waiting;
    waiting = [];
    for (const resolve of done) resolve();
  };
  const watchCount = (n: number) =>
    store.watch(async () => readConversationPage(store, n), {
      next: ({ conversations, hasMore }) => {
        if (slot.isCurrent())
          update({ conversations, hasMore, isLoading: false, isLoadingMore: false, error: null });
        settle();
      },
      error: (error) => {
        if (slot.isCurrent()) update({ isLoading: false, isLoadingMore: false, error: toError(error) });
        settle();
      },
    });
  const loadMore = (): Promise<void> => {
    const current = slot.get();
    if (!slot.isCurrent() || !current || current.isLoading || !current.hasMore) return Promise.resolve();
    return new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (current.isLoadingMore) return;
      update({ isLoadingMore: true });
      count += limit;
      const previous = stop;
      stop = watchCount(count);
      previous();
    });
  };
  slot.init({ ...LOADING_LIST, hasMore: false, isLoadingMore: false, loadMore });
  stop = watchCount(count);
  return () => {
    stop();
    settle();
  };
}
