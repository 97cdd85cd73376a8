import type { MessagePart, ProviderUsage } from '@ai-session-manager/core';
import { CompletionTally, type IdLedger, isCut, type LiveReply } from '@ai-session-manager/core/record';
import type { UIMessage } from '@tanstack/ai-client';
import type { MessageUnit } from './messageUnits.ts';
import type { RunEnd } from './runEnd.ts';
import { textsCoveredBefore } from './runUsage.ts';
import { messageModel, messageUsage } from './usage.ts';

/**
 * Ends replies with the usage they are billed: the app's `usage` option as given; else the
 * message's or the run's provider usage, less what the texts before it in that message or run
 * were already counted with (text, tool call, text in one run is billed once).
 */
export class ReplyBilling {
  /** Completion tokens our tokenizer counted for texts finished before a tool call, by event id. */
  private readonly counted = new CompletionTally();
  private readonly usage: ((message: UIMessage) => ProviderUsage | undefined) | undefined;
  private readonly ledger: IdLedger;
  /** The app's `model` option: it wins over what the response names. */
  private readonly model: string | undefined;

  constructor(
    usage: ((message: UIMessage) => ProviderUsage | undefined) | undefined,
    ledger: IdLedger,
    model?: string,
  ) {
    this.usage = usage;
    this.ledger = ledger;
    this.model = model;
  }

  /**
   * Finish `reply` (text `key` of `message`, among `units`) as its run `end`ed, or abort it when
   * the run was stopped or failed. No `end`: an earlier text of the run, finished plainly.
   */
  async finish(
    reply: LiveReply,
    message: UIMessage | undefined,
    end: RunEnd | undefined,
    units: MessageUnit[] = [],
    key = '',
    files?: MessagePart[],
  ): Promise<void> {
    const usage = end && message && !isCut(end) ? this.usageOf(message, end, units, key) : undefined;
    // The model the caller, the message or the run names, known once the run ended.
    const model = end ? (this.model ?? (message && messageModel(message.metadata)) ?? end.model) : undefined;
    const event = await reply.end(end, usage, model, files);
    if (event && !usage) this.counted.add(event.id, event.tokenUsage?.completionTokens ?? 0);
  }

  clear(): void {
    this.counted.clear();
  }

  private usageOf(
    message: UIMessage,
    end: RunEnd,
    units: MessageUnit[],
    key: string,
  ): ProviderUsage | undefined {
    const given = this.usage?.(message);
    if (given) return given;
    const ofMessage = messageUsage(message.metadata);
    const usage = ofMessage ?? end.usage;
    if (!usage) return undefined;
    const streamed = ofMessage ? undefined : end.textLengths?.get(message.id);
    const earlier = textsCoveredBefore(units, key, streamed).map(
      (k) => this.ledger.eventId(message.id, k) ?? '',
    );
    return this.counted.billed(usage, earlier);
  }
}
