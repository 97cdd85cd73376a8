// Images and PDFs count toward the context by the provider's published rule, from the image's
// pixel size read off its header: real Chromium-encoded fixtures (test/fixtures/images), a
// hand-built GIF and PDFs, and the providers' worked examples.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { FilePart, MessagePart } from '../../../packages/core/src/domain/messageParts';
import { base64Head, dataUrlImageSize, imageSize } from '../../../packages/core/src/tokens/imageSize';
import {
  fileTokens,
  imageTokens,
  largestImageTokens,
  PDF_TOKENS_PER_PAGE,
  partsMediaTokens,
} from '../../../packages/core/src/tokens/mediaTokens';
import { pdfPageCount } from '../../../packages/core/src/tokens/pdfPages';

const FIXTURES = new URL('../../fixtures/images/', import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURES)));
const MEDIA_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };
const dataUrl = (bytes: Uint8Array, mediaType: string): string =>
  `data:${mediaType};base64,${Buffer.from(bytes).toString('base64')}`;
const filePart = (url: string, mediaType: string, extra: Partial<FilePart> = {}): FilePart => ({
  type: 'file',
  mediaType,
  url,
  ...extra,
});
const size = (width: number, height: number) => ({ width, height });

/** Every Chromium-made fixture with the size its name says. */
const IMAGES = readdirSync(FIXTURES)
  .map((name) => /^[a-z]+-(\d+)x(\d+)\.(png|jpg|webp)$/.exec(name))
  .filter((m) => m !== null)
  .map((m) => ({ name: m[0], width: Number(m[1]), height: Number(m[2]), mediaType: MEDIA_TYPES[m[3]!]! }));

/** The real encoder's VP8 or VP8L bitstream of a fixture, in the simple (non-extended) WebP container. */
function simpleWebp(name: string, chunk: 'VP8 ' | 'VP8L'): Uint8Array {
  const file = Buffer.from(fixture(name));
  let at = 12;
  while (file.toString('latin1', at, at + 4) !== chunk)
    at += 8 + file.readUInt32LE(at + 4) + (file.readUInt32LE(at + 4) & 1);
  const body = file.subarray(at, at + 8 + file.readUInt32LE(at + 4));
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(4 + body.length, 4);
  head.write('WEBP', 8, 'latin1');
  return new Uint8Array(Buffer.concat([head, body]));
}

/** A GIF89a header, an empty global colour table flag, and a 1 × 1 image: enough for its logical screen. */
function gif(width: number, height: number): Uint8Array {
  const screen = Buffer.alloc(13);
  screen.write('GIF89a', 0, 'latin1');
  screen.writeUInt16LE(width, 6);
  screen.writeUInt16LE(height, 8);
  const image = Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b]);
  return new Uint8Array(Buffer.concat([screen, image]));
}

/** A real JPEG with `segments` APP1 (EXIF) segments of 64 KiB each inserted after its SOI marker. */
function jpegWithExif(name: string, segments: number): Uint8Array {
  const jpeg = Buffer.from(fixture(name));
  const app1 = Buffer.alloc(2 + 65535);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(65535, 2);
  app1.write('Exif\0\0', 4, 'latin1');
  return new Uint8Array(
    Buffer.concat([jpeg.subarray(0, 2), ...Array(segments).fill(app1), jpeg.subarray(2)]),
  );
}

/** A PDF with `pages` page objects under one /Pages node, optionally padded before the trailer. */
function pdf(pages: number, objects = ''): string {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  const pageObjects = Array.from(
    { length: pages },
    (_, i) => `${i + 3} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n`,
  ).join('');
  return (
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
    `2 0 obj\n<< /Type /Pages /Kids [${kids}] /Count ${pages} >>\nendobj\n${pageObjects}${objects}` +
    'trailer\n<< /Root 1 0 R >>\n%%EOF\n'
  );
}
const pdfUrl = (text: string): string =>
  `data:application/pdf;base64,${Buffer.from(text, 'latin1').toString('base64')}`;

