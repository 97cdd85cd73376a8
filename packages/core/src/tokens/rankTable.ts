const EMPTY = 0;
const NONE = -1;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

// base64 digit values by char code; -1 for characters that are not digits ('=' ends a token).
const BASE64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  BASE64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
}

/** A rank table's arrays, as a worker sends them over (transferred: no copy, no parsing). */
export interface RankTableData {
  bytes: Uint8Array;
  starts: Int32Array;
  ranks: Int32Array;
  slots: Int32Array;
}

/**
 * A BPE encoding's rank of every token, looked up by the token's bytes. It is an open-addressing
 * hash table over typed arrays rather than a Map of 200k strings (as js-tiktoken builds): built
 * in a few tens of ms instead of most of a second, about half the memory, and a lookup needs no
 * string per candidate pair during byte-pair merging.
 */
export class RankTable {
  private readonly mask: number;

  private readonly bytes: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ranks: Int32Array;
  private readonly slots: Int32Array;
  /**
   * @param bytes every token's bytes, back to back
   * @param starts token `i` is `bytes[starts[i]] … bytes[starts[i + 1] - 1]`
   * @param ranks token `i`'s rank
   * @param slots the hash table: a token index + 1, or 0 for an empty slot (power-of-two length)
   */
  constructor(bytes: Uint8Array, starts: Int32Array, ranks: Int32Array, slots: Int32Array) {
    this.bytes = bytes;
    this.starts = starts;
    this.ranks = ranks;
    this.slots = slots;
    this.mask = slots.length - 1;
  }

  get size(): number {
    return this.ranks.length;
  }

  /** A copy of the arrays, to transfer to another thread. */
  copy(): RankTableData {
    return {
      bytes: this.bytes.slice(),
      starts: this.starts.slice(),
      ranks: this.ranks.slice(),
      slots: this.slots.slice(),
    };
  }

  /** The table whose arrays `copy()` gave (already indexed). */
  static from({ bytes, starts, ranks, slots }: RankTableData): RankTable {
    return new RankTable(bytes, starts, ranks, slots);
  }

  /** The rank of the token whose bytes are `piece[from] … piece[to - 1]`, or -1 if none is. */
  rank(piece: Uint8Array, from: number, to: number): number {
    const length = to - from;
    let slot = hashOf(piece, from, to) & this.mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === EMPTY) return NONE;
      const token = entry - 1;
      const start = this.starts[token]!;
      if (this.starts[token + 1]! - start === length && this.equals(start, piece, from, length)) {
        return this.ranks[token]!;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private equals(start: number, piece: Uint8Array, from: number, length: number): boolean {
    for (let i = 0; i < length; i++) if (this.bytes[start + i] !== piece[from + i]) return false;
    return true;
  }

  /** Where token `index` (by its bytes) belongs: its own slot, or the empty one to claim. */
  private slotOf(index: number): number {
    const start = this.starts[index]!;
    const end = this.starts[index + 1]!;
    let slot = hashOf(this.bytes, start, end) & this.mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === EMPTY) return slot;
      const other = entry - 1;
      const otherStart = this.starts[other]!;
      if (
        this.starts[other + 1]! - otherStart === end - start &&
        this.equals(otherStart, this.bytes, start, end - start)
      ) {
        return slot;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** Fills the hash table; a token listed twice keeps its later rank, as in js-tiktoken. */
  index(): this {
    for (let i = 0; i < this.ranks.length; i++) this.slots[this.slotOf(i)] = i + 1;
    return this;
  }
}

/** FNV-1a, then a final mix so that the low bits used for the slot depend on every byte. */
function hashOf(bytes: Uint8Array, from: number, to: number): number {
  let hash = FNV_OFFSET;
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  return hash ^ (hash >>> 12);
}

/**
 * Parses js-tiktoken's `bpe_ranks`: lines of `<marker> <first rank> <base64 token> …`, the tokens
 * of a line taking consecutive ranks. Decoded by hand in one pass: calling `atob` per token and
 * building a string key for each is what made js-tiktoken's constructor slow.
 */
export function parseRanks(bpeRanks: string): RankTable {
  // Upper bounds: every 4 base64 characters give at most 3 bytes; every token needs 2+ characters.
  const bytes = new Uint8Array(Math.ceil((bpeRanks.length * 3) / 4));
  const maxTokens = (bpeRanks.length >> 1) + 1;
  const starts = new Int32Array(maxTokens + 1);
  const ranks = new Int32Array(maxTokens);
  let count = 0;
  let written = 0;
  let at = 0;
  const length = bpeRanks.length;
  while (at < length) {
    let lineEnd = bpeRanks.indexOf('\n', at);
    if (lineEnd === -1) lineEnd = length;
    const marker = bpeRanks.indexOf(' ', at);
    if (marker === -1 || marker > lineEnd) {
      at = lineEnd + 1; // blank line
      continue;
    }
    let rankEnd = bpeRanks.indexOf(' ', marker + 1);
    if (rankEnd === -1 || rankEnd > lineEnd) rankEnd = lineEnd;
    let rank = Number.parseInt(bpeRanks.slice(marker + 1, rankEnd), 10);
    at = rankEnd + 1;
    while (at < lineEnd) {
      starts[count] = written;
      // Four characters make three bytes; a trailing '=' (or the token's end) stops early.
      let buffer = 0;
      let bits = 0;
      for (; at < lineEnd; at++) {
        const code = bpeRanks.charCodeAt(at);
        if (code === 32) break;
        const digit = code < 128 ? BASE64[code]! : NONE;
        if (digit === NONE) continue;
        buffer = ((buffer << 6) | digit) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          bytes[written++] = (buffer >> bits) & 0xff;
        }
      }
      ranks[count++] = rank++;
      at++; // the space (or the newline) after the token
    }
    at = lineEnd + 1;
  }
  starts[count] = written;
  // Load factor at most 1/2 keeps linear probing short.
  let size = 1;
  while (size < count * 2) size *= 2;
  return new RankTable(
    bytes.slice(0, written),
    starts.slice(0, count + 1),
    ranks.slice(0, count),
    new Int32Array(size),
  ).index();
}
