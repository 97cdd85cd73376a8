// The AI SDK without React: any `Chat` over the recording transport, as its README shows.
import { loadChatMessages, SessionChatTransport } from '@ai-session-manager/ai-sdk';
import { SessionManager } from '@ai-session-manager/core';
import { Chat } from '@ai-sdk/react';
import { DefaultChatTransport } from 'ai';

export async function openChat(id: string) {
  const manager = await SessionManager.open(id, { infiniteContext: true });
  const { messages } = await loadChatMessages(id);
  const transport = new SessionChatTransport({
    manager,
    transport: new DefaultChatTransport({ api: '/api/chat' }),
  });
  return new Chat({ id, messages, transport });
}
