import { ReplyStateError, type ResponseStream, type SessionManager } from '@ai-session-manager/core';
import {
  beginReply,
  type IdLedger,
  jsonOrNull,
  keepLateMetadata,
  lastTextKey,
  LiveReply,
  linkMetadata,
  metadataJson,
  writeToolCall,
  writeUserText,
} from '@ai-session-manager/core/record';
import type { UIMessage } from '@tanstack/ai-client';
import type { MessageVersions } from './messageVersions.ts';
import { type MessageUnit, messageUnits } from './messageUnits.ts';
import type { ReplyBilling } from './replyBilling.ts';
import { type RunEnd, whole } from './runEnd.ts';
import { MESSAGE_METADATA, TANSTACK_LINK, TOOL_PARTS } from './storedMessages.ts';
import { layoutLink, restoredMedia, TEXT_PARTS } from './textParts.ts';
import { messageModel } from './usage.ts';

export interface MessageWriterOptions {
  model?: string;
  provider?: string;
  flushMs?: number;
  leaseMs?: number;
}

/** A text still streaming into its reply event. */
export interface StreamingText {
  text: LiveReply;
  stream: ResponseStream;
  manager: SessionManager;
  /** The message's metadata when the reply began, as JSON text (late metadata is written at its end). */
  metadata: string | undefined;
  /** The text's part layout when the reply began, as JSON text (a later one is written at its end). */
  parts: string | undefined;
}

/**
 * Writes one chat message's units that are not stored yet: a user text (a new version of a
 * replaced one), tool calls linked to the text before them, whole texts at once, and the text
 * still streaming as the one live reply, appended as the chat shows it.
 */
export class MessageWriter {
  private readonly options: MessageWriterOptions;
  private readonly ledger: IdLedger;
  private readonly versions: MessageVersions;
  private readonly billing: ReplyBilling;
  private streaming: StreamingText | undefined;

  constructor(
    options: MessageWriterOptions,
    ledger: IdLedger,
    versions: MessageVersions,
    billing: ReplyBilling,
  ) {
    this.options = options;
    this.ledger = ledger;
    this.versions = versions;
    this.billing = billing;
  }

  /** The text streaming now, if one is. */
  get live(): StreamingText | undefined {
    return this.streaming;
  }

  /**
   * Record what of `message` is not stored. `done`: it will not grow (its last text is whole);
   * `end`: how its run ended, for its last text; `versionOf`: the stored event it replaces.
   * Resolves to whether the message is stored whole and finished (no later diff needs it).
   */
  async record(
    manager: SessionManager,
    message: UIMessage,
    done: boolean,
    end: RunEnd | undefined,
    versionOf: string | undefined,
  ): Promise<boolean> {
    const units = messageUnits(message, done);
    if (message.role === 'user') {
      const unit = units[0] as MessageUnit & { kind: 'text' };
      if (!this.ledger.has(message.id, unit.key)) {
        this.versions.used(message.id);
        const link = { ...linkMetadata(TANSTACK_LINK, message, unit.key), ...layoutLink(unit.layout) };
        this.ledger.set(
          message.id,
          unit.key,
          await writeUserText(manager, unit.text, link, versionOf, unit.files),
        );
      }
      return true;
    }
    const lastKey = lastTextKey(units);
    // How the message's run ended applies to its last text only (usage once, abort where it stopped).
    const endOf = (key: string) => (key === lastKey ? (end ?? {}) : undefined);
    let parentEventId: string | undefined;
    let allStored = true;
    let firstText = true;
    for (const unit of units) {
      const live = this.streaming;
      if (unit.kind === 'text' && live?.text.messageId === message.id && live.text.key === unit.key) {
        this.show(live, unit.text);
        parentEventId = live.stream.eventId;
        firstText = false;
        if (!unit.complete) {
          allStored = false;
          break;
        }
        if (unit.key === lastKey && !done) {
          // Closed by a tool call, but maybe its run's last text: it stays live (see below).
          allStored = false;
          continue;
        }
        // A text a tool call closed is whole: a stop or failure after the call does not cut it.
        const runEnd = endOf(unit.key);
        await this.endLive(
          runEnd && unit !== units[units.length - 1] ? whole(runEnd) : runEnd,
          message,
          units,
        );
        continue;
      }
      if (this.ledger.has(message.id, unit.key)) {
        if (unit.kind === 'text') {
          parentEventId = this.ledger.eventId(message.id, unit.key) ?? parentEventId;
          firstText = false;
        }
        continue;
      }
      if (unit.kind === 'tool') {
        if (!unit.complete) {
          allStored = false;
          continue;
        }
        // A reply that opens with a tool call is recorded after the old one, not as its version.
        if (firstText) this.versions.used(message.id);
        const link = {
          ...linkMetadata(TANSTACK_LINK, message, unit.key),
          [TOOL_PARTS]: jsonOrNull(unit.chatParts),
        };
        const tool = { ...unit, input: jsonOrNull(unit.input), output: jsonOrNull(unit.output) };
        const eventId = await writeToolCall(manager, tool, link, parentEventId ? { parentEventId } : {});
        this.ledger.set(message.id, unit.key, eventId);
        continue;
      }
      const of = firstText ? versionOf : undefined;
      firstText = false;
      this.versions.used(message.id);
      // A text a tool call closed may be its run's last (a run can end with a tool call): it is
      // finished when the run ends, with the run's usage, or plainly when a later text follows.
      const lastOfRun = unit.complete && unit.key === lastKey && !done && shows(unit);
      if (!unit.complete || lastOfRun) {
        allStored = false;
        if (shows(unit)) await this.beginLive(manager, message, unit, of);
        if (!unit.complete) break;
        parentEventId = this.ledger.eventId(message.id, unit.key) ?? parentEventId;
        continue;
      }
      // A whole text at once: a reply that is begun, given its text and finished.
      const reply = await this.begin(manager, message, unit, of);
      this.ledger.set(message.id, unit.key, reply.stream.eventId);
      reply.text.show(unit.text);
      await this.billing.finish(reply.text, message, endOf(unit.key), units, unit.key, unit.files);
      parentEventId = reply.stream.eventId;
    }
    return done && allStored && this.streaming?.text.messageId !== message.id;
  }

