// Benchmark 1, transaction shapes: what an append costs by the requests it makes, with no library
// code, against a bare add in the same rotation; and how many IndexedDB requests `userSays`
// really issues. This is the floor each append design can reach (issue 19: "an append that needs
// no read").
import type { SessionManager } from '@ai-session-manager/core';
import { Dexie, type Table } from 'dexie';
import { formatCount, interleave, median, p95, pairedRatio, type ResultRow } from './stats';
import { dbName, type StorageEnv } from './storageEnv';

type Row = Record<string, unknown>;

class ShapesDatabase extends Dexie {
  events!: Table<Row, string>;
  /** A segment row with the sessions table's indexes (schema v3). */
  heads!: Table<Row, string>;
  /** A row of running totals only, with the one index a conversation list needs. */
  counters!: Table<Row, string>;
  constructor(name: string, env: StorageEnv) {
    super(name, { indexedDB: env.indexedDB, IDBKeyRange: env.IDBKeyRange });
    this.version(1).stores({
      events: 'id, &[sessionId+seq], taskId',
      heads: 'id, parentId, rootId, updatedAt, [rootId+segmentIndex], [headAt+rootId]',
      counters: 'sessionId, [headAt+rootId]',
    });
  }
}

const REQUESTS = [
  [
    globalThis.IDBObjectStore?.prototype,
    ['add', 'put', 'get', 'getAll', 'getAllKeys', 'delete', 'openCursor', 'count'],
  ],
  [globalThis.IDBIndex?.prototype, ['get', 'getAll', 'getAllKeys', 'openCursor', 'openKeyCursor', 'count']],
] as const;

/**
 * IndexedDB requests `run` issues, by kind ("get", "add", …), counted on the browser's own
 * IDBObjectStore and IDBIndex methods. undefined where IndexedDB is not the browser's.
 */
export async function countRequests(
  run: () => Promise<unknown>,
): Promise<Record<string, number> | undefined> {
  if (!REQUESTS[0][0] || !REQUESTS[1][0]) return undefined;
  const counts: Record<string, number> = {};
  const restore: (() => void)[] = [];
  for (const [proto, names] of REQUESTS) {
    const target = proto as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of names) {
      const original = target[name]!;
      target[name] = function (this: unknown, ...args: unknown[]) {
        counts[name] = (counts[name] ?? 0) + 1;
        return original.apply(this, args);
      };
      restore.push(() => {
        target[name] = original;
      });
    }
  }
  try {
    await run();
  } finally {
    for (const undo of restore) undo();
  }
  return counts;
}

export const requestShape = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${n} ${name}`)
    .join(' + ');

interface ShapeOptions {
  size: number;
  iterations: number;
  seeded: readonly Row[];
  head: Row;
  nextText: () => string;
  /** A manager on our Dexie store, to count what one userSays issues. */
  manager: SessionManager;
}

/** The append shapes at one history size, each paired with a bare add in one rotation. */
export async function appendShapeRows(env: StorageEnv, options: ShapeOptions): Promise<ResultRow[]> {
  const { size, seeded, nextText } = options;
  const db = new ShapesDatabase(dbName('shapes'), env);
  const sessionId = String(seeded[0]!.sessionId);
  await db.events.bulkAdd(seeded.map((e) => ({ ...e })));
  const head: Row = { ...options.head, id: sessionId };
  await db.heads.put(head);
  await db.counters.put({ sessionId, rootId: sessionId, totals: head.totals, headAt: head.headAt });
  let seq = size;
  const event = (): Row => ({
    id: crypto.randomUUID(),
    sessionId,
    seq: seq++,
    timestamp: new Date().toISOString(),
    source: 'user',
    type: 'message',
    message: nextText(),
    metadata: {},
    tokenUsage: seeded[0]!.tokenUsage,
  });
  const bare = () => db.transaction('rw', db.events, () => db.events.add(event()));
  const withTable = (table: Table<Row, string>, read: boolean) => () => {
    const row = event();
    const at = String(row.timestamp);
    const next =
      table === db.heads
        ? { ...head, updatedAt: at, headAt: at, n: row.seq }
        : { sessionId, rootId: sessionId, totals: head.totals, headAt: at, n: row.seq };
    return db.transaction('rw', [db.events, table], () =>
      Promise.all([...(read ? [table.get(sessionId)] : []), db.events.add(row), table.put(next)]),
    );
  };
  const [bareT, currentT, blindHeadT, blindCountersT] = await interleave(
    [bare, withTable(db.heads, true), withTable(db.heads, false), withTable(db.counters, false)],
    options.iterations,
    env.now,
  );
  const counted = await countRequests(() => options.manager.userSays(nextText()));
  await db.delete();
  const row = (subject: string, t: number[], note: string): ResultRow => ({
    bench: '1 append vs bare add',
    subject: `shape: ${subject} @ ${formatCount(size)} prior`,
    env: env.env,
    unit: 'ms',
    median: median(t),
    p95: p95(t),
    baseline: 'bare Dexie add txn',
    baselineMedian: median(bareT!),
    baselineP95: p95(bareT!),
    ratio: pairedRatio(t, bareT!),
    note,
  });
  return [
    row(
      'get + add + put head row',
      currentT!,
      'the shape store.appendEvent has today (3 requests, one read)',
    ),
    row('add + put head row, no read', blindHeadT!, 'a blind write of the whole head row (2 requests)'),
    row(
      'add + put totals row, no read',
      blindCountersT!,
      'a blind write of a small totals row with one index (2 requests)',
    ),
    {
      bench: '1 append vs bare add',
      subject: `requests per userSays @ ${formatCount(size)} prior`,
      env: env.env,
      unit: 'requests',
      median: counted ? Object.values(counted).reduce((a, b) => a + b, 0) : Number.NaN,
      p95: Number.NaN,
      note: counted ? requestShape(counted) : 'not counted (IndexedDB is not the browser’s)',
    },
  ];
}