describe('imageSize', () => {
  it('reads the size of every Chromium-encoded PNG, JPEG and WebP fixture', () => {
    expect(IMAGES.length).toBeGreaterThanOrEqual(15);
    for (const image of IMAGES) {
      expect(imageSize(fixture(image.name)), image.name).toEqual(size(image.width, image.height));
    }
  });

  it('reads WebP lossy (VP8) and lossless (VP8L) bitstreams in the simple container', () => {
    expect(imageSize(simpleWebp('solid-4000x3000.webp', 'VP8 '))).toEqual(size(4000, 3000));
    expect(imageSize(simpleWebp('solid-1x1.webp', 'VP8 '))).toEqual(size(1, 1));
    expect(imageSize(simpleWebp('lossless-300x200.webp', 'VP8L'))).toEqual(size(300, 200));
    expect(imageSize(fixture('lossless-300x200.webp'))).toEqual(size(300, 200));
  });

  it('reads a GIF logical screen', () => {
    expect(imageSize(gif(640, 480))).toEqual(size(640, 480));
    expect(imageSize(gif(1, 65535))).toEqual(size(1, 65535));
  });

  it('walks past APPn segments to the frame header', () => {
    expect(imageSize(jpegWithExif('solid-300x200.jpg', 2))).toEqual(size(300, 200));
  });

  it('is undefined for truncated bytes, garbage, other formats and zero sizes', () => {
    expect(imageSize(fixture('solid-300x200.png').subarray(0, 20))).toBeUndefined();
    expect(imageSize(fixture('solid-300x200.jpg').subarray(0, 600))).toBeUndefined(); // before SOF0
    expect(imageSize(fixture('solid-300x200.webp').subarray(0, 26))).toBeUndefined();
    expect(imageSize(simpleWebp('solid-300x200.webp', 'VP8 ').subarray(0, 28))).toBeUndefined();
    expect(imageSize(gif(10, 10).subarray(0, 9))).toBeUndefined();
    expect(imageSize(new Uint8Array(0))).toBeUndefined();
    expect(imageSize(new TextEncoder().encode('<svg width="10" height="10"/>'))).toBeUndefined();
    expect(imageSize(new Uint8Array(4096).map((_, i) => (i * 7919) & 0xff))).toBeUndefined();
    const corrupt = fixture('solid-300x200.jpg').slice(0, 700);
    corrupt[20] = 0x00; // the byte where the second segment's marker should be
    expect(imageSize(corrupt)).toBeUndefined();
    expect(imageSize(gif(0, 10))).toBeUndefined();
  });
});

describe('base64Head and dataUrlImageSize', () => {
  it('decodes exactly the first bytes of the payload', () => {
    const bytes = fixture('solid-1024x1024.jpg');
    const base64 = Buffer.from(bytes).toString('base64');
    for (const n of [0, 1, 2, 3, 4, 100, 4097]) expect(base64Head(base64, n)).toEqual(bytes.subarray(0, n));
    expect(base64Head(base64, bytes.length + 10)).toEqual(bytes);
    const wrapped = `${base64.slice(0, 76)}\n${base64.slice(76, 400)}`;
    expect(base64Head(wrapped, 120)).toEqual(bytes.subarray(0, 120));
  });

  it('reads a data URL image, growing the head for a JPEG whose frame lies beyond 64 KiB', () => {
    const jpeg = jpegWithExif('solid-300x200.jpg', 2);
    const url = dataUrl(jpeg, 'image/jpeg');
    expect(jpeg.length).toBeGreaterThan(2 * 65536);
    expect(imageSize(base64Head(url.slice(url.indexOf(',') + 1), 64 * 1024))).toBeUndefined();
    const atob = vi.spyOn(globalThis, 'atob');
    try {
      expect(dataUrlImageSize(url)).toEqual(size(300, 200));
      // 64 KiB, then 256 KiB (here the whole payload)
      expect(atob.mock.calls.map(([text]) => text.length)).toEqual([
        87384,
        url.length - url.indexOf(',') - 1,
      ]);
      atob.mockClear();
      // A malformed JPEG is not read further: its segments do not run past the head.
      const broken = new Uint8Array(300_000);
      broken.set([0xff, 0xd8, 0x00]);
      expect(dataUrlImageSize(dataUrl(broken, 'image/jpeg'))).toBeUndefined();
      expect(atob).toHaveBeenCalledTimes(1);
    } finally {
      atob.mockRestore();
    }
    expect(dataUrlImageSize(dataUrl(fixture('solid-4000x3000.webp'), 'image/webp'))).toEqual(
      size(4000, 3000),
    );
  });

  it('is undefined for a remote URL, a non-base64 data URL and unreadable bytes', () => {
    expect(dataUrlImageSize('https://example.com/cat.png')).toBeUndefined();
    expect(dataUrlImageSize('data:image/svg+xml,<svg/>')).toBeUndefined();
    expect(dataUrlImageSize(dataUrl(new Uint8Array(200_000).fill(0xff), 'image/jpeg'))).toBeUndefined();
    expect(
      dataUrlImageSize(dataUrl(jpegWithExif('solid-300x200.jpg', 2).subarray(0, 131_000), 'image/jpeg')),
    ).toBeUndefined();
  });
});

