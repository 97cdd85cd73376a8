import { useContext } from 'react';
import type { ConversationStore } from './conversationStore.ts';
import { SessionContext } from './sessionContext.ts';

/** The nearest SessionProvider's store; `hookName` makes the missing-Provider error point at the caller. */
export function useConversationStore(hookName = 'useConversationStore'): ConversationStore {
  const store = useContext(SessionContext);
  if (!store) {
    throw new Error(
      `${hookName} must be used inside a <SessionProvider>. Wrap your app (or this component) in ` +
        '<SessionProvider> from @ai-session-manager/react.',
    );
  }
  return store;
}
