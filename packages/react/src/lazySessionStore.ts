import type {
  AppendOptions,
  AppendResult,
  ChainEnds,
  ConversationSummary,
  EventDraft,
  EventPatch,
  EventRange,
  ListConversationsOptions,
  Observer,
  PatchSessionOptions,
  RolloverRequest,
  RolloverResult,
  Session,
  SessionChange,
  SessionEvent,
  SessionStore,
  UpdateEventOptions,
} from '@ai-session-manager/core';

/**
 * A SessionStore that builds the real one on first use. SessionManager takes its store in the
 * constructor, and hooks create managers during render, which also runs on the server: this
 * keeps `getDefaultStore()` (and so `indexedDB`) out of render. A failure to build the store
 * (no IndexedDB) becomes a rejected promise or a watch error, never a throw.
 */
export class LazySessionStore implements SessionStore {
  private target: SessionStore | undefined;

  private readonly create: () => SessionStore;
  constructor(create: () => SessionStore) {
    this.create = create;
  }

  /** The real store, built now if needed. */
  resolve(): SessionStore {
    this.target ??= this.create();
    return this.target;
  }

  getSession(id: string): Promise<Session | undefined> {
    return this.call((s) => s.getSession(id));
  }
  getSegments(conversationId: string): Promise<Session[]> {
    return this.call((s) => s.getSegments(conversationId));
  }
  getHead(conversationId: string): Promise<Session | undefined> {
    return this.call((s) => s.getHead(conversationId));
  }
  ensureSession(session: Session): Promise<Session> {
    return this.call((s) => s.ensureSession(session));
  }
  updateSession(
    id: string,
    patch: Partial<Pick<Session, 'systemPrompt' | 'metadata' | 'state'>>,
  ): Promise<Session> {
    return this.call((s) => s.updateSession(id, patch));
  }
  patchSession(
    id: string,
    change: (stored: Session) => SessionChange,
    options?: PatchSessionOptions,
  ): Promise<Session> {
    return this.call((s) => s.patchSession(id, change, options));
  }
  appendEvent(sessionId: string, draft: EventDraft, options?: AppendOptions): Promise<AppendResult> {
    return this.call((s) => s.appendEvent(sessionId, draft, options));
  }
  rollover(request: RolloverRequest): Promise<RolloverResult> {
    return this.call((s) => s.rollover(request));
  }
  getEvents(sessionId: string, range?: EventRange): Promise<SessionEvent[]> {
    return this.call((s) => s.getEvents(sessionId, range));
  }
  updateEvent(eventId: string, patch: EventPatch, options?: UpdateEventOptions): Promise<SessionEvent> {
    return this.call((s) => s.updateEvent(eventId, patch, options));
  }
  getEventsByTask(taskId: string): Promise<SessionEvent[]> {
    return this.call((s) => s.getEventsByTask(taskId));
  }
  listConversations(options?: ListConversationsOptions): Promise<ConversationSummary[]> {
    return this.call((s) => s.listConversations(options));
  }
  getChainEnds(conversationId: string, idsFrom?: number): Promise<ChainEnds | undefined> {
    return this.call(async (s) => {
      if (s.getChainEnds) return s.getChainEnds(conversationId, idsFrom);
      const segments = await s.getSegments(conversationId);
      const root = segments[0];
      const head = segments.at(-1);
      return root && head ? { root, head, ids: segments.slice(idsFrom).map((x) => x.id) } : undefined;
    });
  }
  deleteConversation(conversationId: string): Promise<void> {
    return this.call((s) => s.deleteConversation(conversationId));
  }
  importRecords(sessions: Session[], events: SessionEvent[]): Promise<void> {
    return this.call((s) => s.importRecords(sessions, events));
  }
  attachmentUsage(): Promise<{ count: number; bytes: number }> {
    return this.call(async (s) => (s.attachmentUsage ? s.attachmentUsage() : { count: 0, bytes: 0 }));
  }

  watch<T>(query: () => Promise<T>, observer: Observer<T>): () => void {
    let store: SessionStore;
    try {
      store = this.resolve();
    } catch (error) {
      observer.error?.(error);
      return () => {};
    }
    return store.watch(query, observer);
  }

  private async call<T>(fn: (store: SessionStore) => Promise<T>): Promise<T> {
    return fn(this.resolve());
  }
}
