// Benchmarks 1 and 2: the cost of one append (`userSays`) against a bare Dexie add and against
// the "whole transcript in one record" pattern, with 100 to 10,000 messages already stored.
import {
  countTokens,
  DexieSessionStore,
  estimateCost,
  loadTokenizer,
  MemorySessionStore,
  SessionManager,
} from '@ai-session-manager/core';
import { Dexie, type Table } from 'dexie';
import { appendShapeRows } from './appendShapes';
import { synthesizeChain } from './chain';
import { formatCount, interleave, median, p95, pairedRatio, type ResultRow } from './stats';
import { dbName, type StorageEnv } from './storageEnv';

export interface AppendBenchOptions {
  sizes: readonly number[];
  iterations: number;
  warmup: number;
  texts: readonly string[];
  tokens: readonly number[];
}

const MODEL = 'gpt-4o-mini';

/** The same row shape and indexes our events table has, so the baseline differs only in logic. */
class BareDatabase extends Dexie {
  events!: Table<Record<string, unknown>, string>;
  /** A segment row with the sessions table's indexes (schema v3), for the floor diagnostics. */
  heads!: Table<Record<string, unknown>, string>;
  /** The same row without secondary indexes. */
  plainHeads!: Table<Record<string, unknown>, string>;
  constructor(name: string, env: StorageEnv) {
    super(name, { indexedDB: env.indexedDB, IDBKeyRange: env.IDBKeyRange });
    this.version(1).stores({
      events: 'id, &[sessionId+seq], taskId',
      heads: 'id, parentId, rootId, updatedAt, [rootId+segmentIndex], [headAt+rootId]',
      plainHeads: 'id',
    });
  }
}

interface ThreadMessage {
  id: string;
  role: string;
  content: string;
  createdAt: string;
}

/** How zustand-persist or blob-adapter chat apps store a thread: one record, rewritten whole. */
class WholeThreadDatabase extends Dexie {
  threads!: Table<{ id: string; messages: ThreadMessage[] }, string>;
  constructor(name: string, env: StorageEnv) {
    super(name, { indexedDB: env.indexedDB, IDBKeyRange: env.IDBKeyRange });
    this.version(1).stores({ threads: 'id' });
  }
}

