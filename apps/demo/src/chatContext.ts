import type { SessionEvent } from '@ai-session-manager/core';
import { createContext, useContext } from 'react';
import type { PendingTurn } from './PendingMessage';

/** What the chat offers the composer and the message rows (see ChatProvider). */
export interface Chat {
  /** The conversation's manager has read what is stored. */
  isReady: boolean;
  /** The last failed recording call's message. */
  error: string | null;
  pending: PendingTurn | null;
  /** A question waits for its first chunk, or a reply of this tab streams into this conversation. */
  busy: boolean;
  /** The reply this tab is streaming into this conversation, once it exists. */
  liveReplyId: string | null;
  /** Why the last action failed, or what it did (a fork); null when there is nothing to say. */
  notice: string | null;
  /** The newest segment: versions in older (summarized) segments cannot be selected, only forked. */
  headId: string | undefined;
  /** Events not on the active branch (other versions, discarded replies); null when there is none. */
  hidden: ReadonlySet<string> | null;
  /** Where a message has versions: which one it is (0-based) and how many there are. */
  alternativesOf(event: SessionEvent): { index: number; count: number } | undefined;
  send(text: string): void;
  retry(): void;
  /** Drop the pending question and return its text to the input. */
  takePending(): string | null;
  stop(): void;
  regenerate(eventId: string): void;
  edit(eventId: string, text: string): void;
  /** Show the previous (-1) or next (+1) version of a message. */
  step(eventId: string, by: -1 | 1): void;
  /** An interrupted reply: keep its text as the final answer. */
  resume(eventId: string): void;
  discard(eventId: string): void;
  dismissNotice(): void;
}

export const ChatContext = createContext<Chat | null>(null);

/** The chat around the timeline; null outside a ChatProvider (rows then show no actions). */
export function useChat(): Chat | null {
  return useContext(ChatContext);
}
