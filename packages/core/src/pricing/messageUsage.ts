// The TokenUsage a recorded message carries. `contextTokens` is always the message's own text,
// counted (what it occupies in the context window); the other figures are what was billed.
import { estimateCost } from './estimateCost.ts';
import { countTokens, tokenCountSource } from '../tokens/index.ts';
import type { BilledTokens } from '../domain/providerUsage.ts';
import type { TokenUsage } from '../domain/types.ts';

/** A user message: its counted tokens are prompt tokens, priced as input. */
export async function userMessageUsage(model: string, text: string): Promise<TokenUsage> {
  const tokens = await countTokens(text, model);
  return priced(model, tokens, 0, tokens, tokenCountSource(model), tokens);
}

/** An assistant reply: the provider's `billed` counts when given, else its counted text as completion tokens. */
export async function replyUsage(model: string, text: string, billed?: BilledTokens): Promise<TokenUsage> {
  const counted = await countTokens(text, model);
  if (!billed) return priced(model, 0, counted, counted, tokenCountSource(model), counted);
  const usage = await priced(
    model,
    billed.prompt,
    billed.completion,
    billed.total,
    'provider',
    counted,
    billed.kinds,
  );
  return { ...usage, ...billed.kinds };
}

async function priced(
  model: string,
  promptTokens: number,
  completionTokens: number,
  totalTokens: number,
  source: TokenUsage['source'],
  contextTokens: number,
  kinds?: BilledTokens['kinds'],
): Promise<TokenUsage> {
  const estimatedCostUsd = await estimateCost({ model, promptTokens, completionTokens, ...kinds });
  return { promptTokens, completionTokens, totalTokens, model, estimatedCostUsd, source, contextTokens };
}
