import type { MessageUnit } from './messageUnits.ts';

/**
 * The keys of a message's texts before `lastKey` that the same usage already covers. A text
 * before a tool call is finished when the call arrives, counted by our tokenizer; the provider's
 * usage for the run then covers it again. A run that streamed `streamed` characters into the
 * message produced its texts back from the end; without `streamed` the usage is the whole
 * message's, so it covers every earlier text.
 */
export function textsCoveredBefore(units: MessageUnit[], lastKey: string, streamed?: number): string[] {
  const texts = units.filter((u) => u.kind === 'text');
  const at = texts.findIndex((u) => u.key === lastKey);
  const last = texts[at];
  if (!last) return [];
  let left = streamed === undefined ? Number.POSITIVE_INFINITY : streamed - last.text.length;
  const keys: string[] = [];
  for (let i = at - 1; i >= 0 && left > 0; i--) {
    const text = texts[i] as MessageUnit & { kind: 'text' };
    keys.push(text.key);
    left -= text.text.length;
  }
  return keys;
}
