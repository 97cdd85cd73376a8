// getMessagesForLLM's reads: the system prompt, the summary bridging into the head, the head's messages.
import { toChatMessages } from '../domain/transcript.ts';
import { activePath } from '../domain/activePath.ts';
import { isFinished } from '../domain/replyStatus.ts';
import { type ChatMessage, EventType, type SessionEvent } from '../domain/types.ts';
import { newestMessagesWithin } from '../prompt/newestMessages.ts';
import { summaryMessage } from '../prompt/summaryMessage.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import { countTokensBatch } from '../tokens/index.ts';
import type { ConversationHead } from './conversationHead.ts';

export interface MessagesRequest {
  includeSystem: boolean;
  maxTokens: number | undefined;
  model: string;
  /** Filled with the media tokens (images, documents) of the messages read whole (no maxTokens). */
  media?: { tokens: number };
}

/** What to send the model now; with `maxTokens`, only the newest messages that fit are read. */
export async function messagesForLLM(
  store: SessionStore,
  conversation: ConversationHead,
  { includeSystem, maxTokens, model, media }: MessagesRequest,
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
  if (maxTokens === undefined) {
    if (media) media.tokens = mediaTokensOf(events!, path);
    return [...prefix, ...toChatMessages(events!, path)];
  }
  const known = events && toChatMessages(events, path);
  const count = (texts: string[]) => countTokensBatch(texts, model);
  return [...prefix, ...(await newestMessagesWithin(store, head, prefix, maxTokens, count, known))];
}

/** The media tokens of the messages toChatMessages gives for `events` (their text alone is in the messages). */
function mediaTokensOf(events: readonly SessionEvent[], path: { activeLeafId: string | undefined }): number {
  let tokens = 0;
  for (const e of activePath(events, path.activeLeafId))
    if (e.type === EventType.MESSAGE && isFinished(e)) tokens += e.tokenUsage?.mediaTokens ?? 0;
  return tokens;
}
