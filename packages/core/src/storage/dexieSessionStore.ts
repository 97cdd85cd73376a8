import { Dexie, liveQuery } from 'dexie';
import {
  DuplicateIdError,
  SessionManagerError,
  SessionNotFoundError,
  StorageQuotaError,
  StorageUnavailableError,
  StorageWriteError,
} from '../errors';
import type { EventDraft, Session, SessionEvent } from '../types';
import { assertRoot, assertSelfContained, liveReplyIn, planAppend, planRollover, updateKit } from './chainWrites';
import { summarizeConversations } from './conversationList';
import { SessionDatabase } from './sessionDatabase';
import type {
  AppendOptions,
  AppendResult,
  ConversationSummary,
  EventRange,
  EventPatch,
  Observer,
  RolloverRequest,
  RolloverResult,
  SessionStore,
  UpdateEventOptions,
} from './sessionStore';

/** The update planner loads with the first streamed reply or branch. */
const loadEventUpdate = () => import('./eventUpdate');

export interface DexieSessionStoreOptions {
  /** IndexedDB database name. */
  name?: string;
  /** Inject an IndexedDB implementation (e.g. fake-indexeddb); defaults to the global one. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

/** The default store in browsers: sessions and events in IndexedDB through Dexie. */
export class DexieSessionStore implements SessionStore {
  readonly name: string;
  readonly db: SessionDatabase;

  constructor(options: DexieSessionStoreOptions = {}) {
    this.name = options.name ?? 'ai-session-manager';
    const indexedDB = options.indexedDB ?? globalThis.indexedDB;
    const keyRange = options.IDBKeyRange ?? globalThis.IDBKeyRange;
    if (!indexedDB || !keyRange) {
      throw new StorageUnavailableError(
        'IndexedDB is not available here (server rendering, Node, or a locked-down browser). ' +
          'Pass `store: new MemorySessionStore()` to keep sessions in memory instead.',
      );
    }
    this.db = new SessionDatabase(this.name, { indexedDB, IDBKeyRange: keyRange });
  }

  getSession(id: string): Promise<Session | undefined> {
    return this.read(() => this.db.sessions.get(id));
  }

  getSegments(conversationId: string): Promise<Session[]> {
    return this.read(() =>
      this.db.sessions
        .where('[rootId+segmentIndex]')
        .between([conversationId, Dexie.minKey], [conversationId, Dexie.maxKey])
        .toArray(),
    );
  }

  getHead(conversationId: string): Promise<Session | undefined> {
    return this.read(() => this.headOf(conversationId));
  }

  async ensureSession(session: Session): Promise<Session> {
    assertRoot(session);
    return this.write(['sessions'], async () => {
      const existing = await this.db.sessions.get(session.id);
      if (existing) return existing;
      await this.db.sessions.add(session);
      return session;
    });
  }

  updateSession(id: string, patch: Partial<Pick<Session, 'systemPrompt' | 'metadata' | 'state'>>): Promise<Session> {
    return this.write(['sessions'], async () => {
      const existing = await this.db.sessions.get(id);
      if (!existing) throw new SessionNotFoundError(id);
      const updated = { ...existing, ...patch, updatedAt: new Date().toISOString() };
      await this.db.sessions.put(updated);
      return updated;
    });
  }

  async appendEvent(sessionId: string, draft: EventDraft, options: AppendOptions = {}): Promise<AppendResult> {
    const expected = options.expectedHead;
    if (expected?.id === sessionId) {
      const planned = planAppend(expected, draft, options.rolloverAt);
      // Any surprise (another writer, a rollover, a duplicate, a full disk) is settled by the full path below.
      if (planned.status === 'appended' && (await this.appendOptimistically(expected, planned).catch(() => false))) {
        return planned;
      }
    }
    return this.write(['sessions', 'events'], async () => {
      const head = await this.headFor(sessionId);
      const result = planAppend(head, draft, options.rolloverAt);
      if (result.status === 'appended') {
        await this.db.events.add(result.event);
        await this.db.sessions.put(result.head);
      }
      return result;
    });
  }

  /**
   * Issue the read and both writes at once (one round trip instead of four awaited requests),
   * and abort before commit unless the head row is exactly as the caller saw it.
   */
  private appendOptimistically(
    expected: Session,
    planned: Extract<AppendResult, { status: 'appended' }>,
  ): Promise<boolean> {
    return this.db.transaction('rw', ['sessions', 'events'], async () => {
      const [stored] = await Promise.all([
        this.db.sessions.get(expected.id),
        this.db.events.add(planned.event),
        this.db.sessions.put(planned.head),
      ]);
      if (!stored || JSON.stringify(stored) !== JSON.stringify(expected)) throw new Error('stale head');
      return true;
    });
  }

