/**
 * Returns `prev` where `next` is deeply equal to it, and otherwise `next` with every equal
 * branch replaced by the old one, so unchanged rows keep their identity and memoized
 * components skip them (TanStack Query's structural sharing). Plain objects and arrays only.
 */
export function replaceEqualDeep<T>(prev: unknown, next: T): T {
  if (prev === next) return next;
  const nextIsArray = Array.isArray(next);
  if (!(nextIsArray ? Array.isArray(prev) : isPlainObject(prev) && isPlainObject(next))) return next;
  const prevObject = prev as Record<string, unknown>;
  const nextObject = next as Record<string, unknown>;
  const prevKeys = Object.keys(prevObject);
  const nextKeys = Object.keys(nextObject);
  const copy = (nextIsArray ? [] : {}) as Record<string, unknown>;
  let equalItems = 0;
  for (const key of nextKeys) {
    const value = replaceEqualDeep(prevObject[key], nextObject[key]);
    copy[key] = value;
    if (value === prevObject[key] && (value !== undefined || key in prevObject)) equalItems++;
  }
  return (prevKeys.length === nextKeys.length && equalItems === prevKeys.length ? prev : copy) as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
