// The byte work behind files as Blobs (hashing, base64 both ways), loaded only when a message
// holds a file: apps that never attach one do not ship it.
import { dataUrlParts, isFilePart, type MessagePart } from '../domain/messageParts.ts';
import { ATTACHMENT_REF, type MovedFile } from './attachmentRows.ts';

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
