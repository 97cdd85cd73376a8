import { EventType, type Session, type SessionEvent } from '../domain/types.ts';
import type { SessionStore } from '../storage/sessionStore.ts';

/**
 * Which conversation a manager records and its newest segment as last read: the ids, the head
 * row, the system prompt and whether segments roll over. Every read of a head goes through
 * `adopt`, so another tab's rollover or prompt change is picked up on the next call.
 */
export class ConversationHead {
  private _sessionId: string;
  private _conversationId: string;
  private _systemPrompt: string | undefined;
  private _infiniteContext: boolean;
  /** The stored head segment once loaded or created; null while nothing is written. */
  private _row: Session | null = null;
  /** The head's stored system prompt when last read; null before the first read. */
  private storedPrompt: string | undefined | null = null;
  private loaded: Promise<void> | null = null;
  private readonly store: SessionStore;
  /** As passed to the manager; undefined: the value stored with the conversation wins. */
  private readonly infiniteContextOption: boolean | undefined;

  constructor(
    store: SessionStore,
    sessionId: string,
    systemPrompt: string | undefined,
    infiniteContextOption: boolean | undefined,
  ) {
    this.store = store;
    this.infiniteContextOption = infiniteContextOption;
    this._sessionId = sessionId;
    this._conversationId = sessionId;
    this._systemPrompt = systemPrompt;
    this._infiniteContext = infiniteContextOption ?? false;
  }

  /** The newest segment's id. */
  get sessionId(): string {
    return this._sessionId;
  }

  /** The root segment's id, stable across segments. */
  get conversationId(): string {
    return this._conversationId;
  }

  get systemPrompt(): string | undefined {
    return this._systemPrompt;
  }

  get infiniteContext(): boolean {
    return this._infiniteContext;
  }

  get row(): Session | null {
    return this._row;
  }

  /** Make `head` the newest segment as known here. */
  adopt(head: Session): void {
    // A prompt changed in storage (another tab's updateSystemPrompt) replaces ours.
    if (this.storedPrompt !== null && head.systemPrompt !== this.storedPrompt)
      this._systemPrompt = head.systemPrompt;
    this.storedPrompt = head.systemPrompt;
    this._row = head;
    this._sessionId = head.id;
    this._conversationId = head.rootId;
  }

  /** The prompt just written to the head. */
  promptWritten(prompt: string): void {
    this._systemPrompt = this.storedPrompt = prompt;
  }

  /** Read what exists for our id, once; a failed read is retried by the next call. Writes nothing. */
  load(): Promise<void> {
    this.loaded ??= (async () => {
      const session = await this.store.getSession(this._sessionId);
      if (!session) return;
      const head = (await this.store.getHead(session.rootId)) ?? session;
      this.adopt(head);
      this._systemPrompt ??= head.systemPrompt;
      if (this.infiniteContextOption === undefined) {
        const root = session.id === session.rootId ? session : await this.store.getSession(session.rootId);
        const stored = root?.state.infiniteContext;
        if (typeof stored === 'boolean') this._infiniteContext = stored;
      }
    })();
    const loading = this.loaded;
    loading.catch(() => {
      if (this.loaded === loading) this.loaded = null;
    });
    return loading;
  }

  /** The head as stored now (null while nothing is written). */
  async fresh(): Promise<Session | null> {
    const head = await this.store.getHead(this._conversationId);
    if (head) this.adopt(head);
    return head ?? null;
  }

  /** Every segment, root first, or only the newest. */
  async segments(includeAll: boolean): Promise<Session[]> {
    const segments = await this.store.getSegments(this._conversationId);
    if (segments.length) this.adopt(segments[segments.length - 1]!);
    return includeAll ? segments : segments.slice(-1);
  }

  /** The events of every segment (default: in infinite mode) or of the newest, oldest first. */
  async events(includeAllSegments: boolean | undefined): Promise<SessionEvent[]> {
    const segments = await this.segments(includeAllSegments ?? this._infiniteContext);
    return (await Promise.all(segments.map((s) => this.store.getEvents(s.id)))).flat();
  }

  /** Every segment (root first) and every event of the conversation, as stored now. */
  async readConversation(): Promise<{ segments: Session[]; events: SessionEvent[] }> {
    const segments = await this.segments(true);
    const events = (await Promise.all(segments.map((s) => this.store.getEvents(s.id)))).flat();
    return { segments, events };
  }

  /** The summary event written at the end of segment `sessionId`, if any. */
  async summaryOf(sessionId: string): Promise<string | undefined> {
    const [last] = await this.store.getEvents(sessionId, { reverse: true, limit: 1 });
    if (last?.type === EventType.SUMMARY && typeof last.message === 'string') return last.message;
    // Tolerate imported chains where the summary is not the last event.
    const all = await this.store.getEvents(sessionId, { reverse: true });
    const summary = all.find((e) => e.type === EventType.SUMMARY);
    return typeof summary?.message === 'string' ? summary.message : undefined;
  }
}
