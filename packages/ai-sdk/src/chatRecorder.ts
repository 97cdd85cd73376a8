import {
  countTokens,
  InvalidInputError,
  type ProviderUsage,
  type ResponseStream,
  type SessionEvent,
  type SessionManager,
} from '@ai-session-manager/core';
import { lessCountedCompletion } from '@ai-session-manager/core/chat';
import type { UIMessage } from 'ai';
import { userMessageToEdit } from './branchTargets';
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

/** The text unit being streamed into a reply event (beginResponse), while it is incomplete. */
interface LiveText {
  messageId: string;
  key: string;
  /** Resolves to the reply handle, or undefined when beginResponse failed. */
  reply: Promise<ResponseStream | undefined>;
  /** Length of the text handed to the reply so far. */
  appended: number;
}

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
  private live: LiveText | undefined;
  /** The stored reply the next reply is a new version of (useChat's regenerate). */
  private regenerateOf: string | undefined;
  /**
   * Per chat message id: completion tokens our tokenizer counted for its texts finished before
   * the response ended (a step's text, when its tool call starts). The response's usage covers
   * them too: its last text is recorded with that usage less these.
   */
  private readonly counted = new Map<string, number>();

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

  /** The next reply written is a new version of reply event `eventId` (none: a plain reply). */
  replaceNextReply(eventId: string | undefined): void {
    this.regenerateOf = eventId;
  }

  /**
   * A user message the chat changed in place (useChat's `sendMessage({ messageId })`): record
   * the new text as a new version of the stored one (core's editMessage), so what followed the
   * old text stays on its branch. Resolves to the error, if it failed.
   */
  recordEdit(message: M): Promise<unknown> {
    const registry = this.registry(message.id);
    const [unit] = messageUnits(message, true);
    if (unit?.kind !== 'text') return Promise.resolve(undefined);
    return this.enqueue(
      registry,
      unit.key,
      async () => {
        const previous = await userMessageToEdit(this.manager, message.id, unit.text);
        if (previous === undefined) return;
        const edit = await this.manager.editMessage(previous, unit.text);
        await this.manager.store.updateEvent(edit.eventId, { metadata: this.link(message, unit.key) });
        registry.set(unit.key, edit.eventId);
        this.own.add(message.id);
      },
      false,
    );
  }

  private takeRegenerate(): string | undefined {
    const of = this.regenerateOf;
    this.regenerateOf = undefined;
    return of;
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
    { done = false, end, streaming = false }: { done?: boolean; end?: ResponseEnd; streaming?: boolean } = {},
  ): Promise<unknown[]> {
    const outcomes: Promise<unknown>[] = [];
    messages.forEach((message, i) => {
      const isEnd = end !== undefined && i === messages.length - 1;
      outcomes.push(...this.recordMessage(message, done || isEnd, isEnd ? end : undefined, streaming));
    });
    return this.writes.then(async () => (await Promise.all(outcomes)).filter((e) => e !== undefined));
  }

  private recordMessage(
    message: M,
    done: boolean,
    end: ResponseEnd | undefined,
    streaming: boolean,
  ): Promise<unknown>[] {
    if (message.role === 'system') return [];
    const registry = this.registry(message.id);
    const units = messageUnits(message, done);
    // Not findLast: the package compiles against an ES2022 lib (test/strict-consumer).
    const lastTextKey = [...units].reverse().find((u) => u.kind === 'text')?.key;
    const outcomes: Promise<unknown>[] = [];
    for (const unit of units) {
      const live = this.live;
      if (unit.kind === 'text' && live?.messageId === message.id && live.key === unit.key) {
        this.appendLive(live, unit.text);
        if (!unit.complete) break;
        outcomes.push(
          this.finishLive(live, message, end !== undefined && unit.key === lastTextKey ? end : undefined),
        );
        continue;
      }
      if (registry.has(unit.key)) continue;
      // Text still streaming holds back what follows it; tools wait for their output alone.
      if (!unit.complete && unit.kind === 'text') {
        if (streaming && unit.text !== '' && message.role === 'assistant') {
          outcomes.push(this.beginLive(message, unit, registry));
        }
        break;
      }
      if (!unit.complete) continue;
      const eventId = globalThis.crypto.randomUUID();
      registry.set(unit.key, eventId);
      this.own.add(message.id);
      const final = end !== undefined && unit.key === lastTextKey ? end : undefined;
      outcomes.push(
        this.enqueue(registry, unit.key, () => this.write(message, unit, eventId, registry, final)),
      );
    }
    // The response ended: what its texts were counted with is settled (stopped, or its last
    // text was already stored), so a later response of the same message starts from nothing.
    if (end) this.writes = this.writes.then(() => void this.counted.delete(message.id));
    return outcomes;
  }

  /** Start saving a text that is still streaming: its reply event is written now (status 'streaming'). */
  private beginLive(message: M, unit: MessageUnit & { kind: 'text' }, registry: Registry): Promise<unknown> {
    const eventId = globalThis.crypto.randomUUID();
    registry.set(unit.key, eventId);
    this.own.add(message.id);
    let started: (reply: ResponseStream | undefined) => void = () => {};
    const live: LiveText = {
      messageId: message.id,
      key: unit.key,
      reply: new Promise((resolve) => {
        started = resolve;
      }),
      appended: 0,
    };
    this.live = live;
    const outcome = this.enqueue(registry, unit.key, async () => {
      const model = this.options.model ?? stringField(message.metadata, 'model');
      try {
        const options = {
          eventId,
          metadata: this.link(message, unit.key),
          ...(model ? { model } : {}),
          ...(this.options.provider ? { provider: this.options.provider } : {}),
        };
        const of = this.takeRegenerate();
        const reply = of
          ? await this.manager.regenerate(of, options)
          : await this.manager.beginResponse(options);
        started(reply);
      } catch (error) {
        // Not begun: the text is written whole once complete (the unit is free again).
        if (this.live === live) this.live = undefined;
        started(undefined);
        throw error;
      }
    });
    this.appendLive(live, unit.text);
    return outcome;
  }

  /** Hand the reply the text it has not seen yet (synchronous on the handle, flushed by core). */
  private appendLive(live: LiveText, text: string): void {
    const delta = text.slice(live.appended);
    if (!delta) return;
    live.appended = text.length;
    void live.reply.then((reply) => {
      if (reply?.status === 'streaming') reply.append(delta);
    });
  }

  /** The text is complete: finish its reply (or abort it, if the response was stopped or failed). */
  private finishLive(live: LiveText, message: M, end: ResponseEnd | undefined): Promise<unknown> {
    if (this.live === live) this.live = undefined;
    const registry = this.registry(message.id);
    return this.enqueue(
      registry,
      live.key,
      async () => {
        const reply = await live.reply;
        if (!reply) return;
        if (end?.aborted || end?.error) {
          await reply.abort(end.error ?? 'stopped');
          return;
        }
        const usage = end ? this.billedUsage(message) : undefined;
        const event = await reply.finish(usage ? { usage } : {});
        if (!end) this.addCounted(message.id, event.tokenUsage?.completionTokens ?? 0);
        // The message's metadata often comes last (the `finish` chunk): keep it with the event.
        const metadata = jsonOrUndefined(message.metadata);
        if (metadata !== undefined) {
          await this.manager.store.updateEvent(reply.eventId, { metadata: { [UI_METADATA]: metadata } });
        }
      },
      false,
    );
  }

  /** Run `write` after the others; resolves to its error, if it failed. */
  private enqueue(
    registry: Registry,
    key: string,
    write: () => Promise<unknown>,
    retry = true,
  ): Promise<unknown> {
    const outcome = this.writes.then(async () => {
      try {
        await write();
        return undefined;
      } catch (error) {
        // Bad input stays bad: never retried. Anything else is retried on the next request.
        if (retry && !(error instanceof InvalidInputError)) registry.delete(key);
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
    const link = this.link(message, unit.key);
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
    const usage = end && !end.aborted && !end.error ? this.billedUsage(message) : undefined;
    const model = this.options.model ?? stringField(message.metadata, 'model');
    if (!end) this.addCounted(message.id, await countTokens(unit.text, model ?? sm.defaultModel));
    const of = this.takeRegenerate();
    if (of) {
      // A new version of a stored reply, written whole.
      const reply = await sm.regenerate(of, {
        eventId,
        metadata: link,
        ...(model ? { model } : {}),
        ...(this.options.provider ? { provider: this.options.provider } : {}),
      });
      reply.append(unit.text);
      if (end?.aborted || end?.error) await reply.abort(end.error ?? 'stopped');
      else await reply.finish(usage ? { usage } : {});
      return;
    }
    await sm.aiResponds(unit.text, {
      ...link,
      eventId,
      ...(model ? { model } : {}),
      ...(this.options.provider ? { provider: this.options.provider } : {}),
      ...(usage ? { usage } : {}),
      ...(end?.aborted || end?.error ? { status: 'aborted', abortReason: end.error ?? 'stopped' } : {}),
    });
  }

  /** The metadata tying an event to its chat message and unit. */
  private link(message: M, key: string): Record<string, unknown> {
    const link: Record<string, unknown> = { [UI_MESSAGE_ID]: message.id, [UI_UNIT]: key };
    const metadata = jsonOrUndefined(message.metadata);
    if (metadata !== undefined) link[UI_METADATA] = metadata;
    return link;
  }

  private addCounted(messageId: string, tokens: number): void {
    this.counted.set(messageId, (this.counted.get(messageId) ?? 0) + tokens);
  }

  /** The usage for a response's last text: the message's, less what its earlier texts were counted with. */
  private billedUsage(message: M): ProviderUsage | undefined {
    const usage = this.usageOf(message);
    const counted = this.counted.get(message.id) ?? 0;
    this.counted.delete(message.id);
    return usage && lessCountedCompletion(usage, counted);
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
    const recorded: ProviderUsage = { promptTokens: input, completionTokens: output, totalTokens: total };
    // The SDK's token details (inputTokens already includes cache reads and writes).
    const inputDetails = usage?.inputTokenDetails as Record<string, unknown> | undefined;
    const outputDetails = usage?.outputTokenDetails as Record<string, unknown> | undefined;
    const cacheRead = inputDetails?.cacheReadTokens ?? usage?.cachedInputTokens;
    const cacheWrite = inputDetails?.cacheWriteTokens;
    const reasoning = outputDetails?.reasoningTokens ?? usage?.reasoningTokens;
    if (isCount(cacheRead)) recorded.cachedPromptTokens = cacheRead;
    if (isCount(cacheWrite)) recorded.cacheWriteTokens = cacheWrite;
    if (isCount(reasoning)) recorded.reasoningTokens = reasoning;
    return recorded;
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
