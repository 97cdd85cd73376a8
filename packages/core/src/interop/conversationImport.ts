// importConversation's write (see importConversation.ts), loaded on first use with onDemand.ts.
import type { SessionStore } from '../storage/sessionStore.ts';
import type { Session, SessionEvent } from '../domain/types.ts';
import type { ConversationDocument } from './conversationDocument.ts';
import type { ImportResult } from './importConversation.ts';

/** Write a validated document in one atomic `importRecords`: segments in chain order, events in seq order. */
export async function importDocument(
  store: SessionStore,
  parsed: ConversationDocument,
): Promise<ImportResult> {
  const sessions: Session[] = [...parsed.sessions].sort((a, b) => a.segmentIndex - b.segmentIndex);
  const index = new Map(sessions.map((s, i) => [s.id, i]));
  const events: SessionEvent[] = [...parsed.events].sort(
    (a, b) => index.get(a.sessionId)! - index.get(b.sessionId)! || a.seq - b.seq,
  );
  await store.importRecords(sessions, events);
  return {
    conversationId: parsed.conversationId,
    headSessionId: sessions[sessions.length - 1]!.id,
    sessions: sessions.length,
    events: events.length,
  };
}
