import { InvalidInputError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import type { AiRespondsOptions, SessionManager } from '../session/sessionManager.ts';
import { assertPositiveInteger, MAX_TIMER_MS, objectArg } from '../domain/validate.ts';
import { BoundedCache } from './boundedCache.ts';
import {
  readAssistantMessage,
  runToolCall,
  type ToolFunction,
  type ToolRunContext,
} from './toolCallRunner.ts';

export type { ToolFunction } from './toolCallRunner.ts';

/** An entry of an OpenAI chat completion's `message.tool_calls`. */
export interface OpenAIToolCall {
  id: string;
  type?: 'function';
  function: { name: string; arguments?: string | Record<string, unknown> };
}

/** An OpenAI-style assistant message, as returned in `choices[0].message`. */
export interface AssistantToolMessage {
  role?: 'assistant';
  content?: string | null | { type: string; text?: string }[];
  tool_calls?: OpenAIToolCall[] | null;
}

export interface ToolResultMessage {
  role: 'tool';
  tool_call_id: string;
  /** The result as JSON text, or the error text. */
  content: string;
}

export interface SessionAwareToolProcessorOptions {
  manager: SessionManager;
  tools: Record<string, ToolFunction>;
  /** Reuse a successful result for the same tool and arguments. Default true. */
  enableCaching?: boolean;
  /** Further attempts after a failure. Default 2. */
  maxRetries?: number;
  /** Wait between attempts. Default 1000. */
  retryDelayMs?: number;
  /** Most results the cache holds; the least recently used go first. Default 100. */
  maxCacheEntries?: number;
}

/**
 * Runs the tool calls an assistant message asks for and records everything in the session:
 * the assistant message, then one TOOL_CALL event per call (linked to it by `parentEventId`,
 * with `toolCallId`, the attempts made and whether the cache answered). A failing tool never
 * rejects: its error text becomes the tool message's content and the event's `error`.
 */
export class SessionAwareToolProcessor {
  readonly manager: SessionManager;
  private readonly context: ToolRunContext;

  constructor(options: SessionAwareToolProcessorOptions) {
    const checked = objectArg<SessionAwareToolProcessorOptions>(options ?? null, 'options');
    const { manager, tools, enableCaching = true, maxRetries = 2, retryDelayMs = 1000 } = checked;
    const { maxCacheEntries = 100 } = checked;
    if (!manager || typeof manager.aiResponds !== 'function') {
      throw new InvalidInputError('manager must be a SessionManager.', 'manager');
    }
    if (!tools || typeof tools !== 'object') {
      throw new InvalidInputError('tools must be an object of functions.', 'tools');
    }
    for (const [name, fn] of Object.entries(tools)) {
      if (typeof fn !== 'function')
        throw new InvalidInputError(`tools.${name} must be a function.`, `tools.${name}`);
    }
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new InvalidInputError(
        `maxRetries must be a non-negative integer, got ${maxRetries}.`,
        'maxRetries',
      );
    }
    // A longer delay than a timer holds would fire at once.
    if (typeof retryDelayMs !== 'number' || !(retryDelayMs >= 0 && retryDelayMs <= MAX_TIMER_MS)) {
      throw new InvalidInputError(
        `retryDelayMs must be a non-negative number up to ${MAX_TIMER_MS}, got ${retryDelayMs}.`,
        'retryDelayMs',
      );
    }
    assertPositiveInteger(maxCacheEntries, 'maxCacheEntries');
    this.manager = manager;
    this.context = {
      tools: { ...tools },
      enableCaching,
      maxRetries,
      retryDelayMs,
      cache: new BoundedCache(maxCacheEntries),
      running: new Map(),
    };
  }

  /** Results currently cached. */
  get cacheSize(): number {
    return this.context.cache.size;
  }

  clearCache(): void {
    this.context.cache.clear();
  }

  /**
   * Record `message` (with `respondOptions` such as model and usage), run its tool calls
   * (concurrently), record them in call order, and resolve to one tool message per call.
   * Rejects only for a malformed message (before anything is recorded or run) or a storage error.
   */
  async processLLMMessage(
    message: AssistantToolMessage,
    respondOptions: Omit<AiRespondsOptions, 'eventId'> = {},
  ): Promise<ToolResultMessage[]> {
    const { text, calls } = readAssistantMessage(message);
    const eventId = newId();
    await this.manager.aiResponds(text, { ...respondOptions, eventId });
    const outcomes = await Promise.all(calls.map((call) => runToolCall(this.context, call)));
    const replies: ToolResultMessage[] = [];
    for (const [i, call] of calls.entries()) {
      const { result, error, attempts, cached } = outcomes[i]!;
      await this.manager.toolUsed(call.name, call.args, error === null ? result : null, {
        parentEventId: eventId,
        toolCallId: call.id,
        error,
        attempts,
        cached,
      });
      replies.push({ role: 'tool', tool_call_id: call.id, content: error ?? JSON.stringify(result) });
    }
    return replies;
  }
}
