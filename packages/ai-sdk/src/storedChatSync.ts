import type { SessionStore } from '@ai-session-manager/core';
import type { ChatStatus, UIMessage } from 'ai';
import type { ChatRecorder } from './chatRecorder.ts';
import { type StoredChat, watchChatMessages } from './conversationMessages.ts';
import { mergeChatMessages } from './mergeChatMessages.ts';

/** What the sync reads and writes of a chat: `Chat` itself, or useChat's helpers. */
export interface SyncedChat<M extends UIMessage> {
  readonly status: ChatStatus;
  readonly messages: M[];
  /** Replace the messages with `update(current messages)`, read at that moment. */
  setMessages(update: (messages: M[]) => M[]): void;
}

export interface StoredChatSyncOptions<M extends UIMessage> {
  /** The transport's recorder: what it wrote, the chat's copy is kept; what is stored, it never writes. */
  recorder: ChatRecorder<M>;
  /** The chat now (a getter: a hook's helpers change between renders). */
  chat: () => SyncedChat<M>;
  /** Each time the stored view was applied. */
  onApplied?: (stored: StoredChat<M>) => void;
  onError?: (error: unknown) => void;
}

/**
 * Store → chat: follows a stored conversation (writes from any tab) and merges it into the
 * chat whenever the chat is not busy (a response in flight is the chat's own; `flush()` after
 * it ends lets the latest view in). Messages the chat dropped on purpose (regenerate, an edit)
 * stay out. Framework-free: useSessionChat uses it, and so can any `Chat`:
 * `new StoredChatSync({ recorder: transport.recorder, chat: () => ({ status: chat.status,
 * messages: chat.messages, setMessages: (update) => { chat.messages = update(chat.messages); } }) })
 * .start(id, store)`.
 */
export class StoredChatSync<M extends UIMessage = UIMessage> {
  private pending: StoredChat<M> | undefined;
  /** Ids the chat has held: one it no longer holds was dropped on purpose. */
  private readonly seen = new Set<string>();
  private readonly options: StoredChatSyncOptions<M>;

  constructor(options: StoredChatSyncOptions<M>) {
    this.options = options;
  }

  /** Follow conversation `id` (any segment id) in `store` until the returned stop is called. */
  start(id: string, store: SessionStore): () => void {
    return watchChatMessages<M>(
      id,
      {
        next: (stored) => {
          this.pending = stored;
          this.flush();
        },
        error: (error) => this.options.onError?.(error),
      },
      { store },
    );
  }

  /** Merge the newest stored view into the chat, unless the chat is busy or nothing is new. */
  flush(): void {
    const stored = this.pending;
    const chat = this.options.chat();
    if (!stored || chat.status === 'submitted' || chat.status === 'streaming') return;
    this.pending = undefined;
    const { recorder } = this.options;
    recorder.markStored(stored.messages, stored.events);
    const merge = (messages: M[]) => {
      const held = new Set(messages.map((m) => m.id));
      return mergeChatMessages(
        messages,
        stored.messages,
        (id) => recorder.wrote(id),
        (id) => !held.has(id) && this.seen.has(id),
      );
    };
    const merged = merge(chat.messages);
    // Merged again against the chat's messages at that moment: what it added since stays.
    if (merged !== chat.messages) chat.setMessages(merge);
    for (const m of merged) this.seen.add(m.id);
    this.options.onApplied?.(stored);
  }
}
