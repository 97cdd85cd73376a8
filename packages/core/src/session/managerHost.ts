import { ConversationDeletedError, InvalidInputError, SessionNotFoundError } from '../domain/errors.ts';
import { newId, nowIso } from '../domain/ids.ts';
import { toJsonRecord } from '../domain/jsonValue.ts';
import { checkedScrubber, type Scrubber, scrubRecord } from '../domain/scrubSecrets.ts';
import { emptyTotals } from '../domain/totals.ts';
import type {
  EventDraft,
  EventSource,
  EventType,
  Session,
  SessionEvent,
  TokenUsage,
} from '../domain/types.ts';
import { assertNonEmptyString } from '../domain/validate.ts';
import type { BranchHost, ForkedConversation } from '../branches/branchHost.ts';
import type { SummarizeFn } from '../prompt/extractiveSummary.ts';
import type { RunHost } from '../runs/runHost.ts';
import type { LockManagerLike } from '../storage/rolloverLock.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import type { ResponseStream } from '../streaming/responseStream.ts';
import { type AppendContext, appendWithRollover, rollOverHead } from './appendWithRollover.ts';
import { pendingCounts } from '../storage/chainWrites.ts';
import { ConversationHead } from './conversationHead.ts';
import { fillPendingCount, finishPendingCounts } from './pendingCounts.ts';

/** A manager's settings, checked by its constructor. */
export interface ManagerSettings {
  store: SessionStore;
  sessionId: string;
  systemPrompt: string | undefined;
  /** Start as the next segment of this one's conversation. */
  parentId: string | undefined;
  metadata: Record<string, unknown>;
  /** undefined: the value stored with the conversation (false for a new one). */
  infiniteContext: boolean | undefined;
  tokenThreshold: number;
  maxTurnsPerSegment: number;
  defaultModel: string;
  summarize: SummarizeFn | undefined;
  summaryTimeoutMs: number;
  locks: LockManagerLike | null | undefined;
  /** undefined: nothing is scrubbed. */
  scrub: Scrubber | undefined;
  /** Opens a stored conversation with the manager's options (a fork). */
  openConversation(rootId: string): Promise<ForkedConversation>;
}

/**
 * What a SessionManager shares with its collaborators: its queue, its head, the draft and
 * append every recording goes through. Streaming, branches, runs and rollovers get it as their
 * host interface (ReplyHost, BranchHost, RunHost, AppendContext), never the manager itself.
 */
export class ManagerHost implements BranchHost, RunHost, AppendContext {
  readonly store: SessionStore;
  readonly head: ConversationHead;
  readonly defaultModel: string;
  readonly tokenThreshold: number;
  readonly maxTurnsPerSegment: number;
  readonly summaryTimeoutMs: number;
  readonly locks: LockManagerLike | null | undefined;
  /** The `scrub` option, or the identity; `scrubOption` is the option as passed (for forks). */
  readonly scrub: Scrubber;
  readonly scrubOption: Scrubber | undefined;
  readonly replies = new Map<string, ResponseStream>();
  summarize: SummarizeFn | undefined;
  private readonly parentId: string | undefined;
  private metadata: Record<string, unknown>;
  private queue: Promise<unknown> = Promise.resolve();
  private leftCountsDone = false;
  /** Events recorded while a run is active carry its id. */
  private runId: string | undefined;
  private readonly open: (rootId: string) => Promise<ForkedConversation>;

  constructor(settings: ManagerSettings) {
    this.store = settings.store;
    this.head = new ConversationHead(
      settings.store,
      settings.sessionId,
      settings.systemPrompt,
      settings.infiniteContext,
    );
    this.defaultModel = settings.defaultModel;
    this.tokenThreshold = settings.tokenThreshold;
    this.maxTurnsPerSegment = settings.maxTurnsPerSegment;
    this.summaryTimeoutMs = settings.summaryTimeoutMs;
    this.locks = settings.locks;
    this.scrubOption = checkedScrubber(settings.scrub);
    this.scrub = this.scrubOption ?? ((text) => text);
    this.summarize = settings.summarize;
    this.parentId = settings.parentId;
    this.metadata = settings.metadata;
    this.open = settings.openConversation;
  }

  get infiniteContext(): boolean {
    return this.head.infiniteContext;
  }

  conversationId(): string {
    return this.head.conversationId;
  }

  async segmentIds(): Promise<string[]> {
    // Index keys only when the store can; segments are only ever added, so none is missed.
    const ends = await this.store.getChainEnds?.(this.head.conversationId);
    return ends ? ends.ids : (await this.head.segments(true)).map((s) => s.id);
  }

