// The AI SDK's useChat on a stored conversation (the `/react` entry), as its README shows.
import { useSessionChat } from '@ai-session-manager/ai-sdk/react';
import { DefaultChatTransport } from 'ai';

const transport = new DefaultChatTransport({ api: '/api/chat' });

export const useChat = (conversationId?: string) =>
  useSessionChat({ conversationId, transport, session: { infiniteContext: true } });
