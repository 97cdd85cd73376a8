import type { SessionStore } from '@ai-session-manager/core';
import { useConversationStore } from './useConversationStore.ts';

/** The SessionProvider's SessionStore, e.g. to delete, export or import conversations. */
export function useSessionStore(): SessionStore {
  return useConversationStore('useSessionStore').getState().sessionStore;
}
