import { getDefaultStore, type SessionStats } from '@ai-session-manager/core';
import { findConversation, sessionPersistence } from '@ai-session-manager/tanstack-ai';
import { useChat } from '@tanstack/ai-react';
import type { UIMessage } from '@tanstack/ai-client';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { localModelConnection } from './localModelConnection';

// TanStack AI's useChat with every message recorded in IndexedDB by sessionPersistence. The URL
// holds the thread id (#/t/<id>): reload, or open the same address in a second tab.

/** One persistence for the app: it keeps per-thread state (what it stored, the reply streaming). */
const persistence = sessionPersistence({
  session: { systemPrompt: 'You are a helpful assistant that runs offline.' },
  model: 'gpt-4o-mini',
});

function hashId(): string | undefined {
  const match = /^#\/t\/(.+)$/.exec(window.location.hash);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

export function App() {
  const [threadId, setThreadId] = useState(() => hashId() ?? crypto.randomUUID());
  useEffect(() => {
    if (hashId() !== threadId) window.history.replaceState(null, '', `#/t/${threadId}`);
    const onHash = () => setThreadId(hashId() ?? crypto.randomUUID());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [threadId]);
  // key: a new thread is a new chat (useChat keeps its client per thread id).
  return <Chat key={threadId} threadId={threadId} />;
}

function Chat({ threadId }: { threadId: string }) {
  const [lastRequest, setLastRequest] = useState<UIMessage[]>([]);
  const connection = useMemo(
    () => persistence.connection(localModelConnection({ onRequest: setLastRequest })),
    [],
  );
  const chat = useChat({ connection, persistence, threadId });
  const [draft, setDraft] = useState('');
  const stored = useStored(threadId, chat.isLoading, chat.messages);

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim() || chat.isLoading) return;
    void chat.sendMessage(draft);
    setDraft('');
  };

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 880, margin: '0 auto', padding: 16 }}>
      <h1 style={{ fontSize: 20 }}>TanStack AI useChat + ai-session-manager</h1>
      <p data-testid="stats">
        stored messages <b data-testid="stat-messages">{stored.stats?.totalMessages ?? 0}</b> · tool calls{' '}
        <b data-testid="stat-tools">{stored.stats?.toolCalls ?? 0}</b> · tokens{' '}
        <b>{stored.stats?.totalTokens ?? 0}</b> · cost $<b>{(stored.stats?.estimatedCost ?? 0).toFixed(6)}</b>{' '}
        · last reply version <b data-testid="reply-version">{stored.version}</b>{' '}
        <button type="button" onClick={() => (window.location.hash = `#/t/${crypto.randomUUID()}`)}>
          New chat
        </button>
      </p>
      <section aria-label="messages" data-testid="messages" data-loaded={stored.loaded}>
        {chat.messages.map((message) => (
          <Message key={message.id} message={message} />
        ))}
      </section>
      <form onSubmit={send} style={{ display: 'flex', gap: 8, margin: '12px 0' }}>
        <input
          data-testid="composer-input"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="Say something, ask for a story, or ask: what is 6 * 7?"
          style={{ flex: 1 }}
        />
        <button data-testid="composer-send" type="submit" disabled={chat.isLoading}>
          Send
        </button>
        {chat.isLoading ? (
          <button data-testid="composer-stop" type="button" onClick={() => chat.stop()}>
            Stop
          </button>
        ) : (
          <button
            data-testid="regenerate"
            type="button"
            disabled={!chat.messages.some((m) => m.role === 'assistant')}
            onClick={() => void chat.reload()}
          >
            Regenerate
          </button>
        )}
        <span data-testid="chat-status" data-status={chat.status}>
          {chat.status}
        </span>
      </form>
      {chat.error && <p data-testid="chat-error">{chat.error.message}</p>}
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

/**
 * What is stored for the thread, re-read whenever the chat goes idle: its stats and how many
 * versions the last reply has (regenerate keeps the old ones). `loaded`: the stored messages,
 * if any, are in the chat (useChat reads them through the persistence's getItem).
 */
function useStored(threadId: string, busy: boolean, messages: UIMessage[]) {
  const [stats, setStats] = useState<SessionStats>();
  const [version, setVersion] = useState('–');
  // Whether anything is stored for the thread: then it is loaded once the chat shows messages.
  const [exists, setExists] = useState<boolean>();
  useEffect(() => {
    let live = true;
    void findConversation(getDefaultStore(), threadId).then((id) => live && setExists(id !== undefined));
    return () => {
      live = false;
    };
  }, [threadId]);
  const loaded = exists === false || (exists === true && messages.length > 0);
  const lastReply = [...messages].reverse().find((m) => m.role === 'assistant')?.id;
  useEffect(() => {
    if (busy) return;
    let live = true;
    void (async () => {
      await persistence.flush(threadId);
      // Nothing stored yet: nothing to show (manager() would create the conversation).
      if (!(await findConversation(getDefaultStore(), threadId))) return;
      const manager = await persistence.manager(threadId);
      const events = await manager.getEvents({ includeAllSegments: true });
      // A reply's first text is the event regenerate versions (its tool calls and later texts follow it).
      const reply = events.find(
        (e) => e.metadata.tanstackMessageId === lastReply && e.metadata.tanstackUnit === 'text-0',
      );
      const alternatives = reply ? await manager.getAlternatives(reply.id) : undefined;
      const next = await manager.getStats();
      if (!live) return;
      setStats(next);
      setVersion(alternatives ? `${alternatives.activeIndex + 1}/${alternatives.versions.length}` : '–');
    })();
    return () => {
      live = false;
    };
  }, [threadId, busy, lastReply]);
  return { stats, version, loaded };
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
            <p key={i} data-testid="message-text" style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>
              {part.content}
            </p>
          );
        }
        if (part.type === 'tool-call') {
          const input = part.input as { expression?: string } | undefined;
          const output = part.output as { value?: number } | undefined;
          return (
            <p
              key={part.id}
              data-testid="tool-part"
              data-state={part.state}
              style={{ fontFamily: 'monospace' }}
            >
              {part.name}({input?.expression ?? '…'}) → {part.state === 'complete' ? output?.value : '…'}
            </p>
          );
        }
        return null;
      })}
    </article>
  );
}

function textOf(message: UIMessage): string {
  return message.parts.flatMap((p) => (p.type === 'text' ? [p.content] : [])).join('');
}
