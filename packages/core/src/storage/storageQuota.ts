import type { SessionStore } from './sessionStore.ts';

/** The origin's storage use as the browser reports it (bytes), and whether it is persistent. */
export interface StorageEstimate {
  usage: number;
  quota: number;
  persisted: boolean;
  /** Of `usage`, the files the store keeps as Blobs (each counted once), when a store was given. */
  attachments?: { count: number; bytes: number };
}

/**
 * `navigator.storage.estimate()` and `persisted()`, to warn before writes hit the quota; with
 * `store`, also what its attachments take. Null where the API is missing (Node, old browsers,
 * some private modes) or fails; never throws.
 */
export async function getStorageEstimate(
  options: { store?: Pick<SessionStore, 'attachmentUsage'> } = {},
): Promise<StorageEstimate | null> {
  try {
    const storage = navigator.storage;
    const { usage = 0, quota = 0 } = await storage.estimate();
    const estimate: StorageEstimate = {
      usage,
      quota,
      persisted: (await storage.persisted?.().catch(() => false)) === true,
    };
    const attachments = await options.store?.attachmentUsage?.().catch(() => undefined);
    if (attachments) estimate.attachments = attachments;
    return estimate;
  } catch {
    return null;
  }
}

/** Ask the browser not to evict this origin's data (`navigator.storage.persist()`); false where refused or missing. */
export async function requestPersistentStorage(): Promise<boolean> {
  try {
    return (await navigator.storage.persist()) === true;
  } catch {
    return false;
  }
}