describe('imageTokens: OpenAI', () => {
  it("follows the tile rule's worked examples (gpt-4o)", () => {
    expect(imageTokens(size(1024, 1024), 'gpt-4o', 'high')).toEqual({
      tokens: 765,
      estimated: false,
      rule: 'openai-tiles',
    });
    expect(imageTokens(size(2048, 4096), 'gpt-4o', 'high').tokens).toBe(1105);
    expect(imageTokens(size(4096, 8192), 'gpt-4o', 'low').tokens).toBe(85);
    expect(imageTokens(size(2048, 4096), 'openai/gpt-4o-2024-08-06').tokens).toBe(1105); // auto is high
  });

  it("uses each tile model's base and tile tokens; small images are not enlarged", () => {
    expect(imageTokens(size(1024, 1024), 'gpt-4o-mini').tokens).toBe(2833 + 4 * 5667);
    expect(imageTokens(size(1024, 1024), 'gpt-5').tokens).toBe(70 + 4 * 140);
    expect(imageTokens(size(1024, 1024), 'gpt-5.1').tokens).toBe(70 + 4 * 140);
    expect(imageTokens(size(1024, 1024), 'o3').tokens).toBe(75 + 4 * 150);
    expect(imageTokens(size(1024, 1024), 'gpt-4.1').tokens).toBe(85 + 4 * 170);
    expect(imageTokens(size(300, 200), 'gpt-4o').tokens).toBe(85 + 170);
  });

  it("follows the patch rule's worked examples", () => {
    // gpt-5.4, detail high: a 2048-px limit, a 2,500-patch budget and a 1.2 multiplier.
    expect(imageTokens(size(1024, 1024), 'gpt-5.4', 'high')).toEqual({
      tokens: 1229,
      estimated: false,
      rule: 'openai-patches',
    });
    expect(imageTokens(size(2048, 2048), 'gpt-5.4', 'high').tokens).toBe(3000);
    // A 1,536-patch budget: 1800 × 2400 becomes 1056 × 1408, 33 × 44 = 1452 patches.
    expect(imageTokens(size(1800, 2400), 'gpt-4.1-nano').tokens).toBe(Math.ceil(1452 * 2.46));
    expect(imageTokens(size(1800, 2400), 'o4-mini').tokens).toBe(Math.ceil(1452 * 1.72));
    expect(imageTokens(size(1024, 1024), 'gpt-4.1-mini').tokens).toBe(Math.ceil(1024 * 1.62));
  });

  it('sizes by detail level as each model family does', () => {
    const photo = size(4000, 3000);
    // gpt-5.4: low has a 6,144-patch budget, so it can use more tokens than high; auto is high.
    expect(imageTokens(photo, 'gpt-5.4', 'low').tokens).toBe(Math.ceil(64 * 48 * 1.2));
    expect(imageTokens(photo, 'gpt-5.4', 'high').tokens).toBe(Math.ceil(57 * 43 * 1.2));
    expect(imageTokens(photo, 'gpt-5.4').tokens).toBe(imageTokens(photo, 'gpt-5.4', 'high').tokens);
    // gpt-5.5: auto is original (10,000 patches, 6000 px); low fits 512 × 512.
    expect(imageTokens(photo, 'gpt-5.5').tokens).toBe(imageTokens(photo, 'gpt-5.5', 'original').tokens);
    expect(imageTokens(photo, 'gpt-5.5', 'original').tokens).toBeLessThanOrEqual(12_000);
    expect(imageTokens(photo, 'gpt-5.5', 'low').tokens).toBe(Math.ceil(16 * 12 * 1.2));
    // gpt-5.6: original has no patch budget.
    expect(imageTokens(photo, 'gpt-5.6-sol').tokens).toBe(Math.ceil(125 * 94 * 1.2));
  });
});

