// The TokenUsage a recorded message carries. `contextTokens` is always the message's own text,
// counted (what it occupies in the context window); the other figures are what was billed.
import { estimateCost } from './estimateCost.ts';
import { countTokens, loadTokenizer, tokenCountSource, tokenizerReady } from '../tokens/index.ts';
import type { BilledTokens } from '../domain/providerUsage.ts';
import { TOKEN_KINDS, type TokenUsage } from '../domain/types.ts';

/** A user message: its counted tokens are prompt tokens, priced as input. */
export async function userMessageUsage(model: string, text: string): Promise<TokenUsage> {
  const tokens = await countTokens(text, model);
  return priced(model, tokens, 0, tokens, tokenCountSource(model), tokens);
}

/** An assistant reply: the provider's `billed` counts when given, else its counted text as completion tokens. */
export async function replyUsage(model: string, text: string, billed?: BilledTokens): Promise<TokenUsage> {
  const counted = await countTokens(text, model);
  if (!billed) return priced(model, 0, counted, counted, tokenCountSource(model), counted);
  return billedUsage(model, billed, counted);
}

/** What the provider billed, priced, with the text's own counted size as contextTokens. */
async function billedUsage(model: string, billed: BilledTokens, contextTokens: number): Promise<TokenUsage> {
  const usage = await priced(
    model,
    billed.prompt,
    billed.completion,
    billed.total,
    'provider',
    contextTokens,
    billed.kinds,
  );
  return { ...usage, ...billed.kinds };
}

/**
 * A message's usage now if its tokenizer is loaded; else a pending usage (counted figures 0,
 * billed ones as reported) so the message is stored without waiting, and `finalUsage` follows.
 */
export async function usageNow(
  role: 'user' | 'llm',
  model: string,
  text: string,
  billed?: BilledTokens,
): Promise<TokenUsage> {
  if (tokenizerReady(model))
    return role === 'user' ? userMessageUsage(model, text) : replyUsage(model, text, billed);
  void loadTokenizer(model).catch(() => undefined);
  const usage = billed
    ? await billedUsage(model, billed, 0)
    : await priced(model, 0, 0, 0, tokenCountSource(model), 0);
  return { ...usage, pending: true };
}

/** The counted usage of a message stored with a pending one (its billed figures kept). */
export function finalUsage(role: 'user' | 'llm', text: string, pending: TokenUsage): Promise<TokenUsage> {
  if (role === 'user') return userMessageUsage(pending.model, text);
  if (pending.source !== 'provider') return replyUsage(pending.model, text);
  const { promptTokens: prompt, completionTokens: completion, totalTokens: total } = pending;
  const kinds = Object.fromEntries(
    TOKEN_KINDS.filter((k) => pending[k] !== undefined).map((k) => [k, pending[k]]),
  );
  return replyUsage(pending.model, text, { prompt, completion, total, kinds });
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
