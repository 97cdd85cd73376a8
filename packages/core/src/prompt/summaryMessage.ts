import type { ChatMessage } from '../domain/types.ts';

const SUMMARY_HEADING = 'Summary of the conversation so far:\n';

/** How a rollover summary is shown to a model; one wording everywhere a prompt carries it. */
export function summaryMessage(summary: string): ChatMessage {
  return { role: 'system', content: `${SUMMARY_HEADING}${summary}` };
}

/** Whether `message` is a rollover summary as summaryMessage words it. */
export function isSummaryMessage(message: ChatMessage): boolean {
  return message.role === 'system' && message.content.startsWith(SUMMARY_HEADING);
}
