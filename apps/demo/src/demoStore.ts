import { DexieSessionStore } from '@ai-session-manager/core';

/** The demo's own IndexedDB database, shared by the Provider, export, import and delete. */
export const store = new DexieSessionStore({ name: 'ai-session-manager-demo' });
