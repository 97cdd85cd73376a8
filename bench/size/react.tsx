// A React chat on the hooks: a Provider over the default store, a sidebar and one conversation.
import {
  SessionProvider,
  useConversation,
  useSession,
  useSessionStats,
  useSessions,
} from '@ai-session-manager/react';
import type { ReactNode } from 'react';

export function App({ children }: { children: ReactNode }) {
  return <SessionProvider>{children}</SessionProvider>;
}

export function useChatScreen(conversationId?: string) {
  const session = useSession(conversationId, { infiniteContext: true });
  const { messages } = useConversation(session.conversationId);
  const { stats } = useSessionStats(session.conversationId);
  const { conversations } = useSessions();
  return { session, messages, stats, conversations };
}
