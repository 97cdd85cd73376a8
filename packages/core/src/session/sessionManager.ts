import {
  type Alternatives,
  type EditResult,
  editMessage,
  type EditMessageOptions,
  getActivePathStats,
  getAlternatives,
  regenerate,
  selectAlternative,
} from '../branches/branchActions.ts';
import { HeadMovedError, SessionNotFoundError } from '../domain/errors.ts';
import { newId, nowIso } from '../domain/ids.ts';
import type { Scrubber } from '../domain/scrubSecrets.ts';
import { statsFromHead, statsFromSegments } from '../domain/sessionStats.ts';
import { toTurns } from '../domain/transcript.ts';
import type { ChatMessage, SessionEvent, SessionStats, Turn } from '../domain/types.ts';
import {
  assertNonEmptyString,
  assertPositiveInteger,
  assertString,
  MAX_TIMER_MS,
  objectArg,
} from '../domain/validate.ts';
import { type ContextUsage, contextUsageOf } from '../prompt/contextUsage.ts';
import type { SummarizeFn } from '../prompt/extractiveSummary.ts';
import type { RunRecord, RunStats } from '../runs/runRecord.ts';
import { SessionRun } from '../runs/sessionRun.ts';
import { getDefaultStore } from '../storage/defaultStore.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import {
  type BeginResponseOptions,
  beginResponse,
  discardResponse,
  resumeResponse,
} from '../streaming/replyActions.ts';
import type { ResponseStream, StreamTiming } from '../streaming/responseStream.ts';
import type { ConversationHead } from './conversationHead.ts';
import { mergeMetadata, readChainEnds } from './conversationOps.ts';
import { replyDraft, toolCallDraft, userMessageDraft } from './eventDrafts.ts';
import { ManagerHost } from './managerHost.ts';
import {
  type AiRespondsOptions,
  type GetMessagesOptions,
  type SessionManagerOptions,
  type ToolUsedOptions,
  UNKNOWN_MODEL,
  type UserSaysOptions,
} from './managerOptions.ts';
import { type MessagesRequest, messagesForLLM } from './messagesForLLM.ts';

export type {
  AiRespondsOptions,
  GetMessagesOptions,
  SessionManagerOptions,
  ToolUsedOptions,
  UserSaysOptions,
} from './managerOptions.ts';

/**
 * Records one conversation: messages, tool calls, summaries, tokens and cost, in a SessionStore.
 * With infiniteContext, the conversation is a chain of segments: when a segment reaches a
 * threshold it is summarized and a new one continues it. Calls on one manager run one at a time.
 */
export class SessionManager {
  readonly store: SessionStore;
  readonly tokenThreshold: number;
  readonly maxTurnsPerSegment: number;
  readonly defaultModel: string;
  /** The queue, head and writes this manager shares with streaming, branches and runs. */
  private readonly host: ManagerHost;

  constructor(options?: SessionManagerOptions) {
    options = objectArg<SessionManagerOptions>(options, 'options');
    const tokenThreshold = options.tokenThreshold ?? 4000;
    const maxTurns = options.maxTurnsPerSegment ?? 20;
    assertPositiveInteger(tokenThreshold, 'tokenThreshold');
    assertPositiveInteger(maxTurns, 'maxTurnsPerSegment');
    // setTimeout fires at once for delays of 2^31 ms or more.
    if (options.summaryTimeoutMs !== undefined)
      assertPositiveInteger(options.summaryTimeoutMs, 'summaryTimeoutMs', MAX_TIMER_MS);
    if (options.sessionId !== undefined) assertNonEmptyString(options.sessionId, 'sessionId');
    if (options.systemPrompt !== undefined) assertString(options.systemPrompt, 'systemPrompt');
    if (options.defaultModel !== undefined) assertNonEmptyString(options.defaultModel, 'defaultModel');
    this.store = options.store ?? getDefaultStore();
    this.tokenThreshold = tokenThreshold;
    this.maxTurnsPerSegment = maxTurns;
    this.defaultModel = options.defaultModel ?? UNKNOWN_MODEL;
    this.host = new ManagerHost({
      store: this.store,
      sessionId: options.sessionId ?? newId(),
      systemPrompt: options.systemPrompt,
      parentId: options.parentId,
      // A shallow check here; the deep JSON copy is made before the root row is written.
      metadata: objectArg(options.metadata, 'metadata'),
      infiniteContext: options.infiniteContext,
      tokenThreshold,
      maxTurnsPerSegment: maxTurns,
      defaultModel: this.defaultModel,
      summarize: options.summarize,
      summaryTimeoutMs: options.summaryTimeoutMs ?? 30_000,
      locks: options.locks,
      scrub: options.scrub,
      openConversation: (rootId) => SessionManager.open(rootId, this.forkOptions()),
    });
  }

