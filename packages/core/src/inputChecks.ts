// Checks of what a SessionManager is asked to record, loaded on the first recording call
// (sessionManager.ts imports this lazily to keep its up-front size down).
import { InvalidInputError } from './errors';
import type { ProviderUsage } from './sessionManager';
import { objectArg } from './validate';

export { toJsonRecord, toJsonValue } from './jsonValue';

/**
 * Provider-reported usage in our or OpenAI's spelling, as non-negative safe integers
 * (total defaults to prompt + completion). Anything but an object of such counts is refused.
 */
export function normalizeUsage(usage: unknown): { prompt: number; completion: number; total: number } {
  const u = objectArg<ProviderUsage>(usage, 'usage');
  const prompt = count(u.promptTokens ?? u.prompt_tokens ?? 0, 'usage.promptTokens');
  const completion = count(u.completionTokens ?? u.completion_tokens ?? 0, 'usage.completionTokens');
  const total = count(u.totalTokens ?? u.total_tokens ?? prompt + completion, 'usage.totalTokens');
  return { prompt, completion, total };
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
