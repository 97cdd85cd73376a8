// Argument checks shared by every public call; they throw InvalidInputError naming the argument.
import { InvalidInputError } from './errors.ts';

export function assertString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new InvalidInputError(`${name} must be a string, got ${describe(value)}.`, name);
  }
}

export function assertNonEmptyString(value: unknown, name: string): asserts value is string {
  assertString(value, name);
  if (value.trim() === '') throw new InvalidInputError(`${name} must not be empty.`, name);
}

/** The longest delay setTimeout/setInterval hold; a longer one fires at once (after 1 ms). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function assertPositiveInteger(
  value: unknown,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > max) {
    throw new InvalidInputError(
      `${name} must be a positive integer up to ${max}, got ${describe(value)}.`,
      name,
    );
  }
}

/**
 * An options or metadata argument as a shallow own copy: `undefined` is `{}`; null, arrays and
 * primitives are refused; a getter or Proxy trap that throws is an InvalidInputError naming it.
 */
export function objectArg<T extends object>(value: unknown, path: string): T {
  if (value === undefined) return {} as T;
  const keys = guard(path, () => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new InvalidInputError(`${path} must be an object, got ${describe(value)}.`, path);
    }
    return Object.keys(value);
  });
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const item = guard(`${path}.${key}`, () => (value as Record<string, unknown>)[key]);
    Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}

/** Runs `read`; anything but our own error becomes an InvalidInputError at `path`. */
export function guard<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw new InvalidInputError(
      `${path} could not be read: ${error instanceof Error ? error.message : String(error)}.`,
      path,
    );
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
