import {
  ConversationDeletedError,
  type SessionEvent,
  SessionManager,
  type SessionManagerOptions,
  type SessionStore,
} from '@ai-session-manager/core';

/** Root metadata naming the thread a conversation records. */
export const THREAD_ID = 'tanstackThreadId';

/**
 * The id of a thread's conversation after `generation` clears: the thread id, then
 * `<threadId>~1`, `<threadId>~2`… A deleted id is never created again (core keeps a tombstone),
 * so every tab that continues a cleared thread walks the same ids to the same conversation.
 */
export function generationId(threadId: string, generation: number): string {
  return generation === 0 ? threadId : `${threadId}~${generation}`;
}

/** The generation `conversationId` is of the thread; undefined for another id (e.g. a random one from before). */
export function generationOf(threadId: string, conversationId: string): number | undefined {
  if (conversationId === threadId) return 0;
  const prefix = `${threadId}~`;
  if (!conversationId.startsWith(prefix)) return undefined;
  const n = Number(conversationId.slice(prefix.length));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Whether a root's metadata lets it record `threadId` (an untagged conversation under the thread id itself does). */
function recordsThread(metadata: Record<string, unknown>, threadId: string, generation: number): boolean {
  const tag = metadata[THREAD_ID];
  return tag === threadId || (generation === 0 && tag === undefined);
}

/** The conversation a thread is recorded in: the one with its id, or (after a clear) the one tagged with it. */
export async function findConversation(store: SessionStore, threadId: string): Promise<string | undefined> {
  const session = await store.getSession(threadId);
  if (session && recordsThread(session.metadata, threadId, 0)) return session.rootId;
  const tagged = (await store.listConversations()).find((c) => c.metadata[THREAD_ID] === threadId);
  return tagged?.conversationId;
}

/**
 * The thread's conversation, created at the first generation id that is not deleted (from
 * `from` on), or joined when another tab created it first. An id another thread uses (a thread
 * named like `<threadId>~1`) is skipped.
 */
export async function createConversation(
  store: SessionStore,
  session: Omit<SessionManagerOptions, 'sessionId' | 'store'>,
  threadId: string,
  from = 0,
): Promise<SessionManager> {
  const metadata = { ...session.metadata, [THREAD_ID]: threadId };
  for (let generation = from; ; generation++) {
    const sessionId = generationId(threadId, generation);
    const existing = await store.getSession(sessionId);
    if (existing && !recordsThread(existing.metadata, threadId, generation)) continue;
    const manager = new SessionManager({ ...session, store, sessionId, metadata });
    try {
      // Creates the root (tagged) unless it exists; either way returns the stored root's metadata.
      const stored = await manager.updateMetadata({});
      if (recordsThread(stored, threadId, generation)) return manager;
    } catch (error) {
      if (!(error instanceof ConversationDeletedError)) throw error;
    }
  }
}

/**
 * The conversation a thread's recorder writes into: opened when stored (its events handed to
 * `learn`), created on the first write otherwise; after another tab deleted it, the thread's
 * next one. One open or create at a time.
 */
export class ThreadConversation {
  private readonly threadId: string;
  private readonly store: SessionStore;
  private readonly session: Omit<SessionManagerOptions, 'sessionId' | 'store'>;
  private readonly learn: (events: readonly SessionEvent[]) => void;
  private held: SessionManager | undefined;
  private opening: Promise<SessionManager | undefined> | undefined;
  private creating: Promise<SessionManager> | undefined;
  /** Where the search for a new conversation starts: after the thread's last deleted generation. */
  private nextGeneration = 0;

  constructor(
    threadId: string,
    store: SessionStore,
    session: Omit<SessionManagerOptions, 'sessionId' | 'store'>,
    learn: (events: readonly SessionEvent[]) => void,
  ) {
    this.threadId = threadId;
    this.store = store;
    this.session = session;
    this.learn = learn;
  }

  /** The conversation held, if one is. */
  get manager(): SessionManager | undefined {
    return this.held;
  }

  /** Open the thread's conversation, or (with `create`) create it. `learn`: hand its events over. */
  async open(create: boolean, learn = true): Promise<SessionManager | undefined> {
    if (this.held) return this.held;
    this.opening ??= this.openStored(learn).finally(() => {
      this.opening = undefined;
    });
    const stored = await this.opening;
    if (stored || !create) return stored ?? this.held;
    this.creating ??= this.create().finally(() => {
      this.creating = undefined;
    });
    return await this.creating;
  }

  /** Whether another tab deleted the conversation held (its `clear()`). */
  async deletedElsewhere(): Promise<boolean> {
    const manager = this.held;
    if (!manager) return false;
    const session = await this.store.getSession(manager.conversationId).catch(() => null);
    return session === undefined;
  }

  /** Let go of the conversation (it is gone): the next open looks for the thread's next one. */
  forget(): void {
    const manager = this.held;
    if (manager) this.nextGeneration = (generationOf(this.threadId, manager.conversationId) ?? -1) + 1;
    this.held = undefined;
  }

  private async openStored(learn: boolean): Promise<SessionManager | undefined> {
    const id = await findConversation(this.store, this.threadId);
    if (!id) return undefined;
    const manager = await SessionManager.open(id, { ...this.session, store: this.store });
    if (learn) {
      const segments = await this.store.getSegments(manager.conversationId);
      this.learn((await Promise.all(segments.map((s) => this.store.getEvents(s.id)))).flat());
    }
    this.held ??= manager;
    return this.held;
  }

  private async create(): Promise<SessionManager> {
    if (this.held) return this.held;
    const manager = await createConversation(this.store, this.session, this.threadId, this.nextGeneration);
    this.held ??= manager;
    return this.held;
  }
}
