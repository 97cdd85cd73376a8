// Files and images live apart from the event rows (schema v5): a file part's `data:` URL is moved
// into the attachments table as a Blob, keyed by the SHA-256 of its bytes, and the row keeps a
// reference. One Blob serves every event (and conversation) that holds the same bytes; reads put
// the data URL back, so callers see the part as it was given.
import { dataUrlParts, isFilePart, type MessagePart } from '../domain/messageParts.ts';
import type { SessionEvent } from '../domain/types.ts';

/** One stored file: its bytes once, whoever references them. */
export interface AttachmentRow {
  /** Hex SHA-256 of the bytes. */
  hash: string;
  blob: Blob;
  mediaType: string;
  size: number;
  createdAt: string;
}

/** Conversation `rootId` references attachment `hash`: the Blob goes with the last such row. */
export interface AttachmentRef {
  hash: string;
  rootId: string;
}

/** What a file part's `url` holds in a stored row in place of its data URL. */
export const ATTACHMENT_REF = 'attachment:sha256-';

/** A data URL taken out of parts: its Blob to store, and the URL readers get back. */
export interface MovedFile {
  hash: string;
  blob: Blob;
  mediaType: string;
  size: number;
  dataUrl: string;
  /** The reference the row keeps for it (see ATTACHMENT_REF). */
  ref: string;
}

/** Whether `parts` hold a file whose bytes are inline (a data URL). */
export function hasInlineFiles(parts: readonly MessagePart[] | undefined): boolean {
  return !!parts?.some((p) => isFilePart(p) && dataUrlParts(p.url) !== undefined);
}

/** A stored part's reference (`attachment:sha256-<hash>`, maybe with `#<header>`), if it holds one. */
function referenceOf(part: MessagePart): string | undefined {
  return part.type === 'file' && typeof part.url === 'string' && part.url.startsWith(ATTACHMENT_REF)
    ? part.url
    : undefined;
}

/** The hash a reference names. */
export function hashOf(ref: string): string {
  return ref.slice(ATTACHMENT_REF.length).split('#')[0]!;
}

/** The references in `event`'s stored parts. */
export function referencesIn(event: SessionEvent): string[] {
  return (event.parts ?? []).flatMap((part) => referenceOf(part) ?? []);
}

/** The hashes an event's stored parts reference. */
export function referencedHashes(event: SessionEvent): string[] {
  return referencesIn(event).map(hashOf);
}

/** `event` with its references replaced by the data URLs in `urls` (by reference; a missing one stays a reference). */
export function withDataUrls(event: SessionEvent, urls: ReadonlyMap<string, string>): SessionEvent {
  if (!event.parts) return event;
  const parts = event.parts.map((part) => {
    const ref = referenceOf(part);
    const url = ref === undefined ? undefined : urls.get(ref);
    return url === undefined ? part : { ...part, url };
  });
  return { ...event, parts };
}

/** Whether `event`'s stored parts reference a file (its data URL to be put back on read). */
export function hasFileReference(event: SessionEvent): boolean {
  return !!event.parts?.some((p) => referenceOf(p) !== undefined);
}
