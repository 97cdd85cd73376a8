// The files of a conversation document: listed on export (hash, media type, size), optionally
// left out (their parts then reference them by hash), and checked on import before anything is
// written: a data URL that is not base64, whose media type is not the part's, that is larger than
// allowed, or whose bytes are not the listed ones is refused with the part's path.
import { InvalidInputError } from '../domain/errors.ts';
import { dataUrlParts, isFilePart } from '../domain/messageParts.ts';
import { base64Bytes, referenceTo, sha256 } from '../storage/fileBytes.ts';
import type { AttachmentEntry, ConversationDocument } from './conversationDocument.ts';

/** The largest file an import takes by default (bytes). */
export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

/** `doc` with its files listed; with `include` false, their bytes left out (parts keep a reference). */
export async function withAttachmentList(
  doc: ConversationDocument,
  include: boolean,
): Promise<ConversationDocument> {
  const listed = new Map<string, AttachmentEntry>();
  const byUrl = new Map<string, string>();
  const events = [];
  for (const event of doc.events) {
    if (!event.parts?.some(isFilePart)) {
      events.push(event);
      continue;
    }
    const parts = [];
    for (const part of event.parts) {
      const data = isFilePart(part) ? dataUrlParts(part.url) : undefined;
      if (!data) {
        parts.push(part);
        continue;
      }
      let hash = byUrl.get(part.url as string);
      if (hash === undefined) {
        const bytes = base64Bytes(data.base64);
        hash = await sha256(bytes);
        byUrl.set(part.url as string, hash);
        listed.set(hash, { hash, mediaType: data.mediaType, size: bytes.byteLength, included: include });
      }
      parts.push(include ? part : { ...part, url: referenceTo(hash, data.header, data.mediaType) });
    }
    events.push({ ...event, parts });
  }
  if (!listed.size) return doc;
  return { ...doc, events, attachments: [...listed.values()] };
}

/** Refuse a document whose inline files are malformed, too large, or not those it lists. */
export async function checkAttachments(doc: ConversationDocument, maxBytes: number): Promise<void> {
  const listed = new Map((doc.attachments ?? []).map((a) => [a.hash, a]));
  for (const [i, event] of doc.events.entries()) {
    for (const [j, part] of (event.parts ?? []).entries()) {
      if (!isFilePart(part)) continue;
      const path = `events[${i}].parts[${j}].url`;
      const data = dataUrlParts(part.url);
      if (!data) continue;
      if (data.mediaType.toLowerCase() !== part.mediaType.toLowerCase())
        throw new InvalidInputError(
          `Invalid conversation document at ${path}: the data is ${data.mediaType}, the part says ${part.mediaType}.`,
          path,
        );
      let bytes: Uint8Array<ArrayBuffer>;
      try {
        bytes = base64Bytes(data.base64);
      } catch {
        throw new InvalidInputError(
          `Invalid conversation document at ${path}: the data is not base64.`,
          path,
        );
      }
      if (bytes.byteLength > maxBytes)
        throw new InvalidInputError(
          `Invalid conversation document at ${path}: the file is ${bytes.byteLength} bytes, more than the ${maxBytes} allowed (options.maxAttachmentBytes).`,
          path,
        );
      if (!doc.attachments) continue;
      const entry = listed.get(await sha256(bytes));
      if (
        !entry ||
        entry.size !== bytes.byteLength ||
        entry.mediaType.toLowerCase() !== data.mediaType.toLowerCase()
      )
        throw new InvalidInputError(
          `Invalid conversation document at ${path}: its bytes are not a file the document lists (damaged or edited).`,
          path,
        );
    }
  }
}