  /** Load the conversation that any of its segment ids belongs to, resuming at its newest segment. */
  static async open(id: string, opts?: Omit<SessionManagerOptions, 'sessionId'>): Promise<SessionManager> {
    assertNonEmptyString(id, 'id');
    const options = objectArg<Omit<SessionManagerOptions, 'sessionId'>>(opts, 'options');
    const store = options.store ?? getDefaultStore();
    const session = await store.getSession(id);
    if (!session) throw new SessionNotFoundError(id);
    const manager = new SessionManager({ ...options, store, sessionId: id });
    await manager.ready();
    return manager;
  }

  /**
   * Open another stored conversation with this manager's options (store, thresholds, summarize,
   * defaultModel, scrub): e.g. the one a regenerate or edit in a summarized segment forked
   * (`ResponseStream.conversationId`, `EditResult.conversationId`).
   */
  openConversation(conversationId: string): Promise<SessionManager> {
    return SessionManager.open(conversationId, this.forkOptions());
  }

  /** The current (newest) segment's id. Known synchronously, before anything is written. */
  get sessionId(): string {
    return this.head.sessionId;
  }

  /** The conversation's id: the root segment's id, stable across segments. */
  get conversationId(): string {
    return this.head.conversationId;
  }

  /** Whether segments roll over; when not passed, the value stored with the conversation. */
  get infiniteContext(): boolean {
    return this.head.infiniteContext;
  }

  get systemPrompt(): string | undefined {
    return this.head.systemPrompt;
  }

  /** The `scrub` option, or the identity: for code that writes to `store` directly (adapters' rewrites). */
  get scrub(): Scrubber {
    return this.host.scrub;
  }

  /**
   * The end of the selected branch when an older one is selected (else undefined), as of this
   * manager's last read: `toOpenAIMessages(await sm.getEvents(), { activeLeafId: sm.activeLeafId })`.
   */
  get activeLeafId(): string | undefined {
    return (this.head.row?.state.activeLeafId as string | null | undefined) ?? undefined;
  }

  setSummaryCallback(fn: SummarizeFn | undefined): void {
    this.host.summarize = fn;
  }

  /** Record a user message. Resolves to the id of the segment it was written to. */
  userSays(text: string, metadata?: Record<string, unknown>, options?: UserSaysOptions): Promise<string> {
    return this.host.serial(async () => {
      const draft = await userMessageDraft(this.host, text, metadata, options);
      const event = await this.host.record(draft, true);
      return event.sessionId;
    });
  }

  /** Record an assistant message. Resolves to the id of the segment it was written to. */
  aiResponds(text: string, options?: AiRespondsOptions): Promise<string> {
    return this.host.serial(async () => {
      const event = await this.host.record(await replyDraft(this.host, text, options), true);
      return event.sessionId;
    });
  }

  /** Record a tool call with its arguments and result (both must be JSON). Resolves to the segment id. */
  toolUsed(toolName: string, args: unknown, result: unknown, options?: ToolUsedOptions): Promise<string> {
    return this.host.serial(async () => {
      const draft = toolCallDraft(this.host, toolName, args, result, options);
      return (await this.host.record(draft, false)).sessionId;
    });
  }

