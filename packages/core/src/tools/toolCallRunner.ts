// The part of SessionAwareToolProcessor that reads an assistant message and runs its calls
// (retries, cache, concurrent calls of the same tool and arguments).
import { InvalidInputError } from '../domain/errors.ts';
import { toJsonValue } from '../domain/jsonValue.ts';
import { assertNonEmptyString } from '../domain/validate.ts';
import type { BoundedCache } from './boundedCache.ts';
import { canonicalJson } from './canonicalJson.ts';
import { parseToolArguments } from './toolArguments.ts';

/**
 * A tool: called with the call's parsed JSON arguments, may return a value or a promise.
 * (`never` lets a tool declare any argument type; it receives whatever the model sent.)
 */
export type ToolFunction = (args: never) => unknown;

export interface ToolOutcome {
  result: unknown;
  error: string | null;
  attempts: number;
  cached: boolean;
}

export interface ParsedToolCall {
  id: string;
  name: string;
  args: unknown;
}

/** A processor's settings and state, shared by all its calls. */
export interface ToolRunContext {
  tools: Record<string, ToolFunction>;
  enableCaching: boolean;
  maxRetries: number;
  retryDelayMs: number;
  cache: BoundedCache<string, unknown>;
  /** Calls running now, so identical concurrent calls execute once. */
  running: Map<string, Promise<ToolOutcome>>;
}

/** The message's text and its validated calls; invalid JSON arguments become `{ raw }`. */
export function readAssistantMessage(message: unknown): { text: string; calls: ParsedToolCall[] } {
  if (!message || typeof message !== 'object')
    throw new InvalidInputError('message must be an object.', 'message');
  const m = message as { content?: unknown; tool_calls?: unknown };
  return { text: textOf(m.content), calls: parseToolCalls(m.tool_calls) };
}

/** One call: from the cache, shared with an identical running call, or run with retries. */
export async function runToolCall(ctx: ToolRunContext, call: ParsedToolCall): Promise<ToolOutcome> {
  if (!Object.hasOwn(ctx.tools, call.name)) {
    const known = Object.keys(ctx.tools).join(', ') || 'none';
    return {
      result: null,
      error: `Unknown tool "${call.name}" (known tools: ${known}).`,
      attempts: 0,
      cached: false,
    };
  }
  if (!ctx.enableCaching) return attempt(ctx, call);
  const key = `${call.name}\u0000${canonicalJson(call.args)}`;
  if (ctx.cache.has(key)) return { result: ctx.cache.get(key), error: null, attempts: 0, cached: true };
  const pending = ctx.running.get(key);
  if (pending) {
    const shared = await pending;
    if (shared.error === null) return { ...shared, attempts: 0, cached: true };
  }
  const run = attempt(ctx, call);
  ctx.running.set(key, run);
  try {
    const outcome = await run;
    if (outcome.error === null) ctx.cache.set(key, outcome.result);
    return outcome;
  } finally {
    if (ctx.running.get(key) === run) ctx.running.delete(key);
  }
}

/** Up to 1 + maxRetries attempts; every failure is caught and becomes the outcome's error. */
async function attempt(ctx: ToolRunContext, call: ParsedToolCall): Promise<ToolOutcome> {
  const fn = ctx.tools[call.name]!;
  let error = '';
  for (let attempts = 1; attempts <= 1 + ctx.maxRetries; attempts++) {
    let value: unknown;
    try {
      // A copy, so a tool that mutates its arguments does not change what is recorded.
      value = await fn(structuredClone(call.args) as never);
    } catch (thrown) {
      error = errorText(thrown);
      if (attempts <= ctx.maxRetries && ctx.retryDelayMs > 0) await sleep(ctx.retryDelayMs);
      continue;
    }
    try {
      // A tool that returns nothing has a null result; anything JSON cannot hold is an error.
      return {
        result: toJsonValue(value === undefined ? null : value, 'result'),
        error: null,
        attempts,
        cached: false,
      };
    } catch (invalid) {
      // The same value would come back on a retry, so this is final.
      const reason = `Tool "${call.name}" returned a value that is not JSON: ${errorText(invalid)}`;
      return { result: null, error: reason, attempts, cached: false };
    }
  }
  return { result: null, error, attempts: 1 + ctx.maxRetries, cached: false };
}

function parseToolCalls(toolCalls: unknown): ParsedToolCall[] {
  if (toolCalls === undefined || toolCalls === null) return [];
  if (!Array.isArray(toolCalls)) throw new InvalidInputError('tool_calls must be an array.', 'tool_calls');
  return toolCalls.map(
    (call: { id?: unknown; function?: { name?: unknown; arguments?: unknown } } | null, i) => {
      const path = `tool_calls[${i}]`;
      if (!call || typeof call !== 'object') throw new InvalidInputError(`${path} must be an object.`, path);
      assertNonEmptyString(call.id, `${path}.id`);
      const fn = call.function;
      if (!fn || typeof fn !== 'object') {
        throw new InvalidInputError(`${path}.function must be an object.`, `${path}.function`);
      }
      assertNonEmptyString(fn.name, `${path}.function.name`);
      return {
        id: call.id,
        name: fn.name,
        args: parseToolArguments(fn.arguments, `${path}.function.arguments`),
      };
    },
  );
}

function textOf(content: unknown): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part?.type === 'text' && typeof part.text === 'string' ? part.text : ''))
      .join('');
  }
  throw new InvalidInputError(
    'message.content must be a string, an array of text parts, or null.',
    'message.content',
  );
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
