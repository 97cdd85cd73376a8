import type { ExactTokenCounter } from './exactTokenCounter.ts';
import type { RankTableData } from './rankTable.ts';
import type { TokenEncoding } from './tokenEncoding.ts';

type CounterCode = typeof import('./buildExactCounter.ts');

const loading = new Map<TokenEncoding, Promise<ExactTokenCounter>>();
const loaded = new Map<TokenEncoding, ExactTokenCounter>();

/**
 * js-tiktoken's `bpe_ranks` text for `encoding`. Imported on first use only: each is a
 * multi-megabyte chunk bundled with the app, never fetched from elsewhere.
 */
export function importRanks(encoding: TokenEncoding): Promise<string> {
  switch (encoding) {
    case 'o200k_base':
      return import('js-tiktoken/ranks/o200k_base').then((m) => m.default.bpe_ranks);
    case 'cl100k_base':
      return import('js-tiktoken/ranks/cl100k_base').then((m) => m.default.bpe_ranks);
  }
}

/** The counting code: a page whose worker builds the tables needs it only later, if at all. */
function loadCounterCode(): Promise<CounterCode> {
  return import('./buildExactCounter.ts');
}

function keep(encoding: TokenEncoding, counter: ExactTokenCounter): ExactTokenCounter {
  const existing = loaded.get(encoding);
  if (existing) return existing;
  loaded.set(encoding, counter);
  return counter;
}

/** The counter for `encoding`, built here once; concurrent callers share one load. */
export function loadExactCounter(encoding: TokenEncoding): Promise<ExactTokenCounter> {
  let pending = loading.get(encoding);
  if (!pending) {
    pending = Promise.all([loadCounterCode(), importRanks(encoding)]).then(
      ([code, bpeRanks]) =>
        loaded.get(encoding) ?? keep(encoding, code.buildExactCounter(encoding, bpeRanks)),
    );
    // A failed load is forgotten so that a later call can retry.
    pending.catch(() => loading.delete(encoding));
    loading.set(encoding, pending);
  }
  return pending;
}

/** Installs the counter for `encoding` over a table another thread built (nothing to parse). */
export async function adoptExactCounter(
  encoding: TokenEncoding,
  table: RankTableData,
): Promise<ExactTokenCounter> {
  const code = await loadCounterCode();
  return loaded.get(encoding) ?? keep(encoding, code.exactCounterFromTable(encoding, table));
}

/** The counter for `encoding` if it is built on this thread. */
export function loadedExactCounter(encoding: TokenEncoding): ExactTokenCounter | undefined {
  return loaded.get(encoding);
}

/** Every counter built on this thread so far (for cache statistics). */
export function loadedExactCounters(): ExactTokenCounter[] {
  return [...loaded.values()];
}
