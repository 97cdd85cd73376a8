import { ExactTokenCounter } from './exactTokenCounter.ts';
import { pretokenizer } from './pretokenizerPatterns.ts';
import { parseRanks, RankTable, type RankTableData } from './rankTable.ts';
import type { TokenEncoding } from './tokenEncoding.ts';

// The exact counter's code, loaded with the ranks (or a worker's table) it needs anyway: an app
// that counts in the worker, or only estimates, never loads it on the page.

/** A counter for `encoding` from js-tiktoken's `bpe_ranks` text. */
export function buildExactCounter(encoding: TokenEncoding, bpeRanks: string): ExactTokenCounter {
  return new ExactTokenCounter(pretokenizer(encoding), parseRanks(bpeRanks));
}

/** A counter for `encoding` over a table built elsewhere (by the tokenizer worker). */
export function exactCounterFromTable(encoding: TokenEncoding, table: RankTableData): ExactTokenCounter {
  return new ExactTokenCounter(pretokenizer(encoding), RankTable.from(table));
}
