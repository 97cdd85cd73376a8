import { useEffect } from 'react';
import { useStore } from 'zustand';
import { type ConversationListSlice, LOADING_LIST } from './conversationSlice';
import { useConversationStore } from './useConversationStore';

export type UseSessionsResult = ConversationListSlice;

/** Every conversation in the store, most recently updated first, live (for a sidebar). */
export function useSessions(): UseSessionsResult {
  const store = useConversationStore('useSessions');
  useEffect(() => store.getState().retainConversationList(), [store]);
  return useStore(store, (s) => s.conversationList ?? LOADING_LIST);
}
