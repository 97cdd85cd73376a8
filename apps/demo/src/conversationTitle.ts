import type { ConversationSummary } from '@ai-session-manager/core';
import { formatDate } from './format';

/** A conversation's title: the one the demo stored in its metadata, else its start time. */
export function conversationTitle(conversation: ConversationSummary): string {
  const title = conversation.metadata.title;
  return typeof title === 'string' && title.trim()
    ? title
    : `Conversation of ${formatDate(conversation.createdAt)}`;
}
