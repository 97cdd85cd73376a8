import { getRegisteredModel } from './modelRegistry.ts';
import { catalogPrice } from './priceCatalog.ts';

export interface CostQuery {
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** Of promptTokens, read from the provider's prompt cache (priced at the cache-read price). */
  cachedPromptTokens?: number | undefined;
  /** Of promptTokens, written to the prompt cache (priced at the cache-write price). */
  cacheWriteTokens?: number | undefined;
}

/**
 * Cost in USD of a request, from a registered model or else the offline price catalog.
 * Cached prompt tokens are priced at the cache-read and cache-write prices (a registered model
 * without them: its input price). `null` when neither knows the model: a price is never guessed.
 */
export async function estimateCost(query: CostQuery): Promise<number | null> {
  const model = query?.model;
  if (typeof model !== 'string') throw new TypeError('estimateCost: model must be a string');
  const { promptTokens, completionTokens, cachedPromptTokens = 0, cacheWriteTokens = 0 } = query;
  assertTokenCount(promptTokens, 'promptTokens');
  assertTokenCount(completionTokens, 'completionTokens');
  assertTokenCount(cachedPromptTokens, 'cachedPromptTokens');
  assertTokenCount(cacheWriteTokens, 'cacheWriteTokens');
  if (cachedPromptTokens + cacheWriteTokens > promptTokens) {
    throw new RangeError(
      'estimateCost: cachedPromptTokens + cacheWriteTokens are part of promptTokens and cannot exceed it',
    );
  }
  const registered = getRegisteredModel(model);
  if (registered) {
    // Without a cache price, cached tokens cost what other input costs: a discount is never invented.
    const { inputPerMTok, cachedInputPerMTok = inputPerMTok, cacheWritePerMTok = inputPerMTok } = registered;
    const uncached = promptTokens - cachedPromptTokens - cacheWriteTokens;
    return (
      (uncached * inputPerMTok +
        cachedPromptTokens * cachedInputPerMTok +
        cacheWriteTokens * cacheWritePerMTok +
        completionTokens * registered.outputPerMTok) /
      1_000_000
    );
  }
  if (model.trim() === '') return null;
  const price = await catalogPrice(model, {
    input_tokens: promptTokens,
    cache_read_tokens: cachedPromptTokens,
    cache_write_tokens: cacheWriteTokens,
    output_tokens: completionTokens,
  });
  return price ? price.total_price : null;
}

function assertTokenCount(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`estimateCost: ${field} must be a finite number >= 0, got ${String(value)}`);
  }
}
