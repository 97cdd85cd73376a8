// The TokenUsage a recorded message carries. `contextTokens` is always the message's own text,
// counted (what it occupies in the context window); the other figures are what was billed.
import { estimateCost } from './estimateCost.ts';
import { countTokens, loadTokenizer, tokenCountSource, tokenizerReady } from '../tokens/index.ts';
import type { BilledTokens } from '../domain/providerUsage.ts';
import { TOKEN_KINDS, type TokenUsage } from '../domain/types.ts';
import { isFilePart, type MessagePart } from '../domain/messageParts.ts';

/** A user message: its counted tokens are prompt tokens, priced as input. */
export async function userMessageUsage(
  model: string,
  text: string,
  parts?: readonly MessagePart[],
): Promise<TokenUsage> {
  const media = await mediaOf(parts, model);
  const tokens = (await countTokens(text, model)) + (media?.mediaTokens ?? 0);
  return { ...(await priced(model, tokens, 0, tokens, tokenCountSource(model), tokens)), ...media };
}

/** An assistant reply: the provider's `billed` counts when given, else its counted text as completion tokens. */
export async function replyUsage(
  model: string,
  text: string,
  billed?: BilledTokens,
  parts?: readonly MessagePart[],
): Promise<TokenUsage> {
  const media = await mediaOf(parts, model);
  const counted = await countTokens(text, model);
  const context = counted + (media?.mediaTokens ?? 0);
  if (!billed)
    return { ...(await priced(model, 0, counted, counted, tokenCountSource(model), context)), ...media };
  return { ...(await billedUsage(model, billed, context)), ...media };
}

/**
 * The media figures of a message's parts (undefined when it has no image or document). The
 * providers' rules load with the first file: apps that never attach one do not ship them.
 */
async function mediaOf(
  parts: readonly MessagePart[] | undefined,
  model: string,
): Promise<Pick<TokenUsage, 'mediaTokens' | 'mediaEstimated'> | undefined> {
  if (!parts?.some(isFilePart)) return undefined;
  const { partsMediaTokens } = await import('../tokens/mediaTokens.ts');
  const { tokens, estimated } = partsMediaTokens(parts, model);
  if (tokens === 0) return undefined;
  return estimated ? { mediaTokens: tokens, mediaEstimated: true } : { mediaTokens: tokens };
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
  parts?: readonly MessagePart[],
): Promise<TokenUsage> {
  if (tokenizerReady(model))
    return role === 'user' ? userMessageUsage(model, text, parts) : replyUsage(model, text, billed, parts);
  void loadTokenizer(model).catch(() => undefined);
  const usage = billed
    ? await billedUsage(model, billed, 0)
    : await priced(model, 0, 0, 0, tokenCountSource(model), 0);
  return { ...usage, pending: true };
}

/** The counted usage of a message stored with a pending one (its billed figures kept). */
export function finalUsage(
  role: 'user' | 'llm',
  text: string,
  pending: TokenUsage,
  parts?: readonly MessagePart[],
): Promise<TokenUsage> {
  if (role === 'user') return userMessageUsage(pending.model, text, parts);
  if (pending.source !== 'provider') return replyUsage(pending.model, text, undefined, parts);
  const { promptTokens: prompt, completionTokens: completion, totalTokens: total } = pending;
  const kinds = Object.fromEntries(
    TOKEN_KINDS.filter((k) => pending[k] !== undefined).map((k) => [k, pending[k]]),
  );
  return replyUsage(pending.model, text, { prompt, completion, total, kinds }, parts);
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
