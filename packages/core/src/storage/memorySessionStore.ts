import { ConversationDeletedError, DuplicateIdError, SessionNotFoundError } from '../domain/errors.ts';
import type { EventDraft, Session, SessionEvent } from '../domain/types.ts';
import {
  assertRoot,
  assertSelfContained,
  importRows,
  liveReplyIn,
  patchedRow,
  planAppend,
  touched,
} from './chainWrites.ts';
import { updateInMemory } from './eventUpdate.ts';
import { planRollover } from './rolloverPlan.ts';
import { listOptions, pageStart, summaryFromHead } from './conversationList.ts';
import type {
  AppendOptions,
  AppendResult,
  ChainEnds,
  ConversationSummary,
  EventPatch,
  EventRange,
  ListConversationsOptions,
  Observer,
  PatchSessionOptions,
  RolloverRequest,
  RolloverResult,
  SessionChange,
  SessionStore,
  UpdateEventOptions,
} from './sessionStore.ts';

/**
 * Same behaviour as DexieSessionStore, kept in memory: for server rendering, Node, and tests.
 * Rows are cloned on the way in and out, as IndexedDB does, so callers never share state with it.
 * Each write runs without awaiting in between, which makes it atomic in a single-threaded runtime.
 */
export class MemorySessionStore implements SessionStore {
  private sessions = new Map<string, Session>();
  /** Events per segment, in seq order. */
  private events = new Map<string, SessionEvent[]>();
  private eventIds = new Set<string>();
  private watchers = new Set<() => void>();
  /** Deleted conversation ids, with when. */
  private tombstones = new Map<string, string>();

  async getSession(id: string): Promise<Session | undefined> {
    return clone(this.sessions.get(id));
  }

  async getSegments(conversationId: string): Promise<Session[]> {
    return clone(this.segmentsOf(conversationId));
  }

  async getHead(conversationId: string): Promise<Session | undefined> {
    return clone(this.segmentsOf(conversationId).at(-1));
  }

  async ensureSession(session: Session): Promise<Session> {
    assertRoot(session);
    const existing = this.sessions.get(session.id);
    if (existing) return clone(existing);
    if (this.tombstones.has(session.id)) throw new ConversationDeletedError(session.id);
    const row = { ...clone(session), headAt: session.headAt ?? session.updatedAt };
    this.sessions.set(session.id, row);
    this.events.set(session.id, []);
    this.changed();
    return clone(row);
  }

  async getChainEnds(conversationId: string, idsFrom = 0): Promise<ChainEnds | undefined> {
    const segments = this.segmentsOf(conversationId);
    const root = this.sessions.get(conversationId);
    const head = segments.at(-1);
    if (!root || !head) return undefined;
    return clone({ root, head, ids: segments.slice(idsFrom).map((s) => s.id) });
  }

  updateSession(id: string, patch: SessionChange): Promise<Session> {
    return this.patchSession(id, () => patch);
  }

  async patchSession(
    id: string,
    change: (stored: Session) => SessionChange,
    options: PatchSessionOptions = {},
  ): Promise<Session> {
    const existing = this.sessions.get(id);
    // Synchronous from read to write: atomic in a single-threaded runtime.
    const updated = clone(patchedRow(existing, id, change, options));
    this.sessions.set(id, updated);
    // The conversation moves up the list: its head's marker is bumped.
    const head = this.segmentsOf(updated.rootId).at(-1);
    if (head) head.headAt = touched(head.headAt ?? head.updatedAt);
    this.changed();
    return clone(updated);
  }

  async appendEvent(
    sessionId: string,
    draft: EventDraft,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const head = this.headFor(sessionId);
    this.assertNewEventId(draft.id);
    const result = planAppend(head, clone(draft), options.rolloverAt);
    if (result.status === 'appended') {
      this.insertEvent(result.event);
      this.sessions.set(result.head.id, result.head);
      this.changed();
    }
    return clone(result);
  }

  async rollover(request: RolloverRequest): Promise<RolloverResult> {
    const head = this.headFor(request.fromSessionId);
    if (head.id !== request.fromSessionId) return { rolledOver: false, head: clone(head) };
    const blockedBy = liveReplyIn(this.events.get(head.id) ?? []);
    if (blockedBy) return { rolledOver: false, head: clone(head), blockedBy };
    this.assertNewEventId(request.summary.id);
    if (this.sessions.has(request.newSession.id)) throw duplicateId(request.newSession.id);
    const { summary, oldHead, newHead } = planRollover(head, clone(request));
    this.insertEvent(summary);
    this.sessions.set(oldHead.id, oldHead);
    this.sessions.set(newHead.id, newHead);
    this.events.set(newHead.id, []);
    this.changed();
    return { rolledOver: true, head: clone(newHead) };
  }

