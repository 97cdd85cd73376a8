// TanStack AI's useChat persisted through sessionPersistence, as its README shows.
import { sessionPersistence } from '@ai-session-manager/tanstack-ai';
import { fetchServerSentEvents } from '@tanstack/ai-client';
import { useChat as useTanStackChat } from '@tanstack/ai-react';

const persistence = sessionPersistence({ session: { systemPrompt: 'You are helpful.' } });
const connection = persistence.connection(fetchServerSentEvents('/api/chat'));

export const useChat = (threadId: string) => useTanStackChat({ connection, persistence, threadId });
