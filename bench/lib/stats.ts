// Summary statistics shared by the browser and Node benchmarks.

/** Nearest-rank percentile (q in 0..1) of unsorted samples. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 0.5);
export const p95 = (samples: readonly number[]): number => percentile(samples, 0.95);

/**
 * Median of per-pair ratios subject[i] / baseline[i]: each pair ran back to back, so drift
 * (GC, thermal, a growing database) affects both sides of a ratio alike.
 */
export function pairedRatio(subject: readonly number[], baseline: readonly number[]): number {
  const ratios = subject.map((s, i) => s / baseline[i]!);
  return median(ratios);
}

/** One line of the results table. Times are in ms unless `unit` says otherwise. */
export interface ResultRow {
  /** Benchmark number and name, e.g. "1 append". */
  bench: string;
  /** What was measured, e.g. "userSays @ 10,000". */
  subject: string;
  env: 'chromium' | 'node+fake-indexeddb' | 'node';
  unit: string;
  median: number;
  p95: number;
  /** What the ratio compares against, e.g. "bare Dexie add". */
  baseline?: string;
  baselineMedian?: number;
  baselineP95?: number;
  /** subject / baseline, median of pairs (for throughput: subject / baseline throughput). */
  ratio?: number;
  target?: string;
  met?: boolean;
  note?: string;
}

/** Run `fns` `iterations` times, rotating which goes first, and collect each one's timings. */
export async function interleave(
  fns: readonly (() => Promise<unknown> | unknown)[],
  iterations: number,
  now: () => number,
): Promise<number[][]> {
  const samples = fns.map(() => [] as number[]);
  for (let i = 0; i < iterations; i++) {
    for (let k = 0; k < fns.length; k++) {
      const index = (i + k) % fns.length;
      const start = now();
      await fns[index]!();
      samples[index]!.push(now() - start);
    }
  }
  return samples;
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');
