import { SessionManagerError, SessionNotFoundError } from '../domain/errors.ts';
import { nowIso } from '../domain/ids.ts';
import type { Session } from '../domain/types.ts';
import { assertNonEmptyString, objectArg } from '../domain/validate.ts';
import { getDefaultStore } from '../storage/defaultStore.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import {
  CONVERSATION_FORMAT,
  CONVERSATION_VERSION,
  type ConversationDocument,
} from './conversationDocument.ts';

/**
 * Every segment and event of the conversation that `id` (any of its segment ids) belongs to,
 * as a plain-JSON document that importConversation reads back exactly.
 */
export async function exportConversation(
  id: string,
  opts?: { store?: SessionStore },
): Promise<ConversationDocument> {
  assertNonEmptyString(id, 'conversationId');
  const options = objectArg<{ store?: SessionStore }>(opts, 'options');
  const store = options.store ?? getDefaultStore();
  return readConversationDocument(store, id);
}

const MAX_READS = 5;

/** The document of the conversation that `id` (any of its segment ids) belongs to, read from `store`. */
export async function readConversationDocument(
  store: SessionStore,
  id: string,
): Promise<ConversationDocument> {
  const session = await store.getSession(id);
  if (!session) throw new SessionNotFoundError(id);
  const conversationId = session.rootId;
  for (let read = 0; read < MAX_READS; read++) {
    const sessions = await store.getSegments(conversationId);
    const events = await Promise.all(sessions.map((s) => store.getEvents(s.id)));
    // A write landing between the two reads would leave totals and events disagreeing: read again.
    if (events.every((list, i) => list.length === sessions[i]!.totals.events)) {
      return {
        format: CONVERSATION_FORMAT,
        version: CONVERSATION_VERSION,
        conversationId,
        exportedAt: nowIso(),
        sessions: sessions.map(withoutHeadBookkeeping),
        events: events.flat(),
      };
    }
  }
  throw new SessionManagerError(
    `Could not export conversation "${conversationId}": it kept changing while being read. Try again.`,
  );
}

/**
 * The head's list marker and carried totals are the store's bookkeeping, derived from the
 * segments (import recomputes them), so a document holds only the conversation itself.
 */
function withoutHeadBookkeeping(session: Session): Session {
  const { headAt: _headAt, priorTotals: _priorTotals, ...row } = session;
  return row;
}
