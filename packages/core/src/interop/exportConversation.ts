import { InvalidInputError, SessionManagerError, SessionNotFoundError } from '../domain/errors.ts';
import { nowIso } from '../domain/ids.ts';
import { checkedScrubber, type Scrubber, scrubRecord } from '../domain/scrubSecrets.ts';
import type { Session, SessionEvent } from '../domain/types.ts';
import { assertNonEmptyString, objectArg } from '../domain/validate.ts';
import { getDefaultStore } from '../storage/defaultStore.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import {
  CONVERSATION_FORMAT,
  CONVERSATION_VERSION,
  type ConversationDocument,
} from './conversationDocument.ts';

export interface ExportOptions {
  store?: SessionStore;
  /**
   * Applied to every message text (summaries too), reply abort reason, tool call error, and the
   * top-level string values of each event's and segment's metadata, e.g. to clean rows written
   * before the manager had a `scrub` option. Tool arguments and results are left as they are.
   */
  scrub?: Scrubber;
  /**
   * Include the files (images, documents) inside the document as data URLs. Default true. false:
   * they are listed (hash, media type, size) and their parts reference them by hash, so the file
   * stays small; an import then shows them only where the store already has those bytes.
   */
  attachments?: boolean;
}

/**
 * Every segment and event of the conversation that `id` (any of its segment ids) belongs to,
 * as a plain-JSON document that importConversation reads back exactly (unless `scrub` changed it).
 */
export async function exportConversation(id: string, opts?: ExportOptions): Promise<ConversationDocument> {
  assertNonEmptyString(id, 'conversationId');
  const options = objectArg<ExportOptions>(opts, 'options');
  const scrub = checkedScrubber(options.scrub, 'options.scrub');
  if (options.attachments !== undefined && typeof options.attachments !== 'boolean')
    throw new InvalidInputError('options.attachments must be a boolean.', 'options.attachments');
  const store = options.store ?? getDefaultStore();
  const { withAttachmentList } = await loadFiles();
  const doc = await withAttachmentList(
    await readConversationDocument(store, id),
    options.attachments ?? true,
  );
  if (!scrub) return doc;
  const sessions = doc.sessions.map((s) => ({ ...s, metadata: scrubRecord(s.metadata, scrub) }));
  return { ...doc, sessions, events: doc.events.map((e) => scrubEvent(e, scrub)) };
}

/** `event` with its text fields scrubbed (see ExportOptions.scrub). */
function scrubEvent(event: SessionEvent, scrub: Scrubber): SessionEvent {
  const out: SessionEvent = { ...event, metadata: scrubRecord(event.metadata, scrub) };
  const { message } = event;
  if (typeof message === 'string') out.message = scrub(message);
  else if (isToolCall(message) && typeof message.error === 'string') {
    out.message = { ...message, error: scrub(message.error) };
  }
  if (event.reply?.abortReason !== undefined) {
    out.reply = { ...event.reply, abortReason: scrub(event.reply.abortReason) };
  }
  return out;
}

function isToolCall(message: unknown): message is { error: unknown } {
  return typeof message === 'object' && message !== null && 'error' in message;
}

const MAX_READS = 5;

/** Hashing files loads with the first export, not with the app. */
const loadFiles = () => import('./documentAttachments.ts');

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
