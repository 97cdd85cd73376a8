// What the lazily loaded streaming and branch modules use of a SessionManager: its protected
// and private members, reached through this one cast so the manager's own file stays small.
import type { SessionManager } from '../session/sessionManager.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import type { SummarizeFn } from '../prompt/summary.ts';
import type { EventDraft, EventSource, EventType, Session, SessionEvent, TokenUsage } from '../domain/types.ts';

export interface ManagerInternals {
  readonly store: SessionStore;
  readonly defaultModel: string;
  readonly infiniteContext: boolean;
  readonly tokenThreshold: number;
  readonly maxTurnsPerSegment: number;
  readonly conversationId: string;
  readonly summarize: SummarizeFn | undefined;
  readonly summaryTimeoutMs: number;
  serial<T>(fn: () => Promise<T>): Promise<T>;
  record(draft: EventDraft, isMessage: boolean): Promise<SessionEvent>;
  ensureCreated(): Promise<Session>;
  draft(
    source: EventSource,
    type: EventType,
    message: unknown,
    metadata: Record<string, unknown>,
    tokenUsage?: TokenUsage,
    eventId?: string,
  ): EventDraft;
  /** Live reply handles of this manager, by event id. */
  replies?: Map<string, unknown>;
}

export function internals(manager: SessionManager): ManagerInternals {
  return manager as unknown as ManagerInternals;
}

/** Every segment (root first) and every event of the manager's conversation, as stored now. */
export async function readConversation(
  m: ManagerInternals,
): Promise<{ segments: Session[]; events: SessionEvent[] }> {
  const segments = await m.store.getSegments(m.conversationId);
  const events = (await Promise.all(segments.map((s) => m.store.getEvents(s.id)))).flat();
  return { segments, events };
}
