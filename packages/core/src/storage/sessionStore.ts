import type { MessagePart } from '../domain/messageParts.ts';
import type {
  EventDraft,
  ReplyState,
  Session,
  SessionEvent,
  SessionTotals,
  TokenUsage,
} from '../domain/types.ts';

/** When the head segment has reached either limit, `appendEvent` asks for a rollover instead of writing. */
export interface RolloverLimits {
  totalTokens: number;
  messages: number;
}

/** The fields a session patch sets; computed from the row as stored (see `patchSession`). */
export type SessionChange = Partial<Pick<Session, 'systemPrompt' | 'metadata' | 'state'>>;

export interface PatchSessionOptions {
  /** Refuse with HeadMovedError unless the row is still its conversation's head. */
  mustBeHead?: boolean;
}

export interface AppendOptions {
  /** Refuse to append (and report `needsRollover`) when the head segment is at a limit. */
  rolloverAt?: RolloverLimits;
  /**
   * The head row as the caller last saw it. A store may then write optimistically in one
   * round trip, checking before commit that the row is unchanged (so still the head, since a
   * rollover always writes its summary into it), and fall back to a full read otherwise.
   */
  expectedHead?: Session;
}

export type AppendResult =
  | { status: 'appended'; event: SessionEvent; head: Session }
  | { status: 'needsRollover'; head: Session };

export interface RolloverRequest {
  /** The segment the caller believes is the head; the rollover only happens if it still is. */
  fromSessionId: string;
  /** Its timestamp is set by the store when the rollover commits (it enters the log then). */
  summary: EventDraft;
  /** The new segment row; the store fills parentId, rootId, segmentIndex. */
  newSession: Pick<Session, 'id' | 'systemPrompt' | 'metadata' | 'state' | 'createdAt'>;
}

export interface RolloverResult {
  /** false when another writer rolled this segment over first; `head` is then theirs. */
  rolledOver: boolean;
  head: Session;
  /** Set when the head was not rolled over because this reply is still streaming in it (live lease). */
  blockedBy?: string;
}

/**
 * What `updateEvent` may change: the text, metadata keys and reply keys (each merged; undefined
 * deletes a key), token usage.
 */
export interface EventPatch {
  message?: unknown;
  metadata?: Record<string, unknown>;
  reply?: { [K in keyof ReplyState]?: ReplyState[K] | undefined };
  tokenUsage?: TokenUsage;
  parts?: MessagePart[];
}

export interface UpdateEventOptions {
  /**
   * The event goes from "event only" (a reply in flight) to counted: add its messages, tokens
   * and cost to its segment's totals (and to the head's priorTotals when the segment is closed),
   * in the same transaction. Refused unless the stored event is still uncounted, so never twice.
   */
  countInTotals?: boolean;
  /**
   * The event's pending usage (`tokenUsage.pending`) is replaced by its count: the difference
   * goes into its segment's totals (and the head's priorTotals when the segment is closed), and
   * the head's count of pending events drops, in the same transaction. Refused unless pending.
   */
  fillPending?: boolean;
  /** Runs inside the transaction on the stored event; throwing refuses the update (nothing written). */
  check?: (stored: SessionEvent) => void;
}

export interface EventRange {
  /** Only events with seq < beforeSeq. */
  beforeSeq?: number;
  limit?: number;
  /** Newest first. */
  reverse?: boolean;
}

/** One conversation as listed in a sidebar. */
export interface ConversationSummary {
  conversationId: string;
  headSessionId: string;
  segments: number;
  systemPrompt?: string;
  metadata: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  totals: SessionTotals;
  /** The root's `metadata.title` when it is a string: the sidebar's convention. */
  title?: string;
}

export interface ListConversationsOptions {
  /** At most this many conversations (default: all). */
  limit?: number;
  /**
   * Only conversations listed after this one: pass the last row of the previous page (or any
   * `{ updatedAt, conversationId }`; a bare updatedAt string means everything older than it).
   */
  before?: Pick<ConversationSummary, 'updatedAt' | 'conversationId'> | string;
}

