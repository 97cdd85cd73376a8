import { getRegisteredModel } from './modelRegistry.ts';
import { catalogPrice } from './priceCatalog.ts';

/**
 * Maximum tokens (prompt plus completion) of `model`: a registered window first, then the
 * catalog's. `null` when neither states one.
 */
export async function getContextWindow(model: string): Promise<number | null> {
  if (typeof model !== 'string') throw new TypeError('getContextWindow: model must be a string');
  const registered = getRegisteredModel(model);
  if (registered?.contextWindow !== undefined) return registered.contextWindow;
  if (model.trim() === '') return null;
  const price = await catalogPrice(model, { input_tokens: 0, output_tokens: 0 });
  return price?.model.context_window ?? null;
}