  /** Change the system prompt of the current segment (later segments inherit it). */
  updateSystemPrompt(prompt: string): Promise<void> {
    return this.host.serial(async () => {
      assertString(prompt, 'systemPrompt');
      await this.host.ensureCreated();
      // The head as stored, not as last seen (another tab may have rolled over); again if the
      // chain moved on meanwhile, so the prompt always lands on the newest segment.
      // Each retry follows a rollover another tab committed meanwhile; the last refusal stands.
      let head = (await this.head.fresh()) ?? (await this.host.ensureCreated());
      for (let attempt = 1; ; attempt++) {
        const written = await this.store
          .patchSession(head.id, () => ({ systemPrompt: prompt }), { mustBeHead: true })
          .catch((error: unknown) => {
            if (error instanceof HeadMovedError && attempt < 8) return undefined;
            throw error;
          });
        if (written) break;
        head = (await this.head.fresh()) ?? head;
      }
      this.head.promptWritten(prompt);
    });
  }

  /**
   * Messages to send to the model: the system prompt, then (after a rollover) a system message
   * carrying the latest cumulative summary, then the current segment's messages. With
   * `maxTokens`, the oldest messages are dropped until it fits; only what is returned is read.
   */
  getMessagesForLLM(options?: GetMessagesOptions): Promise<ChatMessage[]> {
    return this.host.serial(async () => messagesForLLM(this.store, this.head, this.messagesRequest(options)));
  }

  /**
   * How full `model`'s context window (default: defaultModel) is with what getMessagesForLLM
   * would send now (same options: the summary and, with maxTokens, only the turns that fit),
   * with its images and documents (`mediaTokens`; counted when the segment is read whole, without maxTokens).
   */
  async getContextUsage(options?: GetMessagesOptions): Promise<ContextUsage> {
    const media = { tokens: 0 };
    const request = { ...this.messagesRequest(options), media };
    const messages = await this.host.serial(() => messagesForLLM(this.store, this.head, request));
    return contextUsageOf(messages, request.model, media.tokens);
  }

  /** getMessagesForLLM's and getContextUsage's options, checked, with their defaults. */
  private messagesRequest(options: GetMessagesOptions | undefined): MessagesRequest {
    const {
      includeSystem = true,
      maxTokens,
      model = this.defaultModel,
    } = objectArg<GetMessagesOptions>(options, 'options');
    if (maxTokens !== undefined) assertPositiveInteger(maxTokens, 'maxTokens');
    assertNonEmptyString(model, 'model');
    return { includeSystem, maxTokens, model };
  }

  /** User and assistant messages, oldest first. */
  getConversation(options?: { includeAllSegments?: boolean }): Promise<Turn[]> {
    return this.host.serial(async () => {
      const events = await this.head.events(segmentsOption(options));
      return toTurns(events, { activeLeafId: this.activeLeafId });
    });
  }

  /** Every event (messages, tool calls, summaries…), oldest first. */
  getEvents(options?: { includeAllSegments?: boolean }): Promise<SessionEvent[]> {
    return this.host.serial(() => this.head.events(segmentsOption(options)));
  }

  /** Segment ids, root first. */
  getSessionChain(): Promise<string[]> {
    return this.host.serial(async () => {
      const segments = await this.head.segments(true);
      return segments.length ? segments.map((s) => s.id) : [this.sessionId];
    });
  }

  /** Totals for the conversation (or the current segment), read from running totals: no event scan. */
  getStats(options?: { includeAllSegments?: boolean }): Promise<SessionStats> {
    return this.host.serial(async () => {
      const includeAllSegments = segmentsOption(options) ?? this.infiniteContext;
      const statsOptions = { infiniteContext: this.infiniteContext, includeAllSegments };
      const ends = await readChainEnds(this.store, this.conversationId);
      if (ends) {
        this.head.adopt(ends.head);
        return statsFromHead(ends.root, ends.head, { ...statsOptions, sessionChain: ends.chain });
      }
      const stats = statsFromSegments(await this.head.segments(true), statsOptions);
      // Nothing written yet: the stats of the root row the first recording call writes.
      return stats ?? statsFromSegments([this.host.newRootRow(nowIso())], statsOptions)!;
    });
  }

  /**
   * Merge `patch` into the conversation's metadata (on its root row: `title`, `tags`, `pinned`…;
   * `metadata.title` is what sidebars show) and move the conversation up the list. Resolves to
   * the merged metadata. The patch must be a plain JSON object (InvalidInputError otherwise).
   */
  updateMetadata(patch: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.host.serial(async () => {
      const created = await this.host.ensureCreated();
      const { metadata, head } = await mergeMetadata(this.store, created, patch, this.host.scrubOption);
      this.head.adopt(head);
      return metadata;
    });
  }