/** What conversation stats need, read without touching the segments in between. */
export interface ChainEnds {
  root: Session;
  head: Session;
  /** Ids of the segments from segmentIndex `idsFrom` on, in order (index keys only). */
  ids: string[];
}

export interface Observer<T> {
  next(value: T): void;
  error?(error: unknown): void;
}

/**
 * Where sessions and events live. Every method that writes is atomic: it either commits
 * whole or leaves the store as it was. Events are only ever appended to the newest segment
 * (the head) of their conversation, so two writers never fork or reorder a chain.
 */
export interface SessionStore {
  getSession(id: string): Promise<Session | undefined>;
  /** Every segment of a conversation, root first. */
  getSegments(conversationId: string): Promise<Session[]>;
  /** The newest segment of a conversation. */
  getHead(conversationId: string): Promise<Session | undefined>;
  /** Create a root segment unless `id` exists; returns the stored row either way. ConversationDeletedError for a deleted id. */
  ensureSession(session: Session): Promise<Session>;
  /** Set these fields of a segment row as given (whole values). Prefer `patchSession`. */
  updateSession(id: string, patch: SessionChange): Promise<Session>;
  /**
   * Change a segment row in one transaction: `change` gets the row as stored (another tab's
   * writes included) and returns the fields to set, computed from it; it runs synchronously
   * and may throw to refuse (nothing written). The conversation moves up the list.
   * SessionNotFoundError for a missing row, HeadMovedError with `mustBeHead` on a closed one.
   */
  patchSession(
    id: string,
    change: (stored: Session) => SessionChange,
    options?: PatchSessionOptions,
  ): Promise<Session>;
  /**
   * Append to the head of `sessionId`'s conversation (seq = head's event count) and update
   * the head's running totals in the same transaction.
   */
  appendEvent(sessionId: string, draft: EventDraft, options?: AppendOptions): Promise<AppendResult>;
  /** Write the summary into the old head and create the new head, in one transaction. */
  rollover(request: RolloverRequest): Promise<RolloverResult>;
  getEvents(sessionId: string, range?: EventRange): Promise<SessionEvent[]>;
  /**
   * Change one stored event in place (a streaming reply's text, status, usage), in one
   * transaction that writes only that row, plus its segment row (and the head's) when counting.
   * Resolves to the stored event after the update.
   */
  updateEvent(eventId: string, patch: EventPatch, options?: UpdateEventOptions): Promise<SessionEvent>;
  getEventsByTask(taskId: string): Promise<SessionEvent[]>;
  /**
   * Root and head rows plus the segment ids from `idsFrom` on. Optional: without it, readers
   * fall back to getSegments.
   */
  getChainEnds?(conversationId: string, idsFrom?: number): Promise<ChainEnds | undefined>;
  /** Conversations, most recently updated first, one head row each through an index. */
  listConversations(options?: ListConversationsOptions): Promise<ConversationSummary[]>;
  /** Delete every segment and event, and leave a tombstone: the id is never created again as a new root. */
  deleteConversation(conversationId: string): Promise<void>;
  /**
   * Write whole segments and events that must not exist yet, atomically. The store computes
   * each imported head's priorTotals and list marker, and clears the conversations' tombstones.
   */
  importRecords(sessions: Session[], events: SessionEvent[]): Promise<void>;
  /**
   * The files (images, documents) the store holds apart from its events, each counted once however
   * many events share it. Optional: a store that keeps files inline in its events has none.
   */
  attachmentUsage?(): Promise<{ count: number; bytes: number }>;
  /** Run `query` now and again after every write that could change its result (in any tab for IndexedDB). */
  watch<T>(query: () => Promise<T>, observer: Observer<T>): () => void;
  close?(): void;
}
