import { DexieSessionStore, type SessionEvent, type SessionStore } from '@ai-session-manager/core';
import { type SessionPersistence, sessionPersistence, THREAD_ID } from '@ai-session-manager/tanstack-ai';
import { ChatClient, type UIMessage } from '@tanstack/ai-client';
import { expect, vi } from 'vitest';
import { type ScriptedReply, scriptedConnection } from './scriptedModel';

let dbCounter = 0;
/** A fresh IndexedDB (fake-indexeddb) store per test. */
export const newStore = () => new DexieSessionStore({ name: `tanstack-ai-${Date.now()}-${++dbCounter}` });

/** A ChatClient on `threadId` persisted by `persistence`, answered by a scripted model. */
export function chat(
  persistence: SessionPersistence,
  threadId: string,
  answer: (messages: UIMessage[]) => ScriptedReply,
) {
  const connection = scriptedConnection(answer);
  const client = new ChatClient({ connection: persistence.connection(connection), persistence, threadId });
  return { client, connection };
}

/** What a chat shows, as plain JSON (createdAt as ISO text). */
export const plain = (messages: readonly UIMessage[]) => JSON.parse(JSON.stringify(messages));

/** The text of each message, in order. */
export const texts = (messages: readonly UIMessage[]) =>
  messages.map((m) => m.parts.flatMap((p) => (p.type === 'text' ? [p.content] : [])).join(''));

export async function storedEvents(store: SessionStore, threadId: string): Promise<SessionEvent[]> {
  const segments = await store.getSegments(threadId);
  return (await Promise.all(segments.map((s) => store.getEvents(s.id)))).flat();
}

/** The stored conversations that record `threadId`. */
export async function threadConversations(store: SessionStore, threadId: string) {
  return (await store.listConversations()).filter(
    (c) => c.conversationId === threadId || c.metadata[THREAD_ID] === threadId,
  );
}

/** A chat restored from the store in a new "tab": a new persistence and ChatClient on the same thread. */
export async function reopen(
  store: SessionStore,
  threadId: string,
  answer: (messages: UIMessage[]) => ScriptedReply = () => ({ text: 'again' }),
  onError?: (error: unknown) => void,
) {
  const persistence = sessionPersistence({ store, ...(onError ? { onError } : {}) });
  const { client } = chat(persistence, threadId, answer);
  const stored = await persistence.getItem(threadId);
  await vi.waitFor(() => expect(client.getMessages().length).toBe(stored?.messages.length ?? 0));
  return { client, persistence };
}
