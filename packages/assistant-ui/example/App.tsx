import { useSessionThreadListRuntime } from '@ai-session-manager/assistant-ui';
import { DexieSessionStore } from '@ai-session-manager/core';
import { AssistantRuntimeProvider } from '@assistant-ui/react';
import { useState } from 'react';
import { localModel } from './localModel';
import { Thread } from './Thread';
import { ThreadList } from './ThreadList';

// One database of its own, so the list shows this example's threads only.
const store = new DexieSessionStore({ name: 'assistant-ui-example' });
const params = new URLSearchParams(location.search);
const chatModel = localModel({ delayMs: Number(params.get('delay') ?? 40) });

/** The open thread lives in the URL (?thread=<conversation id>), so a reload comes back to it. */
function useThreadParam(): [string | undefined, (id: string | undefined) => void] {
  const [threadId, setThreadId] = useState(() => params.get('thread') ?? undefined);
  const update = (id: string | undefined) => {
    setThreadId(id);
    const url = new URL(location.href);
    if (id) url.searchParams.set('thread', id);
    else url.searchParams.delete('thread');
    history.replaceState(null, '', url);
  };
  return [threadId, update];
}

export function App() {
  const [threadId, setThreadId] = useThreadParam();
  const runtime = useSessionThreadListRuntime({ chatModel, store, threadId, onThreadIdChange: setThreadId });
  return (
    <AssistantRuntimeProvider runtime={runtime}>
      <div className="layout">
        <aside>
          <h1>assistant-ui + ai-session-manager</h1>
          <ThreadList />
        </aside>
        <main>
          <Thread />
        </main>
      </div>
    </AssistantRuntimeProvider>
  );
}
