import {
  getDefaultStore,
  InvalidInputError,
  SessionManager,
  type SessionManagerOptions,
  type SessionStore,
} from '@ai-session-manager/core';

/** Where a thread-list thread finds its conversation (assistant-ui's `threadListItem`). */
export interface ThreadBinding {
  /** The conversation id when the thread has one (undefined: a new thread, nothing stored). */
  remoteId(): string | undefined;
  /** Create the conversation if needed; resolves to its id. */
  initialize(): Promise<string>;
}

export interface SessionThreadHistoryOptions {
  /** The conversation to read and write (any of its segment ids). Default: a new one. */
  conversationId?: string;
  /** A manager to record through (its store and options); wins over conversationId/store/session. */
  manager?: SessionManager;
  /** Default: core's shared IndexedDB store. */
  store?: SessionStore;
  /** SessionManager options for the conversation: infiniteContext, thresholds, systemPrompt, defaultModel, scrub… */
  session?: Omit<SessionManagerOptions, 'sessionId' | 'store'>;
  /** Model recorded on assistant replies (tokens are counted and priced for it). Default: the manager's defaultModel. */
  model?: string;
  provider?: string;
  /** A write made by `observe` (streamed text, branch selection) failed. */
  onError?: (error: unknown) => void;
  /** Used by the thread list adapter: the conversation is the thread list item's. */
  thread?: ThreadBinding;
}

/**
 * The conversation a history adapter records into: a fixed one, or a thread-list thread's,
 * whose manager is made when the thread first gets an id.
 */
export class ThreadConversation {
  readonly options: SessionThreadHistoryOptions;
  private current: SessionManager | undefined;
  private currentFor: string | undefined;

  constructor(options: SessionThreadHistoryOptions) {
    if (options === null || typeof options !== 'object')
      throw new InvalidInputError('options must be an object.');
    if (
      options.conversationId !== undefined &&
      (typeof options.conversationId !== 'string' || !options.conversationId)
    ) {
      throw new InvalidInputError('conversationId must be a non-empty string.');
    }
    this.options = options;
    if (options.manager) {
      this.current = options.manager;
      this.currentFor = options.manager.conversationId;
    } else if (!options.thread) {
      this.current = new SessionManager({
        ...options.session,
        ...(options.store ? { store: options.store } : {}),
        ...(options.conversationId ? { sessionId: options.conversationId } : {}),
      });
      this.currentFor = this.current.conversationId;
    }
  }

  /** The conversation id fixed at construction (undefined for a thread-list thread). */
  get fixedId(): string | undefined {
    return this.options.thread ? undefined : this.currentFor;
  }

  /** The conversation recorded into (undefined: a thread list thread not created yet). */
  get id(): string | undefined {
    return this.options.thread ? this.options.thread.remoteId() : this.current?.conversationId;
  }

  /** The manager last handed out, without creating one. */
  get manager(): SessionManager | undefined {
    return this.current;
  }

  /** The manager of the thread's conversation; for a thread-list thread, created on first write. */
  async managerFor(create: boolean): Promise<SessionManager | undefined> {
    const { thread } = this.options;
    if (!thread) return this.current;
    const id = create ? await thread.initialize() : thread.remoteId();
    if (!id) return undefined;
    if (!this.current || this.currentFor !== id) {
      this.current = new SessionManager({
        ...this.options.session,
        ...(this.options.store ? { store: this.options.store } : {}),
        sessionId: id,
      });
      this.currentFor = id;
    }
    return this.current;
  }

  store(): SessionStore {
    return this.current?.store ?? this.options.store ?? getDefaultStore();
  }

  modelOptions(): { model?: string; provider?: string } {
    return {
      ...(this.options.model ? { model: this.options.model } : {}),
      ...(this.options.provider ? { provider: this.options.provider } : {}),
    };
  }

  reportError(error: unknown): void {
    this.options.onError?.(error);
  }
}
