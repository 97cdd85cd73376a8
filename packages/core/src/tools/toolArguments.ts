import { toJsonValue } from '../domain/jsonValue.ts';

/**
 * A tool call's arguments as a value: JSON text is parsed, and text that is not valid JSON
 * (models do emit it) is kept as `{ raw }` instead of failing the call. Missing arguments are `{}`.
 */
export function parseToolArguments(raw: unknown, path = 'arguments'): unknown {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'string') return toJsonValue(raw, path);
  try {
    return JSON.parse(raw);
  } catch {
    return { raw };
  }
}
