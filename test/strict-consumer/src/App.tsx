// A Vite react-ts app's use of both packages, compiled from their TypeScript source.
import {
  exportConversation,
  fromUIMessages,
  MemorySessionStore,
  SessionManager,
  toOpenAIMessages,
} from '@ai-session-manager/core';
import { SessionProvider, useConversation, useSession, useSessionStats } from '@ai-session-manager/react';

const store = new MemorySessionStore();

function Chat() {
  const session = useSession();
  const { messages } = useConversation(session.conversationId);
  const { stats } = useSessionStats(session.conversationId);
  return (
    <div>
      <p>{stats?.totalTokens ?? 0} tokens</p>
      {messages.map((m) => (
        <p key={m.timestamp}>{m.content}</p>
      ))}
      <button type="button" onClick={() => void session.userSays('hi')}>
        Send
      </button>
    </div>
  );
}

export function App() {
  return (
    <SessionProvider store={store}>
      <Chat />
    </SessionProvider>
  );
}

export async function roundTrip(): Promise<number> {
  const sm = new SessionManager({ store });
  await sm.userSays('q');
  const copy = await fromUIMessages([{ role: 'user', parts: [{ type: 'text', text: 'q' }] }], { store });
  await exportConversation(sm.conversationId, { store });
  return toOpenAIMessages(await copy.getEvents()).length;
}
