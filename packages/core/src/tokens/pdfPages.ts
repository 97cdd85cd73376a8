// The number of pages of a PDF held as base64, counted from its page objects without a PDF parser.

/** Characters decoded at a time: a multiple of 4, so every chunk decodes on its own (3 MiB of bytes). */
const CHUNK_CHARS = 4 * 1024 * 1024;
/** Bytes of the previous chunk kept in front of the next, so a page object split across two is seen. */
const OVERLAP = 64;

/**
 * The page objects (`/Type /Page`, not the `/Type /Pages` tree nodes) in the PDF that `base64`
 * encodes, read a few megabytes at a time. A PDF that keeps its objects in compressed object
 * streams shows none: 0 then.
 */
export function pdfPageCount(base64: string): number {
  const clean = /^[A-Za-z0-9+/]*={0,2}$/.test(base64) ? base64 : base64.replace(/[^A-Za-z0-9+/]/g, '');
  let pages = 0;
  let tail = '';
  for (let at = 0; at < clean.length; at += CHUNK_CHARS) {
    const last = at + CHUNK_CHARS >= clean.length;
    let chunk: string;
    try {
      chunk = atob(clean.slice(at, at + CHUNK_CHARS));
    } catch {
      return pages;
    }
    const text = tail + chunk;
    // A match is counted in the chunk where it ends, once the character after it is known.
    for (const match of text.matchAll(/\/Type\s{0,16}\/Page(?![A-Za-z])/g)) {
      const end = match.index + match[0].length;
      if (end + 1 > tail.length && (last || end + 1 <= text.length)) pages++;
    }
    tail = text.slice(-OVERLAP);
  }
  return pages;
}
