import type { UIMessage } from '@tanstack/ai-client';

// How one list the chat hands over differs from the last: by message id, in order (ChatClient
// hands new lists that reuse the objects of unchanged messages).

/** Whether `next` drops one of the ended run's messages `streamedInto` that `current` holds (the chat removed it). */
export function dropsReply(
  current: readonly UIMessage[],
  next: readonly UIMessage[],
  streamedInto: Iterable<string>,
): boolean {
  for (const id of streamedInto) {
    if (holds(current, id) && !holds(next, id)) return true;
  }
  return false;
}

function holds(messages: readonly UIMessage[], id: string): boolean {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.id === id) return true;
  return false;
}

/** Whether both lists hold the same messages in the same order (a streamed delta changes none). */
export function sameIds(a: readonly UIMessage[], b: readonly UIMessage[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i] && a[i]!.id !== b[i]!.id) return false;
  return true;
}

/** How much text a message shows (a run's end waits until the chat shows all it streamed). */
export function textLength(message: UIMessage): number {
  let n = 0;
  for (const part of message.parts) if (part.type === 'text') n += part.content.length;
  return n;
}

/** How many messages `list` begins with that `previous` begins with too (by id). */
export function sharedStart(previous: readonly UIMessage[], list: readonly UIMessage[]): number {
  let k = 0;
  while (
    k < list.length &&
    k < previous.length &&
    (list[k] === previous[k] || list[k]!.id === previous[k]!.id)
  )
    k++;
  return k;
}

/**
 * The ids of `previous` from index `from` on that `list` no longer holds. Only what is really
 * gone counts as dropped: a message removed from the middle leaves the ones after it in the
 * list (at other positions), and they are stored already.
 */
export function droppedFrom(
  previous: readonly UIMessage[],
  list: readonly UIMessage[],
  from: number,
): string[] {
  const kept = new Set(list.slice(from).map((m) => m.id));
  return previous
    .slice(from)
    .map((m) => m.id)
    .filter((id) => !kept.has(id));
}
