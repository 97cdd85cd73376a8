import { getDefaultStore } from '../storage/defaultStore.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import { InvalidInputError } from '../domain/errors.ts';
import { objectArg } from '../domain/validate.ts';

/** Validation (zod and the chain checks) loads on first import, not with the app. */
const loadValidation = () => import('./validateConversationDocument.ts');
/** So do the renaming (withNewIds.ts) and the write (conversationImport.ts), with onDemand. */
const loadImport = () => import('../onDemand.ts');

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
  const { withNewIds, importDocument } = await loadImport();
  const parsed = options.newIds ? withNewIds(validated) : validated;
  return importDocument(options.store ?? getDefaultStore(), parsed);
}
