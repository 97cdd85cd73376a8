import {
  countTokens,
  InvalidInputError,
  type MessagePart,
  type ProviderUsage,
  type SessionEvent,
  type SessionManager,
} from '@ai-session-manager/core';
import {
  beginReply,
  CompletionTally,
  IdLedger,
  isCut,
  keepLateMetadata,
  lastTextKey,
  linkedMetadata,
  linkMetadata,
  LiveReply,
  type ReplyEnd,
  type TextUnit,
  WriteQueue,
  writeEdit,
  writeToolCall,
  writeUserText,
} from '@ai-session-manager/core/record';
import type { UIMessage } from 'ai';
import { userMessageToEdit } from './branchTargets.ts';
import { type MessageUnit, messageUnits } from './messageUnits.ts';
import { sdkUsage } from './sdkUsage.ts';
import { UI_LINK, UI_METADATA } from './storedUIMessages.ts';

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
  /**
   * A regenerate or edit of a message in a closed (summarized) segment forked a new conversation
   * (core's "branch in new chat"): the recorder now writes there, through `manager`.
   */
  onConversationChange?: (manager: SessionManager) => void;
}

/** How a response ended, for its last text unit. */
export type ResponseEnd = ReplyEnd;

/**
 * Records a chat's UIMessages into a SessionManager, unit by unit (see messageUnits), each at
 * most once: user messages with userSays, assistant text with aiResponds (streamed through
 * beginResponse while it grows), tool calls with toolUsed linked to the text that asked for
 * them. Writes run in order, one at a time. Built on core's recorder (`core/record`).
 */
export class ChatRecorder<M extends UIMessage = UIMessage> {
  private readonly ledger = new IdLedger(UI_LINK);
  /** Messages this recorder wrote itself: its chat's copy is the fuller one. */
  private readonly own = new Set<string>();
  private readonly queue = new WriteQueue();
  private live: LiveReply | undefined;
  /** The stored reply the next reply is a new version of (useChat's regenerate). */
  private regenerateOf: string | undefined;
  /** Per chat message id: what its texts finished before the response ended were counted with. */
  private readonly counted = new CompletionTally();

  private current: SessionManager;
  private readonly options: ChatRecorderOptions<M>;

  constructor(manager: SessionManager, options: ChatRecorderOptions<M> = {}) {
    this.current = manager;
    this.options = options;
  }

  /** The manager written through: the one given, or the fork a regenerate or edit made. */
  get manager(): SessionManager {
    return this.current;
  }

  /** A write landed in another conversation (core forked): write there from now on. */
  private async follow(conversationId: string): Promise<void> {
    if (conversationId === this.current.conversationId) return;
    this.current = await this.current.openConversation(conversationId);
    this.options.onConversationChange?.(this.current);
  }

  /** Resolves when every write asked for so far has settled. */
  idle(): Promise<void> {
    return this.queue.idle();
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
    const [unit] = messageUnits(message, true);
    if (unit?.kind !== 'text') return Promise.resolve(undefined);
    return this.enqueue(message.id, unit.key, false, async () => {
      const previous = await userMessageToEdit(this.manager, message.id, unit.text);
      if (previous === undefined) return;
      const link = linkMetadata(UI_LINK, message, unit.key);
      const edit = await writeEdit(this.manager, previous, unit.text, link, unit.parts);
      this.ledger.set(message.id, unit.key, edit.eventId);
      this.own.add(message.id);
      await this.follow(edit.conversationId);
    });
  }

  /** Whether this recorder wrote (part of) message `id`. */
  wrote(id: string): boolean {
    return this.own.has(id);
  }

  /** Note messages read from the store, so they are never written again. */
  markStored(messages: readonly M[], events: readonly SessionEvent[] = []): void {
    this.ledger.learn(events);
    for (const message of messages) {
      for (const unit of messageUnits(message, true)) {
        if (unit.complete && !this.ledger.has(message.id, unit.key))
          this.ledger.set(message.id, unit.key, null);
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
      if (message.role !== 'system')
        outcomes.push(...this.recordMessage(message, done || isEnd, isEnd ? end : undefined, streaming));
    });
    return this.queue.idle().then(async () => (await Promise.all(outcomes)).filter((e) => e !== undefined));
  }

  private recordMessage(
    message: M,
    done: boolean,
    end: ResponseEnd | undefined,
    streaming: boolean,
  ): Promise<unknown>[] {
    let units: MessageUnit[];
    try {
      units = messageUnits(message, done);
    } catch (error) {
      this.options.onError?.(error);
      return [Promise.resolve(error)];
    }
    const lastText = lastTextKey(units);
    const endOf = (key: string) => (end !== undefined && key === lastText ? end : undefined);
    const outcomes: Promise<unknown>[] = [];
    for (const unit of units) {
      const live = this.live;
      if (unit.kind === 'text' && live?.messageId === message.id && live.key === unit.key) {
        live.show(unit.text);
        if (!unit.complete) break;
        // The last text so far, closed by a tool call: the response may end here (a client tool
        // waits for its output), so it stays open to be finished with the response's usage.
        if (unit.key === lastText && !done && end === undefined) continue;
        outcomes.push(this.finishLive(live, message, endOf(unit.key), unit.parts));
        continue;
      }
      if (this.ledger.has(message.id, unit.key)) continue;
      // Text still streaming holds back what follows it; tools wait for their output alone.
      if (!unit.complete && unit.kind === 'text') {
        if (streaming && unit.text !== '' && message.role === 'assistant')
          outcomes.push(this.beginLive(message, unit));
        break;
      }
      if (!unit.complete) continue;
      const eventId = globalThis.crypto.randomUUID();
      this.ledger.set(message.id, unit.key, eventId);
      this.own.add(message.id);
      outcomes.push(
        this.enqueue(message.id, unit.key, true, () => this.write(message, unit, eventId, endOf(unit.key))),
      );
    }
    // The response ended: a later response of the same message starts counting from nothing.
    if (end) void this.queue.run(() => this.counted.take(message.id));
    return outcomes;
  }

