import { loadTokenizer } from '@ai-session-manager/core';
import { SessionProvider } from '@ai-session-manager/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { openDemoStore } from './demoStore';
import { ErrorBoundary } from './ErrorBoundary';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// Opened before the first render: a browser that refuses IndexedDB falls back to memory, and the
// sidebar says so. SessionProvider asks for persistent storage once the first conversation exists.
const storage = await openDemoStore();

createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <SessionProvider store={storage.store}>
        <App storage={storage} />
      </SessionProvider>
    </ErrorBoundary>
  </StrictMode>,
);

// Load the tokenizer's ranks (a big lazy chunk) while the page is idle, not on the first message;
// core's tokenizer worker imports them and builds the rank table off the main thread.
const whenIdle = window.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 500));
whenIdle(() => {
  void loadTokenizer('o200k_base').catch(() => undefined);
});
