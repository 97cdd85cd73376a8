import type { PriceCalculation, Usage } from '@pydantic/genai-prices';

type GenaiPrices = typeof import('@pydantic/genai-prices');

let catalog: Promise<GenaiPrices> | undefined;

/**
 * @pydantic/genai-prices, imported on first use: its bundled data is ~830 KB and belongs in its
 * own chunk. Only its offline snapshot is used; `updatePrices` is never called, so it never
 * fetches anything.
 */
function loadCatalog(): Promise<GenaiPrices> {
  if (!catalog) {
    const pending = import('@pydantic/genai-prices');
    // A failed import is forgotten so that a later call can retry.
    pending.catch(() => {
      if (catalog === pending) catalog = undefined;
    });
    catalog = pending;
  }
  return catalog;
}

/**
 * The catalog's price of a request to `model` (`usage` in the catalog's terms: `input_tokens`
 * includes `cache_read_tokens` and `cache_write_tokens`, priced at the model's cache prices), or `null` when the catalog does not know it.
 * Dated ids (`gpt-4o-mini-2024-07-18`) resolve through the catalog's own matching; for
 * `provider/model` ids the provider is tried as a hint, then the bare model name.
 */
export async function catalogPrice(model: string, usage: Usage): Promise<PriceCalculation | null> {
  const { calcPrice } = await loadCatalog();
  const id = model.trim();
  const direct = calcPrice(usage, id);
  if (direct || !id.includes('/')) return direct;
  const slash = id.lastIndexOf('/');
  const provider = id.slice(0, slash).split('/').pop() ?? '';
  const bare = id.slice(slash + 1);
  return calcPrice(usage, bare, { providerId: provider }) ?? calcPrice(usage, bare);
}
