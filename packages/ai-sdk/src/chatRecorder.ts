import {
  InvalidInputError,
  type ProviderUsage,
  type SessionEvent,
  type SessionManager,
} from '@ai-session-manager/core';
import type { UIMessage } from 'ai';
import { type MessageUnit, messageUnits } from './messageUnits';
import { UI_MESSAGE_ID, UI_METADATA, UI_UNIT } from './storedUIMessages';

export interface ChatRecorderOptions<M extends UIMessage = UIMessage> {
  /** Model recorded on assistant messages (tokens are counted and priced for it). Default: `message.metadata.model`, else the manager's defaultModel. */
  model?: string;
  provider?: string;
  /**
   * Provider-reported token usage of a finished assistant message, recorded as billed tokens
   * and cost. Default: `message.metadata.usage` or `.totalUsage` in the AI SDK's
   * `LanguageModelUsage` shape (`inputTokens`, `outputTokens`, `totalTokens`), as a server sends
   * it with `toUIMessageStreamResponse({ messageMetadata })`. With neither, tokens are counted.
   */
  usage?: (message: M) => ProviderUsage | undefined;
  /** A write failed (it is retried on the next request unless the input itself was bad). */
  onError?: (error: unknown) => void;
}

/** How a response ended, for its last text unit. */
export interface ResponseEnd {
  aborted?: boolean;
  error?: string;
}

type Registry = Map<string, string | null>;

/**
 * Records a chat's UIMessages into a SessionManager, unit by unit (see messageUnits), each at
 * most once: user messages with userSays, assistant text with aiResponds, tool calls with
 * toolUsed linked to the text that asked for them. Writes run in order, one at a time.
 */
export class ChatRecorder<M extends UIMessage = UIMessage> {
  /** Per chat message id: the units stored, with their event ids when known. */
  private readonly stored = new Map<string, Registry>();
  /** Messages this recorder wrote itself: its chat's copy is the fuller one. */
  private readonly own = new Set<string>();
  private writes: Promise<void> = Promise.resolve();
  readonly manager: SessionManager;
  private readonly options: ChatRecorderOptions<M>;

  constructor(manager: SessionManager, options: ChatRecorderOptions<M> = {}) {
    this.manager = manager;
    this.options = options;
  }

  /** Resolves when every write asked for so far has settled. */
  idle(): Promise<void> {
    return this.writes;
  }

  /** Whether this recorder wrote (part of) message `id`. */
  wrote(id: string): boolean {
    return this.own.has(id);
  }

  /** Note messages read from the store, so they are never written again. */
  markStored(messages: readonly M[], events: readonly SessionEvent[] = []): void {
    for (const e of events) {
      const id = e.metadata?.[UI_MESSAGE_ID];
      const unit = e.metadata?.[UI_UNIT];
      if (typeof id === 'string' && typeof unit === 'string') this.registry(id).set(unit, e.id);
    }
    for (const message of messages) {
      const registry = this.registry(message.id);
      for (const unit of messageUnits(message, true)) {
        if (unit.complete && !registry.has(unit.key)) registry.set(unit.key, null);
      }
    }
  }

  /**
   * Record what is complete and not yet stored in `messages`, in order. `done`: no message is
   * streaming any more, so every text is complete. `end` marks the last message as a response
   * that just ended: its last text carries the usage and how it ended. Resolves, once those
   * writes (and every earlier one) have settled, to the errors of those that failed.
   */
  record(
    messages: readonly M[],
    { done = false, end }: { done?: boolean; end?: ResponseEnd } = {},
  ): Promise<unknown[]> {
    const outcomes: Promise<unknown>[] = [];
    messages.forEach((message, i) => {
      const isEnd = end !== undefined && i === messages.length - 1;
      outcomes.push(...this.recordMessage(message, done || isEnd, isEnd ? end : undefined));
    });
    return this.writes.then(async () => (await Promise.all(outcomes)).filter((e) => e !== undefined));
  }

