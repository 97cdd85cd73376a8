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
  let equalItems = 0;
  const entries = nextKeys.map((key): [string, unknown] => {
    const value = replaceEqualDeep(prevObject[key], nextObject[key]);
    if (value === prevObject[key] && (value !== undefined || key in prevObject)) equalItems++;
    return [key, value];
  });
  if (prevKeys.length === nextKeys.length && equalItems === prevKeys.length) return prev as T;
  // fromEntries defines keys, so a stored "__proto__" key stays a key instead of setting the prototype.
  return (nextIsArray ? entries.map(([, value]) => value) : Object.fromEntries(entries)) as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
