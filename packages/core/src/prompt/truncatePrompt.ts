import { InvalidInputError } from '../errors';
import {
  countTokensSync,
  DEFAULT_TOKEN_MODEL,
  loadTokenizer,
  TOKENS_PER_MESSAGE,
  TOKENS_REPLY_PRIMING,
} from '../tokens';
import type { ChatMessage } from '../types';
import { assertPositiveInteger } from '../validate';

export interface TruncateOptions {
  /** Keep the first user message (the task) even when older turns go. Default true. */
  keepFirstUserMessage?: boolean;
}

const TOKENS_PER_NAME = 1;

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
  if (!Array.isArray(messages)) throw new InvalidInputError('messages must be an array.', 'messages');
  assertPositiveInteger(maxTokens, 'maxTokens');
  await loadTokenizer(model);
  const cost = (m: ChatMessage) => messageTokens(m, model);
  const keep = new Set<number>();
  let used = TOKENS_REPLY_PRIMING;
  const tryKeep = (i: number): boolean => {
    if (keep.has(i)) return true;
    const c = cost(messages[i]!);
    if (used + c > maxTokens) return false;
    used += c;
    keep.add(i);
    return true;
  };

  let leading = 0;
  while (leading < messages.length && messages[leading]!.role === 'system') leading++;
  if (leading > 0 && !tryKeep(0)) {
    throw new InvalidInputError(
      `maxTokens (${maxTokens}) is too small: the system prompt alone needs ${TOKENS_REPLY_PRIMING + cost(messages[0]!)} tokens.`,
      'maxTokens',
    );
  }
  for (let i = 1; i < leading; i++) tryKeep(i);
  if (options.keepFirstUserMessage ?? true) {
    const first = messages.findIndex((m) => m.role === 'user');
    if (first >= 0) tryKeep(first);
  }
  for (let i = messages.length - 1; i >= leading; i--) {
    if (!tryKeep(i)) break;
  }
  return messages.filter((_, i) => keep.has(i));
}

/** One message's share of a chat request: overhead, role, content, name, and any tool calls. */
function messageTokens(m: ChatMessage, model: string): number {
  const content = typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '');
  let tokens = TOKENS_PER_MESSAGE + countTokensSync(m.role, model) + countTokensSync(content, model);
  if (typeof m.name === 'string') tokens += TOKENS_PER_NAME + countTokensSync(m.name, model);
  if (m.tool_calls !== undefined) tokens += countTokensSync(JSON.stringify(m.tool_calls), model);
  return tokens;
}
