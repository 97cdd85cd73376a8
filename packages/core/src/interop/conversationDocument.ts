import type { Session, SessionEvent } from '../domain/types.ts';

export const CONVERSATION_FORMAT = 'ai-session-manager';
export const CONVERSATION_VERSION = 1;

/** A whole conversation (every segment and event) as plain JSON, for export and import. */
export interface ConversationDocument {
  format: typeof CONVERSATION_FORMAT;
  version: typeof CONVERSATION_VERSION;
  conversationId: string;
  exportedAt?: string;
  /** Every segment, root first. */
  sessions: Session[];
  /** Every event, by segment then seq. */
  events: SessionEvent[];
}
