import type { ChatMessage } from '../types';

/** How a rollover summary is shown to a model; one wording everywhere a prompt carries it. */
export function summaryMessage(summary: string): ChatMessage {
  return { role: 'system', content: `Summary of the conversation so far:\n${summary}` };
}
