/**
 * JSON text with object keys sorted at every depth, so `{a:1,b:2}` and `{b:2,a:1}` give the same
 * text (a cache key). The value must already be JSON (as parsed tool arguments are).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  // A null prototype keeps an own "__proto__" key (JSON.parse makes them) as a key.
  const sorted: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort())
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}
