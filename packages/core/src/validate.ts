import { InvalidInputError } from './errors';

export function assertString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new InvalidInputError(`${name} must be a string, got ${describe(value)}.`, name);
  }
}

export function assertNonEmptyString(value: unknown, name: string): asserts value is string {
  assertString(value, name);
  if (value.trim() === '') throw new InvalidInputError(`${name} must not be empty.`, name);
}

export function assertPositiveInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InvalidInputError(`${name} must be a positive integer, got ${describe(value)}.`, name);
  }
}

/**
 * A JSON-safe copy of `value`: what is stored must survive export and import unchanged.
 * Object properties set to `undefined` are dropped (as JSON.stringify does); anything else
 * JSON cannot represent (functions, symbols, bigint, NaN/Infinity, Dates, Maps, class
 * instances, cycles) is rejected with the path of the offending value.
 */
export function toJsonValue(value: unknown, path: string): unknown {
  return copy(value, path, new Set());
}

function copy(value: unknown, path: string, ancestors: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, `${value} is not a finite number`);
    return value;
  }
  if (typeof value !== 'object') fail(path, `a ${typeof value} cannot be stored as JSON`);
  if (ancestors.has(value)) fail(path, 'it contains a circular reference');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item, i) => {
        if (item === undefined) fail(`${path}[${i}]`, 'undefined cannot be stored as JSON');
        return copy(item, `${path}[${i}]`, ancestors);
      });
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      fail(path, `a ${proto?.constructor?.name ?? 'class'} instance is not plain JSON`);
    }
    // Object.fromEntries keeps an own "__proto__" key (JSON.parse makes them) as data, where
    // `out[key] = value` would set the prototype instead and lose it.
    const entries: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) entries.push([key, copy(item, `${path}.${key}`, ancestors)]);
    }
    return Object.fromEntries(entries);
  } finally {
    ancestors.delete(value);
  }
}

function fail(path: string, reason: string): never {
  throw new InvalidInputError(`${path} is not JSON-serializable: ${reason}.`, path);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