  rollover(request: RolloverRequest): Promise<RolloverResult> {
    return this.write(['sessions', 'events'], async () => {
      const head = await this.headFor(request.fromSessionId);
      if (head.id !== request.fromSessionId) return { rolledOver: false, head };
      const blockedBy = liveReplyIn(await this.segmentEvents(head.id).toArray());
      if (blockedBy) return { rolledOver: false, head, blockedBy };
      const { summary, oldHead, newHead } = planRollover(head, request);
      await this.db.events.add(summary);
      await this.db.sessions.put(oldHead);
      await this.db.sessions.add(newHead);
      return { rolledOver: true, head: newHead };
    });
  }

  async updateEvent(eventId: string, patch: EventPatch, options: UpdateEventOptions = {}): Promise<SessionEvent> {
    const { updateInDexie } = await loadEventUpdate();
    // A flush touches the events table only: one read and one put of that row.
    return this.write(options.countInTotals ? ['sessions', 'events'] : ['events'], () =>
      updateInDexie(this.db, (rootId) => this.headOf(rootId), eventId, patch, options, updateKit),
    );
  }

  getEvents(sessionId: string, range: EventRange = {}): Promise<SessionEvent[]> {
    return this.read(() => {
      const upper = range.beforeSeq ?? Dexie.maxKey;
      let collection = this.db.events
        .where('[sessionId+seq]')
        .between([sessionId, Dexie.minKey], [sessionId, upper], true, false);
      if (range.reverse) collection = collection.reverse();
      if (range.limit !== undefined) collection = collection.limit(range.limit);
      return collection.toArray();
    });
  }

  getEventsByTask(taskId: string): Promise<SessionEvent[]> {
    return this.read(() => this.db.events.where('taskId').equals(taskId).toArray());
  }

  listConversations(): Promise<ConversationSummary[]> {
    return this.read(async () => summarizeConversations(await this.db.sessions.toArray()));
  }

  deleteConversation(conversationId: string): Promise<void> {
    return this.write(['sessions', 'events'], async () => {
      const ids = await this.db.sessions.where('rootId').equals(conversationId).primaryKeys();
      for (const id of ids) await this.segmentEvents(id).delete();
      await this.db.sessions.bulkDelete(ids);
    });
  }

  async importRecords(sessions: Session[], events: SessionEvent[]): Promise<void> {
    assertSelfContained(sessions, events);
    // bulkAdd fails on any id already stored (ConstraintError → DuplicateIdError) and the
    // transaction rolls back whole, so no read of every id is needed first.
    return this.write(['sessions', 'events'], async () => {
      await this.db.sessions.bulkAdd(sessions);
      await this.db.events.bulkAdd(events);
    });
  }

  watch<T>(query: () => Promise<T>, observer: Observer<T>): () => void {
    const subscription = liveQuery(query).subscribe({
      next: (value) => observer.next(value),
      error: (error) => observer.error?.(error),
    });
    return () => subscription.unsubscribe();
  }

  close(): void {
    this.db.close();
  }

  /** Deletes the whole database. */
  async destroy(): Promise<void> {
    await this.db.delete();
  }

  private segmentEvents(sessionId: string) {
    return this.db.events.where('[sessionId+seq]').between([sessionId, Dexie.minKey], [sessionId, Dexie.maxKey]);
  }

  private async headOf(conversationId: string): Promise<Session | undefined> {
    return this.db.sessions
      .where('[rootId+segmentIndex]')
      .between([conversationId, Dexie.minKey], [conversationId, Dexie.maxKey])
      .last();
  }

  private async headFor(sessionId: string): Promise<Session> {
    const session = await this.db.sessions.get(sessionId);
    if (!session) throw new SessionNotFoundError(sessionId);
    return (await this.headOf(session.rootId)) ?? session;
  }

  private async read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toStoreError(error, 'read');
    }
  }

  private async write<T>(tables: ('sessions' | 'events')[], fn: () => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction('rw', tables, fn);
    } catch (error) {
      throw toStoreError(error, 'write');
    }
  }
}

/** Our own errors pass through; IndexedDB's become typed errors that say nothing was written. */
function toStoreError(error: unknown, kind: 'read' | 'write'): unknown {
  if (error instanceof SessionManagerError) return error;
  const names = errorNames(error);
  if (names.includes('QuotaExceededError')) {
    return new StorageQuotaError(
      'The browser storage quota is full; the write was rolled back and nothing was saved. ' +
        'Free space (delete old conversations) or ask for persistent storage.',
      error,
    );
  }
  if (names.includes('ConstraintError')) {
    return new DuplicateIdError('An id that must be new is already used in this store; nothing was written.');
  }
  if (names.includes('MissingAPIError')) {
    return new StorageUnavailableError(
      'IndexedDB is not available here. Use `new MemorySessionStore()` instead.',
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  if (kind === 'read') return error;
  return new StorageWriteError(`IndexedDB write failed and was rolled back: ${message}`, error);
}

function errorNames(error: unknown): string[] {
  const names: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { name?: string; inner?: unknown; cause?: unknown; failures?: { name?: string }[] };
    if (e.name) names.push(e.name);
    // Dexie's BulkError carries the per-row errors (e.g. ConstraintError) in `failures`.
    for (const failure of e.failures ?? []) if (failure?.name) names.push(failure.name);
    current = e.inner ?? e.cause;
  }
  return names;
}
