import { InvalidInputError } from '../domain/errors.ts';
import { guard } from '../domain/validate.ts';
import { checkConversation } from './conversationChecks.ts';
import { withReservedFields } from '../domain/reservedFields.ts';
import {
  CONVERSATION_FORMAT,
  CONVERSATION_VERSION,
  type ConversationDocument,
  READABLE_VERSIONS,
} from './conversationDocument.ts';
import { conversationDocumentSchema } from './conversationDocumentSchema.ts';

/**
 * The document (or its JSON text) checked in full: format and version, the schema, then the
 * chain, ids, seq and totals. Throws InvalidInputError whose `path` names the failing field.
 */
export function validateConversationDocument(doc: unknown): ConversationDocument {
  // A getter or Proxy trap that throws (or a stack overflow) is bad input too, not a crash.
  return guard('', () => {
    const parsed = parseDocument(typeof doc === 'string' ? parseJson(doc) : doc);
    checkConversation(parsed);
    return parsed;
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(
      `The conversation document is not valid JSON: ${(error as Error).message}`,
      '',
    );
  }
}

function parseDocument(doc: unknown): ConversationDocument {
  // Format and version first, so a foreign or newer file gets that message, not a field error.
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InvalidInputError('The conversation document must be an object.', '');
  }
  const { format, version } = doc as { format?: unknown; version?: unknown };
  if (format !== CONVERSATION_FORMAT) {
    throw new InvalidInputError(
      `Invalid conversation document at format: expected "${CONVERSATION_FORMAT}", got ${JSON.stringify(format) ?? 'nothing'}.`,
      'format',
    );
  }
  if (typeof version !== 'number' || !READABLE_VERSIONS.includes(version)) {
    throw new InvalidInputError(
      `Invalid conversation document at version: this library reads versions ${READABLE_VERSIONS.join(', ')}, got ${JSON.stringify(version) ?? 'nothing'}.`,
      'version',
    );
  }
  const result = conversationDocumentSchema.safeParse(doc);
  if (result.success) {
    const parsed = result.data as unknown as ConversationDocument;
    if (version >= 2) return { ...parsed, version: CONVERSATION_VERSION };
    // Version 1 kept the library's reply state and branch links in metadata.
    return { ...parsed, version: CONVERSATION_VERSION, events: parsed.events.map(withReservedFields) };
  }
  const issue = result.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = formatPath([...issue.path, ...keys.slice(0, 1)]);
  const reason = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
  throw new InvalidInputError(`Invalid conversation document at ${path || '(root)'}: ${reason}.`, path);
}

/** ['events', 3, 'sessionId'] → 'events[3].sessionId' */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}
