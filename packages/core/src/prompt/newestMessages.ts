// getMessagesForLLM's `maxTokens` path: the newest messages that fit a budget.
import type { SessionStore } from '../storage/sessionStore.ts';
import { TOKENS_PER_MESSAGE, TOKENS_REPLY_PRIMING } from '../tokens/chatTokenOverhead.ts';
import { toChatMessages } from '../domain/transcript.ts';
import type { ChatMessage, Session } from '../domain/types.ts';
import type { CountTexts } from './truncatePrompt.ts';

const PAGE_SIZE = 64;

/**
 * The head's newest messages that fit in `maxTokens` after `prefix` (system prompt, summary),
 * oldest first. Pages back from the newest event, so only what is returned is read.
 */
export async function newestMessagesWithin(
  store: SessionStore,
  head: Session,
  prefix: ChatMessage[],
  maxTokens: number,
  /** countTokensBatch with the tokenizer of the model the prompt is for. */
  countTexts: CountTexts,
  /** The head's messages when already read (a branched head); else they are paged from the newest. */
  known: ChatMessage[] | undefined,
): Promise<ChatMessage[]> {
  // Counted as countChatTokens does, so the result never exceeds the budget by its measure;
  // one batch per page (in browsers at most one round trip to the tokenizer worker).
  const costs = async (messages: ChatMessage[]): Promise<number[]> => {
    const counts = await countTexts(messages.flatMap((m) => [m.role, m.content]));
    return messages.map((_, i) => TOKENS_PER_MESSAGE + counts[2 * i]! + counts[2 * i + 1]!);
  };
  let used = (await costs(prefix)).reduce((sum, cost) => sum + cost, TOKENS_REPLY_PRIMING);
  const kept: ChatMessage[] = [];
  let beforeSeq = head.totals.events;
  while (beforeSeq > 0) {
    const page = known ? [] : await store.getEvents(head.id, { beforeSeq, limit: PAGE_SIZE, reverse: true });
    const messages = known ? known.reverse() : toChatMessages(page);
    if (messages.length === 0 && page.length === 0) break;
    const pageCosts = await costs(messages);
    for (let i = 0; i < messages.length; i++) {
      used += pageCosts[i]!;
      if (used > maxTokens) return kept.reverse();
      kept.push(messages[i]!);
    }
    beforeSeq = known ? 0 : page[page.length - 1]!.seq;
  }
  return kept.reverse();
}
