// Token usage as providers report it, read into the counts an event records.
import { InvalidInputError } from './errors.ts';
import type { TOKEN_KINDS, TokenUsage } from './types.ts';
import { objectArg } from './validate.ts';

/**
 * Token counts reported by the provider, in our, OpenAI's, Anthropic's or the AI SDK's spelling
 * (an SDK's `usage` object can be passed as is). Prompt tokens include cache reads and writes, as OpenAI
 * counts them; Anthropic's `input_tokens` excludes them, so they are added.
 */
export interface ProviderUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  cachedPromptTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  /** OpenAI Responses API (its input_tokens already include the cached ones); Anthropic's thinking tokens. */
  input_tokens_details?: { cached_tokens?: number | null } | null;
  output_tokens_details?: { reasoning_tokens?: number | null; thinking_tokens?: number | null } | null;
  /** The AI SDK's LanguageModelUsage (inputTokens includes cache reads and writes). */
  inputTokens?: number;
  outputTokens?: number;
  inputTokenDetails?: { cacheReadTokens?: number; cacheWriteTokens?: number };
  outputTokenDetails?: { reasoningTokens?: number };
  cachedInputTokens?: number;
}

/** Billed counts as a provider reports them, already checked (see normalizeUsage). */
export interface BilledTokens {
  prompt: number;
  completion: number;
  total: number;
  /** Cache and reasoning counts, when the provider reported them (part of prompt / completion). */
  kinds?: Partial<Pick<TokenUsage, (typeof TOKEN_KINDS)[number]>>;
}

/** The counts a usage object must carry at least one of, in any spelling we read. */
export const MAIN_COUNTS = [
  'promptTokens',
  'completionTokens',
  'totalTokens',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'input_tokens',
  'output_tokens',
  'inputTokens',
  'outputTokens',
] as const;

/**
 * Provider-reported usage as non-negative safe integers, in our spelling, OpenAI's (Chat
 * Completions and Responses), Anthropic's or the AI SDK's (`LanguageModelUsage`): total defaults
 * to prompt + completion; cache and reasoning counts are kept when reported. An object with none
 * of the counts we know, or anything but an object of counts, is refused (never recorded as 0).
 */
export function normalizeUsage(usage: unknown): BilledTokens {
  const u = objectArg<ProviderUsage>(usage, 'usage');
  if (!MAIN_COUNTS.some((key) => u[key] !== undefined && u[key] !== null)) {
    throw new InvalidInputError(
      "usage has no token count we know: give promptTokens/completionTokens, OpenAI's prompt_tokens/completion_tokens, " +
        "Anthropic's or OpenAI Responses' input_tokens/output_tokens, or the AI SDK's inputTokens/outputTokens.",
      'usage',
    );
  }
  const cachedPrompt = optionalCount(
    u.cachedPromptTokens ??
      detail(u.prompt_tokens_details, 'cached_tokens') ??
      detail(u.input_tokens_details, 'cached_tokens') ??
      u.cache_read_input_tokens ??
      detail(u.inputTokenDetails, 'cacheReadTokens') ??
      u.cachedInputTokens,
    'usage.cachedPromptTokens',
  );
  const cacheWrite = optionalCount(
    u.cacheWriteTokens ?? u.cache_creation_input_tokens ?? detail(u.inputTokenDetails, 'cacheWriteTokens'),
    'usage.cacheWriteTokens',
  );
  const reasoning = optionalCount(
    u.reasoningTokens ??
      detail(u.completion_tokens_details, 'reasoning_tokens') ??
      detail(u.output_tokens_details, 'reasoning_tokens') ??
      detail(u.output_tokens_details, 'thinking_tokens') ??
      detail(u.outputTokenDetails, 'reasoningTokens'),
    'usage.reasoningTokens',
  );
  // Anthropic's input_tokens leaves out cache reads and writes; our prompt counts them, as OpenAI's
  // (and the AI SDK's inputTokens) do. OpenAI Responses' input_tokens already includes its cache.
  const anthropicCache =
    (optionalCount(u.cache_read_input_tokens, 'usage.cache_read_input_tokens') ?? 0) +
    (optionalCount(u.cache_creation_input_tokens, 'usage.cache_creation_input_tokens') ?? 0);
  const prompt =
    u.promptTokens !== undefined || u.prompt_tokens !== undefined
      ? count(u.promptTokens ?? u.prompt_tokens, 'usage.promptTokens')
      : u.inputTokens !== undefined
        ? count(u.inputTokens, 'usage.inputTokens')
        : count(count(u.input_tokens ?? 0, 'usage.input_tokens') + anthropicCache, 'usage.input_tokens');
  const completion = count(
    u.completionTokens ?? u.completion_tokens ?? u.outputTokens ?? u.output_tokens ?? 0,
    'usage.completionTokens',
  );
  const total = count(u.totalTokens ?? u.total_tokens ?? prompt + completion, 'usage.totalTokens');
  if ((cachedPrompt ?? 0) + (cacheWrite ?? 0) > prompt) {
    throw new InvalidInputError(
      `usage.cachedPromptTokens: cache reads and writes (${cachedPrompt ?? 0} + ${cacheWrite ?? 0}) are part of the prompt tokens and cannot exceed them (${prompt}).`,
      'usage.cachedPromptTokens',
    );
  }
  if ((reasoning ?? 0) > completion) {
    throw new InvalidInputError(
      `usage.reasoningTokens: reasoning tokens (${reasoning}) are part of the completion tokens and cannot exceed them (${completion}).`,
      'usage.reasoningTokens',
    );
  }
  const billed: BilledTokens = { prompt, completion, total };
  const kinds: NonNullable<BilledTokens['kinds']> = {};
  if (cachedPrompt !== undefined) kinds.cachedPromptTokens = cachedPrompt;
  if (cacheWrite !== undefined) kinds.cacheWriteTokens = cacheWrite;
  if (reasoning !== undefined) kinds.reasoningTokens = reasoning;
  if (Object.keys(kinds).length) billed.kinds = kinds;
  return billed;
}

/** A field of a provider's `…_details` object; null and absent are both "not reported". */
function detail(details: unknown, key: string): unknown {
  return details && typeof details === 'object' ? (details as Record<string, unknown>)[key] : undefined;
}

function optionalCount(value: unknown, name: string): number | undefined {
  return value === undefined || value === null ? undefined : count(value, name);
}

function count(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new InvalidInputError(
      `${name} must be a non-negative integer up to 2^53 - 1, got ${String(value)}.`,
      name,
    );
  }
  return value as number;
}
