import { getDefaultStore } from '../storage/defaultStore';
import type { SessionStore } from '../storage/sessionStore';
import { assertNonEmptyString, objectArg } from '../validate';
import type { ConversationDocument } from './conversationDocument';

/** The reads (conversationExport.ts) load on first use, so apps that never export do not download them. */
const loadExport = () => import('../onDemand');

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
  return (await loadExport()).readConversationDocument(store, id);
}
