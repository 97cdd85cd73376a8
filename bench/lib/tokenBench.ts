// Benchmark 3: token counting on real text, ours against gpt-tokenizer and plain js-tiktoken:
// exactness against OpenAI's tiktoken, warm throughput, and per-message latency.
import { countTokensSync, loadTokenizer, setTokenizerWorker } from '@ai-session-manager/core';
import { formatCount, median, p95, type ResultRow } from './stats';

type Count = (text: string) => number;
type Encoding = 'o200k_base' | 'cl100k_base';

export interface TokenReference {
  encodings: Record<Encoding, number[]>;
  strings: string[];
}

export interface TokenBenchOptions {
  env: ResultRow['env'];
  now: () => number;
  /** About 1 MB of real markdown. */
  corpus: string;
  /** Chat-sized messages from other documents than the corpus. */
  messages: readonly string[];
  /** Timed passes over the corpus per counter (after one warm-up pass). */
  passes: number;
  /** OpenAI tiktoken's counts; the exactness check is skipped without it. */
  reference?: TokenReference;
}

const MODEL_OF: Record<Encoding, string> = { o200k_base: 'gpt-4o', cl100k_base: 'gpt-4' };
// Special-token text is counted as plain text by every counter, as core does; none may throw.
const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

interface Counters {
  ours: Count;
  gptTokenizer: Count;
  jsTiktoken: Count;
}

/** Load all three counters for `encoding`, timing each cold load (first use in this process). */
async function loadCounters(
  encoding: Encoding,
  now: () => number,
): Promise<{ counters: Counters; loadMs: number[] }> {
  const model = MODEL_OF[encoding];
  // Core's counter itself, on this thread like the other two (in browsers the async API would
  // count in a worker; benchmark 5 measures that).
  setTokenizerWorker(null);
  let t = now();
  await loadTokenizer(model);
  const oursMs = now() - t;

  t = now();
  const gpt =
    encoding === 'o200k_base'
      ? await import('gpt-tokenizer/encoding/o200k_base')
      : await import('gpt-tokenizer/encoding/cl100k_base');
  const gptMs = now() - t;

  t = now();
  const { Tiktoken } = await import('js-tiktoken/lite');
  const ranks =
    encoding === 'o200k_base'
      ? (await import('js-tiktoken/ranks/o200k_base')).default
      : (await import('js-tiktoken/ranks/cl100k_base')).default;
  const encoder = new Tiktoken(ranks);
  const jstMs = now() - t;

  return {
    counters: {
      ours: (text) => countTokensSync(text, model),
      gptTokenizer: (text) => gpt.countTokens(text, NO_SPECIAL),
      jsTiktoken: (text) => encoder.encode(text, [], []).length,
    },
    loadMs: [oursMs, gptMs, jstMs],
  };
}

const NAMES = ['ours (core countTokens)', 'gpt-tokenizer', 'js-tiktoken'] as const;

export async function runTokenBench(options: TokenBenchOptions): Promise<ResultRow[]> {
  const { env, now, corpus, messages } = options;
  const rows: ResultRow[] = [];
  const { counters, loadMs } = await loadCounters('o200k_base', now);
  const list = [counters.ours, counters.gptTokenizer, counters.jsTiktoken];

  NAMES.forEach((name, i) => {
    rows.push({
      bench: '3 tokens: cold load',
      subject: `${name}, o200k_base`,
      env,
      unit: 'ms',
      median: loadMs[i]!,
      p95: Number.NaN,
      note: 'first load in the process (one sample)',
    });
  });

  if (options.reference) rows.push(...(await exactness(options.reference, counters, options)));

  // Warm throughput on the whole corpus: one untimed pass each, then passes in rotating order.
  const bytes = new TextEncoder().encode(corpus).length;
  const totals = list.map((count) => count(corpus));
  const times: number[][] = list.map(() => []);
  for (let pass = 0; pass < options.passes; pass++) {
    for (let k = 0; k < list.length; k++) {
      const i = (pass + k) % list.length;
      const t = now();
      list[i]!(corpus);
      times[i]!.push(now() - t);
    }
  }
  const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
  const pairedSpeedup = (i: number) => median(times[i]!.map((t, pass) => times[1]![pass]! / t));
  NAMES.forEach((name, i) => {
    const ratio = pairedSpeedup(i);
    rows.push({
      bench: '3 tokens: 1 MB throughput',
      subject: `${name}: ${formatCount(totals[i]!)} tokens`,
      env,
      unit: 'MB/s',
      median: mbps(median(times[i]!)),
      p95: mbps(p95(times[i]!)),
      ...(i === 1
        ? {}
        : {
            baseline: 'gpt-tokenizer',
            baselineMedian: mbps(median(times[1]!)),
            baselineP95: mbps(p95(times[1]!)),
            ratio,
          }),
      ...(i === 0 ? { target: '≥ 1× gpt-tokenizer', met: ratio >= 1 } : {}),
      note: `${(bytes / 1e6).toFixed(2)} MB, ${options.passes} warm passes; p95 column = slowest-5% pass`,
    });
  });

  // Per message: each message once per counter, rotating which counter goes first.
  const perMessage: number[][] = list.map(() => []);
  const differ = [0, 0, 0];
  messages.forEach((text, m) => {
    const counts = [0, 0, 0];
    for (let k = 0; k < list.length; k++) {
      const i = (m + k) % list.length;
      const t = now();
      counts[i] = list[i]!(text);
      perMessage[i]!.push((now() - t) * 1000);
    }
    if (counts[0] !== counts[1]) differ[1]!++;
    if (counts[0] !== counts[2]) differ[2]!++;
  });
  NAMES.forEach((name, i) => {
    const ratio = median(perMessage[1]!.map((t, m) => t / Math.max(perMessage[i]![m]!, 1e-3)));
    rows.push({
      bench: '3 tokens: per message',
      subject: name,
      env,
      unit: 'µs',
      median: median(perMessage[i]!),
      p95: p95(perMessage[i]!),
      ...(i === 1
        ? {}
        : {
            baseline: 'gpt-tokenizer',
            baselineMedian: median(perMessage[1]!),
            baselineP95: p95(perMessage[1]!),
            ratio,
          }),
      ...(i === 0
        ? { target: '≤ gpt-tokenizer time', met: median(perMessage[0]!) <= median(perMessage[1]!) }
        : {}),
      note:
        i === 0
          ? `${formatCount(messages.length)} messages; ratio = gpt-tokenizer time / ours (speed-up)`
          : `count differs from ours on ${differ[i]} of ${formatCount(messages.length)} messages`,
    });
  });
  return rows;
}

/** Mismatches against OpenAI's tiktoken on the reference strings, for both encodings. */
async function exactness(
  reference: TokenReference,
  o200k: Counters,
  { env, now }: Pick<TokenBenchOptions, 'env' | 'now'>,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    const counters = encoding === 'o200k_base' ? o200k : (await loadCounters(encoding, now)).counters;
    const expected = reference.encodings[encoding];
    const list = [counters.ours, counters.gptTokenizer, counters.jsTiktoken];
    const misses = list.map(
      (count) => reference.strings.filter((text, i) => count(text) !== expected[i]).length,
    );
    NAMES.forEach((name, i) => {
      rows.push({
        bench: '3 tokens: exactness',
        subject: `${name}, ${encoding}`,
        env,
        unit: 'mismatches',
        median: misses[i]!,
        p95: Number.NaN,
        ...(i === 0 ? { target: '0', met: misses[0] === 0 } : {}),
        note: `vs OpenAI tiktoken on ${formatCount(reference.strings.length)} strings`,
      });
    });
  }
  return rows;
}
