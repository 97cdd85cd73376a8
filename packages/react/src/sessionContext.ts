import { createContext } from 'react';
import type { ConversationStore } from './conversationStore.ts';

/** The Provider's zustand store; null outside a SessionProvider. */
export const SessionContext = createContext<ConversationStore | null>(null);
SessionContext.displayName = 'SessionContext';
