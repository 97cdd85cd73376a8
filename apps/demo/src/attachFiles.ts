import type { FilePart } from '@ai-session-manager/core';

/** The largest file the composer attaches: bigger ones are refused with a notice, not stored. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** What the composer accepts: images a vision model reads, PDFs and text files. */
export const ACCEPTED = 'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain';

/**
 * Files picked or dropped, as message parts (data URLs: the store keeps their bytes as Blobs).
 * Resolves to the parts and a notice naming what was left out (too large, or of another type).
 */
export async function filesToParts(
  files: Iterable<File>,
): Promise<{ parts: FilePart[]; refused: string | null }> {
  const accepted = new Set(ACCEPTED.split(','));
  const parts: FilePart[] = [];
  const refused: string[] = [];
  for (const file of files) {
    if (!accepted.has(file.type)) refused.push(`${file.name} (${file.type || 'unknown type'})`);
    else if (file.size > MAX_ATTACHMENT_BYTES) refused.push(`${file.name} (over 20 MB)`);
    else parts.push({ type: 'file', mediaType: file.type, filename: file.name, url: await dataUrl(file) });
  }
  return {
    parts,
    refused: refused.length
      ? `Not attached: ${refused.join(', ')}. Images, PDFs and text files up to 20 MB.`
      : null,
  };
}

function dataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}.`));
    reader.readAsDataURL(file);
  });
}
