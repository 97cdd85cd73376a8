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
}

/** Whether `parts` hold a file whose bytes are inline (a data URL). */
export function hasInlineFiles(parts: readonly MessagePart[] | undefined): boolean {
  return !!parts?.some((p) => isFilePart(p) && dataUrlParts(p.url) !== undefined);
}

/**
 * `parts` with every inline file replaced by a reference, and the files moved. Where WebCrypto
 * is missing (an insecure origin), parts stay inline: stored whole rather than refused.
 */
export async function moveOutFiles(
  parts: readonly MessagePart[],
): Promise<{ parts: MessagePart[]; moved: MovedFile[] }> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return { parts: [...parts], moved: [] };
  const moved: MovedFile[] = [];
  const out: MessagePart[] = [];
  for (const part of parts) {
    const data = isFilePart(part) ? dataUrlParts(part.url) : undefined;
    if (!data) {
      out.push(part);
      continue;
    }
    const bytes = base64Bytes(data.base64);
    const hash = await sha256(bytes);
    const blob = new Blob([bytes], { type: data.mediaType });
    moved.push({
      hash,
      blob,
      mediaType: data.mediaType,
      size: bytes.byteLength,
      dataUrl: part.url as string,
    });
    out.push({ ...part, url: `${ATTACHMENT_REF}${hash}` });
  }
  return { parts: out, moved };
}

/** The hashes an event's stored parts reference. */
export function referencedHashes(event: SessionEvent): string[] {
  const hashes: string[] = [];
  for (const part of event.parts ?? []) {
    if (part.type === 'file' && typeof part.url === 'string' && part.url.startsWith(ATTACHMENT_REF))
      hashes.push(part.url.slice(ATTACHMENT_REF.length));
  }
  return hashes;
}

/** `event` with its references replaced by the data URLs in `urls` (a missing one stays a reference). */
export function withDataUrls(event: SessionEvent, urls: ReadonlyMap<string, string>): SessionEvent {
  if (!event.parts) return event;
  const parts = event.parts.map((part) => {
    if (part.type !== 'file' || typeof part.url !== 'string' || !part.url.startsWith(ATTACHMENT_REF))
      return part;
    const url = urls.get(part.url.slice(ATTACHMENT_REF.length));
    return url === undefined ? part : { ...part, url };
  });
  return { ...event, parts };
}

/** A Blob as the data URL it was stored from. */
export async function blobDataUrl(blob: Blob, mediaType: string): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let at = 0; at < bytes.length; at += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return `data:${mediaType};base64,${btoa(binary)}`;
}

/** Hex SHA-256 of `bytes` (WebCrypto). */
export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return hex(await globalThis.crypto.subtle.digest('SHA-256', bytes));
}

/** The bytes of a base64 payload; throws (atob's error) when it is not base64. */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}
