// getMessagesForLLM's reads: the system prompt, the summary bridging into the head, the head's messages.
import { toChatMessages } from '../domain/transcript.ts';
import type { ChatMessage } from '../domain/types.ts';
import { newestMessagesWithin } from '../prompt/newestMessages.ts';
import { summaryMessage } from '../prompt/summaryMessage.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import { countTokensBatch } from '../tokens/index.ts';
import type { ConversationHead } from './conversationHead.ts';

export interface MessagesRequest {
  includeSystem: boolean;
  maxTokens: number | undefined;
  model: string;
}

/** What to send the model now; with `maxTokens`, only the newest messages that fit are read. */
export async function messagesForLLM(
  store: SessionStore,
  conversation: ConversationHead,
  { includeSystem, maxTokens, model }: MessagesRequest,
): Promise<ChatMessage[]> {
  const head = await conversation.fresh();
  const prefix: ChatMessage[] = [];
  const systemPrompt = conversation.systemPrompt;
  if (includeSystem && systemPrompt) prefix.push({ role: 'system', content: systemPrompt });
  if (head?.parentId) {
    const summary = await conversation.summaryOf(head.parentId);
    if (summary !== undefined) prefix.push(summaryMessage(summary));
  }
  if (!head) return prefix;
  const path = { activeLeafId: head.state.activeLeafId as string | undefined };
  // A branched head is read whole (it is one segment) to follow its active path.
  const events = maxTokens === undefined || head.state.branched ? await store.getEvents(head.id) : undefined;
  if (maxTokens === undefined) return [...prefix, ...toChatMessages(events!, path)];
  const known = events && toChatMessages(events, path);
  const count = (texts: string[]) => countTokensBatch(texts, model);
  return [...prefix, ...(await newestMessagesWithin(store, head, prefix, maxTokens, count, known))];
}
