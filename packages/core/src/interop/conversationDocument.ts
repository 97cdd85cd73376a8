import type { Session, SessionEvent } from '../domain/types.ts';

export const CONVERSATION_FORMAT = 'ai-session-manager';
/** Version 2 (schema v4): a reply's state and branch links in `reply` and `branch`, not in metadata. */
export const CONVERSATION_VERSION = 2;
/** Files of these versions are read (version 1's library keys are moved out of metadata). */
export const READABLE_VERSIONS: readonly number[] = [1, 2];

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
