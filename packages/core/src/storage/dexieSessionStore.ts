import { Dexie, liveQuery } from 'dexie';
import {
  ConversationDeletedError,
  SessionManagerError,
  SessionNotFoundError,
  StorageUnavailableError,
} from '../domain/errors.ts';
import type { EventDraft, Session, SessionEvent } from '../domain/types.ts';
import { assertRoot, assertSelfContained, planAppend } from './chainWrites.ts';
import { listOptions, pageStart, summaryFromHead } from './conversationList.ts';
import {
  dexieDeleteConversation,
  dexieImportRecords,
  dexieRollover,
  dexiePatchSession,
} from './dexieConversationWrites.ts';
import { updateInDexie } from './eventUpdate.ts';
import { hasFileReference, hasInlineFiles, type MovedFile, referencedHashes } from './attachmentRows.ts';
import type { DexieAttachments } from './dexieAttachments.ts';
import { headRow, SessionDatabase } from './sessionDatabase.ts';
import { toStoreError, unavailable } from './storeErrors.ts';
import type {
  AppendOptions,
  AppendResult,
  ChainEnds,
  ConversationSummary,
  EventRange,
  EventPatch,
  ListConversationsOptions,
  Observer,
  PatchSessionOptions,
  RolloverRequest,
  RolloverResult,
  SessionChange,
  SessionStore,
  UpdateEventOptions,
} from './sessionStore.ts';

