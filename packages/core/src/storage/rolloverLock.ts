/** The part of the Web Locks API (`navigator.locks`) that rollovers use. */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The lock manager to use: the one passed (null: none), else the browser's when it has one. */
export function lockManager(passed: LockManagerLike | null | undefined): LockManagerLike | undefined {
  if (passed !== undefined) return passed ?? undefined;
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return typeof locks?.request === 'function' ? locks : undefined;
}
