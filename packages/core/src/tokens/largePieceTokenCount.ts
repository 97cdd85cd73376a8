import type { RankTable } from './rankTable.ts';

const NONE = -1;
// A heap entry packs (rank, start) in one number so the min-heap orders by rank, then by start.
const START_SPAN = 2 ** 32;

/**
 * Number of tokens BPE yields for one long piece, `bytes[0] … bytes[n - 1]`. It performs the
 * same merges as tiktoken (always the lowest-ranked adjacent pair, leftmost on ties) but finds
 * them with a heap, in O(n log n): js-tiktoken rescans every pair after each merge, which is
 * O(n²) and took 1.2 s for a run of 4,000 spaces. tiktoken itself switches to a heap for long
 * pieces.
 */
export function largePieceTokenCount(bytes: Uint8Array, n: number, ranks: RankTable): number {
  if (n < 2) return n;
  // Parts form a linked list over start offsets; pairRank[s] is the rank of part s merged
  // with the part after it (NONE when that pair is no token), which also marks stale entries.
  const end = new Int32Array(n);
  const prev = new Int32Array(n);
  const pairRank = new Int32Array(n).fill(NONE);
  const heap: number[] = [];
  const setPair = (start: number, to: number): void => {
    const rank = to <= n ? ranks.rank(bytes, start, to) : NONE;
    pairRank[start] = rank;
    if (rank !== NONE) heapPush(heap, rank * START_SPAN + start);
  };

  for (let i = 0; i < n; i++) {
    end[i] = i + 1;
    prev[i] = i - 1;
  }
  for (let i = 0; i < n - 1; i++) setPair(i, i + 2);

  let parts = n;
  while (heap.length > 0) {
    const entry = heapPop(heap);
    const rank = Math.floor(entry / START_SPAN);
    const start = entry - rank * START_SPAN;
    if (pairRank[start] !== rank) continue;
    const right = end[start]!;
    const merged = end[right]!;
    end[start] = merged;
    pairRank[right] = NONE;
    parts--;
    if (merged < n) {
      prev[merged] = start;
      setPair(start, end[merged]!);
    } else {
      pairRank[start] = NONE;
    }
    if (start > 0) setPair(prev[start]!, merged);
  }
  return parts;
}

function heapPush(heap: number[], value: number): void {
  let i = heap.push(value) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]! <= value) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = value;
}

function heapPop(heap: number[]): number {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length === 0) return top;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && heap[right]! < heap[left]! ? right : left;
    if (heap[child]! >= last) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = last;
  return top;
}
