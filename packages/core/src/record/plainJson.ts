// What a UI library hands over is usually JSON, but not always (Dates, class instances, cycles):
// what is not would fail the whole write, so the recorder stores a JSON copy or leaves it out.

/** A JSON copy of `value` (Dates become ISO strings); undefined when it is undefined or not serializable. */
export function plainJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** As plainJson, with null for what cannot be stored (a tool's input or output must be something). */
export function jsonOrNull(value: unknown): unknown {
  const copy = plainJson(value);
  return copy === undefined ? null : copy;
}

/** As plainJson, but undefined also for null and `{}`: metadata worth keeping. */
export function metadataJson(value: unknown): Record<string, unknown> | undefined {
  const copy = plainJson(value);
  if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) return undefined;
  return Object.keys(copy).length > 0 ? (copy as Record<string, unknown>) : undefined;
}
