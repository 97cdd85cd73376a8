import { InvalidInputError } from '../domain/errors.ts';
import type { Session, SessionEvent } from '../domain/types.ts';
import { objectArg } from '../domain/validate.ts';
import { getDefaultStore } from '../storage/defaultStore.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import type { ConversationDocument } from './conversationDocument.ts';
import { withNewIds } from './withNewIds.ts';

/** Validation brings zod (tens of kB): it loads on the first import, not with the app. */
const loadValidation = () => import('./validateConversationDocument.ts');

export interface ImportOptions {
  store?: SessionStore;
  /**
   * Import a copy under fresh ids (segments, events, runs, and every link between them), e.g. to
   * import a file a second time. Default false: the ids in the file are kept.
   */
  newIds?: boolean;
  /** The largest file (image, document) a message may hold, in bytes. Default 50 MiB. */
  maxAttachmentBytes?: number;
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
 * Files inline in messages are checked too (base64, the part's media type, `maxAttachmentBytes`,
 * and the bytes against the document's `attachments` list). Either way nothing is written: the
 * whole conversation goes in one atomic `importRecords`.
 * With `newIds: true` the conversation is imported under fresh ids, so a file can be imported again.
 */
export async function importConversation(doc: unknown, opts?: ImportOptions): Promise<ImportResult> {
  const options = objectArg<ImportOptions>(opts, 'options');
  if (options.newIds !== undefined && typeof options.newIds !== 'boolean') {
    throw new InvalidInputError('options.newIds must be a boolean.', 'options.newIds');
  }
  const { checkAttachments, MAX_ATTACHMENT_BYTES } = await import('./documentAttachments.ts');
  const maxBytes = options.maxAttachmentBytes ?? MAX_ATTACHMENT_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new InvalidInputError(
      'options.maxAttachmentBytes must be a non-negative integer.',
      'options.maxAttachmentBytes',
    );
  const validated = (await loadValidation()).validateConversationDocument(doc);
  await checkAttachments(validated, maxBytes);
  const parsed = options.newIds ? withNewIds(validated) : validated;
  return importDocument(options.store ?? getDefaultStore(), {
    ...parsed,
    events: parsed.events.map(notLive),
  });
}

/**
 * A reply that was streaming when the file was written has no writer here: it arrives
 * interrupted (no lease), so it can be resumed or discarded, and never blocks a rollover.
 */
function notLive(event: SessionEvent): SessionEvent {
  if (event.reply?.status !== 'streaming') return event;
  const { leaseUntil: _lease, owner: _owner, ...reply } = event.reply;
  return { ...event, reply };
}

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
