/** The origin's storage use as the browser reports it (bytes), and whether it is persistent. */
export interface StorageEstimate {
  usage: number;
  quota: number;
  persisted: boolean;
}

/**
 * `navigator.storage.estimate()` and `persisted()`, to warn before writes hit the quota.
 * Null where the API is missing (Node, old browsers, some private modes) or fails; never throws.
 */
export async function getStorageEstimate(): Promise<StorageEstimate | null> {
  try {
    const storage = navigator.storage;
    const { usage = 0, quota = 0 } = await storage.estimate();
    return { usage, quota, persisted: (await storage.persisted?.().catch(() => false)) === true };
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
