import { largePieceTokenCount } from './largePieceTokenCount.ts';
import { PieceCountCache } from './pieceCountCache.ts';
import type { RankTable } from './rankTable.ts';

// Up to this many UTF-8 bytes (nearly every piece), tiktoken's own quadratic merge runs in
// reused buffers, allocating nothing per piece (on real text it measured level with the heap
// merge, which allocates); longer pieces need the heap's O(n log n).
const SMALL_PIECE_BYTES = 32;
// The reusable byte buffer takes pieces up to 1,024 bytes; longer ones get their own.
const BUFFER_BYTES = 1024;
const MAX_BYTES_PER_UTF16_UNIT = 3;
// Longer pieces (e.g. a run of 10,000 spaces) rarely repeat; caching them would only hold memory.
const MAX_CACHED_PIECE_LENGTH = 128;
// Rank of a pair that is no token: above every real rank, so a plain `<` finds the lowest.
const NO_TOKEN = 0x7fffffff;

/**
 * Counts tokens exactly as OpenAI's tiktoken `encode_ordinary` does: split with the official
 * pattern, then byte-pair-encode each piece with the encoding's ranks. Special-token text is
 * plain text here.
 */
export class ExactTokenCounter {
  private readonly cache = new PieceCountCache();
  private readonly textEncoder = new TextEncoder();
  private readonly buffer = new Uint8Array(BUFFER_BYTES);
  // Parts of the small-piece merge (start offsets, and the rank of each part with the next).
  private readonly partStart = new Int32Array(SMALL_PIECE_BYTES + 1);
  private readonly partRank = new Int32Array(SMALL_PIECE_BYTES + 1);

  private readonly pretokenizer: RegExp;
  readonly ranks: RankTable;
  /**
   * @param pretokenizer the encoding's split regex (global, unicode)
   * @param ranks the encoding's token ranks
   */
  constructor(pretokenizer: RegExp, ranks: RankTable) {
    this.pretokenizer = pretokenizer;
    this.ranks = ranks;
  }

  count(text: string): number {
    let total = 0;
    for (const match of text.matchAll(this.pretokenizer)) total += this.countPiece(match[0]);
    return total;
  }

  get cacheSize(): number {
    return this.cache.size;
  }

  clearCache(): void {
    this.cache.clear();
  }

  private countPiece(piece: string): number {
    if (piece.length > MAX_CACHED_PIECE_LENGTH) return this.bytePairCount(piece);
    const cached = this.cache.get(piece);
    if (cached !== undefined) return cached;
    const count = this.bytePairCount(piece);
    this.cache.set(piece, count);
    return count;
  }

  private bytePairCount(piece: string): number {
    if (piece.length * MAX_BYTES_PER_UTF16_UNIT > BUFFER_BYTES) {
      const bytes = this.textEncoder.encode(piece);
      return this.wholePiece(bytes, bytes.length) ? 1 : largePieceTokenCount(bytes, bytes.length, this.ranks);
    }
    const n = this.encodeToBuffer(piece);
    if (this.wholePiece(this.buffer, n)) return 1;
    return n <= SMALL_PIECE_BYTES
      ? this.smallPieceTokenCount(n)
      : largePieceTokenCount(this.buffer, n, this.ranks);
  }

  /** Whether the piece is one token: tiktoken checks this before merging. */
  private wholePiece(bytes: Uint8Array, n: number): boolean {
    return this.ranks.rank(bytes, 0, n) !== -1;
  }

  /** Writes the piece's UTF-8 bytes to the buffer; ASCII (most pieces) skips the TextEncoder call. */
  private encodeToBuffer(piece: string): number {
    const buffer = this.buffer;
    for (let i = 0; i < piece.length; i++) {
      const code = piece.charCodeAt(i);
      if (code >= 0x80) return this.textEncoder.encodeInto(piece, buffer).written;
      buffer[i] = code;
    }
    return piece.length;
  }

  /** tiktoken's `_byte_pair_merge`: merge the lowest-ranked adjacent pair (leftmost) until none is a token. */
  private smallPieceTokenCount(n: number): number {
    const bytes = this.buffer;
    const ranks = this.ranks;
    const start = this.partStart;
    const rank = this.partRank;
    const pairRank = (from: number, to: number): number => {
      const r = ranks.rank(bytes, from, to);
      return r === -1 ? NO_TOKEN : r;
    };
    // Parts 0 … n-1, then an end marker at n; rank[i] merges part i with part i + 1.
    for (let i = 0; i < n; i++) {
      start[i] = i;
      rank[i] = i + 2 <= n ? pairRank(i, i + 2) : NO_TOKEN;
    }
    start[n] = n;
    let parts = n;
    for (;;) {
      let min = NO_TOKEN;
      let at = -1;
      for (let i = 0; i < parts - 1; i++) {
        if (rank[i]! < min) {
          min = rank[i]!;
          at = i;
        }
      }
      if (at === -1) return parts;
      // Part at + 1 joins part at: shift the later parts (and the end marker) down by one.
      for (let i = at + 1; i < parts; i++) {
        start[i] = start[i + 1]!;
        rank[i] = rank[i + 1]!;
      }
      parts--;
      rank[at] = at + 1 < parts ? pairRank(start[at]!, start[at + 2]!) : NO_TOKEN;
      if (at > 0) rank[at - 1] = pairRank(start[at - 1]!, start[at + 1]!);
    }
  }
}
