import { InvalidInputError } from './errors.ts';
import { toJsonValue } from './jsonValue.ts';

// A message's parts beyond its plain text, stored exactly. The shapes are the AI SDK's UIMessage
// parts (the de facto neutral format: assistant-ui and TanStack AI convert to and from it), so the
// AI SDK's own validators accept what we give back, and every converter reads one vocabulary.

/**
 * One part of a message as the UI library gave it, in order: `text`, `reasoning`, `file`,
 * `source-url`, `source-document`, `data-<name>`, `step-start`, `tool-<name>`, `dynamic-tool`, and
 * any other `type` a library defines. Plain JSON; every field is kept (`providerMetadata`, part
 * `metadata`, ids), so reading it back gives the same part.
 */
export interface MessagePart {
  type: string;
  [field: string]: unknown;
}

/** A text run. */
export interface TextPart extends MessagePart {
  type: 'text';
  text: string;
  state?: 'streaming' | 'done';
  providerMetadata?: ProviderMetadata;
}

/**
 * A model's reasoning. Anthropic's thinking signature is `providerMetadata.anthropic.signature`
 * and a redacted block's data `providerMetadata.anthropic.redactedData` (the AI SDK's keys): both
 * must go back to the API unchanged in a tool loop.
 */
export interface ReasoningPart extends MessagePart {
  type: 'reasoning';
  text: string;
  state?: 'streaming' | 'done';
  providerMetadata?: ProviderMetadata;
}

/** An image, PDF or other file: `url` is a `data:` URL (the bytes) or a remote URL. */
export interface FilePart extends MessagePart {
  type: 'file';
  mediaType: string;
  filename?: string;
  url: string;
  providerMetadata?: ProviderMetadata;
}

export interface SourceUrlPart extends MessagePart {
  type: 'source-url';
  sourceId: string;
  url: string;
  title?: string;
  providerMetadata?: ProviderMetadata;
}

export interface SourceDocumentPart extends MessagePart {
  type: 'source-document';
  sourceId: string;
  mediaType: string;
  title: string;
  filename?: string;
  providerMetadata?: ProviderMetadata;
}

/** Provider-specific fields by provider name (AI SDK `ProviderMetadata`). */
export type ProviderMetadata = Record<string, Record<string, unknown>>;

export function isFilePart(part: MessagePart): part is FilePart {
  return part.type === 'file' && typeof part.mediaType === 'string' && typeof part.url === 'string';
}

export function isReasoningPart(part: MessagePart): part is ReasoningPart {
  return part.type === 'reasoning' && typeof part.text === 'string';
}

export function isImage(mediaType: string): boolean {
  return /^image\//i.test(mediaType);
}

/**
 * The media type, base64 payload and header (`data:…;base64,`, parameters included) of a base64
 * data URL; undefined for any other URL.
 */
export function dataUrlParts(url: string): { mediaType: string; base64: string; header: string } | undefined {
  const match = /^data:([^;,]*)(?:;[^;,=]+=[^;,]*)*;base64,/i.exec(url);
  if (!match) return undefined;
  const header = match[0];
  return { mediaType: match[1] || 'application/octet-stream', base64: url.slice(header.length), header };
}

/**
 * A checked JSON copy of `value` as message parts (an array of objects, each with a string
 * `type`), the text of its text and reasoning parts passed through `scrub`. Throws
 * InvalidInputError naming the offending path.
 */
export function toMessageParts(
  value: unknown,
  path: string,
  scrub: (text: string) => string = (t) => t,
): MessagePart[] {
  if (!Array.isArray(value)) throw new InvalidInputError(`${path} must be an array of parts.`, path);
  const parts = toJsonValue(value, path) as MessagePart[];
  return parts.map((part, i) => {
    if (
      !part ||
      typeof part !== 'object' ||
      Array.isArray(part) ||
      typeof part.type !== 'string' ||
      !part.type
    )
      throw new InvalidInputError(`${path}[${i}] must be a part with a string type.`, `${path}[${i}].type`);
    if ((part.type === 'text' || part.type === 'reasoning') && typeof part.text === 'string')
      return { ...part, text: scrub(part.text) };
    return part;
  });
}
