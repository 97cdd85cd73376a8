import { type SessionEvent, toUIMessages } from '@ai-session-manager/core';
import { replyStatus } from '@ai-session-manager/core/chat';
import { linkOf, UI_LINK } from '@ai-session-manager/core/record';
import type { UIMessage } from 'ai';

// The link keys live in core: fromUIMessages writes them too, so imports open in useSessionChat.
export { UI_LINK, UI_MESSAGE_ID, UI_METADATA, UI_UNIT } from '@ai-session-manager/core/record';

/**
 * A conversation's events as the AI SDK's UIMessages, as `useChat` showed them: core's
 * `toUIMessages`, which gives messages recorded by this package (or `fromUIMessages`) back
 * exactly, with their chat ids, metadata and every part; others in the shape the SDK streams.
 */
export function storedUIMessages<M extends UIMessage = UIMessage>(
  events: readonly SessionEvent[],
  options: StoredUIMessagesOptions = {},
): M[] {
  const { activeLeafId, includeUnfinished = false } = options;
  const now = Date.now();
  let recordable: readonly SessionEvent[] = events;
  const live = new Set<string>();
  if (includeUnfinished) {
    // Core's converters leave unfinished replies out (a model must not get them); a screen shows them.
    recordable = events.map((e) => {
      if (e.reply?.status !== 'streaming') return e;
      if (replyStatus(e, now) === 'streaming') live.add(linkOf(UI_LINK, e)?.messageId ?? e.id);
      return { ...e, reply: { ...e.reply, status: 'complete' } };
    });
  }
  const messages = toUIMessages(
    recordable,
    activeLeafId === undefined ? {} : { activeLeafId },
  ) as unknown as M[];
  return live.size ? messages.map((m) => (live.has(m.id) ? streamingShape(m) : m)) : messages;
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

/** The reply is still being written: its last text part streams, as useChat shows it. */
function streamingShape<M extends UIMessage>(message: M): M {
  let lastText = -1;
  message.parts.forEach((part, i) => {
    if (part.type === 'text') lastText = i;
  });
  const parts = message.parts.map((part, i) =>
    i === lastText ? { ...part, state: 'streaming' as const } : part,
  );
  return { ...message, parts };
}
