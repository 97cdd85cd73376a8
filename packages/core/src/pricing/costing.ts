// Cost and context-window lookups, loaded on first use: the catalog loader and the price
// arithmetic stay out of the up-front bundle. The caller passes the registered definition in, so
// this chunk imports nothing of the main one (see chatKit.ts for why that matters).
import type { CostQuery } from './estimateCost.ts';
import type { ModelDefinition } from './modelRegistry.ts';
import { catalogPrice } from './priceCatalog.ts';

type Registered = Readonly<ModelDefinition> | undefined;

function assertTokenCount(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`estimateCost: ${field} must be a finite number >= 0, got ${String(value)}`);
  }
}

/** estimateCost's work: `registered` is the app's definition of the model, if any. */
export async function costOf(query: CostQuery, registered: Registered): Promise<number | null> {
  const { model, promptTokens, completionTokens, cachedPromptTokens = 0, cacheWriteTokens = 0 } = query;
  assertTokenCount(promptTokens, 'promptTokens');
  assertTokenCount(completionTokens, 'completionTokens');
  assertTokenCount(cachedPromptTokens, 'cachedPromptTokens');
  assertTokenCount(cacheWriteTokens, 'cacheWriteTokens');
  if (cachedPromptTokens + cacheWriteTokens > promptTokens) {
    throw new RangeError(
      'estimateCost: cachedPromptTokens + cacheWriteTokens are part of promptTokens and cannot exceed it',
    );
  }
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

/** The registered window first, then the catalog's; null when neither states one. */
export async function contextWindowOf(model: string, registered: Registered): Promise<number | null> {
  if (registered?.contextWindow !== undefined) return registered.contextWindow;
  if (model.trim() === '') return null;
  const price = await catalogPrice(model, { input_tokens: 0, output_tokens: 0 });
  return price?.model.context_window ?? null;
}
