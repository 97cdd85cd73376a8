import { SessionNotFoundError, SessionManagerError } from '../domain/errors.ts';
import { newId, nowIso } from '../domain/ids.ts';
import { replyUsage, userMessageUsage } from '../pricing/messageUsage.ts';
import { summaryMessage } from '../prompt/summaryMessage.ts';
import type { ContextUsage } from '../prompt/contextUsage.ts';
import type { RunHost } from '../runs/runHost.ts';
import type { RunRecord, RunStats } from '../runs/runRecord.ts';
import type { SessionRun } from '../runs/sessionRun.ts';
import { getDefaultStore } from '../storage/defaultStore.ts';
import { isAtLimit, liveReplyIn } from '../storage/chainWrites.ts';
import type { Alternatives, BeginResponseOptions, EditResult, ResponseStream, StreamTiming } from '../chat.ts';
import { chatKit } from '../chatKit.ts';
import type { RolloverHost } from './rollover.ts';
import type { LockManagerLike } from '../storage/rolloverLock.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import { extractiveSummary, type SummarizeFn } from '../prompt/summary.ts';
import { countTokens, countTokensBatch, tokenCountSource } from '../tokens/index.ts';
import { statsFromHead, statsFromSegments } from '../domain/sessionStats.ts';
import { emptyTotals } from '../domain/totals.ts';
import {
  type ChatMessage,
  type EventDraft,
  EventSource,
  EventType,
  type Session,
  type SessionEvent,
  type SessionStats,
  type TokenUsage,
  type ToolCallMessage,
  type Turn,
} from '../domain/types.ts';
import { toChatMessages, toTurns } from '../domain/transcript.ts';
import { assertNonEmptyString, assertPositiveInteger, assertString, objectArg } from '../domain/validate.ts';

export interface SessionManagerOptions {
  /** Segment to continue, or the id a new conversation gets. Default: a new UUID. */
  sessionId?: string;
  systemPrompt?: string;
  /** Start this new session as the next segment of the conversation that `parentId` belongs to. */
  parentId?: string;
  metadata?: Record<string, unknown>;
  /** Default: the shared DexieSessionStore (IndexedDB). */
  store?: SessionStore;
  infiniteContext?: boolean;
  tokenThreshold?: number;
  maxTurnsPerSegment?: number;
  defaultModel?: string;
  summarize?: SummarizeFn;
  /** How long a summarize callback may take before the built-in summary is used instead. */
  summaryTimeoutMs?: number;
  /**
   * Serializes rollovers across tabs so a lost race costs no summary. Default: the browser's
   * `navigator.locks` when present; `null` turns it off (the optimistic path alone).
   */
  locks?: LockManagerLike | null;
}

/**
 * Token counts reported by the provider, in our, OpenAI's, Anthropic's or the AI SDK's spelling
 * (an SDK's `usage` object can be passed as is). Prompt tokens include cache reads and writes, as OpenAI
 * counts them; Anthropic's `input_tokens` excludes them, so they are added.
 */
export interface ProviderUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  cachedPromptTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  /** OpenAI Responses API (its input_tokens already include the cached ones); Anthropic's thinking tokens. */
  input_tokens_details?: { cached_tokens?: number | null } | null;
  output_tokens_details?: { reasoning_tokens?: number | null; thinking_tokens?: number | null } | null;
  /** The AI SDK's LanguageModelUsage (inputTokens includes cache reads and writes). */
  inputTokens?: number;
  outputTokens?: number;
  inputTokenDetails?: { cacheReadTokens?: number; cacheWriteTokens?: number };
  outputTokenDetails?: { reasoningTokens?: number };
  cachedInputTokens?: number;
}

export interface AiRespondsOptions {
  model?: string;
  provider?: string;
  usage?: ProviderUsage;
  /** Use this id for the event (e.g. to link tool calls to it before it is written). */
  eventId?: string;
  [metadata: string]: unknown;
}

export interface ToolUsedOptions {
  error?: string | null;
  /** The assistant message event that asked for this call. */
  parentEventId?: string;
  toolCallId?: string;
  eventId?: string;
  [metadata: string]: unknown;
}

