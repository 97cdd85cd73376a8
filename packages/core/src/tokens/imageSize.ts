// An image's pixel size read from its header, without decoding it: providers price an image by its
// dimensions, never by its bytes, and a data URL's first kilobytes are enough to know them.
import { dataUrlParts } from '../domain/messageParts.ts';

export interface ImageSize {
  width: number;
  height: number;
}

/** How much of a data URL's payload is decoded first (JPEG metadata before the frame may need more). */
const FIRST_HEAD = 64 * 1024;
const GROWTH = 4;
const TRUNCATED = 'truncated';

/**
 * Width and height of a PNG (IHDR), JPEG (its first SOFn frame header), GIF (logical screen) or
 * WebP (`VP8 `, `VP8L` or `VP8X`) from its first bytes; undefined for any other format, for
 * bytes that stop before the size, and for a zero size.
 */
export function imageSize(bytes: Uint8Array): ImageSize | undefined {
  const jpeg = jpegSize(bytes);
  const size = pngSize(bytes) ?? gifSize(bytes) ?? webpSize(bytes) ?? (jpeg === TRUNCATED ? undefined : jpeg);
  return size && size.width > 0 && size.height > 0 ? size : undefined;
}

/**
 * The first `maxBytes` bytes that `base64` encodes, decoding only the characters that hold them:
 * a 10 MB image costs a few kilobytes here, not a copy of its payload.
 */
export function base64Head(base64: string, maxBytes: number): Uint8Array {
  const chars = Math.ceil(Math.max(0, maxBytes) / 3) * 4;
  let binary = decodeBase64(base64.slice(0, chars));
  if ((binary === undefined || binary.length < maxBytes) && base64.length > chars) {
    // Whitespace (line-wrapped base64) or the URL-safe alphabet: clean a longer prefix first.
    const clean = base64
      .slice(0, chars * 2 + 8)
      .replace(/[^A-Za-z0-9+/_-]/g, '')
      .replace(/-/g, '+')
      .replace(/_/g, '/');
    binary = decodeBase64(clean.slice(0, chars));
  }
  const length = Math.min(binary?.length ?? 0, maxBytes);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = binary!.charCodeAt(i);
  return bytes;
}

/** atob, or atob of the whole quads when the text ends mid-quad; undefined when it is not base64. */
function decodeBase64(text: string): string | undefined {
  try {
    return atob(text);
  } catch {
    try {
      return atob(text.slice(0, text.length - (text.length % 4)));
    } catch {
      return undefined;
    }
  }
}

/**
 * The size of the image in a `data:…;base64,` URL: 64 KiB of its payload is decoded first, and
 * only a JPEG whose frame header lies beyond that (after large EXIF, XMP or ICC segments) reads a
 * head four times as long, and so on up to the whole payload. Undefined for another URL or an
 * unreadable image.
 */
export function dataUrlImageSize(url: string): ImageSize | undefined {
  const base64 = dataUrlParts(url)?.base64;
  if (!base64) return undefined;
  for (let want = FIRST_HEAD; ; want *= GROWTH) {
    const head = base64Head(base64, want);
    const size = imageSize(head);
    // Only a JPEG whose segments run past the head is worth a longer one.
    if (size || head.length < want || jpegSize(head) !== TRUNCATED) return size;
  }
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8;
}

function startsWith(bytes: Uint8Array, at: number, text: string): boolean {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

const u16be = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number): number => u16be(b, at) * 65536 + u16be(b, at + 2);

function pngSize(b: Uint8Array): ImageSize | undefined {
  if (!startsWith(b, 0, '\x89PNG\r\n\x1a\n') || !startsWith(b, 12, 'IHDR') || b.length < 24) return undefined;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

function gifSize(b: Uint8Array): ImageSize | undefined {
  if (!(startsWith(b, 0, 'GIF87a') || startsWith(b, 0, 'GIF89a')) || b.length < 10) return undefined;
  return { width: u16le(b, 6), height: u16le(b, 8) };
}

function webpSize(b: Uint8Array): ImageSize | undefined {
  if (!startsWith(b, 0, 'RIFF') || !startsWith(b, 8, 'WEBP')) return undefined;
  // Lossy: a 3-byte frame tag, the start code 9d 01 2a, then 14-bit width and height.
  if (startsWith(b, 12, 'VP8 ') && b.length >= 30) {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return undefined;
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  // Lossless: the signature 0x2f, then width - 1 and height - 1 in 14 bits each, low bits first.
  if (startsWith(b, 12, 'VP8L') && b.length >= 25) {
    if (b[20] !== 0x2f) return undefined;
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  // Extended: the canvas width - 1 and height - 1 in 24 bits each.
  if (startsWith(b, 12, 'VP8X') && b.length >= 30) {
    return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  }
  return undefined;
}

/** Markers C0…CF are frame headers except DHT (C4), JPG (C8) and DAC (CC). */
function isFrameHeader(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** The frame size, TRUNCATED when the bytes end before the frame header, undefined when not a JPEG. */
function jpegSize(b: Uint8Array): ImageSize | typeof TRUNCATED | undefined {
  if (!isJpeg(b)) return undefined;
  let at = 2;
  while (at + 1 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte before a marker
      continue;
    }
    // Markers without a segment: TEM and RST0…RST7.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    // The image data (SOS) or its end (EOI) before any frame header: no size to read.
    if (marker === 0xda || marker === 0xd9) return undefined;
    if (at + 4 > b.length) return TRUNCATED;
    const length = u16be(b, at + 2);
    if (length < 2) return undefined;
    if (isFrameHeader(marker)) {
      if (length < 7) return undefined;
      if (at + 9 > b.length) return TRUNCATED;
      return { width: u16be(b, at + 7), height: u16be(b, at + 5) };
    }
    at += 2 + length; // APPn (EXIF, XMP, ICC), DQT, DHT, COM, DRI…
  }
  return TRUNCATED;
}