  async getEvents(sessionId: string, range: EventRange = {}): Promise<SessionEvent[]> {
    let list = this.events.get(sessionId) ?? [];
    if (range.beforeSeq !== undefined) list = list.slice(0, Math.max(0, range.beforeSeq));
    if (range.reverse) list = [...list].reverse();
    if (range.limit !== undefined) list = list.slice(0, range.limit);
    return clone(list);
  }

  async updateEvent(
    eventId: string,
    patch: EventPatch,
    options: UpdateEventOptions = {},
  ): Promise<SessionEvent> {
    const headFor = (id: string) => this.headFor(id);
    const event = updateInMemory(this.events, this.sessions, headFor, eventId, clone(patch), options);
    this.changed();
    return clone(event);
  }

  async getEventsByTask(taskId: string): Promise<SessionEvent[]> {
    const found: SessionEvent[] = [];
    for (const list of this.events.values()) for (const e of list) if (e.taskId === taskId) found.push(e);
    return clone(found);
  }

  async listConversations(opts?: ListConversationsOptions): Promise<ConversationSummary[]> {
    const options = listOptions(opts);
    const start = pageStart(options);
    const list = [...this.sessions.values()]
      .filter((s) => s.headAt !== undefined)
      .map((head) => summaryFromHead(head, this.sessions.get(head.rootId) ?? head))
      .filter(
        (c) => !start || c.updatedAt < start[0] || (c.updatedAt === start[0] && c.conversationId < start[1]),
      )
      .sort(newestFirst);
    return clone(options.limit === undefined ? list : list.slice(0, options.limit));
  }

  async deleteConversation(conversationId: string): Promise<void> {
    this.tombstones.set(conversationId, new Date().toISOString());
    for (const s of this.segmentsOf(conversationId)) {
      for (const e of this.events.get(s.id) ?? []) this.eventIds.delete(e.id);
      this.events.delete(s.id);
      this.sessions.delete(s.id);
    }
    this.changed();
  }

  async importRecords(sessions: Session[], events: SessionEvent[]): Promise<void> {
    assertSelfContained(sessions, events);
    const takenSessions = sessions.filter((s) => this.sessions.has(s.id)).length;
    const takenEvents = events.filter((e) => this.eventIds.has(e.id)).length;
    if (takenSessions || takenEvents) {
      throw new DuplicateIdError(
        `Import refused: ${takenSessions} segment(s) and ${takenEvents} event(s) already exist in this store.`,
      );
    }
    const { rows, demoted } = importRows(clone(sessions), (id) => this.segmentsOf(id).at(-1));
    for (const s of demoted) this.sessions.set(s.id, s);
    for (const s of rows) {
      this.tombstones.delete(s.rootId);
      this.sessions.set(s.id, s);
      if (!this.events.has(s.id)) this.events.set(s.id, []);
    }
    for (const e of [...events].sort((a, b) => a.seq - b.seq)) this.insertEvent(clone(e));
    this.changed();
  }

  watch<T>(query: () => Promise<T>, observer: Observer<T>): () => void {
    let active = true;
    const run = () => {
      query().then(
        (value) => active && observer.next(value),
        (error) => active && observer.error?.(error),
      );
    };
    this.watchers.add(run);
    run();
    return () => {
      active = false;
      this.watchers.delete(run);
    };
  }

  private segmentsOf(conversationId: string): Session[] {
    return [...this.sessions.values()]
      .filter((s) => s.rootId === conversationId)
      .sort((a, b) => a.segmentIndex - b.segmentIndex);
  }

  private headFor(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw new SessionNotFoundError(sessionId);
    return this.segmentsOf(session.rootId).at(-1) ?? session;
  }

  /** IndexedDB refuses a second row with the same key; so does this store. */
  private assertNewEventId(id: string): void {
    if (this.eventIds.has(id)) throw duplicateId(id);
  }

  private insertEvent(event: SessionEvent): void {
    const list = this.events.get(event.sessionId);
    if (!list) throw new SessionNotFoundError(event.sessionId);
    list.push(event);
    this.eventIds.add(event.id);
  }

  private changed(): void {
    for (const run of this.watchers) queueMicrotask(run);
  }
}

function duplicateId(id: string): DuplicateIdError {
  return new DuplicateIdError(`The id "${id}" is already used in this store; nothing was written.`);
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** Newest first, ties by conversation id descending: the index's order, reversed. */
function newestFirst(a: ConversationSummary, b: ConversationSummary): number {
  const ka = `${a.updatedAt}\u0000${a.conversationId}`;
  const kb = `${b.updatedAt}\u0000${b.conversationId}`;
  return ka < kb ? 1 : ka > kb ? -1 : 0;
}
