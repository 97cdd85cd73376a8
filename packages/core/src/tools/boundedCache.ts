import { assertPositiveInteger } from '../domain/validate.ts';

/** A least-recently-used map that holds at most `maxEntries`: the oldest-used entry goes first. */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  readonly maxEntries: number;
  constructor(maxEntries: number) {
    assertPositiveInteger(maxEntries, 'maxEntries');
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The value, marking it as just used. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    // Map keeps insertion order: re-inserting moves the key to the newest end.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
