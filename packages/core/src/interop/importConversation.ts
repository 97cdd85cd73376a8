import { getDefaultStore } from '../storage/defaultStore';
import type { SessionStore } from '../storage/sessionStore';
import type { Session, SessionEvent } from '../types';

/** Validation (zod and the chain checks) loads on first import, not with the app. */
const loadValidation = () => import('./validateConversationDocument');

export interface ImportResult {
  conversationId: string;
  /** The newest segment: where recording continues. */
  headSessionId: string;
  sessions: number;
  events: number;
}

/**
 * Write an exported conversation (the document, or its JSON text) into the store. Invalid
 * documents are refused with an InvalidInputError whose `path` names the failing field
 * (e.g. `events[3].sessionId`); ids that already exist in the store give DuplicateIdError.
 * Either way nothing is written: the whole conversation goes in one atomic `importRecords`.
 */
export async function importConversation(
  doc: unknown,
  options: { store?: SessionStore } = {},
): Promise<ImportResult> {
  const parsed = (await loadValidation()).validateConversationDocument(doc);
  const store = options.store ?? getDefaultStore();
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
