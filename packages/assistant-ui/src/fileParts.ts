// assistant-ui's image and file parts with their bytes in core's parts (stored as Blobs, counted
// toward the context), named in the stored layout by `fileIndex`.
import type { MessagePart } from '@ai-session-manager/core';

/**
 * An image part (`image`: a data URL) or file part (`data`: base64 or a data URL, `mimeType`) with
 * its bytes moved to `files` and named by `fileIndex` (`dataForm` says how `data` was written);
 * any other part as it is.
 */
export function movedFile(part: Record<string, unknown>, files: MessagePart[]): Record<string, unknown> {
  if (part.type === 'image' && typeof part.image === 'string' && part.image.startsWith('data:')) {
    const { image, ...rest } = part;
    const mediaType = /^data:([^;,]+)/.exec(image)?.[1] ?? 'image/*';
    files.push({
      type: 'file',
      mediaType,
      url: image,
      ...(typeof part.filename === 'string' ? { filename: part.filename } : {}),
    });
    return { ...rest, fileIndex: files.length - 1 };
  }
  if (part.type === 'file' && typeof part.data === 'string' && typeof part.mimeType === 'string') {
    const { data, ...rest } = part;
    const isUrl = data.startsWith('data:');
    if (!isUrl && /[^A-Za-z0-9+/=]/.test(data)) return part;
    const url = isUrl ? data : `data:${part.mimeType};base64,${data}`;
    files.push({
      type: 'file',
      mediaType: part.mimeType,
      url,
      ...(typeof part.filename === 'string' ? { filename: part.filename } : {}),
    });
    return { ...rest, fileIndex: files.length - 1, dataForm: isUrl ? 'url' : 'base64' };
  }
  return part;
}

/** A part stored by `movedFile`, its bytes back from the event's parts (unchanged when they are missing). */
export function restoredFile(
  part: Record<string, unknown>,
  files: readonly MessagePart[],
): Record<string, unknown> {
  if (typeof part.fileIndex !== 'number') return part;
  const url = files[part.fileIndex]?.url;
  if (typeof url !== 'string') return part;
  const { fileIndex: _index, dataForm, ...rest } = part;
  if (rest.type === 'image') return { ...rest, image: url };
  return { ...rest, data: dataForm === 'base64' ? url.slice(url.indexOf(',') + 1) : url };
}
