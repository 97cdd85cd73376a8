import type { TiktokenBPE } from 'js-tiktoken/lite';
import { ExactTokenCounter } from './exactTokenCounter';
import type { RankMap } from './largePieceTokenCount';
import { pretokenizer } from './pretokenizerPatterns';
import type { TokenEncoding } from './tokenEncoding';

// The piece encoder sees one already-split piece, so its own pattern must take it whole.
const WHOLE_PIECE = '[^]+';

const loading = new Map<TokenEncoding, Promise<ExactTokenCounter>>();
const loaded = new Map<TokenEncoding, ExactTokenCounter>();

/** Ranks are imported on first use only: each is a multi-megabyte chunk bundled with the app. */
function importRanks(encoding: TokenEncoding): Promise<TiktokenBPE> {
  switch (encoding) {
    case 'o200k_base':
      return import('js-tiktoken/ranks/o200k_base').then((m) => m.default);
    case 'cl100k_base':
      return import('js-tiktoken/ranks/cl100k_base').then((m) => m.default);
  }
}

async function buildCounter(encoding: TokenEncoding): Promise<ExactTokenCounter> {
  const [{ Tiktoken }, ranks] = await Promise.all([import('js-tiktoken/lite'), importRanks(encoding)]);
  // Building the rank table is the expensive part (~0.5 s for o200k): done once per encoding.
  const pieceEncoder = new Tiktoken({ ...ranks, pat_str: WHOLE_PIECE });
  const counter = new ExactTokenCounter(pretokenizer(encoding), pieceEncoder, rankMapOf(pieceEncoder));
  loaded.set(encoding, counter);
  return counter;
}

/**
 * js-tiktoken keeps its ranks in an internal `rankMap`; reading it lets long pieces skip its
 * quadratic merge. If a future version renames it, counting stays exact, only slower.
 */
function rankMapOf(encoder: object): RankMap | undefined {
  const rankMap: unknown = (encoder as { rankMap?: unknown }).rankMap;
  return rankMap instanceof Map ? (rankMap as RankMap) : undefined;
}

/** The counter for `encoding`, built once; concurrent callers share one load. */
export function loadExactCounter(encoding: TokenEncoding): Promise<ExactTokenCounter> {
  let pending = loading.get(encoding);
  if (!pending) {
    pending = buildCounter(encoding);
    // A failed load is forgotten so that a later call can retry.
    pending.catch(() => loading.delete(encoding));
    loading.set(encoding, pending);
  }
  return pending;
}

/** The counter for `encoding` if it has finished loading. */
export function loadedExactCounter(encoding: TokenEncoding): ExactTokenCounter | undefined {
  return loaded.get(encoding);
}

/** Every counter built so far (for cache statistics). */
export function loadedExactCounters(): ExactTokenCounter[] {
  return [...loaded.values()];
}
