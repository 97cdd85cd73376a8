import { countTokensBatch, DEFAULT_TOKEN_MODEL } from '../tokens/index.ts';
import type { ChatMessage } from '../domain/types.ts';

export interface TruncateOptions {
  /** Keep the first user message (the task) even when older turns go. Default true. */
  keepFirstUserMessage?: boolean;
}

/** The implementation (promptTruncation.ts) loads on first use, with the prompt strategies. */
const loadTruncation = () => import('../onDemand.ts');

/**
 * The messages that fit in `maxTokens`, counted as OpenAI bills a chat request (see
 * countChatTokens), in their original order. What is kept, by priority:
 * 1. the system prompt (a leading system message); if it alone does not fit, this throws,
 *    because no prompt without it would be the one asked for;
 * 2. the other leading system messages (e.g. a summary), each if it still fits;
 * 3. the first user message (unless `keepFirstUserMessage: false`), if it still fits;
 * 4. the newest messages, newest first, while they fit: the first that does not fit stops it,
 *    so the kept tail is contiguous and no turn is cut out of the middle of it.
 */
export async function truncatePromptToTokenLimit(
  messages: readonly ChatMessage[],
  maxTokens: number,
  model: string = DEFAULT_TOKEN_MODEL,
  options: TruncateOptions = {},
): Promise<ChatMessage[]> {
  const { truncateMessages } = await loadTruncation();
  return truncateMessages(messages, maxTokens, (texts) => countTokensBatch(texts, model), options);
}
