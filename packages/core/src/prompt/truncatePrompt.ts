import { InvalidInputError } from '../domain/errors.ts';
import type { ChatMessage } from '../domain/types.ts';
import { assertPositiveInteger } from '../domain/validate.ts';
import { TOKENS_PER_MESSAGE, TOKENS_PER_NAME, TOKENS_REPLY_PRIMING } from '../tokens/chatTokenOverhead.ts';
import { countTokensBatch, DEFAULT_TOKEN_MODEL } from '../tokens/index.ts';

export interface TruncateOptions {
  /** Keep the first user message (the task) even when older turns go. Default true. */
  keepFirstUserMessage?: boolean;
}

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
  return truncateMessages(messages, maxTokens, (texts) => countTokensBatch(texts, model), options);
}

/** Token counts of `texts`, in order, with the tokenizer of the model the prompt is for. */
export type CountTexts = (texts: string[]) => Promise<number[]>;

// The newest messages are counted this many at a time (one batch each, in browsers at most one
// round trip to the tokenizer worker), so a long history is counted only as far as it is kept.
const TAIL_BATCH = 64;

/** truncatePromptToTokenLimit over any counter (getMessagesForLLM and buildPrompt pass theirs). */
export async function truncateMessages(
  messages: readonly ChatMessage[],
  maxTokens: number,
  countTexts: CountTexts,
  options: TruncateOptions,
): Promise<ChatMessage[]> {
  if (!Array.isArray(messages)) throw new InvalidInputError('messages must be an array.', 'messages');
  assertPositiveInteger(maxTokens, 'maxTokens');
  const costs = new Map<number, number>();
  const count = async (indices: number[]): Promise<void> => {
    const todo = indices.filter((i) => !costs.has(i));
    const parts = todo.map((i) => messageParts(messages[i]!));
    const counts = await countTexts(parts.flatMap((p) => p.texts));
    let at = 0;
    todo.forEach((i, k) => {
      const { texts, overhead } = parts[k]!;
      let tokens = overhead;
      for (let j = 0; j < texts.length; j++) tokens += counts[at++]!;
      costs.set(i, tokens);
    });
  };
  const keep = new Set<number>();
  let used = TOKENS_REPLY_PRIMING;
  const tryKeep = (i: number): boolean => {
    if (keep.has(i)) return true;
    const c = costs.get(i)!;
    if (used + c > maxTokens) return false;
    used += c;
    keep.add(i);
    return true;
  };

  let leading = 0;
  while (leading < messages.length && messages[leading]!.role === 'system') leading++;
  const first = (options.keepFirstUserMessage ?? true) ? messages.findIndex((m) => m.role === 'user') : -1;
  const leadingAndFirst: number[] = [];
  for (let i = 0; i < leading; i++) leadingAndFirst.push(i);
  if (first >= 0) leadingAndFirst.push(first);
  await count(leadingAndFirst);
  if (leading > 0 && !tryKeep(0)) {
    throw new InvalidInputError(
      `maxTokens (${maxTokens}) is too small: the system prompt alone needs ${TOKENS_REPLY_PRIMING + costs.get(0)!} tokens.`,
      'maxTokens',
    );
  }
  for (let i = 1; i < leading; i++) tryKeep(i);
  if (first >= 0) tryKeep(first);
  newest: for (let end = messages.length; end > leading; end -= TAIL_BATCH) {
    const batch: number[] = [];
    for (let i = end - 1; i >= Math.max(leading, end - TAIL_BATCH); i--) batch.push(i);
    await count(batch);
    for (const i of batch) if (!tryKeep(i)) break newest;
  }
  return messages.filter((_, i) => keep.has(i));
}

/** One message's share of a chat request: overhead, then role, content, name and any tool calls. */
function messageParts(m: ChatMessage): { texts: string[]; overhead: number } {
  const content = typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '');
  const texts = [m.role, content];
  let overhead = TOKENS_PER_MESSAGE;
  if (typeof m.name === 'string') {
    texts.push(m.name);
    overhead += TOKENS_PER_NAME;
  }
  if (m.tool_calls !== undefined) texts.push(JSON.stringify(m.tool_calls));
  return { texts, overhead };
}
