// A Vite react-ts app's use of @ai-session-manager/ai-sdk, compiled from its TypeScript source.
import { loadChatMessages, SessionChatTransport } from '@ai-session-manager/ai-sdk';
import { useSessionChat } from '@ai-session-manager/ai-sdk/react';
import { MemorySessionStore, SessionManager } from '@ai-session-manager/core';
import { DefaultChatTransport } from 'ai';

const store = new MemorySessionStore();
const transport = new DefaultChatTransport({ api: '/api/chat' });

export function AiSdkChat({ conversationId }: { conversationId?: string }) {
  const chat = useSessionChat({ conversationId, transport, store, session: { infiniteContext: true } });
  return (
    <div>
      {chat.messages.map((m) => (
        <p key={m.id}>{m.parts.map((p) => (p.type === 'text' ? p.text : '')).join('')}</p>
      ))}
      <button type="button" onClick={() => void chat.sendMessage({ text: 'hi' })}>
        Send
      </button>
    </div>
  );
}

export async function openChat(id: string): Promise<SessionChatTransport> {
  const manager = await SessionManager.open(id, { store });
  const { messages } = await loadChatMessages(id, { store });
  const chatTransport = new SessionChatTransport({ manager, transport });
  chatTransport.recorder.markStored(messages);
  return chatTransport;
}