  private recordMessage(message: M, done: boolean, end: ResponseEnd | undefined): Promise<unknown>[] {
    if (message.role === 'system') return [];
    const registry = this.registry(message.id);
    const todo: MessageUnit[] = [];
    for (const unit of messageUnits(message, done)) {
      if (registry.has(unit.key)) continue;
      // Text still streaming holds back what follows it; tools wait for their output alone.
      if (!unit.complete && unit.kind === 'text') break;
      if (unit.complete) todo.push(unit);
    }
    // Not findLast: the package compiles against an ES2022 lib (test/strict-consumer).
    const lastText = [...todo].reverse().find((u) => u.kind === 'text');
    return todo.map((unit) => {
      const eventId = globalThis.crypto.randomUUID();
      registry.set(unit.key, eventId);
      this.own.add(message.id);
      const final = end !== undefined && unit === lastText ? end : undefined;
      return this.enqueue(registry, unit.key, () => this.write(message, unit, eventId, registry, final));
    });
  }

  /** Run `write` after the others; resolves to its error, if it failed. */
  private enqueue(registry: Registry, key: string, write: () => Promise<unknown>): Promise<unknown> {
    const outcome = this.writes.then(async () => {
      try {
        await write();
        return undefined;
      } catch (error) {
        // Bad input stays bad: never retried. Anything else is retried on the next request.
        if (!(error instanceof InvalidInputError)) registry.delete(key);
        this.options.onError?.(error);
        return error;
      }
    });
    this.writes = outcome.then(() => undefined);
    return outcome;
  }

  private async write(
    message: M,
    unit: MessageUnit,
    eventId: string,
    registry: Registry,
    end: ResponseEnd | undefined,
  ): Promise<void> {
    const sm = this.manager;
    const link: Record<string, unknown> = { [UI_MESSAGE_ID]: message.id, [UI_UNIT]: unit.key };
    const metadata = jsonOrUndefined(message.metadata);
    if (metadata !== undefined) link[UI_METADATA] = metadata;
    if (unit.kind === 'tool') {
      const parentEventId = unit.parentKey === undefined ? undefined : registry.get(unit.parentKey);
      // Core's conventions (as fromUIMessages records them): the tool calls of a step with no
      // text share a stepId, so steps stay apart; dynamic-tool parts stay dynamic.
      await sm.toolUsed(unit.name, unit.input, unit.output, {
        ...link,
        error: unit.error,
        toolCallId: unit.toolCallId,
        eventId,
        ...(parentEventId ? { parentEventId } : { stepId: `${message.id}:${unit.step}` }),
        ...(unit.dynamic ? { dynamicTool: true } : {}),
      });
      return;
    }
    if (message.role === 'user') {
      await sm.userSays(unit.text, link);
      return;
    }
    const usage = end && !end.aborted && !end.error ? this.usageOf(message) : undefined;
    const model = this.options.model ?? stringField(message.metadata, 'model');
    await sm.aiResponds(unit.text, {
      ...link,
      eventId,
      ...(model ? { model } : {}),
      ...(this.options.provider ? { provider: this.options.provider } : {}),
      ...(usage ? { usage } : {}),
      ...(end?.aborted || end?.error ? { status: 'aborted' } : {}),
      ...(end?.error ? { error: end.error } : {}),
    });
  }

  private usageOf(message: M): ProviderUsage | undefined {
    const given = this.options.usage?.(message);
    if (given) return given;
    const meta = message.metadata as Record<string, unknown> | undefined;
    const usage = (meta?.usage ?? meta?.totalUsage) as Record<string, unknown> | undefined;
    const input = usage?.inputTokens;
    const output = usage?.outputTokens;
    if (!isCount(input) || !isCount(output)) return undefined;
    const total = isCount(usage?.totalTokens) ? usage.totalTokens : input + output;
    return { promptTokens: input, completionTokens: output, totalTokens: total };
  }

  private registry(id: string): Registry {
    let registry = this.stored.get(id);
    if (!registry) {
      registry = new Map();
      this.stored.set(id, registry);
    }
    return registry;
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function stringField(value: unknown, key: string): string | undefined {
  const field = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof field === 'string' && field !== '' ? field : undefined;
}

/** The message's metadata if it is plain JSON (what is not would fail the whole write). */
function jsonOrUndefined(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value));
  } catch {
    return undefined;
  }
}
