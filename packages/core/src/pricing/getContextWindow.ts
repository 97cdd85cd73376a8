import { loadCosting } from './estimateCost.ts';
import { getRegisteredModel } from './modelRegistry.ts';

/**
 * Maximum tokens (prompt plus completion) of `model`: a registered window first, then the
 * catalog's. `null` when neither states one.
 */
export async function getContextWindow(model: string): Promise<number | null> {
  if (typeof model !== 'string') throw new TypeError('getContextWindow: model must be a string');
  return (await loadCosting()).contextWindowOf(model, getRegisteredModel(model));
}
