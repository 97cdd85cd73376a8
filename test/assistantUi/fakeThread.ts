import type { ObservableThread } from '@ai-session-manager/assistant-ui';
import type { ExportedMessageRepository, ThreadMessage } from '@assistant-ui/react';

/**
 * What `observe` needs of a thread, without React: the repository as assistant-ui's runtime
 * keeps it (export/import), the messages of the selected branch, never running.
 */
export function fakeThread(initial: ExportedMessageRepository) {
  let repository = initial;
  const listeners = new Set<() => void>();
  const thread = {
    imports: 0,
    subscribe(callback: () => void) {
      listeners.add(callback);
      return () => {
        listeners.delete(callback);
      };
    },
    getState: () => ({ messages: branch(repository), isRunning: false }),
    export: () => repository,
    import(next: ExportedMessageRepository) {
      repository = next;
      thread.imports += 1;
      for (const listener of listeners) listener();
    },
    /** The user picks another branch (BranchPicker): the thread shows the one ending at `headId`. */
    select(headId: string) {
      repository = { ...repository, headId };
      for (const listener of listeners) listener();
    },
    /** What the runtime does once history.delete resolved: drop the message, its children move up (it must still be there). */
    remove(id: string) {
      const gone = repository.messages.find((m) => m.message.id === id);
      if (!gone) throw new Error('MessageRepository(deleteMessage): Message not found.');
      repository = {
        headId: repository.headId === id ? gone.parentId : repository.headId,
        messages: repository.messages
          .filter((m) => m !== gone)
          .map((m) => (m.parentId === id ? { ...m, parentId: gone.parentId } : m)),
      };
      for (const listener of listeners) listener();
    },
  } satisfies ObservableThread & { imports: number; select(headId: string): void; remove(id: string): void };
  return thread;
}

/** The messages from the first one down to the head. */
function branch(repository: ExportedMessageRepository): ThreadMessage[] {
  const byId = new Map(repository.messages.map((m) => [m.message.id, m]));
  const path: ThreadMessage[] = [];
  for (let at = repository.headId ?? null; at !== null; ) {
    const entry = byId.get(at);
    if (!entry) break;
    path.unshift(entry.message);
    at = entry.parentId;
  }
  return path;
}
