import type { Session, SessionEvent } from '../domain/types.ts';

export const CONVERSATION_FORMAT = 'ai-session-manager';
/**
 * Version 3 (schema v5): events may hold `parts` (files inline as data URLs) and the document an
 * `attachments` list. Version 2 (schema v4): a reply's state and branch links in `reply` and
 * `branch`, not in metadata.
 */
export const CONVERSATION_VERSION = 3;
/** Files of these versions are read (version 1's library keys are moved out of metadata). */
export const READABLE_VERSIONS: readonly number[] = [1, 2, 3];

/** One file the conversation's messages hold, listed so an import can check what it got. */
export interface AttachmentEntry {
  /** Hex SHA-256 of the bytes. */
  hash: string;
  mediaType: string;
  /** Bytes. */
  size: number;
  /** false: exported without its bytes (the parts reference it by hash). */
  included: boolean;
}

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
  /** Every distinct file in the events' parts (absent when there are none). */
  attachments?: AttachmentEntry[];
}