  /**
   * Finish the live reply. `end`: how the message's run ended, for its last text; undefined for
   * an earlier text (plain finish).
   */
  async endLive(end: RunEnd | undefined, message?: UIMessage, units?: MessageUnit[]): Promise<void> {
    const live = this.streaming;
    if (!live) return;
    this.streaming = undefined;
    this.assertNotRefused(live);
    if (live.stream.status !== 'streaming') return;
    const found = units?.find((u) => u.key === live.text.key);
    const unit = found?.kind === 'text' ? found : undefined;
    await this.billing.finish(live.text, message, end, units, live.text.key, unit?.files);
    // The message's metadata often comes late (usage, finish reason): keep it with the event.
    const metadata = message ? jsonText(message.metadata) : undefined;
    if (metadata !== undefined && metadata !== live.metadata) {
      await keepLateMetadata(live.manager, live.stream.eventId, MESSAGE_METADATA, JSON.parse(metadata));
    }
    // So are its text parts: a part that began after the reply did, a part's metadata.
    const layout = unit?.layout;
    if (found && (layout ? JSON.stringify(layout) : undefined) !== live.parts) {
      await keepLateMetadata(live.manager, live.stream.eventId, TEXT_PARTS, layout ?? null);
    }
  }

  /** Throws the live reply's refusal, if core refused it (see assertNotRefused). */
  throwIfRefused(): void {
    if (this.streaming) this.assertNotRefused(this.streaming);
  }

  /** Drop the live reply (the chat was cleared): it is discarded, not left streaming. */
  async discardLive(): Promise<void> {
    const live = this.streaming;
    this.streaming = undefined;
    if (live?.stream.status === 'streaming') await live.stream.discard().catch(() => undefined);
  }

  /** The conversation is gone: its reply's writes are refused from now on (core stops it at the first refusal). */
  forget(): void {
    this.streaming = undefined;
  }

  /** A text still streaming: its reply event is written now (status 'streaming'), its deltas appended. */
  private async beginLive(
    manager: SessionManager,
    message: UIMessage,
    unit: MessageUnit & { kind: 'text' },
    versionOf: string | undefined,
  ): Promise<void> {
    // Media stays inline in the layout while the reply streams: its files are written as it ends.
    const reply = await this.begin(manager, message, { ...unit, layout: inlineLayout(unit) }, versionOf);
    this.ledger.set(message.id, unit.key, reply.stream.eventId);
    this.streaming = reply;
    this.show(reply, unit.text);
  }

  private async begin(
    manager: SessionManager,
    message: UIMessage,
    unit: MessageUnit & { kind: 'text' },
    versionOf: string | undefined,
  ): Promise<StreamingText> {
    const { key, layout } = unit;
    const { model: modelOption, provider, flushMs, leaseMs } = this.options;
    const model = modelOption ?? messageModel(message.metadata);
    const begun = beginReply(manager, {
      eventId: globalThis.crypto.randomUUID(),
      metadata: { ...linkMetadata(TANSTACK_LINK, message, key), ...layoutLink(layout) },
      ...(model ? { model } : {}),
      ...(provider ? { provider } : {}),
      ...(flushMs !== undefined ? { flushMs } : {}),
      ...(leaseMs !== undefined ? { leaseMs } : {}),
      ...(versionOf ? { versionOf } : {}),
    });
    const text = new LiveReply(message.id, key, begun);
    const stream = await begun;
    const parts = layout ? JSON.stringify(layout) : undefined;
    return { text, stream, manager, metadata: jsonText(message.metadata), parts };
  }

  /** Hand the reply the text it has not seen (in memory; core writes it at most every flushMs). */
  private show(live: StreamingText, text: string): void {
    this.assertNotRefused(live);
    live.text.show(text);
  }

  /**
   * Core stops a reply whose background write was refused (its conversation deleted by another
   * tab, or the reply taken over elsewhere): the refusal is thrown once, not swallowed. Its
   * status tells, not `lastError`: a write queued behind the refused one succeeds (it writes
   * nothing) and clears that.
   */
  private assertNotRefused(live: StreamingText): void {
    if (live.stream.status !== 'discarded') return;
    if (this.streaming === live) this.streaming = undefined;
    throw (
      live.stream.lastError ??
      new ReplyStateError(
        `Reply ${live.stream.eventId} was refused: its conversation was deleted or it was taken over elsewhere.`,
      )
    );
  }
}

/** `value` as JSON text, if it is plain JSON and not empty (what is not would fail the whole write). */
function jsonText(value: unknown): string | undefined {
  const json = metadataJson(value);
  return json === undefined ? undefined : JSON.stringify(json);
}

/** A text unit with something to show: text, or other parts (thinking, an image…) in its layout. */
function shows(unit: MessageUnit & { kind: 'text' }): boolean {
  return unit.text !== '' || unit.layout !== undefined;
}

/** `unit`'s layout with its media bytes back inline (what a reply still streaming shows). */
function inlineLayout(unit: MessageUnit & { kind: 'text' }): (MessageUnit & { kind: 'text' })['layout'] {
  if (!unit.layout || !unit.files?.length) return unit.layout;
  return unit.layout.map((entry) =>
    'part' in entry && entry.fileIndex !== undefined ? { part: restoredMedia(entry, unit.files) } : entry,
  );
}
