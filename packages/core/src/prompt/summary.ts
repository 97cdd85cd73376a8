import type { ChatMessage } from '../domain/types.ts';

/** Called at rollover with the closing segment's messages and the previous segment's summary. */
export type SummarizeFn = (messages: ChatMessage[], previousSummary?: string) => Promise<string> | string;

/**
 * The built-in extractive summary, used without a callback or when the callback fails: the start
 * of the conversation, key facts, the newest messages, within 4,000 characters (see
 * extractiveSummary.ts). Its code loads on first use, so it costs nothing up front.
 */
export async function extractiveSummary(
  messages: readonly ChatMessage[],
  previousSummary?: string,
): Promise<string> {
  const { buildExtractiveSummary } = await import('./extractiveSummary.ts');
  return buildExtractiveSummary(messages, previousSummary);
}
