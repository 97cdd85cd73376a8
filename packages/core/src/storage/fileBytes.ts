// The byte work behind files as Blobs (hashing, base64 both ways), loaded only when a message
// holds a file: apps that never attach one do not ship it.
import { dataUrlParts, isFilePart, type MessagePart } from '../domain/messageParts.ts';
import { ATTACHMENT_REF, hashOf, type MovedFile } from './attachmentRows.ts';

/** The reference a row keeps: the hash, and the data URL's header when it is not the plain one. */
export function referenceTo(hash: string, header: string, mediaType: string): string {
  const plain = header === `data:${mediaType};base64,`;
  return `${ATTACHMENT_REF}${hash}${plain ? '' : `#${header}`}`;
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
    const ref = referenceTo(hash, data.header, data.mediaType);
    moved.push({
      hash,
      blob,
      mediaType: data.mediaType,
      size: bytes.byteLength,
      dataUrl: part.url as string,
      ref,
    });
    out.push({ ...part, url: ref });
  }
  return { parts: out, moved };
}

/**
 * A Blob as the data URL it was stored from. FileReader where there is one (browsers: native,
 * about 5× faster than building the string in script); else in slices of bytes.
 */
export async function blobDataUrl(blob: Blob, header: string): Promise<string> {
  if (typeof FileReader !== 'undefined') {
    const url = await new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
    // The header as it was given (its parameters), whatever FileReader writes.
    return header + url.slice(url.indexOf(',') + 1);
  }
  return header + bytesBase64(new Uint8Array(await blob.arrayBuffer()));
}

/** `bytes` as base64 (where FileReader is missing, and for small payloads). */
export function bytesBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let at = 0; at < bytes.length; at += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/** What a reference resolves to: the hash, and the header its data URL had. */
export function parseReference(ref: string, mediaType: string): { hash: string; header: string } {
  const at = ref.indexOf('#');
  return { hash: hashOf(ref), header: at < 0 ? `data:${mediaType};base64,` : ref.slice(at + 1) };
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
