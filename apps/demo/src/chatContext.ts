import type { FilePart, SessionEvent } from '@ai-session-manager/core';
import { createContext, useContext, useMemo } from 'react';
import type { PendingTurn } from './PendingMessage';

/** What the chat shows: changes as the conversation and this tab's reply do (see ChatProvider). */
export interface ChatState {
  /** The conversation's manager has read what is stored. */
  isReady: boolean;
  /** The last failed recording call's message. */
  error: string | null;
  pending: PendingTurn | null;
  /** A question waits for its first chunk, or a reply of this tab streams into this conversation. */
  busy: boolean;
  /** The reply this tab is streaming into this conversation, once it exists. */
  liveReplyId: string | null;
  /** The reasoning of this tab's streaming reply so far; null when there is none. */
  liveReasoning: string | null;
  /** Why the last action failed, or what it did (a fork); null when there is nothing to say. */
  notice: string | null;
  /** The newest segment: versions in older (summarized) segments cannot be selected, only forked. */
  headId: string | undefined;
  /** Events not on the active branch (other versions, discarded replies); null when there is none. */
  hidden: ReadonlySet<string> | null;
  /** Where a message has versions: which one it is (0-based) and how many there are. */
  alternativesOf(event: SessionEvent): { index: number; count: number } | undefined;
}

/** What the chat does: the same functions for the provider's whole life. */
export interface ChatActions {
  /** Send a message, with files attached (images, PDFs) when given. */
  send(text: string, files?: FilePart[]): void;
  retry(): void;
  /** Drop the pending question and return its text to the input. */
  takePending(): string | null;
  stop(): void;
  regenerate(eventId: string): void;
  /** A new version of a user message (keeping `files`, its attachments). */
  edit(eventId: string, text: string, files?: FilePart[]): void;
  /** Show the previous (-1) or next (+1) version of a message. */
  step(eventId: string, by: -1 | 1): void;
  /** An interrupted reply: keep its text as the final answer. */
  resume(eventId: string): void;
  discard(eventId: string): void;
  dismissNotice(): void;
}

/** What the composer and the message rows use. */
export type Chat = ChatState & ChatActions;

export const ChatStateContext = createContext<ChatState | null>(null);
export const ChatActionsContext = createContext<ChatActions | null>(null);

/** What the chat shows; null outside a ChatProvider. */
export function useChatState(): ChatState | null {
  return useContext(ChatStateContext);
}

/** The chat around the timeline; null outside a ChatProvider (rows then show no actions). */
export function useChat(): Chat | null {
  const state = useContext(ChatStateContext);
  const actions = useContext(ChatActionsContext);
  return useMemo(() => (state && actions ? { ...state, ...actions } : null), [state, actions]);
}
