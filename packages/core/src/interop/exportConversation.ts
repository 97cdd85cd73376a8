import { getDefaultStore } from '../storage/defaultStore.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import { assertNonEmptyString, objectArg } from '../domain/validate.ts';
import type { ConversationDocument } from './conversationDocument.ts';

/** The reads (conversationExport.ts) load on first use, so apps that never export do not download them. */
const loadExport = () => import('../onDemand.ts');

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
