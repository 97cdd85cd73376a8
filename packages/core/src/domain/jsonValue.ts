// The deep JSON copy of what gets stored: plain JSON values only, checked on the way in.
import { InvalidInputError } from './errors.ts';
import { guard, objectArg } from './validate.ts';

/** Deeper than this is refused with a path rather than overflowing the stack (RangeError). */
const MAX_DEPTH = 1000;

/**
 * A JSON-safe copy of `value`: what is stored must survive export and import unchanged.
 * Object properties set to `undefined` are dropped (as JSON.stringify does); anything else
 * JSON cannot represent (functions, symbols, bigint, NaN/Infinity, Dates, Maps, class
 * instances, cycles, nesting deeper than 1000) is rejected with the path of the offending value,
 * as are getters and Proxy traps that throw.
 */
export function toJsonValue(value: unknown, path: string): unknown {
  return copy(value, path, new Set(), 0);
}

/** A metadata-like argument: a plain object (not null, an array or a primitive), copied as JSON. */
export function toJsonRecord(value: unknown, path: string): Record<string, unknown> {
  return toJsonValue(objectArg(value, path), path) as Record<string, unknown>;
}

function copy(value: unknown, path: string, ancestors: Set<object>, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, `${value} is not a finite number`);
    return value;
  }
  if (typeof value !== 'object') fail(path, `a ${typeof value} cannot be stored as JSON`);
  if (depth >= MAX_DEPTH) fail(path, `it is nested deeper than ${MAX_DEPTH} levels`);
  if (ancestors.has(value)) fail(path, 'it contains a circular reference');
  ancestors.add(value);
  try {
    const { isArray, keys } = guard(path, () => {
      const isArray = Array.isArray(value);
      if (!isArray) {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          fail(path, `a ${proto?.constructor?.name ?? 'class'} instance is not plain JSON`);
        }
      }
      return { isArray, keys: isArray ? [] : Object.keys(value) };
    });
    if (isArray) {
      const length = guard(path, () => (value as unknown[]).length);
      const out: unknown[] = [];
      for (let i = 0; i < length; i++) {
        const at = `${path}[${i}]`;
        const item = guard(at, () => (value as unknown[])[i]);
        if (item === undefined) fail(at, 'undefined cannot be stored as JSON');
        out.push(copy(item, at, ancestors, depth + 1));
      }
      return out;
    }
    // Own "__proto__" keys (JSON.parse makes them) stay data: defineProperty, never assignment.
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const at = `${path}.${key}`;
      const item = guard(at, () => (value as Record<string, unknown>)[key]);
      if (item !== undefined) {
        Object.defineProperty(out, key, {
          value: copy(item, at, ancestors, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

function fail(path: string, reason: string): never {
  throw new InvalidInputError(`${path} is not JSON-serializable: ${reason}.`, path);
}
