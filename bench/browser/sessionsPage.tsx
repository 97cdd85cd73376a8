// useSessions over many conversations: time from mounting a sidebar-like list to the commit
// that first shows its rows, in a fresh page each run (a cold open of the app).
import { DexieSessionStore } from '@ai-session-manager/core';
import { SessionProvider, useSessions } from '@ai-session-manager/react';
import { useLayoutEffect } from 'react';
import { createRoot } from 'react-dom/client';

export interface SessionsOpen {
  ms: number;
  rows: number;
}

declare global {
  interface Window {
    openSessions(options: { dbName: string; limit?: number }): Promise<SessionsOpen>;
  }
}

function List({ limit, onRows }: { limit?: number; onRows: (rows: number) => void }) {
  const { conversations, isLoading } = useSessions(limit === undefined ? {} : { limit });
  useLayoutEffect(() => {
    if (!isLoading && conversations.length > 0) onRows(conversations.length);
  }, [isLoading, conversations, onRows]);
  return (
    <ul>
      {conversations.slice(0, 50).map((c) => (
        <li key={c.conversationId}>{String(c.metadata.title ?? c.conversationId)}</li>
      ))}
    </ul>
  );
}

window.openSessions = ({ dbName, limit }) =>
  new Promise((resolve) => {
    const store = new DexieSessionStore({ name: dbName });
    const root = createRoot(
      document.getElementById('root') ?? document.body.appendChild(document.createElement('div')),
    );
    const started = performance.now();
    let done = false;
    const onRows = (rows: number) => {
      if (done) return;
      done = true;
      resolve({ ms: performance.now() - started, rows });
    };
    root.render(
      <SessionProvider store={store}>
        <List limit={limit} onRows={onRows} />
      </SessionProvider>,
    );
  });
