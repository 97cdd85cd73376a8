import type { SessionStore } from '@ai-session-manager/core';

// Rewriting an event in place (updateEvent) writes only the event row, but other tabs follow a
// thread by watching its head segment row. After such a rewrite the head row is written again
// with an empty patch: it changes nothing but the row's updatedAt (computed from the row as
// stored), so no field another tab writes meanwhile (title, archived, selection, runs) is lost.

/** Make the head segment row of `conversationId` change, so watchers of it read the thread again. */
export async function touchHead(store: SessionStore, conversationId: string): Promise<void> {
  const head = await store.getHead(conversationId);
  if (!head) return;
  // updatedAt has millisecond precision and a write in the millisecond of the previous one
  // leaves it as it was (watchers would see no change): write again a moment later.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const row = await store.patchSession(head.id, () => ({}));
    if (row.updatedAt !== head.updatedAt) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
