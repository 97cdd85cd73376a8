import { EventType, type SessionEvent, toUIMessages } from '@ai-session-manager/core';
import { activePath, replyStatus } from '@ai-session-manager/core/chat';
import type { LinkKeys } from '@ai-session-manager/core/record';
import type { UIMessage } from 'ai';

/** Event metadata this package writes: which UIMessage (by the chat's id) and unit an event records. */
export const UI_MESSAGE_ID = 'uiMessageId';
export const UI_UNIT = 'uiUnit';
/** The UIMessage's own `metadata`, when it had some (JSON). */
export const UI_METADATA = 'uiMetadata';

/** This package's link keys, for core's recorder (the stored format: keep them). */
export const UI_LINK: LinkKeys = {
  messageId: UI_MESSAGE_ID,
  unit: UI_UNIT,
  metadata: UI_METADATA,
  keepEmptyMetadata: true,
};

/**
 * A conversation's events as the AI SDK's UIMessages, as `useChat` showed them: events recorded
 * by this package get back the chat's message ids and metadata, and each assistant message is
 * shaped as the SDK streams one (a `step-start` part opening each step, its text parts `done`).
 * Events recorded otherwise (core's own calls, imports) convert as core's `toUIMessages` does.
 */
export function storedUIMessages<M extends UIMessage = UIMessage>(
  events: readonly SessionEvent[],
  options: StoredUIMessagesOptions = {},
): M[] {
  const { activeLeafId, includeUnfinished = false } = options;
  const now = Date.now();
  // Summaries, references and bridges between them would split a message that spans a rollover.
  let recordable = events.filter((e) => e.type === EventType.MESSAGE || e.type === EventType.TOOL_CALL);
  const live = new Set<string>();
  if (includeUnfinished) {
    // Core's converters leave unfinished replies out (a model must not get them); a screen shows them.
    recordable = recordable.map((e) => {
      if (e.reply?.status !== 'streaming') return e;
      if (replyStatus(e, now) === 'streaming') live.add(e.id);
      return { ...e, reply: { ...e.reply, status: 'complete' } };
    });
  }
  const out: M[] = [];
  for (const run of runsByMessage(activePath(recordable, activeLeafId))) {
    const converted = toUIMessages(run.events) as unknown as M[];
    const streaming = run.events.some((e) => live.has(e.id));
    converted.forEach((message, i) => {
      if (run.uiMessageId !== undefined && i === 0) {
        message.id = run.uiMessageId;
        const metadata = lastMetadata(run.events);
        if (metadata !== undefined) message.metadata = metadata;
      }
      out.push(sdkShape(message, streaming && i === converted.length - 1));
    });
  }
  return out;
}

export interface StoredUIMessagesOptions {
  /** The branch to follow: the head segment's `state.activeLeafId` (default: the newest message's). */
  activeLeafId?: string | null;
  /**
   * Show replies still streaming (their text so far, its last text part in state 'streaming')
   * and those whose tab died mid-reply ('interrupted', text so far). For screens, not for models.
   */
  includeUnfinished?: boolean;
}

interface MessageRun {
  uiMessageId: string | undefined;
  events: SessionEvent[];
}

/** Consecutive events of one chat message; events without a chat message id stay together. */
function runsByMessage(events: readonly SessionEvent[]): MessageRun[] {
  const runs: MessageRun[] = [];
  for (const e of events) {
    const id = e.metadata?.[UI_MESSAGE_ID];
    const uiMessageId = typeof id === 'string' ? id : undefined;
    const last = runs[runs.length - 1];
    if (last && last.uiMessageId === uiMessageId) last.events.push(e);
    else runs.push({ uiMessageId, events: [e] });
  }
  return runs;
}

function lastMetadata(events: readonly SessionEvent[]): unknown {
  for (let i = events.length - 1; i >= 0; i--) {
    const metadata = events[i]!.metadata?.[UI_METADATA];
    if (metadata !== undefined) return metadata;
  }
  return undefined;
}

/** Idempotent: what core already emits in the SDK's shape is left as it is. */
function sdkShape<M extends UIMessage>(message: M, streaming = false): M {
  if (message.role !== 'assistant') return message;
  let lastText = -1;
  message.parts.forEach((part, i) => {
    if (part.type === 'text') lastText = i;
  });
  const parts = message.parts.map((part, i) =>
    part.type === 'text'
      ? {
          ...part,
          state: streaming && i === lastText ? ('streaming' as const) : (part.state ?? ('done' as const)),
        }
      : part,
  );
  if (parts[0]?.type !== 'step-start') parts.unshift({ type: 'step-start' });
  return { ...message, parts };
}
