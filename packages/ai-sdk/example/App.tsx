import { useSessionChat } from '@ai-session-manager/ai-sdk/react';
import { useSessionStats } from '@ai-session-manager/react';
import type { UIMessage } from 'ai';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { localModelTransport } from './localModelTransport';

// useChat (through useSessionChat) with every message recorded in IndexedDB. The URL holds the
// conversation id (#/c/<id>): reload, or open the same address in a second tab. `?turns=N` sets
// the messages per segment (default 6) so a rollover comes quickly.

const params = new URLSearchParams(window.location.search);
const session = {
  infiniteContext: true,
  maxTurnsPerSegment: Number(params.get('turns')) || 6,
  systemPrompt: 'You are a helpful assistant that runs offline.',
};

function hashId(): string | undefined {
  const match = /^#\/c\/(.+)$/.exec(window.location.hash);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

export function App() {
  const [conversationId, setConversationId] = useState(hashId);
  const [lastRequest, setLastRequest] = useState<UIMessage[]>([]);
  const transport = useMemo(() => localModelTransport({ onRequest: setLastRequest }), []);
  const chat = useSessionChat({ conversationId, transport, session });
  const { stats } = useSessionStats(chat.conversationId);
  const [draft, setDraft] = useState('');

  useEffect(() => {
    const onHash = () => setConversationId(hashId());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // A new chat's id is known before anything is written: put it in the URL at once.
  useEffect(() => {
    if (hashId() !== chat.conversationId) window.history.replaceState(null, '', `#/c/${chat.conversationId}`);
  }, [chat.conversationId]);

  const busy = chat.status === 'submitted' || chat.status === 'streaming';
  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim() || busy) return;
    void chat.sendMessage({ text: draft });
    setDraft('');
  };

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 880, margin: '0 auto', padding: 16 }}>
      <h1 style={{ fontSize: 20 }}>useChat + ai-session-manager</h1>
      <p data-testid="stats">
        segments <b data-testid="stat-segments">{stats?.sessionSegments ?? 1}</b> · messages{' '}
        <b data-testid="stat-messages">{stats?.totalMessages ?? 0}</b> · tool calls{' '}
        <b data-testid="stat-tools">{stats?.toolCalls ?? 0}</b> · tokens <b>{stats?.totalTokens ?? 0}</b> ·
        cost $<b>{(stats?.estimatedCost ?? 0).toFixed(6)}</b>{' '}
        <button type="button" onClick={() => (window.location.hash = '')}>
          New chat
        </button>
      </p>
      <section aria-label="messages" data-testid="messages" data-loading={chat.isLoading}>
        {chat.messages.map((message) => (
          <Message key={message.id} message={message} />
        ))}
      </section>
      <form onSubmit={send} style={{ display: 'flex', gap: 8, margin: '12px 0' }}>
        <input
          data-testid="composer-input"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="Say something, or ask: what is 6 * 7?"
          style={{ flex: 1 }}
        />
        <button data-testid="composer-send" type="submit" disabled={busy}>
          Send
        </button>
        {busy && (
          <button data-testid="composer-stop" type="button" onClick={() => void chat.stop()}>
            Stop
          </button>
        )}
        <span data-testid="chat-status" data-status={chat.status}>
          {chat.status}
        </span>
      </form>
      {chat.error && <p data-testid="chat-error">{chat.error.message}</p>}
      {chat.storageError && <p data-testid="storage-error">{chat.storageError.message}</p>}
      <details open>
        <summary>Last request to the model ({lastRequest.length} messages)</summary>
        <ol data-testid="request">
          {lastRequest.map((m) => (
            <li key={m.id} data-testid="request-message" data-role={m.role}>
              <b>{m.role}</b>: {textOf(m)}
            </li>
          ))}
        </ol>
      </details>
    </main>
  );
}

function Message({ message }: { message: UIMessage }) {
  return (
    <article
      data-testid="message"
      data-role={message.role}
      style={{ margin: '8px 0', padding: 8, background: message.role === 'user' ? '#eef' : '#f4f4f4' }}
    >
      <b>{message.role}</b>
      {message.parts.map((part, i) => {
        if (part.type === 'text') {
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts have no ids and never reorder
            <p key={i} data-testid="message-text" style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>
              {part.text}
            </p>
          );
        }
        if (part.type === 'tool-calculator') {
          const input = part.input as { expression?: string } | undefined;
          const output = part.output as { value?: number } | undefined;
          return (
            <p
              key={part.toolCallId}
              data-testid="tool-part"
              data-state={part.state}
              style={{ fontFamily: 'monospace' }}
            >
              calculator({input?.expression ?? '…'}) →{' '}
              {part.state === 'output-available'
                ? output?.value
                : part.state === 'output-error'
                  ? part.errorText
                  : '…'}
            </p>
          );
        }
        return null;
      })}
    </article>
  );
}

function textOf(message: UIMessage): string {
  return message.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
}
