// How full a model's context window is with a given request: the "context gauge" of chat UIs.
import { getContextWindow } from '../pricing/index.ts';
import { countChatTokens, tokenCountSource } from '../tokens/index.ts';
import type { ChatMessage } from '../domain/types.ts';
import { isSummaryMessage } from './summaryMessage.ts';

export interface ContextUsage {
  /** The model whose tokenizer counted and whose window is measured. */
  model: string;
  /**
   * Prompt tokens of the request, as OpenAI bills a chat request (`countChatTokens`), with the
   * images and documents its messages hold (`mediaTokens`).
   */
  tokens: number;
  /** Of `tokens`, those of images and documents (by the provider's rule for the model). */
  mediaTokens: number;
  /** The model's context window (registered, else the price catalog's); null when unknown. */
  contextWindow: number | null;
  /** tokens / contextWindow (may exceed 1); null when the window is unknown. */
  fraction: number | null;
  /** contextWindow - tokens, never below 0; null when the window is unknown. */
  remaining: number | null;
  /** How many messages the request holds, system prompt and summary included. */
  messages: number;
  /** Whether a rollover summary is among them. */
  includesSummary: boolean;
  /** 'counted' (exact tokenizer) or 'estimated' (another family, counted with o200k). */
  source: 'counted' | 'estimated';
}

/** The context usage of `messages` (what getMessagesForLLM returned) for `model`. */
export async function contextUsageOf(
  messages: readonly ChatMessage[],
  model: string,
  mediaTokens = 0,
): Promise<ContextUsage> {
  const [text, contextWindow] = await Promise.all([
    countChatTokens(messages, model),
    getContextWindow(model),
  ]);
  const tokens = text + mediaTokens;
  return {
    model,
    tokens,
    mediaTokens,
    contextWindow,
    fraction: contextWindow ? tokens / contextWindow : null,
    remaining: contextWindow ? Math.max(0, contextWindow - tokens) : null,
    messages: messages.length,
    includesSummary: messages.some(isSummaryMessage),
    source: tokenCountSource(model),
  };
}
