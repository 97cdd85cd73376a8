import { getRegisteredModel } from './modelRegistry';
import { catalogPrice } from './priceCatalog';

/**
 * Maximum tokens (prompt plus completion) of `model`: a registered window first, then the
 * catalog's. `null` when neither states one.
 */
export async function getContextWindow(model: string): Promise<number | null> {
  if (typeof model !== 'string') throw new TypeError('getContextWindow: model must be a string');
  const registered = getRegisteredModel(model)?.contextWindow;
  if (registered !== undefined) return registered;
  if (model.trim() === '') return null;
  const price = await catalogPrice(model, 0, 0);
  return price?.model.context_window ?? null;
}
