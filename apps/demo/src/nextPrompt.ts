import { type ChatMessage, countChatTokens, type GetMessagesOptions } from '@ai-session-manager/core';

/** Prompt budget of every request: system prompt, summary and the newest turns that fit. */
export const PROMPT_BUDGET = 8000;

/** How the demo reads what the model sees (a session's `getMessagesForLLM`). */
export type ReadPrompt = (options?: GetMessagesOptions) => Promise<ChatMessage[]>;

/**
 * The messages of the next request: what `getMessagesForLLM` returns within the budget, less the
 * room the new message takes, then the new message itself (when there is one).
 */
export async function nextPrompt(read: ReadPrompt, model: string, message?: string): Promise<ChatMessage[]> {
  if (message === undefined) return read({ maxTokens: PROMPT_BUDGET, model });
  const own = await countChatTokens([{ role: 'user', content: message }], model);
  const history = await read({ maxTokens: Math.max(1, PROMPT_BUDGET - own), model });
  return [...history, { role: 'user', content: message }];
}

/** One message of the next request, as the context panel lists it. */
export interface PromptLine {
  kind: 'system' | 'summary' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Its share of the request's tokens (role, text and per-message overhead). */
  tokens: number;
}

export interface PromptView {
  lines: PromptLine[];
  /** Tokens of the whole request as `countChatTokens` counts it (before the new message). */
  total: number;
  budget: number;
  /** Messages of the current segment that do not fit the budget and are not sent. */
  leftOut: number;
}

const SUMMARY_PREFIX = 'Summary of the conversation so far:';

/**
 * What the next request carries before the new message: the system prompt, the summary, the
 * turns that fit. `segmentMessages` (the current segment's user and assistant messages, from its
 * running totals) tells how many do not fit, without reading them.
 */
export async function describePrompt(
  read: ReadPrompt,
  model: string,
  segmentMessages: number,
): Promise<PromptView> {
  const fitting = await read({ maxTokens: PROMPT_BUDGET, model });
  const [total, priming, ...each] = await Promise.all([
    countChatTokens(fitting, model),
    countChatTokens([], model),
    ...fitting.map((m) => countChatTokens([m], model)),
  ]);
  const lines = fitting.map((m, i): PromptLine => {
    const kind = m.role === 'system' ? (m.content.startsWith(SUMMARY_PREFIX) ? 'summary' : 'system') : m.role;
    return { kind, content: m.content, tokens: each[i]! - priming };
  });
  const turns = lines.filter((line) => line.kind === 'user' || line.kind === 'assistant').length;
  return { lines, total, budget: PROMPT_BUDGET, leftOut: Math.max(0, segmentMessages - turns) };
}
