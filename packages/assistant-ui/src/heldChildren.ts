// assistant-ui's runtime may append a child before its parent (it does not await one append
// before the next): such a child is held, in this thread only, until its parent is stored,
// then written under it. A parent that never comes is reported after a while; nothing of the
// child is written then.
import { InvalidInputError } from '@ai-session-manager/core';
import type { ExportedMessageRepositoryItem } from '@assistant-ui/react';

/** How long a child waits for its parent before it is given up (and reported). */
export const HOLD_MS = 10_000;

export class HeldChildren {
  private readonly byParent = new Map<string, ExportedMessageRepositoryItem[]>();

  constructor(private readonly giveUp: (item: ExportedMessageRepositoryItem) => void) {}

  /** Keep `item` until its parent (`item.parentId`) is stored. */
  hold(item: ExportedMessageRepositoryItem): void {
    const parentId = item.parentId!;
    const list = this.byParent.get(parentId) ?? [];
    list.push(item);
    this.byParent.set(parentId, list);
    setTimeout(() => {
      const waiting = this.byParent.get(parentId);
      if (!waiting?.includes(item)) return;
      waiting.splice(waiting.indexOf(item), 1);
      if (waiting.length === 0) this.byParent.delete(parentId);
      this.giveUp(item);
    }, HOLD_MS);
  }

  /** The children waiting for message `parentId`, now free to be written (removed from here). */
  release(parentId: string): ExportedMessageRepositoryItem[] {
    const list = this.byParent.get(parentId) ?? [];
    this.byParent.delete(parentId);
    return list;
  }
}

/** The error of a message whose parent is not stored (nothing of it is written). */
export function parentNotStored(id: string, parentId: string): InvalidInputError {
  return new InvalidInputError(
    `The parent ${parentId} of message ${id} is not stored in this thread; nothing was written.`,
  );
}

/** An item as the runtime passes it: { message, parentId }. */
export function checkItem(item: ExportedMessageRepositoryItem): void {
  if (!item || typeof item !== 'object' || !item.message) {
    throw new InvalidInputError('item must be { message, parentId } (an ExportedMessageRepositoryItem).');
  }
  if (item.parentId === undefined) throw new InvalidInputError('item.parentId must be a message id or null.');
}
