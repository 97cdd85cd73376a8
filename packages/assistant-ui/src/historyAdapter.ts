import type {
  ExportedMessageRepository,
  ExportedMessageRepositoryItem,
  ThreadHistoryAdapter,
} from '@assistant-ui/react';
import { type SessionThreadHistoryOptions, ThreadConversation } from './historyOptions.ts';
import { type ObservableThread, ThreadObserver } from './threadObserver.ts';
import { repositoryOf } from './threadRepository.ts';
import { ThreadWrites } from './threadWrites.ts';

export type { SessionThreadHistoryOptions, ThreadBinding } from './historyOptions.ts';
export type { ObservableThread } from './threadObserver.ts';

/**
 * An assistant-ui `ThreadHistoryAdapter` over one stored conversation. `append` records each
 * message (user → userSays, assistant → a reply with its tokens, tool-call parts → tool events
 * linked to it), with assistant-ui's id and parent in the event metadata; a message appended
 * under a parent that already has one becomes a new version in core's branches (an edit through
 * editMessage, a reload through regenerate). `load` gives back every version, and the selected
 * branch as `headId`. `observe(thread)` adds what the runtime does not hand a history adapter:
 * a reply's text while it streams (core's beginResponse), and the branch the user switches to
 * (core's selectAlternative). Writes run one at a time, in call order.
 */
export class SessionThreadHistoryAdapter implements ThreadHistoryAdapter {
  /** LocalRuntime reloads when this changes: one scope per conversation. */
  readonly scopeId: string | undefined;
  private readonly conversation: ThreadConversation;
  private readonly writes: ThreadWrites;
  private readonly observer: ThreadObserver;

  constructor(options: SessionThreadHistoryOptions = {}) {
    this.conversation = new ThreadConversation(options);
    this.writes = new ThreadWrites(this.conversation);
    this.observer = new ThreadObserver(this.conversation, this.writes);
    this.scopeId = options.thread ? undefined : `ai-session-manager:${this.conversation.fixedId}`;
  }

  /** The conversation this adapter records into (undefined: a thread list thread not created yet). */
  get conversationId(): string | undefined {
    return this.conversation.id;
  }

  /** Resolves once every write asked for so far has settled. */
  idle(): Promise<void> {
    return this.writes.idle();
  }

  /** Every message of every version, parents first, and the selected branch's end as `headId`. */
  load(): Promise<ExportedMessageRepository> {
    return this.writes.serial(async () => {
      const manager = await this.conversation.managerFor(false);
      if (!manager) return { headId: null, messages: [] };
      return repositoryOf((await this.writes.snapshot.read(manager, true)).tree);
    });
  }

  /** Record a message (a new version when its parent already has a message of its role). */
  append(item: ExportedMessageRepositoryItem): Promise<void> {
    return this.writes.upsert(item);
  }

  /** Rewrite a stored message in place (e.g. a run that finished after a tool approval); upserts. */
  update(item: ExportedMessageRepositoryItem): Promise<void> {
    return this.writes.upsert(item);
  }

  /**
   * Hide messages from the thread (events are never removed: each is marked `auiDeleted`, so
   * the thread no longer shows it and its children move up to its parent). It keeps its status,
   * so it stays in core's log and running totals (it was paid for), which keeps totals equal to
   * what the events add up to (stats, export and import agree). A message that is not stored is
   * skipped.
   */
  delete(items: ExportedMessageRepositoryItem[]): Promise<void> {
    return this.writes.delete(items);
  }

  /**
   * Follow a thread runtime (`runtime.thread`): store a reply's text while it streams (a reload
   * or a closed tab keeps the text so far; the runtime's append then finishes that reply), and
   * persist the branch the user switches to, so a reload or another tab shows the same one.
   * Returns the unsubscribe. A second observer while one is active is ignored.
   */
  observe(thread: ObservableThread): () => void {
    return this.observer.observe(thread);
  }
}

/** A history adapter for one stored conversation: `useLocalRuntime(model, { adapters: { history } })`. */
export function createThreadHistoryAdapter(
  options: SessionThreadHistoryOptions = {},
): SessionThreadHistoryAdapter {
  return new SessionThreadHistoryAdapter(options);
}
