import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { IDLE_SLICE, LOADING_SLICE, selectConversation } from './conversationSlice.ts';
import { windowKey } from './conversationStore.ts';
import { type ConversationWindowSlice, loadingWindow } from './conversationWindow.ts';
import { useConversationStore } from './useConversationStore.ts';

export interface UseConversationOptions {
  /** false: only the current (newest) segment's messages and events. Default true. Ignored with `window`. */
  includeAllSegments?: boolean;
  /**
   * Keep only the newest `window` events (across segments) loaded and live; older events come
   * `pageSize` at a time with `loadOlder()`. Default: no window, every event of every segment.
   */
  window?: number;
  /** Events per `loadOlder()` page. Default: `window`. */
  pageSize?: number;
}

export type UseConversationResult = ReturnType<typeof selectConversation>;

/** useConversation with `{ window }`: the loaded events plus paging state. */
export type UseConversationWindowResult = ConversationWindowSlice;

const IDLE_WINDOW = loadingWindow(() => Promise.resolve(), false);
const LOADING_WINDOW = loadingWindow(() => Promise.resolve());

/**
 * A conversation's messages, events (tool calls, summaries) and segments, live: it updates on
 * writes from any component, store instance or tab, and only when this conversation changes.
 * With `{ window: N }` it reads only the newest N events (walking segments back from the head)
 * and pages older ones in on demand with `loadOlder()`.
 */
export function useConversation(
  conversationId: string | null | undefined,
  options: UseConversationOptions & { window: number },
): UseConversationWindowResult;
export function useConversation(
  conversationId: string | null | undefined,
  options?: UseConversationOptions,
): UseConversationResult;
export function useConversation(
  conversationId: string | null | undefined,
  { includeAllSegments = true, window, pageSize }: UseConversationOptions = {},
): UseConversationResult | UseConversationWindowResult {
  const store = useConversationStore('useConversation');
  const size = window === undefined ? undefined : positive(window, 'window');
  const page = size === undefined ? undefined : positive(pageSize ?? size, 'pageSize');
  useEffect(() => {
    if (!conversationId) return undefined;
    const state = store.getState();
    return size === undefined
      ? state.retainConversation(conversationId)
      : state.retainWindow(conversationId, size, page);
  }, [store, conversationId, size, page]);
  return useStore(
    store,
    useShallow((s): UseConversationResult | UseConversationWindowResult => {
      if (size !== undefined) {
        return conversationId
          ? (s.windows[windowKey(conversationId, size, page)] ?? LOADING_WINDOW)
          : IDLE_WINDOW;
      }
      const slice = conversationId ? (s.conversations[conversationId] ?? LOADING_SLICE) : IDLE_SLICE;
      return selectConversation(slice, includeAllSegments);
    }),
  );
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`useConversation: \`${name}\` must be a positive integer, got ${String(value)}.`);
  }
  return value;
}