type StoreTable = 'sessions' | 'events' | 'tombstones' | 'attachments' | 'attachmentRoots';

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
  /** Loaded with the first file met (most apps never attach one: they do not ship it). */
  private filesLoaded: Promise<DexieAttachments> | undefined;

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

  /** Before a transaction: a dynamic import inside one would let IndexedDB commit it. */
  private files(): Promise<DexieAttachments> {
    this.filesLoaded ??= import('./dexieAttachments.ts').then((m) => new m.DexieAttachments(this.db));
    return this.filesLoaded;
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

  getChainEnds(conversationId: string, idsFrom = 0): Promise<ChainEnds | undefined> {
    return this.read(() =>
      this.db.transaction('r', ['sessions'], async () => {
        const [root, head, ids] = await Promise.all([
          this.db.sessions.get(conversationId),
          this.headOf(conversationId),
          this.db.sessions
            .where('[rootId+segmentIndex]')
            .between([conversationId, idsFrom], [conversationId, Dexie.maxKey])
            .primaryKeys(),
        ]);
        return root && head ? { root, head, ids } : undefined;
      }),
    );
  }

  async ensureSession(session: Session): Promise<Session> {
    assertRoot(session);
    return this.write(['sessions', 'tombstones'], async () => {
      const [existing, tombstone] = await Promise.all([
        this.db.sessions.get(session.id),
        this.db.tombstones.get(session.id),
      ]);
      if (existing) return existing;
      if (tombstone) throw new ConversationDeletedError(session.id);
      const row = { ...session, headAt: session.headAt ?? session.updatedAt };
      await this.db.sessions.add(row);
      return row;
    });
  }

  updateSession(id: string, patch: SessionChange): Promise<Session> {
    return this.patchSession(id, () => patch);
  }

  patchSession(
    id: string,
    change: (stored: Session) => SessionChange,
    options: PatchSessionOptions = {},
  ): Promise<Session> {
    return this.write(['sessions'], () => dexiePatchSession(this.db, id, change, options));
  }

  async appendEvent(
    sessionId: string,
    given: EventDraft,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (hasInlineFiles(given.parts)) {
      const files = await this.files();
      const { parts, moved } = await files.prepare(given.parts);
      // Files go in with the row that references them, in one transaction; the caller gets its parts back.
      const result = await this.appendWithFiles(files, sessionId, { ...given, parts }, moved, options);
      return result.status === 'appended'
        ? { ...result, event: { ...result.event, parts: given.parts } }
        : result;
    }
    const draft = given;
    const expected = options.expectedHead;
    // Only a row that was the head has headAt: a caller holding a closed segment (e.g. one it
    // updated after another tab rolled it over) must not append after its summary.
    if (expected?.id === sessionId && expected.headAt !== undefined) {
      const planned = planAppend(expected, draft, options.rolloverAt);
      // Any surprise (another writer, a rollover, a duplicate, a full disk) is settled by the full path below.
      if (
        planned.status === 'appended' &&
        (await this.appendOptimistically(expected, planned).catch(() => false))
      ) {
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

  private appendWithFiles(
    files: DexieAttachments,
    sessionId: string,
    draft: EventDraft,
    moved: MovedFile[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return this.write(['sessions', 'events', 'attachments', 'attachmentRoots'], async () => {
      const head = await this.headFor(sessionId);
      const result = planAppend(head, draft, options.rolloverAt);
      if (result.status === 'appended') {
        await files.add(moved, head.rootId);
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
    return this.write(['sessions', 'events'], async () =>
      dexieRollover(this.db, await this.headFor(request.fromSessionId), request),
    );
  }

  async updateEvent(
    eventId: string,
    given: EventPatch,
    options: UpdateEventOptions = {},
  ): Promise<SessionEvent> {
    const files = hasInlineFiles(given.parts) ? await this.files() : undefined;
    const { parts, moved } = files ? await files.prepare(given.parts) : { parts: given.parts, moved: [] };
    const patch = moved.length ? { ...given, parts } : given;
    // A flush touches the events table only: one read and one put of that row.
    const counting = options.countInTotals || options.fillPending;
    const tables = moved.length
      ? (['sessions', 'events', 'attachments', 'attachmentRoots'] as const)
      : counting
        ? (['sessions', 'events'] as const)
        : (['events'] as const);
    const event = await this.write([...tables], async () => {
      if (files && moved.length) {
        const segment = await this.db.events.get(eventId).then((e) => e && this.db.sessions.get(e.sessionId));
        if (segment) await files.add(moved, segment.rootId);
      }
      return updateInDexie(this.db, (rootId) => this.headOf(rootId), eventId, patch, options);
    });
    return hasFileReference(event) ? (await (await this.files()).hydrate([event]))[0]! : event;
  }

  getEvents(sessionId: string, range: EventRange = {}): Promise<SessionEvent[]> {
    return this.readEvents(() => {
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
    return this.readEvents(() => this.db.events.where('taskId').equals(taskId).toArray());
  }

  /** The files stored, each counted once however many events and conversations share it. */
  attachmentUsage(): Promise<{ count: number; bytes: number }> {
    return this.read(async () => (await this.files()).usage());
  }

  listConversations(opts?: ListConversationsOptions): Promise<ConversationSummary[]> {
    return this.read(() => {
      const options = listOptions(opts);
      return this.db.transaction('r', ['sessions'], async () => {
        const start = pageStart(options);
        const index = '[headAt+rootId]';
        let heads = (
          start ? this.db.sessions.where(index).below(start) : this.db.sessions.orderBy(index)
        ).reverse();
        if (options.limit !== undefined) heads = heads.limit(options.limit);
        const rows = await heads.toArray();
        const roots = await this.db.sessions.bulkGet(
          rows.filter((h) => h.segmentIndex > 0).map((h) => h.rootId),
        );
        const byId = new Map(roots.filter((r) => r !== undefined).map((r) => [r.id, r]));
        return rows.map((head) => summaryFromHead(head, byId.get(head.rootId) ?? head));
      });
    });
  }

  async deleteConversation(conversationId: string): Promise<void> {
    const files = await this.files();
    return this.write(['sessions', 'events', 'tombstones', 'attachments', 'attachmentRoots'], async () => {
      await dexieDeleteConversation(this.db, conversationId);
      await files.release(conversationId);
    });
  }

  async importRecords(sessions: Session[], given: SessionEvent[]): Promise<void> {
    assertSelfContained(sessions, given);
    const rootOf = new Map(sessions.map((s) => [s.id, s.rootId]));
    const withFiles = given.some((e) => hasInlineFiles(e.parts) || hasFileReference(e));
    const files = withFiles ? await this.files() : undefined;
    const held: { moved: MovedFile[]; refs: string[]; rootId: string }[] = [];
    const events: SessionEvent[] = [];
    for (const event of given) {
      const { parts, moved } = files ? await files.prepare(event.parts) : { parts: event.parts, moved: [] };
      const row = moved.length ? { ...event, parts: parts! } : event;
      events.push(row);
      const refs = row.parts ? referencedHashes(row) : [];
      if (refs.length) held.push({ moved, refs, rootId: rootOf.get(event.sessionId)! });
    }
    return this.write(['sessions', 'events', 'tombstones', 'attachments', 'attachmentRoots'], async () => {
      await dexieImportRecords(this.db, sessions, events);
      for (const { moved, refs, rootId } of held) {
        await files!.add(moved, rootId);
        await files!.link(refs, rootId);
      }
    });
  }

  watch<T>(query: () => Promise<T>, observer: Observer<T>): () => void {
    const subscription = liveQuery(query).subscribe({
      next: (value) => observer.next(value),
      error: (error) => observer.error?.(error),
    });
    return () => subscription.unsubscribe();
  }

  /**
   * Opens the database now (otherwise the first call opens it), so an app learns at start-up
   * whether IndexedDB can be used: StorageUnavailableError if not (see openSessionStore).
   */
  async open(): Promise<this> {
    try {
      await this.db.open();
      return this;
    } catch (error) {
      throw error instanceof SessionManagerError ? error : unavailable(error);
    }
  }

  close(): void {
    this.db.close();
  }

  /** Deletes the whole database. */
  async destroy(): Promise<void> {
    await this.db.delete();
  }

  private headOf(conversationId: string): Promise<Session | undefined> {
    return headRow(this.db, conversationId);
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

  /** A read of event rows, their files put back in place. */
  private async readEvents(fn: () => Promise<SessionEvent[]>): Promise<SessionEvent[]> {
    return this.read(async () => {
      const rows = await fn();
      return rows.some(hasFileReference) ? (await this.files()).hydrate(rows) : rows;
    });
  }

  private async write<T>(tables: StoreTable[], fn: () => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction('rw', tables, fn);
    } catch (error) {
      throw toStoreError(error, 'write');
    }
  }
}