  /** Start saving a text that is still streaming: its reply event is written now (status 'streaming'). */
  private beginLive(message: M, unit: TextUnit): Promise<unknown> {
    const eventId = globalThis.crypto.randomUUID();
    this.ledger.set(message.id, unit.key, eventId);
    this.own.add(message.id);
    const placement = this.placement(message, unit.key, eventId);
    const begin = this.queue.run(async () => {
      const stream = await beginReply(this.manager, placement);
      await this.follow(stream.conversationId);
      return stream;
    });
    const live = new LiveReply(message.id, unit.key, begin);
    this.live = live;
    live.show(unit.text);
    // Not begun: the text is written whole once complete (the unit is free again).
    return this.enqueue(message.id, unit.key, true, async () => {
      if (await live.begun) return;
      if (this.live === live) this.live = undefined;
      await begin;
    });
  }

  /** The text is complete: finish its reply (or abort it, if the response was stopped or failed). */
  private finishLive(
    live: LiveReply,
    message: M,
    end: ResponseEnd | undefined,
    parts: MessagePart[] | undefined,
  ): Promise<unknown> {
    if (this.live === live) this.live = undefined;
    return this.enqueue(message.id, live.key, false, async () => {
      const usage = end && !isCut(end) ? this.billedUsage(message) : undefined;
      const event = await live.end(end, usage, this.modelOf(message), parts);
      if (!event) return;
      if (!end) this.counted.add(message.id, event.tokenUsage?.completionTokens ?? 0);
      await keepLateMetadata(this.manager, event.id, UI_METADATA, linkedMetadata(UI_LINK, message.metadata));
    });
  }

  /** Run `write` after the others; resolves to its error, if it failed. */
  private enqueue(
    messageId: string,
    key: string,
    retry: boolean,
    write: () => Promise<unknown>,
  ): Promise<unknown> {
    return this.queue.settle(write, (error) => {
      // Bad input stays bad: never retried. Anything else is retried on the next request.
      if (retry && !(error instanceof InvalidInputError)) this.ledger.drop(messageId, key);
      this.options.onError?.(error);
    });
  }

  private async write(
    message: M,
    unit: MessageUnit,
    eventId: string,
    end: ResponseEnd | undefined,
  ): Promise<void> {
    const link = linkMetadata(UI_LINK, message, unit.key);
    if (unit.kind === 'tool') {
      const parent =
        unit.parentKey === undefined ? undefined : this.ledger.eventId(message.id, unit.parentKey);
      // Core's conventions (as fromUIMessages records them): the tool calls of a step with no
      // text share a stepId, so steps stay apart; dynamic-tool parts stay dynamic.
      await writeToolCall(this.manager, unit, link, {
        eventId,
        ...(parent ? { parentEventId: parent } : { stepId: `${message.id}:${unit.step}` }),
        dynamic: unit.dynamic,
      });
      return;
    }
    if (message.role === 'user') {
      await writeUserText(this.manager, unit.text, link, undefined, unit.parts);
      return;
    }
    const parts = unit.parts ? { parts: unit.parts } : {};
    const usage = end && !isCut(end) ? this.billedUsage(message) : undefined;
    const placement = this.placement(message, unit.key, eventId);
    if (!end)
      this.counted.add(
        message.id,
        await countTokens(unit.text, placement.model ?? this.manager.defaultModel),
      );
    // A whole text: one write, or (a new version of a stored reply) a reply begun, given its text and ended.
    if (!placement.versionOf) {
      const { metadata, ...options } = placement;
      await this.manager.aiResponds(unit.text, {
        ...metadata,
        ...options,
        ...(usage ? { usage } : {}),
        ...(isCut(end) ? { abortReason: end?.error ?? 'stopped' } : {}),
        ...parts,
      });
      return;
    }
    const reply = await beginReply(this.manager, placement);
    await this.follow(reply.conversationId);
    reply.append(unit.text);
    if (isCut(end)) await reply.abort(end?.error ?? 'stopped', parts);
    else await reply.finish({ ...(usage ? { usage } : {}), ...parts });
  }

  /** The model the caller names, else the one the response names in its metadata. */
  private modelOf(message: M): string | undefined {
    return this.options.model ?? stringField(message.metadata, 'model');
  }

  /** Where and how a reply of `message` is written (a version when regenerating). */
  private placement(message: M, key: string, eventId: string) {
    const model = this.modelOf(message);
    const versionOf = this.regenerateOf;
    this.regenerateOf = undefined;
    return {
      eventId,
      metadata: linkMetadata(UI_LINK, message, key),
      ...(model ? { model } : {}),
      ...(this.options.provider ? { provider: this.options.provider } : {}),
      ...(versionOf ? { versionOf } : {}),
    };
  }

  /** The usage for a response's last text: the message's, less what its earlier texts were counted with. */
  private billedUsage(message: M): ProviderUsage | undefined {
    return this.counted.billed(this.options.usage?.(message) ?? sdkUsage(message.metadata), message.id);
  }
}

function stringField(value: unknown, key: string): string | undefined {
  const field = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof field === 'string' && field !== '' ? field : undefined;
}
