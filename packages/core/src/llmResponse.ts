import { InvalidInputError } from './errors';
import { MAIN_COUNTS } from './inputChecks';
import type { ProviderUsage } from './sessionManager';

/** What trackLLMCall records from whatever an LLM function returned. */
export interface LLMResponseParts {
  content: string;
  /** Provider-reported token counts, when the response carries them. */
  usage?: ProviderUsage;
  /** The model the provider says answered. */
  model?: string;
}

/**
 * Reads an LLM function's result: a string; an OpenAI chat completion
 * (`choices[0].message.content`, `usage`, `model`); or any object with `.content` — a string,
 * or Anthropic-style text blocks, with Anthropic's `usage.input_tokens/output_tokens` understood.
 */
export function readLLMResponse(response: unknown): LLMResponseParts {
  if (typeof response === 'string') return { content: response };
  if (response && typeof response === 'object') {
    const r = response as { choices?: unknown; content?: unknown; usage?: unknown; model?: unknown };
    const extras: Omit<LLMResponseParts, 'content'> = {};
    const usage = usageOf(r.usage);
    if (usage) extras.usage = usage;
    if (typeof r.model === 'string' && r.model !== '') extras.model = r.model;
    if (Array.isArray(r.choices)) {
      const content = (r.choices[0] as { message?: { content?: unknown } } | undefined)?.message?.content;
      if (content === null || content === undefined) return { content: '', ...extras };
      if (typeof content === 'string') return { content, ...extras };
    } else if (typeof r.content === 'string') {
      return { content: r.content, ...extras };
    } else if (Array.isArray(r.content)) {
      const text = r.content
        .filter((b): b is { type: 'text'; text: string } => b?.type === 'text' && typeof b.text === 'string')
        .map((b) => b.text)
        .join('');
      return { content: text, ...extras };
    }
  }
  throw new InvalidInputError(
    'The LLM function must return a string, an object with a string `.content`, or an OpenAI-style ' +
      '`{ choices: [{ message: { content } }] }` response.',
    'response',
  );
}

/** The keys of ProviderUsage: the counts normalizeUsage understands, in every spelling. */
const USAGE_KEYS = [
  'promptTokens',
  'completionTokens',
  'totalTokens',
  'cachedPromptTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'prompt_tokens_details',
  'completion_tokens_details',
  'input_tokens',
  'output_tokens',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
  'input_tokens_details',
  'output_tokens_details',
  'inputTokens',
  'outputTokens',
  'inputTokenDetails',
  'outputTokenDetails',
  'cachedInputTokens',
] as const;

/** The response's usage reduced to what is recorded (provider objects carry other fields too). */
function usageOf(usage: unknown): ProviderUsage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const u = usage as Record<string, unknown>;
  // A usage object without any count we know is treated as absent, so tokens get counted instead.
  if (!MAIN_COUNTS.some((key) => typeof u[key] === 'number')) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of USAGE_KEYS) if (u[key] !== undefined) out[key] = u[key];
  return out as ProviderUsage;
}
