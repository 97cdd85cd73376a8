// A reply saved while it streams. The assistant MESSAGE event exists from the start with
// `reply.status: 'streaming'`; `append` only grows the text in memory, and at most every
// `flushMs` (and on finish/abort) one `updateEvent` writes that event row alone. Each write
// renews the lease (`reply.leaseUntil`, epoch ms), and a heartbeat renews it while no
// delta arrives, so readers can tell a live reply from one whose tab died ('interrupted').
// After `idleMs` with no delta the heartbeat stops: a model (or tab) that went silent lets
// its lease run out like a dead tab, so others can resume or discard it.
// `reply.owner` names this writer: a write is refused once another writer took the
// reply over (resumed it) or discarded it.
import { InvalidInputError, ReplyStateError } from '../domain/errors.ts';
import { assertNonEmptyString, objectArg } from '../domain/validate.ts';
import { nowIso } from '../domain/ids.ts';
import { normalizeUsage, type ProviderUsage } from '../domain/providerUsage.ts';
import type { Scrubber } from '../domain/scrubSecrets.ts';
import { type MessagePart, toMessageParts } from '../domain/messageParts.ts';
import type { SessionEvent, TokenUsage } from '../domain/types.ts';
import { replyUsage } from '../pricing/messageUsage.ts';
import type { SessionStore } from '../storage/sessionStore.ts';

/** A reply's state as its writer sees it. */
export type ResponseStatus = 'streaming' | 'complete' | 'aborted' | 'discarded';

export interface StreamTiming {
  /** Most one write per this many ms while streaming. Default 250. */
  flushMs?: number;
  /** How long a write keeps the reply live for readers; renewed at least every leaseMs / 3. Default 15000. */
  leaseMs?: number;
  /**
   * With no `append` for this long, the heartbeat stops renewing the lease, so the reply reads as
   * 'interrupted' about leaseMs later (other tabs may then resume or discard it). A later append
   * renews it again unless someone took the reply over. Default 600000 (10 minutes: slow
   * reasoning models may think that long before their first delta).
   */
  idleMs?: number;
}

export interface FinishResponseOptions {
  /** Provider-reported usage; without it the text's completion tokens are counted. */
  usage?: ProviderUsage;
  /**
   * The model the response named, when it was not known at `beginResponse` (streams often name
   * it in their last chunk): recorded, counted and priced instead of the one begun with.
   */
  model?: string;
  /** The reply's parts (reasoning, sources, files…), stored exactly with it (see SessionEvent.parts). */
  parts?: MessagePart[];
}

/** What `abort` may keep beside the text so far. */
export interface AbortResponseOptions {
  /** The reply's parts so far, stored with it (see SessionEvent.parts). */
  parts?: MessagePart[];
}

export const DEFAULT_FLUSH_MS = 250;
export const DEFAULT_LEASE_MS = 15_000;
export const DEFAULT_IDLE_MS = 600_000;

/** The handle `beginResponse`, `regenerate` and `resumeResponse` resolve to. */
export class ResponseStream {
  readonly eventId: string;
  /** The segment the reply's event is stored in. */
  readonly sessionId: string;
  /** The conversation the reply belongs to (a fork's id when regenerate forked one). */
  readonly conversationId: string;
  private _text: string;
  private _status: ResponseStatus = 'streaming';
  private readonly model: string;
  private readonly owner: string;
  private readonly flushMs: number;
  private readonly leaseMs: number;
  private readonly idleMs: number;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private writing: Promise<unknown> = Promise.resolve();
  private writtenText: string;
  private lastWriteAt = Date.now();
  private lastDeltaAt = Date.now();
  private settling: Promise<SessionEvent> | undefined;
  /** The last background write's failure, if it failed (the next write retries). */
  lastError: unknown = undefined;

  private readonly store: SessionStore;
  /** The manager's `scrub`: applied to the whole text at each write, so a key split across deltas is caught. */
  private readonly scrub: Scrubber;

  constructor(
    store: SessionStore,
    event: SessionEvent,
    conversationId: string,
    timing: StreamTiming = {},
    scrub: Scrubber = (text) => text,
  ) {
    this.store = store;
    this.scrub = scrub;
    this.eventId = event.id;
    this.sessionId = event.sessionId;
    this.conversationId = conversationId;
    this._text = typeof event.message === 'string' ? event.message : '';
    this.writtenText = this._text;
    this.model = String(event.metadata.model);
    this.owner = String(event.reply?.owner);
    this.flushMs = timing.flushMs ?? DEFAULT_FLUSH_MS;
    this.leaseMs = timing.leaseMs ?? DEFAULT_LEASE_MS;
    this.idleMs = timing.idleMs ?? DEFAULT_IDLE_MS;
    this.startHeartbeat();
  }

  /** The text so far, as appended (what is stored is this text scrubbed). */
  get text(): string {
    return this._text;
  }

  get status(): ResponseStatus {
    return this._status;
  }

