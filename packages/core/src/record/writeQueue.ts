/**
 * Writes run one at a time, in the order they were asked for: a library hands over its list on
 * every change, and two writes of one conversation racing would interleave their events.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Run `write` after every write asked for before it; a failure does not stop those after. */
  run<T>(write: () => Promise<T> | T): Promise<T> {
    const done = this.tail.then(write);
    this.tail = done.catch(() => undefined);
    return done;
  }

  /**
   * As run, resolving to the write's error instead of rejecting (undefined when it succeeded):
   * `onError` hears it first.
   */
  settle(write: () => Promise<unknown> | unknown, onError?: (error: unknown) => void): Promise<unknown> {
    return this.run(async () => {
      try {
        await write();
        return undefined;
      } catch (error) {
        onError?.(error);
        return error;
      }
    });
  }

  /** Resolves once every write asked for so far has settled. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