export async function runAppendBench(env: StorageEnv, options: AppendBenchOptions): Promise<ResultRow[]> {
  const { texts, tokens } = options;
  // Ranks and the price catalog load once per page; that is measured by benchmark 5, not here.
  await loadTokenizer(MODEL);
  const rows: ResultRow[] = [];
  const oursBySize = new Map<number, number>();
  const bareBySize = new Map<number, number>();

  for (const size of options.sizes) {
    const chain = synthesizeChain({ events: size, segments: 1, texts, tokens, model: MODEL });
    const seeded = chain.events[0]!;

    const store = new DexieSessionStore({
      name: dbName('ours'),
      indexedDB: env.indexedDB,
      IDBKeyRange: env.IDBKeyRange,
    });
    await store.importRecords(chain.sessions, seeded);
    const manager = await SessionManager.open(chain.rootId, { store, defaultModel: MODEL });

    const bare = new BareDatabase(dbName('bare'), env);
    await bare.events.bulkAdd(seeded as unknown as Record<string, unknown>[]);
    let bareSeq = size;

    const whole = new WholeThreadDatabase(dbName('whole'), env);
    const threadId = 'thread';
    await whole.threads.put({
      id: threadId,
      messages: seeded.map((e) => ({
        id: e.id,
        role: e.source === 'user' ? 'user' : 'assistant',
        content: String(e.message),
        createdAt: e.timestamp,
      })),
    });

    let step = 0;
    const nextText = () => texts[step++ % texts.length]!;
    const ours = () => manager.userSays(nextText());
    const bareAdd = () => {
      const text = nextText();
      const row = {
        id: crypto.randomUUID(),
        sessionId: chain.rootId,
        seq: bareSeq++,
        timestamp: new Date().toISOString(),
        source: 'user',
        type: 'message',
        message: text,
        metadata: {},
        tokenUsage: seeded[0]!.tokenUsage,
      };
      return bare.transaction('rw', bare.events, () => bare.events.add(row));
    };
    const wholeAppend = () => {
      const message = {
        id: crypto.randomUUID(),
        role: 'user',
        content: nextText(),
        createdAt: new Date().toISOString(),
      };
      return whole.transaction('rw', whole.threads, async () => {
        const thread = (await whole.threads.get(threadId))!;
        thread.messages.push(message);
        await whole.threads.put(thread);
      });
    };

    // Each comparison is its own interleaved pair: rewriting a multi-megabyte record between
    // samples disturbs the database engine (compaction, GC) for whatever runs next, so the
    // whole-record baseline must not sit in the same rotation as the bare-add pair.
    await interleave([ours, bareAdd, wholeAppend], options.warmup, env.now);
    const [oursT, bareT] = await interleave([ours, bareAdd], options.iterations, env.now);
    const [oursVsWholeT, wholeT] = await interleave([ours, wholeAppend], options.iterations, env.now);
    oursBySize.set(size, median(oursT!));
    bareBySize.set(size, median(bareT!));

    // Diagnostic: the store's append transaction alone, without the manager around it. It runs
    // after the manager is done: a second writer moves the head under the manager's cached
    // copy and would send every userSays down the full-read path.
    let storeHead = (await store.getHead(chain.rootId))!;
    const storeAppend = async () => {
      const result = await store.appendEvent(
        storeHead.id,
        {
          id: crypto.randomUUID(),
          timestamp: new Date().toISOString(),
          source: 'user',
          type: 'message',
          message: nextText(),
          metadata: {},
          tokenUsage: seeded[0]!.tokenUsage!,
        },
        { expectedHead: storeHead },
      );
      storeHead = result.head;
    };
    const [storeT, bareT2] = await interleave([storeAppend, bareAdd], options.iterations, env.now);

    // Floor diagnostics: an event add plus a put of a head-shaped row in one transaction (what
    // "running totals in the same transaction" costs at least), with the sessions table's
    // indexes and without any; and the JSON.stringify comparison of the head row.
    const headRow = { ...storeHead, id: chain.rootId } as unknown as Record<string, unknown>;
    await bare.heads.put(headRow);
    await bare.plainHeads.put(headRow);
    let n = 0;
    const addAndPut = (table: Table<Record<string, unknown>, string>) => () => {
      const row = {
        id: crypto.randomUUID(),
        sessionId: chain.rootId,
        seq: bareSeq++,
        timestamp: new Date().toISOString(),
        source: 'user',
        type: 'message',
        message: nextText(),
        metadata: {},
        tokenUsage: seeded[0]!.tokenUsage,
      };
      const head = { ...headRow, updatedAt: row.timestamp, headAt: row.timestamp, n: n++ };
      return bare.transaction('rw', [bare.events, table], () =>
        Promise.all([table.get(chain.rootId), bare.events.add(row), table.put(head)]),
      );
    };
    const [indexedT, plainT, bareT3] = await interleave(
      [addAndPut(bare.heads), addAndPut(bare.plainHeads), bareAdd],
      options.iterations,
      env.now,
    );
    // The manager's own cost: userSays on the in-memory store (no IndexedDB at all).
    const memory = new MemorySessionStore();
    await memory.importRecords(chain.sessions, seeded);
    const inMemory = await SessionManager.open(chain.rootId, { store: memory, defaultModel: MODEL });
    const [memoryT] = await interleave([() => inMemory.userSays(nextText())], options.iterations, env.now);
    const copy = structuredClone(storeHead);
    const [stringifyT] = await interleave(
      [async () => JSON.stringify(copy) === JSON.stringify(storeHead)],
      options.iterations,
      env.now,
    );
    const diag = (subject: string, t: number[], base: number[] | undefined, note: string): ResultRow => ({
      bench: '1 append vs bare add',
      subject: `${subject} @ ${formatCount(size)} prior`,
      env: env.env,
      unit: 'ms',
      median: median(t),
      p95: p95(t),
      ...(base
        ? {
            baseline: 'bare Dexie add txn',
            baselineMedian: median(base),
            baselineP95: p95(base),
            ratio: pairedRatio(t, base),
          }
        : {}),
      note,
    });
    // Breakdown in one rotation: userSays, toolUsed (no token count, no cost) on the same
    // manager, the store's append on a second conversation of the same size in the same
    // database (so the manager's cached head stays valid), and the bare add.
    const other = synthesizeChain({ events: size, segments: 1, texts, tokens, model: MODEL });
    await store.importRecords(other.sessions, other.events[0]!);
    let otherHead = (await store.getHead(other.rootId))!;
    const otherAppend = async () => {
      const result = await store.appendEvent(
        otherHead.id,
        {
          id: crypto.randomUUID(),
          timestamp: new Date().toISOString(),
          source: 'user',
          type: 'message',
          message: nextText(),
          metadata: {},
          tokenUsage: seeded[0]!.tokenUsage!,
        },
        { expectedHead: otherHead },
      );
      otherHead = result.head;
    };
    const fresh = await SessionManager.open(chain.rootId, { store, defaultModel: MODEL });
    const countThenTool = async () => {
      const text = nextText();
      const n = await countTokens(text, MODEL);
      await estimateCost({ model: MODEL, promptTokens: n, completionTokens: 0 });
      await fresh.toolUsed('lookup', { n: step }, { ok: true });
    };
    const countOnlyThenTool = async () => {
      await countTokens(nextText(), MODEL);
      await fresh.toolUsed('lookup', { n: step }, { ok: true });
    };
    const costOnlyThenTool = async () => {
      await estimateCost({ model: MODEL, promptTokens: 100 + step, completionTokens: 0 });
      await fresh.toolUsed('lookup', { n: step }, { ok: true });
    };
    const [saysT, toolT, appendT, bareT4, countToolT, countOnlyT, costOnlyT] = await interleave(
      [
        () => fresh.userSays(nextText()),
        () => fresh.toolUsed('lookup', { n: step }, { ok: true }),
        otherAppend,
        bareAdd,
        countThenTool,
        countOnlyThenTool,
        costOnlyThenTool,
      ],
      options.iterations,
      env.now,
    );
    const floorRows = [
      diag('breakdown: userSays', saysT!, bareT4!, 'one rotation with the three rows below'),
      diag('breakdown: toolUsed (no token count, no cost)', toolT!, bareT4!, 'same manager, same rotation'),
      diag(
        'breakdown: store.appendEvent',
        appendT!,
        bareT4!,
        'second conversation in the same database, same rotation',
      ),
      diag('breakdown: countTokens + estimateCost, then toolUsed', countToolT!, bareT4!, 'same rotation'),
      diag('breakdown: countTokens, then toolUsed', countOnlyT!, bareT4!, 'same rotation'),
      diag('breakdown: estimateCost, then toolUsed', costOnlyT!, bareT4!, 'same rotation'),
      diag(
        'add + get/put head row (sessions indexes)',
        indexedT!,
        bareT3!,
        'floor diagnostic: our transaction shape with no library code',
      ),
      diag(
        'add + get/put head row (no indexes)',
        plainT!,
        bareT3!,
        'floor diagnostic: the same without the 5 secondary indexes',
      ),
      diag(
        'JSON.stringify head comparison',
        stringifyT!,
        undefined,
        'part of store.appendEvent (diagnostic)',
      ),
      diag(
        'userSays on MemorySessionStore',
        memoryT!,
        undefined,
        'the manager and an in-memory store, no IndexedDB (diagnostic)',
      ),
    ];

    const ratio = pairedRatio(oursT!, bareT!);
    rows.push({
      bench: '1 append vs bare add',
      subject: `userSays @ ${formatCount(size)} prior`,
      env: env.env,
      unit: 'ms',
      median: median(oursT!),
      p95: p95(oursT!),
      baseline: 'bare Dexie add txn',
      baselineMedian: median(bareT!),
      baselineP95: p95(bareT!),
      ratio,
      target: '≤ 1.3×',
      met: ratio <= 1.3,
    });
    rows.push({
      bench: '1 append vs bare add',
      subject: `store.appendEvent @ ${formatCount(size)} prior`,
      env: env.env,
      unit: 'ms',
      median: median(storeT!),
      p95: p95(storeT!),
      baseline: 'bare Dexie add txn',
      baselineMedian: median(bareT2!),
      baselineP95: p95(bareT2!),
      ratio: pairedRatio(storeT!, bareT2!),
      note: 'diagnostic: the store transaction without SessionManager (paired with its own bare adds)',
    });
    rows.push(...floorRows);
    rows.push(
      ...(await appendShapeRows(env, {
        size,
        iterations: options.iterations,
        seeded: seeded as unknown as Record<string, unknown>[],
        head: headRow,
        nextText,
        manager: fresh,
      })),
    );
    const speedup = pairedRatio(wholeT!, oursVsWholeT!);
    rows.push({
      bench: '2 append vs whole record',
      subject: `userSays @ ${formatCount(size)} prior`,
      env: env.env,
      unit: 'ms',
      median: median(oursVsWholeT!),
      p95: p95(oursVsWholeT!),
      baseline: 'whole thread in one record',
      baselineMedian: median(wholeT!),
      baselineP95: p95(wholeT!),
      ratio: speedup,
      ...(size >= 10_000 ? { target: '≥ 20× faster', met: speedup >= 20 } : {}),
      note: 'ratio = record / ours (speed-up)',
    });

    await Promise.all([store.destroy(), bare.delete(), whole.delete()]);
  }

  // Flatness: growth of the median from the smallest to the largest history, ours and baseline.
  const smallest = options.sizes[0]!;
  const largest = options.sizes.at(-1)!;
  if (largest > smallest) {
    const growth = oursBySize.get(largest)! / oursBySize.get(smallest)!;
    const bareGrowth = bareBySize.get(largest)! / bareBySize.get(smallest)!;
    rows.push({
      bench: '1 append vs bare add',
      subject: `userSays growth ${formatCount(smallest)} → ${formatCount(largest)}`,
      env: env.env,
      unit: '×',
      median: growth,
      p95: Number.NaN,
      baseline: 'bare add growth',
      baselineMedian: bareGrowth,
      target: 'flat (≤ 1.2×)',
      met: growth <= 1.2,
      note: 'median at largest / median at smallest',
    });
  }
  rows.push(...(await userSaysParts(env, options)));
  return rows;
}

