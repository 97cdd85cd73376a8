// What a storage benchmark needs from its environment: Chromium's IndexedDB or fake-indexeddb.
import type { ResultRow } from './stats';

export interface StorageEnv {
  env: ResultRow['env'];
  indexedDB: IDBFactory;
  IDBKeyRange: typeof IDBKeyRange;
  now: () => number;
}

/** Database names unique per run, so a benchmark never opens what an earlier one left. */
export function dbName(prefix: string): string {
  return `bench-${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