describe('imageTokens: Anthropic, Gemini, unknown models', () => {
  it("follows Anthropic's examples for the standard tier", () => {
    const claude = 'claude-sonnet-4-5-20250929';
    expect(imageTokens(size(200, 200), claude)).toEqual({ tokens: 64, estimated: false, rule: 'anthropic' });
    expect(imageTokens(size(1000, 1000), claude).tokens).toBe(1296);
    expect(imageTokens(size(1092, 1092), claude).tokens).toBe(1521);
    expect(imageTokens(size(1920, 1080), claude).tokens).toBe(1560); // resized to 1456 × 819
    expect(imageTokens(size(2000, 1500), claude).tokens).toBe(1564);
    expect(imageTokens(size(3840, 2160), claude).tokens).toBe(1560);
    expect(imageTokens(size(1075, 1520), claude).tokens).toBe(33 * 47); // A4 at 130 DPI → 924 × 1307
  });

  it("follows Anthropic's examples for the high-resolution tier (Claude 4.7 and later)", () => {
    for (const claude of ['claude-opus-4-7', 'anthropic/claude-opus-4.7', 'claude-sonnet-5']) {
      expect(imageTokens(size(1920, 1080), claude).tokens, claude).toBe(2691);
      expect(imageTokens(size(2000, 1500), claude).tokens, claude).toBe(3888);
      expect(imageTokens(size(3840, 2160), claude).tokens, claude).toBe(4784); // → 2576 × 1449
    }
    for (const claude of ['claude-3-5-sonnet-20241022', 'claude-opus-4-20250514', 'claude-opus-4-1']) {
      expect(imageTokens(size(3840, 2160), claude).tokens, claude).toBe(1560);
    }
  });

  it("follows Gemini's tile rule, and Gemini 3's per-image budget as an estimate", () => {
    expect(imageTokens(size(384, 300), 'gemini-2.5-flash')).toEqual({
      tokens: 258,
      estimated: false,
      rule: 'gemini',
    });
    expect(imageTokens(size(1024, 1024), 'google/gemini-2.0-flash').tokens).toBe(4 * 258);
    expect(imageTokens(size(1600, 900), 'gemini-2.5-pro').tokens).toBe(6 * 258);
    expect(imageTokens(size(1600, 900), 'gemini-3-pro-preview')).toEqual({
      tokens: 1120,
      estimated: true,
      rule: 'gemini',
    });
  });

  it("estimates an unknown model's image by Anthropic's standard rule", () => {
    expect(imageTokens(size(1000, 1000), 'mistral-large-latest')).toEqual({
      tokens: 1296,
      estimated: true,
      rule: 'estimate',
    });
    expect(largestImageTokens('some-local-model')).toEqual({
      tokens: 1568,
      estimated: true,
      rule: 'estimate',
    });
  });
});

