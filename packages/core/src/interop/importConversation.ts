import { getDefaultStore } from '../storage/defaultStore';
import type { SessionStore } from '../storage/sessionStore';
import type { Session, SessionEvent } from '../types';
import { InvalidInputError } from '../errors';
import { objectArg } from '../validate';

/** Validation (zod and the chain checks) loads on first import, not with the app. */
const loadValidation = () => import('./validateConversationDocument');

export interface ImportOptions {
  store?: SessionStore;
  /**
   * Import a copy under fresh ids (segments, events, runs, and every link between them), e.g. to
   * import a file a second time. Default false: the ids in the file are kept.
   */
  newIds?: boolean;
}

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
 * With `newIds: true` the conversation is imported under fresh ids, so a file can be imported again.
 */
export async function importConversation(doc: unknown, opts?: ImportOptions): Promise<ImportResult> {
  const options = objectArg<ImportOptions>(opts, 'options');
  if (options.newIds !== undefined && typeof options.newIds !== 'boolean') {
    throw new InvalidInputError('options.newIds must be a boolean.', 'options.newIds');
  }
  const validated = (await loadValidation()).validateConversationDocument(doc);
  const parsed = options.newIds ? (await import('./withNewIds')).withNewIds(validated) : validated;
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