  /** Run calls one at a time, in call order, each after the stored head was read; a failed call does not block the next. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue
      .then(() => this.head.load())
      .then(() => this.finishLeftCounts())
      .then(fn)
      .catch((error: unknown) => this.explain(error));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * A call that failed on a conversation this manager had read, whose root row is now gone:
   * another tab deleted it (only deleteConversation removes rows), so say that instead of the
   * missing segment or event the store reported.
   */
  private async explain(error: unknown): Promise<never> {
    if (this.head.row && !(error instanceof InvalidInputError || error instanceof ConversationDeletedError)) {
      const root = await this.store.getSession(this.head.conversationId).catch(() => null);
      if (root === undefined) throw new ConversationDeletedError(this.head.conversationId);
    }
    throw error;
  }

  /** Once per manager: fill in the counts a closed tab left pending (never blocks the call on failure). */
  private async finishLeftCounts(): Promise<void> {
    const cached = this.head.row;
    if (this.leftCountsDone || !cached) return;
    this.leftCountsDone = true;
    // The cached row may predate this manager's own fill: the stored head says what is left.
    if (!pendingCounts(cached)) return;
    try {
      const head = await this.store.getHead(cached.rootId);
      if (head) await finishPendingCounts(this.store, head);
    } catch {
      this.leftCountsDone = false;
    }
  }

  activeRunId(): string | undefined {
    return this.runId;
  }

  setActiveRunId(id: string | undefined): void {
    this.runId = id;
  }

  async ensureConversation(): Promise<string> {
    return (await this.ensureCreated()).rootId;
  }

  readConversation(): Promise<{ segments: Session[]; events: SessionEvent[] }> {
    return this.head.readConversation();
  }

  openConversation(rootId: string): Promise<ForkedConversation> {
    return this.open(rootId);
  }

  draft(
    source: EventSource,
    type: EventType,
    message: unknown,
    metadata: Record<string, unknown>,
    tokenUsage?: TokenUsage,
    eventId?: string,
  ): EventDraft {
    if (eventId !== undefined) assertNonEmptyString(eventId, 'eventId');
    const draft: EventDraft = {
      id: eventId ?? newId(),
      timestamp: nowIso(),
      source,
      type,
      message,
      // Every recording's metadata passes here: its top-level strings are scrubbed.
      metadata: scrubRecord(metadata, this.scrubOption),
    };
    if (tokenUsage) draft.tokenUsage = tokenUsage;
    if (this.runId !== undefined) draft.taskId = this.runId;
    return draft;
  }

  /** Append to the head; a message in infinite mode rolls a full head over first. */
  async record(draft: EventDraft, isMessage: boolean): Promise<SessionEvent> {
    const head = await this.ensureCreated();
    const limits =
      isMessage && this.infiniteContext
        ? { totalTokens: this.tokenThreshold, messages: this.maxTurnsPerSegment }
        : undefined;
    const event = await appendWithRollover(this, head, draft, limits);
    // Stored first (durable), counted next: only while the tokenizer was still loading. A failed
    // count leaves the message stored and pending; the next call of this manager retries it.
    if (!event.tokenUsage?.pending) return event;
    return fillPendingCount(this.store, event).catch(() => {
      this.leftCountsDone = false;
      return event;
    });
  }

  /** The head segment, writing the root (or the first segment after parentId) on first use. */
  async ensureCreated(): Promise<Session> {
    if (this.head.row) return this.head.row;
    if (this.parentId !== undefined) {
      // Our segment exists if an earlier attempt committed its rollover but then failed (a lost
      // reply): continue the chain then, as rolling over again with the same id never succeeds.
      const own = await this.store.getSession(this.head.sessionId);
      const parent = own ?? (await this.store.getSession(this.parentId));
      if (!parent) throw new SessionNotFoundError(this.parentId);
      const parentHead = (await this.store.getHead(parent.rootId)) ?? parent;
      if (own) this.head.adopt(parentHead);
      else await rollOverHead(this, parentHead, this.head.sessionId);
      return this.head.row!;
    }
    this.metadata = scrubRecord(toJsonRecord(this.metadata, 'metadata'), this.scrubOption);
    const stored = await this.store.ensureSession(this.newRootRow(nowIso()));
    this.head.adopt(stored);
    return stored;
  }

  /** The root segment row this manager writes on its first recording call. */
  newRootRow(createdAt: string): Session {
    const id = this.head.sessionId;
    const systemPrompt = this.head.systemPrompt;
    return {
      id,
      parentId: null,
      rootId: id,
      segmentIndex: 0,
      ...(systemPrompt === undefined ? {} : { systemPrompt }),
      metadata: this.metadata,
      // Reopening without the option continues as this conversation was started.
      state: { infiniteContext: this.infiniteContext },
      createdAt,
      updatedAt: createdAt,
      totals: emptyTotals(),
    };
  }
}