  /** Add a delta: synchronous; the text reaches storage with the next flush. */
  append(delta: string): void {
    if (typeof delta !== 'string') throw new InvalidInputError('delta must be a string.', 'delta');
    this.assertStreaming();
    this._text += delta;
    this.lastDeltaAt = Date.now();
    if (this.heartbeat === undefined) this.startHeartbeat();
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.flush().catch(() => undefined);
    }, this.flushMs);
  }

  /** Write the text so far now (and renew the lease). Resolves once it is stored. */
  flush(): Promise<void> {
    return this.enqueue(async () => {
      if (this._status !== 'streaming') return;
      const text = this._text;
      await this.store.updateEvent(
        this.eventId,
        {
          ...(text === this.writtenText ? {} : { message: this.scrub(text) }),
          reply: { leaseUntil: this.leaseEnd() },
        },
        { check: (stored) => this.checkOwned(stored) },
      );
      this.writtenText = text;
    });
  }

  /** Write the final text, token usage and cost, and count the reply in the totals (once). */
  finish(options?: FinishResponseOptions): Promise<SessionEvent> {
    return this.settle(async () => {
      // Refused inside settle: the reply stays streaming, so a corrected finish() can follow.
      const checked = objectArg<FinishResponseOptions>(options, 'options');
      const { usage, model = this.model } = checked;
      if (checked.model !== undefined) assertNonEmptyString(checked.model, 'model');
      // The same rules as aiResponds: an object of non-negative safe integers.
      const billed = usage === undefined ? undefined : normalizeUsage(usage);
      const parts = this.partsOf(checked.parts);
      const named = model === this.model ? {} : { model };
      const text = this.scrub(this._text);
      return this.close(
        'complete',
        text,
        await replyUsage(model, text, billed, parts),
        named,
        undefined,
        parts,
      );
    });
  }

  /** Stop: keep the text so far with status 'aborted', counted (its tokens were produced). */
  abort(reason?: string, options?: AbortResponseOptions): Promise<SessionEvent> {
    if (reason !== undefined && typeof reason !== 'string') {
      return Promise.reject(new InvalidInputError('reason must be a string.', 'reason'));
    }
    return this.settle(async () => {
      const parts = this.partsOf(objectArg<AbortResponseOptions>(options, 'options').parts);
      const text = this.scrub(this._text);
      const scrubbed = reason === undefined ? undefined : this.scrub(reason);
      const usage = await replyUsage(this.model, text, undefined, parts);
      return this.close('aborted', text, usage, {}, scrubbed, parts);
    });
  }

  private partsOf(parts: unknown): MessagePart[] | undefined {
    return parts === undefined ? undefined : toMessageParts(parts, 'options.parts', this.scrub);
  }

  /** Drop the reply: it stays stored (status 'discarded') but is never shown, sent or counted. */
  discard(): Promise<SessionEvent> {
    return this.settle(async () => {
      const event = await this.store.updateEvent(
        this.eventId,
        {
          message: this.scrub(this._text),
          reply: { status: 'discarded', leaseUntil: undefined, owner: undefined },
        },
        { check: (stored) => this.checkOwned(stored) },
      );
      this._status = 'discarded';
      return event;
    });
  }

  private async close(
    status: 'complete' | 'aborted',
    text: string,
    tokenUsage: TokenUsage,
    metadata: Record<string, unknown>,
    abortReason?: string,
    parts?: MessagePart[],
  ): Promise<SessionEvent> {
    const event = await this.store.updateEvent(
      this.eventId,
      {
        message: text,
        tokenUsage,
        metadata,
        ...(parts ? { parts } : {}),
        reply: { status, finishedAt: nowIso(), leaseUntil: undefined, owner: undefined, abortReason },
      },
      { countInTotals: true, check: (stored) => this.checkOwned(stored) },
    );
    this._status = status;
    return event;
  }

  /** One settling call at a time; a failed one (e.g. storage error) leaves the reply streaming, to retry. */
  private settle(fn: () => Promise<SessionEvent>): Promise<SessionEvent> {
    try {
      this.assertStreaming();
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.settling) return Promise.reject(new ReplyStateError('This reply is already being finished.'));
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const run = this.enqueue(fn).finally(() => {
      this.settling = undefined;
      if (this._status !== 'streaming') this.stopHeartbeat();
    });
    this.settling = run;
    return run;
  }

  /** Writes run one at a time, in order; a failed write does not stop the next. */
  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writing.then(fn);
    this.writing = run.then(
      () => {
        this.lastWriteAt = Date.now();
        this.lastError = undefined;
      },
      (error) => {
        this.lastError = error;
        if (error instanceof ReplyStateError) this.stop();
      },
    );
    return run;
  }

  private startHeartbeat(): void {
    this.heartbeat = setInterval(
      () => {
        if (Date.now() - this.lastDeltaAt >= this.idleMs) return this.stopHeartbeat();
        if (Date.now() - this.lastWriteAt >= this.leaseMs / 3) this.flush().catch(() => undefined);
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private stop(): void {
    clearTimeout(this.flushTimer);
    this.stopHeartbeat();
    if (this._status === 'streaming') this._status = 'discarded';
  }

  private checkOwned(stored: SessionEvent): void {
    if (stored.reply?.status !== 'streaming' || stored.reply.owner !== this.owner) {
      throw new ReplyStateError(
        `Reply ${this.eventId} was finished, discarded or taken over elsewhere; nothing was written.`,
      );
    }
  }

  private assertStreaming(): void {
    if (this._status !== 'streaming') throw new ReplyStateError(`Reply ${this.eventId} is ${this._status}.`);
  }

  private leaseEnd(): number {
    return Date.now() + this.leaseMs;
  }
}