export interface GetMessagesOptions {
  includeSystem?: boolean;
  /** Drop the oldest turns (never the system prompt or summary) until the prompt fits. */
  maxTokens?: number;
  /** Tokenizer used for maxTokens; default: the manager's defaultModel. */
  model?: string;
}

/** Runs load on first use, so apps that never start one do not download them. */
const loadRuns = () => import('../onDemand.ts');
/** The deep checks of recorded values load with the first recording call. */
const loadChecks = () => import('../domain/providerUsage.ts');
/** So do streamed replies and branches (regenerate, edit, versions). */
const loadChat = () => import('../chatOnDemand.ts').then((chunk) => chunk.withKit(chatKit, chunk));
/** Rollovers happen long after an app has loaded: their code loads then. */
const loadRollover = loadRuns;

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
  private summarize: SummarizeFn | undefined;
  private readonly summaryTimeoutMs: number;
  private _infiniteContext: boolean;
  /** Whether infiniteContext was passed; if not, the value stored on the root row wins. */
  private readonly infiniteContextPassed: boolean;
  private readonly locks: LockManagerLike | null | undefined;
  /** Segment ids known so far, root first: segments are only ever added, so stats read only new ones. */
  private chainIds: string[] = [];
  private readonly parentId: string | undefined;
  private metadata: Record<string, unknown>;
  private _systemPrompt: string | undefined;
  private _sessionId: string;
  private _conversationId: string;
  /** The stored head segment once loaded or created; null while nothing is written. */
  private head: Session | null = null;
  /** The head's stored system prompt when last read; null before the first read. */
  private storedPrompt: string | undefined | null = null;
  private loaded: Promise<void> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Set by runs: events recorded while a run is active carry its id. */
  protected activeTaskId: string | undefined;

  constructor(options?: SessionManagerOptions) {
    options = objectArg<SessionManagerOptions>(options, 'options');
    const tokenThreshold = options.tokenThreshold ?? 4000;
    const maxTurns = options.maxTurnsPerSegment ?? 20;
    assertPositiveInteger(tokenThreshold, 'tokenThreshold');
    assertPositiveInteger(maxTurns, 'maxTurnsPerSegment');
    // setTimeout fires at once for delays of 2^31 ms or more.
    if (options.summaryTimeoutMs !== undefined) assertPositiveInteger(options.summaryTimeoutMs, 'summaryTimeoutMs', 2 ** 31 - 1);
    if (options.sessionId !== undefined) assertNonEmptyString(options.sessionId, 'sessionId');
    if (options.systemPrompt !== undefined) assertString(options.systemPrompt, 'systemPrompt');
    if (options.defaultModel !== undefined) assertNonEmptyString(options.defaultModel, 'defaultModel');
    this.store = options.store ?? getDefaultStore();
    this._infiniteContext = options.infiniteContext ?? false;
    this.infiniteContextPassed = options.infiniteContext !== undefined;
    this.locks = options.locks;
    this.tokenThreshold = tokenThreshold;
    this.maxTurnsPerSegment = maxTurns;
    this.defaultModel = options.defaultModel ?? 'gpt-4o-mini';
    this.summarize = options.summarize;
    this.summaryTimeoutMs = options.summaryTimeoutMs ?? 30_000;
    this.parentId = options.parentId;
    // A shallow check here; the deep JSON copy is made before the root row is written.
    this.metadata = objectArg(options.metadata, 'metadata');
    this._systemPrompt = options.systemPrompt;
    this._sessionId = options.sessionId ?? newId();
    this._conversationId = this._sessionId;
  }

  /** Load the conversation that any of its segment ids belongs to, resuming at its newest segment. */
  static async open(id: string, opts?: Omit<SessionManagerOptions, 'sessionId'>): Promise<SessionManager> {
    assertNonEmptyString(id, 'id');
    const options = objectArg<Omit<SessionManagerOptions, 'sessionId'>>(opts, 'options');
    const store = options.store ?? getDefaultStore();
    const session = await store.getSession(id);
    if (!session) throw new SessionNotFoundError(id);
    const manager = new SessionManager({ ...options, store, sessionId: id });
    await manager.load();
    return manager;
  }

  /** The current (newest) segment's id. Known synchronously, before anything is written. */
  get sessionId(): string {
    return this._sessionId;
  }

  /** The conversation's id: the root segment's id, stable across segments. */
  get conversationId(): string {
    return this._conversationId;
  }

  /** Whether segments roll over; when not passed, the value stored with the conversation. */
  get infiniteContext(): boolean {
    return this._infiniteContext;
  }

  get systemPrompt(): string | undefined {
    return this._systemPrompt;
  }

  /**
   * The end of the selected branch when an older one is selected (else undefined), as of this
   * manager's last read: `toOpenAIMessages(await sm.getEvents(), { activeLeafId: sm.activeLeafId })`.
   */
  get activeLeafId(): string | undefined {
    return (this.head?.state.activeLeafId as string | null | undefined) ?? undefined;
  }

  setSummaryCallback(fn: SummarizeFn | undefined): void {
    this.summarize = fn;
  }

  /** Record a user message. Resolves to the id of the segment it was written to. */
  userSays(text: string, metadata?: Record<string, unknown>): Promise<string> {
    return this.serial(async () => {
      assertString(text, 'message');
      const meta = (await loadChecks()).toJsonRecord(metadata, 'metadata');
      const model = typeof meta.model === 'string' ? meta.model : this.defaultModel;
      const usage = await userMessageUsage(model, text);
      const event = await this.record(this.draft(EventSource.USER, EventType.MESSAGE, text, meta, usage), true);
      return event.sessionId;
    });
  }

  /** Record an assistant message. Resolves to the id of the segment it was written to. */
  aiResponds(text: string, options?: AiRespondsOptions): Promise<string> {
    return this.serial(async () => {
      assertString(text, 'message');
      const checks = await loadChecks();
      const { usage: reported, eventId, ...rest } = objectArg<AiRespondsOptions>(options, 'options');
      const meta = checks.toJsonRecord(rest, 'metadata');
      const model = rest.model ?? this.defaultModel;
      assertNonEmptyString(model, 'model');
      if (rest.provider !== undefined) assertString(rest.provider, 'provider');
      meta.model = model;
      // Provider usage is what was billed; the context window holds the text, counted either way.
      const billed = reported === undefined ? undefined : checks.normalizeUsage(reported);
      const usage = await replyUsage(model, text, billed);
      const draft = this.draft(EventSource.LLM, EventType.MESSAGE, text, meta, usage, eventId);
      const event = await this.record(draft, true);
      return event.sessionId;
    });
  }

  /** Record a tool call with its arguments and result (both must be JSON). Resolves to the segment id. */
  toolUsed(toolName: string, args: unknown, result: unknown, options?: ToolUsedOptions): Promise<string> {
    return this.serial(async () => {
      assertNonEmptyString(toolName, 'toolName');
      const { toJsonRecord, toJsonValue } = await loadChecks();
      const { error = null, parentEventId, toolCallId, eventId, ...rest } = objectArg<ToolUsedOptions>(options, 'options');
      if (error !== null) assertString(error, 'error');
      // Stored as links; anything but an id would break export/import and the converters.
      if (parentEventId !== undefined) assertNonEmptyString(parentEventId, 'parentEventId');
      if (toolCallId !== undefined) assertNonEmptyString(toolCallId, 'toolCallId');
      const message: ToolCallMessage = {
        tool: toolName,
        arguments: toJsonValue(args, 'arguments'),
        result: toJsonValue(result, 'result'),
        error,
        ...(toolCallId === undefined ? {} : { toolCallId }),
      };
      const meta = toJsonRecord(rest, 'metadata');
      const draft = this.draft(EventSource.SYSTEM, EventType.TOOL_CALL, message, meta, undefined, eventId);
      if (parentEventId !== undefined) draft.parentEventId = parentEventId;
      const event = await this.record(draft, false);
      return event.sessionId;
    });
  }

  /** Change the system prompt of the current segment (later segments inherit it). */
  updateSystemPrompt(prompt: string): Promise<void> {
    return this.serial(async () => {
      assertString(prompt, 'systemPrompt');
      await this.ensureCreated();
      // The head as stored, not as last seen (another tab may have rolled over); again if the
      // chain moved on meanwhile, so the prompt always lands on the newest segment.
      for (let head = (await this.freshHead()) ?? (await this.ensureCreated()); ; ) {
        const updated = await this.store.updateSession(head.id, { systemPrompt: prompt });
        const now = await this.freshHead();
        if (!now || now.id === updated.id) break;
        head = now;
      }
      this._systemPrompt = this.storedPrompt = prompt;
    });
  }

  /**
   * Messages to send to the model: the system prompt, then (after a rollover) a system message
   * carrying the latest cumulative summary, then the current segment's messages. With
   * `maxTokens`, the oldest messages are dropped until it fits; only what is returned is read.
   */
  getMessagesForLLM(options?: GetMessagesOptions): Promise<ChatMessage[]> {
    return this.serial(async () => {
      const { includeSystem = true, maxTokens, model = this.defaultModel } = objectArg<GetMessagesOptions>(options, 'options');
      if (maxTokens !== undefined) assertPositiveInteger(maxTokens, 'maxTokens');
      assertNonEmptyString(model, 'model');
      const head = await this.freshHead();
      const prefix: ChatMessage[] = [];
      if (includeSystem && this._systemPrompt) prefix.push({ role: 'system', content: this._systemPrompt });
      if (head?.parentId) {
        const summary = await this.summaryOf(head.parentId);
        if (summary !== undefined) prefix.push(summaryMessage(summary));
      }
      if (!head) return prefix;
      const path = { activeLeafId: head.state.activeLeafId as string | undefined };
      // A branched head is read whole (it is one segment) to follow its active path.
      const events = maxTokens === undefined || head.state.branched ? await this.store.getEvents(head.id) : undefined;
      if (maxTokens === undefined) return [...prefix, ...toChatMessages(events!, path)];
      // The budgeted path (prompt/newestMessages.ts) loads on first use.
      const { newestMessagesWithin } = await loadRuns();
      const known = events && toChatMessages(events, path);
      const count = (texts: string[]) => countTokensBatch(texts, model);
      const kept = await newestMessagesWithin(this.store, head, prefix, maxTokens, count, known, toChatMessages);
      return [...prefix, ...kept];
    });
  }

  /**
   * How full `model`'s context window (default: defaultModel) is with what getMessagesForLLM
   * would send now (same options: the summary and, with maxTokens, only the turns that fit).
   */
  async getContextUsage(options?: GetMessagesOptions): Promise<ContextUsage> {
    const { model = this.defaultModel, ...rest } = objectArg<GetMessagesOptions>(options, 'options');
    const messages = await this.getMessagesForLLM({ ...rest, model });
    return (await loadRuns()).contextUsageOf(messages, model);
  }

  /** User and assistant messages, oldest first. */
  getConversation(options?: { includeAllSegments?: boolean }): Promise<Turn[]> {
    return this.serial(async () => {
      const events = await this.readEvents(segmentsOption(options));
      return toTurns(events, { activeLeafId: this.activeLeafId });
    });
  }

  /** Every event (messages, tool calls, summaries…), oldest first. */
  getEvents(options?: { includeAllSegments?: boolean }): Promise<SessionEvent[]> {
    return this.serial(() => this.readEvents(segmentsOption(options)));
  }

  /** Segment ids, root first. */
  getSessionChain(): Promise<string[]> {
    return this.serial(async () => {
      const segments = await this.readSegments(true);
      return segments.length ? segments.map((s) => s.id) : [this._sessionId];
    });
  }

  /** Totals for the conversation (or the current segment), read from running totals: no event scan. */
  getStats(options?: { includeAllSegments?: boolean }): Promise<SessionStats> {
    return this.serial(async () => {
      const includeAllSegments = segmentsOption(options) ?? this.infiniteContext;
      const statsOptions = { infiniteContext: this.infiniteContext, includeAllSegments };
      const ends = await (await loadRuns()).readChainEnds(this.store, this._conversationId, this.chainIds);
      if (ends) {
        this.chainIds = ends.chain;
        this.adopt(ends.head);
        return statsFromHead(ends.root, ends.head, { ...statsOptions, sessionChain: ends.chain });
      }
      const stats = statsFromSegments(await this.readSegments(true), statsOptions);
      return stats ?? this.unsavedStats();
    });
  }

  /**
   * Merge `patch` into the conversation's metadata (on its root row: `title`, `tags`, `pinned`…;
   * `metadata.title` is what sidebars show) and move the conversation up the list. Resolves to
   * the merged metadata. The patch must be a plain JSON object (InvalidInputError otherwise).
   */
  updateMetadata(patch: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.serial(async () => {
      const ops = await loadRuns();
      const { metadata, head } = await ops.mergeMetadata(this.store, await this.ensureCreated(), patch);
      this.adopt(head);
      return metadata;
    });
  }

  /** Resolves once what is stored for this manager's id has been read (nothing is written). */
  ready(): Promise<void> {
    return this.serial(async () => undefined);
  }

  /** Start a run: until it completes, fails or is cancelled, events recorded here carry `taskId = run.id`. */
  startRun(metadata?: Record<string, unknown>): Promise<SessionRun> {
    return this.serial(async () => (await loadRuns()).SessionRun.create(this.runHost(), metadata, true));
  }

  /** Create a pending run; `run.start()` starts it. */
  createRun(metadata?: Record<string, unknown>): Promise<SessionRun> {
    return this.serial(async () => (await loadRuns()).SessionRun.create(this.runHost(), metadata, false));
  }

  /** Every run of this conversation, oldest first, as stored (any tab's). */
  getRuns(): Promise<RunRecord[]> {
    return this.serial(async () => (await loadRuns()).SessionRun.list(this.runHost()));
  }

  /** A handle on a stored run, e.g. to fail one that was left running before a reload. */
  getRun(runId: string): Promise<SessionRun | undefined> {
    return this.serial(async () => (await loadRuns()).SessionRun.open(this.runHost(), runId));
  }

  /** A run's record, duration and the totals (tokens, cost, events) of the events recorded during it. */
  getRunStats(runId: string): Promise<RunStats> {
    return this.serial(async () => (await loadRuns()).SessionRun.stats(this.runHost(), runId));
  }

  /** Start a streamed assistant reply: its event is stored at once (status 'streaming'); see ResponseStream. */
  beginResponse(options?: BeginResponseOptions): Promise<ResponseStream> {
    return this.serial(async () => (await loadChat()).beginResponse(this, options));
  }

  /** Take over a reply that reads as 'interrupted' (its tab died) to finish, abort or discard it. */
  resumeResponse(eventId: string, timing?: StreamTiming): Promise<ResponseStream> {
    return this.serial(async () => (await loadChat()).resumeResponse(this, eventId, timing));
  }

  /** Discard an unfinished reply (this manager's own, or an interrupted one): kept, never shown, sent or counted. */
  discardResponse(eventId: string): Promise<SessionEvent> {
    return this.serial(async () => (await loadChat()).discardResponse(this, eventId));
  }

  /** Start a new version of an assistant reply (default: the last one); the old one stays as an alternative. */
  regenerate(assistantEventId?: string, options?: BeginResponseOptions): Promise<ResponseStream> {
    return this.serial(async () => (await loadChat()).regenerate(this, assistantEventId, options));
  }

  /** Record a new version of a user message; what followed the old version stays on its branch. */
  editMessage(userEventId: string, text: string): Promise<EditResult> {
    return this.serial(async () => (await loadChat()).editMessage(this, userEventId, text));
  }

  /** The versions of a message, oldest first, and which one is active. */
  getAlternatives(eventId: string): Promise<Alternatives> {
    return this.serial(async () => (await loadChat()).getAlternatives(this, eventId));
  }

  /** Stats of the active branch only (getStats counts every version written); scans the events. */
  getActivePathStats(options?: { includeAllSegments?: boolean }): Promise<SessionStats> {
    return this.serial(async () => (await loadChat()).getActivePathStats(this, options));
  }

  /** Make a version (and the most recent branch under it) active. */
  selectAlternative(eventId: string): Promise<void> {
    return this.serial(async () => (await loadChat()).selectAlternative(this, eventId));
  }

  // --- internals -----------------------------------------------------------------------

  /** Stats of a conversation with nothing written yet: those of the root row it would write. */
  private unsavedStats(): SessionStats {
    return statsFromSegments([this.newRootRow(nowIso())], { infiniteContext: this.infiniteContext })!;
  }

  /** The root segment row this manager writes on its first recording call. */
  private newRootRow(createdAt: string): Session {
    return {
      id: this._sessionId,
      parentId: null,
      rootId: this._sessionId,
      segmentIndex: 0,
      ...(this._systemPrompt === undefined ? {} : { systemPrompt: this._systemPrompt }),
      metadata: this.metadata,
      // Reopening without the option continues as this conversation was started.
      state: { infiniteContext: this._infiniteContext },
      createdAt,
      updatedAt: createdAt,
      totals: emptyTotals(),
    };
  }

  private runHost(): RunHost {
    return {
      store: this.store,
      serial: (fn) => this.serial(fn),
      ensureConversation: async () => (await this.ensureCreated()).rootId,
      conversationId: () => this._conversationId,
      activeRunId: () => this.activeTaskId,
      setActiveRunId: (id) => {
        this.activeTaskId = id;
      },
    };
  }

  /** Run calls on this manager one at a time, in call order; a failed call does not block the next. */
  protected serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => this.load()).then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Read what exists for our id, once. Nothing is written here. */
  protected load(): Promise<void> {
    this.loaded ??= (async () => {
      const session = await this.store.getSession(this._sessionId);
      if (!session) return;
      const head = (await this.store.getHead(session.rootId)) ?? session;
      this.adopt(head);
      this._systemPrompt ??= head.systemPrompt;
      if (!this.infiniteContextPassed) {
        const root = session.id === session.rootId ? session : await this.store.getSession(session.rootId);
        const stored = root?.state.infiniteContext;
        if (typeof stored === 'boolean') this._infiniteContext = stored;
      }
    })();
    const loading = this.loaded;
    // A failed load (e.g. storage unavailable) is retried by the next call.
    loading.catch(() => {
      if (this.loaded === loading) this.loaded = null;
    });
    return loading;
  }

  /** The head segment, writing the root (or the first segment after parentId) on first use. */
  protected async ensureCreated(): Promise<Session> {
    if (this.head) return this.head;
    if (this.parentId !== undefined) {
      // Our segment exists if an earlier attempt committed its rollover but then failed (a lost
      // reply): continue the chain then, as rolling over again with the same id never succeeds.
      const own = await this.store.getSession(this._sessionId);
      const parent = own ?? (await this.store.getSession(this.parentId));
      if (!parent) throw new SessionNotFoundError(this.parentId);
      const parentHead = (await this.store.getHead(parent.rootId)) ?? parent;
      if (own) this.adopt(parentHead);
      else await this.rollOver(parentHead, this._sessionId);
      return this.head!;
    }
    this.metadata = (await loadChecks()).toJsonRecord(this.metadata, 'metadata');
    const stored = await this.store.ensureSession(this.newRootRow(nowIso()));
    this.adopt(stored);
    return stored;
  }

  /**
   * Append to the head; for messages in infinite mode, roll over first when the head is full.
   * Other tabs may fill each new segment first: then this retries on the newer head for as long
   * as the chain moves (every refusal is of a full head, newer than the last one refused), so a
   * busy conversation delays the event but never turns it away. A store that refuses anything
   * else is broken, and that throws.
   */
  protected async record(draft: EventDraft, isMessage: boolean): Promise<SessionEvent> {
    let head = await this.ensureCreated();
    let rolloverAt =
      isMessage && this.infiniteContext
        ? { totalTokens: this.tokenThreshold, messages: this.maxTurnsPerSegment }
        : undefined;
    let refusedAt = -1;
    for (;;) {
      const result = await this.store.appendEvent(head.id, draft, { rolloverAt, expectedHead: head });
      this.adopt(result.head);
      if (result.status === 'appended') return result.event;
      if (!isAtLimit(result.head, rolloverAt) || result.head.segmentIndex <= refusedAt) {
        throw new SessionManagerError(
          `The store refused the event for segment ${result.head.segmentIndex}, which is not full or was already rolled over (a store bug).`,
        );
      }
      refusedAt = result.head.segmentIndex;
      // A reply still streaming in the full head: write there; the next message after it rolls over.
      if (!(await this.rollOver(result.head))) rolloverAt = undefined;
      head = this.head!;
    }
  }

  /**
   * Summarize `head` and continue in a new segment; if another writer got there first, adopt
   * theirs. false when a reply still streams in `head` (it stays open until the reply ends).
   */
  protected async rollOver(head: Session, newSessionId: string = newId()): Promise<boolean> {
    const model = this.defaultModel;
    const host: RolloverHost = {
      store: this.store,
      locks: this.locks,
      summarize: this.summarize,
      summaryTimeoutMs: this.summaryTimeoutMs,
      summaryOf: (id) => this.summaryOf(id),
      summaryDraft: async (text, metadata) => {
        const tokens = await countTokens(text, model);
        const usage: TokenUsage = {
          promptTokens: tokens,
          completionTokens: 0,
          totalTokens: tokens,
          model,
          estimatedCostUsd: null,
          source: tokenCountSource(model),
          contextTokens: tokens,
        };
        return this.draft(EventSource.SYSTEM, EventType.SUMMARY, text, metadata, usage);
      },
      toChatMessages,
      extractiveSummary,
      liveReplyIn,
    };
    const { head: next, blocked } = await (await loadRollover()).rollOver(host, head, newSessionId);
    this.adopt(next);
    return !blocked;
  }

  /** The summary event written at the end of segment `sessionId`, if any. */
  private async summaryOf(sessionId: string): Promise<string | undefined> {
    const [last] = await this.store.getEvents(sessionId, { reverse: true, limit: 1 });
    if (last?.type === EventType.SUMMARY && typeof last.message === 'string') return last.message;
    // Tolerate imported chains where the summary is not the last event.
    const all = await this.store.getEvents(sessionId, { reverse: true });
    const summary = all.find((e) => e.type === EventType.SUMMARY);
    return typeof summary?.message === 'string' ? summary.message : undefined;
  }

  private async readSegments(includeAll: boolean): Promise<Session[]> {
    const segments = await this.store.getSegments(this._conversationId);
    if (segments.length) this.adopt(segments[segments.length - 1]!);
    return includeAll ? segments : segments.slice(-1);
  }

  private async readEvents(includeAllSegments: boolean | undefined): Promise<SessionEvent[]> {
    const segments = await this.readSegments(includeAllSegments ?? this.infiniteContext);
    const perSegment = await Promise.all(segments.map((s) => this.store.getEvents(s.id)));
    return perSegment.flat();
  }

  private async freshHead(): Promise<Session | null> {
    const head = await this.store.getHead(this._conversationId);
    if (head) this.adopt(head);
    return head ?? null;
  }

  private adopt(head: Session): void {
    // A prompt changed in storage (another tab's updateSystemPrompt) replaces ours.
    if (this.storedPrompt !== null && head.systemPrompt !== this.storedPrompt) this._systemPrompt = head.systemPrompt;
    this.storedPrompt = head.systemPrompt;
    this.head = head;
    this._sessionId = head.id;
    this._conversationId = head.rootId;
  }

  protected draft(
    source: EventSource,
    type: EventType,
    message: unknown,
    metadata: Record<string, unknown>,
    tokenUsage?: TokenUsage,
    eventId?: string,
  ): EventDraft {
    if (eventId !== undefined) assertNonEmptyString(eventId, 'eventId');
    const draft: EventDraft = { id: eventId ?? newId(), timestamp: nowIso(), source, type, message, metadata };
    if (tokenUsage) draft.tokenUsage = tokenUsage;
    if (this.activeTaskId !== undefined) draft.taskId = this.activeTaskId;
    return draft;
  }
}

function segmentsOption(options: { includeAllSegments?: boolean } | undefined): boolean | undefined {
  return objectArg<{ includeAllSegments?: boolean }>(options, 'options').includeAllSegments;
}