  /** Resolves once what is stored for this manager's id has been read (nothing is written). */
  ready(): Promise<void> {
    return this.host.serial(async () => undefined);
  }

  /** Start a run: until it completes, fails or is cancelled, events recorded here carry `taskId = run.id`. */
  startRun(metadata?: Record<string, unknown>): Promise<SessionRun> {
    return this.host.serial(async () => SessionRun.create(this.host, metadata, true));
  }

  /** Create a pending run; `run.start()` starts it. */
  createRun(metadata?: Record<string, unknown>): Promise<SessionRun> {
    return this.host.serial(async () => SessionRun.create(this.host, metadata, false));
  }

  /** Every run of this conversation, oldest first, as stored (any tab's). */
  getRuns(): Promise<RunRecord[]> {
    return this.host.serial(async () => SessionRun.list(this.host));
  }

  /** A handle on a stored run, e.g. to fail one that was left running before a reload. */
  getRun(runId: string): Promise<SessionRun | undefined> {
    return this.host.serial(async () => SessionRun.open(this.host, runId));
  }

  /** A run's record, duration and the totals (tokens, cost, events) of the events recorded during it. */
  getRunStats(runId: string): Promise<RunStats> {
    return this.host.serial(async () => SessionRun.stats(this.host, runId));
  }

  /** Start a streamed assistant reply: its event is stored at once (status 'streaming'); see ResponseStream. */
  beginResponse(options?: BeginResponseOptions): Promise<ResponseStream> {
    return this.host.serial(async () => beginResponse(this.host, options));
  }

  /** Take over a reply that reads as 'interrupted' (its tab died) to finish, abort or discard it. */
  resumeResponse(eventId: string, timing?: StreamTiming): Promise<ResponseStream> {
    return this.host.serial(async () => resumeResponse(this.host, eventId, timing));
  }

  /** Discard an unfinished reply (this manager's own, or an interrupted one): kept, never shown, sent or counted. */
  discardResponse(eventId: string): Promise<SessionEvent> {
    return this.host.serial(async () => discardResponse(this.host, eventId));
  }

  /** Start a new version of an assistant reply (default: the last one); the old one stays as an alternative. */
  regenerate(assistantEventId?: string, options?: BeginResponseOptions): Promise<ResponseStream> {
    return this.host.serial(async () => regenerate(this.host, assistantEventId, options));
  }

  /** Record a new version of a user message; what followed the old version stays on its branch. */
  editMessage(userEventId: string, text: string, options?: EditMessageOptions): Promise<EditResult> {
    return this.host.serial(async () => editMessage(this.host, userEventId, text, options));
  }

  /** The versions of a message, oldest first, and which one is active. */
  getAlternatives(eventId: string): Promise<Alternatives> {
    return this.host.serial(async () => getAlternatives(this.host, eventId));
  }

  /** Stats of the active branch only (getStats counts every version written); scans the events. */
  getActivePathStats(options?: { includeAllSegments?: boolean }): Promise<SessionStats> {
    return this.host.serial(async () => getActivePathStats(this.host, options));
  }

  /** Make a version (and the most recent branch under it) active. */
  selectAlternative(eventId: string): Promise<void> {
    return this.host.serial(async () => selectAlternative(this.host, eventId));
  }

  /** The options a conversation forked from this one is opened with. */
  private forkOptions(): Omit<SessionManagerOptions, 'sessionId'> {
    const { summarize } = this.host;
    return {
      store: this.store,
      infiniteContext: this.infiniteContext,
      tokenThreshold: this.tokenThreshold,
      maxTurnsPerSegment: this.maxTurnsPerSegment,
      defaultModel: this.defaultModel,
      summaryTimeoutMs: this.host.summaryTimeoutMs,
      ...(summarize ? { summarize } : {}),
      ...(this.host.scrubOption ? { scrub: this.host.scrubOption } : {}),
    };
  }

  private get head(): ConversationHead {
    return this.host.head;
  }
}

function segmentsOption(options: { includeAllSegments?: boolean } | undefined): boolean | undefined {
  return objectArg<{ includeAllSegments?: boolean }>(options, 'options').includeAllSegments;
}
