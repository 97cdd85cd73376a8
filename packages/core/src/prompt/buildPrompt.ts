import { InvalidInputError } from '../domain/errors.ts';
import type { ChatMessage } from '../domain/types.ts';
import { assertPositiveInteger, objectArg } from '../domain/validate.ts';
import type { SessionManager } from '../session/sessionManager.ts';
import { countTokensBatch } from '../tokens/index.ts';
import { type PromptStrategy, strategyMessages } from './promptStrategies.ts';
import { summaryMessage } from './summaryMessage.ts';
import { truncateMessages } from './truncatePrompt.ts';

export interface BuildPromptOptions {
  strategy: PromptStrategy;
  /** Drop messages (see truncatePromptToTokenLimit) until the prompt fits. */
  maxTokens?: number;
  /** Tokenizer for maxTokens; default: the manager's defaultModel. */
  model?: string;
  /** Turns (or, for `tool`, tool calls) to include. Default 5. */
  maxHistory?: number;
}

const STRATEGIES: readonly PromptStrategy[] = ['minimal', 'task', 'tool', 'conversation', 'hierarchical'];

/**
 * A prompt built from the stored conversation. Every strategy starts with the system prompt when
 * there is one. A turn is a user message and the assistant messages after it.
 * - minimal: the last user message, then what answered it: tool calls made after it (the newest
 *   `maxHistory`, as one "Tool results" system message) and the latest assistant message,
 *   in the order they happened.
 * - task: the conversation's first user message (the task), then the last `maxHistory` turns.
 * - tool: the last user message, then the last `maxHistory` tool calls of the conversation as
 *   one "Tool results" system message.
 * - conversation: the last `maxHistory` turns, across segments.
 * - hierarchical: the summary that bridged into the current segment (as getMessagesForLLM shows
 *   it), then the last `maxHistory` turns of the current segment only.
 * With `maxTokens`, older messages go first; task, minimal and tool keep their first user message.
 */
export async function buildPrompt(
  manager: SessionManager,
  options: BuildPromptOptions,
): Promise<ChatMessage[]> {
  const {
    strategy,
    maxTokens,
    model = manager.defaultModel,
    maxHistory = 5,
  } = objectArg<BuildPromptOptions>(options ?? null, 'options');
  if (!STRATEGIES.includes(strategy)) {
    throw new InvalidInputError(
      `strategy must be one of ${STRATEGIES.join(', ')}, got ${String(strategy)}.`,
      'strategy',
    );
  }
  assertPositiveInteger(maxHistory, 'maxHistory');
  if (maxTokens !== undefined) assertPositiveInteger(maxTokens, 'maxTokens');
  // Also loads the manager, so the system prompt below is the stored one.
  const chain = await manager.getSessionChain();
  const { summary, messages: body } = await strategyMessages(strategy, manager.store, chain, maxHistory);
  const messages: ChatMessage[] = manager.systemPrompt
    ? [{ role: 'system', content: manager.systemPrompt }]
    : [];
  if (summary !== undefined) messages.push(summaryMessage(summary));
  messages.push(...body);
  if (maxTokens === undefined) return messages;
  const keepFirstUserMessage = strategy !== 'conversation' && strategy !== 'hierarchical';
  return truncateMessages(messages, maxTokens, (texts) => countTokensBatch(texts, model), {
    keepFirstUserMessage,
  });
}
