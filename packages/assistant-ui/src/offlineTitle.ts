import type { RemoteThreadListAdapter, ThreadMessage } from '@assistant-ui/react';

/** What `generateTitle` resolves to: assistant-stream's `AssistantStream` (a ReadableStream of chunks). */
export type TitleStream = Awaited<ReturnType<RemoteThreadListAdapter['generateTitle']>>;

/**
 * A title made offline from the thread's first user message: its first line, whitespace
 * collapsed, cut at a word boundary to at most `maxLength` characters (with an ellipsis).
 * Undefined when no user message has text.
 */
export function offlineTitle(messages: readonly ThreadMessage[], maxLength = 48): string | undefined {
  const first = messages.find(
    (m) => m.role === 'user' && m.content.some((p) => p.type === 'text' && p.text.trim()),
  );
  if (!first) return undefined;
  const text = first.content
    .filter((p): p is Extract<typeof p, { type: 'text' }> => p.type === 'text')
    .map((p) => p.text)
    .join(' ');
  const line = (text.split('\n').find((l) => l.trim()) ?? '').replace(/\s+/g, ' ').trim();
  if (line.length <= maxLength) return line;
  const cut = line.slice(0, maxLength - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** `text` as assistant-ui streams a title: one text part, word by word. */
export function titleStream(text: string | undefined): TitleStream {
  const words = text ? (text.match(/\S+\s*/g) ?? []) : [];
  const chunks: unknown[] = [];
  if (words.length) {
    chunks.push({ type: 'part-start', path: [0], part: { type: 'text' } });
    for (const word of words) chunks.push({ type: 'text-delta', path: [0], textDelta: word });
    chunks.push({ type: 'part-finish', path: [0] });
  }
  type Chunk = TitleStream extends ReadableStream<infer C> ? C : never;
  return new ReadableStream<Chunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk as Chunk);
      controller.close();
    },
  }) as TitleStream;
}
