import type { EventDraft, Session, SessionEvent } from '../domain/types.ts';
import type { MemoryStoreImpl } from './memoryStoreImpl.ts';
import type {
  AppendOptions,
  AppendResult,
  ChainEnds,
  ConversationSummary,
  EventPatch,
  EventRange,
  ListConversationsOptions,
  Observer,
  RolloverRequest,
  RolloverResult,
  SessionStore,
  UpdateEventOptions,
} from './sessionStore.ts';

type Patch = Partial<Pick<Session, 'systemPrompt' | 'metadata' | 'state'>>;
type Impl = MemoryStoreImpl;

/**
 * Same behaviour as DexieSessionStore, kept in memory: for server rendering, Node, and tests.
 * Rows are cloned on the way in and out, as IndexedDB does, so callers never share state with it.
 * The implementation (memoryStoreImpl.ts) loads on first use, so apps that never construct one
 * do not download it.
 */
export class MemorySessionStore implements SessionStore {
  private readonly impl: Promise<Impl> = import('../onDemand.ts').then((m) => new m.MemoryStoreImpl());

  private call<T>(fn: (store: Impl) => Promise<T>): Promise<T> {
    return this.impl.then(fn);
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
  getChainEnds(conversationId: string, idsFrom?: number): Promise<ChainEnds | undefined> {
    return this.call((s) => s.getChainEnds(conversationId, idsFrom));
  }
  ensureSession(session: Session): Promise<Session> {
    return this.call((s) => s.ensureSession(session));
  }
  updateSession(id: string, patch: Patch): Promise<Session> {
    return this.call((s) => s.updateSession(id, patch));
  }
  appendEvent(sessionId: string, draft: EventDraft, options?: AppendOptions): Promise<AppendResult> {
    return this.call((s) => s.appendEvent(sessionId, draft, options));
  }
  rollover(request: RolloverRequest): Promise<RolloverResult> {
    return this.call((s) => s.rollover(request));
  }
  updateEvent(eventId: string, patch: EventPatch, options?: UpdateEventOptions): Promise<SessionEvent> {
    return this.call((s) => s.updateEvent(eventId, patch, options));
  }
  getEvents(sessionId: string, range?: EventRange): Promise<SessionEvent[]> {
    return this.call((s) => s.getEvents(sessionId, range));
  }
  getEventsByTask(taskId: string): Promise<SessionEvent[]> {
    return this.call((s) => s.getEventsByTask(taskId));
  }
  listConversations(options?: ListConversationsOptions): Promise<ConversationSummary[]> {
    return this.call((s) => s.listConversations(options));
  }
  deleteConversation(conversationId: string): Promise<void> {
    return this.call((s) => s.deleteConversation(conversationId));
  }
  importRecords(sessions: Session[], events: SessionEvent[]): Promise<void> {
    return this.call((s) => s.importRecords(sessions, events));
  }
  watch<T>(query: () => Promise<T>, observer: Observer<T>): () => void {
    let stop: (() => void) | undefined;
    let active = true;
    this.impl.then((s) => {
      if (active) stop = s.watch(query, observer);
    });
    return () => {
      active = false;
      stop?.();
    };
  }
}
