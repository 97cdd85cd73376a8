import type { ExportedMessageRepository, ThreadMessage } from '@assistant-ui/react';
import type { ThreadConversation } from './historyOptions.ts';
import { repositoryOf, signatureOf } from './threadRepository.ts';
import type { ThreadWrites } from './threadWrites.ts';

/** What `observe` needs of a thread: assistant-ui's `ThreadRuntime` (e.g. `runtime.thread`). */
export interface ObservableThread {
  subscribe(callback: () => void): () => void;
  getState(): { readonly messages: readonly ThreadMessage[]; readonly isRunning: boolean };
  /** With these two, messages another tab stores show up live. */
  export?(): ExportedMessageRepository;
  import?(repository: ExportedMessageRepository): void;
}

/**
 * Follows a thread runtime: feeds a streaming reply to the writes, persists the branch the user
 * switches to, and (when the thread can import) loads what other tabs store into it.
 */
export class ThreadObserver {
  private observing = false;
  /** The store changed while the thread was busy: compare again once it is idle. */
  private refreshLater = false;

  constructor(
    private readonly conversation: ThreadConversation,
    private readonly writes: ThreadWrites,
  ) {}

  observe(thread: ObservableThread): () => void {
    if (this.observing) return () => {};
    this.observing = true;
    let lastHead: string | undefined;
    let stopped = false;
    const canImport = Boolean(thread.import && thread.export);
    const report = (error: unknown) => this.conversation.reportError(error);
    const check = () => {
      if (stopped) return;
      let state: ReturnType<ObservableThread['getState']>;
      try {
        state = thread.getState();
      } catch {
        return; // assistant-ui's placeholder thread, before the runtime is mounted
      }
      const { messages, isRunning } = state;
      const last = messages[messages.length - 1];
      if (last?.role === 'assistant' && last.status?.type === 'running') {
        this.writes.feed(last, messages[messages.length - 2]?.id ?? null);
      }
      if (isRunning) return;
      if (this.refreshLater && canImport) {
        this.refreshLater = false;
        this.writes.serial(() => this.refresh(thread)).catch(report);
      }
      if (!last || last.id === lastHead) return;
      lastHead = last.id;
      this.writes.syncSelection(last.id).catch(report);
    };
    const unsubscribe = thread.subscribe(check);
    const unwatch = canImport ? this.watchStore(thread) : () => {};
    check();
    return () => {
      stopped = true;
      this.observing = false;
      unsubscribe();
      unwatch();
    };
  }

  /**
   * Follow the store (any tab's writes): when the conversation gains messages this thread does
   * not show, and the thread is idle, load them into it (on the stored branch). The watch reads
   * one row, the head segment's, which every counted write changes.
   */
  private watchStore(thread: ObservableThread): () => void {
    const store = this.conversation.store();
    let last: string | null | undefined;
    return store.watch(
      async () => {
        const id = this.conversation.id;
        const head = id === undefined ? undefined : await store.getHead(id);
        return head ? `${head.id}:${head.totals.events}:${head.updatedAt}` : null;
      },
      {
        next: (stamp) => {
          const first = last === undefined;
          if (stamp === last) return;
          last = stamp;
          if (first || stamp === null) return;
          this.writes
            .serial(() => this.refresh(thread))
            .catch((error) => this.conversation.reportError(error));
        },
        error: (error) => this.conversation.reportError(error),
      },
    );
  }

  /** Show messages stored by another writer, when every message shown is stored and none is running. */
  private async refresh(thread: ObservableThread): Promise<void> {
    const idle = () => {
      try {
        return !thread.getState().isRunning && !this.writes.streaming;
      } catch {
        return false;
      }
    };
    // Busy: look again once the thread is idle (observe's check).
    const later = () => {
      this.refreshLater = true;
    };
    if (!idle()) return later();
    const manager = await this.conversation.managerFor(false);
    if (!manager) return;
    const { tree } = await this.writes.snapshot.read(manager, true);
    if (!idle()) return later();
    const shown = thread.export!().messages;
    // A message this tab is deleting shows until the runtime drops it, right after the delete:
    // an import first would drop it under the runtime, whose own removal would then fail.
    if (shown.some((m) => this.writes.deleting.has(m.message.id))) return later();
    // A message shown but not stored yet (its write is on its way) would be lost: wait for it.
    // One deleted (in another tab) is not on its way: the import drops it.
    if (!shown.every((m) => tree.nodes.has(m.message.id) || tree.deleted.has(m.message.id))) return;
    const stored = repositoryOf(tree);
    // The same messages need no import, which would also move the thread to the stored branch.
    if (signatureOf(shown) === signatureOf(stored.messages)) return;
    thread.import!(stored);
  }
}
