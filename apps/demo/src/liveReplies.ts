import type { ResponseStream } from '@ai-session-manager/core';

/** A reply this tab is streaming, and how to stop it. */
export interface LiveReply {
  /** The conversation it is written to (a fork's, after a regenerate that forked). */
  conversationId: string;
  /** null until the first chunk arrives (nothing is recorded before it). */
  reply: ResponseStream | null;
  /** A reasoning model's thinking so far (shown above the reply while it streams). */
  reasoning?: string;
  stop(): void;
}

// Module state, not React state: a reply keeps streaming (and can be stopped) when the view
// that started it is replaced, e.g. after a regenerate or edit opened a forked conversation.
const live = new Set<LiveReply>();
const listeners = new Set<() => void>();
let snapshot: readonly LiveReply[] = [];

function changed(): void {
  snapshot = [...live];
  for (const listener of listeners) listener();
}

export const liveReplies = {
  add(entry: LiveReply): void {
    live.add(entry);
    changed();
  },
  update(): void {
    changed();
  },
  remove(entry: LiveReply): void {
    if (live.delete(entry)) changed();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  snapshot(): readonly LiveReply[] {
    return snapshot;
  },
};