describe('fileTokens and partsMediaTokens', () => {
  const MODELS = [
    'gpt-4o',
    'gpt-5.4-mini',
    'claude-sonnet-4-5',
    'claude-opus-4-7',
    'gemini-2.5-flash',
    'x-model',
  ];

  it('counts a 4000 × 3000 image the same whatever the length of its base64', () => {
    const solid = dataUrl(fixture('solid-4000x3000.jpg'), 'image/jpeg');
    const noisy = dataUrl(fixture('noisy-4000x3000.jpg'), 'image/jpeg');
    const webp = dataUrl(fixture('solid-4000x3000.webp'), 'image/webp');
    expect(noisy.length).toBeGreaterThan(1.8 * solid.length);
    expect(solid.length).toBeGreaterThan(3 * webp.length);
    for (const model of MODELS) {
      const tokens = fileTokens(filePart(solid, 'image/jpeg'), model);
      expect(tokens, model).toEqual(imageTokens(size(4000, 3000), model));
      expect(fileTokens(filePart(noisy, 'image/jpeg'), model), model).toEqual(tokens);
      expect(fileTokens(filePart(webp, 'image/webp'), model), model).toEqual(tokens);
      expect(tokens!.tokens, model).toBeLessThan(noisy.length / 20);
    }
  });

  it('counts every fixture by its size, with the detail from providerMetadata.openai.imageDetail', () => {
    for (const image of IMAGES) {
      const url = dataUrl(fixture(image.name), image.mediaType);
      expect(fileTokens(filePart(url, image.mediaType), 'gpt-4o'), image.name).toEqual(
        imageTokens(size(image.width, image.height), 'gpt-4o'),
      );
    }
    const big = dataUrl(fixture('solid-2048x4096.jpg'), 'image/jpeg');
    expect(fileTokens(filePart(big, 'image/jpeg'), 'gpt-4o')?.tokens).toBe(1105);
    const low = filePart(big, 'image/jpeg', { providerMetadata: { openai: { imageDetail: 'low' } } });
    expect(fileTokens(low, 'gpt-4o')?.tokens).toBe(85);
    const odd = filePart(big, 'image/jpeg', { providerMetadata: { openai: { imageDetail: 'max' } } });
    expect(fileTokens(odd, 'gpt-4o')?.tokens).toBe(1105);
  });

  it("counts a remote or unreadable image at its rule's largest image, estimated", () => {
    const remote = filePart('https://example.com/photo.jpg', 'image/jpeg');
    expect(fileTokens(remote, 'gpt-4o')).toEqual({
      tokens: 85 + 8 * 170,
      estimated: true,
      rule: 'openai-tiles',
    });
    expect(fileTokens(remote, 'gpt-5.4')).toEqual({ tokens: 3000, estimated: true, rule: 'openai-patches' });
    expect(fileTokens(remote, 'claude-sonnet-4-5')).toEqual({
      tokens: 1568,
      estimated: true,
      rule: 'anthropic',
    });
    expect(fileTokens(remote, 'claude-opus-4-7')?.tokens).toBe(4784);
    expect(fileTokens(remote, 'gemini-2.5-flash')).toEqual({ tokens: 1032, estimated: true, rule: 'gemini' });
    const lowRemote = filePart(remote.url, 'image/jpeg', {
      providerMetadata: { openai: { imageDetail: 'low' } },
    });
    expect(fileTokens(lowRemote, 'gpt-4o')?.tokens).toBe(85);
    const garbage = filePart(dataUrl(new Uint8Array(5000).fill(7), 'image/png'), 'image/png');
    expect(fileTokens(garbage, 'claude-sonnet-4-5')).toEqual({
      tokens: 1568,
      estimated: true,
      rule: 'anthropic',
    });
  });

  it('counts a PDF by its page objects (not its /Pages node) at the per-page estimate', () => {
    const part = filePart(pdfUrl(pdf(3)), 'application/pdf');
    expect(fileTokens(part, 'claude-sonnet-4-5')).toEqual({
      tokens: 3 * PDF_TOKENS_PER_PAGE,
      estimated: true,
      rule: 'pdf-pages',
    });
    expect(PDF_TOKENS_PER_PAGE).toBe(3000);
    expect(fileTokens(filePart(pdfUrl('%PDF-1.7\n%%EOF\n'), 'application/pdf'), 'gpt-4o')?.tokens).toBe(3000);
  });

  it('counts page objects across the chunks a large PDF is decoded in', () => {
    const chunkBytes = 3 * 1024 * 1024;
    for (const shift of [-40, -25, -12, -11, -10, -5, -1, 0, 3]) {
      const head = pdf(2);
      const object = '99 0 obj\n<< /Type /Page >>\nendobj\n';
      const at = chunkBytes + shift - head.length - object.indexOf('/Type');
      const text = `${head}%${' '.repeat(at - 1)}${object}7 0 obj << /Type /Pages >> endobj\n`;
      expect(pdfPageCount(Buffer.from(text, 'latin1').toString('base64')), String(shift)).toBe(3);
    }
  });

  it('does not count other files, nor a remote PDF', () => {
    const text = filePart(dataUrl(new TextEncoder().encode('hello'), 'text/plain'), 'text/plain');
    expect(fileTokens(text, 'gpt-4o')).toBeUndefined();
    expect(fileTokens(filePart('https://example.com/a.pdf', 'application/pdf'), 'gpt-4o')).toBeUndefined();
  });

  it("sums a message's file parts and says whether any was estimated", () => {
    const image = filePart(dataUrl(fixture('solid-1024x1024.png'), 'image/png'), 'image/png');
    const parts: MessagePart[] = [
      { type: 'text', text: 'look' },
      image,
      { type: 'file', mediaType: 'text/plain', url: 'data:text/plain;base64,aGk=' },
      { type: 'reasoning', text: 'hm' },
    ];
    expect(partsMediaTokens(parts, 'gpt-4o')).toEqual({ tokens: 765, estimated: false });
    const withPdf = [...parts, filePart(pdfUrl(pdf(2)), 'application/pdf')];
    expect(partsMediaTokens(withPdf, 'gpt-4o')).toEqual({ tokens: 765 + 6000, estimated: true });
    expect(partsMediaTokens([], 'gpt-4o')).toEqual({ tokens: 0, estimated: false });
  });
});
