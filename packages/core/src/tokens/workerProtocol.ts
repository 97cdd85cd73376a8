import type { RankTableData } from './rankTable.ts';
import type { TokenEncoding } from './tokenEncoding.ts';

/** A batch of texts to count in the tokenizer worker (see tokenWorker.ts). */
export interface TokenWorkerRequest {
  id: number;
  encoding: TokenEncoding;
  texts: string[];
  /** Also send a copy of the rank table, so that the page can count short texts itself. */
  withTable?: boolean;
}

export type TokenWorkerResponse =
  | { id: number; counts: number[]; table?: RankTableData }
  | { id: number; error: string };
