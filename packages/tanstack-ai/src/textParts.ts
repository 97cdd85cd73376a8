// A message's text parts are stored as one text per unit (a user message, a run of an assistant's
// text): the event holds how that text splits back into the chat's parts, and their metadata,
// when one plain part would not say it. The unit's other parts (thinking, image, audio, video,
// document, structured output…) are kept in the same layout, in place, as they were.
import type { MessagePart } from '@ai-session-manager/core';
import { plainJson } from '@ai-session-manager/core/record';

/** Event metadata: the text parts a text unit was made of (see TextPartLayout). */
export const TEXT_PARTS = 'tanstackTextParts';

/** What is stored between a user message's text parts (an assistant's run joins them as they are). */
export const USER_SEPARATOR = '\n\n';

/**
 * One part of a unit: a text part by its length in the unit's text (and its `metadata`, JSON,
 * when it had one), or any other part whole (`part`, JSON).
 */
export type TextPartLayout =
  | { length: number; metadata?: unknown }
  /** `fileIndex`: the part's bytes (`source.value`) are the event's core file part at that index. */
  | { part: unknown; fileIndex?: number };

interface TextPartLike {
  type: string;
  content?: unknown;
  metadata?: unknown;
}

/** The layout of a unit's text parts; undefined for one part without metadata (the text says it all). */
export function textLayout(
  parts: readonly TextPartLike[],
  files: MessagePart[] = [],
): TextPartLayout[] | undefined {
  const layout = parts.map((part): TextPartLayout => {
    if (part.type !== 'text') return movedMedia(plainJson(part) ?? null, files);
    const length = typeof part.content === 'string' ? part.content.length : 0;
    const metadata = plainJson(part.metadata);
    return metadata === undefined ? { length } : { length, metadata };
  });
  const [only] = layout;
  return layout.length === 1 && only && 'length' in only && only.metadata === undefined ? undefined : layout;
}

/** The event metadata that keeps `layout` (none when there is none). */
export function layoutLink(layout: TextPartLayout[] | undefined): Record<string, unknown> {
  return layout ? { [TEXT_PARTS]: layout } : {};
}

/** A text part as TanStack's `TextPart`, with the metadata its adapters keep beside it. */
export type StoredTextPart = { type: 'text'; content: string; metadata?: unknown };

/**
 * `text` split back into the parts `layout` describes; one part when there is no layout or the
 * text no longer fits it (a reply cut short, an event edited by core).
 */
export function textParts(
  text: string,
  layout: unknown,
  separator: string,
  files: readonly MessagePart[] = [],
): unknown[] {
  const whole: StoredTextPart[] = [{ type: 'text', content: text }];
  if (!Array.isArray(layout) || !layout.every(isLayout)) return whole;
  const texts = layout.filter((l): l is { length: number; metadata?: unknown } => 'length' in l);
  const others = layout.filter((l) => 'part' in l).map((l) => restoredMedia(l, files));
  const total = texts.reduce((sum, l) => sum + l.length, 0);
  // A reply cut short keeps its text: its other parts, then the text whole.
  if (total + separator.length * Math.max(0, texts.length - 1) !== text.length)
    return text === '' && !texts.length ? others : [...others, ...whole];
  let at = 0;
  return layout.map((l: TextPartLayout) => {
    if ('part' in l) return restoredMedia(l, files);
    const content = text.slice(at, at + l.length);
    at += l.length + separator.length;
    return 'metadata' in l ? { type: 'text', content, metadata: l.metadata } : { type: 'text', content };
  });
}

/**
 * A media part (image, audio, video, document) whose bytes are inline (`source.type: 'data'`):
 * the bytes go to `files` as a core file part (a Blob in the store, counted toward the context)
 * and the layout names it; any other part as it is.
 */
function movedMedia(part: unknown, files: MessagePart[]): TextPartLayout {
  const source = (part as { source?: { type?: unknown; value?: unknown; mimeType?: unknown } } | null)
    ?.source;
  if (source?.type !== 'data' || typeof source.value !== 'string' || typeof source.mimeType !== 'string')
    return { part };
  files.push({
    type: 'file',
    mediaType: source.mimeType,
    url: `data:${source.mimeType};base64,${source.value}`,
  });
  const { value: _value, ...rest } = source;
  return { part: { ...(part as object), source: rest }, fileIndex: files.length - 1 };
}

/** A layout entry's part, its media bytes back from `files` when the layout names them there. */
export function restoredMedia(entry: TextPartLayout, files: readonly MessagePart[] = []): unknown {
  if (!('part' in entry)) return undefined;
  const url = entry.fileIndex === undefined ? undefined : files[entry.fileIndex]?.url;
  if (typeof url !== 'string') return entry.part;
  const part = entry.part as { source: object };
  return { ...part, source: { ...part.source, value: url.slice(url.indexOf(',') + 1) } };
}

function isLayout(value: unknown): value is TextPartLayout {
  if (value && typeof value === 'object' && 'part' in value) return true;
  const length = (value as { length?: unknown } | null)?.length;
  return typeof length === 'number' && Number.isInteger(length) && length >= 0;
}
