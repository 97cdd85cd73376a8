import type { EventDraft, EventSource, EventType, SessionEvent, TokenUsage } from '../domain/types.ts';
import type { Scrubber } from '../domain/scrubSecrets.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import type { ResponseStream } from './responseStream.ts';

/** What streamed replies need from their SessionManager, which passes one in from inside its queue. */
/** Build a new event: `eventId` or a fresh id, the time now, and the active run's id. */
export type DraftEvent = (
  source: EventSource,
  type: EventType,
  message: unknown,
  metadata: Record<string, unknown>,
  tokenUsage?: TokenUsage,
  eventId?: string,
) => EventDraft;

export interface ReplyHost {
  readonly store: SessionStore;
  readonly defaultModel: string;
  /**
   * The manager's `scrub` option (identity when none): streamed text and abort reasons go
   * through it before they are written; `draft` already applies it to metadata strings.
   */
  readonly scrub: Scrubber;
  /** The conversation's id now (a write may move the manager to a newer head). */
  conversationId(): string;
  /** The conversation's segment ids as stored now, root first (none before its first write). */
  segmentIds(): Promise<string[]>;
  /** A new event: `eventId` or a fresh id, the time now, and the active run's id. */
  draft: DraftEvent;
  /** Append to the head; a message may first roll a full head over (infinite mode). */
  record(draft: EventDraft, isMessage: boolean): Promise<SessionEvent>;
  /** The manager's live reply handles, by event id. */
  readonly replies: Map<string, ResponseStream>;
}
