import { getRegisteredModel } from './modelRegistry.ts';

export interface CostQuery {
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** Of promptTokens, read from the provider's prompt cache (priced at the cache-read price). */
  cachedPromptTokens?: number | undefined;
  /** Of promptTokens, written to the prompt cache (priced at the cache-write price). */
  cacheWriteTokens?: number | undefined;
}

/** Pricing loads on first use (with the catalog loader), in its own chunk. */
export const loadCosting = () => import('./costing.ts');

/**
 * Cost in USD of a request, from a registered model or else the offline price catalog.
 * Cached prompt tokens are priced at the cache-read and cache-write prices (a registered model
 * without them: its input price). `null` when neither knows the model: a price is never guessed.
 */
export async function estimateCost(query: CostQuery): Promise<number | null> {
  const model = query?.model;
  if (typeof model !== 'string') throw new TypeError('estimateCost: model must be a string');
  return (await loadCosting()).costOf(query, getRegisteredModel(model));
}
