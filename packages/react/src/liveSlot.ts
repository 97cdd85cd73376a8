/** Where a live feed keeps its slice in the zustand store: set it, and update it while it is there. */
export interface Slot<T> {
  /** Put the first value in place (the feed starts). */
  init(value: T): void;
  /** Replace the slice with `fn(prev)`; a no-op once the slice is gone or when `fn` returns `prev`. */
  update(fn: (prev: T) => T): void;
  /** The slice now, if present. */
  get(): T | undefined;
  /** False once the feed was released (or replaced by a newer one for the same key). */
  isCurrent(): boolean;
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
