// A message's text parts are stored as one text per unit (a user message, a run of an assistant's
// text): the event holds how that text splits back into the chat's parts, and their metadata,
// when one plain part would not say it.
import { plainJson } from '@ai-session-manager/core/record';

/** Event metadata: the text parts a text unit was made of (see TextPartLayout). */
export const TEXT_PARTS = 'tanstackTextParts';

/** What is stored between a user message's text parts (an assistant's run joins them as they are). */
export const USER_SEPARATOR = '\n\n';

/** One text part of a unit: its length in the unit's text, and its `metadata` (JSON) when it had one. */
export interface TextPartLayout {
  length: number;
  metadata?: unknown;
}

interface TextPartLike {
  type: string;
  content?: unknown;
  metadata?: unknown;
}

/** The layout of a unit's text parts; undefined for one part without metadata (the text says it all). */
export function textLayout(parts: readonly TextPartLike[]): TextPartLayout[] | undefined {
  const layout = parts.map((part): TextPartLayout => {
    const length = typeof part.content === 'string' ? part.content.length : 0;
    const metadata = plainJson(part.metadata);
    return metadata === undefined ? { length } : { length, metadata };
  });
  return layout.length === 1 && layout[0]!.metadata === undefined ? undefined : layout;
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
export function textParts(text: string, layout: unknown, separator: string): StoredTextPart[] {
  const whole: StoredTextPart[] = [{ type: 'text', content: text }];
  if (!Array.isArray(layout) || !layout.every(isLayout)) return whole;
  const total = layout.reduce((sum: number, l: TextPartLayout) => sum + l.length, 0);
  if (total + separator.length * Math.max(0, layout.length - 1) !== text.length) return whole;
  let at = 0;
  return layout.map((l: TextPartLayout) => {
    const content = text.slice(at, at + l.length);
    at += l.length + separator.length;
    return 'metadata' in l ? { type: 'text', content, metadata: l.metadata } : { type: 'text', content };
  });
}

function isLayout(value: unknown): value is TextPartLayout {
  const length = (value as { length?: unknown } | null)?.length;
  return typeof length === 'number' && Number.isInteger(length) && length >= 0;
}