/** The CPU parts of `userSays` outside the transaction, to tell where time goes beyond IndexedDB. */
async function userSaysParts(env: StorageEnv, options: AppendBenchOptions): Promise<ResultRow[]> {
  const n = Math.min(options.iterations * 2, options.texts.length);
  const texts = options.texts.slice(0, n);
  let i = 0;
  const [countT, costT] = await interleave(
    [
      () => countTokens(texts[i % n]!, MODEL),
      () => estimateCost({ model: MODEL, promptTokens: 100 + (i++ % n), completionTokens: 0 }),
    ],
    n,
    env.now,
  );
  // The same count on texts this page has not counted yet, as userSays meets them (the piece
  // cache is cold for most of their pieces).
  const all = options.texts;
  let k = 0;
  const [coldT] = await interleave([() => countTokens(`${all[k++ % all.length]!} ${k}`, MODEL)], n, env.now);
  const part = (subject: string, t: number[]): ResultRow => ({
    bench: '1 append vs bare add',
    subject,
    env: env.env,
    unit: 'ms',
    median: median(t),
    p95: p95(t),
    note: 'part of userSays (diagnostic)',
  });
  return [
    part(`countTokens (${MODEL}, warm)`, countT!),
    part(`countTokens (${MODEL}, texts not counted before)`, coldT!),
    part(`estimateCost (${MODEL}, warm)`, costT!),
  ];
}
