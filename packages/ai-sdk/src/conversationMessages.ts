import { getDefaultStore, type SessionEvent, type SessionStore } from '@ai-session-manager/core';
import { replyStatus } from '@ai-session-manager/core/chat';
import type { UIMessage } from 'ai';
import { storedUIMessages, UI_MESSAGE_ID } from './storedUIMessages.ts';

export interface StoredChat<M extends UIMessage = UIMessage> {
  /**
   * Every segment's messages on the active branch, oldest first, as UIMessages for
   * `useChat({ messages })`; a reply still streaming (or left so by a closed tab) shows its text so far.
   */
  messages: M[];
  /** The events they come from. */
  events: SessionEvent[];
  /** The conversation (root segment) id; undefined while nothing is stored. */
  conversationId: string | undefined;
  /**
   * Ids of the messages among `messages` whose reply was cut off: the tab writing it closed
   * mid-reply (its lease ran out). Their text is what was saved; show them as interrupted.
   */
  interrupted: string[];
}

/** A stored conversation (any of its segment ids) as UIMessages; empty when nothing is stored. */
export async function loadChatMessages<M extends UIMessage = UIMessage>(
  id: string,
  { store = getDefaultStore() }: { store?: SessionStore } = {},
): Promise<StoredChat<M>> {
  return readChat<M>(store, id, new Map());
}

/**
 * Follow a stored conversation live: `next` gets its messages now and after every write to it,
 * from this or any other tab. Closed segments never change, so each is read once.
 * Returns the unsubscribe.
 */
export function watchChatMessages<M extends UIMessage = UIMessage>(
  id: string,
  observer: { next: (chat: StoredChat<M>) => void; error?: (error: unknown) => void },
  { store = getDefaultStore() }: { store?: SessionStore } = {},
): () => void {
  const closed = new Map<string, SessionEvent[]>();
  return store.watch(() => readChat<M>(store, id, closed), observer);
}

async function readChat<M extends UIMessage>(
  store: SessionStore,
  id: string,
  closed: Map<string, SessionEvent[]>,
): Promise<StoredChat<M>> {
  const session = await store.getSession(id);
  if (!session) return { messages: [], events: [], conversationId: undefined, interrupted: [] };
  const segments = await store.getSegments(session.rootId);
  const perSegment = await Promise.all(
    segments.map(async (segment, i) => {
      const isHead = i === segments.length - 1;
      const cached = isHead ? undefined : closed.get(segment.id);
      if (cached) return cached;
      const events = await store.getEvents(segment.id);
      if (!isHead) closed.set(segment.id, events);
      return events;
    }),
  );
  const events = perSegment.flat();
  const activeLeafId = segments[segments.length - 1]?.state.activeLeafId;
  const messages = storedUIMessages<M>(events, {
    includeUnfinished: true,
    ...(typeof activeLeafId === 'string' ? { activeLeafId } : {}),
  });
  return { messages, events, conversationId: session.rootId, interrupted: interruptedIds(messages, events) };
}

function interruptedIds(messages: readonly UIMessage[], events: readonly SessionEvent[]): string[] {
  const now = Date.now();
  const cut = new Set<string>();
  for (const e of events) {
    const id = e.metadata[UI_MESSAGE_ID];
    if (typeof id === 'string' && replyStatus(e, now) === 'interrupted') cut.add(id);
  }
  return messages.filter((m) => cut.has(m.id)).map((m) => m.id);
}
