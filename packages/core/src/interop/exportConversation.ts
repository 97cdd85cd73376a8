import { SessionManagerError, SessionNotFoundError } from '../errors';
import { nowIso } from '../ids';
import { getDefaultStore } from '../storage/defaultStore';
import type { SessionStore } from '../storage/sessionStore';
import { assertNonEmptyString, objectArg } from '../validate';
import { CONVERSATION_FORMAT, CONVERSATION_VERSION, type ConversationDocument } from './conversationDocument';

const MAX_READS = 5;

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
        sessions,
        events: events.flat(),
      };
    }
  }
  throw new SessionManagerError(
    `Could not export conversation "${conversationId}": it kept changing while being read. Try again.`,
  );
}
