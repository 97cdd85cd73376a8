import { getRegisteredModel } from './modelRegistry';
import { catalogPrice } from './priceCatalog';

export interface CostQuery {
  model: string;
  promptTokens: number;
  completionTokens: number;
}

function assertTokenCount(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`estimateCost: ${field} must be a finite number >= 0, got ${String(value)}`);
  }
}

/**
 * Cost in USD of a request, from a registered model or else the offline price catalog.
 * `null` when neither knows the model: a price is never guessed.
 */
export async function estimateCost({
  model,
  promptTokens,
  completionTokens,
}: CostQuery): Promise<number | null> {
  if (typeof model !== 'string') throw new TypeError('estimateCost: model must be a string');
  assertTokenCount(promptTokens, 'promptTokens');
  assertTokenCount(completionTokens, 'completionTokens');
  const registered = getRegisteredModel(model);
  if (registered) {
    return (promptTokens * registered.inputPerMTok + completionTokens * registered.outputPerMTok) / 1_000_000;
  }
  if (model.trim() === '') return null;
  const price = await catalogPrice(model, promptTokens, completionTokens);
  return price ? price.total_price : null;
}
