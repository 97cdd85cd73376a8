import { type OpenedSessionStore, openSessionStore } from '@ai-session-manager/core';

/**
 * The demo's own IndexedDB database, shared by the Provider, export, import and delete. Opened
 * before the first render, so a browser that refuses IndexedDB here (an old Firefox private
 * window, a blocked site) is known at once: the demo then keeps conversations in memory and says so.
 */
export function openDemoStore(): Promise<OpenedSessionStore> {
  return openSessionStore({ name: 'ai-session-manager-demo', fallback: 'memory' });
}
