import type { ChatMessage } from './types';

/** Called at rollover with the closing segment's messages and the previous segment's summary. */
export type SummarizeFn = (messages: ChatMessage[], previousSummary?: string) => Promise<string> | string;

const MAX_LINE_CHARS = 200;
const MAX_SUMMARY_CHARS = 4000;

/**
 * The built-in extractive summary, used without a callback or when the callback fails.
 * It is cumulative (it carries the previous summary forward) and covers both sides of the
 * conversation, unlike upstream's, which lists only the user's first words. Bounded in size:
 * when too long, the oldest part of the carried summary is cut first.
 */
export function extractiveSummary(messages: readonly ChatMessage[], previousSummary?: string): string {
  const lines = messages
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => `- ${m.role === 'user' ? 'User' : 'Assistant'}: ${oneLine(m.content)}`);
  const current = lines.length ? `Latest part:\n${lines.join('\n')}` : 'Latest part: (no messages)';
  if (!previousSummary) return clip(current, MAX_SUMMARY_CHARS);
  const room = MAX_SUMMARY_CHARS - current.length - 'Earlier:\n\n\n'.length;
  if (room <= 0) return clip(current, MAX_SUMMARY_CHARS);
  const earlier = previousSummary.length > room ? `…${previousSummary.slice(previousSummary.length - room + 1)}` : previousSummary;
  return `Earlier:\n${earlier}\n\n${current}`;
}

function oneLine(text: string): string {
  return clip(text.replace(/\s+/g, ' ').trim(), MAX_LINE_CHARS);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
