// Benchmark 4: `getMessagesForLLM({ maxTokens })` and `getStats()` must cost the same whether
// the conversation holds 1,000 or 100,000 events. Segments grow with history as they do with the
// default thresholds (maxTurnsPerSegment 20): 1,000 events are 50 segments, 100,000 are 5,000.
import { DexieSessionStore, loadTokenizer, SessionManager } from '@ai-session-manager/core';
import { synthesizeChain } from './chain';
import { formatCount, interleave, median, p95, pairedRatio, type ResultRow } from './stats';
import { dbName, type StorageEnv } from './storageEnv';

export interface QueryBenchOptions {
  /** Two sizes: the small one is the baseline of the large one. */
  sizes: readonly [number, number];
  /** Events per segment (default thresholds: 20); segments = events / this. */
  eventsPerSegment: number;
  iterations: number;
  warmup: number;
  maxTokens: number;
  texts: readonly string[];
  tokens: readonly number[];
  /** Also run with this many events in the head segment at both sizes (same messages returned). */
  sameHeadEvents?: number;
  /** Progress lines (seeding 100,000 events takes a while). */
  log?: (line: string) => void;
}

const MODEL = 'gpt-4o';
// Segments imported per transaction: bounded, so seeding never holds one huge transaction.
const SEGMENTS_PER_IMPORT = 10;

async function seed(env: StorageEnv, size: number, options: QueryBenchOptions, headEvents?: number) {
  const chain = synthesizeChain({
    events: size,
    segments: Math.max(2, Math.round(size / options.eventsPerSegment)),
    texts: options.texts,
    tokens: options.tokens,
    model: MODEL,
    systemPrompt: 'You are a helpful assistant.',
    ...(headEvents === undefined ? {} : { headEvents }),
  });
  const store = new DexieSessionStore({
    name: dbName('query'),
    indexedDB: env.indexedDB,
    IDBKeyRange: env.IDBKeyRange,
  });
  const started = env.now();
  for (let k = 0; k < chain.sessions.length; k += SEGMENTS_PER_IMPORT) {
    await store.importRecords(
      chain.sessions.slice(k, k + SEGMENTS_PER_IMPORT),
      chain.events.slice(k, k + SEGMENTS_PER_IMPORT).flat(),
    );
  }
  options.log?.(`seeded ${formatCount(size)} events in ${((env.now() - started) / 1000).toFixed(1)} s`);
  const manager = await SessionManager.open(chain.rootId, {
    store,
    infiniteContext: true,
    defaultModel: MODEL,
  });
  return { store, manager };
}

export async function runQueryBench(env: StorageEnv, options: QueryBenchOptions): Promise<ResultRow[]> {
  await loadTokenizer(MODEL);
  const rows = await compareSizes(env, options);
  if (options.sameHeadEvents !== undefined)
    rows.push(...(await compareSizes(env, options, options.sameHeadEvents)));
  return rows;
}

/**
 * Paired timings at both sizes. With equal segments, the small conversation's head holds only
 * sizes[0] / segments events, so the budget is not filled and fewer messages come back;
 * `headEvents` gives both heads the same events, isolating the effect of stored history.
 */
async function compareSizes(
  env: StorageEnv,
  options: QueryBenchOptions,
  headEvents?: number,
): Promise<ResultRow[]> {
  const [small, large] = options.sizes;
  const a = await seed(env, small, options, headEvents);
  const b = await seed(env, large, options, headEvents);
  const llm = (m: SessionManager) => () => m.getMessagesForLLM({ maxTokens: options.maxTokens });
  const stats = (m: SessionManager) => () => m.getStats();
  const allStats = (m: SessionManager) => () => m.getStats({ includeAllSegments: true });
  const fns = [llm(a.manager), llm(b.manager), stats(a.manager), stats(b.manager), allStats(a.manager), allStats(b.manager)];

  await interleave(fns, options.warmup, env.now);
  const [llmA, llmB, statsA, statsB, allA, allB] = await interleave(fns, options.iterations, env.now);
  const returnedA = (await a.manager.getMessagesForLLM({ maxTokens: options.maxTokens })).length;
  const returnedB = (await b.manager.getMessagesForLLM({ maxTokens: options.maxTokens })).length;
  const statsCheck = await b.manager.getStats();
  const segmentsA = (await a.manager.getStats()).sessionSegments;
  const segmentsB = statsCheck.sessionSegments;
  if (statsCheck.totalEvents !== large || segmentsB !== Math.max(2, Math.round(large / options.eventsPerSegment))) {
    throw new Error(`query bench: stats read ${statsCheck.totalEvents} events, expected ${large}`);
  }
  await Promise.all([a.store.destroy(), b.store.destroy()]);

  const layout = `, ${formatCount(segmentsB)} segments${headEvents === undefined ? '' : `, head segment ${formatCount(headEvents)}`}`;
  const row = (name: string, subject: number[], baseline: number[], note: string): ResultRow => {
    const ratio = pairedRatio(subject, baseline);
    return {
      bench: '4 reads vs history',
      subject: `${name} @ ${formatCount(large)} events${layout}`,
      env: env.env,
      unit: 'ms',
      median: median(subject),
      p95: p95(subject),
      baseline: `same @ ${formatCount(small)} events, ${formatCount(segmentsA)} segments`,
      baselineMedian: median(baseline),
      baselineP95: p95(baseline),
      ratio,
      target: '≤ 1.2×',
      met: ratio <= 1.2,
      note,
    };
  };
  return [
    row(
      `getMessagesForLLM(${formatCount(options.maxTokens)})`,
      llmB!,
      llmA!,
      `returns ${returnedB} vs ${returnedA} messages`,
    ),
    row('getStats()', statsB!, statsA!, 'infiniteContext: true, so all segments'),
    row('getStats({ includeAllSegments: true })', allB!, allA!, 'head + root rows, chain ids read once'),
  ];
}
