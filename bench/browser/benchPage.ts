// In-page entry for the Chromium benchmarks: real IndexedDB, driven from bench/run.mjs through
// `page.evaluate(() => window.bench.…)`. Data comes from data.json, written by run.mjs.
import { runAppendBench, type AppendBenchOptions } from '../lib/appendBench';
import { tokenCounts } from '../lib/chain';
import { runQueryBench, type QueryBenchOptions } from '../lib/queryBench';
import type { ResultRow } from '../lib/stats';
import type { StorageEnv } from '../lib/storageEnv';
import { runTokenBench } from '../lib/tokenBench';

interface BenchData {
  corpus: string;
  messages: string[];
}

type Sizes<T> = Omit<T, 'texts' | 'tokens' | 'log'>;

export interface PageBench {
  append(options: Sizes<AppendBenchOptions>): Promise<ResultRow[]>;
  query(options: Sizes<QueryBenchOptions>): Promise<ResultRow[]>;
  tokens(options: { passes: number }): Promise<ResultRow[]>;
}

declare global {
  interface Window {
    bench: PageBench;
  }
}

const now = () => performance.now();
const env: StorageEnv = { env: 'chromium', indexedDB, IDBKeyRange, now };
let data: Promise<BenchData> | undefined;
const loadData = () => {
  data ??= fetch('./data.json').then((r) => r.json() as Promise<BenchData>);
  return data;
};

async function texts(model: string) {
  const { messages } = await loadData();
  return { texts: messages, tokens: await tokenCounts(messages, model) };
}

window.bench = {
  async append(options) {
    return runAppendBench(env, { ...options, ...(await texts('gpt-4o-mini')) });
  },
  async query(options) {
    return runQueryBench(env, { ...options, ...(await texts('gpt-4o')), log: (line) => console.log(line) });
  },
  async tokens({ passes }) {
    const { corpus, messages } = await loadData();
    return runTokenBench({ env: 'chromium', now, corpus, messages, passes });
  },
};
