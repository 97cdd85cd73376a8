import { InvalidInputError } from '../domain/errors.ts';
import { MAIN_COUNTS, type ProviderUsage } from '../domain/providerUsage.ts';

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

/** The response's usage when it carries a count we know (normalizeUsage reads every spelling). */
function usageOf(usage: unknown): ProviderUsage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const u = usage as Record<string, unknown>;
  // A usage object without any count we know is treated as absent, so tokens get counted instead.
  return MAIN_COUNTS.some((key) => typeof u[key] === 'number') ? (u as ProviderUsage) : undefined;
}
