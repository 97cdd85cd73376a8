// Messages are stored before their text is counted when the tokenizer is still loading (the
// first messages of a page), so a tab closed in that window loses nothing. The count follows:
// at once in the writing manager, or, for what a closed tab left, when a manager next opens the
// conversation (the head row counts the events still waiting).
import { ReplyStateError } from '../domain/errors.ts';
import type { Session, SessionEvent } from '../domain/types.ts';
import { finalUsage } from '../pricing/messageUsage.ts';
import { pendingCounts } from '../storage/chainWrites.ts';
import type { SessionStore } from '../storage/sessionStore.ts';

/** Fill in the count of `event` (stored with a pending usage) and its totals. Resolves to the event as stored. */
export async function fillPendingCount(store: SessionStore, event: SessionEvent): Promise<SessionEvent> {
  const role = event.source === 'user' ? 'user' : 'llm';
  const text = typeof event.message === 'string' ? event.message : JSON.stringify(event.message);
  const tokenUsage = await finalUsage(role, text, event.tokenUsage!, event.parts);
  return store.updateEvent(event.id, { tokenUsage }, { fillPending: true });
}

/**
 * Fill in what a closed tab left, when the head says some counts are pending: in the head and
 * the segment before it (a rollover right after such a message closes that one). Another tab
 * filling the same event first is no error.
 */
export async function finishPendingCounts(store: SessionStore, head: Session): Promise<void> {
  if (!pendingCounts(head)) return;
  const segments = head.parentId ? [head.parentId, head.id] : [head.id];
  for (const id of segments) {
    for (const event of await store.getEvents(id)) {
      if (!event.tokenUsage?.pending) continue;
      await fillPendingCount(store, event).catch((error: unknown) => {
        if (!(error instanceof ReplyStateError)) throw error;
      });
    }
  }
}
