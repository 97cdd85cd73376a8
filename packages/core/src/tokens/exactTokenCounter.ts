import type { Tiktoken } from 'js-tiktoken/lite';
import { type RankMap, largePieceTokenCount } from './largePieceTokenCount';
import { PieceCountCache } from './pieceCountCache';

// Pieces up to this many UTF-8 bytes (nearly all of them) use js-tiktoken's own BPE; beyond it,
// its O(n²) merge loop loses to the heap-based count (measured ~200 µs vs ~40 µs at 32 bytes).
const LARGE_PIECE_BYTES = 32;
const MAX_BYTES_PER_UTF16_UNIT = 3;
// Longer pieces (e.g. a run of 10,000 spaces) rarely repeat; caching them would only hold memory.
const MAX_CACHED_PIECE_LENGTH = 128;

/**
 * Counts tokens exactly as OpenAI's tiktoken `encode_ordinary` does: split with the official
 * pattern, then byte-pair-encode each piece. Special-token text is plain text here.
 */
export class ExactTokenCounter {
  private readonly cache = new PieceCountCache();
  private readonly textEncoder = new TextEncoder();

  /**
   * @param pretokenizer the encoding's split regex (global, unicode)
   * @param pieceEncoder a js-tiktoken encoder whose pattern matches a whole piece, so that its
   *   `encode` is BPE of exactly that piece
   * @param ranks the encoder's rank table, for long pieces; without it they use `pieceEncoder`
   */
  constructor(
    private readonly pretokenizer: RegExp,
    private readonly pieceEncoder: Tiktoken,
    private readonly ranks?: RankMap,
  ) {}

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
    if (this.ranks && piece.length * MAX_BYTES_PER_UTF16_UNIT > LARGE_PIECE_BYTES) {
      const bytes = this.textEncoder.encode(piece);
      if (bytes.length > LARGE_PIECE_BYTES) return largePieceTokenCount(bytes, this.ranks);
    }
    // Empty allowed and disallowed special sets: `<|endoftext|>` is text and never throws.
    return this.pieceEncoder.encode(piece, [], []).length;
  }
}
