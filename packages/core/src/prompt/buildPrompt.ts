import type { SessionManager } from '../session/sessionManager.ts';
import { countTokensBatch } from '../tokens/index.ts';
import type { ChatMessage } from '../domain/types.ts';

export type PromptStrategy = 'minimal' | 'task' | 'tool' | 'conversation' | 'hierarchical';

export interface BuildPromptOptions {
  strategy: PromptStrategy;
  /** Drop messages (see truncatePromptToTokenLimit) until the prompt fits. */
  maxTokens?: number;
  /** Tokenizer for maxTokens; default: the manager's defaultModel. */
  model?: string;
  /** Turns (or, for `tool`, tool calls) to include. Default 5. */
  maxHistory?: number;
}

/**
 * The strategies and this function's implementation (promptBuilder.ts) load on first use, so
 * apps that never build a prompt this way do not download them.
 */
const loadBuilder = () => import('../onDemand.ts');

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
  const { buildPromptFrom } = await loadBuilder();
  return buildPromptFrom(manager, options, countTokensBatch);
}
